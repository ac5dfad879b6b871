"""The intruder test: try to recover every suppressed cell from everything published beside it.

Runs :func:`civcomp.stats.intruder.audit_appraisal` (group-size differencing from means/SDs,
score distributions from mean/SD/n/median, sums across groups) on

* the twin's exported appraisal tables (``outputs/tables``, after ``civcomp reproduce``);
* deliberately small real-mode fixtures built from the twin (a few dozen to a few hundred
  respondents, so regions hold a handful of people) through the same publication functions
  the notebook uses;
* the old publication (suppression table by table, six-digit means) — the intruder must break
  it, or this test could not fail.

It fails when any hidden cell is pinned to one value or to a range narrower than
``min_cell_size - 1``. ``pytest -s`` prints the audit report (cells attacked, disclosed, narrowest).
The digital survey's small-group rules (results JSON, test statistics) are checked at the end.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import digital_survey as ds
from civcomp.analyses import digital_survey_display as dsd
from civcomp.io import load as data
from civcomp.io import params
from civcomp.io.outputs import small_result_counts, write_results, write_table
from civcomp.stats import intruder
from civcomp.stats import linked_tables as lt
from civcomp.stats.disclosure import suppress_table

STEP = "04_appraisal_360"
K = 5
G = 3


def _twin_ready() -> bool:
    return all((paths.SYNTHETIC / f"{n}.synthetic.csv").is_file() for n in ("capacity_survey", "appraisal_360"))


@pytest.fixture(scope="module")
def twin_long(twin_surveys):
    if not _twin_ready():
        pytest.skip("synthetic twin not built (civcomp synthesize)")
    cap, rat = twin_surveys()
    return cap[cap["level"].astype(str) == "regional"], rat


def _publish(long: pd.DataFrame, out, k: int = K) -> dict[str, pd.DataFrame]:
    """The notebook's appraisal exports that the intruder reads (same functions as notebooks/04)."""
    pos, keys = "position_level", ["perspective", "competency"]
    fam = lt.publishable_family(
        ap.summary(long),
        ap.distribution(long),
        ap.summary(long, by=pos),
        ap.distribution(long, by=pos),
        keys,
        pos,
        k,
        G,
    )
    write_table(fam["summary"], STEP, "summary_perspective_competency", k, out)
    write_table(fam["distribution"], STEP, "distribution", k, out)
    write_table(fam["summary_by"], STEP, f"summary_by_{pos}", k, out)
    write_table(fam["distribution_by"], STEP, f"distribution_by_{pos}", k, out)
    s, _ = lt.publishable_summary(ap.summary(long, by="region"), None, ["region", *keys], k, G, group="region")
    write_table(s, STEP, "summary_by_region", k, out)
    for by in ("position_level", "region"):
        write_table(
            lt.publishable(ap.share_below(long, by=by), [by], k, G, group=by), STEP, f"share_below_by_{by}", k, out
        )
    return intruder.read_tables(out, STEP)


def _report(label: str, findings: pd.DataFrame) -> dict:
    s = intruder.summarise(findings)
    print(f"\nintruder on {label}: {json.dumps(s)}")
    return s


def test_twin_outputs_resist_the_intruder():
    tables = intruder.read_tables(paths.TABLES, STEP)
    if "summary_by_region" not in tables:
        pytest.skip("no exported appraisal tables (run civcomp reproduce)")
    k = int(params.load_global()["min_cell_size"])
    findings = intruder.audit_appraisal(tables, k)
    s = _report("the twin's outputs/tables", findings)
    assert s["hidden_cells_attacked"] > 0
    bad = findings[findings["disclosed"] | findings["narrow"]]
    assert bad.empty, bad.head(20).to_string()


@pytest.mark.parametrize("n_respondents", [60, 80, 300])
def test_small_real_mode_fixture_resists_the_intruder(twin_long, tmp_path, n_respondents):
    sample, ratings = twin_long
    small = sample.sample(n=n_respondents, random_state=n_respondents)
    long = ap.prepare(ratings[ratings["respondent_id"].isin(small["respondent_id"])], small)
    findings = intruder.audit_appraisal(_publish(long, tmp_path), K)
    s = _report(f"a {n_respondents}-respondent fixture", findings)
    assert s["hidden_cells_attacked"] > 0
    bad = findings[findings["disclosed"] | findings["narrow"]]
    assert bad.empty, bad.head(20).to_string()


def test_intruder_breaks_table_by_table_suppression(twin_long, tmp_path):
    """The publication of issue 13 (each table suppressed on its own, six-digit means) is broken."""
    sample, ratings = twin_long
    small = sample.sample(n=1500, random_state=3)
    long = ap.prepare(ratings[ratings["respondent_id"].isin(small["respondent_id"])], small)
    for by in ("position_level", "region"):
        keys = [by, "perspective", "competency"]
        write_table(
            suppress_table(ap.summary(long, by=by), keys, G, K, lines=list(lt.ZERO_LINE)),
            STEP,
            f"summary_by_{by}",
            K,
            tmp_path,
        )
        write_table(suppress_table(ap.share_below(long, by=by), [by], G, K), STEP, f"share_below_by_{by}", K, tmp_path)
    write_table(
        suppress_table(
            ap.distribution(long, by="position_level"),
            ["position_level", "perspective", "competency"],
            G,
            K,
            lines=list(lt.SCORE_LINE),
        ),
        STEP,
        "distribution_by_position_level",
        K,
        tmp_path,
    )
    findings = intruder.audit_appraisal(intruder.read_tables(tmp_path, STEP), K)
    _report("table-by-table suppression (the old publication)", findings)
    assert findings["disclosed"].sum() > 0


