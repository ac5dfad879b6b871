"""Running the pipeline: one parameter snapshot, a run lock, papermill in worker processes, verified cache.

:func:`run` validates every parameter file before any step starts (one
:class:`~civcomp.errors.ParamsError` lists every problem), takes ``outputs/.cache/run.lock``
(a second concurrent run is refused), prints a line when a step starts and when it ends,
and on any abort (Ctrl-C, SIGTERM, an exception) kills every process it started — the
pool workers and their kernels — before it returns. A worker whose runner died (SIGKILL)
kills its kernel and exits within a fraction of a second, so nothing keeps writing.

A failed notebook's partial copy is kept in ``build/failed/`` (outside ``outputs/``: it can
hold respondent-level output) and removed by the step's next success. The manifest is rewritten
whenever a step starts or ends (:mod:`civcomp.runner.manifest`). The HTML report is marked STALE
before the first step that changes anything starts, so a run killed at any point leaves it marked;
the report step's success (or its verified cache) removes the mark.

Size: one job, running the step graph — with the process control and the safe writes (lock, kernel log,
partial and final notebooks through :mod:`civcomp.io.atomic`) that job needs.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from civcomp import paths
from civcomp.errors import CivcompError
from civcomp.io import atomic
from civcomp.io import mapping as mapping_mod
from civcomp.io import params as params_mod
from civcomp.io.outputs import atomic_write, write_json
from civcomp.runner.cache import (
    OUTSIDE,
    cache_file,
    cached,
    code_stamp,
    code_state,
    file_hashes,
    forget,
    output_hash,
    record,
    rel_name,
    step_key,
    step_outputs,
)
from civcomp.runner.graph import Outcome, Project, Step, closure, critical_times, real_file, topo_order
from civcomp.runner.manifest import manifest_header, write_manifest
from civcomp.runner.notebooks import notebook_source, read_notebook, step_parameters
from civcomp.runner.watch import KERNEL_ARGUMENTS, caller, forkserver_pid, start_worker, worker_context

STALE_MARK = "civcomp-stale-banner"


class RunLocked(CivcompError):
    """Another run holds the project's lock."""


# --------------------------------------------------------------------------- processes
def _descendants():
    import psutil

    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def _resource_tracker_pid() -> int | None:
    from multiprocessing import resource_tracker

    return getattr(resource_tracker._resource_tracker, "_pid", None)


def kill_descendants() -> None:
    """SIGKILL every process this one started (workers, kernels), children first-found.

    multiprocessing's resource tracker is spared: it holds the names of the pool's semaphores, and killing
    it makes the interpreter start a new one at exit that knows none of them (a ``KeyError`` traceback for
    each, and leaked semaphores). It exits by itself once this process is gone. So is the fork server
    (:func:`~civcomp.runner.watch.worker_context`): it only forks on request and writes nothing, its workers
    are killed, and the next run in this process would otherwise race its restart.
    """
    spared = {_resource_tracker_pid(), forkserver_pid()}
    for p in _descendants():
        if p.pid in spared:
            continue
        try:
            p.kill()
        except Exception:  # already gone
            pass


