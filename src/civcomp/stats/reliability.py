"""Scale reliability: Cronbach's alpha (Feldt's CI) and McDonald's omega total.

References
----------
Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for
coefficient alpha. Applied Psychological Measurement 11, 93-103.
McDonald, R. P. (1999). Test Theory: A Unified Treatment. Erlbaum.
Revelle, W. (2022). psych, version 2.2.9 (``alpha``, ``omega``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from civcomp.stats.efa.extraction import pa_batch


# ================================================================== reliability
def cronbach_alpha(cov: np.ndarray, n: int, level: float = 0.95) -> dict[str, float]:
    """Cronbach's alpha from the item covariance matrix, with Feldt's CI (as ``psych::alpha``).

    Examples
    --------
    >>> c = np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]])
    >>> a = cronbach_alpha(c, n=200)
    >>> round(a["alpha"], 4), a["ci_low"] < a["alpha"] < a["ci_high"]
    (0.75, True)
    """
    p = cov.shape[0]
    alpha = p / (p - 1) * (1 - np.trace(cov) / cov.sum())
    sd = np.sqrt(np.diag(cov))
    rr = cov / np.outer(sd, sd)
    std = p / (p - 1) * (1 - p / rr.sum())
    q = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (p - 1)
    return {
        "alpha": float(alpha),
        "alpha_std": float(std),
        "ci_low": float(1 - (1 - alpha) * stats.f.ppf(1 - q, df1, df2)),
        "ci_high": float(1 - (1 - alpha) * stats.f.ppf(q, df1, df2)),
        "ci_method": "feldt",
    }


def omega_batch(r: np.ndarray, tol: float = 1e-10, max_iter: int = 2000) -> np.ndarray:
    """Omega total from a one-factor least-squares solution, for a batch of matrices.

    Iterated principal axis run to convergence reaches the minres (unweighted
    least-squares) solution; items loading negatively are reflected first, as
    ``psych::omega`` does, so ``sum(R*)`` counts them with the right sign.
    """
    lo, _, _ = pa_batch(r, 1, min_err=tol, max_iter=max_iter)
    lo = lo[..., 0]
    lo = lo * np.where(lo.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
    key = np.where(lo < 0, -1.0, 1.0)
    vt = np.einsum("bi,bij,bj->b", key, r, key)
    u2 = 1 - (lo * lo)
    return 1 - u2.sum(axis=1) / vt


def omega_total(r: np.ndarray) -> float:
    """McDonald's omega total from a one-factor solution (``psych::omega(nfactors=1)``).

    Examples
    --------
    >>> r = np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]])
    >>> round(omega_total(r), 4)
    0.75
    """
    return float(omega_batch(np.asarray(r, float)[None])[0])
