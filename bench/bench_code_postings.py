"""Benchmark of ``civcomp code-postings --jobs N`` on 1,000,000 twin postings — a timing, not a test.

Writes a CSV (``id,text``) of N postings (default 1,000,000) drawn with replacement from a pool made by the
twin's own generator (:func:`bench_matcher.make_pool`) into a temporary folder (or ``--keep DIR``; ``--file``
reuses one), then runs the command as a user does (``civcomp code-postings FILE --out OUT.csv --jobs J``, a
fresh process: reading, both passes, writing) for each J, checks that every J wrote the same bytes, and prints
wall and CPU seconds (the CPU time of the command, its fork server and its coding processes: on a shared machine
the steadier figure; this process adopts them as subreaper, since they exit just after the command). A file
over ``--stream-mb`` (256 MB) is cut into byte ranges that the coding processes read.

The pool repeats each text about 50 times, and a coding process matches a text it has seen once
(``civcomp.commands.code_postings.MEMO_CHARS``). ``--unique`` appends a line with the posting's own id to
every text (``Код вакансии: p123.``, no dictionary term), so that no two texts are the same: the figure for a
corpus without reposts.

Measured (2-core machine, both cores free, dictionary 1.4.0): 1,000,000 postings, 3.98 GB, ``--jobs 2``
14.6 s wall, 27.6 s CPU (coding processes from a fork server; spawned: 15.2 s wall, 28.7 s CPU); with
``--unique`` (4.02 GB) 47.1 s wall, 92.0 s CPU. On the shared machine at load 5:
41.0 s wall, 29.7 s CPU; ``--jobs 1`` 24.5 s CPU. Before one pass and byte ranges: 178 s CPU.

Usage: ``python bench/bench_code_postings.py [--n 1000000] [--pool 20000] [--unique] [--jobs 1 2]``
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np  # noqa: E402
from bench_matcher import make_pool  # noqa: E402

CIVCOMP = Path(sys.executable).with_name("civcomp")


def write_csv(path: Path, pool: list[str], n: int, seed: int, unique: bool = False) -> int:
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "text"])
        for start in range(0, n, 100_000):
            idx = rng.integers(len(pool), size=min(100_000, n - start))
            tail = (lambda i: f"\nКод вакансии: p{i}.") if unique else (lambda i: "")
            w.writerows((f"p{start + k}", pool[i] + tail(start + k)) for k, i in enumerate(idx))
    return path.stat().st_size


def adopt_descendants() -> None:
    """Make this process the subreaper of its descendants (Linux): the command's fork server and coding
    processes outlive it by a moment, and only a process waited for counts in ``RUSAGE_CHILDREN``."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_descendants() -> None:
    """Wait for every adopted descendant (their CPU time then counts)."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--pool", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--unique", action="store_true", help="make every text distinct (a line with its id)")
    ap.add_argument("--keep", type=Path, default=None, help="write the CSV into this folder and keep it")
    ap.add_argument("--file", type=Path, default=None, help="code this CSV (id,text) instead of writing one")
    a = ap.parse_args(argv)
    adopt_descendants()
    with tempfile.TemporaryDirectory(prefix="bench-code-postings-") as tmp:
        if a.file is not None:
            src, size = a.file, a.file.stat().st_size
            print(f"{src}: {size / 1e6:,.0f} MB CSV; {os.cpu_count()} cores")
        else:
            src = (a.keep or Path(tmp)) / ("postings_unique.csv" if a.unique else "postings.csv")
            src.parent.mkdir(parents=True, exist_ok=True)
            size = write_csv(src, make_pool(a.pool, a.seed), a.n, a.seed, a.unique)
            kind = "every text distinct" if a.unique else f"drawn from {a.pool:,} texts"
            print(f"{a.n:,} twin postings ({kind}), {size / 1e6:,.0f} MB CSV; {os.cpu_count()} cores")
        outputs = {}
        for jobs in a.jobs:
            out = Path(tmp) / f"coded{jobs}.csv"
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(
                [str(CIVCOMP), "code-postings", str(src), "--out", str(out), "--jobs", str(jobs)], check=True
            )
            wall = time.perf_counter() - t0
            reap_descendants()
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
            outputs[jobs] = out.read_bytes()
            print(f"  --jobs {jobs}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, {size / 1e6 / wall:,.0f} MB/s wall")
        same = len(set(outputs.values())) == 1
        print(f"  outputs byte-identical across --jobs {a.jobs}: {same}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
