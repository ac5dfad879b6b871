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
>>> from civcomp.runner import default_project, topo_order
>>> [s.name for s in topo_order(default_project().steps)][:2]
['data', '01_content_analysis']
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import hashlib
import json
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from civcomp import params as params_mod
from civcomp import paths
from civcomp.outputs import atomic_write, sha256_file, write_json

GLOBAL_KEYS = ("data_source", "seed", "min_cell_size")
KEY_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "factor-analyzer", "pingouin", "statsmodels",
                "seaborn", "matplotlib", "papermill", "nbval", "pandera", "krippendorff", "jupytext")


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


ANALYSES = ("01_content_analysis", "02_digital_survey", "03_innovative_capacity", "04_appraisal_360")


def _default_data_step(project: Project, gparams: dict) -> list[Path]:
    from civcomp import data

    if gparams.get("data_source", "synthetic") == "synthetic":
        from civcomp import synth

        synth.synthesize(seed=int(gparams["seed"]), params_dir=project.params, verbose=False)
    else:
        data.check_real_data()  # raises DataValidationError with the full violation list
    return data.dataset_files(gparams.get("data_source", "synthetic"))


def _default_html_step(project: Project, gparams: dict) -> Path:
    from civcomp import report

    manifest = json.loads(paths.MANIFEST.read_text()) if paths.MANIFEST.exists() else None
    return report.build_report(outputs_dir=project.outputs, manifest=manifest)


def default_project() -> Project:
    """The compendium's own pipeline."""
    steps = [Step("data", "data")]
    steps += [Step(name, "notebook", ("data",)) for name in ANALYSES]
    steps += [Step("05_report", "notebook", ANALYSES), Step("html_report", "html", ("05_report",))]
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


# --------------------------------------------------------------------------- notebook source
def notebook_source(project: Project, name: str) -> Path:
    """The jupytext ``py:percent`` source of a notebook step (the ``.ipynb`` is its pair)."""
    return project.notebooks / f"{name}.py"


def read_notebook(path: Path):
    """Read a jupytext ``.py`` (or ``.ipynb``) into an nbformat notebook."""
    import jupytext

    nb = jupytext.read(path)
    nb.metadata.pop("jupytext", None)
    stable_cell_ids(nb, Path(path).stem)
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def stable_cell_ids(nb, name: str) -> None:
    """Deterministic cell ids (jupytext draws random ones): stable anchors, reproducible notebooks."""
    for i, c in enumerate(nb.cells):
        c.id = f"{name[:2]}-{i:03d}"


def parameters_cell(nb) -> dict[str, Any]:
    """The literals of the one cell tagged ``parameters``; raises if there is not exactly one."""
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected exactly one cell tagged 'parameters', found {len(cells)}")
    out: dict[str, Any] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
        else:
            raise ValueError(f"parameters cell may hold only literal assignments, found: {ast.unparse(node)}")
    return out


def step_parameters(project: Project, name: str, gparams: dict) -> dict[str, Any]:
    """What papermill injects: the global keys the notebook declares, then its own params file."""
    declared = parameters_cell(read_notebook(notebook_source(project, name)))
    injected = {k: gparams[k] for k in GLOBAL_KEYS if k in declared and k in gparams}
    own = params_mod.load_step(name, project.params)
    unknown = sorted(set(own) - set(declared))
    if unknown:
        raise params_mod.ParamsError(
            f"params/{name}.yaml sets {', '.join(unknown)}, which the notebook's parameters cell does not declare")
    injected.update(own)
    return injected


# --------------------------------------------------------------------------- hashing
def tree_hash(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """Hash of every file below ``folder`` (names and bytes), ignoring caches."""
    h = hashlib.sha256()
    if folder.exists():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes):
                h.update(str(p.relative_to(folder)).encode())
                h.update(sha256_file(p).encode())
    return h.hexdigest()


