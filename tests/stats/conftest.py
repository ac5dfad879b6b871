"""Fixtures shared by the intruder tests (``test_intruder*.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def twin_surveys(once) -> Callable[[], tuple[pd.DataFrame, pd.DataFrame]]:
    """``twin_surveys()``: the twin's capacity_survey and appraisal_360 as :func:`civcomp.io.load.load` returns
    them. Loaded and validated once per session (seconds on 656,520 rows) and shared as a read-only pickle; each
    call unpickles its own copy. A callable, so that a test module can skip before the twin is read."""
    from civcomp.io import load as data

    def build(folder: Path) -> None:
        pd.to_pickle((data.load("capacity_survey"), data.load("appraisal_360")), folder / "twin.pkl")

    return lambda: pd.read_pickle(once("twin-surveys", build) / "twin.pkl")