# --------------------------------------------------------------------------- execution
def _execute_notebook(root: str, name: str, parameters: dict) -> tuple[str, str]:
    """Run one notebook with papermill (in a worker process). Returns (status, message).

    papermill writes the partial notebook into a fresh private folder (nothing can be planted there);
    the finished notebook is written into outputs/notebooks/ through a temporary file in that folder
    (an outputs/ on another filesystem works), a failed one moved to build/failed/.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    project = Project(Path(root), [])
    final = project.out_notebooks / f"{name}.ipynb"
    failed = project.failed_dir / f"{name}.FAILED.ipynb"
    atomic.protect(project.outputs)  # this worker's writes are checked like the runner's
    atomic.protect(project.root / "build")
    atomic.guard(project.failed_dir)
    project.failed_dir.mkdir(parents=True, exist_ok=True)
    for old in project.failed_dir.glob(f".{name}.*"):  # left by a worker that was killed
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
    nb = read_notebook(notebook_source(project, name))
    os.environ[paths.OUTPUTS_ENV] = str(project.outputs)  # the kernel writes this project's outputs, whatever is set
    # the kernel's own chatter (e.g. ipykernel's transport warning) goes to a log, not the progress lines
    log = atomic.open_new(project.failed_dir / f".{name}.kernel.log", "w")
    os.dup2(log.fileno(), 2)
    with tempfile.TemporaryDirectory(prefix=f".{name}.", dir=project.failed_dir) as private:
        partial = Path(private) / f"{name}.partial.ipynb"
        try:
            pm.execute_notebook(
                nb,
                str(partial),
                parameters=parameters,
                kernel_name="python3",
                cwd=str(project.notebooks),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                extra_arguments=KERNEL_ARGUMENTS,  # the kernel exits when this worker dies
            )
        except PapermillExecutionError as exc:
            atomic.move(partial, failed)
            src_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
            return "failed", (
                f"cell {exc.cell_index} (execution count {exc.exec_count}) failed: "
                f"{exc.ename}: {exc.evalue}\n      cell begins: {src_line}\n"
                f"      partial notebook kept at {failed.relative_to(project.root)}"
            )
        except Exception as exc:  # kernel died, bad parameters …
            if partial.exists():
                atomic.move(partial, failed)
            return "failed", f"{type(exc).__name__}: {exc}"
        atomic.write_bytes(final, _scrubbed(partial, project.root, final))
    return "ran", ""


def _scrubbed(nb_path: Path, root: Path, final: Path) -> bytes:
    """The notebook's bytes, papermill's machine paths replaced: input relative to the repository, output final."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    pm_meta = nb.get("metadata", {}).get("papermill", {})
    if isinstance(pm_meta.get("input_path"), str) and pm_meta["input_path"].startswith(str(root)):
        pm_meta["input_path"] = os.path.relpath(pm_meta["input_path"], root)
    if "output_path" in pm_meta:  # papermill wrote into a private temporary folder
        pm_meta["output_path"] = final.relative_to(root).as_posix() if final.is_relative_to(root) else final.name
    pm_meta.pop("cwd", None)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _run_inline(project: Project, step: Step, gparams: dict) -> tuple[str, str, list[Path]]:
    try:
        if step.kind == "data":
            files = project.data_fn(project, gparams) if project.data_fn else []
            return "ran", "", files
        if step.kind == "html":
            out = project.html_fn(project, gparams) if project.html_fn else None
            return "ran", "", [] if out is None else list(out) if isinstance(out, (list, tuple)) else [out]
    except Exception as exc:  # a data error is a user's problem: show the message, not a traceback
        msg = (
            str(exc)
            if isinstance(exc, CivcompError) or type(exc).__name__ == "DataValidationError"
            else f"cannot write {exc.filename or 'a file'}: {exc.strerror or exc}"
            if isinstance(exc, OSError)
            else f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        )
        return "failed", msg, []
    raise ValueError(f"unknown step kind {step.kind!r}")


def clear_failed(project: Project, name: str) -> None:
    """Remove a step's FAILED notebook (new place and the old one inside outputs/)."""
    for f in (project.failed_dir / f"{name}.FAILED.ipynb", project.out_notebooks / f"{name}.FAILED.ipynb"):
        f.unlink(missing_ok=True)


NO_DATA = ("not found", "is not set")  # how a skip for absent real data ends


def no_data(o: Outcome) -> bool:
    """Whether the step was skipped because its real file is absent (not an error in real mode)."""
    return o.status == "skipped" and o.message.startswith("needs ") and o.message.endswith(NO_DATA)


def missing_data(project: Project, step: Step, gparams: dict) -> str:
    """In real mode: why ``step`` cannot run (its real files absent), or ``""``."""
    if gparams.get("data_source") != "real":
        return ""
    for name in step.datasets:
        p = real_file(project, gparams, name)
        if p is None:
            return f"needs {name} — params/global.yaml real_data.{name} is not set"
        if not p.is_file():
            shown = p.relative_to(project.root).as_posix() if p.is_relative_to(project.root) else str(p)
            return f"needs {name} — {shown} not found"
    return ""


_BANNER = re.compile(f'<div id="{STALE_MARK}"[^>]*>.*?</div>', re.S)


def _report_pages(project: Project) -> list[Path]:
    """The report's pages (``index.html`` and one per paper), each of which carries the banner."""
    folder = project.outputs / "report"
    return sorted(folder.glob("*.html"), key=lambda p: (p.name != "index.html", p.name)) if folder.is_dir() else []


