"""The stand-in project's clean run, done once per session (by whichever test process asks first) and copied
by each test that needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from standin_project import copy_of, make_project

from civcomp.runner.execute import run


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
