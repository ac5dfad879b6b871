"""``civcomp reproduce``: run the whole study (data step, notebooks, report)."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from civcomp.commands import args
from civcomp.errors import CivcompError
from civcomp.io import params as params_mod
from civcomp.replication.claims.evaluation import strict_failures, summary, summary_line
from civcomp.replication.claims.evaluation_file import evaluations_path, read_evaluations
from civcomp.replication.claims.schema import ClaimsError
from civcomp.runner.execute import no_data, run
from civcomp.runner.graph import closure, default_project, topo_order
from civcomp.runner.nbval import record_nbval


# --------------------------------------------------------------------------- claims
def check_claims(results_dir: Path, data_source: str, strict: bool, echo: Callable[[str], None] = print) -> int:
    """Print how many published claims the results reproduce, per evidence class; with ``strict``, 3 when a
    ``data`` or ``derived`` claim fails (or the evaluations are missing or stale).

    Reads the evaluations notebook 05 wrote (``outputs/results/05_report__claims.json``): the claims are
    evaluated once, there, never again here. The failing claims are named, so a reviewer sees which
    number did not come out again. On the synthetic twin ``--strict`` refuses only calibrated claims: a free
    claim the twin does not reproduce is named apart (it is about the twin's assumptions, not the pipeline).
    """
    try:
        doc = read_evaluations(results_dir)
    except ClaimsError as exc:  # report the problem; the pipeline's own status stands
        echo(f"claims could not be read: {exc}")
        return 3 if strict else 0
    ev = doc["evaluations"]
    echo(f"published claims: {summary_line(summary(ev))} (of {len(ev)}; data: {doc.get('data_source', data_source)})")
    inconsistent = [e["id"] for e in ev if e.get("evidence") == "consistency" and e["status"] == "fail"]
    if inconsistent:
        echo("the paper disagrees with itself (consistency, not refused by --strict): " + ", ".join(inconsistent))
    failures = strict_failures(ev)
    free = [e["id"] for e in ev if e["status"] == "fail" and e.get("calibrated") is False and e["id"] not in failures]
    if free:  # on the twin only: a claim the twin was not built to reproduce
        echo(
            "free claims the twin does not reproduce (about the twin, not the paper; not refused by --strict): "
            + ", ".join(free)
        )
    if failures:
        echo("claims not reproduced: " + ", ".join(failures))
    return 3 if strict and failures else 0


# --------------------------------------------------------------------------- command line
EXIT_CODES = """exit status:
  0  every selected step ran or was verified cached (in real mode, steps whose own files are absent are
     skipped and named: that is not an error)
  1  a step failed, or was skipped because a step it needs failed
  2  the parameter files are malformed (every problem listed), outputs/ is not writable (a full disk, a
     read-only folder, a symbolic link planted below it), another run holds the lock, or an unknown step
     or a bad option was given
  3  with --strict: a computable published claim was not reproduced
  130  interrupted (Ctrl-C / SIGTERM): every worker and kernel was stopped"""


MAX_JOBS = 32  # each job is a Python process and a kernel (~300 MB)


def _on_sigterm(signum, frame):  # turn a polite kill into an abort the runner cleans up after
    raise KeyboardInterrupt


def cli(argv: list[str]) -> int:
    ap = args.Parser(
        prog="civcomp reproduce",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run the whole study: data step, notebooks, report.",
    )
    ap.add_argument(
        "--jobs",
        type=args.integer(1, MAX_JOBS),
        default=1,
        help=f"notebooks run at once, 1 to {MAX_JOBS} (independent steps only; default 1)",
    )
    ap.add_argument("--force", action="store_true", help="ignore the cache and rerun every selected step")
    ap.add_argument("--only", action="append", metavar="NAME", help="run this step and what it needs (repeatable)")
    ap.add_argument(
        "--strict", action="store_true", help="exit 3 when a data or derived published claim is not reproduced"
    )
    ap.add_argument("--list", action="store_true", help="list the steps and exit")
    ap.add_argument(
        "--record-nbval", action="store_true", help="after the run, re-record the checked outputs in notebooks/*.ipynb"
    )
    a = ap.parse_args(argv)
    project = default_project()
    if a.list:
        for s in topo_order(project.steps):
            print(
                f"{s.name:<24} {s.kind:<9} needs: {', '.join(s.needs) or '-'}"
                + (f"; data: {', '.join(s.datasets)}" if s.datasets else "")
            )
        return 0
    try:
        names = closure(project.steps, a.only) if a.only else project.steps
        snap = params_mod.snapshot(
            tuple(s.name for s in project.steps if s.kind == "notebook"),
            project.params,
            project.notebooks,
            project.root,
        )
    except KeyError as exc:
        print(f"civcomp reproduce: {exc.args[0]}", file=sys.stderr)
        return 2
    except params_mod.ParamsError as exc:
        print(f"civcomp reproduce: nothing was run — {exc}", file=sys.stderr)
        return 2
    gparams = snap.global_
    source = gparams.get("data_source", "synthetic")
    t0 = time.perf_counter()
    print(f"civcomp reproduce — data: {source}, seed {gparams.get('seed')}, {len(names)} step(s), jobs {a.jobs}")
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        outcomes = run(project, only=a.only, force=a.force, jobs=a.jobs, snap=snap)
    except CivcompError as exc:  # locked, outputs/ not writable, a symbolic link planted under outputs/
        print(f"civcomp reproduce: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk or a folder turned read-only during the run
        print(f"civcomp reproduce: stopped — {args.os_error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "civcomp reproduce: interrupted — every worker and kernel was stopped; steps that did not finish "
            "will run again next time",
            file=sys.stderr,
        )
        return 130
    counts = {k: sum(o.status == k for o in outcomes) for k in ("ran", "cached", "failed", "skipped")}
    print(
        f"{len(outcomes)} steps: {counts['ran']} ran, {counts['cached']} cached, {counts['failed']} failed, "
        f"{counts['skipped']} skipped — {time.perf_counter() - t0:.1f} s; manifest: outputs/manifest.json"
    )
    nodata = [o for o in outcomes if no_data(o)]
    invalid = [o for o in outcomes if o.status == "failed" and "fails validation" in o.message]
    if source == "real" and (nodata or invalid):
        done = [o.name for o in outcomes if o.status in ("ran", "cached") and project.step(o.name).kind == "notebook"]
        print(
            f"data per step: real for {', '.join(done) or 'none'}"
            + (f"; not run (real files absent): {', '.join(o.name for o in nodata)}" if nodata else "")
            + (f"; failed validation: {', '.join(o.name for o in invalid)}" if invalid else "")
        )
    blocking = [o for o in outcomes if o.status == "failed" or (o.status == "skipped" and o not in nodata)]
    rc = 1 if blocking else 0
    if a.record_nbval and rc == 0 and not nodata:
        for o in outcomes:
            if project.step(o.name).kind == "notebook":
                print(f"recorded {record_nbval(project, o.name).relative_to(project.root)}")
    results_dir = project.outputs / "results"
    report_ok = any(o.name == "05_report" and o.status in ("ran", "cached") for o in outcomes)
    if report_ok and ((results_dir / "05_report.json").exists() or evaluations_path(results_dir).exists()):
        rc = rc or check_claims(results_dir, source, a.strict)
    return rc
