"""The cache checks what it claims: recorded outputs verified by hash, one parameter snapshot per run, a run
lock, a stale report marked, FAILED notebooks cleared, partial real data, and SIGKILL at any point of a run
followed by a normal run ending byte-identical to a clean run (on a throw-away project of tiny notebooks).

The project's clean run is done once per session (:func:`clean_run`); a test that starts from it works on
its own copy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from civcomp.io import params as params_mod
from civcomp.runner.execute import RunLocked, _lock, run
from civcomp.runner.graph import Project, Step

NB = textwrap.dedent("""\
    # %% tags=["parameters"]
    data_source: str = "synthetic"  # synthetic | real
    seed: int = 1  # seed
    factor: int = 2  # a multiplier

    # %%
    import json, pathlib, time
    root = pathlib.Path("..")
    seed_in_data = int((root / "data.txt").read_text().split("=")[1])
    pause = float((root / "pause.txt").read_text()) if (root / "pause.txt").exists() else 0.0  # set by a test
    for sub in ("results", "tables", "figures"):
        (root / "outputs" / sub).mkdir(parents=True, exist_ok=True)
    for i in range(3):  # several files, written over time: a kill can fall between them
        (root / "outputs" / "tables" / "{name}__t{{}}.csv".format(i)).write_text(f"{{seed}},{{seed_in_data}},{{i}}\\n")
        time.sleep(pause)
    {body}
    (root / "outputs" / "results" / "{name}.json").write_text(json.dumps({{"value": factor * 21, "seed": seed}}))
    """)

RUNNER = textwrap.dedent("""\
    import sys
    sys.path.insert(0, {tests!r})
    from test_cache_integrity import make_project
    from civcomp.runner.execute import run

    if __name__ == "__main__":
        run(make_project(__import__("pathlib").Path({root!r}), fresh=False), jobs=2, echo=print)
    """)


def make_project(tmp_path: Path, failing: bool = False, fresh: bool = True, html: bool = True) -> Project:
    if fresh:
        for d in ("notebooks", "params", "src/civcomp"):
            (tmp_path / d).mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / "civcomp" / "mod.py").write_text("X = 1\n")
        (tmp_path / "params" / "global.yaml").write_text("seed: 1\ndata_source: synthetic\n")
        (tmp_path / "params" / "b.yaml").write_text("factor: 3\n")
        body = {"a": "", "b": "", "c": "raise ValueError('deliberate failure in c')" if failing else ""}
        for name, b in body.items():
            (tmp_path / "notebooks" / f"{name}.py").write_text(NB.format(name=name, body=b))

    def data_fn(project, gparams):
        f = project.root / "data.txt"
        f.write_text(f"seed={gparams['seed']}\n")
        return [f]

    def html_fn(project, gparams):
        pages = [project.outputs / "report" / name for name in ("index.html", "paper-000.html")]
        pages[0].parent.mkdir(parents=True, exist_ok=True)
        for page in pages:
            page.write_text(
                "<html><body><p>" + (project.outputs / "results" / "c.json").read_text() + "</p></body></html>"
            )
        return pages

    steps = [
        Step("data", "data"),
        Step("a", needs=("data",), datasets=("postings",)),
        Step("b", needs=("data",), datasets=("capacity_survey",)),
        Step("c", needs=("a", "b")),
    ]
    if html:
        steps.append(Step("html_report", "html", ("data", "a", "b", "c")))
    return Project(tmp_path, steps, data_fn=data_fn, html_fn=html_fn)


def quiet(s):
    return None


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


@pytest.fixture(scope="session")
def clean_run(once) -> Path:
    """The project after a clean run (every step ran, both slots), done once per session: copy it, never edit it."""

    def build(folder: Path) -> None:
        out = statuses(run(make_project(folder / "project"), jobs=2, echo=quiet))
        assert set(out.values()) == {"ran"}, out

    return once("integrity-clean-run", build) / "project"


@pytest.fixture()
def clean(clean_run, tmp_path) -> Project:
    """A copy of the clean run in ``tmp_path`` (its cache records are relative: the copy is cached too)."""
    shutil.copytree(clean_run, tmp_path, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("run.lock"))
    return make_project(tmp_path, fresh=False)


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


def test_parameters_are_read_once_per_run(tmp_path):
    p = make_project(tmp_path)
    snap = params_mod.snapshot(("a", "b", "c"), p.params, p.notebooks, p.root)
    (tmp_path / "params/b.yaml").write_text("factor: 5\n")  # edited while the run is under way
    run(p, echo=quiet, snap=snap)
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
    script.write_text(RUNNER.format(tests=str(Path(__file__).parent), root=str(tmp_path)))
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
