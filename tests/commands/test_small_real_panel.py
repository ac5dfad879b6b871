"""Real mode on small files: notebook 05's robustness panel publishes nothing that notebooks 02 and 03 withhold.

The files and the real-mode ``params/`` folder are :mod:`small_real`'s (60, 80 and 300 respondents); the panel is
computed in this process (:func:`civcomp.analyses.robustness.results`) from 02's and 03's own results, once per size
for all the tests of that size, and nothing is written into the pipeline's ``outputs/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from civcomp import paths
from civcomp.analyses import capacity, robustness
from civcomp.analyses import digital_survey as ds
from civcomp.io import load as data
from civcomp.io.params import read_yaml

sys.path.insert(0, str(Path(__file__).parent))
from small_real import DATASET, SIZES, K, make_real, step_params  # noqa: E402


@pytest.fixture(scope="module", params=SIZES, ids=[f"n{n}" for n in SIZES])
def panel(request, tmp_path_factory, twins):
    """The real files, 02's and 03's results on them and the panel's readings, judged into its grid: built once
    per size and read by every test of that size (civcomp's paths point at the size's real-mode folder while
    they run)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        make_real(request.param, tmp_path_factory.mktemp(f"panel{request.param}"), monkeypatch, twins)
        frames = {d: data.load(d, "real") for d in DATASET.values()}
        v02 = ds.results({"digital_survey": frames["digital_survey"]}, step_params("02_digital_survey")).values
        v03 = capacity.results(
            {"capacity_survey": frames["capacity_survey"]}, step_params("03_innovative_capacity")
        ).values
        fitted = {"02_digital_survey": v02, "03_innovative_capacity": v03}
        pub = robustness.results(frames, step_params("05_report"), fitted)
        readings = pub.parts["readings"]
        ids = {r["claim_id"] for r in readings}
        evaluations = [{"id": c, "published": "", "kind": "value", "expected": 0.0, "tolerance": 1e9} for c in ids]
        yield {
            "frames": frames,
            "v02": v02,
            "v03": v03,
            "pub": pub,
            "readings": readings,
            "grid": robustness.grid(evaluations, readings),
        }


def _rows(panel: dict, claim_id: str, checked: bool | None = None) -> list[dict]:
    return [r for r in panel["readings"] if r["claim_id"] == claim_id and (checked is None or r["checked"] == checked)]


def test_A5_panel_withholds_the_sample_values_03_withholds(panel):
    v03 = panel["v03"]
    for key in ("share_executive", "share_female", "median_age"):
        (row,) = _rows(panel, f"p003_{key}", checked=True)
        assert (row["value"] is None) == (v03[key] is None), f"{key}: panel {row['value']}, 03 {v03[key]}"
    for r in robustness.REASONS:
        (row,) = _rows(panel, f"p003_reason_{r}", checked=True)
        hidden = v03[f"reason_share_{r}"] is None or pd.isna(v03[f"reason_share_{r}"])
        assert (row["value"] is None) == hidden, f"reason {r}: panel {row['value']}, 03 {v03[f'reason_share_{r}']}"


def test_A5_panel_prints_no_group_size_that_gives_a_small_level_back(panel):
    survey = panel["frames"]["capacity_survey"]
    n_total = len(survey)
    n_other = int((survey["level"].astype(str) != "regional").sum())
    alternatives = " | ".join(panel["grid"]["alternative"])
    on_all = [r for r in panel["readings"] if "all" in r["alternative"].split(" ")[:1] and not r["checked"]]
    if 0 < n_other < K:
        assert f"{n_total:,}" not in alternatives and "all respondents" in alternatives
        sample = [r for r in on_all if r["family"] == "sample (paper 003)"]
        assert sample and all(r["value"] is None for r in sample)  # the difference would give the other level
    else:
        assert f"all {n_total:,} respondents" in alternatives


def test_A5_panel_withholds_a_reason_share_on_all_that_gives_the_other_levels_count_back(panel):
    survey = panel["frames"]["capacity_survey"]
    other = survey.loc[survey["level"].astype(str) != "regional", "reason"].astype(object)
    n_other = len(other)
    for r in robustness.REASONS:
        count = int((other == r).sum())
        (row,) = [x for x in _rows(panel, f"p003_reason_{r}", checked=False) if "people" not in x["alternative"]]
        if 0 < count < K or 0 < n_other < K:
            assert row["value"] is None, f"reason {r}: all-respondents share shown, the other level has {count}"


def test_A5_panel_region_ratio_is_withheld_over_small_regions(panel):
    survey = panel["frames"]["digital_survey"]
    regions = list(read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"])
    counts = survey.loc[survey["level"].astype(str) == "regional", "region"].astype(str).value_counts()
    small = [r for r in regions if 0 < counts.get(r, 0) < K]
    v = panel["pub"].values
    grid = panel["grid"]
    rows = grid[grid["claim_id"] == "p000_balanced_regions"]
    if small:
        assert v["digital_region_max_min_ratio"] is None and v["digital_region_chi2_p"] is None
        assert (rows["value"] == robustness.WITHHELD).all() and rows["survives"].isna().all()
    else:
        assert v["digital_region_max_min_ratio"] is not None


def test_A5_panel_withheld_values_show_as_withheld_and_are_not_judged(panel):
    grid = panel["grid"]
    withheld = grid["value"] == robustness.WITHHELD
    assert withheld.any()  # every fixture withholds something (60/80: the other level, 300: a small region)
    assert grid.loc[withheld, "survives"].isna().all()
    assert not (grid["value"] == "n/a").any() or not withheld.all()


def test_A5_panel_no_plus_dont_know_count_follows_02s_rule(panel):
    survey = panel["frames"]["digital_survey"]
    answer = survey["digital_required_at_hiring"].astype(object)
    count = int(answer.isin(["no", "dont_know"]).sum())
    (row,) = [r for r in _rows(panel, "p000_not_required_at_hiring") if "know" in r["alternative"]]
    if 0 < count < K or 0 < len(survey) - count < K:
        assert row["value"] is None
    else:
        assert row["value"] == count


def test_A5_panel_withholds_a_profile_share_on_all_that_gives_the_other_levels_count_back(panel):
    survey = panel["frames"]["capacity_survey"]
    other = survey[survey["level"].astype(str) != "regional"]
    for key, col, cat in (("share_executive", "position_level", "executive"), ("share_female", "gender", "female")):
        answered = other[col].dropna().astype(str)
        cells = [int((answered == cat).sum()), int((answered != cat).sum()), len(other) - len(answered)]
        (row,) = _rows(panel, f"p003_{key}", checked=False)
        if any(0 < c < K for c in cells):
            assert row["value"] is None, f"{key} on all respondents shown; the other level's cells are {cells}"


def test_A5_panel_prints_no_complete_case_count_that_gives_the_other_levels_back(panel):
    survey = panel["frames"]["capacity_survey"]
    items = list(step_params("03_innovative_capacity")["items"])
    complete = survey[items].apply(pd.to_numeric, errors="coerce").notna().all(axis=1)
    other = int((complete & (survey["level"].astype(str) != "regional")).sum())
    labels = {r["alternative"] for r in _rows(panel, "p003_kmo") if r["alternative"].startswith("all ")}
    assert len(labels) == 1
    if 0 < other < K:
        assert "N =" not in labels.pop()
