"""Running the pipeline: papermill in worker processes, inline steps, scheduling, outcomes.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import time
import traceback
from pathlib import Path
from typing import Callable

from civcomp.io import params as params_mod
from civcomp.io.outputs import atomic_write, write_json
from civcomp.pipeline.cache import (
    _cache_file,
    _cached,
    _output_hash,
    step_key,
    tree_hash,
)
from civcomp.pipeline.graph import Outcome, Project, Step, closure, topo_order
from civcomp.pipeline.manifest import _data_files, write_manifest
from civcomp.pipeline.notebooks import notebook_source, read_notebook, step_parameters


# --------------------------------------------------------------------------- execution
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
