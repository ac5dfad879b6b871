"""pytest settings shared by the whole suite (unit tests, docstring examples, nbval).

The pipeline's ``outputs/`` is never written by a test, a doctest or an nbval cell.
Each pytest process (the controller and every xdist worker) points :data:`civcomp.paths.OUTPUTS_ENV` at
its own temporary copy of ``outputs/`` before anything imports :mod:`civcomp.paths`; the kernels that
nbval and the tests start inherit it. So whatever a test or a notebook executed by nbval writes lands
in that copy, and after ``make test`` the next ``civcomp reproduce`` finds every step cached.

The controller also records ``outputs/`` (names, sizes, modification times) when the session starts
and fails the session, naming the files, when anything below it changed by the end.

Under pytest-xdist (``--dist loadfile --no-loadscope-reorder``) a file's tests stay in one process and the
files are handed out in collection order; :func:`pytest_collection_modifyitems` puts the slowest files first
(as measured, ``tests/durations.json``), so that the workers finish together instead of one running a long
file alone at the end. A costly
read-only fixture (the synthetic twin, a stand-in's clean run) is built once per session through
:func:`once`, whichever worker asks first, and shared with the others.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
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
    _record_durations()
    after = _state(OUTPUTS)
    changed = sorted(k for k in _BEFORE.keys() | after.keys() if _BEFORE.get(k) != after.get(k))
    if changed:
        shown = ", ".join(changed[:10]) + (f" … ({len(changed)} files)" if len(changed) > 10 else "")
        print(f"\nthe tests changed the pipeline's outputs/ (they must write into temporary folders): {shown}")
        session.exitstatus = 1


# How long each file's tests take (test-seconds: setup, call and teardown), measured by a whole run with
# ``CIVCOMP_RECORD_DURATIONS=tests/durations.json make test``. The longest files are handed out first, so that
# the short ones fill in at the end; a file not measured yet counts as 0 s (handed out last, in collection order).
DURATIONS = ROOT / "tests" / "durations.json"
RECORD_ENV = "CIVCOMP_RECORD_DURATIONS"
_took: dict[str, float] = {}


def slowest_first() -> list[str]:
    took = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.is_file() else {}
    return sorted(took, key=lambda f: (-took[f], f))


def pytest_collection_modifyitems(session, config, items):
    """The slowest files first (a stable sort by file: each file's tests keep their order, nbval's cells too)."""
    rank = {f: i for i, f in enumerate(slowest_first())}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_runtest_logreport(report):
    """With ``CIVCOMP_RECORD_DURATIONS`` set, the controller adds up each file's test-seconds."""
    if os.environ.get(RECORD_ENV) and not os.environ.get("PYTEST_XDIST_WORKER"):
        f = report.nodeid.split("::", 1)[0]
        _took[f] = _took.get(f, 0.0) + report.duration


def _record_durations() -> None:
    if os.environ.get(RECORD_ENV) and not os.environ.get("PYTEST_XDIST_WORKER") and _took:
        out = {f: round(s, 1) for f, s in sorted(_took.items(), key=lambda kv: (-kv[1], kv[0]))}
        Path(os.environ[RECORD_ENV]).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


def pytest_unconfigure(config):
    shutil.rmtree(_SCRATCH, ignore_errors=True)


@pytest.fixture(scope="session")
def once(tmp_path_factory) -> Callable[[str, Callable[[Path], None]], Path]:
    """``once(name, build)``: the folder that ``build(folder)`` filled, built once per session — by the first
    test process that asks, while the others wait for it — and read-only for every test that shares it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, above every worker's own

    def get(name: str, build: Callable[[Path], None]) -> Path:
        folder = base / f"once-{name}"
        with open(base / f"once-{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if build() raised
            if not (base / f"once-{name}.done").exists():
                shutil.rmtree(folder, ignore_errors=True)  # a build that failed in another process
                folder.mkdir()
                build(folder)
                (base / f"once-{name}.done").touch()
        return folder

    return get


@pytest.fixture(scope="session")
def fresh_twin(once):
    """One freshly written synthetic twin per session, read-only for the tests that share it:
    ``(package folder, {file name: sha256})`` with the files in ``<package folder>/synthetic``."""
    from civcomp import synth
    from civcomp.io import params

    def build(root: Path) -> None:
        hashes = synth.synthesize(int(params.load_global()["seed"]), out_dir=root / "synthetic", verbose=False)
        (root / "hashes.json").write_text(json.dumps(hashes))

    root = once("twin-package", build)
    return root, json.loads((root / "hashes.json").read_text())
