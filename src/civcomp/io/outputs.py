"""Atomic, deterministic writers for everything a notebook exports to ``outputs/``.

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
* workbook: ``outputs/tables.xlsx`` — every table in one workbook, a README sheet first
  (:func:`write_workbook`).

Size: every writer to ``outputs/`` shares one atomic, deterministic write path; splitting the workbook writer
off would split that contract.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.io import atomic, params

CSV_ENCODING = "utf-8-sig"  # exported tables: UTF-8 with a byte-order mark, so Excel detects the encoding
BOM = b"\xef\xbb\xbf"

DATA_LABELS = {
    "synthetic": "SYNTHETIC TWIN — simulated data calibrated to the published aggregates, not the survey microdata",
    "real": "REAL MICRODATA — the study's survey files",
    # h15: external figures redrawn from numbers the paper prints (no dataset involved)
    "published": "PUBLISHED NUMBERS — redrawn from values printed in the paper, not from any dataset",
}


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


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value


def dumps_json(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, NaN as null, trailing newline."""
    return (json.dumps(_jsonable(obj), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, obj: Any) -> Path:
    """Write ``obj`` as canonical JSON, atomically."""
    return atomic_write(path, dumps_json(obj))


NOT_RESPONDENT_COUNTS = (
    "n_suppressed_",
    "_competencies",
    "n_factors",
    "n_communalities",
    "sem_n_",
)  # cells, items, factors, model variables


def small_result_counts(results: dict[str, Any], min_cell_size: int) -> list[str]:
    """Keys of ``results`` that hold a respondent count of 1 … ``min_cell_size - 1``.

    A count is a key named ``n``, ``n_*``, ``*_n``, ``*_n_*`` or ``*_base_*`` with an integer
    value (the convention of the tables' count columns).

    Examples
    --------
    >>> small_result_counts({"n_x": 3, "barrier_base_central": 4, "share": 0.5, "n_y": 0, "n_suppressed_primary": 2}, 5)
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
    payload = {"step": step, "data_source": data_source, **results}
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
    safe_frame(df).to_csv(buf, index=index, lineterminator="\n", float_format="%.6g")
    return atomic_write((tables_dir or paths.TABLES) / f"{step}__{name}.csv", buf.getvalue().encode(CSV_ENCODING))


def read_table_csv(path: Path) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (BOM or not); suppressed cells come back as NA."""
    return pd.read_csv(path, encoding=CSV_ENCODING)


# ------------------------------------------------------------------------------------------ the workbook

WORKBOOK_TIME = (2000, 1, 1, 0, 0, 0)  # fixed document and zip timestamps: reruns are byte-identical
SHEET_MAX = 31
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_names(stems: Iterable[str]) -> dict[str, str]:
    """Excel sheet name of each table (CSV stem): ``NN_name`` (step number + table name), at most 31
    characters, without ``[]:*?/\\``, unique (case-insensitively, as Excel requires; ``README`` is taken).

    Examples
    --------
    >>> names = sheet_names(["02_digital_survey__table3_responsibilities_by_position",
    ...                      "02_digital_survey__table3_responsibilities_by_position_x", "99_x__README"])
    >>> list(names.values())
    ['02_table3_responsibilities_by_p', '02_table3_responsibilities_by~2', '99_README']
    """
    taken, out = {"readme"}, {}
    for stem in stems:
        step, sep, name = stem.partition("__")
        prefix = step.split("_", 1)[0] if sep else ""
        base = (f"{prefix}_{name}" if prefix else stem).translate(_SHEET_BAD).strip("'") or "table"
        cand, k = base[:SHEET_MAX], 1
        while cand.casefold() in taken:
            k += 1
            cand = base[: SHEET_MAX - len(f"~{k}")] + f"~{k}"
        taken.add(cand.casefold())
        out[stem] = cand
    return out


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v)  # characters XML (so .xlsx) cannot hold
    return v


def _zip_deterministic(data: bytes) -> bytes:
    import zipfile

    y, mo, d, h, mi, s = WORKBOOK_TIME
    stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z"
    src, buf = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), body)
            z = zipfile.ZipInfo(info.filename, date_time=WORKBOOK_TIME)
            z.compress_type, z.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(z, body)
    return buf.getvalue()


