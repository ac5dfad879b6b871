"""What one analysis publishes: the contract between an analysis's ``results`` function and its notebook.

Every analysis module has one function ``results(data, params) -> Published``:

* ``data`` maps a dataset name (as :func:`civcomp.io.load.load` knows it) to its loaded frame;
* ``params`` is the step's resolved parameters (what :func:`civcomp.io.params.resolve` returns);
* the returned :class:`Published` holds every value of ``outputs/results/<step>.json`` (``values``), every
  table the step exports, already made publishable (``tables``), and the unpublished objects the
  notebook displays or plots (``parts``).

A notebook then reads: parameters → load → ``results`` → display → write. The claims ledger names the
same function in each claim's ``computed_by``, so a published number is one hop from the code that
computes it.

Examples
--------
>>> import pandas as pd
>>> p = Published(values={"n": 3}, tables={"counts": pd.DataFrame({"n": [3]})})
>>> p.values["n"], list(p.tables), p.parts
(3, ['counts'], {})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Published:
    """Everything one analysis publishes, and what its notebook shows beside it.

    Attributes
    ----------
    values : dict
        The step's results: exactly the keys written to ``outputs/results/<step>.json``.
    tables : dict of str to DataFrame
        Publishable tables (suppressed and rounded by the disclosure rule), by the name they are
        exported under (``outputs/tables/<step>__<name>.csv``), in export order.
    parts : dict
        Unpublished objects the notebook displays or plots (fitted models, display frames).
    """

    values: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)