def mark_report_stale(project: Project, why: str) -> Path | None:
    """Put a STALE banner at the top of every report page (its reason replaced when there is one).

    Returns ``index.html``, if the report exists.
    """
    pages = _report_pages(project)
    banner = (
        f'<div id="{STALE_MARK}" style="background:#b00020;color:#fff;padding:12px 16px;'
        f'font:bold 16px system-ui,sans-serif">STALE — this page shows an earlier run. {why} '
        f"Run <code>civcomp reproduce</code> to rebuild it.</div>"
    )
    for page in pages:
        text = _BANNER.sub("", page.read_text(encoding="utf-8"), count=1)
        i = text.find("<body")
        j = text.find(">", i) + 1 if i >= 0 else 0
        atomic_write(page, (text[:j] + banner + text[j:]).encode("utf-8"))
    return pages[0] if pages and pages[0].name == "index.html" else None


def unmark_report_stale(project: Project, step: Step, key: str) -> None:
    """Remove the STALE banner when what remains is the page the report step recorded under ``key``.

    The runner marks the pages before it changes anything; when every step then gives back the outputs
    the pages were built from, the report step's key is unchanged and each page, banner removed, is current.
    """
    rec = record(project, step.name)
    if rec is None or rec.get("key") != key:
        return
    for page in _report_pages(project):
        text = page.read_text(encoding="utf-8")
        if STALE_MARK not in text:
            continue
        clean = _BANNER.sub("", text, count=1).encode("utf-8")
        if rec["files"].get(rel_name(project, page)) == hashlib.sha256(clean).hexdigest():
            atomic_write(page, clean)


