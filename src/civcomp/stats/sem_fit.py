"""Fit measures of a structural equation model with R lavaan's definitions: chi-square, CFI, TLI, RMSEA with
its confidence interval from the noncentral chi-square, and SRMR (Bentler).

Used by :func:`civcomp.stats.sem.fit`; checked against R lavaan 0.6.14 in ``tests/stats/test_sem.py``.

References
----------
Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. *Journal of Statistical
Software*, 48(2), 1-36 (``R/lav_fit_cfi.R``, ``R/lav_fit_rmsea.R``, ``R/lav_fit_srmr.R``).
Browne, M. W., & Cudeck, R. (1993). Alternative ways of assessing model fit. In K. A. Bollen &
J. S. Long (Eds.), *Testing structural equation models* (pp. 136-162). Sage.
Bentler, P. M. (1990). Comparative fit indexes in structural models. *Psychological Bulletin*, 107(2),
238-246.
Tucker, L. R., & Lewis, C. (1973). A reliability coefficient for maximum likelihood factor analysis.
*Psychometrika*, 38(1), 1-10.

Examples
--------
>>> import numpy as np
>>> s = np.array([[1.0, 0.5], [0.5, 1.0]])
>>> fit_measures(s, s, n=200, npar=3)["chisq"]
0.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import optimize, stats


def rmsea_ci(x2: float, df: float, n: int, level: float = 0.90) -> tuple[float, float]:
    """RMSEA confidence interval by inverting the noncentral chi-square (lavaan's ``lav_fitrmsea_ci``)."""
    if not (np.isfinite(x2) and np.isfinite(df)) or df < 1:
        return 0.0, 0.0
    upper_p = 1 - (1 - level) / 2
    lower_p = (1 - level) / 2

    def cdf(lam: float) -> float:
        return float(stats.chi2.cdf(x2, df)) if lam <= 0 else float(stats.ncx2.cdf(x2, df, lam))

    def bound(p: float, upper: float) -> float:
        """RMSEA at the noncentrality where the cdf equals ``p`` (searched in [0, upper])."""
        try:
            lam = optimize.brentq(lambda x: cdf(x) - p, 0.0, upper, xtol=1e-12, rtol=1e-14)
        except ValueError:
            return float("nan")
        return math.sqrt(lam / (n * df))

    lo = 0.0 if cdf(0.0) - upper_p < 0 else bound(upper_p, x2)
    n_rmsea = max(n, x2 * 4)
    hi = 0.0 if cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0 else bound(lower_p, n_rmsea)
    return lo, hi


def fit_measures(
    s: np.ndarray, sigma: np.ndarray, n: int, npar: int, fixed_x: list[int] | None = None
) -> dict[str, Any]:
    """lavaan's default ML fit measures from the sample and the model-implied covariance matrices.

    Parameters
    ----------
    s : ndarray, (p, p)
        Sample covariance matrix with divisor N.
    sigma : ndarray, (p, p)
        Model-implied covariance matrix at the ML estimate.
    n : int
        Number of observations N.
    npar : int
        Number of free parameters (fixed-x (co)variances excluded).
    fixed_x : list of int, optional
        Indices of exogenous observed covariates whose (co)variances are fixed at the sample values.

    Returns
    -------
    dict
        ``chisq, df, pvalue, cfi, tli, rmsea, rmsea_ci, srmr`` and, for checks, ``fmin``,
        ``baseline_chisq``, ``baseline_df``.

    Notes
    -----
    With :math:`F = \\log|\\Sigma| - \\log|S| + \\mathrm{tr}(S\\Sigma^{-1}) - p` (lavaan's
    ``fmin`` is :math:`F/2`):

    * :math:`\\chi^2 = N F`, df :math:`= p^* - p_x^* - q` with :math:`p^* = p(p+1)/2`,
      :math:`p_x^*` the fixed-x moments and :math:`q` the free parameters; p-value from
      :math:`\\chi^2_{df}` (NaN when df = 0, as lavaan's NA).
    * Baseline (independence) model: :math:`\\Sigma_b` = diagonal of :math:`S`, with the fixed-x block
      kept at :math:`S_{xx}`; :math:`\\chi^2_b = N(\\log|\\Sigma_b| - \\log|S|)`,
      :math:`df_b = p^* - p_x^* - (p - p_x)`.
    * CFI :math:`= 1 - \\max(\\chi^2-df,0)/\\max(\\chi^2-df, \\chi^2_b-df_b, 0)` (Bentler 1990; 1 when
      both are 0); TLI :math:`= 1 - \\frac{(\\chi^2-df)\\,df_b}{(\\chi^2_b-df_b)\\,df}` (1 when df = 0).
    * RMSEA :math:`= \\sqrt{\\max(\\chi^2/(N\\,df) - 1/N, 0)}` (Browne & Cudeck 1993, with N as lavaan);
      90 % CI: :math:`\\lambda` solving :math:`P(\\chi^2_{df}(\\lambda) \\le \\chi^2) = .95, .05`,
      bound :math:`\\sqrt{\\lambda/(N\\,df)}` (lavaan ``lav_fitrmsea_ci``).
    * SRMR (Bentler; lavaan's default ``srmr`` without mean structure):
      :math:`\\sqrt{\\sum_{i\\le j} r_{ij}^2 / p^*}`, :math:`r_{ij} = (s_{ij}-\\sigma_{ij})/\\sqrt{s_{ii}s_{jj}}`
      over all variables (lavaan >= 0.6-13 ignores fixed.x here).

    Examples
    --------
    >>> s = np.array([[1.0, 0.3], [0.3, 1.0]])
    >>> fm = fit_measures(s, np.eye(2), n=100, npar=2)
    >>> fm["df"], round(fm["chisq"], 4)
    (1, 9.4311)
    """
    s = np.asarray(s, float)
    sigma = np.asarray(sigma, float)
    p = s.shape[0]
    fx = sorted(fixed_x or [])
    px = len(fx)
    pstar = p * (p + 1) // 2
    pstar_x = px * (px + 1) // 2
    _, logdet_s = np.linalg.slogdet(s)
    _, logdet_sig = np.linalg.slogdet(sigma)
    f = logdet_sig - logdet_s + float(np.trace(s @ np.linalg.inv(sigma))) - p
    f = max(f, 0.0)
    chisq = n * f
    df = pstar - pstar_x - npar
    pvalue = float(stats.chi2.sf(chisq, df)) if df > 0 else float("nan")

    sig_b = np.diag(np.diag(s))
    if px:
        sig_b[np.ix_(fx, fx)] = s[np.ix_(fx, fx)]
    _, logdet_b = np.linalg.slogdet(sig_b)
    chisq_b = n * (logdet_b - logdet_s)
    df_b = pstar - pstar_x - (p - px)

    t1 = max(chisq - df, 0.0)
    t2 = max(chisq - df, chisq_b - df_b, 0.0)
    cfi = (
        1.0 if (np.isclose(t1, 0.0, rtol=0, atol=1.5e-8) and np.isclose(t2, 0.0, rtol=0, atol=1.5e-8)) else 1 - t1 / t2
    )
    u1 = (chisq - df) * df_b
    u2 = (chisq_b - df_b) * df
    tli = 1 - u1 / u2 if (df > 0 and abs(u2) > 0) else 1.0
    rmsea = math.sqrt(max(chisq / n / df - 1 / n, 0.0)) if df > 0 else 0.0
    ci = rmsea_ci(chisq, df, n)

    sd = np.sqrt(np.diag(s))
    r = (s - sigma) / np.outer(sd, sd)
    srmr = math.sqrt(float(np.sum(r[np.tril_indices(p)] ** 2)) / pstar)
    return {
        "chisq": float(chisq),
        "df": int(df),
        "pvalue": pvalue,
        "cfi": float(cfi),
        "tli": float(tli),
        "rmsea": float(rmsea),
        "rmsea_ci": (float(ci[0]), float(ci[1])),
        "srmr": srmr,
        "fmin": float(f / 2),
        "baseline_chisq": float(chisq_b),
        "baseline_df": int(df_b),
    }
