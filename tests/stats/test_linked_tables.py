"""civcomp.stats.linked_tables: a summary and its distribution hide the same linked cells; groups protect each other."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd

from civcomp.stats import linked_tables as lt


def _summary_and_distribution(seed: int = 2, groups: int = 6):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 12, (groups, 11))
    counts[:, 0] = rng.choice([0, 1, 2, 3, 8, 20], groups)
    dist = pd.DataFrame(counts, columns=[f"n_score_{k}" for k in range(11)]).assign(g=[f"g{i}" for i in range(groups)])
    dist["n"] = counts.sum(axis=1)
    scores = np.arange(11)
    n_valid = counts[:, 1:].sum(axis=1)
    mean = (counts[:, 1:] * scores[1:]).sum(axis=1) / n_valid
    summ = pd.DataFrame({"g": dist["g"], "n": n_valid, "mean": mean, "sd": 1.5, "n_zero": counts[:, 0]})
    return summ, dist


def test_summary_and_distribution_hide_the_same_zero_counts():
    summ, dist = _summary_and_distribution()
    s, d = lt.publishable_summary(summ, dist, ["g"], 5, 3)
    hidden_s = s["n_zero"].isna() & summ["n_zero"].notna()
    hidden_d = d["n_score_0"].isna() & dist["n_score_0"].notna()
    assert hidden_s.tolist() == hidden_d.tolist()
    assert hidden_s.any()  # the small zero counts really are hidden
    assert (s.loc[~hidden_s, "n_zero"] == summ.loc[~hidden_s, "n_zero"]).all()


def test_publishable_drops_linked_sums_and_rounds_magnitudes():
    t = pd.DataFrame({"g": ["a", "b"], "n": [40, 41], "mean": [7.123456, 6.5], "n_zero": [20, 9], "n_ratings": 1})
    out = lt.publishable(t, ["g"], 5, 3, lines=lt.ZERO_LINE)
    assert "n_ratings" not in out.columns
    assert out["mean"].tolist() == [7.12, 6.5] and out["rounding"].tolist() == [0.01, 0.01]


def test_suppress_grouped_protects_across_groups():
    t = pd.DataFrame({"g": ["a", "b", "c"], "k": "x", "n": [40, 41, 42], "n_zero": [2, 9, 12]})
    out = lt.suppress_grouped(t, "g", ["k"], 3, 5)
    assert out["n_zero"].isna().sum() == 2  # the 2, and one more so the total does not give it back


def test_docstring_examples_run():
    res = doctest.testmod(lt, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted >= 3 and res.failed == 0
