"""What a notebook shows: the data banner, the headline numbers nbval checks, a figure.

Display only: the files behind them are written by :mod:`civcomp.io.outputs`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp.io import load
from civcomp.io.ledger import ILLUSTRATION, figure_role
from civcomp.io.outputs import CSV_FLOAT_FORMAT, DATA_LABELS, jsonable, published_precision, save_figure
from civcomp.io.params import STEP_DATASETS


def pct(x: float, digits: int = 1) -> str:
    """A share as a percentage (the notebooks' and figures' one format).

    Examples
    --------
    >>> pct(273 / 408), pct(0.5, 0)
    ('66.9 %', '50 %')
    """
    return f"{100 * x:.{digits}f} %"


def n_text(n: int | None) -> str:
    """How a count of respondents used follows "N": ``= 1,234``, or ``withheld`` where the publishing rule
    withheld it (``None``).

    Examples
    --------
    >>> "N " + n_text(10629), "N " + n_text(None)
    ('N = 10,629', 'N withheld')
    """
    return "withheld" if n is None else f"= {n:,}"


def as_printed(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each float column as its exported CSV prints it (``write_table``'s six significant
    digits); other columns, their dtypes (a category's order) and the index are kept.

    What a figure draws: a coordinate written from the unrounded value would publish digits the table does not.

    Examples
    --------
    >>> as_printed(pd.DataFrame({"g": ["a"], "share": [0.16059836284], "n": [7]})).to_dict("records")
    [{'g': 'a', 'share': 0.160598, 'n': 7}]
    """
    out = table.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            num = out[c].to_numpy(dtype=float, na_value=np.nan)
            out[c] = [float(CSV_FLOAT_FORMAT % v) if np.isfinite(v) else np.nan for v in num]
    return out


def show_figure(fig, step: str, name: str, data_source: str, figures_dir: Path | None = None) -> None:
    """The one call a notebook makes for a figure: lay it out, save it (:func:`save_figure`), show it.

    Examples
    --------
    >>> import tempfile, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> d = Path(tempfile.mkdtemp())
    >>> show_figure(plt.figure(), "99_demo", "empty", "synthetic", figures_dir=d)
    >>> sorted(f.name for f in d.iterdir())
    ['99_demo__empty.png', '99_demo__empty.svg']
    """
    import matplotlib.pyplot as plt

    fig.tight_layout()
    # on the twin: calibrated values or an illustration of cells the paper never published (the ledger's figures)
    save_figure(fig, step, name, data_source, figures_dir, role=figure_role(step, name, data_source))
    plt.show()


def illustration_markdown(data_source: str, what: str) -> str:
    """The caption under a table or figure whose cells the paper did not publish, for the data source that ran.

    Examples
    --------
    >>> illustration_markdown("synthetic", "Table 2")
    "**Table 2 — illustration: the paper did not publish these cells; values are the twin's assumptions.**"
    >>> illustration_markdown("real", "Table 2")
    "Table 2: recomputed from the study's data; the paper prints only its title, so there is no published cell to compare."
    """
    if data_source == "synthetic":
        return f"**{what} — {ILLUSTRATION}.**"
    return f"{what}: recomputed from the study's data; the paper prints only its title, so there is no published cell to compare."


REHEARSAL_LABEL = "REHEARSAL — real mode on a byte copy of the synthetic twin"


def banner_markdown(data_source: str, seed: int | None = None, step: str | None = None) -> str:
    """A Markdown banner that states plainly which data produced the results below it.

    In real mode, with ``step``, it names each file the step reads (file, SHA-256, rows read, N used, the
    mapping applied) and says REHEARSAL, not REAL MICRODATA, when every one of them is a byte copy of a twin
    file (:func:`civcomp.io.load.is_rehearsal`).

    Examples
    --------
    >>> banner_markdown("real")
    "> **Data: REAL MICRODATA — the study's survey files.** These results are a replication on the study's own data."
    """
    label = DATA_LABELS[data_source]
    extra = f" (generator seed {seed})" if seed is not None and data_source == "synthetic" else ""
    note = (
        "Agreement with the papers here checks the pipeline, not the papers."
        if data_source == "synthetic"
        else "These results are a replication on the study's own data."
    )
    files = [load.provenance(n) for n in STEP_DATASETS.get(step, ())] if data_source == "real" and step else []
    if files and all(f["rehearsal"] for f in files):
        label = REHEARSAL_LABEL
        note = "Agreement with the papers here checks the real-mode pipeline, not the papers."
    lines = [f"> **Data: {label}{extra}.** {note}"]
    lines += [">", *[f"> * {file_line(f)}" for f in files]] if files else []
    return "\n".join(lines)


def file_line(f: dict[str, Any]) -> str:
    """One real file as the banner and the report name it.

    Examples
    --------
    >>> file_line({"dataset": "capacity_survey", "file": "data/raw/c.sav", "sha256": "ab" * 32, "rows_read": 10942,
    ...            "n_used": 10942, "rehearsal": False, "mapping": None, "mapping_sha256": None})
    '`capacity_survey`: data/raw/c.sav (SHA-256 abababababab…), 10,942 rows read, N = 10,942 used'
    """
    if not f.get("sha256"):
        return f"`{f['dataset']}`: {f['file']} (absent)"
    rows = lambda v: "?" if v is None else f"{v:,}"  # noqa: E731
    text = f"`{f['dataset']}`: {f['file']} (SHA-256 {f['sha256'][:12]}…), {rows(f['rows_read'])} rows read, N = {rows(f['n_used'])} used"
    if f.get("mapping"):
        text += f"; mapping {f['mapping']} (SHA-256 {f['mapping_sha256'][:12]}…)"
    if f.get("rehearsal"):
        text += "; a byte copy of a synthetic twin file"
    return text


def headline_text(
    results: dict[str, Any], keys: Iterable[str] | None = None, digits: int = 4, published: bool = False
) -> str:
    """Stable text of headline numbers for the notebook cell that nbval checks.

    Floats are rounded to ``digits`` decimals so the recorded output tracks the
    numbers a reader sees, not the last bit of floating point. With ``published``, each float is printed
    as the results file stores it (:func:`civcomp.io.outputs.published_precision` of its key: a mean at
    0.01, a share at 0.0001), so the cell shows no digit the tables and results do not.

    Examples
    --------
    >>> print(headline_text({"share": 0.66911764, "n": 408, "data_source": "synthetic"}))
    data_source: synthetic
    n: 408
    share: 0.6691
    >>> print(headline_text({"perspective_mean_self": 7.8701, "share_below": 0.123456}, published=True))
    perspective_mean_self: 7.87
    share_below: 0.1235
    """
    keys = sorted(results) if keys is None else list(keys)
    lines = []
    for k in keys:
        v = jsonable(results[k])
        if isinstance(v, float) and published:
            v = repr(published_precision(k, v))
        elif isinstance(v, float):
            v = f"{round(v, digits):.{digits}f}"
        elif isinstance(v, (dict, list)):
            v = json.dumps(_round_nested(v, digits), sort_keys=True, ensure_ascii=False)
        lines.append(f"{k}: {v}")
    return "\n".join(lines)


def _round_nested(v: Any, digits: int) -> Any:
    if isinstance(v, float):
        return round(v, digits)
    if isinstance(v, dict):
        return {k: _round_nested(x, digits) for k, x in v.items()}
    if isinstance(v, list):
        return [_round_nested(x, digits) for x in v]
    return v
