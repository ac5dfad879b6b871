"""Fixtures of the small real-mode tests (``test_small_real*.py``): the twin the files are drawn from, a
real-mode params/ folder around files of each size (:mod:`small_real`), and notebooks 02 and 03 run once per
size on them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from civcomp.synth import generate_all

sys.path.insert(0, str(Path(__file__).parent))
from small_real import DATASET, SIZES, make_real, run_notebook  # noqa: E402


@pytest.fixture(scope="session")
def twins(once) -> dict[str, pd.DataFrame]:
    """The twin's two surveys, generated once per session (read-only: the files are samples of it)."""

    def build(folder: Path) -> None:
        pd.to_pickle(generate_all(20250412, only=list(DATASET.values())), folder / "twins.pkl")

    return pd.read_pickle(once("small-real-twins", build) / "twins.pkl")


@pytest.fixture(params=SIZES, ids=[f"n{n}" for n in SIZES])
def real(request, tmp_path, monkeypatch, twins):
    """A params/ folder in real mode pointing at small files outside the repository; outputs in ``tmp_path``."""
    return make_real(request.param, tmp_path, monkeypatch, twins)


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory, twins) -> Callable[[int], dict]:
    """``real_runs(n)``: notebooks 02 and 03 run to the end in real mode on the ``n``-respondent files, once per
    size in this test process — :func:`small_real.make_real`'s dict with ``namespaces`` (each notebook's
    variables). civcomp's paths are restored afterwards: read the run's files through ``outputs``."""
    done: dict[int, dict] = {}

    def get(n: int) -> dict:
        if n not in done:
            with pytest.MonkeyPatch.context() as monkeypatch:
                run = make_real(n, tmp_path_factory.mktemp(f"real_run_n{n}"), monkeypatch, twins)
                run["namespaces"] = {step: run_notebook(step) for step in DATASET}
            done[n] = run
        return done[n]

    return get


@pytest.fixture(params=SIZES, ids=[f"n{n}" for n in SIZES])
def real_run(request, real_runs) -> dict:
    """Notebooks 02 and 03 after their one real-mode run on the files of each size (:func:`real_runs`)."""
    return real_runs(request.param)
