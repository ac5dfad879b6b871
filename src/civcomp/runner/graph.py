"""The pipeline: a declared graph of steps, executed with papermill, cached by content hash.

``civcomp reproduce`` runs the data step (synthetic twin, or validation of the real
files), then the analysis notebooks (independent of each other, so ``--jobs 2``
runs two at once), then the reproduction report and its HTML page.

A step is ``cached`` only when its cache key is unchanged **and** every output it
recorded is still present with the recorded SHA-256 (an output edited or rewritten
behind the runner's back — e.g. by a JupyterLab run — makes the step, and so its
dependents, run again). The key hashes the step's notebook source, the step's
parameter values (read once per run: one validated snapshot serves keys and injection),
everything under ``src/civcomp/``, and the content of its inputs (the data files, or the
outputs of upstream steps). ``--force`` ignores the cache; ``--only NAME`` runs one step
and whatever it needs.

Examples
--------
>>> from civcomp.runner.graph import default_project, topo_order
>>> [s.name for s in topo_order(default_project().steps)][:2]
['data', '01_content_analysis']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from civcomp import paths, synth
from civcomp.errors import CivcompError
from civcomp.io import load as data
from civcomp.io import workbook as xlsx
from civcomp.io.params import GLOBAL_KEYS, STEP_DATASETS  # noqa: F401 (GLOBAL_KEYS re-exported)
from civcomp.replication import report

KEY_PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "scikit-learn",
    "factor-analyzer",
    "pingouin",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "papermill",
    "krippendorff",
    "jupytext",
    "semopy",
)


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
    datasets: tuple[str, ...] = ()  # datasets it reads: in real mode it runs only when their files exist


@dataclass
class Project:
    """Where a pipeline lives; the default is this repository, tests point it at a temp folder."""

    root: Path
    steps: list[Step]
    data_fn: Callable[[Project, dict], list[Path]] | None = None  # returns the data files it wrote/checked
    html_fn: Callable[[Project, dict], Path] | None = None
    needed_datasets: tuple[str, ...] = ()  # set by the runner: what the selected steps read
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

    @property
    def failed_dir(self) -> Path:
        """Where a failed run's partial notebook is kept: outside outputs/ (git-ignored build/)."""
        return self.root / "build" / "failed"

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


class RealDataError(CivcompError):
    """The present real files do not match their codebooks (message: every violation)."""


def real_file(project: Project, gparams: dict, name: str) -> Path | None:
    """The configured real file of dataset ``name`` (None when not configured)."""
    rel = (gparams.get("real_data") or {}).get(name)
    if not isinstance(rel, str) or not rel:
        return None
    p = Path(rel)
    return p if p.is_absolute() else project.root / p


def _default_data_step(project: Project, gparams: dict) -> list[Path]:
    if gparams.get("data_source", "synthetic") == "synthetic":
        synth.synthesize(seed=int(gparams["seed"]), params_dir=project.params, verbose=False)
        return data.dataset_files("synthetic")
    # real mode: validate (and cache the typed copy of) each present file the selected steps read
    wanted = list(project.needed_datasets) + (["postings_gold"] if "postings" in project.needed_datasets else [])
    files, problems = [], []
    for name in dict.fromkeys(wanted):
        p = real_file(project, gparams, name)
        if p is None or not p.is_file():
            continue  # the steps that need it are skipped, each with its own line
        try:
            data.load(name, "real")
        except (data.DataValidationError, data.DataError) as exc:
            problems.append(str(exc))
        files.append(p)
    if problems:
        raise RealDataError("\n".join(problems))
    return files


def _default_html_step(project: Project, gparams: dict) -> list[Path]:
    """The HTML report (its pages and zip) and ``outputs/tables.xlsx`` (every exported table in one workbook)."""
    manifest = json.loads(paths.MANIFEST.read_text()) if paths.MANIFEST.exists() else None
    workbook = xlsx.write_workbook(
        project.outputs / "tables",
        project.outputs / "tables.xlsx",
        results_dir=project.outputs / "results",
        min_cell_size=gparams.get("min_cell_size"),
    )
    report.build_report(outputs_dir=project.outputs, manifest=manifest)
    return [*report.report_files(project.outputs), workbook]


def default_project() -> Project:
    """The compendium's own pipeline."""
    steps = [Step("data", "data")]
    steps += [Step(name, "notebook", ("data",), datasets=STEP_DATASETS[name]) for name in ANALYSES]
    steps += [
        Step("05_report", "notebook", ANALYSES, reads_ledger=True),
        # the page shows every step's figures and tables and the data's provenance: its key covers them all
        Step("html_report", "html", ("data", *ANALYSES, "05_report")),
    ]
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
