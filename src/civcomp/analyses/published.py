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


MARGIN_ROWS = ("respondents", "total")  # rows of an exported table that hold group sizes or totals, not cells
DERIVED = ("pct", "share", "ci_low", "ci_high")


def suppress_whole(table: pd.DataFrame, min_cell_size: int, n: int) -> tuple[pd.DataFrame, str | None]:
    """A table with no non-zero cell left to show, emptied whole, and the one line that says why (else None).

    When suppression has hidden every non-zero count of a table's body (rows other than
    :data:`MARGIN_ROWS`), what would remain — zeros, group sizes, the pattern of hidden cells — says
    nothing of the answers and only where the small counts are. The table keeps its layout (its rows and
    columns) with every count, percentage, share and interval empty.

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["a", "b", "total"], "n_x": pd.array([None, 0, 12], "Int64"),
    ...                   "pct_x": [None, 0.0, 100.0]})
    >>> out, why = suppress_whole(t, 5, 12)
    >>> bool(out["n_x"].isna().all()), why
    (True, 'suppressed whole: with 12 respondents no cell of this table can be shown (each is 1 to 4 or would give such a count back)')
    >>> suppress_whole(t.assign(n_x=pd.array([7, 0, 12], "Int64")), 5, 12)[1] is None
    True
    """
    key = next((c for c in ("option", "category", "age_group") if c in table.columns), None)
    counts = [c for c in table.columns if c == "n" or str(c).startswith("n_")]
    body = table if key is None else table[~table[key].isin(MARGIN_ROWS)]
    values = body[counts].apply(pd.to_numeric, errors="coerce")
    if not counts or (values > 0).any().any() or not values.isna().any().any():
        return table, None
    out = table.copy()
    for col in out.columns:
        if col in counts or str(col).split("_")[0] in ("pct", "share") or str(col).startswith(("ci_", "share")):
            out[col] = pd.Series(pd.NA, index=out.index, dtype="Int64" if col in counts else "Float64")
    why = (
        f"suppressed whole: with {n} respondents no cell of this table can be shown (each is 1 to "
        f"{min_cell_size - 1} or would give such a count back)"
    )
    return out, why


def published_average(table: pd.DataFrame, column: str) -> float | None:
    """The average of a published table's column, or None when a cell of it is suppressed (or none is left):
    the average of the published cells would give a suppressed one back.

    Examples
    --------
    >>> published_average(pd.DataFrame({"s": [0.25, 0.75]}), "s"), published_average(pd.DataFrame({"s": [0.1, None]}), "s")
    (0.5, None)
    """
    vals = pd.to_numeric(table[column], errors="coerce")
    return None if vals.empty or vals.isna().any() else float(vals.mean())
