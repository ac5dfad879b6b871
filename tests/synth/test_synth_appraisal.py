"""Synthetic twin of the 360 appraisal: contract, determinism, and every calibration target recomputed
with the project's own analysis functions (civcomp.analyses.appraisal) on the realised regional sample.

The generator is run on a hand-made capacity frame with the paper's sizes (10,629 regional + 313
central, 83 % executive), so these tests do not depend on the capacity generator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import appraisal_perspectives as pp
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.synth import appraisal as gen
from civcomp.synth import to_csv_bytes

CFG = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "appraisal_360.yaml"))
CODEBOOK = params.read_yaml(paths.CODEBOOKS / "appraisal_360.yaml")
REGIONS = params.read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"]
T = CFG["targets"]


def capacity_frame(n_regional: int = 10629, n_central: int = 313, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_regional + n_central
    return pd.DataFrame(
        {
            "respondent_id": [f"CS{i:05d}" for i in range(1, n + 1)],
            "level": rng.permutation(["regional"] * n_regional + ["central"] * n_central),
            "region": rng.choice(REGIONS, n),
            "position_level": np.where(rng.random(n) < 0.83, "executive", "managerial"),
            "gender": np.where(rng.random(n) < 0.64, "female", "male"),
            "age": rng.integers(22, 63, n),
        }
    )


@pytest.fixture(scope="module")
def cap() -> pd.DataFrame:
    return capacity_frame()


@pytest.fixture(scope="module")
def twin(cap) -> pd.DataFrame:
    return gen.generate(CFG, np.random.default_rng([20250412, 4]), capacity_survey=cap)["appraisal_360"]


@pytest.fixture(scope="module")
def regional(twin, cap) -> pd.DataFrame:
    reg = cap[cap["level"] == "regional"]
    return ap.prepare(twin[twin["respondent_id"].isin(reg["respondent_id"])], reg)


def test_contract(twin, cap):
    assert list(twin.columns) == [f["name"] for f in CODEBOOK["fields"]]
    assert len(twin) == len(cap) * 4 * 15
    assert not twin.duplicated(["respondent_id", "perspective", "competency"]).any()
    assert set(twin["respondent_id"]) == set(cap["respondent_id"])
    assert set(twin["perspective"]) == set(ap.PERSPECTIVES)
    assert set(twin["competency"]) == set(ap.competencies())
    assert twin["score"].dtype.kind == "i" and twin["score"].between(0, 10).all()


def test_perspective_means_reproduce_range(regional):
    pm = ap.perspective_means(regional).set_index("perspective")["mean"]
    for p, target in T["perspective_means"].items():
        assert pm[p] == pytest.approx(target, abs=T["mean_tolerance"])
    assert round(pm.min(), 2) == 7.59 and round(pm.max(), 2) == 7.87


def test_one_in_four_rates_below_5(regional):
    s = ap.share_below(regional, threshold=T["below_threshold"]).iloc[0]
    assert s["n"] == 10629
    assert s["share_any_below"] == pytest.approx(T["share_any_below"], abs=T["share_tolerance"])


def test_zeros_rare_but_present(regional):
    z = regional["is_zero"].mean()
    assert 0.001 < z < 0.01
    s = ap.share_below(regional).iloc[0]
    assert 0.02 < s["share_any_zero"] < 0.15  # concentrated in a minority of respondents


def test_qualitative_findings(regional):
    exe = ap.weakest_competency(regional, "position_level", "executive")
    man = ap.weakest_competency(regional, "position_level", "managerial")
    assert exe["competency"] == "leadership" and exe["margin"] > 0.1
    assert man["competency"] == "self_development" and man["margin"] > 0.1


def test_perspectives_agree_moderately(regional):
    first = regional[regional["respondent_id"] < "CS02500"]  # pingouin on ~2,400 respondents keeps this fast
    icc = pp.perspective_icc(first, types=["ICC(1,1)"], include_overall=False)
    assert icc["icc"].between(0.2, 0.6).all()
    r = pp.perspective_correlations(regional).to_numpy()[np.triu_indices(4, 1)]
    assert ((r > 0.25) & (r < 0.8)).all()


def test_score_distribution_plausible(regional):
    share = regional["score"].value_counts(normalize=True)
    assert share.idxmax() in (7, 8) and share[10] > 0.05 and share[1] < 0.02


def test_deterministic_and_seed_sensitive():
    cap = capacity_frame(1500, 100, seed=5)
    a = gen.generate(CFG, np.random.default_rng(7), capacity_survey=cap)["appraisal_360"]
    b = gen.generate(CFG, np.random.default_rng(7), capacity_survey=cap)["appraisal_360"]
    c = gen.generate(CFG, np.random.default_rng(8), capacity_survey=cap)["appraisal_360"]
    assert to_csv_bytes(a) == to_csv_bytes(b)
    assert not a["score"].equals(c["score"])


@pytest.mark.parametrize("seed", [1, 2])
def test_calibration_robust_to_seed(seed):
    cap = capacity_frame(3000, 50, seed=seed)
    df = gen.generate(CFG, np.random.default_rng(seed), capacity_survey=cap)["appraisal_360"]
    reg = cap[cap["level"] == "regional"]
    long = ap.prepare(df[df["respondent_id"].isin(reg["respondent_id"])], reg)
    pm = ap.perspective_means(long).set_index("perspective")["mean"]
    assert np.allclose(
        [pm[p] for p in ap.PERSPECTIVES], [T["perspective_means"][p] for p in ap.PERSPECTIVES], atol=T["mean_tolerance"]
    )
    assert ap.share_below(long).iloc[0]["share_any_below"] == pytest.approx(0.25, abs=T["share_tolerance"])


def test_bad_inputs_give_clear_errors():
    cap = capacity_frame(200, 0)
    with pytest.raises(ValueError, match=r"capacity_survey: missing column\(s\) \['position_level'\]"):
        gen.generate(CFG, np.random.default_rng(1), capacity_survey=cap.drop(columns="position_level"))
    with pytest.raises(ValueError, match="no rows with level == 'regional'"):
        gen.generate(CFG, np.random.default_rng(1), capacity_survey=cap.assign(level="central"))
    bad = {**CFG, "targets": {**T, "share_any_below": 0.95}}
    with pytest.raises(ValueError, match="share_any_below not reachable"):
        gen.generate(bad, np.random.default_rng(1), capacity_survey=cap)


def test_docstring_examples_run():
    import doctest

    res = doctest.testmod(gen)
    assert res.attempted >= 3 and res.failed == 0
