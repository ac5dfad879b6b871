"""The intruder who reads every published artefact of notebook 04 at once, and the 02 list of hidden cells.

Each test is named by the attack it closes: A1 (a gap table's ``n`` gives back a hidden summary ``n``),
A2 (figures and results files more precise than the tables), A3 (the joint integer attack on the family
pins nothing), A6 (the published suppression reason). The fixtures are seeded 60-, 80- and
300-respondent samples of the synthetic twin (small real-mode files) and the whole twin, published
in-process through :func:`civcomp.analyses.appraisal.results`, the function the notebook calls.
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
from civcomp.io.display import as_printed  # noqa: E402
from civcomp.io.outputs import published_precision  # noqa: E402
from civcomp.io.params import snapshot  # noqa: E402
from civcomp.plots import appraisal as ap_plots  # noqa: E402
from civcomp.stats import intruder_joint as ij  # noqa: E402
from civcomp.stats import linked_tables as lt  # noqa: E402
from civcomp.stats.linked_tables import publishable  # noqa: E402

K = 5
PARAMS = dict(snapshot().steps["04_appraisal_360"])  # the project's own 04 parameters
FAMILY = ("distribution", "distribution_by_position_level", "summary_perspective_competency")
FAMILY += ("summary_by_position_level", "gaps", "gaps_by_position_level")


@pytest.fixture(scope="module")
def twin(twin_surveys):
    names = ("capacity_survey", "appraisal_360")
    if not all((paths.SYNTHETIC / f"{n}.synthetic.csv").is_file() for n in names):
        pytest.skip("synthetic twin not built (civcomp synthesize)")
    return twin_surveys()


@pytest.fixture(scope="module")
def publish(twin):
    """Publication of a seeded n-respondent regional sample of the twin (``"twin"``: all of it), made once."""
    cap, rat = twin
    done: dict = {}

    def get(n):
        if n not in done:
            if n == "twin":
                d = {"capacity_survey": cap, "appraisal_360": rat}
            else:
                small = cap[cap["level"].astype(str) == "regional"].sample(n=n, random_state=n)
                d = {"capacity_survey": small, "appraisal_360": rat[rat["respondent_id"].isin(small["respondent_id"])]}
            done[n] = d, ap.results(d, PARAMS)
        return done[n]

    return get


@pytest.fixture(scope="module")
def attacked(publish):
    """The joint attack on the whole family of a fixture, classified, made once."""
    done: dict = {}

    def get(n):
        if n not in done:
            t = publish(n)[1].tables
            done[n] = _attack(t, sorted(t["distribution"]["competency"].astype(str).unique()))
        return done[n]

    return get


@pytest.fixture(scope="module")
def twin_published(publish):
    return publish("twin")[1]


@pytest.fixture(scope="module")
def published(publish):
    return publish(300)


def _attack(tables: dict[str, pd.DataFrame], comps: list[str]) -> pd.DataFrame:
    part = {n: tables[n][tables[n]["competency"].astype(str).isin(comps)] for n in FAMILY}
    return ij.classify(ij.attack_family(part), K)


def test_A1_gap_n_hidden_with_the_linked_summary_n_and_joint_attack_pins_nothing(published, attacked):
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
    fixed = attacked(300)
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


@pytest.mark.parametrize("n", [60, 80, 300, "twin"])
def test_A3_joint_attack_pins_nothing(attacked, n):
    found = attacked(n)
    print(
        f"\nA3 joint attack on the {n} fixture: {len(found)} hidden cells attacked, "
        f"{int(found['pinned'].sum())} pinned, {int(found['narrowed'].sum())} narrowed to a range <= 3"
    )
    assert len(found) > 0, "nothing hidden: the attack could not fail"
    assert found["pinned"].sum() == 0, found[found["pinned"]].to_string()
    assert found["narrowed"].sum() == 0, found[found["narrowed"]].to_string()


def _sums_of_published_groups(dist: pd.DataFrame, dist_by: pd.DataFrame) -> list[str]:
    """Competencies where a hidden national cell is the sum of its published group cells (the old leak)."""
    keys = ["perspective", "competency"]
    by = dist_by.groupby([dist_by[k].astype(str) for k in keys])
    out = set()
    for _, row in dist.iterrows():
        grp = by.get_group((str(row["perspective"]), str(row["competency"])))
        for col in ij.SCORE_COLS:
            if pd.isna(row[col]) and grp[col].notna().all():
                out.add(str(row["competency"]))
    return sorted(out)


def test_A3_national_distribution_is_suppressed_with_its_breakdown(published):
    d, pub = published
    t = pub.tables
    assert _sums_of_published_groups(t["distribution"], t["distribution_by_position_level"]) == []
    # published one by one (national, then by level), the national hides sums of published group cells
    long = ap.prepare(d["appraisal_360"], d["capacity_survey"])
    keys = ["perspective", "competency"]
    s_all, d_all = lt.publishable_summary(ap.summary(long), ap.distribution(long), keys, K, 3)
    pos = "position_level"
    s_by, d_by = lt.publishable_summary(
        ap.summary(long, by=pos), ap.distribution(long, by=pos), [pos, *keys], K, 3, group=pos
    )
    comps = _sums_of_published_groups(d_all, d_by)
    assert comps, "the one-by-one publication must leak, or this test could not fail"
    old = dict(
        t,
        distribution=d_all,
        distribution_by_position_level=d_by,
        summary_perspective_competency=s_all,
        summary_by_position_level=s_by,
    )
    assert _attack(old, comps)["pinned"].sum() > 0
    assert _attack(t, comps)["pinned"].sum() == 0


def test_A3_audit_hides_more_where_a_row_and_a_column_narrow_a_cell():
    # one self-rating block of an 80-respondent sample (seed 11): executive and managerial score counts
    counts = {"executive": [0, 0, 0, 0, 1, 1, 7, 11, 11, 22, 7], "managerial": [0, 0, 0, 0, 0, 0, 4, 1, 10, 4, 1]}
    rows = [(lvl, s) for lvl, c in counts.items() for s, k in enumerate(c) for _ in range(k)]
    resp = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(len(rows))], "position_level": [r[0] for r in rows]})
    ratings = resp[["respondent_id"]].assign(
        perspective="self", competency="decision_making", score=[r[1] for r in rows]
    )
    long = ap.prepare(ratings, resp)
    args = (ap.summary(long), ap.distribution(long), ap.summary(long, by="position_level"))
    args += (ap.distribution(long, by="position_level"), ["perspective", "competency"], "position_level", K, 3)
    lines_only = ij.classify(ij.family_audit(lt.publishable_family(*args)), K)
    # the national row and the score-10 column leave scores 4, 5 and the managerial 10 holding 3 between them
    assert lines_only["narrowed"].sum() > 0, "the line rules alone must leave a narrowed cell, or this could not fail"
    audited = ij.classify(ij.family_audit(lt.publishable_family(*args, audit=ij.family_audit)), K)
    assert len(audited) > 0 and audited["narrowed"].sum() == 0 and audited["pinned"].sum() == 0


def _one_row(mean: float, sd: float, median: float, step: float) -> dict[str, pd.DataFrame]:
    """A distribution of 20 scores, 1, 5 and 9 hidden (2 each), and its summary at rounding ``step``."""
    counts = {f"n_score_{j}": 0 for j in range(11)}
    counts.update(n_score_1=None, n_score_5=None, n_score_9=None, n_score_7=14)
    row = {"perspective": "self", "competency": "leadership"}
    dist = pd.DataFrame([{**row, "n": 20, **counts}])
    summ = pd.DataFrame([{**row, "n": 20, "mean": mean, "median": median, "sd": sd, "n_zero": 0, "rounding": step}])
    by = dist.iloc[:0].assign(position_level=pd.Series(dtype=str))
    return {"distribution": dist, "distribution_by_position_level": by, "summary_perspective_competency": summ}


def test_A3_attack_reads_sd_and_median():
    scores = np.repeat([1, 5, 9, 7], [2, 2, 2, 14])
    m, sd, md = scores.mean(), scores.std(ddof=1), float(np.median(scores))
    exact = ij.attack_family(_one_row(round(m, 2), round(sd, 2), md, 0.01))
    assert (exact["width"] == 0).all() and exact["lo"].tolist() == [2, 2, 2]  # the mean alone allows 1/4/1 or 3/0/3
    without_sd = ij.attack_family(_one_row(round(m, 2), np.nan, np.nan, 0.01))
    assert (without_sd["width"] > 0).all()
    # a median of 5 with 14 sevens is impossible: no integer point, no range
    assert ij.attack_family(_one_row(round(m, 2), np.nan, 5.0, 0.01))["lo"].isna().all()


def test_A2_figures_carry_only_published_table_numbers(twin_published):
    pub = twin_published  # the whole twin: at 300 respondents the linked rules hide every mean the figures draw
    figs = ap_plots.published_figures(pub.tables, PARAMS["below_threshold"], PARAMS["gap_threshold"])
    printed = [as_printed(t) for t in pub.tables.values()]  # the tables as their CSVs print them
    try:
        for name, fig in figs.items():
            vals = ij.figure_values(fig)
            assert vals, f"{name}: no data read from the figure"
            assert ij.off_table(vals, printed) == [], name
        # drawn from the unrounded frames, the dot plot carries numbers no table prints
        raw = ap_plots.plot_dots_by_group(pub.parts["ranking_by_position_level"], "position_level")
        assert ij.off_table(ij.figure_values(raw), printed) != []
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
