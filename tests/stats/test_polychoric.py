"""Polychoric correlations against R psych::polychoric (tests/reference/psych/polychoric.R; R not needed here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

from civcomp import paths
from civcomp.stats import polychoric as pc

REF = paths.ROOT / "tests" / "reference" / "psych"


@pytest.mark.parametrize(("dataset", "file", "ncol"), [("bfi10", "bfi.csv", 10), ("ordinal10", "ordinal10.csv", 4)])
@pytest.mark.parametrize("setting", ["correct=0.5", "correct=0"])
def test_matches_psych(dataset, file, ncol, setting):
    x = pd.read_csv(REF / file).iloc[:, :ncol]
    assert x.isna().any().any()  # pairwise rows and global thresholds are exercised
    ref = pd.read_csv(REF / "polychoric_values.csv")
    sub = ref[(ref["dataset"] == dataset) & (ref["setting"] == setting)]
    want = sub.pivot(index="row", columns="col", values="value").loc[x.columns, x.columns].to_numpy()
    got = pc.polychoric(x.to_numpy(float))
    np.testing.assert_allclose(got, want, atol=1e-4)  # psych's optimize() stops at about 1e-4


@pytest.mark.parametrize("rho", [-0.9, 0.0, 0.4, 0.95])
def test_bivariate_cdf_against_scipy(rho):
    h, k = np.array([-2.5, -0.3, 1.2]), np.array([-1.0, 0.7])
    got = pc.bivariate_cdf(h, k, rho)
    mvn = multivariate_normal([0, 0], [[1, rho], [rho, 1]])
    want = np.array([[mvn.cdf([a, b]) for b in k] for a in h])
    np.testing.assert_allclose(got, want, atol=1e-7)


def test_recovers_latent_correlation_pearson_does_not():
    rng = np.random.default_rng(5)
    z = rng.multivariate_normal([0, 0, 0], [[1, 0.7, 0.5], [0.7, 1, 0.3], [0.5, 0.3, 1]], size=30000)
    x = np.digitize(z, [-1.5, -0.5, 0.8])  # four skewed categories attenuate Pearson
    r = pc.polychoric(x)
    assert abs(r[0, 1] - 0.7) < 0.02 and abs(r[0, 2] - 0.5) < 0.02
    assert np.corrcoef(x.T)[0, 1] < r[0, 1] - 0.03


def test_one_category_is_refused():
    with pytest.raises(pc.PolychoricError, match="two answered categories"):
        pc.polychoric(np.array([[1, 2], [1, 3], [1, 2.0]]))
