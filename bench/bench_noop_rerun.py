"""Benchmark of a no-op rerun of the pipeline (every step verified cached) — a timing, not a test.

Brings ``outputs/`` up to date first (``civcomp reproduce``: a full run when it is not), then times:

* ``run()`` in one process, ``--repeat`` times: what a no-op costs the runner itself — per step the code
  stamp and hash of ``src/civcomp/``, the key, and the verification of every recorded output by SHA-256,
  then one manifest write;
* ``civcomp reproduce`` as a new process, ``--repeat`` times: the same plus interpreter start, imports, the
  parameter snapshot and the claims summary (the time the command prints is the runner's part).

Usage: ``python bench/bench_noop_rerun.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from civcomp.runner.execute import run
from civcomp.runner.graph import default_project

CIVCOMP = Path(sys.executable).with_name("civcomp")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    subprocess.run([str(CIVCOMP), "reproduce", "--jobs", "2"], check=True, stdout=subprocess.DEVNULL)
    project = default_project()
    inner = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        statuses = {o.status for o in run(project, echo=lambda s: None)}
        inner.append(time.perf_counter() - t0)
        assert statuses == {"cached"}, f"not a no-op: {statuses}"
    whole = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        subprocess.run([str(CIVCOMP), "reproduce"], check=True, stdout=subprocess.DEVNULL)
        whole.append(time.perf_counter() - t0)
    print(f"{platform.python_version()} on {platform.platform(terse=True)}")
    print(f"run(), no-op:                 median {statistics.median(inner):.3f} s (min {min(inner):.3f}, n={a.repeat})")
    print(f"civcomp reproduce, whole process: median {statistics.median(whole):.2f} s (min {min(whole):.2f})")


if __name__ == "__main__":
    main()
