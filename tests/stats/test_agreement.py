"""Agreement statistics against published values (tests/reference/reliability/) and reference software
(scikit-learn, the krippendorff package)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from civcomp import paths
from civcomp.io import params
from civcomp.stats import agreement as rel

REF = paths.TESTS / "reference" / "reliability"
ICC_REF = params.read_yaml(paths.TESTS / "reference" / "appraisal" / "reference_values.yaml")


def _published():
    return pd.read_csv(REF / "published_values.csv", comment="#")


def _k2011() -> np.ndarray:
    return pd.read_csv(REF / "krippendorff2011.csv", comment="#", index_col="coder").to_numpy(dtype=float)


@pytest.mark.parametrize(
    "row", list(_published().query("source == 'krippendorff2011'").itertuples()), ids=lambda r: r.level
)
def test_alpha_reproduces_krippendorff_2011(row):
    assert rel.krippendorff_alpha(_k2011(), row.level) == pytest.approx(row.value, abs=row.tolerance)


@pytest.mark.parametrize("level", ["nominal", "interval"])
def test_vectorised_alpha_equals_package_on_published_example(level):
    r = rel.alpha_bootstrap(_k2011(), n_boot=200, seed=1, level=level)
    assert r["alpha_check"] == pytest.approx(r["alpha"], abs=1e-12)
    assert r["n_units"] == 11  # unit 12 has a single value: not pairable


def test_kappa_textbook_example():
    ref = _published().query("source == 'cohen_2x2_textbook'").iloc[0]
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert rel.cohen_kappa(a, b) == pytest.approx(ref.value, abs=ref.tolerance)


codes = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=60)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # sklearn's 0/0 when p_e == 1
@pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")
@given(codes)
@settings(max_examples=200, deadline=None)
def test_kappa_equals_sklearn(pairs):
    a, b = zip(*pairs)
    ours, ref = rel.cohen_kappa(a, b), cohen_kappa_score(a, b)
    if np.isnan(ref):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(ref, abs=1e-12)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_precision_recall_f1_equal_sklearn(pairs):
    t, p = zip(*pairs)
    r = rel.precision_recall_f1(t, p)
    if r["tp"] + r["fp"] and r["tp"] + r["fn"]:
        ps, rs, fs, _ = precision_recall_fscore_support(t, p, average="binary", zero_division=0)
        assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((ps, rs, fs), abs=1e-12)
    assert r["tp"] + r["fp"] + r["fn"] + r["tn"] == len(t) == r["n"]


def test_precision_undefined_without_predictions():
    r = rel.precision_recall_f1([1, 0], [0, 0])
    assert np.isnan(r["precision"]) and r["recall"] == 0


@pytest.mark.parametrize("bad", [[0, 2], [0, np.nan], [[0, 1]]])
def test_binary_input_checked(bad):
    with pytest.raises(ValueError):
        rel.precision_recall_f1(bad, [0, 1])


@given(st.integers(2, 4), st.integers(3, 40), st.integers(0, 10_000))
@settings(max_examples=100, deadline=None)
def test_vectorised_alpha_equals_package_on_random_data(n_coders, n_units, seed):
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 3, size=(n_coders, n_units)).astype(float)
    d[rng.random(d.shape) < 0.15] = np.nan
    if (np.sum(~np.isnan(d), axis=0) >= 2).sum() == 0 or len(np.unique(d[~np.isnan(d)])) < 2:
        return  # alpha undefined
    r = rel.alpha_bootstrap(d, n_boot=50, seed=seed)
    np.testing.assert_allclose(r["alpha_check"], r["alpha"], atol=1e-9, equal_nan=True)


def test_bootstrap_is_seeded_and_brackets_alpha():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 90)
    d = np.stack([np.where(rng.random(90) < 0.08, 1 - truth, truth) for _ in range(3)]).astype(float)
    a = rel.alpha_bootstrap(d, n_boot=3000, seed=11)
    b = rel.alpha_bootstrap(d, n_boot=3000, seed=11)
    c = rel.alpha_bootstrap(d, n_boot=3000, seed=12)
    assert a == b and a["ci_low"] != c["ci_low"]
    assert a["ci_low"] < a["alpha"] < a["ci_high"] <= 1
    # the percentile interval of a bootstrap over ~90 units is roughly alpha +- 2 SE (SE ~ 0.05 here)
    assert 0.05 < a["ci_high"] - a["ci_low"] < 0.4


def test_bootstrap_coverage_is_close_to_nominal():
    # simulation check of the interval: two coders with 10 % independent errors on 80 units
    rng = np.random.default_rng(5)
    hits, n_sim = 0, 120
    big = rng.integers(0, 2, 200_000)
    flip = lambda x: np.where(rng.random(x.size) < 0.1, 1 - x, x)  # noqa: E731
    pop = rel.krippendorff_alpha(np.stack([flip(big), flip(big)]).astype(float))
    for s in range(n_sim):
        t = rng.integers(0, 2, 80)
        r = rel.alpha_bootstrap(np.stack([flip(t), flip(t)]).astype(float), n_boot=800, seed=s)
        hits += r["ci_low"] <= pop <= r["ci_high"]
    assert 0.85 <= hits / n_sim <= 0.99


# --------------------------------------------------------------------------- intraclass correlations
def test_icc_matches_psych_reference():
    ref = ICC_REF["shrout_fleiss_1979"]
    t = rel.icc_table(pd.DataFrame(ref["data"])).set_index("type")
    for typ, r in ref["psych_icc"].items():
        # pingouin and psych agree to ~1e-6 (F to ~4e-6 relative): different ANOVA arithmetic
        assert t.loc[typ, "icc"] == pytest.approx(r["icc"], abs=1e-5)
        assert t.loc[typ, "f"] == pytest.approx(r["f"], rel=1e-5)
        assert t.loc[typ, "ci_low"] == pytest.approx(r["lower"], abs=1e-5)
        assert t.loc[typ, "ci_high"] == pytest.approx(r["upper"], abs=1e-5)
    assert (t["n"] == 6).all()


def test_icc_ci_column_name_robust(monkeypatch):
    import pingouin as pg

    real = pg.intraclass_corr

    def old_style(*a, **k):  # pingouin < 0.7 called the column CI95%
        return real(*a, **k).rename(columns={"CI95": "CI95%"})

    monkeypatch.setattr(pg, "intraclass_corr", old_style)
    before = dict(pg.options)
    t = rel.icc_table(pd.DataFrame(ICC_REF["shrout_fleiss_1979"]["data"])).set_index("type")
    assert t.loc["ICC(C,1)", "ci_low"] == pytest.approx(0.3425, abs=0.0001)  # unrounded
    assert dict(pg.options) == before  # pingouin's rounding options restored


def test_icc_too_few_complete_targets_is_nan():
    w = pd.DataFrame({"self": [7, 8, np.nan], "head": [6, np.nan, 5]})
    t = rel.icc_table(w)
    assert len(t) == 6 and t["icc"].isna().all() and (t["n"] == 1).all()
