"""The pipeline: a declared graph of steps, executed with papermill, cached by content hash.

``civcomp reproduce`` runs the data step (synthetic twin, or validation of the real
files), then the analysis notebooks (independent of each other, so ``--jobs 2``
runs two at once), then the reproduction report and its HTML page.

A step is skipped when its cache key is unchanged: the key hashes the step's
notebook source, ``params/global.yaml``, the step's own params file,
everything under ``src/civcomp/``, and the content of its inputs (the data files,
or the results of upstream steps). ``--force`` ignores the cache; ``--only NAME``
runs one step and whatever it needs.

Examples
--------
>>> from civcomp.pipeline.graph import default_project, topo_order
>>> [s.name for s in topo_order(default_project().steps)][:2]
['data', '01_content_analysis']
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from civcomp import paths, synth
from civcomp.io import load as data
from civcomp.pipeline import report

GLOBAL_KEYS = ("data_source", "seed", "min_cell_size")
KEY_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "factor-analyzer", "pingouin", "statsmodels",
                "seaborn", "matplotlib", "papermill", "krippendorff", "jupytext", "semopy")


# --------------------------------------------------------------------------- the graph
@dataclass(frozen=True)
class Step:
    """One node of the pipeline.

    ``kind`` is ``"notebook"`` (``notebooks/<name>.py`` run by papermill),
    ``"data"`` (the data step) or ``"html"`` (the HTML report).
    """

    name: str
    kind: str = "notebook"
    needs: tuple[str, ...] = ()
    reads_ledger: bool = False  # evaluates the claims ledger (else reads only published values)


@dataclass
class Project:
    """Where a pipeline lives; the default is this repository, tests point it at a temp folder."""

    root: Path
    steps: list[Step]
    data_fn: Callable[["Project", dict], list[Path]] | None = None  # returns the data files it wrote/checked
    html_fn: Callable[["Project", dict], Path] | None = None
    notebooks: Path = field(init=False)
    params: Path = field(init=False)
    outputs: Path = field(init=False)
    src: Path = field(init=False)

    def __post_init__(self):
        self.root = Path(self.root)
        self.notebooks = self.root / "notebooks"
        self.params = self.root / "params"
        self.outputs = self.root / "outputs"
        self.src = self.root / "src" / "civcomp"

    @property
    def out_notebooks(self) -> Path:
        return self.outputs / "notebooks"

    @property
    def cache_dir(self) -> Path:
        return self.outputs / ".cache"

    def step(self, name: str) -> Step:
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(f"unknown step {name!r}; steps are: {', '.join(s.name for s in self.steps)}")


@dataclass
class Outcome:
    name: str
    status: str  # ran | cached | failed | skipped
    seconds: float = 0.0
    key: str = ""
    output_hash: str = ""  # what downstream steps see of this step
    message: str = ""


ANALYSES = ("01_content_analysis", "02_digital_survey", "03_innovative_capacity", "04_appraisal_360")


def _default_data_step(project: Project, gparams: dict) -> list[Path]:
    if gparams.get("data_source", "synthetic") == "synthetic":
        synth.synthesize(seed=int(gparams["seed"]), params_dir=project.params, verbose=False)
    else:
        data.check_real_data()  # raises DataValidationError with the full violation list
    return data.dataset_files(gparams.get("data_source", "synthetic"))


def _default_html_step(project: Project, gparams: dict) -> Path:
    manifest = json.loads(paths.MANIFEST.read_text()) if paths.MANIFEST.exists() else None
    return report.build_report(outputs_dir=project.outputs, manifest=manifest)


def default_project() -> Project:
    """The compendium's own pipeline."""
    steps = [Step("data", "data")]
    steps += [Step(name, "notebook", ("data",)) for name in ANALYSES]
    steps += [Step("05_report", "notebook", ANALYSES, reads_ledger=True), Step("html_report", "html", ("05_report",))]
    return Project(paths.ROOT, steps, data_fn=_default_data_step, html_fn=_default_html_step)


def topo_order(steps: list[Step]) -> list[Step]:
    """Steps in dependency order (stable: declaration order among equals); raises on cycles."""
    done: list[Step] = []
    names = {s.name for s in steps}
    pending = list(steps)
    while pending:
        ready = [s for s in pending if all(d in {x.name for x in done} or d not in names for d in s.needs)]
        if not ready:
            raise ValueError(f"cycle among steps: {[s.name for s in pending]}")
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def closure(steps: list[Step], wanted: list[str]) -> list[Step]:
    """The wanted steps and everything they need, in dependency order."""
    by_name = {s.name: s for s in steps}
    keep: set[str] = set()
    stack = list(wanted)
    while stack:
        n = stack.pop()
        if n not in by_name:
            raise KeyError(f"unknown step {n!r}; steps are: {', '.join(by_name)}")
        if n not in keep:
            keep.add(n)
            stack.extend(by_name[n].needs)
    return [s for s in topo_order(steps) if s.name in keep]
