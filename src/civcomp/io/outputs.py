"""Atomic, deterministic writers for everything a notebook exports to ``outputs/``.

Size: one job — every writer of a published artefact, with the rules (precision, counts, formulas) each applies.

Every writer goes through :func:`atomic_write`, so a killed run never leaves a
half-written CSV, JSON or figure behind: the bytes go to a temporary file in the
same folder, are flushed to disk, and are moved over the target in one rename.

Conventions the tests rely on
-----------------------------
* results: ``outputs/results/<step>.json`` — a flat mapping of headline numbers,
  always carrying ``data_source``; the claims ledger points into these keys.
* tables: ``outputs/tables/<step>__<name>.csv``; count columns are named ``n`` or
  ``n_<something>`` and, once exported, hold either NA (suppressed) or a value of
  0 or at least ``min_cell_size``.
* figures: ``outputs/figures/<step>__<name>.png`` and ``.svg``, each with a footer
  naming the data that produced it.

The workbook of every table (``outputs/tables.xlsx``) is written by :mod:`civcomp.io.workbook`;
what a notebook shows (banner, headline numbers, a figure) by :mod:`civcomp.io.display`.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.io import atomic, params
from civcomp.io.ledger import ILLUSTRATION

WITHHELD = "withheld (disclosure control)"  # printed where a value the disclosure rules withhold would stand
CSV_FLOAT_FORMAT = "%.6g"  # how an exported table prints a float (six significant digits)
CSV_ENCODING = "utf-8-sig"  # exported tables: UTF-8 with a byte-order mark, so Excel detects the encoding
BOM = b"\xef\xbb\xbf"

DATA_LABELS = {
    "synthetic": "SYNTHETIC TWIN — simulated data calibrated to the published aggregates, not the survey microdata",
    "real": "REAL MICRODATA — the study's survey files",
    # external figures redrawn from numbers the paper prints (no dataset involved)
    "published": "PUBLISHED NUMBERS — redrawn from values printed in the paper, not from any dataset",
}


# Figure footers on the twin: "calibrated" only where the plotted values were calibration targets
FOOTERS = {
    "data": "SYNTHETIC TWIN — simulated data, not the survey microdata",
    "calibrated": "SYNTHETIC TWIN — simulated data calibrated to the published values shown (a pipeline check), "
    "not the survey microdata",
    "illustration": "SYNTHETIC TWIN — not the survey microdata; the paper published none of these values",
}


def footer_text(data_source: str, role: str = "data") -> str:
    """A figure's footer: which data drew it and, on the twin, whether its values were calibrated or invented.

    Examples
    --------
    >>> footer_text("real", "illustration")
    "Data: REAL MICRODATA — the study's survey files"
    >>> footer_text("synthetic")
    'Data: SYNTHETIC TWIN — simulated data, not the survey microdata'
    """
    if data_source != "synthetic":
        return f"Data: {DATA_LABELS[data_source]}"
    if role not in FOOTERS:
        raise ValueError(f"role must be one of {sorted(FOOTERS)}, got {role!r}")
    return f"Data: {FOOTERS[role]}"


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, never through a link under outputs/ (:func:`civcomp.io.atomic.write_bytes`).

    Examples
    --------
    >>> import tempfile
    >>> atomic_write(Path(tempfile.mkdtemp()) / "x.txt", b"hi").read_bytes()
    b'hi'
    """
    return atomic.write_bytes(path, data)


def _floor(min_cell_size: int) -> None:
    """A disclosure threshold below the documented floor (``params.BOUNDS``) is refused by every writer too."""
    lo = params.BOUNDS["min_cell_size"][0]
    if isinstance(min_cell_size, bool) or not isinstance(min_cell_size, (int, np.integer)) or min_cell_size < lo:
        raise ValueError(f"min_cell_size must be an integer of at least {lo}, got {min_cell_size!r}")


def jsonable(value: Any) -> Any:
    """``value`` with NumPy scalars and arrays, tuples and timestamps made plain JSON values; NaN and inf → None.

    Examples
    --------
    >>> jsonable({"n": np.int64(3), "x": [np.float64("nan"), 0.5, pd.NA], 1: (True,)})
    {'n': 3, 'x': [None, 0.5, None], '1': [True]}
    """
    if value is pd.NA:  # a withheld cell of a nullable column
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value


