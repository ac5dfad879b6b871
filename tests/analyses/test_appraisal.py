"""360-degree appraisal analysis (civcomp.analyses.appraisal) on small hand-made frames.

Reference software: pingouin / R psych::ICC on the Shrout & Fleiss (1979) data, R ``t.test``
(tests/reference/appraisal/reference_values.yaml), scipy.stats for correlations.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import appraisal_perspectives as pp
from civcomp.analyses.published import Published
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


def small_rows() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three respondents' ratings of two competencies, and their capacity_survey attributes."""
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


@pytest.fixture
def small():
    return small_rows()


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
        ap_plots.plot_gaps(pp.gap_summary(long)),
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


# --------------------------------------------------------------------------- what step 04 publishes
def _results_data(n: int = 40, seed: int = 5):
    rng = np.random.default_rng(seed)
    comps = ap.competencies()
    resp = pd.DataFrame(
        {
            "respondent_id": [f"r{i:03d}" for i in range(n)],
            "level": ["regional"] * (n - 4) + ["central"] * 4,
            "position_level": rng.choice(["executive", "managerial"], n),
            "region": rng.choice(["abai", "akmola"], n),
            "overall_competency": rng.integers(1, 11, n).astype(float),
            "reform_rating": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 11, n)),
        }
    )
    rows = [
        (r, p, c, int(rng.integers(0, 11)))
        for r in resp["respondent_id"]
        for p in ap.PERSPECTIVES
        for c in comps
        if rng.random() > 0.05
    ]
    params_ = dict(params.snapshot().steps["04_appraisal_360"])
    return {"capacity_survey": resp, "appraisal_360": frame(rows)}, params_


@pytest.fixture(scope="module")
def _results_once():
    data, p = _results_data()
    return data, p, ap.results(data, p)


@pytest.fixture
def results_04(_results_once):
    """``(data, params, Published)`` of step 04 on :func:`_results_data`, computed once for this file (the
    disclosure audit makes it cost seconds); each test gets its own deep copy, so the shared one stays read-only."""
    return copy.deepcopy(_results_once)


def test_results_carry_every_key_and_equal_independent_computations(tmp_path, results_04):
    data, p, pub = results_04
    regional = data["capacity_survey"][data["capacity_survey"]["level"] == "regional"]
    ratings = data["appraisal_360"][data["appraisal_360"]["respondent_id"].isin(regional["respondent_id"])]
    v = pub.values
    assert len(v) == 43
    assert v["n_respondents"] == ratings["respondent_id"].nunique()
    assert v["n_rating_rows"] == len(ratings)  # what notebook 04's text prints (published, not computed on the page)
    assert v["reform_rating_mean"] == pytest.approx(regional["reform_rating"].dropna().mean())
    assert v["reform_rating_n"] == regional["reform_rating"].notna().sum()
    self_scores = ratings.loc[(ratings["perspective"] == "self") & (ratings["score"] > 0), "score"]
    assert v["perspective_mean_self"] == pytest.approx(self_scores.mean())
    means = ratings[ratings["score"] > 0].groupby("perspective")["score"].mean()
    assert (v["perspective_mean_min"], v["perspective_mean_max"]) == pytest.approx((means.min(), means.max()))
    low = ratings.assign(low=ratings["score"].between(1, 4)).groupby("respondent_id")["low"].any()
    assert v["share_any_below_5"] == pytest.approx(low.mean())
    assert v["leadership_weakest_executive"] == (v["weakest_competency_executive"] == "leadership")
    for name, table in pub.tables.items():  # every export passes the disclosure check of write_table
        outputs.write_table(table, "test", name, min_cell_size=p["min_cell_size"], tables_dir=tmp_path)


def test_results_keys_are_the_ledger_keys_of_step_04(results_04):
    from civcomp.replication.claims import load_ledger

    keys = set(results_04[2].values)
    for c in load_ledger():
        for k in [c.get("key")] if isinstance(c.get("key"), str) else c.get("key") or []:
            if k.startswith("04_appraisal_360."):
                assert k.split(".", 1)[1] in keys, c["id"]


def test_survey_ratings_mean_and_t_interval():
    r = ap.survey_ratings(pd.DataFrame({"overall_competency": [6, 8, 10], "reform_rating": [4, 6, np.nan]}), 0.95)
    m = mean_ci(pd.Series([4.0, 6.0]), 0.95)
    assert r["reform_rating_mean"] == 5.0 and r["reform_rating_n"] == 2
    assert (r["reform_rating_ci_low"], r["reform_rating_ci_high"]) == (m["ci_low"], m["ci_high"])
    lo, hi = stats.t.interval(0.95, 2, loc=8, scale=stats.sem([6, 8, 10]))
    assert r["overall_competency_ci_low"] == pytest.approx(lo) and r["overall_competency_ci_high"] == pytest.approx(hi)


def test_narratives_read_the_published_values(results_04):
    from civcomp.analyses import appraisal_narrative as text

    _, p, pub = results_04
    v = pub.values
    assert f"mean **{v['reform_rating_mean']:.2f}**" in text.narrate_ratings(pub, p)
    assert f"**{v['share_any_below_5']:.1%}**" in text.narrate_low(pub)
    assert f"**{v['weakest_competency_executive']}**" in text.narrate_weakest(pub)
    assert f"{v['icc_c1_overall']:.2f}" in text.narrate_agreement(pub)
    assert set(text.HEADLINE) <= set(v)


def test_A2_gap_narrative_prints_the_published_average_or_withholds_it(results_04):
    """04's text averages the shares of self-ratings beyond the others over competencies: from the published gaps
    table, and not at all where a competency's share is suppressed (the average would give it back)."""
    from civcomp.analyses import appraisal_narrative as say

    _, p, pub = results_04
    shares = pd.to_numeric(pub.tables["gaps"]["share_blind_spot"], errors="coerce")
    v = pub.values
    assert v["share_blind_spot_avg"] == (None if shares.isna().any() else pytest.approx(shares.mean()))
    text = say.narrate_gaps(pub, p)
    assert ("averages over competencies" in text) == (v["share_blind_spot_avg"] is not None)
    hidden = Published(
        {**v, "share_blind_spot_avg": None},
        pub.tables,
        {**pub.parts, "gaps": pub.parts["gaps"].assign(share_blind_spot=0.123456)},
    )
    assert "12.3" not in say.narrate_gaps(hidden, p) and "suppressed" in say.narrate_gaps(hidden, p)
