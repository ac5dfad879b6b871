"""How many factors: Kaiser's rule, the scree acceleration factor, Horn's parallel analysis.

References
----------
Horn, J. L. (1965). A rationale and test for the number of factors in factor
analysis. Psychometrika 30, 179-185.
Raiche, G. et al. (2013). Non-graphical solutions for Cattell's scree test. Methodology 9, 23-29.
"""

from __future__ import annotations

from typing import Any

import numpy as np


# ================================================================== number of factors
def n_factors_kaiser(eigenvalues: np.ndarray) -> int:
    """Eigenvalues above 1 (Kaiser-Guttman).

    Examples
    --------
    >>> n_factors_kaiser(np.array([4.3, 1.2, 0.9, 0.6]))
    2
    """
    return int((np.asarray(eigenvalues) > 1).sum())


def n_factors_scree(eigenvalues: np.ndarray) -> int:
    """Factors before the scree elbow, by the acceleration factor (Raiche et al. 2013).

    Examples
    --------
    >>> n_factors_scree(np.array([4.3, 1.0, 0.8, 0.7, 0.6]))
    1
    >>> n_factors_scree(np.array([3.0, 2.5, 0.6, 0.5, 0.4]))
    2
    """
    ev = np.asarray(eigenvalues, float)
    if len(ev) < 3:
        return 1
    af = ev[2:] - 2 * ev[1:-1] + ev[:-2]  # acceleration at eigenvalue 2..p-1 (1-based)
    return int(np.argmax(af) + 1)  # elbow at index argmax+2 (1-based); keep those before


def parallel_analysis(
    x: np.ndarray | None,
    r: np.ndarray,
    n: int,
    iterations: int = 100,
    percentile: float = 95.0,
    seed: int = 0,
    chunk: int = 20,
) -> dict[str, Any]:
    """Horn's parallel analysis on component eigenvalues, resampled by column permutation.

    Parameters
    ----------
    x : array (n, p) or None
        Item data (NaN allowed: pairwise). ``None``: simulate standard normal data of
        size ``n`` (only a correlation matrix is known).
    r : array (p, p)
        Observed correlation matrix.
    iterations, percentile, seed
        Resampled data sets, the percentile of their eigenvalues used as threshold,
        and the seed of the permutations.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(500, 1))
    >>> x = f + rng.normal(size=(500, 6))
    >>> pa = parallel_analysis(x, np.corrcoef(x, rowvar=False), 500, iterations=20, seed=2)
    >>> pa["n_factors"]
    1
    """
    rng = np.random.default_rng(seed)
    p = r.shape[0]
    observed = np.sort(np.linalg.eigvalsh(r))[::-1]
    sims = []
    done = 0
    while done < iterations:
        b = min(chunk, iterations - done)
        if x is None:
            xb = rng.standard_normal((b, n, p))
        else:
            xb = rng.permuted(np.broadcast_to(x, (b, *x.shape)), axis=1)
        sims.append(np.sort(np.linalg.eigvalsh(_batch_corr_rows(xb)), axis=1)[:, ::-1])
        done += b
    sims = np.concatenate(sims)
    threshold = np.percentile(sims, percentile, axis=0)
    above = observed > threshold
    k = int(np.argmin(above)) if not above.all() else p
    return {
        "n_factors": k,
        "observed": observed,
        "threshold": threshold,
        "mean": sims.mean(axis=0),
        "percentile": float(percentile),
        "iterations": int(iterations),
        "kind": "simulated" if x is None else "resampled",
    }


def _batch_corr_rows(xb: np.ndarray) -> np.ndarray:
    """Correlation matrices of a batch of data sets ``(B, n, p)`` (pairwise if NaN)."""
    obs = ~np.isnan(xb)
    if obs.all():
        xc = xb - xb.mean(axis=1, keepdims=True)
        cov = xc.transpose(0, 2, 1) @ xc
        sd = np.sqrt(np.einsum("bii->bi", cov))
        return cov / sd[:, :, None] / sd[:, None, :]
    m = obs.astype(float)
    x0 = np.where(obs, xb - np.nanmean(xb, axis=1, keepdims=True), 0.0)
    nij = np.einsum("bni,bnj->bij", m, m)
    si = np.einsum("bni,bnj->bij", x0, m)
    cov = np.einsum("bni,bnj->bij", x0, x0) - si * si.transpose(0, 2, 1) / nij
    vi = np.einsum("bni,bnj->bij", x0 * x0, m) - si * si / nij
    r = cov / np.sqrt(vi * vi.transpose(0, 2, 1))
    idx = np.arange(xb.shape[2])
    r[:, idx, idx] = 1.0
    return r
