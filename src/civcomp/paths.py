"""Every path the compendium uses, anchored on this file (never on the working directory).

Examples
--------
>>> from civcomp import paths
>>> paths.ROOT.joinpath("pyproject.toml").is_file()
True
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params"
TESTS = ROOT / "tests"

DATA = ROOT / "data"
CODEBOOKS = DATA / "codebooks"
DICTIONARIES = DATA / "dictionaries"
PUBLISHED = DATA / "published"
RAW = DATA / "raw"  # real microdata, supplied by the team that holds it; never modified
PROCESSED = DATA / "processed"  # derived from raw after validation
SYNTHETIC = DATA / "synthetic"  # the synthetic twin, written by `civcomp synthesize`
VALIDATION = DATA / "validation"
POSTINGS_REAL = VALIDATION / "postings_real" / "postings_real.csv"  # hand-labelled real postings (public)

# where notebooks write (and read each other's) outputs: the runner sets it for its kernels; the tests point it at a
# temporary copy, so that nothing they or nbval execute writes into the pipeline's outputs/
OUTPUTS_ENV = "CIVCOMP_OUTPUTS"
OUTPUTS = Path(os.environ[OUTPUTS_ENV]).resolve() if os.environ.get(OUTPUTS_ENV) else ROOT / "outputs"
OUT_NOTEBOOKS = OUTPUTS / "notebooks"
FIGURES = OUTPUTS / "figures"
TABLES = OUTPUTS / "tables"
RESULTS = OUTPUTS / "results"
REPORT = OUTPUTS / "report"
MANIFEST = OUTPUTS / "manifest.json"
CACHE = OUTPUTS / ".cache"
