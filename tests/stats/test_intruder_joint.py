"""The intruder who reads every published artefact of notebook 04 at once, and the 02 list of hidden cells.

Each test is named by the attack it closes: A1 (a gap table's ``n`` gives back a hidden summary ``n``),
A2 (figures and results files more precise than the tables), A6 (the published suppression reason).
The fixture is a seeded 300-respondent sample of the synthetic twin, published in-process through
:func:`civcomp.analyses.appraisal.results`, the function the notebook calls.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from civcomp import paths  # noqa: E402
from civcomp.analyses import appraisal as ap  # noqa: E402
from civcomp.analyses import digital_survey as ds  # noqa: E402
from civcomp.io import load as data  # noqa: E402
from civcomp.io.outputs import published_precision  # noqa: E402
from civcomp.plots import appraisal as ap_plots  # noqa: E402
from civcomp.stats import intruder_joint as ij  # noqa: E402
from civcomp.stats.linked_tables import publishable  # noqa: E402

K = 5
PARAMS = dict(
    analysed_level="regional",
    below_threshold=5,
    gap_threshold=1.0,
    min_group_size=3,
    zero_policy="exclude",
    confidence=0.95,
    min_cell_size=K,
)
FAMILY = ("distribution", "distribution_by_position_level", "summary_perspective_competency")
FAMILY += ("summary_by_position_level", "gaps", "gaps_by_position_level")


@pytest.fixture(scope="module")
def twin():
    names = ("capacity_survey", "appraisal_360")
    if not all((paths.SYNTHETIC / f"{n}.synthetic.csv").is_file() for n in names):
        pytest.skip("synthetic twin not built (civcomp synthesize)")
    return data.load("capacity_survey"), data.load("appraisal_360")


@pytest.fixture(scope="module")
def twin_published(twin):
    cap, rat = twin
    return ap.results({"capacity_survey": cap, "appraisal_360": rat}, PARAMS)


@pytest.fixture(scope="module")
def published(twin):
    cap, rat = twin
    small = cap[cap["level"].astype(str) == "regional"].sample(n=300, random_state=300)
    d = {"capacity_survey": small, "appraisal_360": rat[rat["respondent_id"].isin(small["respondent_id"])]}
    return d, ap.results(d, PARAMS)


def _attack(tables: dict[str, pd.DataFrame], comps: list[str]) -> pd.DataFrame:
    part = {n: tables[n][tables[n]["competency"].astype(str).isin(comps)] for n in FAMILY}
    return ij.classify(ij.attack_family(part), K)


def test_A1_gap_n_hidden_with_the_linked_summary_n_and_joint_attack_pins_nothing(published):
    d, pub = published
    t = pub.tables
    summ = t["summary_by_position_level"]
    hidden = summ.loc[summ["perspective"].astype(str) == "self"].set_index(["position_level", "competency"])["n"]
    gaps = t["gaps_by_position_level"].set_index(["position_level", "competency"])
    at = hidden[hidden.isna()].index.intersection(gaps.index)
    assert len(at) > 0, "the fixture hides no self n: the test could not fail"
    assert gaps.loc[at, "n"].isna().all()
    assert gaps.loc[at, ["share_blind_spot", "share_hidden_strength"]].isna().all().all()
    # the competencies whose gap n would be forced hidden: attack the published and the unfixed variants
    fixed = _attack(t, sorted(t["distribution"]["competency"].astype(str).unique()))
    comps = sorted({c for _, c in at})[:3]
    long = ap.prepare(d["appraisal_360"], d["capacity_survey"])
    raw = ap.gap_summary(long, threshold=PARAMS["gap_threshold"], by="position_level")
    unfixed = dict(t, gaps_by_position_level=publishable(raw, ["position_level", "competency", "flag"], K, 3))
    before = _attack(unfixed, comps)
    print(
        f"\njoint attack: published {int(fixed['pinned'].sum())} of {len(fixed)} pinned; "
        f"unfixed gap n on {comps}: {int(before['pinned'].sum())} of {len(before)}"
    )
    assert len(fixed) > 0
    assert before["pinned"].sum() > 0, "the unfixed gap table must be breakable, or this test could not fail"
    # fewer cells pinned than with the unfixed gap table on the same competencies, and none of a gap table
    after = _attack(t, comps)
    assert after["pinned"].sum() < before["pinned"].sum()
    assert not (fixed["pinned"] & fixed["table"].str.startswith("gaps")).any()


@pytest.mark.xfail(
    strict=True,
    reason="A3 not closed: on the 300-respondent twin sample the joint attack still pins 3 hidden cells of the "
    "national and by-level distributions (counts 4-5) without any gap table; secondary suppression of the "
    "distribution family alone does not protect it (coarsening still to do)",
)
def test_A3_joint_attack_pins_nothing_on_300_respondents(published):
    _, pub = published
    t = pub.tables
    fixed = _attack(t, sorted(t["distribution"]["competency"].astype(str).unique()))
    assert fixed["pinned"].sum() == 0, fixed[fixed["pinned"]].to_string()


def test_A2_figures_carry_only_published_table_numbers(twin_published):
    pub = twin_published  # the whole twin: at 300 respondents the linked rules hide every mean the figures draw
    figs = ap_plots.published_figures(pub.tables, PARAMS["below_threshold"], PARAMS["gap_threshold"])
    try:
        for name, fig in figs.items():
            vals = ij.figure_values(fig)
            assert vals, f"{name}: no data read from the figure"
            assert ij.off_table(vals, pub.tables.values()) == [], name
        # drawn from the unrounded frames, the dot plot carries numbers no table prints
        raw = ap_plots.plot_dots_by_group(pub.parts["ranking_by_position_level"], "position_level")
        assert ij.off_table(ij.figure_values(raw), pub.tables.values()) != []
        plt.close(raw)
    finally:
        for fig in figs.values():
            plt.close(fig)


def test_A2_results_json_floats_at_printed_precision(twin_published):
    pub = twin_published
    unrounded = ij.json_leaks(pub.values)
    assert any("margin" in k for k in unrounded), "the raw values must carry more digits, or this could not fail"
    written = {k: published_precision(k, v) for k, v in pub.values.items()}
    assert ij.json_leaks(written) == []
    margin = next(k for k in written if k.endswith("_margin") and isinstance(written[k], float))
    assert written[margin] == round(written[margin], 2)


def test_A6_suppressed_cells_table_has_one_marker_and_no_reason():
    # a suppression result as civcomp.stats.disclosure returns it: value and reason kept for the log only
    cells = pd.DataFrame({"row": [0, 1], "column": ["a", "b"], "count": [2, 9], "reason": ["primary", "secondary"]})
    res = ds.suppressed_cells({"t": (None, type("Suppression", (), {"cells": cells})())})
    assert list(res.columns) == ["table", "row", "column", "status"]
    assert set(res["status"]) == {"suppressed"}
    assert not {"reason", "count"} & set(res.columns)
    assert not np.isin(["primary", "secondary"], res.astype(str).to_numpy()).any()
