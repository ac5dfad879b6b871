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
from civcomp.io.violations import MAPPING_HINT
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
    partial: bool = False  # in real mode, runs over the steps that ran when others had no data
    estimate: float = 1.0  # seconds a cold run takes, for scheduling until a run has recorded its own


@dataclass
class Project:
    """Where a pipeline lives; the default is this repository, tests point it at a temp folder."""

    root: Path
    steps: list[Step]
    data_fn: Callable[[Project, dict], list[Path]] | None = None  # returns the data files it wrote/checked
    html_fn: Callable[[Project, dict], Path] | None = None
    needed_datasets: tuple[str, ...] = ()  # set by the runner: what the selected steps read
    invalid_datasets: dict[str, str] = field(default_factory=dict)  # set by the data step: why a file is refused
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
        written = synth.synthesize(seed=int(gparams["seed"]), params_dir=project.params, verbose=False)
        twin = data.dataset_files("synthetic")  # the CSVs, then the surveys' .sav and .ru.sps exports
        return twin + sorted(twin[0].parent / n for n in written if twin[0].parent / n not in twin)
    # real mode: validate (and cache the typed copy of) each present file the selected steps read; a file that
    # fails is named with its count and first problems, and only the steps that read it fail
    wanted = list(project.needed_datasets) + (["postings_gold"] if "postings" in project.needed_datasets else [])
    files = []
    project.invalid_datasets = {}
    for name in dict.fromkeys(wanted):
        p = real_file(project, gparams, name)
        if p is None or not p.is_file():
            continue  # the steps that need it are skipped, each with its own line
        try:
            data.load(name, "real")
        except data.DataValidationError as exc:
            project.invalid_datasets[name] = validation_line(p, project, exc.violations, name)
        except CivcompError as exc:  # a mapping that does not fit the file, an unreadable reference …
            project.invalid_datasets[name] = f"{_shown(p, project)}: {exc}"
        files.append(p)
    if project.invalid_datasets and not any(n not in project.invalid_datasets for n in project.needed_datasets):
        raise RealDataError("\n".join(project.invalid_datasets.values()))
    return files


def _shown(p: Path, project: Project) -> str:
    return p.relative_to(project.root).as_posix() if p.is_relative_to(project.root) else data.display_path(p)


def validation_line(p: Path, project: Project, violations, dataset: str = "", first: int = 3) -> str:
    """``FILE fails validation: N violation(s); first: …`` (the per-column summary first, then the others)."""
    lines = violations.summary_lines(first) if hasattr(violations, "summary_lines") else [str(v) for v in violations]
    n = getattr(violations, "n_total", len(violations))
    structural = any(getattr(v, "rule", "") in ("missing_column", "extra_column") for v in violations)
    return (
        f"{_shown(p, project)} fails validation against its codebook: {n:,} violation(s); first: "
        + " | ".join(lines[:first])
        + (
            f"; {MAPPING_HINT.format(dataset=dataset, file=_shown(p, project))}"
            if structural and dataset
            else f" (run `civcomp validate {dataset} {_shown(p, project)}` for all of them)"
        )
    )


def _default_html_step(project: Project, gparams: dict) -> list[Path]:
    """The HTML report (its pages and zip) and ``outputs/tables.xlsx`` (every exported table in one workbook)."""
    manifest_file = project.outputs / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.exists() else None
    workbook = xlsx.write_workbook(
        project.outputs / "tables",
        project.outputs / "tables.xlsx",
        results_dir=project.outputs / "results",
        min_cell_size=gparams.get("min_cell_size"),
    )
    report.build_report(outputs_dir=project.outputs, manifest=manifest)
    return [*report.report_files(project.outputs), workbook]


# cold-run seconds on a 2-core machine (bench/bench_pipeline.py), used until a run records its own
ESTIMATES = {
    "data": 6.0,
    "01_content_analysis": 11.5,
    "02_digital_survey": 10.0,
    "03_innovative_capacity": 12.5,
    "04_appraisal_360": 14.0,
    "05_report": 11.0,
    "html_report": 5.0,
}


def default_project() -> Project:
    """The compendium's own pipeline."""
    steps = [Step("data", "data", estimate=ESTIMATES["data"])]
    steps += [
        Step(name, "notebook", ("data",), datasets=STEP_DATASETS[name], estimate=ESTIMATES[name]) for name in ANALYSES
    ]
    steps += [
        Step("05_report", "notebook", ANALYSES, reads_ledger=True, partial=True, estimate=ESTIMATES["05_report"]),
        # the page shows every step's figures and tables and the data's provenance: its key covers them all
        Step(
            "html_report",
            "html",
            ("data", *ANALYSES, "05_report"),
            partial=True,
            estimate=ESTIMATES["html_report"],
        ),
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


def critical_times(steps: list[Step], seconds: dict[str, float] | None = None) -> dict[str, float]:
    """Each step's remaining critical path: its own seconds plus the longest chain of steps that need it.

    ``seconds`` holds measured durations (a previous run's); a step without one counts its ``estimate``.
    The runner starts the ready step with the longest remaining path first, so the longest chain is never
    left waiting behind short steps.

    Examples
    --------
    >>> steps = [Step("d", "data"), Step("a", needs=("d",)), Step("b", needs=("d",)), Step("r", needs=("a", "b"))]
    >>> critical_times(steps, {"d": 1, "a": 2, "b": 5, "r": 1})
    {'r': 1.0, 'b': 6.0, 'a': 3.0, 'd': 7.0}
    """
    seconds = seconds or {}
    own = {s.name: float(seconds.get(s.name, s.estimate)) for s in steps}
    out: dict[str, float] = {}
    for s in reversed(topo_order(steps)):
        after = [out[t.name] for t in steps if s.name in t.needs and t.name in out]
        out[s.name] = own[s.name] + max(after, default=0.0)
    return out


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
