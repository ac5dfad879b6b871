"""Benchmark: notebook 04's publication and the joint integer attack on its table family, per fixture.

For seeded 60-, 80- and 300-respondent regional samples of the synthetic twin and the whole twin (the
fixtures of ``tests/stats/test_intruder_joint.py``): CPU seconds of :func:`civcomp.analyses.appraisal.results`
(which audits the family while publishing) and of :func:`civcomp.stats.intruder_joint.attack_family` on the
published family, and the attack's figures (hidden cells attacked, pinned, narrowed to a range <= 3).
Needs the twin (``civcomp synthesize``); timings are not part of the test suite.

Usage: python bench/bench_intruder_joint.py [--sizes 60 80 300 twin]
"""

from __future__ import annotations

import argparse
import platform
import time

import scipy

from civcomp.analyses import appraisal as ap
from civcomp.io import load as data
from civcomp.io.params import snapshot
from civcomp.stats import intruder_joint as ij

PARAMS = dict(snapshot().steps["04_appraisal_360"])  # the project's own 04 parameters
FAMILY = ("distribution", "distribution_by_position_level", "summary_perspective_competency")
FAMILY += ("summary_by_position_level", "gaps", "gaps_by_position_level")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["60", "80", "300", "twin"])
    args = parser.parse_args()
    cap, rat = data.load("capacity_survey"), data.load("appraisal_360")
    for size in args.sizes:
        if size == "twin":
            d = {"capacity_survey": cap, "appraisal_360": rat}
        else:
            n = int(size)
            small = cap[cap["level"].astype(str) == "regional"].sample(n=n, random_state=n)
            d = {"capacity_survey": small, "appraisal_360": rat[rat["respondent_id"].isin(small["respondent_id"])]}
        t0 = time.process_time()
        pub = ap.results(d, PARAMS)
        t1 = time.process_time()
        found = ij.classify(ij.attack_family({k: pub.tables[k] for k in FAMILY}), PARAMS["min_cell_size"])
        t2 = time.process_time()
        print(
            f"{size}: publish {t1 - t0:.2f} s, attack {t2 - t1:.2f} s (CPU); {len(found)} hidden cells attacked, "
            f"{int(found['pinned'].sum())} pinned, {int(found['narrowed'].sum())} narrowed to a range <= 3"
        )
    print(f"python {platform.python_version()}, scipy {scipy.__version__}")


if __name__ == "__main__":
    main()
