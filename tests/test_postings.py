"""Paper 000's statistics on the codings (civcomp.analyses.postings): breakdowns, comparisons, agreement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import text
from civcomp.analyses import postings
from civcomp.text import Matcher, load_dictionary


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_dictionary())


# ------------------------------------------------------------------ analysis helpers
def _coded(n_groups: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A coded frame with (digital, not digital) counts per level."""
    rows = [{"level": g, "digital": d} for g, (k, m) in n_groups.items() for d in [1] * k + [0] * m]
    return pd.DataFrame(rows).assign(id=lambda x: [f"p{i}" for i in range(len(x))])


def test_breakdown_suppresses_small_cells_and_their_shares():
    from civcomp.stats.disclosure import small_cells

    t = postings.breakdown(_coded({"a": (20, 30), "b": (2, 40), "c": (15, 25)}), "level", min_cell_size=5)
    t = t.set_index("level")
    assert small_cells(t.reset_index(), 5) == []
    assert pd.isna(t.loc["b", "n_digital"]) and pd.isna(t.loc["b", "share_digital"])
    assert t.loc["a", "n_digital"] == 20 and t.loc["a", "share_digital"] == pytest.approx(0.4)
    assert t.loc["a", "ci_low_digital"] < 0.4 < t.loc["a", "ci_high_digital"]
    # the hidden 2 cannot be recovered from a row total and its partner: a second cell of its row is hidden too
    assert t.loc["b", ["n_digital", "n_no_digital"]].isna().all() or pd.isna(t.loc["b", "n"])


def test_breakdown_zero_share_has_a_clean_lower_bound():
    t = postings.breakdown(_coded({"a": (0, 20), "b": (10, 10)}), "level", min_cell_size=5).set_index("level")
    assert t.loc["a", "share_digital"] == 0 and t.loc["a", "ci_low_digital"] == 0


def test_compare_levels_matches_scipy():
    from scipy.stats import chi2_contingency

    df = _coded({"central": (55, 63), "regional": (48, 112), "district": (32, 98)})
    r = postings.compare_levels(df, "central", "regional")
    ref = chi2_contingency([[55, 63], [48, 112]], correction=False)
    assert r["test"] == "chi2"
    assert r["statistic"] == pytest.approx(ref.statistic) and r["p"] == pytest.approx(ref.pvalue)
    assert r["cramers_v"] == pytest.approx(np.sqrt(ref.statistic / 278))
    assert (r["share_a"], r["share_b"]) == pytest.approx((55 / 118, 48 / 160))


def test_gold_agreement_against_direct_computation():
    from civcomp.stats import agreement as rel

    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, 60)
    a, b = np.where(rng.random(60) < 0.1, 1 - t, t), np.where(rng.random(60) < 0.1, 1 - t, t)
    d = np.where(rng.random(60) < 0.05, 1 - t, t)
    ids = [f"p{i}" for i in range(60)]
    gold = pd.DataFrame({"id": ids, "coder_a": a, "coder_b": b})
    coded = pd.DataFrame({"id": ids[::-1], "digital": d[::-1]})  # order must not matter
    r = postings.gold_agreement(coded, gold, n_boot=500, seed=3)
    agree = a == b
    assert r["gold_n"] == 60 and r["gold_n_agreed"] == agree.sum()
    assert r["gold_f1"] == pytest.approx(rel.precision_recall_f1(a[agree], d[agree])["f1"])
    assert r["gold_kappa"] == pytest.approx(rel.cohen_kappa(a[agree], d[agree]))
    assert r["gold_alpha"] == pytest.approx(rel.krippendorff_alpha(np.vstack([a, b, d]).astype(float)))
    assert r["gold_alpha_ci_low"] < r["gold_alpha"] < r["gold_alpha_ci_high"]
    assert r["gold_intercoder_kappa"] == pytest.approx(rel.cohen_kappa(a, b))


def test_truth_agreement_per_tier():
    coded = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "digital": [1, 1, 0],
            "tiers": ["x", "x|y", ""],
            "tier_x": [1, 1, 0],
            "tier_y": [0, 1, 0],
        }
    )
    truth = pd.DataFrame({"id": ["a", "b", "c"], "digital": [1, 0, 1], "tiers": ["x", None, "y"]})
    t = postings.truth_agreement(coded, truth, ["x", "y"]).set_index("target")
    assert t.loc["digital", ["tp", "fp", "fn", "tn"]].tolist() == [1, 1, 1, 0]
    assert t.loc["y", ["tp", "fp", "fn"]].tolist() == [0, 1, 1]


def test_tier_shares_and_keyword_counts(matcher):
    df = pd.DataFrame({"id": [f"p{i}" for i in range(12)], "text": ["Excel"] * 6 + ["SQL и Excel"] * 2 + ["ПК РК"] * 4})
    coded, hits = text.code_postings(df, matcher)
    ts = postings.tier_shares(coded, matcher.dictionary.tiers).set_index("tier")
    assert ts.loc["basic_literacy_office", "n_postings"] == 8 and ts.loc["data_analytics", "n_postings"] == 2
    kc = postings.keyword_counts(hits, 5).set_index("keyword")
    assert kc.loc["excel", "n_postings"] == 8 and pd.isna(kc.loc["sql", "n_postings"])
    assert kc.loc["пк рк", "tier"] == "excluded"
