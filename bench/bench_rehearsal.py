"""Benchmark: from an institute's SPSS export to notebook 03's results in real mode.

Builds the institute-style ``.sav`` of the capacity twin (``tests/commands/institute.py``) in a throw-away copy
of the project (its own ``outputs/``; ``PYTHONPATH`` points the runner and the kernel at the copy), then times
``civcomp validate --suggest``, the TODOs completed (what the analyst types, scripted) with ``civcomp
validate``, and ``civcomp reproduce --only 03_innovative_capacity`` with the project's parameters. Prints the
seconds of each stage and the columns ``--suggest`` renamed right, wrong and left TODO.

Usage: python bench/bench_rehearsal.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from civcomp import paths
from civcomp.io import yaml_safe
from civcomp.synth import generate_all

sys.path.insert(0, str(paths.ROOT / "tests" / "commands"))
from institute import TRUTH, build, complete  # noqa: E402


def main() -> None:
    twin = generate_all(20250412, only=["capacity_survey"])["capacity_survey"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for d in ("src", "notebooks", "params", "data/codebooks", "data/published", "data/dictionaries"):
            shutil.copytree(paths.ROOT / d, root / d, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
        (root / "data/raw").mkdir(parents=True)
        build(twin, root / "data/raw/capacity_survey.sav")
        g = root / "params/global.yaml"
        g.write_text(g.read_text().replace("data_source: synthetic ", "data_source: real      "))
        env = {**os.environ, "PYTHONPATH": str(root / "src")}

        def civcomp(*argv: str) -> subprocess.CompletedProcess:
            out = subprocess.run(
                [sys.executable, "-m", "civcomp.cli", *argv], cwd=root, env=env, capture_output=True, text=True
            )
            if out.returncode:
                raise SystemExit(f"civcomp {' '.join(argv)} failed:\n{out.stdout}{out.stderr}")
            return out

        t0 = time.perf_counter()
        draft = civcomp("validate", "capacity_survey", "data/raw/capacity_survey.sav", "--suggest").stdout
        t1 = time.perf_counter()
        (root / "params/real_mapping").mkdir()
        (root / "params/real_mapping/capacity_survey.yaml").write_text(
            yaml.safe_dump(complete(draft), allow_unicode=True)
        )
        civcomp("validate", "capacity_survey", "data/raw/capacity_survey.sav")
        t2 = time.perf_counter()
        civcomp("reproduce", "--only", "03_innovative_capacity")
        t3 = time.perf_counter()
    renamed = yaml_safe.loads(draft, "draft")["rename"]
    right = sum(TRUTH.get(c) == f for c, f in renamed.items())
    todo = sum(1 for ln in draft.splitlines() if ln.startswith("  # TODO"))
    print(f"python {sys.version.split()[0]}")
    print(
        f"--suggest: {right} columns renamed right, {len(renamed) - right} wrong, {todo} left TODO (of {len(TRUTH) + 1})"
    )
    print(
        f"suggest {t1 - t0:.1f} s; TODOs + validate {t2 - t1:.1f} s; reproduce --only 03 {t3 - t2:.1f} s; total {t3 - t0:.1f} s"
    )


if __name__ == "__main__":
    main()
