"""The robustness panel: recomputations under each reading / method choice, aggregate only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp.analyses import appraisal as ap
from civcomp.analyses import robustness
from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.replication import claims

ITEMS = list(TABLE3_ITEMS)


@pytest.fixture(scope="module")
def items():
    rng = np.random.default_rng(3)
    f = rng.normal(size=(800, 1))
    load = np.array([0.77, 0.59, 0.48, 0.73, 0.75, 0.80, 0.68, 0.74, 0.63])
    x = f * load + rng.normal(size=(800, 9)) * np.sqrt(1 - load**2)
    df = pd.DataFrame(np.clip(np.rint(6.5 + 2 * x), 1, 10), columns=ITEMS)
    df.iloc[::50, 2] = np.nan  # a few missing answers: listwise and pairwise differ
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
    return ap.prepare(r, resp), ap.prepare(r, resp, zero_policy="as_score")


def test_efa_variants(items):
    t = robustness.efa_variants(items, seed=1).set_index("variant")
    assert list(t.index) == [v[0] for v in robustness.EFA_VARIANTS]
    assert t.iloc[0]["n"] == len(items) - 16  # listwise drops the rows with a missing salary
    assert t.loc["pairwise", "communality_salary"] != t.iloc[0]["communality_salary"]  # pairwise keeps them
    eight = t.loc["8 determinants (no Innovative Capacity)"]
    assert np.isnan(eight["communality_innovative_capacity"]) and eight["n_communalities_above_0_004"] == 8
    # factor extraction gives lower communalities than principal components
    assert (
        t.loc["minres", [f"communality_{c}" for c in ITEMS]].to_numpy()
        < t.iloc[0][[f"communality_{c}" for c in ITEMS]].to_numpy().astype(float)
    ).all()


def test_appraisal_variants(long):
    a = robustness.appraisal_variants(*long)
    assert a["n_competencies_rated"] == 15
    assert a["below_1_to_5"] >= a["below_lt5"]  # footnote 5's reading counts more ratings as low
    assert a["below_lt5_zero_low"] >= a["below_lt5"]
    assert a["leadership_all_given_by_executives"] and a["selfdev_within_managers"]
    assert a["selfdev_managers_lowest_level"]
    lo, hi = a["range_perspectives"]
    assert lo < hi and a["range_perspectives_zero_as_score"][0] < lo  # 0s pull the means down


def test_regional_balance():
    s = pd.DataFrame({"level": ["regional"] * 6 + ["central"], "region": ["a", "a", "b", "b", "c", "c", "a"]})
    b = robustness.regional_balance(s, ["a", "b", "c"])
    assert b["digital_regions_represented"] == 3 and b["digital_region_max_min_ratio"] == 1.0
    b = robustness.regional_balance(s.iloc[:5], ["a", "b", "c", "d"])
    assert b["digital_regions_represented"] == 3 and b["digital_region_max_min_ratio"] == 2.0


def test_grid_judges_with_each_claims_own_check(items, long):
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
    efa_t = robustness.efa_variants(items, seed=1)
    a = robustness.appraisal_variants(*long)
    bal = {
        "digital_regions_represented": 20,
        "digital_regions_total": 20,
        "digital_region_max_min_ratio": 1.8,
        "digital_region_chi2_p": 0.2,
    }
    g = robustness.grid(ev, efa_t, a, bal)
    assert list(g.columns) == robustness.COLUMNS
    assert set(g["claim_id"]) == {e["id"] for e in ev}  # only claims of the evaluations
    assert g.groupby("claim_id")["checked"].sum().eq(1).all()  # one checked reading per claim
    bal_rows = g[g["claim_id"] == "p000_balanced_regions"].set_index("alternative")["survives"]
    assert bal_rows["all regions, max/min ≤ 2"] and not bal_rows["all regions, max/min ≤ 1.5"]
    below = g[g["claim_id"] == "p003_share_any_below_5"].set_index("alternative")
    assert below.loc["less than 5 (1–4)", "value"] == f"{a['below_lt5']:.4f}"
    # aggregate values only: every value is a number, a range, true/false or n/a
    assert g["value"].str.fullmatch(r"(-?\d+(\.\d+)?(–-?\d+(\.\d+)?)?|true|false|n/a)").all()
    s = robustness.summary(g)
    assert s["p000_balanced_regions"]["fails_under"] == ["all regions, max/min ≤ 1.5"]


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
