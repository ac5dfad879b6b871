"""Factor extraction (principal, iterated principal axis, minres, ML) and rotation.

``principal`` and ``pa`` are computed here exactly as ``psych``; ``minres`` and ``ml``
come from ``factor_analyzer`` given the correlation matrix; rotations go through
``factor_analyzer.Rotator``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from civcomp.stats.efa.adequacy import smc
from civcomp.stats.efa.common import LOWER_BOUND, METHODS, OBLIQUE, ROTATIONS, EFAError


# ================================================================== extraction
def _top_eig(r: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Largest ``k`` eigenvalues (descending) and vectors of a batch of symmetric matrices."""
    vals, vecs = np.linalg.eigh(r)
    return vals[..., ::-1][..., :k], vecs[..., ::-1][..., :k]


def principal_batch(r: np.ndarray, k: int) -> np.ndarray:
    vals, vecs = _top_eig(r, k)
    vals = np.maximum(vals, np.finfo(float).eps)  # as psych::principal
    return vecs * np.sqrt(vals)[..., None, :]


def pa_batch(
    r: np.ndarray, k: int, min_err: float = 0.001, max_iter: int = 50
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Iterated principal axis on a batch, exactly as ``psych::fa(fm="pa")``.

    Start from SMCs on the diagonal; each step puts the communalities of a
    ``k``-factor eigen-solution back on the diagonal; stop when the *sum* of
    communalities changes by less than ``min_err`` or after ``max_iter`` steps.
    Returns loadings ``(B, p, k)``, iterations used and a converged flag per matrix.
    """
    r = np.array(r, float, copy=True)
    B, p, _ = r.shape
    idx = np.arange(p)
    red = r.copy()
    red[:, idx, idx] = smc(r)
    comm = red[:, idx, idx].sum(axis=1)
    loadings = np.zeros((B, p, k))
    iters = np.zeros(B, int)
    active = np.ones(B, bool)
    converged = np.zeros(B, bool)
    for i in range(1, max_iter + 1):
        a = np.flatnonzero(active)
        if not len(a):
            break
        vals, vecs = _top_eig(red[a], k)
        if (vals < 0).any():
            raise EFAError(
                f"principal-axis iteration reached a negative eigenvalue with {k} factor(s): "
                "the solution is improper (ultra-Heywood); try fewer factors or another method"
            )
        lo = vecs * np.sqrt(vals)[:, None, :]
        new = (lo * lo).sum(axis=2)
        comm1 = new.sum(axis=1)
        red[a[:, None], idx, idx] = new
        loadings[a] = lo
        iters[a] = i
        done = np.abs(comm[a] - comm1) <= min_err
        comm[a] = comm1
        converged[a[done]] = True
        active[a[done]] = False
    return loadings, iters, converged


def _fa_factor_analyzer(r: np.ndarray, k: int, method: str) -> np.ndarray:
    """Unrotated minres / ml loadings from factor_analyzer, fed a correlation matrix only."""
    from factor_analyzer import FactorAnalyzer

    fa = FactorAnalyzer(
        n_factors=k, method=method, rotation=None, is_corr_matrix=True, use_smc=True, bounds=(LOWER_BOUND, 1)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fa.fit(r)
    for w in caught:
        if "converge" in str(w.message).lower():
            warnings.warn(f"{method} extraction: {w.message}", RuntimeWarning, stacklevel=3)
    return np.asarray(fa.loadings_, float).reshape(r.shape[0], k)


def extract(
    r: np.ndarray, n_factors: int, method: str = "principal", min_err: float = 0.001, max_iter: int = 50
) -> tuple[np.ndarray, dict[str, Any]]:
    """Unrotated loadings ``(p, k)``, signed so each column sums to a positive number.

    Examples
    --------
    >>> r = np.array([[1, .5, .4], [.5, 1, .3], [.4, .3, 1]])
    >>> np.round(extract(r, 1, "principal")[0][:, 0], 4).tolist()
    [0.8352, 0.7811, 0.7056]
    """
    if method not in METHODS:
        raise EFAError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    p = r.shape[0]
    if not 1 <= n_factors <= p - (method != "principal"):
        raise EFAError(f"n_factors={n_factors} is out of range for {p} items with method {method!r}")
    info: dict[str, Any] = {}
    if method == "principal":
        lo = principal_batch(r[None], n_factors)[0]
    elif method == "pa":
        lo, iters, conv = pa_batch(r[None], n_factors, min_err, max_iter)
        lo = lo[0]
        info = {"iterations": int(iters[0]), "converged": bool(conv[0])}
        if not conv[0]:
            warnings.warn(f"pa: maximum iteration ({max_iter}) exceeded", RuntimeWarning, stacklevel=2)
    else:
        lo = _fa_factor_analyzer(r, n_factors, method)
    signs = np.sign(lo.sum(axis=0))
    signs[signs == 0] = 1
    return lo * signs, info


def rotate(loadings: np.ndarray, rotation: str = "none") -> tuple[np.ndarray, np.ndarray | None]:
    """Rotate, then sign and sort factors as psych does; Phi is permuted with them.

    Returns the rotated pattern loadings and, for oblique rotations, the factor
    correlation matrix in the same factor order.

    Examples
    --------
    >>> lo = np.array([[.7, .3], [.6, .4], [.3, -.6], [.4, -.5]])
    >>> rot, phi = rotate(lo, "promax")
    >>> phi.shape, bool(np.allclose(np.diag(phi), 1))
    ((2, 2), True)
    """
    if rotation not in ROTATIONS:
        raise EFAError(f"rotation must be one of {', '.join(ROTATIONS)}, got {rotation!r}")
    lo = np.asarray(loadings, float)
    k = lo.shape[1]
    phi = None
    if rotation != "none" and k > 1:
        from factor_analyzer import Rotator

        # varimax/promax Kaiser-normalised as stats::varimax and psych::kaiser; oblimin not (GPArotation)
        rot = Rotator(method=rotation, normalize=rotation != "oblimin", max_iter=1000, tol=1e-5)
        lo = rot.fit_transform(lo)
        phi = None if rotation not in OBLIQUE else np.asarray(rot.phi_, float)
    signs = np.sign(lo.sum(axis=0))
    signs[signs == 0] = 1
    lo = lo * signs
    if phi is not None:
        phi = phi * np.outer(signs, signs)
    if k > 1:
        ss = np.diag(phi @ lo.T @ lo) if phi is not None else (lo * lo).sum(axis=0)
        order = np.argsort(-ss, kind="stable")
        lo = lo[:, order]
        if phi is not None:
            phi = phi[np.ix_(order, order)]
    return lo, phi
