"""Issue-level acceptance of the synthetic twin: two `synthesize` runs are byte-identical, and every
calibration target is recovered from the written files by the project's own analysis functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import synth, text
from civcomp.analyses import appraisal
from civcomp.analyses import capacity as profile
from civcomp.analyses import digital_survey as digital_skills
from civcomp.io import ledger, params
from civcomp.io.sources import synthetic_path
from civcomp.stats import efa
from civcomp.synth import GENERATORS
from civcomp.synth.postings_genre import section_text

TABLE3 = {
    "innovative_capacity": 0.590,
    "agency_activities": 0.352,
    "salary": 0.235,
    "trust": 0.539,
    "work_conditions": 0.563,
    "environment": 0.643,
    "schedule": 0.457,
    "career": 0.554,
    "competencies": 0.399,
}


@pytest.fixture(scope="module")
def twin(tmp_path_factory, fresh_twin):
    """The session's twin and a second run with the same seed (written here)."""
    seed = int(params.load_global()["seed"])
    a, hashes_a = fresh_twin[0] / "synthetic", fresh_twin[1]
    hashes_b = synth.synthesize(seed, out_dir=tmp_path_factory.mktemp("twin_b"), verbose=False)
    return a, hashes_a, hashes_b


def read(folder, name):
    return pd.read_csv(synthetic_path(name, folder), keep_default_na=True)


def test_two_runs_are_byte_identical(twin):
    a, hashes_a, hashes_b = twin
    assert hashes_a == hashes_b
    assert {f.split(".")[0] for f in hashes_a} >= {g[0] for g in GENERATORS}
    for name in hashes_a:
        assert ".synthetic." in (a / name).name  # the file name itself says it is synthetic (.csv, .sav, .ru.sps)


def test_postings_targets(twin):
    folder = twin[0]
    postings = read(folder, "postings")
    truth = read(folder, "postings_truth").set_index("id").loc[postings["id"]]
    # the dictionary coder on the duty and requirement sections (the rest of an announcement is boilerplate)
    required = postings.assign(text=[section_text(x, s) for x, s in zip(postings["text"], truth["sections"])])
    coded, _ = text.code_postings(required, text.Matcher(text.load_dictionary()))
    assert len(postings) == 408
    assert int((coded["digital"] == 0).sum()) == 273  # 66.9 % specify no digital skill
    truth = truth["digital"].to_numpy()
    tp = int(((coded["digital"].to_numpy() == 1) & (truth == 1)).sum())
    f1 = 2 * tp / (int(coded["digital"].sum()) + int(truth.sum()))
    assert f1 >= 0.95


def test_digital_survey_targets(twin):
    df = read(twin[0], "digital_survey")
    h = digital_skills.headlines(df)
    assert h["n_respondents"] == 200
    assert (h["n_not_required_at_hiring"], h["n_difficulty_experience_or_training"], h["n_never_trained"]) == (
        120,
        109,
        113,
    )
    assert h["barrier_share_regional"] > h["barrier_share_central"]


def test_capacity_targets(twin):
    df = read(twin[0], "capacity_survey")
    prof = profile.sample_profile(df, ledger.target(profile.LOCAL_STAFF_CLAIM), "regional")
    assert (prof["n_total"], prof["n_regional"]) == (10942, 10629)
    assert abs(prof["share_executive"] - 0.83) <= 0.005 and abs(prof["share_female"] - 0.64) <= 0.005
    assert prof["median_age"] == 39
    regional = df[df["level"] == "regional"]
    reasons = regional["reason"].value_counts(normalize=True)
    for code, share in {
        "useful_to_state": 0.41,
        "financial_stability": 0.27,
        "professional_experience": 0.15,
        "career": 0.12,
        "other": 0.05,
    }.items():
        assert abs(reasons[code] - share) <= 0.005, code
    assert abs(regional["reform_rating"].mean() - 5.86) <= 0.005
    # the items carry item nonresponse (code 99): the paper's Table 3 is the listwise analysis of the answers
    items = regional[list(TABLE3)].replace(99, np.nan)
    res = efa.efa(items, list(TABLE3), n_factors="auto", method="principal", rotation="none")
    assert res.n_factors == 1 and 0.02 <= 1 - res.n_complete / len(regional) <= 0.40
    assert abs(res.kmo - 0.840) <= 0.005
    assert res.bartlett["p"] < 0.001
    for item, target in TABLE3.items():
        assert abs(res.communalities[item] - target) <= 0.01, item
    assert int((res.communalities > 0.4).sum()) == 6


def test_appraisal_targets(twin):
    folder = twin[0]
    capacity = read(folder, "capacity_survey")
    long = appraisal.prepare(read(folder, "appraisal_360"), capacity)
    long = long[long["respondent_id"].isin(capacity.loc[capacity["level"] == "regional", "respondent_id"])]
    means = appraisal.perspective_means(long).set_index("perspective")["mean"]
    assert means.between(7.59 - 0.005, 7.87 + 0.005).all()
    assert abs(means.min() - 7.59) <= 0.01 and abs(means.max() - 7.87) <= 0.01
    assert abs(appraisal.share_below(long, threshold=5).iloc[0]["share_any_below"] - 0.25) <= 0.01
    assert appraisal.weakest_competency(long, "position_level", "executive")["competency"] == "leadership"
    assert appraisal.weakest_competency(long, "position_level", "managerial")["competency"] == "self_development"
