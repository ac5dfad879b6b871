"""Loading the four datasets (placeholder contract; the data layer replaces the body).

``load(name, source)`` returns the validated frame of one dataset:
``name`` in {"postings", "postings_truth", "postings_gold", "digital_survey",
"capacity_survey", "appraisal_360"}; ``source`` in {"synthetic", "real"}.
Categorical codebook fields come back as pandas ``category`` dtype with the
codebook's order; integer fields as nullable ``Int64``; missing codes as NA.
"""
from __future__ import annotations

import pandas as pd

from civcomp import paths


def synthetic_path(name: str):
    return paths.SYNTHETIC / f"{name}.synthetic.csv"


def load(name: str, source: str = "synthetic") -> pd.DataFrame:
    if source != "synthetic":
        raise NotImplementedError("real mode arrives with the data layer")
    return pd.read_csv(synthetic_path(name), encoding="utf-8")
