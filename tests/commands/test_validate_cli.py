"""civcomp validate: a real file as the team exports it — the drafted mapping (--suggest), the mapping applied,
its errors in one line, violations summarised per column and value; the worked rehearsal on an institute file."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from civcomp import paths
from civcomp.commands.validate import cli
from civcomp.io import load as data
from civcomp.io import params as params_mod
from civcomp.io import yaml_safe
from civcomp.synth import generate_all

sys.path.insert(0, str(Path(__file__).parent))
from institute import TRUTH, build, complete  # noqa: E402


@pytest.fixture(scope="module")
def twin() -> pd.DataFrame:
    return generate_all(20250412, only=["capacity_survey"])["capacity_survey"]


@pytest.fixture
def project(tmp_path, monkeypatch, twin):
    """A params/ folder in real mode pointing at the institute's file, and a twin with the same cells missing."""
    raw = tmp_path / "raw"
    raw.mkdir()
    sav, expected = build(twin, raw / "capacity_survey.sav")
    pdir = tmp_path / "params"
    (pdir / "real_mapping").mkdir(parents=True)
    (pdir / "global.yaml").write_text(f"seed: 1\ndata_source: real\nreal_data:\n  capacity_survey: {sav}\n")
    syn = tmp_path / "synthetic"
    syn.mkdir()
    expected.to_csv(syn / "capacity_survey.synthetic.csv", index=False)
    for name, value in (("PARAMS", pdir), ("PROCESSED", tmp_path / "processed"), ("SYNTHETIC", syn)):
        monkeypatch.setattr(paths, name, value)
    return sav


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = cli([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_rehearsal_from_institute_file_to_the_twins_results(project, capsys, twin):
    rc, draft, _ = run(capsys, "capacity_survey", project, "--suggest")
    assert rc == 0
    renamed = yaml_safe.loads(draft, "draft")["rename"]
    right = [c for c, f in renamed.items() if TRUTH.get(c) == f]
    wrong = [c for c, f in renamed.items() if TRUTH.get(c) != f]
    todo = [ln.split()[2] for ln in draft.splitlines() if ln.strip().startswith("# TODO") and ln.startswith("  # ")]
    assert wrong == [] and sorted(todo) == ["filter_$", "q5"] and len(right) == len(TRUTH) - 1
    assert "# close:" in draft and "# normalised:" in draft  # every tier is marked
    assert "salary: [98]" in draft  # «Отказ от ответа»; 99 is already the codebook's missing code

    rc, out, _ = run(capsys, "capacity_survey", project)  # without the mapping: not valid
    assert rc == 1
    mapping = paths.PARAMS / "real_mapping" / "capacity_survey.yaml"
    before = project.read_bytes()
    import yaml

    mapping.write_text(yaml.safe_dump(complete(draft), allow_unicode=True), encoding="utf-8")
    rc, out, err = run(capsys, "capacity_survey", project)
    assert rc == 0, out + err
    assert "valid against codebook capacity_survey" in out and "mapping: " in out
    assert project.read_bytes() == before  # the file is never modified

    real = data.load("capacity_survey", "real")
    pdt.assert_frame_equal(real, data.load("capacity_survey", "synthetic"))
    from civcomp.analyses import capacity

    step = "03_innovative_capacity"
    values = {
        **params_mod.load_step(step, paths.ROOT / "params"),
        **{k: v for k, v in params_mod.load_global(paths.ROOT / "params").items() if k != "real_data"},
        "bootstrap_resamples": 20,
        "parallel_iterations": 10,
    }
    got = capacity.results({"capacity_survey": real}, values).values
    want = capacity.results({"capacity_survey": data.load("capacity_survey", "synthetic")}, values).values
    assert got == want and got["n_regional"] > 10_000


def test_summary_per_column_and_value(project, capsys):
    mapping = paths.PARAMS / "real_mapping" / "capacity_survey.yaml"
    mapping.write_text(
        "rename: {ID: respondent_id, q1: level, q2: region, q3: position_level, q4: gender, q5: age, q6: reason,\n"
        + "  "
        + ", ".join(f"{c}: {f}" for c, f in TRUTH.items() if c.startswith(("q7", "q8", "q9")))
        + "}\ndrop: [filter_$]\n",
        encoding="utf-8",
    )
    rc, out, _ = run(capsys, "capacity_survey", project, "--limit", "0")
    assert rc == 1
    age = next(ln for ln in out.splitlines() if ln.strip().startswith("column age:") and "99" in ln)
    assert "(label «Затрудняюсь ответить»)" in age and "not in 18–70" in age and "declare it in `missing:`" in age
    import pyreadstat

    n99 = int(age.split(":")[1].split()[0].replace(",", ""))
    assert n99 == int((pyreadstat.read_sav(str(project), apply_value_formats=False)[0]["q5"] == 99).sum())
    assert any("column region: " in ln and "«г. Астана»" in ln and "`recode:`" in ln for ln in out.splitlines())
    rc, js, _ = run(capsys, "capacity_survey", project, "--json")
    import json

    rep = json.loads(js)
    assert rep["by_value"] and len(rep["violations"]) >= 100  # the row list stays available


@pytest.mark.parametrize(
    "text, needle",
    [
        ("rename: {q1: levl}", "rename.q1"),  # unknown field
        ("recode: {gender: {1: man}}", "recode.gender"),  # target outside the codebook
        ("rename: {q77: level}", "'q77' is not a column"),  # a source column that does not exist
        ("rename: {q1: level, q2: level}", "already the target"),  # two columns onto one field
        ("missing: {salary: [5]}", "missing.salary"),  # a missing code that is a valid value
        ("renmae: {q1: level}", "did you mean 'rename'"),
        ('filter: "q1 == 1 or q2 == 2"', "filter"),
    ],
)
def test_mapping_errors_are_one_line(project, capsys, text, needle):
    (paths.PARAMS / "real_mapping" / "capacity_survey.yaml").write_text(text + "\n", encoding="utf-8")
    rc, out, err = run(capsys, "capacity_survey", project)
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "real_mapping/capacity_survey.yaml" in err and needle in err


def test_mapping_for_a_dataset_that_does_not_exist(project):
    from civcomp.io.mapping import check_all

    (paths.PARAMS / "real_mapping" / "capacity.yaml").write_text("rename: {}\n")
    probs = check_all()
    assert len(probs) == 1 and "real_mapping/capacity.yaml" in probs[0] and "no dataset 'capacity'" in probs[0]


def test_notebook_03_in_real_mode_on_the_unmodified_institute_file(project, tmp_path, twin):
    """From the institute's file to notebook 03's results, in a throw-away copy of the project (its own
    outputs/): suggest, the TODOs completed, validate, ``reproduce --only 03_innovative_capacity`` in real mode;
    the published results equal those of the twin with the same answers missing.

    The real notebook 03 in a real ``civcomp reproduce`` process: the check is that the institute's own file
    reaches the published results; a stand-in notebook would not read the file. Resamples are cut."""
    import json
    import os
    import shutil
    import subprocess

    import yaml

    root = tmp_path / "project"
    for d in ("src", "notebooks", "params", "data/codebooks", "data/published", "data/dictionaries"):
        shutil.copytree(paths.ROOT / d, root / d, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
    (root / "data/raw").mkdir(parents=True)
    sav, expected = build(twin, root / "data/raw/capacity_survey.sav")
    before = sav.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # the copy's package: its paths, its outputs/

    def civcomp(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "civcomp.cli", *argv], cwd=root, env=env, capture_output=True, text=True
        )

    step_file = root / "params" / "03_innovative_capacity.yaml"
    text = step_file.read_text()
    for old, new in (
        ("bootstrap_resamples: 1000", "bootstrap_resamples: 20"),
        ("parallel_iterations: 500", "parallel_iterations: 10"),
    ):
        assert old in text
        text = text.replace(old, new)
    step_file.write_text(text)
    g = root / "params" / "global.yaml"
    g.write_text(g.read_text().replace("data_source: synthetic ", "data_source: real      "))
    draft = civcomp("validate", "capacity_survey", "data/raw/capacity_survey.sav", "--suggest")
    assert draft.returncode == 0, draft.stderr
    (root / "params/real_mapping").mkdir()
    (root / "params/real_mapping/capacity_survey.yaml").write_text(
        yaml.safe_dump(complete(draft.stdout), allow_unicode=True), encoding="utf-8"
    )
    checked = civcomp("validate", "capacity_survey", "data/raw/capacity_survey.sav")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = civcomp("reproduce", "--only", "03_innovative_capacity")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert sav.read_bytes() == before
    got = json.loads((root / "outputs/results/03_innovative_capacity.json").read_text())
    assert got["data_source"] == "real"
    manifest = json.loads((root / "outputs/manifest.json").read_text())
    files = manifest["steps"]["03_innovative_capacity"]["files"]
    assert files[0]["file"] == "data/raw/capacity_survey.sav" and files[0]["n_used"] == len(twin)
    assert manifest["mappings"]["capacity_survey"]["file"] == "params/real_mapping/capacity_survey.yaml"

    from civcomp.analyses import capacity
    from civcomp.io.load import load

    values = {
        **params_mod.load_step("03_innovative_capacity", root / "params"),
        **{k: v for k, v in params_mod.load_global(root / "params").items() if k != "real_data"},
    }
    frame = load("capacity_survey", "synthetic")  # the fixture's twin with the same answers missing
    from civcomp.io.outputs import published_precision

    raw = capacity.results({"capacity_survey": frame}, values).values
    # the results file carries each float at the tables' printed precision (disclosure control)
    want = json.loads(json.dumps({k: published_precision(k, v) for k, v in raw.items()}, default=float))
    common = sorted(set(want) & set(got))
    assert len(common) > 20
    assert {k: got[k] for k in common} == {k: want[k] for k in common}
