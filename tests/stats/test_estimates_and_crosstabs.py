"""Survey helpers vs reference values: base R (tests/reference/survey/, made by make_reference.R),
statsmodels, SciPy and hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from civcomp import paths
from civcomp.stats.association import association_test
from civcomp.stats.crosstabs import crosstab, multiselect_crosstab, multiselect_shares
from civcomp.stats.estimates import kish_effective_n, proportion, proportion_ci
from civcomp.stats.weighting import poststratification_weights

REF = paths.TESTS / "reference" / "survey"


@pytest.fixture(scope="module")
def r_values() -> dict[tuple[str, str], float]:
    df = pd.read_csv(REF / "reference_values.csv")
    return {(c, q): v for c, q, v in df.itertuples(index=False)}


@pytest.fixture(scope="module")
def r_tables() -> dict[str, np.ndarray]:
    cells = pd.read_csv(REF / "reference_tables.csv")
    out = {}
    for case, g in cells.groupby("case"):
        t = np.zeros((g["row"].max() + 1, g["col"].max() + 1), dtype=int)
        t[g["row"], g["col"]] = g["count"].astype(int)
        out[case] = t
    return out


# ---------------------------------------------------------------- Wilson intervals
def test_wilson_hand_computed():
    # 120/200, z = 1.959964: centre = (0.6 + z²/400)/(1 + z²/200), half = z/(1+z²/200)·sqrt(0.0012 + z²/160000)
    z = 1.959963984540054
    centre = (0.6 + z * z / 400) / (1 + z * z / 200)
    half = z / (1 + z * z / 200) * math.sqrt(0.6 * 0.4 / 200 + z * z / 160000)
    share, lo, hi = proportion_ci(120, 200)
    assert share == 0.6
    assert lo == pytest.approx(centre - half, abs=1e-12)
    assert hi == pytest.approx(centre + half, abs=1e-12)
    assert (round(lo, 4), round(hi, 4)) == (0.5308, 0.6654)


@pytest.mark.parametrize("count,n", [(120, 200), (109, 200), (113, 200), (0, 10), (10, 10), (3, 7)])
@pytest.mark.parametrize("level", [0.95, 0.90])
def test_wilson_matches_r_and_statsmodels(r_values, count, n, level):
    _, lo, hi = proportion_ci(count, n, alpha=1 - level)
    case = f"wilson_{count}_{n}_{level:g}"
    assert lo == pytest.approx(r_values[(case, "low")], abs=1e-10)
    assert hi == pytest.approx(r_values[(case, "high")], abs=1e-10)
    sm_lo, sm_hi = proportion_confint(count, n, alpha=1 - level, method="wilson")
    assert (lo, hi) == pytest.approx((sm_lo, sm_hi), abs=1e-12)


def test_wilson_edge_and_errors():
    assert all(math.isnan(v) for v in proportion_ci(0, 0))
    with pytest.raises(ValueError, match="count <= n"):
        proportion_ci(5, 3)
    with pytest.raises(ValueError, match="alpha"):
        proportion_ci(1, 3, alpha=1.5)


# ---------------------------------------------------------------- weighted proportions
def test_kish_and_weighted_proportion():
    assert kish_effective_n([2.0] * 10) == pytest.approx(10.0)
    w = np.array([1, 1, 2, 4], dtype=float)
    assert kish_effective_n(w) == pytest.approx(64 / 22)
    r = proportion([1, 0, 1, 0], weights=w)
    assert r["share"] == pytest.approx(3 / 8)
    assert r["n_eff"] == pytest.approx(64 / 22)
    _, lo, hi = proportion_ci(3 / 8 * 64 / 22, 64 / 22)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi))
    # equal weights give the unweighted answer
    assert proportion([1, 0, 1], weights=[5, 5, 5])["ci_low"] == pytest.approx(proportion([1, 0, 1])["ci_low"])


def test_proportion_drops_na_and_rejects_non_binary():
    r = proportion(pd.Series([1, 0, None, 1], dtype="Int64"))
    assert (r["count"], r["n"]) == (2, 3)
    with pytest.raises(ValueError, match="0/1"):
        proportion([0, 2, 1])


# ---------------------------------------------------------------- multi-select and crosstabs
def _toy():
    return pd.DataFrame(
        {
            "level": pd.Categorical(
                ["central", "central", "regional", "regional", "regional"], categories=["central", "regional"]
            ),
            "q_a": [1, 0, 1, 1, 0],
            "q_b": [1, 1, 1, 0, 0],
            "q_none": [0, 0, 0, 0, 1],
        }
    )


def test_multiselect_shares_do_not_need_to_sum_to_one():
    s = multiselect_shares(_toy(), "q_")
    assert s["option"].tolist() == ["a", "b", "none"]
    assert s["n"].tolist() == [3, 3, 1]
    assert s["share"].sum() == pytest.approx(7 / 5)
    assert (s["n_base"] == 5).all()


def test_multiselect_crosstab_counts_and_bases():
    counts, bases = multiselect_crosstab(_toy(), "q_", "level")
    assert counts.loc["a"].tolist() == [1, 2]
    assert counts.loc["b"].tolist() == [2, 1]
    assert bases.tolist() == [2, 3]


def test_crosstab_percentages():
    d = _toy().assign(y=["u", "v", "v", "v", "u"])
    assert crosstab(d, "level", "y").values.tolist() == [[1, 1], [1, 2]]
    row = crosstab(d, "level", "y", normalize="row")
    assert row.loc["regional", "v"] == pytest.approx(200 / 3)
    col = crosstab(d, "level", "y", normalize="column")
    assert col["v"].sum() == pytest.approx(100)


# ---------------------------------------------------------------- association test
@pytest.mark.parametrize("case", ["chi_2x3", "chi_3x3", "chi_2x2"])
def test_chi2_matches_r_uncorrected(r_values, r_tables, case):
    r = association_test(r_tables[case])
    assert r["test"] == "chi2"
    assert r["statistic"] == pytest.approx(r_values[(case, "chi2")], rel=1e-10)
    assert r["df"] == r_values[(case, "df")]
    assert r["p"] == pytest.approx(r_values[(case, "p_chi2")], rel=1e-8)


def test_cramers_v_known_table():
    # [[30,10],[10,30]]: expected 20 everywhere, χ² = 4·(10²/20) = 20, V = sqrt(20/80) = 0.5.
    # Yates would give χ² = 4·(9.5²/20) = 18.05 and V = 0.475: the uncorrected convention is used.
    r = association_test([[30, 10], [10, 30]])
    assert r["statistic"] == pytest.approx(20.0)
    assert r["cramers_v"] == pytest.approx(0.5)
    assert r["odds_ratio"] == pytest.approx(9.0)
    assert stats.chi2_contingency([[30, 10], [10, 30]]).statistic == pytest.approx(18.05)  # scipy's default


@pytest.mark.parametrize("case", ["chi_2x3", "chi_3x3", "chi_2x2", "fisher_2x3", "fisher_3x3"])
def test_cramers_v_matches_scipy_association(r_tables, case):
    t = r_tables[case]
    assert association_test(t)["cramers_v"] == pytest.approx(
        stats.contingency.association(t, method="cramer", correction=False), rel=1e-12
    )


def test_bias_corrected_v_hand_computed():
    # 2x3 table [[20,30,25],[35,15,25]]: n=150, χ²=9.0909..., φ²=χ²/n; Bergsma: φ²c = max(0, φ² - (r-1)(c-1)/(n-1)),
    # r~ = r - (r-1)²/(n-1), c~ = c - (c-1)²/(n-1), V_bc = sqrt(φ²c / min(r~-1, c~-1))
    chi2, n = 9.090909090909091, 150
    phi2c = chi2 / n - 2 / 149
    rt, ct = 2 - 1 / 149, 3 - 4 / 149
    r = association_test([[20, 30, 25], [35, 15, 25]])
    assert r["cramers_v_bc"] == pytest.approx(math.sqrt(phi2c / min(rt - 1, ct - 1)), rel=1e-12)
    assert r["cramers_v_bc"] < r["cramers_v"]


@pytest.mark.parametrize("case", ["fisher_2x2", "fisher_2x2b"])
def test_fisher_2x2_fallback_is_exact(r_values, r_tables, case):
    r = association_test(r_tables[case])
    assert (r["test"], r["p_method"]) == ("fisher", "exact")
    assert r["min_expected"] < 5
    assert r["p"] == pytest.approx(r_values[(case, "p_fisher")], rel=1e-9)
    assert r["statistic"] == pytest.approx(r_values[(case, "chi2")], rel=1e-10)
    assert r["p_chi2"] == pytest.approx(r_values[(case, "p_chi2")], rel=1e-8)


@pytest.mark.parametrize("case", ["fisher_2x3", "fisher_3x3"])
def test_fisher_rxc_monte_carlo_close_to_r_exact(r_values, r_tables, case):
    r = association_test(r_tables[case], n_resamples=50_000)
    assert (r["test"], r["p_method"]) == ("fisher", "monte_carlo")
    p_exact = r_values[(case, "p_fisher")]
    mc_se = math.sqrt(p_exact * (1 - p_exact) / 50_000)
    assert abs(r["p"] - p_exact) < 4 * mc_se
    # seeded: the same call gives the same p
    assert association_test(r_tables[case], n_resamples=50_000)["p"] == r["p"]


def test_association_drops_empty_rows_and_rejects_bad_tables():
    r = association_test([[30, 10, 0], [10, 30, 0]])
    assert r["df"] == 1 and r["cramers_v"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="non-empty rows"):
        association_test([[5, 0], [7, 0]])
    with pytest.raises(ValueError, match="integer counts"):
        association_test([[1.5, 2], [3, 4]])


# ---------------------------------------------------------------- post-stratification
def test_poststratification_weights_reproduce_targets():
    d = pd.DataFrame(
        {
            "level": ["central"] * 2 + ["regional"] * 6,
            "region": ["astana_city", "astana_city", "abai", "abai", "abai", "akmola", "akmola", "akmola"],
        }
    )
    targets = {"central": {"astana_city": 10}, "regional": {"abai": 60, "akmola": 30}}
    w = poststratification_weights(d, targets)
    assert w.mean() == pytest.approx(1.0)
    shares = w.groupby([d["level"], d["region"]]).sum() / w.sum()
    assert shares[("central", "astana_city")] == pytest.approx(0.1)
    assert shares[("regional", "abai")] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="no population target"):
        poststratification_weights(d, {"central": {"astana_city": 1}, "regional": {"abai": 1}})
    with pytest.raises(ValueError, match="no respondents"):
        poststratification_weights(d, {**targets, "regional": {"abai": 1, "akmola": 1, "jambyl": 1}})


def test_poststratification_with_a_pooled_level():
    d = pd.DataFrame(
        {
            "level": ["central", "central", "regional", "regional"],
            "region": ["astana_city", "almaty_city", "abai", "akmola"],
        }
    )
    w = poststratification_weights(d, {"central": 30, "regional": {"abai": 35, "akmola": 35}})
    assert w.tolist() == pytest.approx([0.6, 0.6, 1.4, 1.4])


def test_multiselect_table_hides_a_small_group_entirely():
    from civcomp.stats.crosstabs import crosstab_table, multiselect_table

    counts = pd.DataFrame({"big": [30, 12], "tiny": [3, 0], "mid": [20, 9]}, index=["a", "b"])
    bases = pd.Series({"big": 40, "tiny": 3, "mid": 25})
    t, res = multiselect_table(counts, bases, 5, labels={"a": "Option A"})
    assert t["label"].tolist() == ["Respondents (n)", "Option A", "b"]
    # the group of 3 is hidden (size and every cell, even the 0), and so is a partner group's size
    assert t["n_tiny"].isna().all() and t["pct_tiny"].isna().all()
    assert t.loc[0, "n_mid"] is pd.NA and t.loc[0, "n_big"] == 40  # complementary: smallest other size
    # the forced cells need complementary ones in their rows (the smallest: mid's), and mid's
    # percentages would reveal its hidden size (n / pct), so they are hidden whatever the counts
    assert t["n_mid"].isna().all() and t["pct_mid"].isna().all()
    assert t["n_big"].tolist() == [40, 30, 12]
    assert t["pct_big"].notna().all()
    assert set(res.cells["reason"]) >= {"primary", "forced", "secondary"}
    assert t["n_total"].tolist() == [68, 53, 21]
    # single-choice crosstab: both margins published, percentages of the column
    ct, cres = crosstab_table(pd.DataFrame({"c": [10, 20], "r": [30, 40]}, index=["x", "y"]), 5)
    assert ct["pct_c"].tolist() == pytest.approx([100 / 3, 200 / 3, 100])
    assert cres.cells.empty


def test_hidden_group_size_hides_its_percentages_not_its_counts():
    from civcomp.stats.crosstabs import multiselect_table

    counts = pd.DataFrame({"big": [30, 20], "tiny": [2, 1], "mid": [22, 20], "other": [6, 7]}, index=["a", "b"])
    bases = pd.Series({"big": 40, "tiny": 3, "mid": 25, "other": 30})
    t, _ = multiselect_table(counts, bases, 5)
    assert t.loc[0, ["n_tiny", "n_mid"]].isna().all()  # 3 is small, 25 its complement
    assert t["n_mid"].tolist()[1:] == [22, 20]  # mid's counts are safe to show ...
    assert t["pct_mid"].isna().all()  # ... but 22 / 88 % would give its size 25 back
    assert t["n_other"].isna().tolist() == [False, True, True]  # complements of tiny's cells
