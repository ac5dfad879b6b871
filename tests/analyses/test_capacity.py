"""civcomp.analyses.capacity: sample profile, shares with Wilson CIs (checked against statsmodels), suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from civcomp.analyses import capacity as profile
from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.io import ledger
from civcomp.io.outputs import write_table
from civcomp.replication.claims import published_values
from civcomp.stats.disclosure import suppress_small
from civcomp.stats.estimates import proportion, share_table


def test_share_table_counts_order_and_wilson_ci():
    s = pd.Series(["b"] * 30 + ["a"] * 60 + ["c"] * 9 + [None] * 4)
    t = share_table(s, ["a", "b", "c", "d"], alpha=0.05)
    assert t["category"].tolist() == ["a", "b", "c", "d"]
    assert t["n"].tolist() == [60, 30, 9, 0]
    assert t.attrs == {"n_valid": 99, "n_missing": 4}
    np.testing.assert_allclose(t["share"], [60 / 99, 30 / 99, 9 / 99, 0])
    for _, row in t.iterrows():
        lo, hi = proportion_confint(row["n"], 99, alpha=0.05, method="wilson")
        assert row["ci_low"] == pytest.approx(lo, abs=1e-12) and row["ci_high"] == pytest.approx(hi, abs=1e-12)


def test_share_table_uses_categorical_order_and_rejects_unknown_values():
    s = pd.Series(pd.Categorical(["y", "x", "y"], categories=["y", "x", "z"]))
    assert share_table(s)["category"].tolist() == ["y", "x", "z"]
    with pytest.raises(ValueError, match=r"values outside the categories: \['q'\]"):
        share_table(pd.Series(["x", "q"]), ["x", "y"])


def test_share_of_one_category_ignores_missing_answers():
    out = profile._share_of(pd.Series(["f", "m", None, "f"]), "f", alpha=0.1)
    lo, hi = proportion_confint(2, 3, alpha=0.1, method="wilson")
    assert (out["count"], out["n"]) == (2, 3)
    assert out == proportion([1, 0, None, 1], alpha=0.1)
    assert out["share"] == pytest.approx(2 / 3)
    assert out["ci_low"] == pytest.approx(lo) and out["ci_high"] == pytest.approx(hi)


def test_age_distribution_left_closed_bins():
    t = profile.age_distribution(pd.Series([18, 29, 30, 39, 40, 70, pd.NA], dtype="Int64"), [18, 30, 40, 71])
    assert t["age_group"].tolist() == ["18-29", "30-39", "40-70", "not stated"]
    assert t["n"].tolist() == [2, 2, 2, 1]
    np.testing.assert_allclose(t["share"], [2 / 7] * 3 + [1 / 7])  # of every respondent: the total is published
    with pytest.raises(ValueError, match=r"1 age\(s\) outside the bins 18-70, e.g. 75"):
        profile.age_distribution(pd.Series([20, 75]), [18, 30, 71])


def test_suppress_small_blanks_counts_and_what_they_reveal(tmp_path):
    t = pd.DataFrame(
        {
            "group": list("abcd"),
            "n": [0, 2, 4, 50],
            "share": [0, 0.04, 0.08, 0.88],
            "ci_low": [0, 0.01, 0.03, 0.8],
            "ci_high": [0.1, 0.1, 0.2, 0.9],
        }
    )
    with pytest.raises(ValueError, match="unsuppressed"):
        write_table(t, "test", "t", min_cell_size=5, tables_dir=tmp_path)
    out = suppress_small(t, 5)
    assert out["n"].isna().tolist() == [False, True, True, False]
    assert out["share"].isna().tolist() == [False, True, True, False]
    assert out["ci_high"].isna().tolist() == [False, True, True, False]
    assert out.loc[0, "n"] == 0 and out.loc[3, "share"] == 0.88
    write_table(out, "test", "t", min_cell_size=5, tables_dir=tmp_path)  # now passes disclosure control


def test_suppress_small_protects_a_lone_small_cell_against_subtraction():
    # the total (80) is published, so hiding only the 3 would give it back as 80 - 30 - 47
    t = pd.DataFrame({"n": [30, 3, 47], "share": [30 / 80, 3 / 80, 47 / 80]})
    out = suppress_small(t, 5)
    assert out["n"].isna().tolist() == [True, True, False]
    assert out["share"].isna().tolist() == [True, True, False]


def test_sample_profile_by_hand():
    df = pd.DataFrame(
        {
            "level": ["regional"] * 8 + ["central"] * 2,
            "position_level": ["executive"] * 6 + ["managerial", None] + ["executive"] * 2,
            "gender": ["female"] * 5 + ["male"] * 3 + ["male"] * 2,
            "age": pd.array([25, 30, 35, 40, 45, 50, 55, pd.NA, 60, 61], dtype="Int64"),
        }
    )
    p = profile.sample_profile(df, local_staff_headcount=40)
    assert (p["n_total"], p["n_regional"]) == (10, 8)
    assert p["share_regional"] == pytest.approx(0.8)
    assert p["coverage_of_local_staff"] == pytest.approx(8 / 40)
    assert p["share_executive"] == pytest.approx(6 / 7) and p["n_position_missing"] == 1
    assert p["share_female"] == pytest.approx(5 / 8)
    assert p["median_age"] == 40 and p["n_age_missing"] == 1
    assert (p["age_q1"], p["age_q3"]) == (
        np.percentile([25, 30, 35, 40, 45, 50, 55], 25),
        np.percentile([25, 30, 35, 40, 45, 50, 55], 75),
    )
    lo, hi = proportion_confint(5, 8, alpha=0.05, method="wilson")
    assert p["share_female_ci_low"] == pytest.approx(lo) and p["share_female_ci_high"] == pytest.approx(hi)
    with pytest.raises(ValueError, match="local_staff_headcount must be positive"):
        profile.sample_profile(df, 0)


def test_published_values_come_from_the_claims_ledger():
    pub = published_values("03_innovative_capacity")
    assert pub["kmo"] == pytest.approx(0.84)
    assert pub["communality_salary"] == pytest.approx(0.235)
    assert pub["share_executive"] == pytest.approx(0.83)  # printed 83 %, compared as a fraction
    assert "local_staff_headcount" not in pub  # an external figure, not a result the ledger checks
    assert "bartlett_p" not in pub  # a comparison claim (p < .001), not a value


def _ledger_keys(step: str) -> set[str]:
    """Every result key of ``step`` the claims ledger reads (key, input_key, range keys, expressions)."""
    import re

    from civcomp.replication.claims import load_ledger

    found = set()
    for c in load_ledger():
        keys = [c.get("key"), c.get("input_key")]
        keys += c["key"] if isinstance(c.get("key"), list) else []
        keys += re.findall(r"\{(\d\d_[a-z0-9_]+\.[a-z0-9_]+)\}", str(c.get("expr", "")))
        found |= {k.split(".", 1)[1] for k in keys if isinstance(k, str) and k.startswith(step + ".")}
    return found


@pytest.fixture(scope="module")
def twin_results():
    """capacity.results on a small twin with notebook 03's parameters (fewer resamples, so the test is quick)."""
    from civcomp import paths
    from civcomp.io import params
    from civcomp.synth import capacity as gen

    cfg = params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml")
    df = gen.generate(cfg, np.random.default_rng([1, 3]))["capacity_survey"]
    p = {**params.load_global(), **params.load_step("03_innovative_capacity")}
    p.update(bootstrap_resamples=20, parallel_iterations=10)
    return df, p, profile.results({"capacity_survey": df}, p, published_values("03_innovative_capacity"))


