"""Notebook 02's analysis layer on a small hand-made frame and on the synthetic twin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import paths
from civcomp.analyses import digital_survey as ds
from civcomp.analyses import digital_survey_display as dsd
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.io.outputs import write_table
from civcomp.plots import digital_survey as ds_plots
from civcomp.stats.disclosure import small_cells
from civcomp.synth.digital_survey import generate


@pytest.fixture(scope="module")
def twin() -> pd.DataFrame:
    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "digital_survey.yaml"))
    return generate(cfg, np.random.default_rng([20250412, 2]))["digital_survey"]


def _hand() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": ["central"] * 4 + ["regional"] * 6,
            "region": ["astana_city"] * 4 + ["abai"] * 3 + ["akmola"] * 3,
            "digital_required_at_hiring": ["no", "yes", "no", "dont_know", "no", "no", "yes", "no", None, "no"],
            "system_difficulty": [
                "no_difficulty",
                "lack_of_experience",
                "inadequate_training",
                "other_cause",
                "lack_of_experience",
                "lack_of_experience",
                "no_difficulty",
                "inadequate_training",
                "no_difficulty",
                "no_difficulty",
            ],
            "formal_training": [
                "never",
                "once",
                "several_times",
                "never",
                "never",
                "never",
                "once",
                "never",
                "never",
                "several_times",
            ],
            "barrier_no_funding": [0, 1, 0, 0, 1, 1, 1, 0, 1, 1],
            "barrier_courses_far_away": [0, 0, 0, 0, 1, 0, 1, 0, 1, 1],
            "barrier_none": [1, 0, 1, 1, 0, 0, 0, 1, 0, 0],
        }
    )


def test_headlines_by_hand():
    h = ds.headlines(_hand())
    assert (h["n_not_required_at_hiring"], h["share_not_required_at_hiring"]) == (6, 6 / 9)  # one NA dropped
    assert h["n_difficulty_experience_or_training"] == 5
    assert h["n_never_trained"] == 6
    assert (h["barrier_share_central"], h["barrier_share_regional"]) == (0.25, 5 / 6)
    assert (h["barrier_mean_central"], h["barrier_mean_regional"]) == (0.25, 9 / 6)


def test_weighted_headlines_equal_unweighted_with_equal_weights():
    d = _hand()
    hw = ds.headlines(d, weights=pd.Series(2.0, index=d.index), suffix="_w")
    h = ds.headlines(d)
    assert hw["share_never_trained_w"] == pytest.approx(h["share_never_trained"])
    assert hw["share_never_trained_ci_low_w"] == pytest.approx(h["share_never_trained_ci_low"])


def test_poststrat_weights_hit_level_shares():
    d = _hand()
    w = ds.poststrat_weights(d, {"central": 0.2, "regional": 0.8}, {"abai": 3, "akmola": 1})
    tot = w.sum()
    assert w[d.level == "central"].sum() / tot == pytest.approx(0.2)
    assert w[d.region == "abai"].sum() / tot == pytest.approx(0.6)


def test_comparisons_use_uncorrected_chi2(twin):
    comp = ds.level_comparisons(twin, seed=1)
    tab = comp["barrier"]["table"].to_numpy()
    n = tab.sum()
    exp = np.outer(tab.sum(1), tab.sum(0)) / n
    chi2 = ((tab - exp) ** 2 / exp).sum()
    assert comp["barrier"]["statistic"] == pytest.approx(chi2)
    assert comp["barrier"]["cramers_v"] == pytest.approx(np.sqrt(chi2 / n))
    assert set(ds.comparison_summary(comp)["comparison"]) == {"difficulty", "training", "barrier"}


def test_paper_tables_are_disclosure_safe(twin, tmp_path):
    tables = ds.paper_tables(twin, 5)
    assert set(tables) >= {
        "table2_challenges",
        "table3_responsibilities_by_position",
        "table4_responsibilities_by_area",
    }
    for name, (table, res) in tables.items():
        assert small_cells(table, 5) == [], name
        write_table(table, "t", name, min_cell_size=5, tables_dir=tmp_path)  # raises on a small cell
        # every hidden count also hides its percentage
        for col in [c for c in table.columns if c.startswith("n_")]:
            assert table.loc[table[col].isna(), "pct_" + col[2:]].isna().all()
    t4 = tables["table4_responsibilities_by_area"][0]
    assert t4.loc[t4.option == "respondents", "n_total"].item() == 200
    log = ds.suppressed_cells(tables)
    assert "count" not in log.columns and len(log) > 0
    # unsuppressed percentages are the counts over the group base
    t2 = tables["table2_challenges"][0]
    row = t2[t2.option == "slow_systems"].iloc[0]
    base = t2.loc[t2.option == "respondents", "n_regional"].item()
    assert row["pct_regional"] == pytest.approx(100 * row["n_regional"] / base)


def test_narratives_and_figure_come_from_the_numbers(twin):
    h = ds.headlines(twin)
    text = dsd.narrate_headlines(h)
    assert f"{h['n_never_trained']} of {h['n_respondents']}" in text
    tables = ds.paper_tables(twin, 5)
    t4 = tables["table4_responsibilities_by_area"][0]
    areas = [c[2:] for c in t4.columns if c.startswith("n_") and c != "n_total"]
    fig = ds_plots.plot_heatmap(t4, areas)
    assert len(fig.axes) == 2
    view = dsd.formatted(t4, areas)
    assert (view.iloc[:, :-1] == "s").sum().sum() == t4[[f"n_{a}" for a in areas]].iloc[1:].isna().sum().sum()
    top = dsd.top_options(tables["table2_challenges"][0], "total", 1)[0]
    assert top[0] in dsd.narrate_multiselect(tables["table2_challenges"][0], ["total"], "challenges", k=1)


def test_docstring_examples_run():
    import doctest

    import civcomp.synth.digital_survey

    for mod in (ds, dsd, civcomp.synth.digital_survey):
        assert doctest.testmod(mod).failed == 0, mod.__name__


# ------------------------------------------------------------------ results(): what notebook 02 publishes
def _params(**overrides) -> dict:
    return {**params.snapshot().steps["02_digital_survey"], "fisher_resamples": 500, **overrides}


@pytest.fixture(scope="module")
def published(twin):
    return ds.results({"digital_survey": twin}, _params())


def test_results_publish_every_table_and_the_checked_keys(published):
    assert list(published.tables) == [
        "table2_challenges",
        "table3_responsibilities_by_position",
        "table4_responsibilities_by_area",
        "barriers_by_level",
        "difficulty_by_level",
        "training_by_level",
        "central_vs_regional_tests",
        "suppressed_cells",
    ]
    assert set(dsd.HEADLINE_KEYS) <= set(published.values)
    for key in ("difficulty", "training", "barrier"):
        assert {f"{key}_test", f"{key}_chi2", f"{key}_df", f"{key}_test_p", f"{key}_cramers_v"} <= set(published.values)
    assert {"kish_effective_n", "share_never_trained_weighted", "n_suppressed_cells"} <= set(published.values)


def test_results_values_equal_direct_computations(twin, published):
    v = published.values
    answered = twin["digital_required_at_hiring"].dropna().astype(str)
    assert v["n_not_required_at_hiring"] == (answered == "no").sum()
    assert v["share_not_required_at_hiring"] == pytest.approx((answered == "no").mean())
    p = _params()
    w = ds.poststrat_weights(twin, p["population_level_shares"], p["population_region_weights"]).to_numpy()
    assert v["kish_effective_n"] == pytest.approx(w.sum() ** 2 / (w**2).sum())
    cells = published.tables["suppressed_cells"]
    assert v["n_suppressed_cells"] == len(cells)


def test_results_without_poststratification_publish_no_weighted_keys(twin):
    v = ds.results({"digital_survey": twin}, _params(poststratify=False)).values
    assert "kish_effective_n" not in v and not any(k.endswith("_weighted") for k in v)


def test_regional_more_barriers_is_the_ledgers_definition(published):
    """The results value and the claims ledger's check of the same finding are one definition."""
    from civcomp.replication import claims

    claim = claims.by_id(claims.load_ledger())["p000_regional_more_barriers"]
    ledger_reading, _, _ = claims.evaluate_expr(claim["expr"], {"02_digital_survey": published.values}, {})
    assert published.values["regional_more_barriers"] is ledger_reading
    flipped = {**published.values, "barrier_share_central": 1.0}  # central now higher: both readings flip
    assert (
        ds.regional_more_barriers(flipped) is claims.evaluate_expr(claim["expr"], {"02_digital_survey": flipped}, {})[0]
    )
    assert ds.regional_more_barriers(flipped) is False


