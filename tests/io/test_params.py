"""Parameter files: plain YAML only, validated against the schema derived from the notebooks' parameters
cells, every problem listed at once with file and key, refused before any notebook starts; resolve() gives
a notebook the pipeline's values however it is run."""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path

import pytest

from civcomp import paths
from civcomp.commands import reproduce
from civcomp.errors import ParamsError
from civcomp.io import params
from civcomp.runner.graph import Project, default_project

PWNED = (Path(tempfile.gettempdir()) / "civcomp-params-pwned").as_posix()
BINARY = base64.b64encode(f"__import__('os').system('touch {PWNED}')".encode()).decode()

# (file, text to find, replacement, what the message must say)
CASES = {
    "typo in a global key": (
        "global.yaml",
        "data_source: synthetic",
        "data_sorce: real",
        "params/global.yaml: unknown key 'data_sorce' (did you mean 'data_source'?)",
    ),
    "null real_data path": (
        "global.yaml",
        "appraisal_360: data/raw/appraisal_360.csv",
        "appraisal_360: null",
        "params/global.yaml: real_data.appraisal_360: expected a file path",
    ),
    "deleted key": ("global.yaml", "seed: 20250412", "", "params/global.yaml: missing key 'seed'"),
    "yes for an integer": (
        "global.yaml",
        "min_cell_size: 5",
        "min_cell_size: yes",
        "params/global.yaml: min_cell_size: expected an integer, got True",
    ),
    "min_cell_size below 2": (
        "global.yaml",
        "min_cell_size: 5",
        "min_cell_size: 1",
        "params/global.yaml: min_cell_size: must be at least 2, got 1",
    ),
    "a date for the seed": ("global.yaml", "seed: 20250412", "seed: 2025-04-12", "tag !!timestamp is not allowed"),
    "!!binary": (
        "01_content_analysis.yaml",
        "kwic_n: 40",
        f"kwic_n: !!binary {BINARY}",
        "params/01_content_analysis.yaml, line 6: tag !!binary is not allowed",
    ),
    "!!set": ("01_content_analysis.yaml", "kwic_n: 40", "kwic_n: !!set {a, b}", "tag !!set is not allowed"),
    "!!python/object": (
        "01_content_analysis.yaml",
        "kwic_n: 40",
        f"kwic_n: !!python/object/apply:os.system ['touch {PWNED}']",
        "tag !!python/object/apply:os.system is not allowed",
    ),
    "wrong choice": (
        "03_innovative_capacity.yaml",
        "extraction_method: principal",
        "extraction_method: pca",
        "params/03_innovative_capacity.yaml: extraction_method: 'pca' is not one of principal | minres | pa | ml",
    ),
    "float for an integer": (
        "01_content_analysis.yaml",
        "n_boot: 5000",
        "n_boot: 50.5",
        "params/01_content_analysis.yaml: n_boot: expected an integer, got 50.5",
    ),
    "unknown step key": (
        "04_appraisal_360.yaml",
        "gap_threshold: 1.0",
        "gap_treshold: 1.0",
        "unknown key 'gap_treshold' (did you mean 'gap_threshold'?)",
    ),
    "missing dictionary": (
        "01_content_analysis.yaml",
        "dictionary: digital_skills.yaml",
        "dictionary: nope.yaml",
        "params/01_content_analysis.yaml: dictionary: data/dictionaries/nope.yaml not found",
    ),
    "confidence out of range": (
        "02_digital_survey.yaml",
        "confidence: 0.95",
        "confidence: 95",
        "params/02_digital_survey.yaml: confidence: must be between 0 and 1, got 95",
    ),
    "global key in a step file": (
        "05_report.yaml",
        "claims_file: claims.yaml",
        "claims_file: claims.yaml\nseed: 3",
        "'seed' belongs in params/global.yaml",
    ),
    "not a mapping": ("02_digital_survey.yaml", None, "- a\n- b\n", "expected a mapping of names to values"),
    "not YAML": ("global.yaml", None, "seed: [1, 2\n", "params/global.yaml, line 2: not valid YAML"),
}


@pytest.fixture()
def project(tmp_path) -> Project:
    shutil.copytree(paths.PARAMS, tmp_path / "params")
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    (tmp_path / "data").symlink_to(paths.DATA)  # dictionaries and ledgers the params name
    return Project(tmp_path, default_project().steps)


def _edit(project: Project, file: str, find: str | None, repl: str) -> None:
    f = project.params / file
    text = f.read_text()
    if find is None:
        f.write_text(repl)
        return
    assert find in text, f"{file} no longer holds {find!r}: update the case"
    f.write_text(text.replace(find, repl, 1))


