"""Sampling adequacy: Kaiser-Meyer-Olkin (overall and per item) and Bartlett's test of sphericity.

References
----------
Kaiser, H. F. (1970). A second generation little jiffy. Psychometrika 35, 401-415.
Bartlett, M. S. (1951). The effect of standardization on a chi square approximation
in factor analysis. Biometrika 38, 337-344.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import gammaln

from civcomp.stats.efa.common import EFAError


# ================================================================== adequacy
def kmo(r: np.ndarray) -> tuple[float, np.ndarray]:
    """Kaiser-Meyer-Olkin measure of sampling adequacy: overall and per item (MSA).

    Same formula as ``psych::KMO``: squared correlations against squared partial
    correlations (from the inverse correlation matrix), off the diagonal.

    Examples
    --------
    Equal correlations of .5 leave partial correlations of 1/3, so KMO = .25 / (.25 + 1/9):

    >>> overall, msa = kmo(np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]))
    >>> round(overall, 4), np.round(msa, 4).tolist()
    (0.6923, [0.6923, 0.6923, 0.6923])
    """
    overall, per_item = kmo_batch(np.asarray(r, float)[None])
    return float(overall[0]), per_item[0]


def kmo_batch(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    q = np.linalg.inv(r)
    d = 1.0 / np.sqrt(np.abs(np.einsum("bii->bi", q)))  # abs: the twin's optimiser tries non-PD points
    partial = q * d[:, :, None] * d[:, None, :]
    p = r.shape[-1]
    off = ~np.eye(p, dtype=bool)
    r2 = np.where(off, r * r, 0.0)
    q2 = np.where(off, partial * partial, 0.0)
    overall = r2.sum(axis=(1, 2)) / (r2.sum(axis=(1, 2)) + q2.sum(axis=(1, 2)))
    per_item = r2.sum(axis=1) / (r2.sum(axis=1) + q2.sum(axis=1))
    return overall, per_item


def bartlett(r: np.ndarray, n: int) -> dict[str, float]:
    """Bartlett's test of sphericity from ``log det R`` (no underflow).

    ``chi2 = -(n - 1 - (2p + 5)/6) log|R|`` on ``p(p-1)/2`` df (as ``psych::cortest.bartlett``).
    ``log10_p`` stays finite when ``p`` underflows to 0.

    Examples
    --------
    Here det R = 0.5, so chi2 = ln 2 * (99 - 11/6):

    >>> b = bartlett(np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]), n=100)
    >>> round(b["chi2"], 3), b["df"]
    (67.351, 3)
    """
    p = r.shape[0]
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise EFAError("the correlation matrix is singular: Bartlett's test is undefined")
    chi2 = -logdet * (n - 1 - (2 * p + 5) / 6)
    df = p * (p - 1) // 2
    return {
        "chi2": float(chi2),
        "df": int(df),
        "p": float(stats.chi2.sf(chi2, df)),
        "log10_p": _chi2_log10_sf(chi2, df),
    }


def _chi2_log10_sf(x: float, df: int) -> float:
    """``log10 P(chi2_df > x)``, finite far beyond where the p-value underflows.

    SciPy's ``logsf`` returns -inf once the p-value is below ~1e-308; there the upper
    incomplete gamma function is evaluated in log space by its continued fraction
    (Numerical Recipes ``gcf``, modified Lentz), valid for ``x/2 > df/2 + 1``.
    """
    direct = stats.chi2.logsf(x, df)
    if np.isfinite(direct):
        return float(direct / np.log(10))
    return _log10_upper_gamma_cf(df / 2.0, x / 2.0)


def _log10_upper_gamma_cf(a: float, z: float) -> float:
    """``log10 Q(a, z)`` (regularised upper incomplete gamma) by continued fraction."""
    tiny = 1e-300
    b = z + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return float((-z + a * np.log(z) - gammaln(a) + np.log(h)) / np.log(10))


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations ``1 - 1/diag(R^-1)`` (psych's start values)."""
    return 1.0 - 1.0 / np.einsum("...ii->...i", np.linalg.inv(r))
