"""pytest settings shared by the whole suite (unit tests, docstring examples, nbval).

The pipeline's ``outputs/`` is never written by a test, a doctest or an nbval cell.
Each pytest process (the controller and every xdist worker) points :data:`civcomp.paths.OUTPUTS_ENV` at
its own temporary copy of ``outputs/`` before anything imports :mod:`civcomp.paths`; the kernels that
nbval and the tests start inherit it. So whatever a test or a notebook executed by nbval writes lands
in that copy, and after ``make test`` the next ``civcomp reproduce`` finds every step cached.

The controller also records ``outputs/`` (names, sizes, modification times) when the session starts
and fails the session, naming the files, when anything below it changed by the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# notebooks/*.py are the jupytext sources of the notebooks, not modules: never import them
collect_ignore_glob = ["notebooks/*.py", "notebooks/*.nbconvert.ipynb"]  # nbconvert --execute leaves these

# In CI the property-based tests draw the same examples every run (a red build is reproducible),
# and a slow shared machine is not mistaken for a slow strategy.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent
OUTPUTS = ROOT / "outputs"
OUTPUTS_ENV = "CIVCOMP_OUTPUTS"  # civcomp.paths.OUTPUTS_ENV (not imported here: it must be set first)


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (st.st_size, st.st_mtime_ns)
        for p in folder.rglob("*")
        if not p.is_dir() and (st := p.lstat())
    }


_SCRATCH = Path(tempfile.mkdtemp(prefix="civcomp-tests-"))
if OUTPUTS.is_dir():
    shutil.copytree(OUTPUTS, _SCRATCH / "outputs", symlinks=True, ignore=shutil.ignore_patterns("run.lock"))
else:
    (_SCRATCH / "outputs").mkdir()
os.environ[OUTPUTS_ENV] = str(_SCRATCH / "outputs")
_BEFORE = _state(OUTPUTS)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the controller checks once, over every worker's tests
        return
    after = _state(OUTPUTS)
    changed = sorted(k for k in _BEFORE.keys() | after.keys() if _BEFORE.get(k) != after.get(k))
    if changed:
        shown = ", ".join(changed[:10]) + (f" … ({len(changed)} files)" if len(changed) > 10 else "")
        print(f"\nthe tests changed the pipeline's outputs/ (they must write into temporary folders): {shown}")
        session.exitstatus = 1


def pytest_unconfigure(config):
    shutil.rmtree(_SCRATCH, ignore_errors=True)


@pytest.fixture(scope="session")
def fresh_twin(tmp_path_factory):
    """One freshly written synthetic twin per test process, read-only for the tests that share it:
    ``(package folder, {file name: sha256})`` with the files in ``<package folder>/synthetic``."""
    from civcomp import synth
    from civcomp.io import params

    root = tmp_path_factory.mktemp("twin-package")
    hashes = synth.synthesize(int(params.load_global()["seed"]), out_dir=root / "synthetic", verbose=False)
    return root, hashes

