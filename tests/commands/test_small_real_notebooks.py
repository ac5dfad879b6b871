"""Real mode on small files: notebooks 02 and 03 run to the end on 60, 80 and 300 respondents (their own cells,
in this process, against a real-mode ``params/`` folder; files and folder from :mod:`small_real`). Each notebook
runs once per size (``real_run``, tests/commands/conftest.py); every test of that size reads that run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from civcomp.io.outputs import read_table_csv

sys.path.insert(0, str(Path(__file__).parent))
from small_real import DATASET, K  # noqa: E402


@pytest.mark.parametrize("step", list(DATASET))
def test_R3_notebooks_02_and_03_run_to_the_end_in_real_mode(real_run, step):
    real, ns = real_run, real_run["namespaces"][step]
    got = json.loads((real["outputs"] / "results" / f"{step}.json").read_text())
    assert got["data_source"] == "real" and ns["data_source"] == "real"
    n_key = "n_respondents" if step == "02_digital_survey" else "n_regional"
    frame = real["files"][DATASET[step]]
    expected = len(frame) if step == "02_digital_survey" else int((frame["level"].astype(str) == "regional").sum())
    assert got[n_key] == expected  # the small file was read, not the twin
    figures = list((real["outputs"] / "figures").iterdir())  # both notebooks': each has its own
    assert {p.suffix for p in figures} == {".png", ".svg"}
    assert {p.suffix for p in figures if p.name.startswith(f"{step}__")} == {".png", ".svg"}
    for table in (real["outputs"] / "tables").glob(f"{step}__*.csv"):
        t = read_table_csv(table)
        for col in [c for c in t.columns if c == "n" or c.startswith("n_")]:
            v = pd.to_numeric(t[col], errors="coerce")
            assert not ((v > 0) & (v < K)).any(), f"{table.name}: {col}"
