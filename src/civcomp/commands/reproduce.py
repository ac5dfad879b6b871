"""``civcomp reproduce``: run the whole study (data step, notebooks, report).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from civcomp.io import params as params_mod
from civcomp.pipeline import claims
from civcomp.pipeline.execute import run
from civcomp.pipeline.graph import closure, default_project, topo_order
from civcomp.pipeline.manifest import _data_files, write_manifest
from civcomp.pipeline.nbval import record_nbval


# --------------------------------------------------------------------------- claims
def check_claims(results_dir: Path, data_source: str, strict: bool, echo: Callable[[str], None] = print) -> int:
    """Print how many published claims the results reproduce, per evidence class; with ``strict``, 3 when a
    ``data`` or ``derived`` claim fails (or the evaluations are missing or stale).

    Reads the evaluations notebook 05 wrote (``outputs/results/05_report__claims.json``): the claims are
    evaluated once, there, never again here. The failing claims are named, so a reviewer sees which
    number did not come out again.
    """
    try:
        doc = claims.read_evaluations(results_dir)
    except claims.ClaimsError as exc:  # report the problem; the pipeline's own status stands
        echo(f"claims could not be read: {exc}")
        return 3 if strict else 0
    ev = doc["evaluations"]
    echo(f"published claims: {claims.summary_line(claims.summary(ev))} "
         f"(of {len(ev)}; data: {doc.get('data_source', data_source)})")
    inconsistent = [e["id"] for e in ev if e.get("evidence") == "consistency" and e["status"] == "fail"]
    if inconsistent:
        echo("the paper disagrees with itself (consistency, not refused by --strict): " + ", ".join(inconsistent))
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
                    help="exit 3 when a data or derived published claim is not reproduced")
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
    if (results_dir / "05_report.json").exists() or claims.evaluations_path(results_dir).exists():
        rc = rc or check_claims(results_dir, gparams.get("data_source", "synthetic"), a.strict)
    return rc
