"""The cache checks what it claims: recorded outputs verified by hash, one parameter snapshot per run, a run
lock, a stale report marked, FAILED notebooks cleared, partial real data, and SIGKILL at any point of a run
followed by a normal run ending byte-identical to a clean run (on the stand-in project of tiny notebooks,
:mod:`standin_project`, the shape with ``b``).

The project's clean run is done once per session (``standin_b_clean``, tests/runner/conftest.py); a test that
starts from it works on its own copy."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import standin_project

from civcomp.io import params as params_mod
from civcomp.runner.execute import RunLocked, _lock, run
from civcomp.runner.graph import Project

RUNNER = textwrap.dedent("""\
    import pathlib, sys
    sys.path.insert(0, {here!r})
    from standin_project import make_project
    from civcomp.runner.execute import run

    if __name__ == "__main__":
        run(make_project(pathlib.Path({root!r}), fresh=False, with_b=True), jobs=2, echo=print)
    """)


def make_project(root: Path, **kw) -> Project:
    """The stand-in with ``b`` (:mod:`standin_project`)."""
    return standin_project.make_project(root, with_b=True, **kw)


def quiet(s):
    return None


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


@pytest.fixture()
def clean(standin_b) -> Project:
    """A copy of the clean run in ``tmp_path`` (its cache records are relative: the copy is cached too)."""
    return standin_b


def test_output_edited_behind_the_runners_back_reruns_that_step(clean, tmp_path):
    p = clean
    assert set(statuses(run(p, echo=quiet)).values()) == {"cached"}
    res = tmp_path / "outputs/results/b.json"
    res.write_text(res.read_text().replace("63", "42"))  # e.g. a JupyterLab run with other values
    out = statuses(run(p, echo=quiet))
    assert out == {"data": "cached", "a": "cached", "b": "ran", "c": "cached", "html_report": "cached"}
    assert json.loads(res.read_text())["value"] == 63
    (tmp_path / "outputs/tables/a__extra.csv").write_text("x\n")  # a file the step did not record
    assert statuses(run(p, only=["a"], echo=quiet))["a"] == "ran"
    assert not (tmp_path / "outputs/tables/a__extra.csv").exists()
    (tmp_path / "data.txt").write_text("seed=99\n")  # an input edited: the data step and its dependents
    out = statuses(run(p, echo=quiet))
    assert out["data"] == "ran" and out["a"] == "cached"  # same bytes written again: downstream stays valid


def test_parameters_are_read_once_per_run(clean, tmp_path):
    """A run uses the parameters it read when it started (b is forced, so it runs after the edit)."""
    p = clean
    snap = params_mod.snapshot(("a", "b", "c"), p.params, p.notebooks, p.root)
    (tmp_path / "params/b.yaml").write_text("factor: 5\n")  # edited while the run is under way
    assert statuses(run(p, only=["b"], force=True, echo=quiet, snap=snap)) == {"data": "ran", "b": "ran"}
    assert json.loads((tmp_path / "outputs/results/b.json").read_text())["value"] == 63  # the snapshot's 3
    out = statuses(run(p, echo=quiet))  # the next run sees the edit
    assert out["b"] == "ran" and json.loads((tmp_path / "outputs/results/b.json").read_text())["value"] == 105


def test_second_concurrent_run_is_refused(tmp_path):
    p = make_project(tmp_path)
    held = _lock(p)
    try:
        with pytest.raises(RunLocked, match="another civcomp reproduce is running"):
            run(p, echo=quiet)
    finally:
        held.close()
    assert statuses(run(p, only=["a"], echo=quiet))["a"] == "ran"  # released: runs again


def test_failure_marks_report_stale_and_success_clears_failed(clean, tmp_path):
    page = tmp_path / "outputs/report/index.html"
    assert "STALE" not in page.read_text()
    failing = make_project(tmp_path, failing=True)
    lines: list[str] = []
    out = statuses(run(failing, echo=lines.append))
    assert out["c"] == "failed" and out["html_report"] == "skipped"
    assert "STALE" in page.read_text() and any("marked STALE" in s for s in lines)
    assert "STALE" in (tmp_path / "outputs/report/paper-000.html").read_text()  # every page of the report
    assert (tmp_path / "build/failed/c.FAILED.ipynb").exists()
    assert any(s.strip() == "start   c" for s in lines)  # a line when a step starts, too
    fixed = make_project(tmp_path)
    out = statuses(run(fixed, echo=quiet))
    assert out["c"] == "ran" and out["html_report"] == "ran"
    assert "STALE" not in page.read_text() and not (tmp_path / "build/failed/c.FAILED.ipynb").exists()
    assert "STALE" not in (tmp_path / "outputs/report/paper-000.html").read_text()


def test_partial_real_data_runs_what_it_can(tmp_path):
    p = make_project(tmp_path)
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/postings.csv").write_text("x\n")
    (tmp_path / "params/global.yaml").write_text(
        "seed: 1\ndata_source: real\nreal_data:\n  postings: data/raw/postings.csv\n  capacity_survey: data/raw/cap.sav\n"
    )
    lines: list[str] = []
    out = run(p, echo=lines.append)
    st = statuses(out)
    assert st == {"data": "ran", "a": "ran", "b": "skipped", "c": "skipped", "html_report": "skipped"}
    assert "needs capacity_survey — data/raw/cap.sav not found" in "\n".join(lines)
    assert statuses(run(p, only=["a"], echo=quiet)) == {"data": "cached", "a": "cached"}


def _outputs(root: Path) -> dict[str, bytes]:
    """Every byte the pipeline's outputs hold, except the executed notebooks' timings."""
    files = {"data.txt": (root / "data.txt").read_bytes()}
    for sub in ("results", "tables", "figures"):
        for f in sorted((root / "outputs" / sub).glob("*")):
            files[f"{sub}/{f.name}"] = f.read_bytes()
    return files


def _wrote_seed_7(root: Path) -> bool:
    for f in (root / "outputs/tables").glob("*.csv"):
        try:
            if f.read_text().startswith("7,"):
                return True
        except OSError:  # removed by the runner meanwhile
            pass
    return False


def _tree_state(root: Path) -> dict[str, float]:
    return {str(f): f.stat().st_mtime_ns for f in (root / "outputs").rglob("*") if f.is_file()}


def test_sigkill_then_normal_run_is_byte_identical_to_a_clean_run(clean, tmp_path):
    """SIGKILL a seed-7 run at several points (each after its first table), restore the seed, run normally."""
    p = clean
    expected = _outputs(tmp_path)  # the clean run's: the bytes every later normal run must give back
    (tmp_path / "pause.txt").write_text("0.25")  # the killed runs write their tables over time
    script = tmp_path / "runner.py"
    script.write_text(RUNNER.format(here=str(Path(__file__).parent), root=str(tmp_path)))
    for kill_after in (0.3, 1.5, 3.0):
        (tmp_path / "params/global.yaml").write_text("seed: 7\ndata_source: synthetic\n")
        proc = subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path
        )
        deadline = time.time() + 120
        while not _wrote_seed_7(tmp_path):  # the first table of the seed-7 run, then wait, then SIGKILL
            assert time.time() < deadline and proc.poll() is None, "the seed-7 run wrote nothing"
            time.sleep(0.05)
        time.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(1.0)  # orphaned workers and kernels notice within a fraction of a second
        before = _tree_state(tmp_path)
        time.sleep(1.5)
        assert _tree_state(tmp_path) == before, f"something kept writing after the runner was killed ({kill_after} s)"
    (tmp_path / "params/global.yaml").write_text("seed: 1\ndata_source: synthetic\n")
    (tmp_path / "pause.txt").unlink()
    run(p, jobs=2, echo=quiet)
    assert _outputs(tmp_path) == expected
    assert set(statuses(run(p, jobs=2, echo=quiet)).values()) == {"cached"}


def test_each_step_of_the_study_needs_only_its_own_real_files(tmp_path):
    from civcomp.runner.execute import missing_data
    from civcomp.runner.graph import default_project

    p = Project(tmp_path, default_project().steps)
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/postings.csv").write_text("id,text\n")
    g = {
        "data_source": "real",
        "real_data": {"postings": "data/raw/postings.csv", "capacity_survey": "data/raw/capacity_survey.sav"},
    }
    why = {s.name: missing_data(p, s, g) for s in p.steps}
    assert why["01_content_analysis"] == "" and why["data"] == "" and why["05_report"] == ""
    assert why["03_innovative_capacity"] == "needs capacity_survey — data/raw/capacity_survey.sav not found"
    assert why["02_digital_survey"] == "needs digital_survey — params/global.yaml real_data.digital_survey is not set"
    assert missing_data(p, p.step("03_innovative_capacity"), {"data_source": "synthetic"}) == ""
