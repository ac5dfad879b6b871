"""Parameters typed once: params/*.yaml is the source, every notebook's parameters cell is what
`make params` writes from it (a test fails on drift), and a shared assumption has one home."""

from __future__ import annotations

import shutil

import pytest
import yaml

from civcomp import paths
from civcomp.errors import ParamsError
from civcomp.io import params, params_cells
from civcomp.runner.notebooks import parameters_cell, read_notebook


@pytest.fixture()
def tree(tmp_path):
    """A copy of params/ and notebooks/ (data/ linked: the files the parameters name)."""
    shutil.copytree(paths.PARAMS, tmp_path / "params")
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "notebooks")
    (tmp_path / "data").symlink_to(paths.DATA)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{path.name} no longer holds {old!r}: update the test"
    path.write_text(text.replace(old, new, 1))


def test_every_cell_is_what_make_params_writes():
    stale = params_cells.write_cells(check=True)
    assert not stale, f"parameters cells differ from params/: {[p.name for p in stale]}; run `make params`"


@pytest.mark.parametrize("step", params.STEPS)
def test_cell_types_are_the_yamls(step):
    cell = parameters_cell(read_notebook(paths.NOTEBOOKS / f"{step}.py"))
    snap = params.snapshot()
    assert {k: type(v) for k, v in cell.items()} == {k: type(v) for k, v in snap.steps[step].items()}


@pytest.mark.parametrize(
    "file, old, new",
    [
        ("03_innovative_capacity.yaml", "bootstrap_resamples: 1000", "bootstrap_resamples: 999"),  # a value
        ("04_appraisal_360.yaml", "# str: exclude | as_score", "# str: exclude | as_score | drop"),  # a choice
        ("global.yaml", "seed: 20250412", "seed: 7"),  # a global key: every notebook's cell
        ("synthetic/capacity_survey.yaml", "    ulytau: 2.0", "    ulytau: 2.5"),  # the referenced home
    ],
)
def test_drift_is_detected_and_make_params_repairs_it(tree, file, old, new):
    _edit(tree / "params" / file, old, new)
    stale = params_cells.write_cells(params_dir=tree / "params", notebooks_dir=tree / "notebooks", check=True)
    assert stale
    params_cells.write_cells(params_dir=tree / "params", notebooks_dir=tree / "notebooks")
    assert not params_cells.write_cells(params_dir=tree / "params", notebooks_dir=tree / "notebooks", check=True)
    snap = params.snapshot(params.STEPS, tree / "params", tree / "notebooks", tree)
    for step in params.STEPS:
        assert parameters_cell(read_notebook(tree / "notebooks" / f"{step}.py")) == snap.steps[step]


def test_a_cell_edited_by_hand_is_drift(tree):
    _edit(tree / "notebooks" / "04_appraisal_360.py", "min_group_size: int = 3", "min_group_size: int = 4")
    stale = params_cells.write_cells(params_dir=tree / "params", notebooks_dir=tree / "notebooks", check=True)
    assert [p.name for p in stale] == ["04_appraisal_360.py"]


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        (
            "01_content_analysis.yaml",
            "# int: bootstrap replicates",
            "# bootstrap replicates",
            "n_boot: the comment must start",
        ),
        ("01_content_analysis.yaml", "n_boot: 5000", "n_boot: 50.5", "n_boot: expected an integer, got 50.5"),
        ("04_appraisal_360.yaml", "min_cell_size\n", "min_cell_size\nnew_key: 1\n", "new_key: the comment must"),
        ("03_innovative_capacity.yaml", "rotation: none", "rotation: spin", "'spin' is not one of none | varimax"),
        ("05_report.yaml", "# global keys: data_source, seed", "# global keys: data_source, sead", "'sead'"),
        ("05_report.yaml", "# global keys: data_source, seed, min_cell_size\n", "", "no '# global keys: ...' line"),
        ("02_digital_survey.yaml", "key: regional.region_weights", "key: regional.weights", "has no key"),
    ],
)
def test_make_params_refuses_a_bad_declaration_and_writes_nothing(tree, file, old, new, message):
    _edit(tree / "params" / file, old, new)
    before = {p: p.read_bytes() for p in (tree / "notebooks").iterdir()}
    with pytest.raises(ParamsError, match=message.replace("|", r"\|").replace("(", r"\(")):
        params_cells.write_cells(params_dir=tree / "params", notebooks_dir=tree / "notebooks")
    assert {p: p.read_bytes() for p in (tree / "notebooks").iterdir()} == before


def test_region_weights_have_one_home():
    step = yaml.safe_load((paths.PARAMS / "02_digital_survey.yaml").read_text())["population_region_weights"]
    assert step == {"from": "synthetic/capacity_survey.yaml", "key": "regional.region_weights"}  # a reference
    twin = yaml.safe_load((paths.PARAMS / "synthetic" / "capacity_survey.yaml").read_text())["regional"]
    weights = params.snapshot().steps["02_digital_survey"]["population_region_weights"]
    assert list(weights.items()) == list(twin["region_weights"].items())  # same values, same order


def test_the_command_checks_and_writes(tree, monkeypatch, capsys):
    monkeypatch.setattr(paths, "PARAMS", tree / "params")
    monkeypatch.setattr(paths, "NOTEBOOKS", tree / "notebooks")
    monkeypatch.setattr(paths, "ROOT", tree)
    assert params_cells.main(["--check"]) == 0
    _edit(tree / "params" / "04_appraisal_360.yaml", "min_group_size: 3", "min_group_size: 4")
    assert params_cells.main(["--check"]) == 1
    assert "04_appraisal_360.py" in capsys.readouterr().out
    assert params_cells.main([]) == 0
    assert params_cells.main(["--check"]) == 0
