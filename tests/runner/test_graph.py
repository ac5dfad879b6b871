"""civcomp.runner.graph in real mode: a step that runs over the steps that ran, a present file that fails
validation reported as failing (never absent), the default graph's report steps."""

from __future__ import annotations

import sys
from pathlib import Path

from civcomp.runner.execute import no_data, run
from civcomp.runner.graph import Step, default_project

sys.path.insert(0, str(Path(__file__).parent))
from standin_project import make_project  # noqa: E402


def quiet(s):
    return None


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


def _real(tmp_path: Path, invalid: dict[str, str] | None = None):
    p = make_project(tmp_path, with_b=True)
    p.steps = [
        s if s.name not in ("c", "html_report") else Step(s.name, s.kind, s.needs, partial=True) for s in p.steps
    ]
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/postings.csv").write_text("x\n")
    (tmp_path / "params/global.yaml").write_text(
        "seed: 1\ndata_source: real\nreal_data:\n  postings: data/raw/postings.csv\n  capacity_survey: data/raw/cap.sav\n"
    )
    if invalid:
        inner = p.data_fn

        def data_fn(project, gparams):
            project.invalid_datasets = dict(invalid)
            return inner(project, gparams)

        p.data_fn = data_fn
    return p


def test_report_steps_run_over_the_steps_that_ran(tmp_path):
    p = _real(tmp_path)
    (tmp_path / "outputs/results").mkdir(parents=True)
    (tmp_path / "outputs/results/b.json").write_text('{"data_source": "synthetic"}')  # from an earlier run
    out = run(p, echo=quiet)
    st = statuses(out)
    assert st == {"data": "ran", "a": "ran", "b": "skipped", "c": "ran", "html_report": "ran"}
    assert [o.name for o in out if no_data(o)] == ["b"]
    assert not (tmp_path / "outputs/results/b.json").exists()  # it does not describe this run's data


def test_a_present_invalid_file_fails_its_steps_and_is_not_called_absent(tmp_path):
    why = "data/raw/postings.csv fails validation against its codebook: 3 violation(s); first: column x: …"
    p = _real(tmp_path, invalid={"postings": why})
    lines: list[str] = []
    out = {o.name: o for o in run(p, echo=lines.append)}
    assert out["a"].status == "failed" and out["a"].message == why and not no_data(out["a"])
    assert out["b"].status == "skipped" and no_data(out["b"])
    assert out["c"].status == "skipped" and "failed or skipped" in out["c"].message  # a failure is not "no data"
    assert "not found" not in out["a"].message


def test_default_graph_lets_the_report_run_on_part_of_the_data():
    p = default_project()
    assert p.step("05_report").partial and p.step("html_report").partial
    assert not any(p.step(n).partial for n in ("01_content_analysis", "03_innovative_capacity"))
