"""civcomp.analyses.appraisal_perspectives: self-other gaps by hand, correlations against scipy, ICCs per competency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_appraisal import P, frame, full, small_rows

from civcomp.analyses import appraisal as ap
from civcomp.analyses import appraisal_perspectives as pp
from civcomp.stats.agreement import icc_table


@pytest.fixture
def small():
    return small_rows()


def test_respondent_gaps_by_hand(small):
    ratings, _ = small
    g = pp.respondent_gaps(ap.prepare(ratings)).set_index(["respondent_id", "competency"])
    assert g.loc[("a", "leadership"), "others"] == pytest.approx(7.5)  # the colleague's 0 excluded
    assert g.loc[("a", "leadership"), "gap"] == pytest.approx(1.5)
    assert g.loc[("a", "leadership"), "flag"] == "blind_spot"
    assert g.loc[("b", "leadership"), "gap"] == pytest.approx(-3.0)
    assert g.loc[("b", "leadership"), "flag"] == "hidden_strength"
    assert g.loc[("c", "leadership"), "gap"] == pytest.approx(0.0)
    assert g.loc[("b", "integrity"), "gap"] == pytest.approx(1.0)
    assert g.loc[("b", "integrity"), "flag"] == "aligned"  # exactly the threshold is not beyond it
    assert (
        pp.respondent_gaps(ap.prepare(ratings), threshold=0.5)
        .set_index(["respondent_id", "competency"])
        .loc[("b", "integrity"), "flag"]
        == "blind_spot"
    )


def test_gaps_need_self_and_others():
    rows = [
        ("a", "self", "leadership", 8),
        ("b", "self", "leadership", 0),
        ("b", "head", "leadership", 6),
        ("c", "self", "leadership", 7),
        ("c", "head", "leadership", 5),
        ("c", "colleague", "leadership", 0),
    ]
    g = pp.respondent_gaps(ap.prepare(frame(rows)))
    assert g["respondent_id"].tolist() == ["c"] and g["n_others"].tolist() == [1]
    assert pp.respondent_gaps(ap.prepare(frame(rows)), min_others=2).empty


def test_gap_summary_flags(small):
    ratings, resp = small
    t = pp.gap_summary(ap.prepare(ratings, resp)).set_index("competency")
    lead = t.loc["leadership"]
    assert lead["n"] == 3 and lead["mean_gap"] == pytest.approx((1.5 - 3.0 + 0.0) / 3)
    assert (lead["n_blind_spot"], lead["n_hidden_strength"]) == (1, 1)
    assert lead["flag"] == "aligned"
    assert t.loc["integrity", "mean_gap"] == pytest.approx(1 / 3)
    by = pp.gap_summary(ap.prepare(ratings, resp), threshold=0.5, by="position_level").set_index(
        ["position_level", "competency"]
    )
    assert by.loc[("executive", "integrity"), "mean_gap"] == pytest.approx(0.5)
    assert by.loc[("executive", "integrity"), "flag"] == "aligned"
    assert by.loc[("executive", "leadership"), "flag"] == "hidden_strength"  # (1.5 - 3) / 2
    # a group mean gap beyond the threshold is flagged
    rows = full("x", {"leadership": [9, 6, 6, 6]}) + full("y", {"leadership": [5, 8, 8, 8]})
    t2 = pp.gap_summary(ap.prepare(frame(rows)), by="respondent_id").set_index("respondent_id")
    assert t2["flag"].to_dict() == {"x": "blind_spot", "y": "hidden_strength"}


def _random_long(n=60, seed=3):
    rng = np.random.default_rng(seed)
    comps = ap.competencies()[:3]
    lat = rng.normal(7, 1, (n, 1, 1)) + rng.normal(0, 1, (n, 4, len(comps)))
    sc = np.clip(np.rint(lat), 0, 10).astype(int)
    rows = [(f"r{i:03d}", p, c, sc[i, j, k]) for i in range(n) for j, p in enumerate(P) for k, c in enumerate(comps)]
    return ap.prepare(frame(rows)), sc


def test_correlations_match_scipy():
    long, sc = _random_long()
    s = sc.astype(float)
    s[s == 0] = np.nan
    m = np.nanmean(s, axis=2)
    for method, fn in (("pearson", stats.pearsonr), ("spearman", stats.spearmanr)):
        c = pp.perspective_correlations(long, method)
        assert c.loc["self", "head"] == pytest.approx(fn(m[:, 0], m[:, 2])[0], abs=1e-12)
    lead = pp.perspective_correlations(long, competency=ap.competencies()[1])
    x = s[:, :, 1]
    ok = ~np.isnan(x[:, 1]) & ~np.isnan(x[:, 3])
    assert lead.loc["supervisor", "colleague"] == pytest.approx(stats.pearsonr(x[ok, 1], x[ok, 3])[0])
    with pytest.raises(ValueError, match="kendall"):
        pp.perspective_correlations(long, "kendall")


def test_perspective_icc_per_competency_listwise():
    long, sc = _random_long()
    t = pp.perspective_icc(long, types=["ICC(C,1)"])
    assert t["competency"].tolist() == [*ap.competencies()[:3], "overall"]
    complete = int((sc[:, :, 0] > 0).all(axis=1).sum())
    assert t.iloc[0]["n"] == complete
    w = pd.DataFrame(np.where(sc[:, :, 0] > 0, sc[:, :, 0], np.nan), columns=P)
    assert t.iloc[0]["icc"] == pytest.approx(icc_table(w).set_index("type").loc["ICC(C,1)", "icc"])
