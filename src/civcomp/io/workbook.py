"""``outputs/tables.xlsx``: every exported table in one Excel workbook, a README sheet first.

The CSV files of ``outputs/tables/`` (:func:`civcomp.io.outputs.write_table`) are the reference; the
workbook repeats them for readers who open one file, written byte-identically for the same tables
(fixed document properties and zip timestamps) through :func:`civcomp.io.outputs.atomic_write`.
"""

from __future__ import annotations

import datetime as dt
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
from civcomp.io.outputs import DATA_LABELS, atomic_write, read_table_csv, safe_frame

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
    >>> from civcomp.io.outputs import write_results, write_table
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
            "zero. The *_suppressed_cells sheets list the suppressed cells (positions only, one marker).",
        ],
        [  # this text is part of the workbook's bytes: change it only with a re-recorded baseline
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