def test_regional_more_barriers_reads_the_shares_not_the_means():
    h = {
        "barrier_share_central": 0.4,
        "barrier_share_regional": 0.5,
        "barrier_mean_central": 2.0,
        "barrier_mean_regional": 1.0,
    }
    assert ds.regional_more_barriers(h) is True


def test_results_withhold_a_small_level_group(twin):
    lv = twin["level"].astype(str)
    four_central = pd.concat([twin[lv == "central"].head(4), twin[lv == "regional"]], ignore_index=True)
    v = ds.results({"digital_survey": four_central}, _params(poststratify=False)).values
    assert v["barrier_share_central"] is None and v["regional_more_barriers"] is None


def test_display_reads_the_published_values(published):
    table = dsd.headline_table(published.values, {"n_never_trained": 113}, 0.95)
    row = table.set_index("finding").loc["Never received formal digital training after hiring"]
    assert row["result n"] == published.values["n_never_trained"] and row["paper n"] == 113
    view = dsd.view(published, "table3_responsibilities_by_position")
    positions, labels = published.parts["groups"]["position"]
    assert len(view.columns) == len(positions) + 1 and list(view.columns)[0].startswith(labels[positions[0]])
    assert f"{published.values['kish_effective_n']:.0f} of 200" in dsd.narrate_weighting(published.values)
    assert f"{len(published.tables['suppressed_cells'])} cells" in dsd.narrate_suppression(published, 5)


