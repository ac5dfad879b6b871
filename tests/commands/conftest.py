"""Fixtures of the small real-mode tests (``test_small_real*.py``): the twin the files are drawn from, and a
real-mode params/ folder around files of each size (:mod:`small_real`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from civcomp.synth import generate_all

sys.path.insert(0, str(Path(__file__).parent))
from small_real import DATASET, SIZES, make_real  # noqa: E402


@pytest.fixture(scope="module")
def twins() -> dict[str, pd.DataFrame]:
    return generate_all(20250412, only=list(DATASET.values()))


@pytest.fixture(params=SIZES, ids=[f"n{n}" for n in SIZES])
def real(request, tmp_path, monkeypatch, twins):
    """A params/ folder in real mode pointing at small files outside the repository; outputs in ``tmp_path``."""
    return make_real(request.param, tmp_path, monkeypatch, twins)