def write_workbook(
    tables_dir: Path | None = None,
    out_path: Path | None = None,
    results_dir: Path | None = None,
    min_cell_size: int | None = None,
) -> Path:
    """Every exported table (``outputs/tables/*.csv``) in one Excel workbook, ``outputs/tables.xlsx``.

    The first sheet, ``README``, says which data produced the tables (``data_source`` of each step's
    ``outputs/results/<step>.json``), what suppressed cells look like, and maps every sheet to its CSV file;
    then one sheet per table, in file-name order (names from :func:`sheet_names`), header row frozen. Numbers
    stay numbers; suppressed cells (NA in the CSV) are empty. Written atomically and byte-identically for the
    same tables (fixed document properties and zip timestamps).

    Parameters
    ----------
    tables_dir : Path, optional
        Folder of the CSV tables; default ``outputs/tables/``.
    out_path : Path, optional
        The workbook; default ``outputs/tables.xlsx``.
    results_dir : Path, optional
        Folder of the results JSON; default ``results/`` beside ``tables_dir``.
    min_cell_size : int, optional
        Stated in the README sheet (default: "``min_cell_size`` of ``params/global.yaml``").

    Returns
    -------
    Path
        ``out_path``.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_table(pd.DataFrame({"регион": ["Алматы", "Астана"], "n": [12, None]}), "02_demo", "by_region",
    ...                 tables_dir=d / "tables")
    >>> _ = write_results("02_demo", {}, "synthetic", results_dir=d / "results")
    >>> wb = openpyxl.load_workbook(write_workbook(d / "tables", d / "tables.xlsx"))
    >>> wb.sheetnames, [c.value for c in wb["02_by_region"][3]]
    (['README', '02_by_region'], ['Астана', None])
    """
    import openpyxl
    from openpyxl.styles import Font

    tables_dir = Path(tables_dir or paths.TABLES)
    out_path = Path(out_path or paths.OUTPUTS / "tables.xlsx")
    results_dir = Path(results_dir or tables_dir.parent / "results")
    csvs = sorted(tables_dir.glob("*.csv"))
    names = sheet_names(p.stem for p in csvs)
    sources: dict[str, str] = {}
    for f in sorted(results_dir.glob("*.json")):
        try:
            sources[f.stem] = str(json.loads(f.read_text(encoding="utf-8")).get("data_source", "unknown"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{f}: not a readable results file ({exc})") from None
    bold = Font(bold=True)
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "README"
    used = sorted({sources.get(p.stem.partition("__")[0], "unknown") for p in csvs})
    cell_rule = f"fewer than {min_cell_size}" if min_cell_size else "fewer than min_cell_size (params/global.yaml)"
    rows: list[list[Any]] = [
        ["civcomp — every exported table (outputs/tables/*.csv) in one workbook"],
        [],
        ["Data", "; ".join(f"{u}: {DATA_LABELS.get(u, 'no results file names the data')}" for u in used) or "—"],
        [
            "Suppressed cells",
            f"Counts of {cell_rule} respondents, and the cells that would reveal them (secondary "
            "suppression), are EMPTY cells here and empty fields in the CSV files. A 0 is a true "
            "zero. The *_suppressed_cells sheets list the suppressed cells and why.",
        ],
        [
            "Source",
            "Generated by civcomp.io.outputs.write_workbook from the CSV files; the CSV files are the "
            "reference (UTF-8 with BOM).",
        ],
        [],
        ["sheet", "CSV file", "step", "data_source", "rows", "columns"],
    ]
    frames = {}
    for p in csvs:
        try:
            frames[p] = read_table_csv(p)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"{p}: cannot read the table for the workbook ({exc})") from None
        step = p.stem.partition("__")[0]
        rows.append(
            [names[p.stem], f"tables/{p.name}", step, sources.get(step, "unknown"), len(frames[p]), frames[p].shape[1]]
        )
    for r in rows:
        readme.append(r)
    for r in (1, 3, 4, 5, 7):
        readme.cell(r, 1).font = bold
    for c in range(2, 7):
        readme.cell(7, c).font = bold
    readme.column_dimensions["A"].width, readme.column_dimensions["B"].width = 34, 60
    for p, df in frames.items():
        ws = wb.create_sheet(names[p.stem])
        ws.append([str(c) for c in df.columns])
        for c in ws[1]:
            c.font = bold
        for rec in safe_frame(df).itertuples(index=False, name=None):
            ws.append([_cell(v) for v in rec])
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text, never a formula
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200).tolist()])
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(max(width + 2, 8), 60)
    stamp = dt.datetime(*WORKBOOK_TIME)
    wb.properties.creator, wb.properties.lastModifiedBy = "civcomp", "civcomp"
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write(out_path, _zip_deterministic(buf.getvalue()))


def save_figure(
    fig,
    step: str,
    name: str,
    data_source: str,
    figures_dir: Path | None = None,
    formats: tuple[str, ...] = ("png", "svg"),
) -> list[Path]:
    """Save a matplotlib figure as PNG (report) and SVG (vector), with a data-source footer.

    The footer says which data produced the figure, so a figure copied out of the
    report still carries it. SVG hashes are made reproducible by fixing the
    ``svg.hashsalt`` and omitting the creation date.
    """
    import matplotlib as mpl

    # below the figure's bottom edge: bbox_inches="tight" grows the canvas to hold it, so it never
    # overlaps tick labels
    fig.text(0.01, -0.01, f"Data: {DATA_LABELS[data_source]}", fontsize=6.5, color="#555555", ha="left", va="top")
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


def show_figure(fig, step: str, name: str, data_source: str, figures_dir: Path | None = None) -> None:
    """The one call a notebook makes for a figure: lay it out, save it (:func:`save_figure`), show it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    save_figure(fig, step, name, data_source, figures_dir)
    plt.show()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (data files can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def banner_markdown(data_source: str, seed: int | None = None) -> str:
    """A Markdown banner that states plainly which data produced the results below it."""
    label = DATA_LABELS[data_source]
    extra = f" (generator seed {seed})" if seed is not None and data_source == "synthetic" else ""
    note = (
        "Agreement with the papers here checks the pipeline, not the papers."
        if data_source == "synthetic"
        else "These results are a replication on the study's own data."
    )
    return f"> **Data: {label}{extra}.** {note}"


def headline_text(results: dict[str, Any], keys: Iterable[str] | None = None, digits: int = 4) -> str:
    """Stable text of headline numbers for the notebook cell that nbval checks.

    Floats are rounded to ``digits`` decimals so the recorded output tracks the
    numbers a reader sees, not the last bit of floating point.

    Examples
    --------
    >>> print(headline_text({"share": 0.66911764, "n": 408, "data_source": "synthetic"}))
    data_source: synthetic
    n: 408
    share: 0.6691
    """
    keys = sorted(results) if keys is None else list(keys)
    lines = []
    for k in keys:
        v = _jsonable(results[k])
        if isinstance(v, float):
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