def test_ledger_claims_of_notebook_02_name_this_results_function(published):
    """Every data claim on notebook 02 is computed by digital_survey.results: one hop from ledger to code."""
    import re

    from civcomp.replication import claims

    mine = [c for c in claims.load_ledger() if "02_digital_survey." in str(c.get("key") or c.get("expr"))]
    assert mine and all(c["computed_by"] == "civcomp.analyses.digital_survey.results" for c in mine)
    for c in mine:
        keys = re.findall(r"02_digital_survey\.(\w+)", str(c.get("key") or c.get("expr")))
        assert set(keys) <= set(published.values), c["id"]


def test_A5_a_share_of_a_withheld_count_is_withheld_too():
    """1 of 58 never trained: the count is hidden, and 1/58 = 0.0172 would give it back."""
    d = pd.concat([_hand()] * 6, ignore_index=True).head(58)
    d["formal_training"] = ["never"] + ["once"] * 57
    h = ds.publishable_headlines(ds.headlines(d), 5)
    assert h["n_never_trained"] is None
    assert h["share_never_trained"] is None and h["share_never_trained_ci_low"] is None
    d["formal_training"] = ["once"] * 2 + ["never"] * 56  # the complement is small: 56/58 gives the 2 back
    h = ds.publishable_headlines(ds.headlines(d), 5)
    assert h["share_never_trained"] is None
    assert h["n_never_trained"] is None  # 58 - 56 would leave the 2 (and the unanswered) in a range of 0-2
