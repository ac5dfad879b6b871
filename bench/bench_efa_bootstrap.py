"""Benchmark: vectorised bootstrap of KMO, communalities, alpha and omega (civcomp.stats.efa.bootstrap).

Target: 1,000 resamples of a 10,629 x 9 item matrix (the regional sample of
paper 003) in under 10 s on the project machine. The data are the synthetic twin when
it has been generated, otherwise integer ratings 1-10 drawn from a one-factor model
of the same size, so the benchmark runs anywhere. Prints wall-clock seconds (best of
``--repeat``); timings are not part of the test suite.

Usage: python bench/bench_efa_bootstrap.py [--resamples 1000] [--repeat 3] [--method principal]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.stats import efa

ITEMS = list(TABLE3_ITEMS)


def items_matrix(n: int = 10_629, seed: int = 1) -> tuple[np.ndarray, str]:
    try:
        from civcomp.io import load as data

        df = data.load("capacity_survey")
        df = df[df["level"].astype(object) == "regional"]
        return efa.prepare(df, ITEMS).x, "synthetic twin (regional sample)"
    except Exception as exc:  # twin not generated here: simulate the same shape
        rng = np.random.default_rng(seed)
        lam = np.sqrt([0.59, 0.352, 0.235, 0.539, 0.563, 0.643, 0.457, 0.554, 0.399])
        z = rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, 9)) * np.sqrt(1 - lam**2)
        return np.clip(np.round(5.5 + 2 * z), 1, 10), f"simulated one-factor ratings ({type(exc).__name__})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--method", default="principal", choices=["principal", "pa"])
    a = ap.parse_args()
    x, source = items_matrix()
    efa.bootstrap(x, 1, a.method, resamples=20, seed=0)  # warm-up (imports, BLAS threads)
    times = []
    for i in range(a.repeat):
        t0 = time.perf_counter()
        res = efa.bootstrap(x, 1, a.method, resamples=a.resamples, seed=20250412)
        times.append(time.perf_counter() - t0)
    print(f"data: {source}, {x.shape[0]:,} x {x.shape[1]}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPU(s), numpy {np.__version__}")
    print(
        f"bootstrap ({a.method}, 1 factor) of KMO + {x.shape[1]} communalities + alpha + omega, "
        f"{a.resamples:,} resamples: best {min(times):.2f} s, median {float(np.median(times)):.2f} s "
        f"over {a.repeat} runs (target < 10 s); {res['n_ok']} resamples usable; KMO 95% CI "
        f"{res['kmo_ci'][0]:.4f}-{res['kmo_ci'][1]:.4f}"
    )


if __name__ == "__main__":
    main()
