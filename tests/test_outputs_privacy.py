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
    out = [f"{name}: row {i}, column {c!r} holds {v:g} < min_cell_size={min_cell_size}"
           for i, c, v in small_cells(table, min_cell_size)]
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
