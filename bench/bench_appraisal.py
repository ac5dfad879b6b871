"""Benchmark: the 360 appraisal generator and analysis (civcomp.synth.appraisal, civcomp.analyses.appraisal).

Target: the generator writes 10,942 x 4 x 15 = 656,520 ratings, calibrated on the realised
regional sample, in a few seconds. The capacity frame is hand-made with the paper's sizes so the
benchmark runs without the other generators. Prints wall-clock seconds (best of ``--repeat``);
timings are not part of the test suite.

Usage: python bench/bench_appraisal.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import appraisal_perspectives as pp
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.synth import appraisal as gen


def capacity_frame(n_regional: int = 10_629, n_central: int = 313, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_regional + n_central
    regions = params.read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"]
    return pd.DataFrame(
        {
            "respondent_id": [f"CS{i:05d}" for i in range(1, n + 1)],
            "level": ["regional"] * n_regional + ["central"] * n_central,
            "region": rng.choice(regions, n),
            "position_level": np.where(rng.random(n) < 0.83, "executive", "managerial"),
        }
    )


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap_ = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap_.add_argument("--repeat", type=int, default=3)
    a = ap_.parse_args()
    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "appraisal_360.yaml"))
    cap = capacity_frame()
    t, df = best(lambda: gen.generate(cfg, np.random.default_rng(1), capacity_survey=cap)["appraisal_360"], a.repeat)
    print(f"generate: {len(df):,} rows in {t:.2f} s")
    reg = cap[cap["level"] == "regional"]
    t, long = best(lambda: ap.prepare(df[df["respondent_id"].isin(reg["respondent_id"])], reg), a.repeat)
    print(f"prepare: {len(long):,} rows in {t:.2f} s")
    for name, fn in [
        ("summary by region", lambda: ap.summary(long, by="region")),
        ("share_below", lambda: ap.share_below(long)),
        ("gap_summary by position", lambda: pp.gap_summary(long, by="position_level")),
        ("perspective_icc (16 x pingouin)", lambda: pp.perspective_icc(long)),
    ]:
        t, _ = best(fn, a.repeat)
        print(f"{name}: {t:.2f} s")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")


if __name__ == "__main__":
    main()
