"""360-degree appraisal analysis (civcomp.analyses.appraisal) on small hand-made frames.

Reference software: pingouin / R psych::ICC on the Shrout & Fleiss (1979) data, R ``t.test``
(tests/reference/appraisal/reference_values.yaml), scipy.stats for correlations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.io import outputs, params
from civcomp.plots import appraisal as ap_plots
from civcomp.stats.disclosure import suppress_table
from civcomp.stats.estimates import mean_ci

REF = params.read_yaml(paths.TESTS / "reference" / "appraisal" / "reference_values.yaml")
P = list(ap.PERSPECTIVES)


def frame(rows):
    """rows: (respondent, perspective, competency, score)."""
    return pd.DataFrame(rows, columns=["respondent_id", "perspective", "competency", "score"])


def full(resp: str, scores: dict[str, list[int]]) -> list[tuple]:
    """All four perspectives of one respondent: {competency: [self, supervisor, head, colleague]}."""
    return [(resp, p, c, s) for c, vals in scores.items() for p, s in zip(P, vals)]


@pytest.fixture
def small():
    rows = (
        full("a", {"leadership": [9, 7, 8, 0], "integrity": [8, 8, 8, 8]})
        + full("b", {"leadership": [3, 6, 6, 6], "integrity": [10, 9, 9, 9]})
        + full("c", {"leadership": [7, 4, 9, 8], "integrity": [6, 6, 6, 6]})
    )
    resp = pd.DataFrame(
        {
            "respondent_id": ["a", "b", "c"],
            "position_level": ["executive", "executive", "managerial"],
            "region": ["abai", "abai", "akmola"],
            "level": "regional",
        }
    )
    return frame(rows), resp


# --------------------------------------------------------------------------- input checks
@pytest.mark.parametrize(
    "row, column, needle",
    [
        (("a", "boss", "leadership", 5), "perspective", "'boss'"),
        (("a", "self", "charisma", 5), "competency", "'charisma'"),
        (("a", "self", "leadership", 11), "score", "11"),
        (("a", "self", "leadership", 2.5), "score", "2.5"),
        (("a", "self", "leadership", "x"), "score", "'x'"),
        (("a", "self", "leadership", 99), "score", "99"),
    ],
)
def test_prepare_names_row_column_value(row, column, needle):
    bad = frame([("a", "head", "integrity", 5), row])
    with pytest.raises(ap.AppraisalInputError) as e:
        ap.prepare(bad)
    msg = str(e.value)
    assert f"column {column!r}" in msg and "row 2" in msg and needle in msg


def test_prepare_missing_columns_duplicates_orphans():
    with pytest.raises(ap.AppraisalInputError, match=r"missing column\(s\) \['score'\]"):
        ap.prepare(frame([("a", "self", "leadership", 5)]).drop(columns="score"))
    with pytest.raises(ap.AppraisalInputError, match="repeats.*row 2: .a."):
        ap.prepare(frame([("a", "self", "leadership", 5), ("a", "self", "leadership", 6)]))
    resp = pd.DataFrame({"respondent_id": ["a"], "position_level": ["executive"]})
    with pytest.raises(ap.AppraisalInputError, match="no matching respondent.*row 2: 'zz'"):
        ap.prepare(frame([("a", "self", "leadership", 5), ("zz", "self", "leadership", 6)]), resp)
    with pytest.raises(ap.AppraisalInputError, match="zero_policy"):
        ap.prepare(frame([("a", "self", "leadership", 5)]), zero_policy="drop")


def test_prepare_accepts_typed_loader_output():
    # the data layer returns categories and nullable Int64 with NA for missing codes
    df = frame([("a", "self", "leadership", 5), ("a", "head", "leadership", None)])
    df["score"] = df["score"].astype("Int64")
    df["perspective"] = df["perspective"].astype("category")
    out = ap.prepare(df)
    assert out["score"].isna().tolist() == [False, True]
    assert ap.summary(out).set_index("perspective").loc["self", "n"] == 1


# --------------------------------------------------------------------------- zero handling
def test_zero_excluded_from_means_and_reported_separately(small):
    ratings, _ = small
    s = ap.summary(ap.prepare(ratings)).set_index(["perspective", "competency"])
    row = s.loc[("colleague", "leadership")]
    assert row["n"] == 2 and row["mean"] == pytest.approx(7.0)  # (6 + 8) / 2, the 0 left out
    assert row["n_zero"] == 1 and row["share_zero"] == pytest.approx(1 / 3)
    s0 = ap.summary(ap.prepare(ratings, zero_policy="as_score")).set_index(["perspective", "competency"])
    assert s0.loc[("colleague", "leadership"), "mean"] == pytest.approx(14 / 3)
    pm = ap.perspective_means(ap.prepare(ratings)).set_index("perspective")
    assert pm.loc["colleague", "mean"] == pytest.approx((6 + 8 + 8 + 9 + 6) / 5)
    assert pm.loc["colleague", "n"] == 3


def test_zero_is_not_a_low_score(small):
    ratings, _ = small
    # "a" has a 0 but no score 1-4; "b" has a 3 (self), "c" a 4 (supervisor)
    for policy in ap.ZERO_POLICIES:
        f = ap.respondent_flags(ap.prepare(ratings, zero_policy=policy)).set_index("respondent_id")
        assert f["any_low"].to_dict() == {"a": False, "b": True, "c": True}
        assert f["any_zero"].to_dict() == {"a": True, "b": False, "c": False}


def test_share_below_threshold_and_perspectives(small):
    ratings, resp = small
    long = ap.prepare(ratings, resp)
    s = ap.share_below(long).iloc[0]
    assert (s["n"], s["n_any_below"], s["n_any_zero"]) == (3, 2, 1)
    assert s["share_any_below"] == pytest.approx(2 / 3)
    assert ap.share_below(long, threshold=4).iloc[0]["n_any_below"] == 1  # only the 3
    assert ap.share_below(long, threshold=7).iloc[0]["n_any_below"] == 2  # "a" gave a 7, not below 7
    assert ap.share_below(long, threshold=8).iloc[0]["n_any_below"] == 3
    assert ap.share_below(long, perspectives=["self"]).iloc[0]["n_any_below"] == 1
    by = ap.share_below(long, by="position_level").set_index("position_level")
    assert by.loc["executive", "n_any_below"] == 1 and by.loc["managerial", "share_any_below"] == 1.0


def test_share_below_by_competency(small):
    ratings, _ = small
    t = ap.share_below_by_competency(ap.prepare(ratings)).set_index("competency")
    assert t.loc["leadership", "n_below"] == 2 and t.loc["integrity", "n_below"] == 0
    assert t.loc["leadership", "n"] == 3
    tp = ap.share_below_by_competency(ap.prepare(ratings), split_perspective=True).set_index(
        ["perspective", "competency"]
    )
    assert tp.loc[("self", "leadership"), "n_below"] == 1
    assert tp.loc[("supervisor", "leadership"), "n_below"] == 1
    assert tp.loc[("head", "leadership"), "n_below"] == 0


def test_distribution_counts(small):
    ratings, _ = small
    d = ap.distribution(ap.prepare(ratings)).set_index(["perspective", "competency"])
    row = d.loc[("colleague", "leadership")]
    assert row["n"] == 3 and row["n_score_0"] == 1 and row["n_score_6"] == 1 and row["n_score_8"] == 1
    assert row[[f"share_score_{k}" for k in range(11)]].sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------- gaps and flags
def test_respondent_gaps_by_hand(small):
    ratings, _ = small
    g = ap.respondent_gaps(ap.prepare(ratings)).set_index(["respondent_id", "competency"])
    assert g.loc[("a", "leadership"), "others"] == pytest.approx(7.5)  # the colleague's 0 excluded
    assert g.loc[("a", "leadership"), "gap"] == pytest.approx(1.5)
    assert g.loc[("a", "leadership"), "flag"] == "blind_spot"
    assert g.loc[("b", "leadership"), "gap"] == pytest.approx(-3.0)
    assert g.loc[("b", "leadership"), "flag"] == "hidden_strength"
    assert g.loc[("c", "leadership"), "gap"] == pytest.approx(0.0)
    assert g.loc[("b", "integrity"), "gap"] == pytest.approx(1.0)
    assert g.loc[("b", "integrity"), "flag"] == "aligned"  # exactly the threshold is not beyond it
    assert (
        ap.respondent_gaps(ap.prepare(ratings), threshold=0.5)
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
    g = ap.respondent_gaps(ap.prepare(frame(rows)))
    assert g["respondent_id"].tolist() == ["c"] and g["n_others"].tolist() == [1]
    assert ap.respondent_gaps(ap.prepare(frame(rows)), min_others=2).empty


def test_gap_summary_flags(small):
    ratings, resp = small
    t = ap.gap_summary(ap.prepare(ratings, resp)).set_index("competency")
    lead = t.loc["leadership"]
    assert lead["n"] == 3 and lead["mean_gap"] == pytest.approx((1.5 - 3.0 + 0.0) / 3)
    assert (lead["n_blind_spot"], lead["n_hidden_strength"]) == (1, 1)
    assert lead["flag"] == "aligned"
    assert t.loc["integrity", "mean_gap"] == pytest.approx(1 / 3)
    by = ap.gap_summary(ap.prepare(ratings, resp), threshold=0.5, by="position_level").set_index(
        ["position_level", "competency"]
    )
    assert by.loc[("executive", "integrity"), "mean_gap"] == pytest.approx(0.5)
    assert by.loc[("executive", "integrity"), "flag"] == "aligned"
    assert by.loc[("executive", "leadership"), "flag"] == "hidden_strength"  # (1.5 - 3) / 2
    # a group mean gap beyond the threshold is flagged
    rows = full("x", {"leadership": [9, 6, 6, 6]}) + full("y", {"leadership": [5, 8, 8, 8]})
    t2 = ap.gap_summary(ap.prepare(frame(rows)), by="respondent_id").set_index("respondent_id")
    assert t2["flag"].to_dict() == {"x": "blind_spot", "y": "hidden_strength"}


# --------------------------------------------------------------------------- suppression
def test_suppress_small_groups_and_counts(tmp_path):
    t = pd.DataFrame(
        {
            "g": list("abcd"),
            "n": [2, 4, 40, 0],
            "mean": [5.0, 6.0, 7.0, np.nan],
            "n_below": [1, 0, 3, 0],
            "share_below": [0.5, 0.0, 0.075, np.nan],
        }
    )
    s = suppress_table(t, keys=["g"], min_group_size=3, min_cell_size=5).set_index("g")
    assert s.loc["a"].isna().all()  # n = 2 < min_group_size: everything blank
    assert pd.isna(s.loc["b", "n"]) and s.loc["b", "mean"] == 6.0  # stats kept, count 4 < 5 hidden
    assert pd.isna(s.loc["c", "n_below"]) and pd.isna(s.loc["c", "share_below"])  # share would reveal it
    assert s.loc["c", "n"] == 40 and s.loc["c", "mean"] == 7.0
    assert s.loc["d", "n"] == 0  # zero counts are not disclosive
    outputs.write_table(s.reset_index(), "test", "suppressed", min_cell_size=5, tables_dir=tmp_path)
    with pytest.raises(ValueError, match="unsuppressed"):
        outputs.write_table(t, "test", "raw", min_cell_size=5, tables_dir=tmp_path)
    s2 = suppress_table(t, keys=["g"], min_group_size=5, min_cell_size=1).set_index("g")
    assert pd.isna(s2.loc["b", "mean"]) and s2.loc["c", "n_below"] == 3
    with pytest.raises(KeyError, match="n_raters"):
        suppress_table(t, keys=["g"], count_col="n_raters")


def test_suppress_summary_by_group(small):
    ratings, resp = small
    s = ap.summary(ap.prepare(ratings, resp), by="position_level")
    out = suppress_table(s, keys=["position_level", "perspective", "competency"], min_group_size=2, min_cell_size=5)
    man = out[out["position_level"] == "managerial"]
    assert man["mean"].isna().all() and man["n"].isna().all()  # one managerial respondent
    exe = out[(out["position_level"] == "executive")]
    assert exe["mean"].notna().sum() == 7 and exe["n"].isna().all()  # colleague-leadership has n = 1


# --------------------------------------------------------------------------- agreement
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
        c = ap.perspective_correlations(long, method)
        assert c.loc["self", "head"] == pytest.approx(fn(m[:, 0], m[:, 2])[0], abs=1e-12)
    lead = ap.perspective_correlations(long, competency=ap.competencies()[1])
    x = s[:, :, 1]
    ok = ~np.isnan(x[:, 1]) & ~np.isnan(x[:, 3])
    assert lead.loc["supervisor", "colleague"] == pytest.approx(stats.pearsonr(x[ok, 1], x[ok, 3])[0])
    with pytest.raises(ValueError, match="kendall"):
        ap.perspective_correlations(long, "kendall")


def test_icc_matches_psych_reference():
    ref = REF["shrout_fleiss_1979"]
    t = ap.icc_table(pd.DataFrame(ref["data"])).set_index("type")
    for typ, r in ref["psych_icc"].items():
        # pingouin and psych agree to ~1e-6 (F to ~4e-6 relative): different ANOVA arithmetic
        assert t.loc[typ, "icc"] == pytest.approx(r["icc"], abs=1e-5)
        assert t.loc[typ, "f"] == pytest.approx(r["f"], rel=1e-5)
        assert t.loc[typ, "ci_low"] == pytest.approx(r["lower"], abs=1e-5)
        assert t.loc[typ, "ci_high"] == pytest.approx(r["upper"], abs=1e-5)
    assert (t["n"] == 6).all()


def test_icc_ci_column_name_robust(monkeypatch):
    import pingouin as pg

    real = pg.intraclass_corr

    def old_style(*a, **k):  # pingouin < 0.7 called the column CI95%
        return real(*a, **k).rename(columns={"CI95": "CI95%"})

    monkeypatch.setattr(pg, "intraclass_corr", old_style)
    before = dict(pg.options)
    t = ap.icc_table(pd.DataFrame(REF["shrout_fleiss_1979"]["data"])).set_index("type")
    assert t.loc["ICC(C,1)", "ci_low"] == pytest.approx(0.3425, abs=0.0001)  # unrounded
    assert dict(pg.options) == before  # pingouin's rounding options restored


def test_icc_too_few_complete_targets_is_nan():
    w = pd.DataFrame({"self": [7, 8, np.nan], "head": [6, np.nan, 5]})
    t = ap.icc_table(w)
    assert len(t) == 6 and t["icc"].isna().all() and (t["n"] == 1).all()


def test_perspective_icc_per_competency_listwise():
    long, sc = _random_long()
    t = ap.perspective_icc(long, types=["ICC(C,1)"])
    assert t["competency"].tolist() == [*ap.competencies()[:3], "overall"]
    complete = int((sc[:, :, 0] > 0).all(axis=1).sum())
    assert t.iloc[0]["n"] == complete
    w = pd.DataFrame(np.where(sc[:, :, 0] > 0, sc[:, :, 0], np.nan), columns=P)
    assert t.iloc[0]["icc"] == pytest.approx(ap.icc_table(w).set_index("type").loc["ICC(C,1)", "icc"])


# --------------------------------------------------------------------------- ranking and CIs
def test_ranking_and_weakest(small):
    ratings, resp = small
    long = ap.prepare(ratings, resp)
    r = ap.competency_ranking(long, by="position_level").set_index(["position_level", "competency"])
    # executive: leadership (9,7,8,3,6,6,6)/7 = 6.43 < integrity 69/8 = 8.625
    assert r.loc[("executive", "leadership"), "rank"] == 2 and r.loc[("executive", "leadership"), "is_weakest"]
    assert r.loc[("managerial", "integrity"), "is_weakest"]  # 6 < 7
    assert r.loc[("executive", "leadership"), "n"] == 2
    w = ap.weakest_competency(long, "position_level", "executive")
    assert w["competency"] == "leadership" and w["margin"] == pytest.approx(69 / 8 - 45 / 7)
    assert ap.weakest_competency(long, perspective="self")["competency"] == "leadership"  # (9+3+7)/3 < 8
    with pytest.raises(ValueError, match="position_level == 'nobody'"):
        ap.weakest_competency(long, "position_level", "nobody")


def test_mean_ci_matches_r_t_test():
    ref = REF["t_interval"]
    r = mean_ci(ref["x"])
    assert r["mean"] == pytest.approx(ref["mean"])
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(tuple(ref["conf_int"]), abs=1e-6)
    assert mean_ci(pd.Series([4, 5, None, 6, 7, 8], dtype="Int64"))["n"] == 5
    with pytest.raises(ValueError, match="at least 2"):
        mean_ci([3])


def test_figures_build(small):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ratings, resp = small
    long = ap.prepare(ratings, resp)
    figs = [
        ap_plots.plot_competency_list(ap.competency_ranking(long), ap.share_below_by_competency(long)),
        ap_plots.plot_heatmap(ap.summary(long)),
        ap_plots.plot_dots_by_group(ap.competency_ranking(long, by="position_level"), "position_level"),
        ap_plots.plot_gaps(ap.gap_summary(long)),
    ]
    assert [len(f.axes) for f in figs] == [2, 2, 1, 2]  # the heatmap's colour bar is an axis
    heat = figs[1].axes[0]
    assert [t.get_text() for t in heat.get_yticklabels()] == ["Integrity", "Leadership"]
    assert len(heat.texts) == 8  # one annotation per competency x perspective cell
    for f in figs:
        plt.close(f)


def test_docstring_examples_run():
    import doctest

    res = doctest.testmod(ap, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 10 and res.failed == 0


def test_suppress_lines_add_complementary_cells():
    # a distribution row: the hidden 2 could be recovered as n - (sum of the other cells)
    t = pd.DataFrame(
        {
            "g": ["x", "y"],
            "n": [40, 60],
            "n_score_0": [2, 0],
            "n_score_5": [18, 10],
            "n_score_9": [20, 50],
            "share_score_0": [0.05, 0.0],
            "share_score_5": [0.45, 1 / 6],
        }
    )
    plain = suppress_table(t, keys=["g"], min_cell_size=5).set_index("g")
    assert plain.loc["x", ["n_score_5", "n_score_9"]].notna().all()  # recoverable: 40 - 18 - 20 = 2
    s = suppress_table(t, keys=["g"], min_cell_size=5, lines=[["n_score_0", "n_score_5", "n_score_9"]]).set_index("g")
    assert pd.isna(s.loc["x", "n_score_0"]) and pd.isna(s.loc["x", "n_score_5"])  # smallest other cell
    assert pd.isna(s.loc["x", "share_score_5"]) and s.loc["x", "n_score_9"] == 20
    assert s.loc["y"].notna().all()
    with pytest.raises(KeyError, match="mean"):
        suppress_table(t.assign(mean=1.0), keys=["g"], lines=[["n_score_0", "mean"]])
