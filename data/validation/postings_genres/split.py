"""The seeded dev/test split of postings_genres.csv: stratified by genre x label, unit = group_id (an employer's
cards share boilerplate, so they fall in one part); ceil(n/2) groups of each stratum go to dev."""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20251205


def assign_split(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby("group_id").agg(genre=("genre", "first"), label=("label", "max")).reset_index()
    rng = np.random.default_rng(SEED)
    dev: set[str] = set()
    for _, s in g.sort_values("group_id").groupby(["genre", "label"], sort=True):
        ids = s["group_id"].to_numpy()
        pick = rng.permutation(len(ids))[: (len(ids) + 1) // 2]
        dev.update(ids[pick])
    return df.assign(split=np.where(df["group_id"].isin(dev), "dev", "test"))
