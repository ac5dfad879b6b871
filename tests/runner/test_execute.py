"""The runner on the stand-in project of tiny notebooks (:mod:`standin_project`, the shape with ``b``): graph,
cache, parameters, failures, parallelism.

The project's clean run on both slots is done once per session (``standin_b_clean``, tests/runner/conftest.py);
a test that starts from it works on its own copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import standin_project

from civcomp.errors import ParamsError
from civcomp.runner.execute import run
from civcomp.runner.graph import Project, Step, closure, topo_order
from civcomp.runner.notebooks import parameters_cell, read_notebook


def make_project(root: Path, **kw) -> Project:
    """The stand-in with ``b`` and no report step (:mod:`standin_project`)."""
    return standin_project.make_project(root, with_b=True, html=False, **kw)


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


def test_graph_order_and_closure(tmp_path):
    p = make_project(tmp_path)
    assert [s.name for s in topo_order(p.steps)] == ["data", "a", "b", "c"]
    assert [s.name for s in closure(p.steps, ["b"])] == ["data", "b"]
    with pytest.raises(KeyError, match="unknown step 'zz'"):
        closure(p.steps, ["zz"])
    with pytest.raises(ValueError, match="cycle"):
        topo_order([Step("x", needs=("y",)), Step("y", needs=("x",))])


def test_parameters_cell_reads_literals(tmp_path):
    p = make_project(tmp_path)
    assert parameters_cell(read_notebook(p.notebooks / "a.py")) == {"data_source": "synthetic", "seed": 1, "factor": 2}


def test_run_cache_force_and_params_edit(standin_b, tmp_path):
    p = standin_b  # a copy of the first run (on two slots): every step ran
    assert json.loads((tmp_path / "outputs/results/b.json").read_text())["value"] == 63  # params/b.yaml injected
    assert json.loads((tmp_path / "outputs/results/a.json").read_text())["value"] == 42  # notebook default
    assert (tmp_path / "outputs/notebooks/a.ipynb").exists()

    second = run(p, echo=lambda s: None)
    assert set(statuses(second).values()) == {"cached"}

    (tmp_path / "params/b.yaml").write_text("factor: 4\n")  # reruns b and what depends on it only
    third = run(p, echo=lambda s: None)
    assert statuses(third) == {"data": "cached", "a": "cached", "b": "ran", "c": "ran", "html_report": "ran"}

    (tmp_path / "src/civcomp/mod.py").write_text("X = 2\n")  # shared code changed: everything reruns
    assert set(statuses(run(p, echo=lambda s: None)).values()) == {"ran"}

    forced = run(p, force=True, only=["a"], echo=lambda s: None)
    assert statuses(forced) == {"data": "ran", "a": "ran"}


def test_unknown_param_is_refused_before_any_step(tmp_path):
    p = make_project(tmp_path)
    (tmp_path / "params/a.yaml").write_text("factr: 1\n")
    with pytest.raises(ParamsError, match="params/a.yaml: unknown key 'factr' \\(did you mean 'factor'\\?\\)"):
        run(p, only=["a"], echo=lambda s: None)
    assert not (tmp_path / "data.txt").exists() and not (tmp_path / "outputs" / "results").exists()


def test_failure_names_cell_keeps_partial_and_spares_others(tmp_path):
    p = make_project(tmp_path, failing=True)
    lines: list[str] = []
    out = run(p, echo=lines.append)
    assert statuses(out) == {"data": "ran", "a": "ran", "b": "ran", "c": "failed"}
    text = "\n".join(lines)
    assert "ValueError: deliberate failure in c" in text
    assert "cell " in text and "c.FAILED.ipynb" in text
    assert (tmp_path / "build/failed/c.FAILED.ipynb").exists()  # outside outputs/: nothing browsable there
    assert not list((tmp_path / "outputs").rglob("*FAILED*"))
    assert (tmp_path / "outputs/results/a.json").exists() and (tmp_path / "outputs/results/b.json").exists()
    assert not list((tmp_path / "outputs/notebooks").glob(".*partial*"))


def test_failed_data_step_skips_dependents(tmp_path):
    p = make_project(tmp_path)

    def broken(project, gparams):
        raise RuntimeError("no data")

    p.data_fn = broken
    out = statuses(run(p, echo=lambda s: None))
    assert out == {"data": "failed", "a": "skipped", "b": "skipped", "c": "skipped"}


def test_parallel_run_gives_the_same_results(standin_b_clean):
    """Every step ran on two slots (checked by the fixture), with the results of one slot."""
    parallel_run = standin_b_clean
    assert json.loads((parallel_run / "outputs/results/c.json").read_text())["value"] == 42
    assert json.loads((parallel_run / "outputs/results/b.json").read_text())["value"] == 63
    nb = json.loads((parallel_run / "outputs/notebooks/a.ipynb").read_text())
    assert not str(nb["metadata"]["papermill"].get("input_path", "")).startswith("/")


def test_ledger_tolerance_edit_changes_only_the_report_keys(tmp_path):
    """Analysis notebooks read only the paper's values; a tolerance edit must rerun just the report steps."""
    import shutil

    from civcomp import paths
    from civcomp.runner.cache import step_key
    from civcomp.runner.graph import default_project

    for rel in ("notebooks", "params", "data/published", "data/dictionaries", "data/codebooks"):
        shutil.copytree(paths.ROOT / rel, tmp_path / rel)
    proj = default_project()
    proj = Project(tmp_path, proj.steps)

    def keys():
        return {s.name: step_key(proj, s, {}, "src") for s in proj.steps}

    before = keys()
    ledger = tmp_path / "data" / "published" / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    i = text.index("id: p003_kmo\n")
    j = text.index("  rule:", i)
    k = text.index("\n", j)
    ledger.write_text(text[:j] + "  rule: KMO, edited wording" + text[k:], encoding="utf-8")  # not a value
    after = keys()
    assert {n for n in before if before[n] != after[n]} == {"05_report", "html_report"}  # both show the ledger
    edited = text[:i] + text[i:].replace('value: 0.840\n  printed: ".840"', 'value: 0.850\n  printed: ".850"', 1)
    assert edited != text
    ledger.write_text(edited, encoding="utf-8")  # a published value the analysis displays
    changed = {n for n, v in keys().items() if v != before[n]}
    assert {"03_innovative_capacity", "05_report"} <= changed and "01_content_analysis" not in changed


def test_the_longest_remaining_chain_starts_first(tmp_path):
    """With one slot, the step with the longer estimate starts first; a run's recorded seconds then replace it."""
    from dataclasses import replace

    from civcomp.runner.cache import cache_file

    p = make_project(tmp_path)
    p.steps = [replace(s, estimate={"a": 1.0, "b": 5.0}.get(s.name, s.estimate)) for s in p.steps]
    lines: list[str] = []
    run(p, jobs=1, echo=lines.append)
    starts = [ln.split()[-1] for ln in lines if ln.strip().startswith("start")]
    assert starts == ["data", "b", "a", "c"]

    for name, secs in (("a", 9.0), ("b", 0.5)):  # what the last run recorded wins over the declared estimate
        rec = json.loads(cache_file(p, name).read_text())
        cache_file(p, name).write_text(json.dumps({**rec, "seconds": secs}))
    lines.clear()
    run(p, jobs=1, force=True, echo=lines.append)
    assert [ln.split()[-1] for ln in lines if ln.strip().startswith("start")] == ["data", "a", "b", "c"]
