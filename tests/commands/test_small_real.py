"""Real mode on small and odd files: what notebooks 02 and 03 publish from surveys of 60, 80 and 300 respondents.

The files and the real-mode ``params/`` folder are :mod:`small_real`'s. ``R3`` tests say what 02 and 03 do with
empty regions, missing ages and tables with nothing left to show (the notebooks themselves run to the end in
``test_small_real_notebooks.py``); ``A5`` tests that no published share gives back a count the tables hide.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from civcomp.analyses import capacity
from civcomp.analyses import digital_survey as ds
from civcomp.io import load as data

sys.path.insert(0, str(Path(__file__).parent))
from small_real import K, make_real, step_params  # noqa: E402


def test_R3_poststratification_with_empty_regions_pools_drops_and_says_so(real):
    from civcomp.analyses import digital_survey_display as say

    survey = data.load("digital_survey", "real")
    p = step_params("02_digital_survey")
    v = ds.results({"digital_survey": survey}, p).values
    regional = survey[survey["level"].astype(str) == "regional"]
    counts = regional["region"].astype(str).value_counts()
    small = sorted(r for r in p["population_region_weights"] if counts.get(r, 0) < K)
    assert small and v["poststrat_pooled_regions"] == small  # every file of this size has regions below 5
    assert any(counts.get(r, 0) == 0 for r in p["population_region_weights"]) or real["n"] == 300
    line = say.narrate_weighting(v, K)
    assert "pooled into one stratum" in line and small[0] in line
    plan = ds.poststrat_plan(survey, p["population_level_shares"], p["population_region_weights"], min_cell_size=K)
    w = ds.poststrat_weights(survey, p["population_level_shares"], p["population_region_weights"], K)
    level = survey["level"].astype(str)
    share = p["population_level_shares"]
    assert w[level == "central"].sum() / w.sum() == pytest.approx(share["central"] / sum(share.values()))
    assert sum(plan["targets"].values()) == pytest.approx(1.0)


def test_R3_an_empty_region_is_dropped_and_the_level_keeps_its_share():
    d = pd.DataFrame(
        {"level": ["central"] * 6 + ["regional"] * 12, "region": ["abai"] * 6 + ["abai"] * 6 + ["akmola"] * 6}
    )
    weights = {"abai": 1.0, "akmola": 1.0, "aktobe": 2.0}  # aktobe: a target, no respondent
    plan = ds.poststrat_plan(d, {"central": 0.3, "regional": 0.7}, weights, min_cell_size=1)
    assert plan["dropped"] == [ds.POOLED] and plan["pooled"] == ["aktobe"]
    w = ds.poststrat_weights(d, {"central": 0.3, "regional": 0.7}, weights)
    assert w[d.level == "regional"].sum() / w.sum() == pytest.approx(0.7)
    assert w[d.region == "akmola"].sum() / w.sum() == pytest.approx(0.35)
    few = ds.poststrat_plan(d.iloc[3:], {"central": 0.3, "regional": 0.7}, weights, min_cell_size=5)
    assert few["withheld"] and "central" in few["withheld"]  # 3 central respondents: nothing safe to weight


def test_R3_missing_ages_are_counted_as_not_stated(real):
    from civcomp.analyses import capacity_narrative as text

    p = step_params("03_innovative_capacity")
    pub = capacity.results({"capacity_survey": data.load("capacity_survey", "real")}, p)
    ages = pub.tables["age_distribution"]
    assert ages["age_group"].iloc[-1] == capacity.NOT_STATED
    stated = 6 if real["n"] == 300 else 3
    if stated >= K:
        assert ages["n"].iloc[-1] == stated and pub.values["n_age_missing"] == stated
    else:  # a small count: hidden, with a complementary cell, and said
        assert pd.isna(ages["n"].iloc[-1]) and pub.values["n_age_missing"] is None
        assert ages["n"].isna().sum() >= 2
    assert "not stated" in text.narrate_ages(pub, p)


def _withheld_when_small(count: int, base: int, group: int, share) -> None:
    cells = np.array([count, base - count, group - base])
    if ((cells > 0) & (cells < K)).any():
        assert share is None, f"share {share} of {count}/{base} (group {group}) gives a small cell back"


def test_A5_02_no_share_gives_a_hidden_count_back(real):
    survey = data.load("digital_survey", "real")
    p = step_params("02_digital_survey")
    v = ds.results({"digital_survey": survey}, {**p, "poststratify": False}).values
    for key in ds.HEADLINES:
        x = ds.indicator(survey, key).dropna()
        _withheld_when_small(int(x.sum()), len(x), len(survey), v[f"share_{key}"])
        if v[f"n_{key}"] is None:
            assert v[f"share_{key}"] is None and v[f"share_{key}_ci_low"] is None
    level = survey["level"].astype(str)
    for lv in ds.LEVELS:
        b = ds.any_barrier(survey)[level == lv].dropna()
        _withheld_when_small(int(b.sum()), len(b), int((level == lv).sum()), v[f"barrier_share_{lv}"])
    weighted = ds.results({"digital_survey": survey}, p).values
    for key in ds.HEADLINES:
        if v[f"share_{key}"] is None:
            assert weighted[f"share_{key}_weighted"] is None


def test_A5_03_no_share_gives_a_hidden_count_back(real):
    survey = data.load("capacity_survey", "real")
    pub = capacity.results({"capacity_survey": survey}, step_params("03_innovative_capacity"))
    v, level = pub.values, survey["level"].astype(str)
    regional = survey[level == "regional"]
    _withheld_when_small(int((level == "regional").sum()), len(survey), len(survey), v["share_regional"])
    if v["share_regional"] is None:
        assert v["n_total"] is None  # n_total - n_regional is the other level
    for key, col, cat in (("share_executive", "position_level", "executive"), ("share_female", "gender", "female")):
        answered = regional[col].dropna().astype(str)
        _withheld_when_small(int((answered == cat).sum()), len(answered), len(regional), v[key])
    reasons = pub.tables["reasons"]
    hidden = reasons["n"].isna().to_numpy()
    assert reasons.loc[hidden, ["share", "ci_low", "ci_high"]].isna().all().all()
    for _, r in reasons.iterrows():
        if pd.isna(r["n"]):
            assert v[f"reason_share_{r['category']}"] is None or np.isnan(v[f"reason_share_{r['category']}"])
    for table in (pub.tables["age_distribution"], reasons):  # shares at the printed precision (4 decimals)
        s = pd.to_numeric(table["share"], errors="coerce").dropna()
        assert (s == s.round(4)).all()


def test_A5_03_publishes_no_respondent_age_and_draws_ages_from_the_table(real):
    from civcomp.plots import capacity as plots

    survey = data.load("capacity_survey", "real")
    pub = capacity.results({"capacity_survey": survey}, step_params("03_innovative_capacity"))
    assert not {"age_min", "age_max"} & (set(pub.values) | set(pub.parts["profile"]))
    ages = pd.to_numeric(survey.loc[survey["level"].astype(str) == "regional", "age"], errors="coerce").dropna()
    for key in ("median_age", "age_q1", "age_q3"):
        if pub.values[key] is not None:  # a quantile is published only when K respondents share its ages
            assert (ages == pub.values[key]).sum() >= K or (
                ages.between(pub.values[key] - 1, pub.values[key] + 1)
            ).sum() >= K
    table = pub.tables["age_distribution"]
    fig = plots.plot_age_distribution(table, "regional", pub.values["median_age"])
    heights = sorted(round(b.get_height(), 6) for b in fig.axes[0].patches if b.get_height() > 0.02)
    assert heights == sorted(round(float(x), 6) for x in table["share"].dropna() if x > 0.02)
    plt.close(fig)


def test_R3_a_table_with_nothing_to_show_is_suppressed_whole_and_says_why(tmp_path, monkeypatch, twins):
    from civcomp.analyses import digital_survey_display as say

    make_real(12, tmp_path, monkeypatch, twins)  # 12 respondents: some tables keep no cell at all
    p = step_params("02_digital_survey")
    pub = ds.results({"digital_survey": data.load("digital_survey", "real")}, p)
    whole = pub.values["suppressed_tables"]
    assert whole, "a 12-respondent file leaves some table with nothing to show"
    for name, why in whole.items():
        t = pub.tables[name]
        counts = [c for c in t.columns if c.startswith(("n_", "pct_"))]
        assert t[counts].isna().all().all() and why.startswith("suppressed whole: with 12 respondents")
        assert say.view(pub, name).iloc[0, 0] == why  # one line in the notebook instead of a grid of "s"
        cells = pub.tables["suppressed_cells"]
        assert cells[cells["table"] == name][["row", "column"]].values.tolist() == [["all", "all"]]