def test_results_cover_every_key_the_ledger_reads(twin_results):
    """The contract between notebook 03 and the claims ledger: no ledger key without a producer."""
    _, _, pub = twin_results
    res = pub.parts["efa"]
    structural = {k for k in _ledger_keys("03_innovative_capacity") if k.startswith("sem_")}  # capacity_structural's
    missing = _ledger_keys("03_innovative_capacity") - structural - set(pub.values)
    assert missing == set()
    assert pub.values["local_staff_headcount"] == ledger.target(profile.LOCAL_STAFF_CLAIM)
    assert set(res.headline()) <= set(pub.values)
    assert _ledger_keys("03_innovative_capacity") & set(res.headline())  # the EFA part is really exercised


def test_results_values_equal_an_independent_computation(twin_results):
    df, p, pub = twin_results
    regional = df[df["level"] == "regional"]
    v = pub.values
    assert (v["n_total"], v["n_regional"]) == (len(df), len(regional))
    assert v["median_age"] == pytest.approx(float(np.median(pd.to_numeric(regional["age"]).dropna())))
    shares = regional["reason"].astype(object).value_counts(normalize=True)
    assert v["reason_share_career"] == pytest.approx(shares["career"], abs=5e-5)  # at the tables' printed precision
    # KMO from its definition: squared correlations against squared partial correlations, off the diagonal
    x = regional[list(TABLE3_ITEMS)].astype(float).dropna().to_numpy()
    r = np.corrcoef(x, rowvar=False)
    inv = np.linalg.inv(r)
    partial = -inv / np.sqrt(np.outer(np.diag(inv), np.diag(inv)))
    off = ~np.eye(len(r), dtype=bool)
    assert v["kmo"] == pytest.approx((r[off] ** 2).sum() / ((r[off] ** 2).sum() + (partial[off] ** 2).sum()), abs=1e-12)
    assert v["bootstrap_resamples"] == 20
    assert list(pub.tables) == [
        "sample_profile",
        "age_distribution",
        "reasons",
        "table3_adequacy",
        "correlations",
        "eigenvalues",
        "loadings",
        "reliability",
    ]
    assert pub.tables["table3_adequacy"].set_index("key").loc["kmo", "paper"] == pytest.approx(0.84)
    assert pub.tables["age_distribution"]["n"].sum() <= len(regional)