def test_feasible_sizes_reproduces_the_differencing_attack():
    rng = np.random.default_rng(1)
    scores = rng.integers(1, 11, size=476)
    m, s = scores.mean(), scores.std(ddof=1)
    cand = np.arange(472, 477)  # n_zero 0..4 in a region of 476
    six = intruder.feasible_sizes(float(f"{m:.6g}"), float(f"{s:.6g}"), 5e-6, 5e-6, cand)
    two = intruder.feasible_sizes(round(m, 2), round(s, 2), 0.005, 0.005, cand)
    assert six.sum() == 1 and six[-1]  # six digits: only the true size fits
    assert two.all()  # the rounding rule: every candidate fits


# --- digital survey: a real-mode file with 4 central respondents ------------------------------------------------
@pytest.fixture(scope="module")
def four_central():
    if not (paths.SYNTHETIC / "digital_survey.synthetic.csv").is_file():
        pytest.skip("synthetic twin not built (civcomp synthesize)")
    survey = data.load("digital_survey")
    lv = survey["level"].astype(str)
    return pd.concat([survey[lv == "central"].head(4), survey[lv == "regional"]], ignore_index=True)


def test_small_level_group_is_withheld_everywhere(four_central, tmp_path):
    raw = ds.headlines(four_central)
    assert raw["barrier_base_central"] == 4
    assert small_result_counts(raw, K)  # unprotected, the results file would leak the group
    with pytest.raises(ValueError, match="below min_cell_size"):
        write_results("02_digital_survey", raw, "synthetic", results_dir=tmp_path, min_cell_size=K)
    h = ds.publishable_headlines(raw, K)
    assert all(v is None for k, v in h.items() if k.startswith("barrier_") and "central" in k)
    assert h["barrier_share_regional"] is not None
    write_results("02_digital_survey", h, "synthetic", results_dir=tmp_path, min_cell_size=K)
    assert "s (withheld" in dsd.narrate_headlines(h)
    comp = ds.publishable_comparisons(ds.level_comparisons(four_central, seed=1, n_resamples=200), K)
    summary = ds.comparison_summary(comp)
    assert summary[["chi2", "p", "min_expected", "cramers_v"]].isna().all().all()  # 0.4 = 4 x 20 / 200 is gone
    assert comp["n_barriers"]["withheld"] and "withheld" in dsd.narrate_comparison(comp)


def test_twin_comparisons_are_published(four_central):
    survey = data.load("digital_survey")
    comp = ds.publishable_comparisons(ds.level_comparisons(survey, seed=1, n_resamples=200), K)
    assert not any(comp[k]["withheld"] for k in ("difficulty", "training", "barrier"))


def _feasible_by_loop(mean, sd, half_mean, half_sd, candidates):
    """The definition of :func:`intruder.feasible_sizes`, one size and one sum at a time (the reference)."""
    out = np.zeros(len(candidates), bool)
    for i, n in enumerate(int(c) for c in candidates):
        lo = max(n, math.ceil(n * (mean - half_mean) - 1e-9))
        hi = min(10 * n, math.floor(n * (mean + half_mean) + 1e-9))
        if n < 1 or lo > hi:
            continue
        if n == 1 or math.isnan(sd):
            out[i] = math.isnan(sd) or abs(sd) <= half_sd
            continue
        lo_sd, hi_sd = max(sd - half_sd, 0.0), sd + half_sd
        out[i] = any(
            math.ceil((n - 1) * lo_sd**2 + s**2 / n - 1e-9)
            <= min(math.floor((n - 1) * hi_sd**2 + s**2 / n + 1e-9), 100 * n)
            for s in range(lo, hi + 1)
        )
    return out


@given(
    mean=st.integers(100, 1000).map(lambda v: v / 100),
    sd=st.one_of(st.just(float("nan")), st.integers(0, 450).map(lambda v: v / 100)),
    half_mean=st.sampled_from([0.5, 0.05, 0.005, 5e-6]),
    half_sd=st.sampled_from([0.5, 0.05, 0.005, 5e-6]),
    top=st.integers(1, 700),
)
def test_feasible_sizes_equal_their_definition_size_by_size(mean, sd, half_mean, half_sd, top):
    candidates = np.arange(-1, top)
    expected = _feasible_by_loop(mean, sd, half_mean, half_sd, candidates)
    assert np.array_equal(intruder.feasible_sizes(mean, sd, half_mean, half_sd, candidates), expected)
