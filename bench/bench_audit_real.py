"""The whole-outputs intruder audit on small real-mode runs — a measurement, not a test (each run is a full
pipeline, too slow for ``make test``; the per-notebook fixtures of the tests cover the same sizes in-process).

For each size n (default 60, 80, 300) this copies the repository (``git clone`` of the working tree's HEAD) into a
temporary folder, writes seeded samples of the twin as the "real" files of a team that holds them — n postings
(and the gold-coded ones among them), n digital-survey respondents, n regional capacity respondents (3 of them
without an age, coded -9; 2 who left the salary item blank, coded 99) and their 360 ratings — outside that copy,
switches its ``params/global.yaml`` to ``data_source: real``, runs ``civcomp reproduce --jobs 2`` there, and runs
:func:`civcomp.stats.intruder_audit.audit` on its ``outputs/``. Prints the per-family report and the totals.

Usage: ``python bench/bench_audit_real.py [--sizes 60 80 300]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from civcomp import paths
from civcomp.stats.intruder_audit import audit

FILES = ("postings", "postings_gold", "digital_survey", "capacity_survey", "appraisal_360")


def samples(n: int) -> dict[str, pd.DataFrame]:
    """Seeded n-unit samples of the twin, shaped as the real files are."""
    twin = {name: pd.read_csv(paths.SYNTHETIC / f"{name}.synthetic.csv", dtype=str) for name in FILES}
    post = twin["postings"].sample(n=n, random_state=n)
    gold = twin["postings_gold"][twin["postings_gold"].iloc[:, 0].isin(post.iloc[:, 0])]
    cap = twin["capacity_survey"]
    cap = cap[cap["level"] == "regional"].sample(n=n, random_state=n).reset_index(drop=True)
    cap.loc[:2, "age"] = "-9"  # the codebook's missing code, as an export writes it
    cap.loc[3:4, "salary"] = "99"  # two respondents left a Table 3 item blank: 03's "N used" must not say so
    rat = twin["appraisal_360"][twin["appraisal_360"]["respondent_id"].isin(cap["respondent_id"])]
    ds = twin["digital_survey"].sample(n=min(n, len(twin["digital_survey"])), random_state=n)
    return {"postings": post, "postings_gold": gold, "digital_survey": ds, "capacity_survey": cap, "appraisal_360": rat}


def run(n: int, work: Path) -> pd.DataFrame:
    repo, raw = work / "repo", work / "secure_drive"
    subprocess.run(["git", "clone", "-q", str(paths.ROOT), str(repo)], check=True)
    raw.mkdir()
    g = repo / "params" / "global.yaml"
    text = g.read_text(encoding="utf-8").replace("data_source: synthetic ", "data_source: real      ")
    for name, frame in samples(n).items():
        frame.to_csv(raw / f"{name}.csv", index=False)
        old = next(line for line in text.splitlines() if line.strip().startswith(f"{name}: data/raw/"))
        text = text.replace(old, f"  {name}: {raw / name}.csv")
    g.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(repo / "src"))
    civcomp = Path(sys.executable).with_name("civcomp")
    done = subprocess.run([str(civcomp), "reproduce", "--jobs", "2"], cwd=repo, env=env, capture_output=True, text=True)
    print(f"--- n = {n}: reproduce exit {done.returncode}")
    print(
        "\n".join(
            line
            for line in done.stdout.splitlines()
            if line.strip().startswith(("ran", "failed", "skipped", "7 steps"))
        )
    )
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:])
    return audit(repo / "outputs", 5)["report"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[60, 80, 300])
    ap.add_argument("--keep", type=Path, help="run in KEEP/n<size> and keep it (to read the leaks)")
    a = ap.parse_args()
    for n in a.sizes:
        if a.keep:
            (a.keep / f"n{n}").mkdir(parents=True)
            rep = run(n, a.keep / f"n{n}")
        else:
            with tempfile.TemporaryDirectory() as tmp:
                rep = run(n, Path(tmp))
        print(rep.to_string(index=False))
        print(
            f"n = {n}: leaks {int(rep['leaks'].sum())}, cells attacked {int(rep['cells_attacked'].sum())}, "
            f"pinned {int(rep['pinned'].sum())}, narrowed <= 3 {int(rep['narrowed'].sum())}"
        )


if __name__ == "__main__":
    main()
