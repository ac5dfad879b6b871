"""Association tests for contingency tables: uncorrected chi-square, Cramér's V, Fisher fallback.

* :func:`association_test` always reports Pearson's chi-square WITHOUT Yates'
  continuity correction, and Cramér's V is computed from that uncorrected statistic
  (``scipy.stats.chi2_contingency`` corrects 2×2 tables by default, which would make
  V inconsistent between 2×2 and larger tables). When an expected count is below 5
  the p-value comes from Fisher's exact test instead (exact for 2×2; for larger
  tables the Fisher–Freeman–Halton test by seeded Monte Carlo, as R's
  ``fisher.test(simulate.p.value = TRUE)``).

References
----------
Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley (ch. 3, exact tests).
Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of
the Korean Statistical Society 42(3), 323-328.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats


def _fisher_freeman_halton_mc(obs: np.ndarray, n_resamples: int, rng: np.random.Generator) -> float:
    """Monte-Carlo p of the Fisher–Freeman–Halton test: tables drawn with the observed margins
    (multivariate hypergeometric), p = (1 + #{P(table) <= P(observed)}) / (1 + B)."""
    dist = stats.random_table(obs.sum(axis=1), obs.sum(axis=0))
    lp_obs = dist.logpmf(obs)
    lp = dist.logpmf(dist.rvs(size=n_resamples, random_state=rng))
    # relative tolerance as in R's fisher.test, so ties in probability count as "as extreme"
    hits = int(np.sum(lp <= lp_obs + 1e-7 * max(1.0, abs(lp_obs))))
    return (1 + hits) / (1 + n_resamples)


def association_test(
    table: Any, *, min_expected: float = 5.0, n_resamples: int = 100_000, seed: int = 20250412
) -> dict[str, Any]:
    """Test of independence for a contingency table, with Cramér's V.

    Pearson's chi-square is computed without continuity correction. If every expected
    count is at least ``min_expected`` its asymptotic p-value is used (``test="chi2"``);
    otherwise the p-value is Fisher's exact test (``test="fisher"``): exact for 2×2
    (``scipy.stats.fisher_exact``), Fisher–Freeman–Halton by seeded Monte Carlo for
    larger tables. Rows or columns with zero total are dropped first.

    Parameters
    ----------
    table : array-like or DataFrame
        Observed counts (r × c, r, c >= 2 after dropping empty rows/columns).
    min_expected : float, default 5
        Smallest expected count for which the chi-square approximation is trusted.
    n_resamples : int, default 100000
        Monte-Carlo tables for the r × c exact test.
    seed : int
        Seed of that Monte Carlo (results are deterministic).

    Returns
    -------
    dict
        ``test`` ("chi2" or "fisher"), ``statistic`` (uncorrected Pearson χ², always),
        ``df``, ``p`` (of the test named in ``test``), ``p_chi2`` (asymptotic, always),
        ``p_method`` ("asymptotic", "exact" or "monte_carlo"), ``cramers_v``
        (``sqrt(χ² / (n (min(r, c) - 1)))``), ``cramers_v_bc`` (Bergsma's bias-corrected
        V), ``min_expected``, ``n``, and ``odds_ratio`` for 2×2 tables.

    References
    ----------
    Agresti (2013), sec. 3.5; Bergsma (2013); Cramér, H. (1946). Mathematical Methods of
    Statistics, p. 282. Checked against ``scipy.stats.contingency.association`` and R
    ``chisq.test(correct = FALSE)`` / ``fisher.test`` (tests/reference/survey/).

    Examples
    --------
    >>> r = association_test([[30, 10], [10, 30]])
    >>> r["test"], round(r["statistic"], 3), r["df"], round(r["cramers_v"], 3)
    ('chi2', 20.0, 1, 0.5)
    >>> association_test([[3, 1], [1, 3]])["test"]
    'fisher'
    """
    obs = np.asarray(table, dtype=float)
    if obs.ndim != 2:
        raise ValueError(f"table must be two-dimensional, got shape {obs.shape}")
    if np.any(obs < 0) or np.any(obs != np.round(obs)):
        raise ValueError("table must hold non-negative integer counts")
    obs = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
    r, c = obs.shape
    if r < 2 or c < 2:
        raise ValueError(f"need at least 2 non-empty rows and columns, got {r} x {c}")
    n = int(obs.sum())
    res = stats.chi2_contingency(obs, correction=False)
    chi2, dof, expected = float(res.statistic), int(res.dof), res.expected_freq
    k = min(r, c)
    v = float(np.sqrt(chi2 / (n * (k - 1))))
    # Bergsma (2013) bias correction
    phi2c = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1)) if n > 1 else np.nan
    rc, cc = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    denom = min(rc - 1, cc - 1)
    v_bc = float(np.sqrt(phi2c / denom)) if denom > 0 else float("nan")
    out: dict[str, Any] = {
        "test": "chi2",
        "statistic": chi2,
        "df": dof,
        "p": float(res.pvalue),
        "p_chi2": float(res.pvalue),
        "p_method": "asymptotic",
        "cramers_v": v,
        "cramers_v_bc": v_bc,
        "min_expected": float(expected.min()),
        "n": n,
    }
    if r == 2 and c == 2:
        out["odds_ratio"] = float(stats.contingency.odds_ratio(obs.astype(int), kind="sample").statistic)
    if expected.min() < min_expected:
        out["test"] = "fisher"
        if r == 2 and c == 2:
            out["p"], out["p_method"] = float(stats.fisher_exact(obs.astype(int)).pvalue), "exact"
        else:
            rng = np.random.default_rng(seed)
            out["p"] = _fisher_freeman_halton_mc(obs.astype(int), n_resamples, rng)
            out["p_method"], out["n_resamples"] = "monte_carlo", n_resamples
    return out