def dumps_json(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, NaN as null, trailing newline."""
    return (json.dumps(jsonable(obj), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, obj: Any) -> Path:
    """Write ``obj`` as canonical JSON, atomically."""
    return atomic_write(path, dumps_json(obj))


NOT_RESPONDENT_COUNTS = (
    "n_suppressed_",
    "_competencies",
    "n_factors",
    "n_communalities",
    "sem_n_",
    "n_regions",
)  # cells, items, factors, model variables, regions


def small_result_counts(results: dict[str, Any], min_cell_size: int) -> list[str]:
    """Keys of ``results`` that hold a respondent count of 1 … ``min_cell_size - 1``.

    A count is a key named ``n``, ``n_*``, ``*_n``, ``*_n_*`` or ``*_base_*`` with an integer
    value (the convention of the tables' count columns).

    Examples
    --------
    >>> small_result_counts({"n_x": 3, "barrier_base_central": 4, "share": 0.5, "n_y": 0, "n_suppressed_cells": 2}, 5)
    ['barrier_base_central', 'n_x']
    """
    bad = []
    for k, v in results.items():
        name = f"_{k}_"
        if not ("_n_" in name or "_base_" in name) or any(t in k for t in NOT_RESPONDENT_COUNTS):
            continue
        if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) and 0 < v < min_cell_size:
            bad.append(k)
    return sorted(bad)


MAGNITUDE_TOKENS = ("mean", "margin", "ci", "gap", "sd", "median")  # printed at 2 decimals in the tables
SHARE_TOKENS = ("share",)
STATISTIC_TOKENS = ("p", "test", "statistic", "chi2", "v", "icc", "alpha", "omega")  # tests and indices


def published_precision(key: str, value: Any) -> Any:
    """A results float at the precision the tables print: 2 decimals for means, SDs, gaps, CIs and margins,
    4 decimals for shares, 6 significant digits otherwise (test statistics, loadings, indices).

    Full binary precision would say more than the tables: a difference of two means printed at 0.01 but
    written as 0.18105493214028545 pins the sums behind them. The rule reads the key's ``_``-separated
    words; a test statistic or index named with a magnitude word (``barrier_mean_test_p``) keeps 6 digits.

    Examples
    --------
    >>> published_precision("weakest_competency_executive_margin", 0.18105493214028545)
    0.18
    >>> published_precision("share_any_zero", 0.04769968952864804), published_precision("barrier_mean_test_p", 0.0123456789)
    (0.0477, 0.0123457)
    >>> published_precision("n_respondents", 10629), published_precision("kmo", float("nan"))
    (10629, nan)
    """
    if not isinstance(value, (float, np.floating)) or not math.isfinite(float(value)):
        return value
    v, words = float(value), set(str(key).lower().split("_"))
    if words & set(STATISTIC_TOKENS):
        return float(CSV_FLOAT_FORMAT % v)
    if words & set(MAGNITUDE_TOKENS):
        return round(v, 2)
    if words & set(SHARE_TOKENS):
        return round(v, 4)
    return float(CSV_FLOAT_FORMAT % v)


def at_published_precision(value: Any, keys: str | Iterable[str]) -> Any:
    """``value`` with every float inside it (nested dicts and lists too) at :func:`published_precision`.

    A float inside a mapping is judged by its own key; one inside a list, by the list's key. With several
    ``keys`` (a claim's value computed from several results), each key's rule is applied in turn: the value
    then sits on every rule's grid, so it says no more than the coarsest of them.

    Examples
    --------
    >>> at_published_precision({"ci": [0.123456, 0.98765], "by": {"share_a": 0.333333333}}, "x")
    {'ci': [0.12, 0.99], 'by': {'share_a': 0.3333}}
    >>> at_published_precision(-26.848794080290314, ["coverage_of_local_staff"])
    -26.8488
    >>> at_published_precision(12.3456789, ["mean_x", "kmo"]), at_published_precision(True, "mean")
    (12.35, True)
    """
    names = [keys] if isinstance(keys, str) else list(keys)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, Mapping):
        return {k: at_published_precision(v, [str(k)]) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [at_published_precision(v, names) for v in value]
    for name in names:
        value = published_precision(name, value)
    return value


def write_results(
    step: str,
    results: dict[str, Any],
    data_source: str,
    results_dir: Path | None = None,
    min_cell_size: int | None = None,
) -> Path:
    """Store one notebook's headline numbers in ``outputs/results/<step>.json``.

    Parameters
    ----------
    step : str
        Notebook step name, e.g. ``"01_content_analysis"``.
    results : dict
        Flat (or shallow) mapping of headline numbers.
    data_source : {"synthetic", "real"}
        Recorded in the file so no number travels without the data that made it.
    min_cell_size : int, optional
        When given, a respondent count (:func:`small_result_counts`) below it raises: the
        results file obeys the same rule as the tables.

    Floats, nested ones too, are written at the tables' printed precision (:func:`at_published_precision`).
    """
    if data_source not in DATA_LABELS:
        raise ValueError(f"data_source must be one of {sorted(DATA_LABELS)}, got {data_source!r}")
    if min_cell_size is not None:
        _floor(min_cell_size)
        bad = small_result_counts(results, min_cell_size)
        if bad:
            raise ValueError(
                f"results {step}: count(s) {bad} below min_cell_size={min_cell_size}; withhold them "
                "(e.g. civcomp.analyses.digital_survey.publishable_headlines) before writing"
            )
    payload = {"step": step, "data_source": data_source, **at_published_precision(results, [])}
    return write_json((results_dir or paths.RESULTS) / f"{step}.json", payload)


def read_results(step: str, results_dir: Path | None = None) -> dict[str, Any]:
    """Read ``outputs/results/<step>.json``."""
    with open((results_dir or paths.RESULTS) / f"{step}.json", encoding="utf-8") as fh:
        return json.load(fh)


def count_columns(columns: Iterable[str]) -> list[str]:
    """Columns that hold respondent counts by the naming convention (``n`` or ``n_*``)."""
    return [c for c in columns if c == "n" or str(c).startswith("n_")]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a spreadsheet formula: a text starting with = + - @ tab or CR gets a leading ``'``.

    OWASP's CSV-injection rule: spreadsheet programs execute a cell that starts with one of
    these characters (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``). Numbers, including text
    that reads as one (``-3.5``), are left alone; so is anything that is not text. A carriage
    return inside a text becomes a line feed (quoted by the CSV writer, it cannot start a new
    record there).

    Examples
    --------
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("+cmd|' /C calc'!A0"), safe_cell("@SUM(A1)")
    ("'=HYPERLINK(1)", "'+cmd|' /C calc'!A0", "'@SUM(A1)")
    >>> safe_cell("-3.5"), safe_cell("+1,5"), safe_cell(-2), safe_cell("leadership"), safe_cell(chr(9) + "x") == "'" + chr(9) + "x"
    ('-3.5', '+1,5', -2, 'leadership', True)
    """
    if not isinstance(value, str) or not value:
        return value
    hostile = value.startswith(FORMULA_START)
    if "\r" in value:  # a bare CR may go unquoted and start a new record (and cell) in some readers
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not hostile:
        return value
    try:
        float(value if value.count(",") != 1 else value.replace(",", "."))  # "+1,5": a number, decimal comma
        return value
    except ValueError:
        return "'" + value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`safe_cell` on every text cell, column name and index label of ``df`` (a copy).

    The one route for exports (CSV by :func:`write_table`, any XLSX or ``--out`` writer).

    Examples
    --------
    >>> safe_frame(pd.DataFrame({"id": ["=1+1", "P-1"], "n": [5, -6]}))["id"].tolist()
    ["'=1+1", 'P-1']
    """
    out = df.copy()
    for col in out.columns:
        if (
            out[col].dtype == object
            or pd.api.types.is_string_dtype(out[col])
            or isinstance(out[col].dtype, pd.CategoricalDtype)
        ):
            out[col] = out[col].astype(object).map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(safe_cell)
    return out


def write_table(
    df: pd.DataFrame,
    step: str,
    name: str,
    min_cell_size: int | None = None,
    tables_dir: Path | None = None,
    index: bool = False,
) -> Path:
    """Export an aggregate table as CSV (UTF-8 with BOM, ``\\n`` line ends, 6 significant decimals).

    The byte-order mark (:data:`CSV_ENCODING` ``utf-8-sig``) makes Excel detect UTF-8, so Cyrillic labels open
    readable with a double click; pandas reads it back with ``encoding="utf-8-sig"`` (its C parser also skips the
    mark under ``"utf-8"``), and :func:`read_table_csv` does both.

    When ``min_cell_size`` is given, the count columns (``n``/``n_*``) are checked:
    a value between 1 and ``min_cell_size - 1`` raises, because suppression must
    already have been applied (see :mod:`civcomp.stats.disclosure`). Text cells go through
    :func:`safe_frame` (no cell starts a spreadsheet formula).

    Examples
    --------
    >>> import tempfile
    >>> p = write_table(pd.DataFrame({"регион": ["Алматы"], "n": [12]}), "demo", "t",
    ...                 tables_dir=Path(tempfile.mkdtemp()))
    >>> p.read_bytes()[:3] == BOM, read_table_csv(p).columns.tolist()
    (True, ['регион', 'n'])
    """
    if min_cell_size is not None:
        _floor(min_cell_size)
        for col in count_columns(df.columns):
            vals = pd.to_numeric(df[col], errors="coerce")
            bad = vals[(vals > 0) & (vals < min_cell_size)]
            if len(bad):
                raise ValueError(
                    f"table {step}__{name}: column {col!r} has {len(bad)} unsuppressed cell(s) "
                    f"below min_cell_size={min_cell_size}"
                )
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=index, lineterminator="\n", float_format=CSV_FLOAT_FORMAT)
    return atomic_write((tables_dir or paths.TABLES) / f"{step}__{name}.csv", buf.getvalue().encode(CSV_ENCODING))


def read_table_csv(path: Path) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (BOM or not); suppressed cells come back as NA."""
    return pd.read_csv(path, encoding=CSV_ENCODING)


def save_figure(
    fig,
    step: str,
    name: str,
    data_source: str,
    figures_dir: Path | None = None,
    formats: tuple[str, ...] = ("png", "svg"),
    role: str = "data",
) -> list[Path]:
    """Save a matplotlib figure as PNG (report) and SVG (vector), with a data-source footer.

    The footer says which data produced the figure, so a figure copied out of the
    report still carries it (:func:`footer_text`; ``role`` is what the values are on the twin: ``data``,
    ``calibrated`` or ``illustration``, see :func:`civcomp.io.ledger.figure_role`). An illustration also
    carries the label :data:`civcomp.io.ledger.ILLUSTRATION` above the plot. SVG hashes are made
    reproducible by fixing the ``svg.hashsalt`` and omitting the creation date.
    """
    import matplotlib as mpl

    # below the figure's bottom edge: bbox_inches="tight" grows the canvas to hold it, so it never
    # overlaps tick labels
    fig.text(0.01, -0.01, footer_text(data_source, role), fontsize=6.5, color="#555555", ha="left", va="top")
    if data_source == "synthetic" and role == "illustration":  # above the top edge, for the same reason
        label = ILLUSTRATION[0].upper() + ILLUSTRATION[1:]
        fig.text(0.01, 1.01, label, fontsize=8, color="#9a3412", weight="bold", ha="left", va="bottom")
    out = []
    for fmt in formats:
        buf = io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": "civcomp", "svg.fonttype": "none"}):
            fig.savefig(
                buf,
                format=fmt,
                dpi=150,
                bbox_inches="tight",
                metadata={"Date": None} if fmt == "svg" else {"Software": None},
            )
        out.append(atomic_write((figures_dir or paths.FIGURES) / f"{step}__{name}.{fmt}", buf.getvalue()))
    return out


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (data files can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