def _snapshot(project: Project) -> params.Snapshot:
    return params.snapshot(params.STEPS, project.params, project.notebooks, paths.ROOT)


def test_the_shipped_params_are_valid(project):
    snap = _snapshot(project)
    assert snap.steps["01_content_analysis"]["seed"] == snap.global_["seed"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_or_hostile_params_are_refused(project, case):
    file, find, repl, message = CASES[case]
    _edit(project, file, find, repl)
    with pytest.raises(ParamsError) as err:
        _snapshot(project)
    assert message in str(err.value)
    assert "Traceback" not in str(err.value)
    assert not Path(PWNED).exists()


@pytest.mark.parametrize("case", ["!!binary", "wrong choice", "typo in a global key", "null real_data path"])
def test_reproduce_refuses_before_any_notebook_starts(project, case, monkeypatch, capsys):
    file, find, repl, message = CASES[case]
    _edit(project, file, find, repl)
    monkeypatch.setattr(reproduce, "default_project", lambda: project)
    assert reproduce.cli([]) == 2
    err = capsys.readouterr().err
    assert "nothing was run" in err and message in err and "Traceback" not in err
    assert not (project.root / "outputs").exists()  # no step started, nothing written


def test_every_problem_is_listed_at_once(project):
    _edit(project, "global.yaml", "data_source: synthetic", "data_sorce: real")
    _edit(project, "03_innovative_capacity.yaml", "extraction_method: principal", "extraction_method: pca")
    _edit(project, "04_appraisal_360.yaml", "below_threshold: 5", "below_threshold: five")
    with pytest.raises(ParamsError) as err:
        _snapshot(project)
    text = str(err.value)
    assert "data_sorce" in text and "'pca'" in text and "below_threshold: expected an integer" in text


def test_unwritable_outputs_is_one_clear_line(project, monkeypatch, capsys):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes through permissions")
    (project.root / "outputs").mkdir()
    (project.root / "outputs").chmod(0o500)
    monkeypatch.setattr(reproduce, "default_project", lambda: project)
    try:
        assert reproduce.cli([]) == 2
    finally:
        (project.root / "outputs").chmod(0o700)
    assert "is not writable" in capsys.readouterr().err


def test_unwritable_outputs_is_refused_without_traceback(project, monkeypatch, capsys):
    """As root chmod does not bite: make outputs/ a file instead."""
    (project.root / "outputs").write_text("not a folder")
    monkeypatch.setattr(reproduce, "default_project", lambda: project)
    assert reproduce.cli([]) == 2
    err = capsys.readouterr().err
    assert "is not writable" in err and "Traceback" not in err


# --------------------------------------------------------------------------- resolve() in the notebook
def test_resolve_reads_params_when_not_injected(project, capsys):
    _edit(project, "03_innovative_capacity.yaml", "extraction_method: principal", "extraction_method: minres")
    ns = {"extraction_method": "principal", "rotation": "none"}  # the cell's literal defaults
    got = params.resolve("03_innovative_capacity", ns, params_dir=project.params, notebooks_dir=project.notebooks)
    assert ns["extraction_method"] == got["extraction_method"] == "minres"
    assert "kept as set" not in capsys.readouterr().out


def test_resolve_keeps_a_value_set_by_hand_and_says_so(project, capsys):
    ns = {"extraction_method": "ml"}  # e.g. papermill -p extraction_method ml, or the cell edited in Lab
    params.resolve("03_innovative_capacity", ns, params_dir=project.params, notebooks_dir=project.notebooks)
    assert ns["extraction_method"] == "ml"
    assert "kept as set in this session: extraction_method='ml'" in capsys.readouterr().out


def test_resolve_keeps_the_runners_injection(project):
    _edit(project, "03_innovative_capacity.yaml", "extraction_method: principal", "extraction_method: minres")
    snap = _snapshot(project)  # the run's snapshot, taken before the edit below
    _edit(project, "03_innovative_capacity.yaml", "extraction_method: minres", "extraction_method: ml")
    ns = {**snap.steps["03_innovative_capacity"], params.SENTINEL: snap.digest("03_innovative_capacity")}
    params.resolve("03_innovative_capacity", ns, params_dir=project.params, notebooks_dir=project.notebooks)
    assert ns["extraction_method"] == "minres"  # the injected value, not the file's later one


def test_resolve_refuses_a_bad_file_with_the_key(project):
    _edit(project, "03_innovative_capacity.yaml", "extraction_method: principal", "extraction_method: pca")
    with pytest.raises(ParamsError, match="params/03_innovative_capacity.yaml: extraction_method: 'pca'"):
        params.resolve("03_innovative_capacity", {}, params_dir=project.params, notebooks_dir=project.notebooks)
