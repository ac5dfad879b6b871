"""The robustness panel: recomputations under each reading / method choice, aggregate only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp.analyses import appraisal as ap
from civcomp.analyses import capacity, robustness, robustness_factor, robustness_postings
from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.replication import claims
from civcomp.stats import efa

ITEMS = list(TABLE3_ITEMS)


@pytest.fixture(scope="module")
def items():
    rng = np.random.default_rng(3)
    f = rng.normal(size=(800, 1))
    load = np.array([0.77, 0.59, 0.48, 0.73, 0.75, 0.80, 0.68, 0.74, 0.63])
    x = f * load + rng.normal(size=(800, 9)) * np.sqrt(1 - load**2)
    df = pd.DataFrame(np.clip(np.rint(6.5 + 2 * x), 1, 10), columns=ITEMS)
    df.iloc[::50, 2] = np.nan  # a few missing answers: listwise and pairwise differ
    df.iloc[7::40, 5] = np.nan
    return df


@pytest.fixture(scope="module")
def long():
    comps = ap.competencies()
    rows = []
    for i in range(40):
        level = "managerial" if i < 10 else "executive"
        for p in ap.PERSPECTIVES:
            for c in comps:
                base = (
                    8
                    - (1.5 if (c == "leadership" and level == "executive") else 0)
                    - (2 if (c == "self_development" and level == "managerial") else 0)
                )
                rows.append(
                    {
                        "respondent_id": f"R{i:02d}",
                        "perspective": p,
                        "competency": c,
                        "score": int(np.clip(base + (i % 3) - 1 - (p == "head"), 0, 10)) if i != 5 else 0,
                    }
                )
    r = pd.DataFrame(rows)
    resp = pd.DataFrame(
        {
            "respondent_id": [f"R{i:02d}" for i in range(40)],
            "position_level": ["managerial"] * 10 + ["executive"] * 30,
            "region": "abai",
        }
    )
    return ap.prepare(r, resp)


SETTINGS = {
    "items": ITEMS,
    "method": "principal",
    "n_factors_rule": "kaiser",
    "n_factors_parallel": 1,
    "cut": 0.4,
    "strong": ["environment", "work_conditions", "career", "trust", "schedule"],
    "weaker": ["competencies", "agency_activities"],
    "paper_six": ["innovative_capacity", "trust", "work_conditions", "environment", "schedule", "career"],
}


@pytest.fixture(scope="module")
def factor_rows(items):
    everyone = pd.concat([items, items.iloc[:100]], ignore_index=True)
    return pd.DataFrame(robustness_factor.factor_readings(items, everyone, SETTINGS, len(everyone), len(items)))


def test_checked_factor_reading_is_notebook_03s_computation(items, factor_rows):
    """The checked row is efa() with notebook 03's options (Kaiser's rule, listwise), not a forced one factor."""
    res = efa.efa(items, ITEMS, n_factors="auto", method="principal", n_factors_rule="kaiser", parallel_iterations=0)
    checked = factor_rows[factor_rows["checked"]].set_index("claim_id")["value"]
    assert checked["p003_kmo"] == pytest.approx(res.kmo, abs=1e-12)
    for c in ITEMS:
        assert checked[f"p003_communality_{c}"] == pytest.approx(res.communalities[c], abs=1e-12)
    assert checked["p003_strong_determinants"] == capacity.strong_determinants_hold(
        res.communalities > 0.4, SETTINGS["strong"], SETTINGS["weaker"]
    )
    assert factor_rows.groupby("claim_id")["checked"].sum().eq(1).all()  # one checked reading per claim


def test_kmo_shown_once_per_correlation_matrix(factor_rows):
    """KMO does not depend on the extraction method: no minres / ML / PAF / n-factor row for it."""
    alts = factor_rows.loc[factor_rows["claim_id"] == "p003_kmo", "alternative"].tolist()
    assert len(alts) == len(set(alts)) == 6
    assert not any(w in a for a in alts for w in ("minres", "maximum", "axis", "components"))
    kmo = factor_rows[factor_rows["claim_id"] == "p003_kmo"].set_index("alternative")["value"]
    assert kmo.nunique() == 6  # listwise, pairwise, mean substitution, polychoric, all, eight: all differ


def test_missing_data_readings_differ(factor_rows):
    sal = factor_rows[factor_rows["claim_id"] == "p003_communality_salary"].set_index("alternative")["value"]
    listwise = sal[factor_rows.loc[factor_rows["claim_id"] == "p003_communality_salary", "checked"].to_numpy()].iloc[0]
    pairwise = sal[sal.index.str.startswith("pairwise")].iloc[0]
    mean_sub = sal[sal.index.str.startswith("mean substitution")].iloc[0]
    assert len({round(listwise, 6), round(pairwise, 6), round(mean_sub, 6)}) == 3
    assert mean_sub < listwise  # imputing the mean shrinks the correlations


def test_extraction_and_smc_readings(factor_rows):
    ic = factor_rows[factor_rows["claim_id"] == "p003_communality_innovative_capacity"].set_index("alternative")
    pc, paf = ic.loc[ic["checked"], "value"].iloc[0], ic.loc["principal axis factoring", "value"]
    smc = ic.loc['SPSS "Initial" communalities (SMC)', "value"]
    assert smc < paf < pc  # SMC is a lower bound; components overstate communality
    assert ic.loc[ic.index.str.startswith("2 components"), "value"].iloc[0] > pc  # a second component adds


def test_six_communalities_compares_the_same_variables(factor_rows):
    six = factor_rows[factor_rows["claim_id"] == "p003_six_communalities_above_0_4"].set_index("alternative")
    eight = six.loc[six.index.str.startswith("eight determinants")].iloc[0]
    # without Innovative Capacity the claim survives only if the same five determinants exceed the cut
    assert eight["survives"] is not None and eight["value"] <= 8
    assert bool(six.loc['cut 0.004 ("0.4%" literally)', "survives"]) is False  # all nine exceed 0.004


def test_strong_determinants_readings_by_regression(factor_rows):
    strong = factor_rows[factor_rows["claim_id"] == "p003_strong_determinants"]
    alts = " | ".join(strong["alternative"])
    for word in ("dominance", "Pratt", "standardized coefficients", "all "):
        assert word in alts
    assert strong["value"].map(type).eq(bool).all()


def test_polychoric_reading_uses_the_same_complete_cases(items):
    corr = robustness_factor.correlation_readings(items, items, ITEMS)
    assert corr["polychoric"][1] == corr["checked"][1] == len(items.dropna())
    assert (np.abs(corr["polychoric"][0]) >= np.abs(corr["checked"][0]) - 1e-9).all()  # no attenuation


def test_appraisal_variants(long):
    a = robustness.appraisal_variants(long)
    assert a["n_competencies_rated"] == 15
    assert a["below_1_to_5"] >= a["below_lt5"]  # footnote 5's reading counts more ratings as low
    assert a["below_lt5_zero_low"] >= a["below_lt5"]
    assert a["below_lt5_per_competency_max"] <= a["below_lt5"]  # one competency never beats "any"
    assert a["leadership_all_given_by_executives"] and a["selfdev_within_managers"]
    assert a["selfdev_managers_lowest_level"]
    lo, hi = a["range_perspectives"]
    assert lo < hi and a["range_perspectives_zero_as_score"][0] < lo  # 0s pull the means down
    plo, phi = a["range_self_colleagues_managers"]
    assert lo <= plo <= phi <= hi  # pooling supervisor and head stays within the four means
    only = robustness.appraisal_variants(long, all_readings=False)
    assert set(only) < set(a) and only["below_lt5"] == a["below_lt5"]


def test_regional_balance():
    s = pd.DataFrame({"level": ["regional"] * 6 + ["central"], "region": ["a", "a", "b", "b", "c", "c", "a"]})
    b = robustness.regional_balance(s, ["a", "b", "c"])
    assert b["digital_regions_represented"] == 3 and b["digital_region_max_min_ratio"] == 1.0
    b = robustness.regional_balance(s.iloc[:5], ["a", "b", "c", "d"])
    assert b["digital_regions_represented"] == 3 and b["digital_region_max_min_ratio"] == 2.0


def test_survey_readings_no_plus_dont_know_and_test():
    survey = pd.DataFrame({"digital_required_at_hiring": ["no"] * 5 + ["dont_know"] * 2 + ["yes"] * 3})
    digital = {
        "n_not_required_at_hiring": 5,
        "share_not_required_at_hiring_weighted": 0.45,
        "barrier_share_regional": 0.8,
        "barrier_share_central": 0.6,
        "barrier_test": "chi2",
        "barrier_test_p": 0.2,
    }
    rows = pd.DataFrame(robustness.survey_readings(survey, digital)).set_index("alternative")
    assert rows.loc['"no" + "don\'t know"', "value"] == 7
    assert rows.loc["post-stratified by level and region (weighted share x N)", "value"] == pytest.approx(4.5)
    barrier = rows[rows["claim_id"] == "p000_regional_more_barriers"]
    assert barrier["value"].tolist() == [True, False]  # the direction holds, but not significantly


def test_grid_judges_with_each_claims_own_check(items, long, factor_rows):
    ev = [
        {"id": "p003_kmo", "kind": "value", "expected": 0.84, "tolerance": 0.0005, "published": ".840"},
        {"id": "p003_communality_salary", "kind": "value", "expected": 0.235, "tolerance": 0.0005, "published": ".235"},
        {"id": "p003_share_any_below_5", "kind": "value", "expected": 0.25, "tolerance": 0.025, "published": "25 %"},
        {
            "id": "p003_leadership_weakest_executive",
            "kind": "comparison",
            "expected": True,
            "tolerance": None,
            "published": "holds",
        },
        {
            "id": "p000_balanced_regions",
            "kind": "comparison",
            "expected": True,
            "tolerance": None,
            "published": "holds",
        },
    ]
    a = robustness.appraisal_variants(long)
    bal = {
        "digital_regions_represented": 20,
        "digital_regions_total": 20,
        "digital_region_max_min_ratio": 1.8,
        "digital_region_chi2_p": 0.2,
    }
    readings = factor_rows.to_dict("records")
    readings += robustness.appraisal_readings(a, a, 100) + robustness.balance_readings(bal)
    g = robustness.grid(ev, readings)
    assert list(g.columns) == robustness.COLUMNS
    assert set(g["claim_id"]) == {e["id"] for e in ev}  # only claims of the evaluations
    assert g.groupby("claim_id")["checked"].sum().eq(1).all()  # one checked reading per claim
    assert set(g["paper"]) == {"000", "003"}
    bal_rows = g[g["claim_id"] == "p000_balanced_regions"].set_index("alternative")["survives"]
    assert bal_rows["all regions, max/min ≤ 2"] and not bal_rows["all regions, max/min ≤ 1.5"]
    below = g[g["claim_id"] == "p003_share_any_below_5"].set_index("alternative")
    assert below.loc["any competency less than 5 (1–4)", "value"] == f"{a['below_lt5']:.4f}"
    # aggregate values only: every value is a number, a range, true/false or n/a
    assert g["value"].str.fullmatch(r"(-?\d+(\.\d+)?(–-?\d+(\.\d+)?)?|true|false|n/a)").all()
    s = robustness.summary(g)
    assert s["p000_balanced_regions"]["fails_under"] == ["all regions, max/min ≤ 1.5"]
    counts = robustness.survival_counts(g)
    assert counts["n_panel_claims"] == 5 and counts["n_panel_claims_surviving_every_reading"] < 5


def test_postings_readings_change_one_setting_each():
    posts = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["Требования: знание Excel.", "Обязанности: учёт. Знание ПК.", "Знание 1С и SQL."],
        }
    )
    rows = robustness_postings.readings(posts)
    assert [r["checked"] for r in rows].count(True) == 1
    assert all(0 <= r["value"] <= 3 for r in rows)
    whole = next(r for r in rows if r["alternative"].startswith("whole text"))
    checked = next(r for r in rows if r["checked"])
    assert whole["value"] <= checked["value"]  # the whole text can only find more


def test_every_claim_with_readings_is_in_the_twin_panel():
    """On the twin outputs (when present), the panel covers every claim the ledger gives readings for."""
    from civcomp import paths

    csv = paths.OUTPUTS / "tables" / "05_report__robustness.csv"
    if not csv.exists():
        pytest.skip("run civcomp reproduce first")
    g = pd.read_csv(csv)
    with_readings = {c["id"] for c in claims.load_ledger() if c.get("readings")}
    assert with_readings <= set(g["claim_id"])
    checked = g[g["checked"]]
    assert checked["survives"].all()  # the ledger's own readings pass on the twin