def step_key(project: Project, step: Step, upstream: dict[str, str], src_hash: str) -> str:
    """The cache key of a step: what it reads, hashed."""
    h = hashlib.sha256()
    h.update(f"step={step.name};kind={step.kind}".encode())
    h.update(src_hash.encode())
    for f in [project.params / "global.yaml", project.params / f"{step.name}.yaml"]:
        h.update(f.name.encode() + (sha256_file(f).encode() if f.exists() else b"-"))
    if step.kind == "notebook":
        h.update(sha256_file(notebook_source(project, step.name)).encode())
        for folder in ("dictionaries", "published", "codebooks"):  # versioned inputs notebooks read
            h.update(tree_hash(project.root / "data" / folder).encode())
    if step.kind == "data":
        h.update(tree_hash(project.params / "synthetic").encode())
        h.update(tree_hash(project.root / "data" / "codebooks").encode())
        gp = params_mod.load_global(project.params)
        if gp.get("data_source") == "real":  # the real files themselves
            for rel in sorted((gp.get("real_data") or {}).values()):
                p = project.root / rel
                h.update(rel.encode() + (sha256_file(p).encode() if p.exists() else b"missing"))
    for dep in step.needs:
        h.update(f"{dep}={upstream.get(dep, '')}".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- execution
@dataclass
class Outcome:
    name: str
    status: str  # ran | cached | failed | skipped
    seconds: float = 0.0
    key: str = ""
    output_hash: str = ""  # what downstream steps see of this step
    message: str = ""


def _execute_notebook(root: str, name: str, parameters: dict) -> tuple[str, str]:
    """Run one notebook with papermill (in a worker process). Returns (status, message)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    project = Project(Path(root), [])
    project.out_notebooks.mkdir(parents=True, exist_ok=True)
    final = project.out_notebooks / f"{name}.ipynb"
    partial = project.out_notebooks / f".{name}.partial.ipynb"
    failed = project.out_notebooks / f"{name}.FAILED.ipynb"
    nb = read_notebook(notebook_source(project, name))
    # the kernel's own chatter (e.g. ipykernel's transport warning) goes to a log, not the progress lines
    log = open(project.out_notebooks / f".{name}.kernel.log", "w")
    os.dup2(log.fileno(), 2)
    try:
        pm.execute_notebook(nb, str(partial), parameters=parameters, kernel_name="python3",
                            cwd=str(project.notebooks), progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        os.replace(partial, failed)
        src_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        return "failed", (f"cell {exc.cell_index} (execution count {exc.exec_count}) failed: "
                          f"{exc.ename}: {exc.evalue}\n      cell begins: {src_line}\n"
                          f"      partial notebook kept at {failed.relative_to(project.root)}")
    except Exception as exc:  # kernel died, bad parameters …
        if partial.exists():
            os.replace(partial, failed)
        return "failed", f"{type(exc).__name__}: {exc}"
    _scrub_machine_paths(partial, project.root)
    os.replace(partial, final)
    if failed.exists():
        failed.unlink()
    return "ran", ""


def _scrub_machine_paths(nb_path: Path, root: Path) -> None:
    """papermill records absolute input/output paths; keep them relative to the repository."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    pm_meta = nb.get("metadata", {}).get("papermill", {})
    for k in ("input_path", "output_path"):
        if isinstance(pm_meta.get(k), str) and pm_meta[k].startswith(str(root)):
            pm_meta[k] = os.path.relpath(pm_meta[k], root)
    pm_meta.pop("cwd", None)
    atomic_write(nb_path, (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _run_inline(project: Project, step: Step, gparams: dict) -> tuple[str, str, list[Path]]:
    try:
        if step.kind == "data":
            files = project.data_fn(project, gparams) if project.data_fn else []
            return "ran", "", files
        if step.kind == "html":
            out = project.html_fn(project, gparams) if project.html_fn else None
            return "ran", "", [out] if out else []
    except Exception as exc:  # a data error is a user's problem: show the message, not a traceback
        msg = str(exc) if type(exc).__name__ in ("DataValidationError", "ParamsError") else \
            f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        return "failed", msg, []
    raise ValueError(f"unknown step kind {step.kind!r}")


def _output_hash(project: Project, step: Step, files: list[Path] | None = None) -> str:
    """A digest of what a step produced, so a downstream key changes when it does."""
    h = hashlib.sha256()
    if step.kind == "notebook":
        res = project.outputs / "results" / f"{step.name}.json"
        h.update(sha256_file(res).encode() if res.exists() else b"no-results")
        for t in sorted((project.outputs / "tables").glob(f"{step.name}__*.csv")):
            h.update(sha256_file(t).encode())
    for f in files or []:
        if Path(f).exists():
            h.update(sha256_file(Path(f)).encode())
    return h.hexdigest()


def _cache_file(project: Project, name: str) -> Path:
    return project.cache_dir / f"{name}.json"


def _cached(project: Project, step: Step, key: str) -> dict | None:
    f = _cache_file(project, step.name)
    if not f.exists():
        return None
    rec = json.loads(f.read_text())
    if rec.get("key") != key:
        return None
    if step.kind == "notebook" and not (project.out_notebooks / f"{step.name}.ipynb").exists():
        return None
    if any(not (project.root / p).exists() for p in rec.get("files", [])):
        return None
    return rec


def run(project: Project, only: list[str] | None = None, force: bool = False, jobs: int = 1,
        echo: Callable[[str], None] = print) -> list[Outcome]:
    """Run the pipeline; return one :class:`Outcome` per step, in completion order."""
    gparams = params_mod.load_global(project.params)
    steps = closure(project.steps, only) if only else topo_order(project.steps)
    src_hash = tree_hash(project.src)
    outcomes: dict[str, Outcome] = {}
    upstream: dict[str, str] = {}
    pending = list(steps)
    running: dict[cf.Future, tuple[Step, str, float]] = {}
    width = max(len(s.name) for s in steps)
    ctx = mp.get_context("spawn")  # a fresh interpreter per notebook run: no forked kernel state

    def report(o: Outcome):
        outcomes[o.name] = o
        echo(f"  {o.status:<7} {o.name:<{width}} {o.seconds:7.1f} s" + (f"\n      {o.message}" if o.message else ""))

    def finish(step: Step, key: str, status: str, msg: str, t0: float, files: list[Path] | None = None):
        secs = time.perf_counter() - t0
        out_hash = _output_hash(project, step, files) if status == "ran" else ""
        if status == "ran":
            rel = [str(Path(f).resolve().relative_to(project.root)) for f in files or []
                   if Path(f).resolve().is_relative_to(project.root)]
            write_json(_cache_file(project, step.name),
                       {"key": key, "output_hash": out_hash, "seconds": round(secs, 2), "files": rel})
            upstream[step.name] = out_hash
        report(Outcome(step.name, status, secs, key, out_hash, msg))

    with cf.ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=ctx) as pool:
        while pending or running:
            progressed = False
            for step in list(pending):
                deps = [outcomes.get(d) for d in step.needs if d in {s.name for s in steps}]
                if any(d is None for d in deps):
                    continue
                pending.remove(step)
                progressed = True
                if any(d.status in ("failed", "skipped") for d in deps):
                    report(Outcome(step.name, "skipped", message="an upstream step failed"))
                    continue
                # steps outside --only still feed their last output hash into the key
                for d in step.needs:
                    if d not in upstream and _cache_file(project, d).exists():
                        upstream[d] = json.loads(_cache_file(project, d).read_text()).get("output_hash", "")
                key = step_key(project, step, upstream, src_hash)
                rec = None if force else _cached(project, step, key)
                if rec is not None:
                    upstream[step.name] = rec.get("output_hash", "")
                    report(Outcome(step.name, "cached", 0.0, key, upstream[step.name]))
                    continue
                t0 = time.perf_counter()
                if step.kind == "notebook":
                    try:
                        prm = step_parameters(project, step.name, gparams)
                    except (ValueError, params_mod.ParamsError) as exc:
                        finish(step, key, "failed", str(exc), t0)
                        continue
                    fut = pool.submit(_execute_notebook, str(project.root), step.name, prm)
                    running[fut] = (step, key, t0)
                else:
                    if step.kind == "html":  # the report shows this run's provenance
                        write_manifest(project, list(outcomes.values()), _data_files(gparams))
                    status, msg, files = _run_inline(project, step, gparams)
                    finish(step, key, status, msg, t0, files)
            if running and (not progressed or len(running) >= jobs or not pending):
                done, _ = cf.wait(list(running), return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    step, key, t0 = running.pop(fut)
                    try:
                        status, msg = fut.result()
                    except Exception as exc:  # worker crashed
                        status, msg = "failed", f"{type(exc).__name__}: {exc}"
                    finish(step, key, status, msg, t0)
            elif not progressed and not running and pending:
                raise RuntimeError(f"steps cannot be scheduled: {[s.name for s in pending]}")
    return [outcomes[s.name] for s in steps if s.name in outcomes]


# --------------------------------------------------------------------------- nbval
NBVAL_MARK = "# NBVAL_CHECK_OUTPUT"


def record_nbval(project: Project, name: str) -> Path:
    """Write ``notebooks/<name>.ipynb``: the jupytext source, outputs kept only in the checked cells.

    nbval (``--nbval-lax``) compares just the cells marked ``# NBVAL_CHECK_OUTPUT``
    with what is recorded here, so the committed notebook stays small and its
    diff shows exactly which headline number changed. Cell ids are deterministic.
    """
    import jupytext
    import nbformat

    src = jupytext.read(notebook_source(project, name))
    executed = nbformat.read(project.out_notebooks / f"{name}.ipynb", as_version=4)
    by_source = {c.source: c for c in executed.cells if c.cell_type == "code"}
    stable_cell_ids(src, name)
    for c in src.cells:
        if c.cell_type != "code":
            continue
        c.outputs, c.execution_count = [], None
        if c.source.lstrip().startswith(NBVAL_MARK):
            if c.source not in by_source:
                raise ValueError(f"{name}: the checked cell is not in the executed notebook; rerun it first")
            c.outputs = by_source[c.source].outputs
            c.execution_count = by_source[c.source].execution_count
    src.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    out = project.notebooks / f"{name}.ipynb"
    atomic_write(out, jupytext.writes(src, fmt="ipynb").encode("utf-8"))
    return out


# --------------------------------------------------------------------------- manifest
def _data_files(gparams: dict) -> list[Path]:
    from civcomp import data

    try:
        return data.dataset_files(gparams.get("data_source", "synthetic"))
    except Exception:  # the data step failed or has not run; the manifest still records the steps
        return []


def git_state(root: Path) -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                    capture_output=True, text=True, check=True).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_manifest(project: Project, outcomes: list[Outcome], data_files: list[Path]) -> dict:
    gparams = params_mod.load_global(project.params)
    step_params = {s.name: params_mod.load_step(s.name, project.params) for s in project.steps
                   if s.kind == "notebook"}
    previous = {}
    mf = project.outputs / "manifest.json"
    if mf.exists():
        previous = json.loads(mf.read_text()).get("steps", {})
    steps = dict(previous)
    for o in outcomes:
        steps[o.name] = {"status": o.status, "seconds": round(o.seconds, 2), "key": o.key}
    manifest = {
        "git": git_state(project.root),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": package_versions(),
        "params": {"global": gparams, "steps": step_params},
        "data_source": gparams.get("data_source", "synthetic"),
        "data": {str(Path(f).resolve().relative_to(project.root)) if Path(f).resolve().is_relative_to(project.root)
                 else str(f): sha256_file(Path(f)) for f in sorted(map(Path, data_files)) if Path(f).exists()},
        "steps": steps,
    }
    write_json(mf, manifest)
    return manifest


# --------------------------------------------------------------------------- claims
def check_claims(results_dir: Path, data_source: str, strict: bool, echo: Callable[[str], None] = print) -> int:
    """Print how many published claims the results reproduce; with ``strict``, 3 when any computable one fails.

    The failing claims are named, so a reviewer sees which number did not come out again.
    """
    from civcomp import claims

    try:
        ev = claims.evaluate(results_dir)
    except Exception as exc:  # report the problem; the pipeline's own status stands
        echo(f"claims could not be evaluated: {type(exc).__name__}: {exc}")
        return 3 if strict else 0
    c = {k: sum(e["status"] == k for e in ev) for k in ("pass", "fail", "not computable")}
    echo(f"published claims: {c['pass']} pass, {c['fail']} fail, {c['not computable']} not computable "
         f"(of {len(ev)}; data: {data_source})")
    failures = claims.strict_failures(ev)
    if failures:
        echo("claims not reproduced: " + ", ".join(failures))
    return 3 if strict and failures else 0


# --------------------------------------------------------------------------- command line
def cli(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="civcomp reproduce",
                                 description="Run the whole study: data step, notebooks, report.")
    ap.add_argument("--jobs", type=int, default=1, help="notebooks run at once (independent steps only)")
    ap.add_argument("--force", action="store_true", help="ignore the cache and rerun every selected step")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="run this step and what it needs (repeatable)")
    ap.add_argument("--strict", action="store_true",
                    help="exit non-zero when any computable published claim is not reproduced")
    ap.add_argument("--list", action="store_true", help="list the steps and exit")
    ap.add_argument("--record-nbval", action="store_true",
                    help="after the run, re-record the checked outputs in notebooks/*.ipynb")
    a = ap.parse_args(argv)
    project = default_project()
    if a.list:
        for s in topo_order(project.steps):
            print(f"{s.name:<24} {s.kind:<9} needs: {', '.join(s.needs) or '-'}")
        return 0
    try:
        gparams = params_mod.load_global(project.params)
        params_mod.data_source(project.params)
        names = closure(project.steps, a.only) if a.only else project.steps
    except (params_mod.ParamsError, KeyError) as exc:
        print(f"civcomp reproduce: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    print(f"civcomp reproduce — data: {gparams.get('data_source', 'synthetic')}, seed {gparams.get('seed')}, "
          f"{len(names)} step(s), jobs {a.jobs}")
    outcomes = run(project, only=a.only, force=a.force, jobs=a.jobs)
    write_manifest(project, outcomes, _data_files(gparams))
    counts = {k: sum(o.status == k for o in outcomes) for k in ("ran", "cached", "failed", "skipped")}
    print(f"{len(outcomes)} steps: {counts['ran']} ran, {counts['cached']} cached, {counts['failed']} failed, "
          f"{counts['skipped']} skipped — {time.perf_counter() - t0:.1f} s; manifest: outputs/manifest.json")
    rc = 1 if counts["failed"] or counts["skipped"] else 0
    if a.record_nbval and rc == 0:
        for o in outcomes:
            if project.step(o.name).kind == "notebook":
                print(f"recorded {record_nbval(project, o.name).relative_to(project.root)}")
    results_dir = project.outputs / "results"
    if (results_dir / "05_report.json").exists():
        rc = rc or check_claims(results_dir, gparams.get("data_source", "synthetic"), a.strict)
    return rc
