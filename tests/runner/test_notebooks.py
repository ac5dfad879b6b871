"""Every notebook: one parameters cell of literals equal to params/, a paired .ipynb in sync,
a recorded nbval check cell, a data-source banner, and no machine paths."""

from __future__ import annotations

import json
import re

import jupytext
import pytest

from civcomp import paths
from civcomp.io import params
from civcomp.runner.graph import GLOBAL_KEYS, default_project
from civcomp.runner.nbval import NBVAL_MARK
from civcomp.runner.notebooks import parameters_cell, read_notebook

NOTEBOOK_STEPS = [s.name for s in default_project().steps if s.kind == "notebook"]


def test_every_notebook_step_has_a_source():
    for name in NOTEBOOK_STEPS:
        assert (paths.NOTEBOOKS / f"{name}.py").is_file(), name


@pytest.mark.parametrize("name", NOTEBOOK_STEPS)
def test_parameters_come_from_params_files(name):
    """One source: the parameters cell holds params/'s values (`make params` writes it), and the cell after it
    resolves params/ however the notebook is run."""
    nb = read_notebook(paths.NOTEBOOKS / f"{name}.py")
    declared = parameters_cell(nb)
    i = next(k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert f'resolve("{name}", globals())' in nb.cells[i + 1].source, f"{name}: no resolve() after the parameters"
    snap = params.snapshot()  # every params file validates against the schema derived from the cells
    assert snap.steps[name] == declared, f"{name}: the parameters cell is not params/: run `make params`"
    assert set(params.load_step(name)) <= set(declared) - set(GLOBAL_KEYS)


@pytest.mark.parametrize("name", NOTEBOOK_STEPS)
def test_paired_ipynb_is_in_sync_and_recorded(name):
    ipynb = paths.NOTEBOOKS / f"{name}.ipynb"
    assert ipynb.is_file(), f"{ipynb.name} missing: run `make record`"
    py = jupytext.read(paths.NOTEBOOKS / f"{name}.py")
    nb = jupytext.read(ipynb)
    strip = lambda cells: [(c.cell_type, c.source.strip()) for c in cells]  # noqa: E731
    assert strip(nb.cells) == strip(py.cells), f"{name}.ipynb and {name}.py differ: run `make record`"
    checked = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith(NBVAL_MARK)]
    assert checked, f"{name} has no {NBVAL_MARK} cell"
    assert all(c.outputs for c in checked), f"{name}: checked cell has no recorded output: run `make record`"
    others = [c for c in nb.cells if c.cell_type == "code" and c not in checked]
    assert not any(c.outputs for c in others), f"{name}.ipynb carries generated outputs beyond the checked cells"


@pytest.mark.parametrize("name", NOTEBOOK_STEPS)
def test_notebook_states_its_data_and_types_no_paths(name):
    text = (paths.NOTEBOOKS / f"{name}.py").read_text()
    assert "banner_markdown(" in text, f"{name} does not state which data produced its results"
    assert not re.search(r"""["'](/|\.\./|data/|outputs/)""", text), f"{name} types a path string"
    assert "os.chdir" not in text and "%cd" not in text
    raw = (paths.NOTEBOOKS / f"{name}.ipynb").read_text()
    machine_dirs = "|".join(["tmp", "root", "home", "work", "Users"])
    assert not re.search(rf'"/({machine_dirs})/', raw), f"{name}.ipynb has a machine path"
    json.loads(raw)


# --------------------------------------------------------------------------- one source of parameters
STEP03 = "03_innovative_capacity"


@pytest.fixture()
def step03_outputs_restored():
    """Back up what step 03 owns in the session's outputs copy and put it back afterwards (tests after it see
    the pipeline's results)."""
    from civcomp.runner.cache import step_outputs

    project = default_project()
    project.outputs = paths.OUTPUTS  # the kernels write there (the session's copy, never outputs/)
    step = project.step(STEP03)
    saved = {f: f.read_bytes() for f in step_outputs(project, step)}
    try:
        yield
    finally:
        for f in step_outputs(project, step):
            f.unlink()
        for f, data in saved.items():
            f.write_bytes(data)


def test_a_lab_run_gives_the_pipelines_results(tmp_path, monkeypatch, step03_outputs_restored):
    """Notebook 03 executed as JupyterLab does (nbclient, nothing injected) with a choice changed in params/
    gives the results the runner's papermill injection gives.

    The real notebook, not the stand-in: what is checked is that its own parameters cell and ``resolve()`` read
    params/ as papermill's injection does, and that its results (an EFA choice) follow; a stand-in has neither.
    Resamples are cut to keep it short (20 and 10, as in the small real-mode runs): both runs use the same counts
    and only their equality is asserted, never a figure against a reference."""
    import shutil

    import papermill as pm
    from nbclient import NotebookClient

    from civcomp.io.load import synthetic_path
    from civcomp.runner.notebooks import step_parameters

    if not synthetic_path("capacity_survey").is_file():
        pytest.skip("no synthetic twin yet: run `civcomp reproduce --only data`")
    shutil.copytree(paths.PARAMS, tmp_path / "params")
    f = tmp_path / "params" / f"{STEP03}.yaml"
    text = f.read_text()
    for old, new in (
        ("extraction_method: principal", "extraction_method: minres"),
        ("bootstrap_resamples: 1000", "bootstrap_resamples: 20"),
        ("parallel_iterations: 500", "parallel_iterations: 10"),
    ):
        assert old in text
        text = text.replace(old, new)
    f.write_text(text)
    results = paths.RESULTS / f"{STEP03}.json"

    snap = params.snapshot((STEP03,), tmp_path / "params", paths.NOTEBOOKS, paths.ROOT)  # the runner's way
    pm.execute_notebook(
        read_notebook(paths.NOTEBOOKS / f"{STEP03}.py"),
        str(tmp_path / "pm.ipynb"),
        parameters=step_parameters(snap, STEP03),
        kernel_name="python3",
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
    )
    pipeline = json.loads(results.read_text())
    results.unlink()

    monkeypatch.setenv(params.PARAMS_ENV, str(tmp_path / "params"))  # JupyterLab's way: no injection at all
    nb = read_notebook(paths.NOTEBOOKS / f"{STEP03}.py")
    NotebookClient(
        nb, kernel_name="python3", timeout=900, resources={"metadata": {"path": str(paths.NOTEBOOKS)}}
    ).execute()
    lab = json.loads(results.read_text())
    assert lab["efa_method"] == "minres" and lab == pipeline
