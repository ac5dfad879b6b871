"""Synthetic twin of the capacity survey (paper 003): every calibration target recomputed from the frame.

Reference software: factor_analyzer 0.5.1 (``calculate_kmo``, ``calculate_bartlett_sphericity``,
the same formulas as R ``psych::KMO`` / ``psych::cortest.bartlett``) and numpy's eigen-decomposition
of ``np.corrcoef`` for the SPSS-default one-component PCA communalities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

from civcomp import paths
from civcomp.commands.synthesize import cli as synth_cli
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.io.sources import synthetic_path as synthetic_file
from civcomp.synth import capacity, to_csv_bytes

SEED = int(params.load_global()["seed"])  # the CLI test writes with this seed
CFG_PATH = paths.PARAMS / "synthetic" / "capacity_survey.yaml"
ITEMS = list(capacity.ITEMS)
# tighter than the brief's +-0.005 (KMO) and +-0.01 (communalities): the realised-sample
# recalibration reaches ~1e-4, so these leave margin for platform differences only
KMO_TOL, COMM_TOL = 0.002, 0.002


def _generate(seed: int = SEED, **overrides) -> pd.DataFrame:
    cfg = {**ledger.resolve(params.read_yaml(CFG_PATH)), **overrides}
    return capacity.generate(cfg, np.random.default_rng([seed, 3]))["capacity_survey"]


@pytest.fixture(scope="module")
def cfg() -> dict:
    return ledger.resolve(params.read_yaml(CFG_PATH))


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return _generate()


@pytest.fixture(scope="module")
def regional(df) -> pd.DataFrame:
    return df[df["level"] == "regional"]


def _answers(frame: pd.DataFrame) -> pd.DataFrame:
    """The nine items with the missing code as NaN."""
    return frame[ITEMS].astype(float).replace(capacity.MISSING_CODE, np.nan)


def _factor_targets(frame: pd.DataFrame, cfg: dict) -> dict:
    """Table 3's measures on the complete cases (listwise, as SPSS's default)."""
    x = _answers(frame).dropna()
    _, kmo = calculate_kmo(x)
    chi2, p = calculate_bartlett_sphericity(x)
    ev, h = capacity.pca_communalities(np.corrcoef(x.to_numpy(), rowvar=False))
    target = np.array([cfg["factor_model"]["communalities"][i] for i in ITEMS])
    return {"kmo": kmo, "p": p, "chi2": chi2, "ev": ev, "h": h, "target": target}


# ------------------------------------------------------------------ contract
def test_columns_and_values_follow_codebook(df):
    book = params.read_yaml(paths.CODEBOOKS / "capacity_survey.yaml")
    shared = params.read_yaml(paths.CODEBOOKS / "_shared.yaml")
    assert list(df.columns) == [f["name"] for f in book["fields"]]
    assert df["respondent_id"].is_unique
    assert not df.isna().any().any()
    for f in book["fields"]:
        col = df[f["name"]]
        allowed = f.get("values") or (shared[f["values_from"]] if "values_from" in f else None)
        if allowed is not None:
            assert set(col) <= set(allowed), f["name"]
        if f["type"] == "integer":
            assert pd.api.types.is_integer_dtype(col), f["name"]
            answered = col[~col.isin(f.get("missing_codes", []))]
            assert answered.between(f["min"], f["max"]).all(), f["name"]


def test_reason_codes_are_the_codebooks(cfg):
    book = params.read_yaml(paths.CODEBOOKS / "capacity_survey.yaml")
    reason = next(f for f in book["fields"] if f["name"] == "reason")
    shared = params.read_yaml(paths.CODEBOOKS / "_shared.yaml")
    assert list(cfg["regional"]["reasons"]) == reason["values"]
    assert set(cfg["regional"]["region_weights"]) == set(shared["regions"])


def test_same_seed_gives_identical_bytes_and_other_seed_differs(df):
    assert to_csv_bytes(_generate()) == to_csv_bytes(df)
    assert to_csv_bytes(_generate(seed=SEED + 1)) != to_csv_bytes(df)


# ------------------------------------------------------------ sample targets
def test_sample_sizes(df, regional, cfg):
    assert len(df) == cfg["n_total"] == 10942
    assert len(regional) == cfg["n_regional"] == 10629
    assert set(regional["region"]) == set(cfg["regional"]["region_weights"])  # all 20 regions
    central = df[df["level"] == "central"]
    assert (central["region"] == "astana_city").mean() > 0.8


@pytest.mark.parametrize(
    "column,value,key", [("position_level", "executive", "share_executive"), ("gender", "female", "share_female")]
)
def test_regional_shares_exact(regional, cfg, column, value, key):
    target = cfg["regional"][key]
    count = int((regional[column] == value).sum())
    assert abs(count - target * len(regional)) <= 1
    assert round(100 * count / len(regional)) == round(100 * target)


def test_reason_shares_exact(regional, cfg):
    counts = regional["reason"].value_counts()
    for reason, target in cfg["regional"]["reasons"].items():
        assert abs(counts[reason] - target * len(regional)) <= 1, reason
        assert round(100 * counts[reason] / len(regional)) == round(100 * target), reason


def test_median_age_and_range(regional, cfg):
    assert regional["age"].median() == cfg["regional"]["median_age"] == 39
    assert regional["age"].between(21, 63).all()
    assert regional["age"].nunique() > 30  # a spread of ages, not a spike
    assert (
        regional.groupby("position_level")["age"].median()["managerial"]
        > regional.groupby("position_level")["age"].median()["executive"]
    )


def test_reform_rating_mean_and_spread(regional, df, cfg):
    target = cfg["sample"]["reform_rating"]["target_mean"]
    assert abs(regional["reform_rating"].mean() - target) < 0.005
    assert round(df["reform_rating"].mean(), 2) == target  # also on the full sample
    assert regional["reform_rating"].nunique() == 10
    assert 1.5 < regional["reform_rating"].std() < 3.0


def test_overall_competency_plausible(regional):
    q9 = regional["overall_competency"]
    assert 7.4 < q9.mean() < 8.0
    assert q9.nunique() >= 8
    assert q9.corr(_answers(regional)["competencies"]) > 0.3


def test_item_means_plausible_and_distinct(regional):
    means = _answers(regional).mean()
    assert means.between(5.8, 7.6).all()
    assert means.nunique() == len(ITEMS)
    assert (_answers(regional).nunique() == 10).all()


# -------------------------------------------------------- Table 3 targets
def test_kmo_bartlett_communalities(regional, cfg):
    t = _factor_targets(regional, cfg)
    assert abs(t["kmo"] - cfg["factor_model"]["kmo"]) <= KMO_TOL
    assert t["p"] < cfg["factor_model"]["bartlett_p_below"]
    np.testing.assert_allclose(t["h"], t["target"], atol=COMM_TOL)
    assert int((t["h"] > 0.4).sum()) == 6
    assert t["ev"][0] > 1 > t["ev"][1]  # Kaiser's rule: one component


def test_own_kmo_matches_factor_analyzer(regional):
    x = _answers(regional).dropna()
    assert capacity.kmo(np.corrcoef(x.to_numpy(), rowvar=False))[0] == pytest.approx(calculate_kmo(x)[1], abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2])
def test_targets_hold_for_other_seeds(seed, cfg):
    frame = _generate(seed=seed)
    t = _factor_targets(frame[frame["level"] == "regional"], cfg)
    assert abs(t["kmo"] - cfg["factor_model"]["kmo"]) <= KMO_TOL
    np.testing.assert_allclose(t["h"], t["target"], atol=COMM_TOL)
    assert t["ev"][0] > 1 > t["ev"][1]


# ----------------------------------------------- calibration and settings
def test_committed_population_matrix_meets_targets(cfg):
    r = capacity.read_population_corr()
    fm = cfg["factor_model"]
    capacity.check_population_corr(r, [fm["communalities"][i] for i in ITEMS], fm["kmo"], tol=1e-6)
    assert (r[np.triu_indices(len(ITEMS), 1)] >= fm["population_constraints"]["min_corr"] - 1e-9).all()


def test_calibration_solves_a_small_problem():
    h = [0.7, 0.6, 0.5, 0.4]
    r = capacity.calibrate_population_corr(h, kmo_target=0.70)
    ev, hh = capacity.pca_communalities(r)
    np.testing.assert_allclose(hh, h, atol=1e-6)
    assert capacity.kmo(r)[0] == pytest.approx(0.70, abs=1e-6)
    assert ev[0] > 1 > ev[1] and ev[-1] > 0


def test_stale_population_matrix_is_reported(cfg):
    bad = {**cfg["factor_model"], "communalities": {**cfg["factor_model"]["communalities"], "salary": 0.30}}
    with pytest.raises(params.ParamsError, match="--calibrate"):
        _generate(factor_model=bad)


@pytest.mark.parametrize(
    "override,match",
    [
        ({"n_regional": 20000}, "n_regional"),
        ({"missing_rate": 1.5}, "missing_rate"),
        ({"regional": {"share_female": 0.64}}, "regional.share_executive"),
    ],
)
def test_bad_settings_name_the_key(override, match):
    with pytest.raises(params.ParamsError, match=match):
        _generate(**override)


def test_missing_rate_blanks_only_answers(df):
    miss = _generate(missing_rate=0.05)
    answers = [*ITEMS, "overall_competency", "reform_rating"]
    blank = miss[answers] == capacity.MISSING_CODE
    added = blank & (df[answers] != capacity.MISSING_CODE)  # beyond the default item nonresponse
    assert 0.04 < added.to_numpy().mean() < 0.06
    pd.testing.assert_frame_equal(miss[answers].mask(blank, df[answers]), df[answers])  # same draws otherwise
    pd.testing.assert_frame_equal(miss.drop(columns=answers), df.drop(columns=answers))


def test_item_nonresponse_is_mar_and_exact(regional, cfg):
    """2-8 % missing per item, exactly as set; more among older respondents and executives; clustered."""
    miss = _answers(regional).isna()
    rates = cfg["sample"]["item_nonresponse"]["rates"]
    for item in ITEMS:
        assert miss[item].sum() == round(rates[item] * len(regional)), item
        assert 0.02 <= miss[item].mean() <= 0.08
    assert not regional[["age", "position_level", "overall_competency", "reform_rating"]].isin([99]).any().any()
    any_miss = miss.any(axis=1)
    old = regional["age"] > regional["age"].median()
    assert any_miss[old].mean() > any_miss[~old].mean() + 0.05  # MAR on age
    exe = regional["position_level"] == "executive"
    assert miss[exe].to_numpy().mean() > miss[~exe].to_numpy().mean()  # and on position level
    # clustered: fewer respondents miss something than if the nine items were skipped independently
    independent = 1 - np.prod([1 - rates[i] for i in ITEMS])
    assert any_miss.mean() < independent - 0.03
    # the three missing-data treatments differ on the twin
    x = _answers(regional)
    listwise, pairwise = x.dropna().corr().to_numpy(), x.corr().to_numpy()
    mean_sub = x.fillna(x.mean()).corr().to_numpy()
    assert np.abs(listwise - pairwise).max() > 1e-3 and np.abs(listwise - mean_sub).max() > 1e-2


def test_no_nonresponse_setting_gives_complete_items(cfg):
    frame = _generate(sample={**cfg["sample"], "item_nonresponse": None})
    assert not _answers(frame).isna().any().any()


def test_cli_writes_the_file(tmp_path, df):
    assert synth_cli(["--only", "capacity_survey", "--out", str(tmp_path)]) == 0
    assert synthetic_file("capacity_survey", tmp_path).read_bytes() == to_csv_bytes(df)


@pytest.mark.parametrize("n", [10, 11, 1000, 1001])
def test_force_median_even_and_odd(n):
    rng = np.random.default_rng(n)
    age = rng.integers(21, 64, n)
    fixed = capacity._force_median(age, 39, rng)
    assert np.median(fixed) == 39
    assert (fixed != age).sum() <= abs((age < 39).sum() - (age > 39).sum()) + 1  # only the fewest moved