def test_narratives_read_the_published_values(twin_results):
    from civcomp.analyses import capacity_narrative as text

    _, p, pub = twin_results
    v = pub.values
    assert f"{v['n_total']:,} civil servants answered" in text.narrate_profile(pub, p)
    assert f"{v['share_female']:.1%} are women" in text.narrate_profile(pub, p)
    assert f"KMO = {v['kmo']:.3f}" in text.narrate_adequacy(pub)
    assert f"{pub.tables['reasons'].attrs['n_missing']} respondents gave no reason" in text.narrate_reasons(pub)
    assert f"used: **{v['n_factors']}**" in text.narrate_factors(pub, p)
    keys = text.headline_keys(pub, p)
    assert set(keys) - {"data_source"} - {k for k in keys if k.startswith(("sem_", "adequacy8_"))} <= set(v)


def test_A5_profile_withholds_shares_that_give_a_small_count_back():
    df = pd.DataFrame(
        {
            "level": ["regional"] * 12 + ["central"],
            "position_level": ["executive"] * 10 + ["managerial"] * 2 + ["executive"],
            "gender": ["female"] * 6 + ["male"] * 6 + ["male"],
            "age": pd.array([30] * 6 + [40] * 4 + [70] * 2 + [50], dtype="Int64"),
        }
    )
    p = profile.sample_profile(df, local_staff_headcount=100, min_cell_size=5)
    assert p["share_regional"] is None and p["n_total"] is None  # 13 - 12 is the one central respondent
    assert p["share_executive"] is None and p["share_executive_ci_low"] is None  # 2 managerial
    assert p["share_female"] == 0.5
    assert "age_min" not in p and "age_max" not in p  # the youngest and the oldest are respondents' own values
    assert p["age_q1"] == 30.0 and p["age_q3"] is None  # the third quartile is an age only 4 respondents share


@pytest.mark.parametrize("blanks, shown", [(2, False), (0, True), (6, True)])
def test_A5_R3_n_used_gives_no_count_of_respondents_who_left_an_item_blank_back(twin_results, blanks, shown):
    """300 regional respondents, a few of whom left an item blank: with ``n_regional`` published, "N used" and the
    rows dropped give that count back, so both are published only when both counts are 0 or at least k — in the
    results, the narratives and the figure titles alike."""
    import matplotlib.pyplot as plt

    from civcomp.analyses import capacity_narrative as text
    from civcomp.analyses import capacity_structural as structural
    from civcomp.io.outputs import small_result_counts
    from civcomp.plots import capacity as plots

    df, p, _ = twin_results
    small = df[df["level"].astype(str) == "regional"].sample(n=300, random_state=300).reset_index(drop=True)
    small.loc[: blanks - 1, "salary"] = np.nan
    p = {**p, "data_source": "real"}
    pub = profile.results({"capacity_survey": small}, p, published_values("03_innovative_capacity"))
    sem = structural.results({"capacity_survey": small}, p, efa_all=pub.parts["efa"])
    v = {**pub.values, **sem.values}
    assert pub.parts["efa"].n_dropped == blanks and v["n_regional"] == 300
    used = [v["efa_n"], v["efa_n_dropped"], v["sem_n"], v["sem_path_n"]]
    assert used == ([300 - blanks, blanks, 300 - blanks, 300 - blanks] if shown else [None] * 4)
    assert small_result_counts(v, p["min_cell_size"]) == []
    said = " ".join(f(pub, p) for f in (text.narrate_factors,)) + " ".join(
        [text.narrate_cfa(sem, p), text.narrate_paths(sem, p), text.narrate_8_vs_9(pub, sem, p)]
    )
    fig = plots.plot_correlations(pub.parts["efa"].correlation, v["efa_n"], pub.parts["labels"])
    said += fig.axes[0].get_title()
    plt.close(fig)
    assert (f"{300 - blanks:,}" in said) == shown and ("withheld" in said) != shown
    assert said.count("N used withheld") == (0 if shown else 1)  # why: said once, in section 3


def test_A2_reasons_text_prints_the_published_share_of_personal_goals(twin_results):
    """ "The other reasons add up to …" is a results value (1 - the published share of the first reason), never
    arithmetic on the page; withheld with that share."""
    from civcomp.analyses import capacity_narrative as text

    _, _, pub = twin_results
    v = pub.values
    assert v["reason_share_personal_goals"] == pytest.approx(1 - v["reason_share_useful_to_state"])
    assert f"add up to {v['reason_share_personal_goals']:.1%}" in text.narrate_reasons(pub)
    pub.values["reason_share_personal_goals"] = None
    try:
        assert "add up to s." in text.narrate_reasons(pub)
    finally:
        pub.values["reason_share_personal_goals"] = 1 - v["reason_share_useful_to_state"]
