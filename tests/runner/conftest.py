"""The stand-in project's clean runs, each done once per session (by whichever test process asks first) and
copied by each test that needs it: ``data → a → c → html_report`` on one slot, and the shape with ``b``
(``data → a, b → c → html_report``) on two slots."""

from __future__ import annotations

from pathlib import Path

import pytest
from standin_project import copy_of, make_project

from civcomp.runner.execute import run

WITH_B = {"with_b": True}


@pytest.fixture(scope="session")
def standin_clean(once) -> Path:
    def build(folder: Path) -> None:
        statuses = {o.name: o.status for o in run(make_project(folder / "project"), echo=lambda s: None)}
        assert set(statuses.values()) == {"ran"}, statuses

    return once("standin-clean-run", build) / "project"


@pytest.fixture()
def standin(standin_clean, tmp_path):
    """A fresh copy of the stand-in after its clean run (every step cached)."""
    return copy_of(standin_clean, tmp_path / "project")


@pytest.fixture(scope="session")
def standin_b_clean(once) -> Path:
    """The stand-in with ``b`` after a clean run on two slots (every step ran): copy it, never edit it."""

    def build(folder: Path) -> None:
        out = {o.name: o.status for o in run(make_project(folder / "project", **WITH_B), jobs=2, echo=lambda s: None)}
        assert out == {"data": "ran", "a": "ran", "b": "ran", "c": "ran", "html_report": "ran"}, out

    return once("standin-b-clean-run", build) / "project"


@pytest.fixture()
def standin_b(standin_b_clean, tmp_path):
    """A copy of the stand-in with ``b`` after its clean run, in ``tmp_path`` itself (every step cached)."""
    return copy_of(standin_b_clean, tmp_path, **WITH_B)