def _lock(project: Project):
    import fcntl

    project.cache_dir.mkdir(parents=True, exist_ok=True)
    fh = atomic.open_new(project.cache_dir / "run.lock", "a+", truncate=False)
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        raise RunLocked(
            f"another civcomp reproduce is running on {project.root} (pid {holder}); "
            "wait for it, or stop it, then run again"
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


def check_writable(project: Project) -> None:
    """Raise :class:`CivcompError` naming the folder when outputs/ (or build/) cannot be written.

    A probe of a few kilobytes is written and flushed, so a full disk is found before any step starts;
    a symbolic link planted below outputs/ or build/ is refused (:class:`~civcomp.io.atomic.UnsafePathError`).
    """
    for folder in (project.outputs, project.cache_dir, project.failed_dir):
        probe = folder / f".write-probe-{os.getpid()}"
        try:
            atomic.guard(folder)
            folder.mkdir(parents=True, exist_ok=True)
            with atomic.open_new(probe, "w") as fh:
                fh.write(" " * 4096)
                fh.flush()
                os.fsync(fh.fileno())
        except atomic.UnsafePathError:
            raise
        except OSError as exc:
            raise CivcompError(
                f"{folder} is not writable ({exc.strerror or exc}); the pipeline writes its outputs "
                "there — fix the permissions or free the disk"
            ) from None
        finally:
            try:
                probe.unlink(missing_ok=True)
            except OSError:
                pass


# --------------------------------------------------------------------------- the run
def run(
    project: Project,
    only: list[str] | None = None,
    force: bool = False,
    jobs: int = 1,
    echo: Callable[[str], None] = print,
    snap: params_mod.Snapshot | None = None,
) -> list[Outcome]:
    """Run the pipeline; return one :class:`Outcome` per step, in completion order.

    Raises :class:`~civcomp.errors.ParamsError` (every problem of the parameter files),
    :class:`RunLocked` or :class:`~civcomp.errors.CivcompError` (outputs/ not writable)
    before any step starts.
    """
    steps = closure(project.steps, only) if only else topo_order(project.steps)
    nb_names = tuple(s.name for s in project.steps if s.kind == "notebook")
    if snap is None:
        snap = params_mod.snapshot(nb_names, project.params, project.notebooks, project.root)
    if snap.global_.get("data_source") == "real":  # a mapping that cannot be read: nothing runs
        problems = mapping_mod.check_all(project.params)
        if problems:
            raise params_mod.ParamsError("nothing was run — " + "\n".join(problems))
    atomic.protect(project.outputs)  # nothing below outputs/ and build/ may be a symbolic link
    atomic.protect(project.root / "build")
    check_writable(project)
    lock = _lock(project)
    try:
        return _run(project, steps, snap, force, jobs, echo)
    finally:
        lock.close()


def _changed_code(project: Project, before, after) -> str:
    """The first file of a step's code whose stamp moved (for the message)."""
    old, new = dict((f, st) for f, *st in before), dict((f, st) for f, *st in after)
    for f in sorted(set(old) | set(new)):
        if old.get(f) != new.get(f):
            return Path(f).relative_to(project.root).as_posix() if Path(f).is_relative_to(project.root) else f
    return "?"


def _run(project, steps, snap, force, jobs, echo) -> list[Outcome]:
    gparams = snap.global_
    runnable = [s for s in steps if not missing_data(project, s, gparams)]
    # the data the selected steps read; with none (``--only data``), what every step reads
    readers = [s for s in runnable if s.datasets] or [
        s for s in project.steps if s.datasets and not missing_data(project, s, gparams)
    ]
    project.needed_datasets = tuple(dict.fromkeys(d for s in readers for d in s.datasets))
    outcomes: dict[str, Outcome] = {}
    upstream: dict[str, str] = {}
    pending = list(steps)
    running: dict[cf.Future, tuple[Step, str, float]] = {}
    width = max(len(s.name) for s in steps)
    selected = {s.name for s in steps}
    previous: dict[str, str] = {}  # output hash each step had before this run (a rerun may give the same bytes)
    changed: set[str] = set()
    stamps: dict[str, tuple] = {}  # each step's code stamp, taken when it starts
    unfinished: dict[str, str] = {}  # what the manifest says of steps under way: running | interrupted | stale
    html = next((s for s in project.steps if s.kind == "html"), None)
    header: dict = {}

    def save_manifest():
        if not header:  # git state, versions, parameters: once per run
            header.update(manifest_header(project, snap))
        write_manifest(project, list(outcomes.values()), inputs(project, gparams), snap, dict(unfinished), header)

    # the longest remaining chain first (the last run's seconds, else the declared estimates)
    remaining = critical_times(steps, recorded_seconds(project, steps))
    pending.sort(key=lambda s: -remaining[s.name])

    def report(o: Outcome):
        outcomes[o.name] = o
        unfinished.pop(o.name, None)
        echo(f"  {o.status:<7} {o.name:<{width}} {o.seconds:7.1f} s" + (f"\n      {o.message}" if o.message else ""))

    def starting(step: Step):
        """Before a step touches its outputs: the manifest stops claiming them, the report page is marked."""
        unfinished[step.name] = "running"
        page = project.outputs / "report" / "index.html"
        mark = html is not None and step.kind != "html" and html.name not in unfinished and page.is_file()
        if mark:
            unfinished[html.name] = "stale"
        save_manifest()
        if mark:
            mark_report_stale(
                project,
                f"A run started at {time.strftime('%Y-%m-%d %H:%M')} is changing what it shows "
                f"({step.name} first) and has not rebuilt it.",
            )

    def finish(step: Step, key: str, status: str, msg: str, t0: float, files: list[Path] | None = None):
        secs = time.perf_counter() - t0
        out_hash = ""
        if status == "ran":
            hashes = file_hashes(project, list(files or []) + step_outputs(project, step))
            out_hash = output_hash(hashes)
            now = code_stamp(project, step)
            if now != stamps[step.name]:  # what ran is not what the key says: no record, the next run repeats it
                msg = (
                    f"its code changed while it ran ({_changed_code(project, stamps[step.name], now)}): "
                    "not recorded as current, the next run repeats it"
                )
            else:
                write_json(
                    cache_file(project, step.name),
                    {"key": key, "output_hash": out_hash, "seconds": round(secs, 2), "files": hashes},
                )
            upstream[step.name] = out_hash
            clear_failed(project, step.name)
            if out_hash != previous.get(step.name):
                changed.add(step.name)
        report(Outcome(step.name, status, secs, key, out_hash, msg))
        save_manifest()

    ctx = worker_context(["civcomp.runner.execute", "papermill"])  # no forked kernel state, imports paid once
    pool = cf.ProcessPoolExecutor(
        max_workers=max(1, jobs),
        mp_context=ctx,
        initializer=start_worker,
        initargs=(caller(), 0.1, kill_descendants),  # the runner gone: kill the kernel, exit
    )
    try:
        while pending or running:
            progressed = False
            for step in list(pending):
                deps = [outcomes.get(d) for d in step.needs if d in selected]
                if any(d is None for d in deps) or (step.kind == "notebook" and len(running) >= max(1, jobs)):
                    continue
                pending.remove(step)
                progressed = True
                why = missing_data(project, step, gparams)
                if why:
                    forget(project, step.name)
                    report(Outcome(step.name, "skipped", message=why))
                    if step_outputs(project, step):  # earlier outputs do not describe this run's data
                        save_manifest()  # which no longer claims them
                        for f in step_outputs(project, step):
                            f.unlink(missing_ok=True)
                    continue
                refused = [project.invalid_datasets[n] for n in step.datasets if n in project.invalid_datasets]
                if refused:  # present but invalid: a failure, never "absent"
                    report(Outcome(step.name, "failed", message="; ".join(refused)))
                    continue
                bad = [d for d in deps if d.status in ("failed", "skipped")]
                if step.partial and bad and all(no_data(d) or d.message.endswith("(skipped: no data)") for d in bad):
                    ran = [d for d in deps if d.status in ("ran", "cached") and project.step(d.name).kind == "notebook"]
                    bad = [] if ran else bad  # runs over the steps that ran
                if bad:
                    names = ", ".join(d.name for d in bad)
                    nodata = all(no_data(d) or d.message.endswith("(skipped: no data)") for d in bad)
                    report(
                        Outcome(
                            step.name,
                            "skipped",
                            message=f"needs {names} ({'skipped: no data' if nodata else 'failed or skipped'})",
                        )
                    )
                    continue
                # steps outside --only still feed their last output hash into the key
                for d in step.needs:
                    if d not in upstream and cache_file(project, d).exists():
                        try:
                            upstream[d] = json.loads(cache_file(project, d).read_text()).get("output_hash", "")
                        except ValueError:
                            upstream[d] = ""
                src_hash, stamps[step.name] = code_state(project, step)  # when the step starts, not the run
                key = step_key(project, step, upstream, src_hash, snap)
                if step.kind == "html" and not force:
                    unmark_report_stale(project, step, key)
                rec = None if force else cached(project, step, key)
                if rec is not None:
                    upstream[step.name] = rec.get("output_hash", "")
                    clear_failed(project, step.name)
                    report(Outcome(step.name, "cached", 0.0, key, upstream[step.name]))
                    continue
                try:
                    previous[step.name] = json.loads(cache_file(project, step.name).read_text()).get("output_hash")
                except (OSError, ValueError):
                    pass
                forget(project, step.name)  # no record may survive a run that is killed half-way
                starting(step)
                echo(f"  start   {step.name}")
                t0 = time.perf_counter()
                if step.kind == "notebook":
                    for f in step_outputs(project, step):  # a run leaves only what it wrote
                        f.unlink(missing_ok=True)
                    fut = pool.submit(_execute_notebook, str(project.root), step.name, step_parameters(snap, step.name))
                    running[fut] = (step, key, t0)
                else:
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
    except BaseException:
        kill_descendants()  # workers and kernels: nothing keeps writing after an abort
        pool.shutdown(wait=False, cancel_futures=True)
        unfinished.update({n: "interrupted" for n, st in unfinished.items() if st == "running"})
        try:
            save_manifest()
        except Exception:  # the abort is what must be reported; the last manifest written claims nothing false
            pass
        raise
    pool.shutdown(wait=True)
    done_list = [outcomes[s.name] for s in steps if s.name in outcomes]
    if html is not None:
        h = outcomes.get(html.name)
        problems = [o for o in done_list if o.status in ("failed", "skipped")]
        if (problems or changed - {html.name}) and (h is None or h.status not in ("ran", "cached")):
            why = f"The run of {time.strftime('%Y-%m-%d %H:%M')} did not rebuild it" + (
                f" ({', '.join(o.name for o in problems)} failed or skipped)."
                if problems
                else f" (run with --only; {', '.join(sorted(changed))} changed)."
            )
            page = mark_report_stale(project, why)
            if page is not None:
                forget(project, html.name)
                echo(f"  note    {page.relative_to(project.root)} marked STALE: {why}")
    save_manifest()
    return done_list


def recorded_seconds(project: Project, steps: list[Step]) -> dict[str, float]:
    """How long each step took when it last ran (from its cache record; absent when never recorded)."""
    out = {}
    for s in steps:
        try:
            secs = json.loads(cache_file(project, s.name).read_text()).get("seconds")
        except (OSError, ValueError):
            continue
        if isinstance(secs, (int, float)) and secs > 0:
            out[s.name] = float(secs)
    return out


def inputs(project: Project, gparams: dict) -> list[Path]:
    """The data files the manifest hashes: the twin, or the present real files."""
    rec = cache_file(project, "data")
    try:
        files = json.loads(rec.read_text()).get("files", {})
    except (OSError, ValueError):
        return []
    inside = [project.root / f for f in files if not f.startswith(OUTSIDE)]
    outside = {f[len(OUTSIDE) :] for f in files if f.startswith(OUTSIDE)}  # recorded by name only
    named = [real_file(project, gparams, n) for n in (gparams.get("real_data") or {})]
    return inside + [p for p in named if p is not None and p.name in outside and p.is_file()]
