"""Small real-mode files for the tests of notebooks 02 and 03 (``test_small_real*.py``): seeded samples of the twin
written outside the repository and configured as real files the way a user does it.

Each file is a sample of the twin (300 digital-survey respondents are drawn with replacement and renumbered;
three or six capacity respondents lose their age, coded -9 as a real export would). ``make_real`` writes them and a
``params/`` folder in real mode (``data_source: real``, ``real_data``) and points civcomp's ``params/``, typed cache
and ``outputs/`` (tables, results, figures) at the test's temporary folder: nothing is written into the pipeline's
``outputs/``. ``run_notebook`` executes a notebook's own cells in this process, as a kernel would.
"""

from __future__ import annotations

import shutil

import jupytext
import matplotlib.pyplot as plt
import pandas as pd

from civcomp import paths
from civcomp.io import params as params_mod

K = 5  # params/global.yaml min_cell_size
SIZES = (60, 80, 300)
DATASET = {"02_digital_survey": "digital_survey", "03_innovative_capacity": "capacity_survey"}
FAST = {  # fewer resamples: the same code paths, a fraction of the time
    "02_digital_survey": (("fisher_resamples: 100000", "fisher_resamples: 200"),),
    "03_innovative_capacity": (
        ("bootstrap_resamples: 1000", "bootstrap_resamples: 20"),
        ("parallel_iterations: 500", "parallel_iterations: 10"),
    ),
}


def small_file(twin: pd.DataFrame, dataset: str, n: int) -> pd.DataFrame:
    """A seeded sample of ``n`` twin respondents; capacity respondents without an age (3, or 6 in the 300)."""
    out = twin.sample(n=n, random_state=n, replace=n > len(twin)).reset_index(drop=True)
    if n > len(twin):
        out["respondent_id"] = [f"DS{i:03d}" for i in range(1, n + 1)]
    if dataset == "capacity_survey":
        regional = out.index[out["level"].astype(str) == "regional"]
        out.loc[regional[: 6 if n == 300 else 3], "age"] = -9  # the codebook's missing code
    return out


def make_real(n: int, tmp_path, monkeypatch, twins) -> dict:
    """Write the ``n``-respondent files and a real-mode params/ folder under ``tmp_path``; point civcomp at them."""
    raw = tmp_path / "secure_drive"
    raw.mkdir()
    files = {}
    for dataset in DATASET.values():
        files[dataset] = small_file(twins[dataset], dataset, n)
        files[dataset].to_csv(raw / f"{dataset}.csv", index=False)
    pdir = tmp_path / "params"
    shutil.copytree(paths.PARAMS, pdir, ignore=shutil.ignore_patterns("real_mapping"))
    g = pdir / "global.yaml"
    text = g.read_text().replace("data_source: synthetic ", "data_source: real      ")
    for dataset in DATASET.values():
        text = text.replace(f"{dataset}: data/raw/{dataset}.sav", f"{dataset}: {raw / dataset}.csv")
    g.write_text(text)
    for step, edits in FAST.items():
        f = pdir / f"{step}.yaml"
        body = f.read_text()
        for old, new in edits:
            assert old in body
            body = body.replace(old, new)
        f.write_text(body)
    out = tmp_path / "outputs"
    for name, value in (
        ("PARAMS", pdir),
        ("PROCESSED", tmp_path / "processed"),
        ("OUTPUTS", out),
        ("TABLES", out / "tables"),
        ("RESULTS", out / "results"),
        ("FIGURES", out / "figures"),
    ):
        monkeypatch.setattr(paths, name, value)
    monkeypatch.delenv(params_mod.PARAMS_ENV, raising=False)
    return {"n": n, "files": files, "outputs": out}


def run_notebook(step: str) -> dict:
    """Execute the code cells of ``notebooks/<step>.py`` in this process, as a kernel would; return its namespace."""
    ns: dict = {"__name__": "__main__"}
    for i, cell in enumerate(jupytext.read(paths.NOTEBOOKS / f"{step}.py").cells):
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{step} cell {i}", "exec"), ns)
    plt.close("all")
    return ns


def step_params(step: str) -> dict:
    return params_mod.resolve(step, {}, verbose=False)
