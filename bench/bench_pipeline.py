"""Benchmark of the pipeline — a timing, not a test.

Prints, on this machine:

* the import time of each notebook's kernel: a fresh interpreter runs the notebook's own import lines (wall
  and CPU seconds; which heavy libraries they load) — the part of a step that is not its work;
* a cold run, step by step: ``civcomp reproduce --force --jobs 1`` (one step at a time, so each step's
  seconds are its own), and the critical path through the step graph with those seconds
  (:func:`civcomp.runner.graph.critical_times`);
* a cold parallel run, ``--force --jobs 2`` (the runner's own total), and its ratio to the critical path
  (1.0 would be a perfect schedule on enough cores).

Both runs rewrite ``outputs/`` with the same bytes (the pipeline is deterministic) and leave every step's cache
record true. On a shared machine compare CPU seconds, or run twice.

Usage: ``python bench/bench_pipeline.py [--skip-runs]``
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import time

from civcomp import paths
from civcomp.runner.execute import run
from civcomp.runner.graph import critical_times, default_project

HEAVY = ("semopy", "sympy", "statsmodels", "sklearn", "pingouin", "factor_analyzer", "matplotlib", "seaborn")


def import_times() -> None:
    print("kernel imports (a fresh interpreter runs the notebook's import lines):")
    for nb in sorted(paths.NOTEBOOKS.glob("0*.py")):
        lines = [
            ln.split("  #")[0] for ln in nb.read_text().splitlines() if re.match(r"^(import \S|from \S+ import )", ln)
        ]
        code = "\n".join(lines) + f"\nimport sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=nb.parent)
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
        print(f"  {nb.stem:<24} {wall:5.2f} s wall {cpu:5.2f} s CPU   loads: {out.stdout.strip() or '-'}")


def cold_run(jobs: int) -> tuple[float, float, dict[str, float]]:
    project = default_project()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    outcomes = run(project, force=True, jobs=jobs, echo=lambda s: None)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = sum(getattr(b, f) - getattr(a, f) for a, b in ((r0, r1), (s0, s1)) for f in ("ru_utime", "ru_stime"))
    bad = [o.name for o in outcomes if o.status != "ran"]
    if bad:
        raise SystemExit(f"bench_pipeline: steps did not run: {bad}")
    return wall, cpu, {o.name: o.seconds for o in outcomes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-runs", action="store_true", help="import times only")
    a = ap.parse_args(argv)
    import_times()
    if a.skip_runs:
        return 0
    wall1, cpu1, secs = cold_run(1)
    crit = critical_times(default_project().steps, secs)
    path = max(crit.values())
    print(f"cold run, --jobs 1: {wall1:.1f} s wall, {cpu1:.1f} s CPU (runner and kernels)")
    for name, s in secs.items():
        print(f"  {name:<24} {s:6.1f} s   remaining critical path from here {crit[name]:6.1f} s")
    print(f"critical path: {path:.1f} s")
    wall2, cpu2, _ = cold_run(2)
    print(f"cold run, --jobs 2: {wall2:.1f} s wall, {cpu2:.1f} s CPU; wall / critical path = {wall2 / path:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
