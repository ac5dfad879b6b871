"""No exported table discloses respondents: scans every CSV in outputs/tables/.

Rules: no count column (``n``, ``n_*``) holds a value in 1 … min_cell_size-1 (suppressed cells are
empty), no table carries a respondent identifier, and no table has as many rows as a
respondent-level dataset (a sign that microdata were written out)."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

from civcomp import paths
from civcomp.io import params
from civcomp.io.codebook import load_codebook
from civcomp.stats.disclosure import small_cells

RESPONDENT_DATASETS = ("digital_survey", "capacity_survey", "appraisal_360")
ID_COLUMNS = {"respondent_id"}
TABLES = sorted(paths.TABLES.glob("*.csv")) if paths.TABLES.is_dir() else []


def _n_rows(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1


@functools.lru_cache(maxsize=1)
def respondent_row_counts() -> frozenset[int]:
    """Row counts of the respondent-level files: published sizes and the files present on disk."""
    counts = set()
    for name in RESPONDENT_DATASETS:
        cb = load_codebook(name)
        if cb.n_published:
            counts.add(int(cb.n_published))
        f = paths.SYNTHETIC / f"{name}.synthetic.csv"
        if f.is_file():
            counts.add(_n_rows(f))
    return frozenset(counts)


def problems(table: pd.DataFrame, name: str, min_cell_size: int, respondent_rows: set[int]) -> list[str]:
    out = [
        f"{name}: row {i}, column {c!r} holds {v:g} < min_cell_size={min_cell_size}"
        for i, c, v in small_cells(table, min_cell_size)
    ]
    out += [f"{name}: has an identifier column {c!r}" for c in table.columns if c in ID_COLUMNS]
    if len(table) in respondent_rows:
        out.append(f"{name}: {len(table)} rows, as many as a respondent-level file")
    return out


@pytest.fixture(scope="module")
def min_cell_size() -> int:
    return int(params.load_global()["min_cell_size"])


def test_checker_catches_each_kind_of_leak(min_cell_size):
    rows = {200}
    assert problems(pd.DataFrame({"n_x": [12, 0, pd.NA]}), "ok", min_cell_size, rows) == []
    assert "holds 3" in problems(pd.DataFrame({"n_x": [12, 3]}), "t", min_cell_size, rows)[0]
    assert "identifier" in problems(pd.DataFrame({"respondent_id": ["A"]}), "t", min_cell_size, rows)[0]
    assert "as many as" in problems(pd.DataFrame({"x": range(200)}), "t", min_cell_size, rows)[0]


def test_respondent_sizes_known():
    assert {200, 10942} <= respondent_row_counts()


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_exported_table_is_safe(path, min_cell_size):
    table = pd.read_csv(path)
    assert problems(table, path.name, min_cell_size, respondent_row_counts()) == []


# --- same rule beyond the tables: results JSON --------------------------------------------------------------------
RESPONDENT_STEPS = ("02_digital_survey", "03_innovative_capacity", "04_appraisal_360")  # 01 codes public postings
RESULTS = (
    sorted(p for p in paths.RESULTS.glob("*.json") if p.stem in RESPONDENT_STEPS) if paths.RESULTS.is_dir() else []
)


@pytest.mark.parametrize("path", RESULTS, ids=[p.name for p in RESULTS])
def test_results_hold_no_small_count(path, min_cell_size):
    import json

    from civcomp.io.outputs import small_result_counts

    results = json.loads(path.read_text(encoding="utf-8"))
    assert small_result_counts(results, min_cell_size) == []


# --- safe exports: no cell starts a spreadsheet formula -------------------------------------------------------------
HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\tx",
    "\r=1+1",
]


def _formula_cells(path: Path) -> list[str]:
    import csv

    bad = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    try:
                        float(cell)
                    except ValueError:
                        bad.append(cell)
    return bad


def test_write_table_neutralises_formulas(tmp_path):
    from civcomp.io.outputs import write_table

    df = pd.DataFrame(
        {
            "id": HOSTILE,
            "text": [f"see {h}" for h in HOSTILE],
            "n": [5, -6, 7, 8, 9, 10],
            "delta": ["-3.5", "+2", "-1e-3", "0", "1", "2"],
        }
    )
    p = write_table(df, "t", "hostile", tables_dir=tmp_path)
    assert _formula_cells(p) == []
    back = pd.read_csv(p)
    assert back["id"].str.startswith("'").all() and back["delta"].tolist()[:2] == [-3.5, 2.0]


def test_code_postings_out_neutralises_hostile_ids(tmp_path, capsys):
    from civcomp.commands import code_postings

    src = tmp_path / "postings.csv"
    pd.DataFrame({"id": HOSTILE[:4], "text": ["Требуется знание Excel и 1С"] * 4}).to_csv(src, index=False)
    out = tmp_path / "coded.csv"
    assert code_postings.cli([str(src), "--out", str(out)]) == 0
    assert _formula_cells(out) == [] and len(pd.read_csv(out)) == 4


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_exported_table_starts_no_formula(path):
    assert _formula_cells(path) == []


def test_A2_nested_results_floats_are_written_at_printed_precision(tmp_path):
    """A list or mapping inside a results file (a CI, a per-group mapping) obeys the same rule as a flat key."""
    from civcomp.io.outputs import write_results
    from civcomp.stats.intruder_audit import json_leaks

    res = {"mean_ci": [7.4312345, 7.8898765], "by_level": {"share_central": 0.123456789, "mean_regional": 7.012345}}
    path = write_results("01_x", res, "real", results_dir=tmp_path)
    assert json_leaks(path) == []
    assert read_json(path)["mean_ci"] == [7.43, 7.89] and read_json(path)["by_level"]["share_central"] == 0.1235


def read_json(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8"))
