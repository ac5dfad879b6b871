"""Exploratory factor analysis with the known traps of ``factor_analyzer`` guarded.

:func:`efa` runs the whole analysis a reviewer expects for a scale: sampling
adequacy (KMO overall and per item), Bartlett's test of sphericity, eigenvalues and
variance explained, the number of factors by three rules (Kaiser, scree acceleration,
Horn's parallel analysis), extraction, rotation, communalities, Heywood checks,
reliability (Cronbach's alpha, McDonald's omega) and vectorised bootstrap CIs.

What differs from calling ``factor_analyzer.FactorAnalyzer`` directly, and why:

* **no silent imputation** -- ``FactorAnalyzer`` fills missing values with the column
  median by default. Here rows are dropped listwise (default) or correlations are
  computed pairwise, and the N used and the N dropped are always reported.
  ``factor_analyzer`` only ever sees a correlation matrix (``is_corr_matrix=True``).
* **principal components computed exactly** from the eigen-decomposition of the
  correlation matrix (``FactorAnalyzer(method="principal")`` goes through
  scikit-learn's randomized SVD on large inputs).
* **pa** (iterated principal axis) follows ``psych::fa(fm="pa")`` step by step
  (SMC start, stop when the sum of communalities changes by less than ``min_err``);
  ``factor_analyzer`` 0.5.1 has no ``pa``.
* **communalities come from the unrotated solution** (``FactorAnalyzer`` sums squared
  *rotated* loadings, wrong for oblique rotations).
* **factors are signed and sorted as psych does** (column sums positive, then by
  variance accounted for, Phi-weighted for oblique rotations) **and the factor
  correlation matrix Phi is permuted with them** (``FactorAnalyzer`` re-sorts the
  loadings but not ``phi_``).
* **Heywood cases are reported** (``FactorAnalyzer`` clamps uniquenesses at 0.005
  without a word): a :class:`HeywoodWarning` is issued and the items are listed.
* **Bartlett's test uses the log-determinant** (``slogdet``), so many items or strong
  correlations do not underflow ``det(R)`` to 0; p-values below the double range are
  also given as ``log10_p``.
* **bad input raises** :class:`EFAError` with a message naming the column (constant
  column, perfectly collinear pair, singular matrix, fewer rows than items,
  non-numeric values); the ``civcomp efa`` command prints it and exits with 1.

Extraction methods: ``principal`` (SPSS's default, the one the paper's communalities
come from), ``minres`` and ``ml`` (``factor_analyzer``, bounds 0.005..1 as in psych),
``pa``. Rotations: ``none``, ``varimax`` (Kaiser-normalised, as ``stats::varimax``),
``oblimin`` (GPA, gamma = 0, as ``GPArotation::oblimin``), ``promax`` (power 4 after
Kaiser normalisation, as ``psych::fa(rotate="promax")``) -- all through
``factor_analyzer.Rotator``.

Number of factors
-----------------
* **Kaiser**: eigenvalues of the correlation matrix above 1.
* **Scree** (acceleration factor, Raiche et al. 2013): the elbow is the eigenvalue
  ``i`` with the largest second difference ``l[i+1] - 2 l[i] + l[i-1]``; the
  factors retained are those before the elbow (``i - 1``).
* **Parallel analysis** (Horn 1965): each column is permuted independently
  (``iterations`` times, seeded), which keeps every item's distribution and destroys
  the correlations; components are kept while the observed eigenvalue exceeds the
  ``percentile`` of the resampled ones. With only a correlation matrix, normal data
  of the same size are simulated instead.

Reliability
-----------
Cronbach's alpha with Feldt's F-based CI (as ``psych::alpha``); McDonald's omega
total from a **one-factor** least-squares solution, psych's definition
``1 - sum(u2) / sum(R*)`` with ``R*`` the correlation matrix after reflecting
items that load negatively (as ``psych::omega(nfactors = 1)``), and a bootstrap CI.

References
----------
Bartlett, M. S. (1951). The effect of standardization on a chi square approximation
in factor analysis. Biometrika 38, 337-344.
Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for
coefficient alpha. Applied Psychological Measurement 11, 93-103.
Horn, J. L. (1965). A rationale and test for the number of factors in factor
analysis. Psychometrika 30, 179-185.
Kaiser, H. F. (1970). A second generation little jiffy. Psychometrika 35, 401-415.
McDonald, R. P. (1999). Test Theory: A Unified Treatment. Erlbaum.
Raiche, G., Walls, T. A., Magis, D., Riopel, M. & Blais, J.-G. (2013). Non-graphical
solutions for Cattell's scree test. Methodology 9, 23-29.
Revelle, W. (2022). psych: Procedures for Psychological, Psychometric, and
Personality Research, version 2.2.9 (``fa``, ``principal``, ``KMO``,
``cortest.bartlett``, ``fa.parallel``, ``alpha``, ``omega``).
"""
from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

METHODS = ("principal", "minres", "pa", "ml")
ROTATIONS = ("none", "varimax", "oblimin", "promax")
OBLIQUE = ("oblimin", "promax")
MISSING = ("listwise", "pairwise")
RULES = ("kaiser", "scree", "parallel")
LOWER_BOUND = 0.005  # psych's and factor_analyzer's lower bound on uniquenesses (minres, ml)


class EFAError(ValueError):
    """The data cannot be factor-analysed as asked; the message says why and where.

    ``column``, ``row`` (1-based data row) and ``value`` are set when one cell is to blame.
    """

    def __init__(self, message: str, column: str | None = None, row: int | None = None, value: Any = None):
        super().__init__(message)
        self.column, self.row, self.value = column, row, value


class HeywoodWarning(UserWarning):
    """A communality reached 1 (Heywood) or exceeded it (ultra-Heywood)."""


# ================================================================== data → correlation
@dataclass
class Prepared:
    """Numeric item matrix after the missing-data rule, with its bookkeeping."""

    x: np.ndarray          # rows used (listwise: complete; pairwise: NaN kept)
    columns: list[str]
    n: int                 # N used (pairwise: the smallest pairwise N)
    n_dropped: int         # rows that contribute nothing
    n_rows: int            # rows in the input
    missing: str
    n_complete: int
    pairwise_n: np.ndarray | None = None
    excluded: list[str] = field(default_factory=list)


def _numeric_column(s: pd.Series, name: str) -> np.ndarray:
    """Column as float with NaN for missing; raise on any value that is not a number."""
    if pd.api.types.is_bool_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype) and not \
            pd.api.types.is_numeric_dtype(s.cat.categories):
        raise EFAError(f"column {name!r} is not numeric (dtype {s.dtype}); choose numeric items with --columns")
    if pd.api.types.is_numeric_dtype(s):
        out = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    else:
        coerced = pd.to_numeric(s.astype("object").where(s.notna(), None), errors="coerce")
        bad = s.notna() & coerced.isna()
        if bad.any():
            row = bad.to_numpy().nonzero()[0][0]
            raise EFAError(f"column {name!r} is not numeric: data row {row + 1} has value {s.iloc[row]!r}",
                           name, int(row + 1), s.iloc[row])
        out = coerced.astype("float64").to_numpy()
    if np.isinf(out).any():
        row = np.isinf(out).nonzero()[0][0]
        raise EFAError(f"column {name!r} has an infinite value in data row {row + 1}", name, int(row + 1), out[row])
    return out


def prepare(data: pd.DataFrame, columns: list[str] | None = None, missing: str = "listwise") -> Prepared:
    """Select the items and apply the missing-data rule (never imputes).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    columns : list of str, optional
        Items to analyse; default every numeric column.
    missing : {"listwise", "pairwise"}
        ``listwise`` drops every row with a missing item; ``pairwise`` keeps them and
        computes each correlation from the rows where both items are present.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, None, 5], "b": [2, 1, 4, 3, 5], "c": [3, 3, 1, 2, 5]})
    >>> p = prepare(df)
    >>> p.n, p.n_dropped
    (4, 1)
    """
    if missing not in MISSING:
        raise EFAError(f"missing must be one of {', '.join(MISSING)}, got {missing!r}")
    if not isinstance(data, pd.DataFrame):
        data = pd.DataFrame(data)
    excluded: list[str] = []
    if columns is None:
        columns = []
        for c in data.columns:
            s = data[c]
            ok = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
            (columns if ok else excluded).append(str(c))
    else:
        columns = [str(c) for c in columns]
        absent = [c for c in columns if c not in data.columns]
        if absent:
            raise EFAError(f"column(s) not in the data: {', '.join(map(repr, absent))} "
                           f"(available: {', '.join(map(str, data.columns))})")
        dup = sorted({c for c in columns if columns.count(c) > 1})
        if dup:
            raise EFAError(f"column(s) listed twice: {', '.join(map(repr, dup))}")
    if len(columns) < 3:
        raise EFAError(f"factor analysis needs at least 3 numeric columns, got {len(columns)}"
                       + (f" (non-numeric columns left out: {', '.join(excluded)})" if excluded else ""))
    x = np.column_stack([_numeric_column(data[c], c) for c in columns])
    n_rows, p = x.shape
    observed = ~np.isnan(x)
    complete = observed.all(axis=1)
    pairwise_n = None
    if missing == "listwise":
        x = x[complete]
        n = n_used_rows = len(x)
    else:
        keep = observed.sum(axis=1) >= 2     # a row with one item informs no correlation
        x = x[keep]
        obs = (~np.isnan(x)).astype(float)
        pairwise_n = obs.T @ obs
        n = int(pairwise_n[~np.eye(p, dtype=bool)].min())
        n_used_rows = len(x)
    if n < p + 1:
        how = "complete rows (listwise)" if missing == "listwise" else "rows in the smallest pair (pairwise)"
        raise EFAError(f"only {n} {how} for {p} items: factor analysis needs more rows than items "
                       f"({n_rows - n_used_rows} of {n_rows} rows dropped for missing values)")
    for j, c in enumerate(columns):
        v = x[:, j][~np.isnan(x[:, j])]
        if np.ptp(v) == 0:
            raise EFAError(f"column {c!r} is constant (every used row is {v[0]:g}); "
                           f"a constant item has no correlation with anything -- drop it")
    return Prepared(x=x, columns=columns, n=int(n), n_dropped=int(n_rows - n_used_rows), n_rows=int(n_rows),
                    missing=missing, n_complete=int(complete.sum()), pairwise_n=pairwise_n, excluded=excluded)


def _products(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Row-wise products that weighted pairwise moments need, as (n, p*p) arrays.

    With a weight vector ``w`` per resample, ``w @ P`` gives every pairwise sum at
    once, so one matrix product computes a whole batch of correlation matrices.
    """
    obs = ~np.isnan(x)
    x0 = np.where(obs, x - np.nanmean(x, axis=0), 0.0)  # centred: no cancellation in the sums
    m = obs.astype(float)
    n, p = x.shape
    outer = lambda a, b: (a[:, :, None] * b[:, None, :]).reshape(n, p * p)  # noqa: E731
    if obs.all():
        return (x0, outer(x0, x0))
    return (outer(m, m), outer(x0, m), outer(x0 * x0, m), outer(x0, x0))


def _corr_from_sums(w: np.ndarray, prods: tuple[np.ndarray, ...], p: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch of (pairwise) covariance and correlation matrices from weights ``w`` (B, n)."""
    B = w.shape[0]
    if len(prods) == 2:  # complete data
        x0, xx = prods
        nw = w.sum(axis=1)[:, None, None]
        s = (w @ x0)[:, :, None]
        sxy = (w @ xx).reshape(B, p, p)
        cov = (sxy - s * s.transpose(0, 2, 1) / nw) / (nw - 1)
        sd = np.sqrt(np.einsum("bii->bi", cov))
        return cov, cov / sd[:, :, None] / sd[:, None, :]
    mm, xm, x2m, xx = (w @ P for P in prods)
    nij = mm.reshape(B, p, p)
    si = xm.reshape(B, p, p)               # sum of x_i over rows where j is observed too
    sj = si.transpose(0, 2, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (xx.reshape(B, p, p) - si * sj / nij)
        vi = x2m.reshape(B, p, p) - si * si / nij
        r = cov / np.sqrt(vi * vi.transpose(0, 2, 1))
        cov = cov / (nij - 1)
    idx = np.arange(p)
    r[:, idx, idx] = 1.0
    return cov, r


def correlation(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Covariance and Pearson correlation matrix of the prepared items (pairwise if asked)."""
    p = prep.x.shape[1]
    cov, r = _corr_from_sums(np.ones((1, prep.x.shape[0])), _products(prep.x), p)
    return cov[0], r[0]


def check_corr(r: np.ndarray, columns: list[str]) -> None:
    """Raise :class:`EFAError` if ``r`` cannot be factor-analysed (NaN, collinear, singular)."""
    p = r.shape[0]
    if np.isnan(r).any():
        i, j = np.argwhere(np.isnan(r))[0]
        raise EFAError(f"the correlation of {columns[i]!r} and {columns[j]!r} cannot be computed "
                       f"(no variation in the rows where both are present)")
    off = np.abs(r - np.eye(p))
    if off.max() > 1 - 1e-10:
        i, j = np.unravel_index(off.argmax(), off.shape)
        raise EFAError(f"columns {columns[i]!r} and {columns[j]!r} are perfectly collinear "
                       f"(r = {r[i, j]:+.6f}): the correlation matrix is singular -- drop one of them")
    vals, vecs = np.linalg.eigh(r)
    if vals[0] <= 1e-10 * p:
        kind = "singular" if vals[0] > -1e-10 else "not positive definite (pairwise deletion can do that)"
        involved = [columns[k] for k in np.argsort(-np.abs(vecs[:, 0]))[:4] if abs(vecs[k, 0]) > 0.1]
        raise EFAError(f"the correlation matrix is {kind} (smallest eigenvalue {vals[0]:.3g}); "
                       f"some columns are (nearly) linear combinations of others: {', '.join(map(repr, involved))}")


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
    overall, per_item = _kmo_batch(np.asarray(r, float)[None])
    return float(overall[0]), per_item[0]


def _kmo_batch(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    q = np.linalg.inv(r)
    d = 1.0 / np.sqrt(np.einsum("bii->bi", q))
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
    return {"chi2": float(chi2), "df": int(df), "p": float(stats.chi2.sf(chi2, df)),
            "log10_p": _chi2_log10_sf(chi2, df)}


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
    from scipy.special import gammaln

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
    af = ev[2:] - 2 * ev[1:-1] + ev[:-2]    # acceleration at eigenvalue 2..p-1 (1-based)
    return int(np.argmax(af) + 1)            # elbow at index argmax+2 (1-based); keep those before


def parallel_analysis(x: np.ndarray | None, r: np.ndarray, n: int, iterations: int = 100,
                      percentile: float = 95.0, seed: int = 0, chunk: int = 20) -> dict[str, Any]:
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
    return {"n_factors": k, "observed": observed, "threshold": threshold, "mean": sims.mean(axis=0),
            "percentile": float(percentile), "iterations": int(iterations),
            "kind": "simulated" if x is None else "resampled"}


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


# ================================================================== extraction
def _top_eig(r: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Largest ``k`` eigenvalues (descending) and vectors of a batch of symmetric matrices."""
    vals, vecs = np.linalg.eigh(r)
    return vals[..., ::-1][..., :k], vecs[..., ::-1][..., :k]


def _principal_batch(r: np.ndarray, k: int) -> np.ndarray:
    vals, vecs = _top_eig(r, k)
    vals = np.maximum(vals, np.finfo(float).eps)  # as psych::principal
    return vecs * np.sqrt(vals)[..., None, :]


def _pa_batch(r: np.ndarray, k: int, min_err: float = 0.001, max_iter: int = 50
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
            raise EFAError(f"principal-axis iteration reached a negative eigenvalue with {k} factor(s): "
                           "the solution is improper (ultra-Heywood); try fewer factors or another method")
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

    fa = FactorAnalyzer(n_factors=k, method=method, rotation=None, is_corr_matrix=True,
                        use_smc=True, bounds=(LOWER_BOUND, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fa.fit(r)
    for w in caught:
        if "converge" in str(w.message).lower():
            warnings.warn(f"{method} extraction: {w.message}", RuntimeWarning, stacklevel=3)
    return np.asarray(fa.loadings_, float).reshape(r.shape[0], k)


def extract(r: np.ndarray, n_factors: int, method: str = "principal", min_err: float = 0.001,
            max_iter: int = 50) -> tuple[np.ndarray, dict[str, Any]]:
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
        lo = _principal_batch(r[None], n_factors)[0]
    elif method == "pa":
        lo, iters, conv = _pa_batch(r[None], n_factors, min_err, max_iter)
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
    return {"alpha": float(alpha), "alpha_std": float(std),
            "ci_low": float(1 - (1 - alpha) * stats.f.ppf(1 - q, df1, df2)),
            "ci_high": float(1 - (1 - alpha) * stats.f.ppf(q, df1, df2)), "ci_method": "feldt"}


def _omega_batch(r: np.ndarray, tol: float = 1e-10, max_iter: int = 2000) -> np.ndarray:
    """Omega total from a one-factor least-squares solution, for a batch of matrices.

    Iterated principal axis run to convergence reaches the minres (unweighted
    least-squares) solution; items loading negatively are reflected first, as
    ``psych::omega`` does, so ``sum(R*)`` counts them with the right sign.
    """
    lo, _, _ = _pa_batch(r, 1, min_err=tol, max_iter=max_iter)
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
    return float(_omega_batch(np.asarray(r, float)[None])[0])


# ================================================================== bootstrap
def bootstrap(x: np.ndarray, n_factors: int, method: str = "principal", resamples: int = 1000,
              seed: int = 0, level: float = 0.95, chunk: int = 100, min_err: float = 0.001,
              max_iter: int = 50, columns: list[str] | None = None) -> dict[str, Any]:
    """Percentile bootstrap of KMO, every communality, alpha and omega -- vectorised.

    Each chunk of resamples is drawn as row counts ``w`` (B, n); every correlation
    matrix of the chunk then comes out of one matrix product ``w @ products``
    (pairwise sums when data are missing), KMO from a batched inverse, and
    ``principal``/``pa`` communalities from batched eigen-decompositions.
    ``minres``/``ml`` communalities fall back to one fit per resample (slower).
    The number of factors stays at the point estimate's.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(300, 1)) + rng.normal(size=(300, 5))
    >>> b = bootstrap(x, 1, resamples=200, seed=1)
    >>> b["kmo_ci"][0] < b["kmo_ci"][1], b["n_ok"]
    (True, 200)
    """
    rng = np.random.default_rng(seed)
    n, p = x.shape
    prods = _products(x)
    out = {"kmo": [], "comm": [], "alpha": [], "omega": []}
    done = 0
    while done < resamples:
        b = min(chunk, resamples - done)
        idx = rng.integers(0, n, size=(b, n))
        w = np.bincount((idx + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n)
        w = w.reshape(b, n).astype(float)
        cov, r = _corr_from_sums(w, prods, p)
        ok = np.isfinite(r).all(axis=(1, 2))
        ok[ok] = np.linalg.eigvalsh(r[ok])[:, 0] > 1e-10
        kmo_b = np.full(b, np.nan)
        comm = np.full((b, p), np.nan)
        alpha = np.full(b, np.nan)
        omega = np.full(b, np.nan)
        if ok.any():
            rk = r[ok]
            kmo_b[ok] = _kmo_batch(rk)[0]
            if method == "principal":
                lo = _principal_batch(rk, n_factors)
            elif method == "pa":
                lo = _pa_batch(rk, n_factors, min_err, max_iter)[0]
            else:
                lo = np.stack([extract(m, n_factors, method)[0] for m in rk])
            comm[ok] = (lo * lo).sum(axis=2)
            ck = cov[ok]
            alpha[ok] = p / (p - 1) * (1 - np.einsum("bii->b", ck) / ck.sum(axis=(1, 2)))
            omega[ok] = _omega_batch(rk)
        for key, val in zip(("kmo", "comm", "alpha", "omega"), (kmo_b, comm, alpha, omega)):
            out[key].append(val)
        done += b
    res = {k: np.concatenate(v) for k, v in out.items()}
    q = [100 * (1 - level) / 2, 100 * (1 + level) / 2]
    ci = lambda a: np.nanpercentile(a, q, axis=0)  # noqa: E731
    comm_ci = ci(res["comm"])
    names = columns or [f"x{i + 1}" for i in range(p)]
    return {"resamples": int(resamples), "seed": int(seed), "level": float(level),
            "n_ok": int(np.isfinite(res["kmo"]).sum()), "kmo_ci": ci(res["kmo"]).tolist(),
            "communality_ci": {c: comm_ci[:, j].tolist() for j, c in enumerate(names)},
            "alpha_ci": ci(res["alpha"]).tolist(), "omega_ci": ci(res["omega"]).tolist(),
            "draws": res}


# ================================================================== the whole analysis
@dataclass
class EFAResult:
    """Everything :func:`efa` computes; :meth:`to_dict` is the JSON form, :meth:`report` the text."""

    columns: list[str]
    n: int
    n_dropped: int
    n_rows: int
    missing: str
    correlation: pd.DataFrame
    kmo: float
    kmo_per_item: pd.Series
    bartlett: dict[str, float]
    eigenvalues: np.ndarray
    n_factors: int
    n_factors_rule: str
    n_factors_by: dict[str, int | None]
    parallel: dict[str, Any] | None
    method: str
    rotation: str
    loadings: pd.DataFrame
    unrotated_loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    phi: pd.DataFrame | None
    factor_variance: pd.DataFrame
    heywood: list[str]
    ultra_heywood: list[str]
    reliability: dict[str, Any]
    bootstrap: dict[str, Any] | None = None
    extraction_info: dict[str, Any] = field(default_factory=dict)
    loading_cutoff: float = 0.3
    excluded_columns: list[str] = field(default_factory=list)
    n_complete: int | None = None

    @property
    def variance_explained(self) -> pd.DataFrame:
        """Eigenvalues of the correlation matrix with proportion and cumulative variance."""
        ev = self.eigenvalues
        return pd.DataFrame({"component": np.arange(1, len(ev) + 1), "eigenvalue": ev,
                             "proportion": ev / len(ev), "cumulative": np.cumsum(ev) / len(ev)})

    def loadings_display(self, cutoff: float | None = None) -> pd.DataFrame:
        """Pattern loadings as text, blank where ``|loading| < cutoff``, with h2 and u2."""
        cut = self.loading_cutoff if cutoff is None else cutoff
        shown = self.loadings.map(lambda v: f"{v:.3f}" if abs(v) >= cut else "")
        shown["h2"] = self.communalities.map("{:.3f}".format)
        shown["u2"] = self.uniquenesses.map("{:.3f}".format)
        return shown

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "n": self.n, "n_dropped": self.n_dropped, "n_rows": self.n_rows, "missing": self.missing,
            "n_complete": self.n_complete, "columns": self.columns, "excluded_columns": self.excluded_columns,
            "kmo": {"overall": self.kmo, "per_item": self.kmo_per_item.to_dict()},
            "bartlett": self.bartlett,
            "eigenvalues": self.eigenvalues.tolist(),
            "variance_explained": self.variance_explained["proportion"].tolist(),
            "n_factors": self.n_factors, "n_factors_rule": self.n_factors_rule,
            "n_factors_by": self.n_factors_by,
            "method": self.method, "rotation": self.rotation,
            "loadings": {c: row.to_dict() for c, row in self.loadings.iterrows()},
            "loading_cutoff": self.loading_cutoff,
            "communalities": self.communalities.to_dict(),
            "uniquenesses": self.uniquenesses.to_dict(),
            "phi": None if self.phi is None else self.phi.values.tolist(),
            "factor_variance": {f: row.to_dict() for f, row in self.factor_variance.T.iterrows()},
            "heywood": self.heywood, "ultra_heywood": self.ultra_heywood,
            "reliability": self.reliability,
            "extraction": self.extraction_info,
        }
        if self.parallel is not None:
            d["parallel"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.parallel.items()}
        if self.bootstrap is not None:
            d["bootstrap"] = {k: v for k, v in self.bootstrap.items() if k != "draws"}
        return d

    def report(self) -> str:
        b = self.bartlett
        lines = [f"Exploratory factor analysis: {len(self.columns)} items, N = {self.n:,} used, "
                 f"{self.n_dropped:,} of {self.n_rows:,} rows dropped ({self.missing} deletion)"]
        if self.excluded_columns:
            lines.append(f"Non-numeric columns left out: {', '.join(self.excluded_columns)}")
        p_txt = f"p = {b['p']:.3g}" if b["p"] > 0 else f"p < 1e-300 (log10 p = {b['log10_p']:.1f})"
        lines += ["", f"KMO (overall) = {self.kmo:.3f}",
                  f"Bartlett's test of sphericity: chi2 = {b['chi2']:.2f}, df = {b['df']}, {p_txt}", "",
                  "Per-item KMO (MSA):"]
        lines += [f"  {c:<28} {v:.3f}" for c, v in self.kmo_per_item.items()]
        lines += ["", "Eigenvalues of the correlation matrix:"]
        for _, row in self.variance_explained.iterrows():
            lines.append(f"  {int(row.component):>3}  {row.eigenvalue:7.3f}  {100 * row.proportion:6.2f} %"
                         f"  (cumulative {100 * row.cumulative:6.2f} %)")
        by = ", ".join(f"{k} {v}" for k, v in self.n_factors_by.items())
        lines += ["", f"Number of factors: {self.n_factors} (rule: {self.n_factors_rule}; {by})",
                  f"Extraction: {self.method}; rotation: {self.rotation}", "",
                  f"Loadings (|loading| < {self.loading_cutoff:g} blank; h2 from the unrotated solution):",
                  self.loadings_display().to_string()]
        if self.phi is not None:
            lines += ["", "Factor correlations (Phi):", self.phi.round(3).to_string()]
        fv = self.factor_variance
        lines += ["", "Variance accounted for:", fv.round(3).to_string()]
        if self.heywood or self.ultra_heywood:
            lines += ["", f"WARNING: Heywood case(s): {', '.join(self.heywood + self.ultra_heywood)}"]
        rel = self.reliability
        lines += ["", f"Cronbach's alpha = {rel['alpha']:.3f} (95% CI {rel['alpha_ci_low']:.3f}-"
                      f"{rel['alpha_ci_high']:.3f}, Feldt); McDonald's omega total = {rel['omega_total']:.3f} "
                      f"({rel['omega_basis']})"]
        if self.bootstrap is not None:
            bs = self.bootstrap
            lines += [f"Bootstrap ({bs['resamples']} resamples, seed {bs['seed']}): KMO "
                      f"{bs['kmo_ci'][0]:.3f}-{bs['kmo_ci'][1]:.3f}"]
        return "\n".join(lines)


def adequacy_table(res: EFAResult, kmo_min: float = 0.5, p_max: float = 0.05, communality_min: float = 0.4,
                   labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Model-adequacy table in the layout SPSS users print (measure | required | result), with CIs.

    Rows: KMO, Bartlett's p, one communality per item; ``ci_low``/``ci_high`` are the
    bootstrap percentile CIs when :func:`efa` ran a bootstrap (NaN otherwise); ``meets``
    says whether the result satisfies the requirement.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(300, 1)) + rng.normal(size=(300, 4)), columns=list("abcd"))
    >>> t = adequacy_table(efa(df, parallel_iterations=0))
    >>> t["measure"].tolist()[:3], bool(t["meets"].iloc[0])
    (['KMO measure of sampling adequacy', "Bartlett's test of sphericity (p)", 'Communality: a'], True)
    """
    labels = labels or {}
    boot = res.bootstrap or {}
    kci = boot.get("kmo_ci", [np.nan, np.nan])
    rows = [{"measure": "KMO measure of sampling adequacy", "key": "kmo", "required": f"> {kmo_min:g}",
             "result": res.kmo, "ci_low": kci[0], "ci_high": kci[1], "meets": res.kmo > kmo_min},
            {"measure": "Bartlett's test of sphericity (p)", "key": "bartlett_p", "required": f"< {p_max:g}",
             "result": res.bartlett["p"], "ci_low": np.nan, "ci_high": np.nan, "meets": res.bartlett["p"] < p_max}]
    for c in res.columns:
        ci = boot.get("communality_ci", {}).get(c, [np.nan, np.nan])
        h2 = float(res.communalities[c])
        rows.append({"measure": f"Communality: {labels.get(c, c)}", "key": f"communality_{c}",
                     "required": f"> {communality_min:g}", "result": h2, "ci_low": ci[0], "ci_high": ci[1],
                     "meets": h2 > communality_min})
    return pd.DataFrame(rows)


def _factor_names(method: str, k: int) -> list[str]:
    prefix = {"principal": "PC", "minres": "MR", "pa": "PA", "ml": "ML"}[method]
    return [f"{prefix}{i + 1}" for i in range(k)]


def fit(r: np.ndarray, n: int, columns: list[str], n_factors: int | str = "auto", method: str = "principal",
        rotation: str = "none", n_factors_rule: str = "kaiser", x: np.ndarray | None = None,
        cov: np.ndarray | None = None, parallel_iterations: int = 100, parallel_percentile: float = 95.0,
        seed: int = 0, bootstrap_resamples: int = 0, level: float = 0.95, loading_cutoff: float = 0.3,
        min_err: float = 0.001, max_iter: int = 50, **bookkeeping: Any) -> EFAResult:
    """Factor-analyse a correlation matrix ``r`` of ``n`` rows (raw ``x`` enables resampling).

    Use :func:`efa` for a data frame; ``fit`` is for a published correlation matrix.
    """
    if method not in METHODS:
        raise EFAError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if rotation not in ROTATIONS:
        raise EFAError(f"rotation must be one of {', '.join(ROTATIONS)}, got {rotation!r}")
    if n_factors_rule not in RULES:
        raise EFAError(f"n_factors_rule must be one of {', '.join(RULES)}, got {n_factors_rule!r}")
    r = np.asarray(r, float)
    p = r.shape[0]
    check_corr(r, columns)
    overall, msa = kmo(r)
    bart = bartlett(r, n)
    ev = np.sort(np.linalg.eigvalsh(r))[::-1]
    by: dict[str, int | None] = {"kaiser": n_factors_kaiser(ev), "scree": n_factors_scree(ev), "parallel": None}
    par = None
    if parallel_iterations > 0:
        par = parallel_analysis(x, r, n, parallel_iterations, parallel_percentile, seed)
        by["parallel"] = par["n_factors"]
    if n_factors == "auto":
        k = by[n_factors_rule]
        if k is None:
            raise EFAError("n_factors_rule 'parallel' needs parallel_iterations > 0")
        rule = n_factors_rule
        if k < 1:
            k, rule = 1, f"{n_factors_rule} (found 0; 1 kept)"
    else:
        k, rule = int(n_factors), "fixed"
    names = _factor_names(method, k)
    unrot, info = extract(r, k, method, min_err, max_iter)
    h2 = (unrot * unrot).sum(axis=1)   # unrotated: invariant to any rotation, oblique included
    rot, phi = rotate(unrot, rotation)
    # components explain an item fully by construction; Heywood is a common-factor pathology
    common = method != "principal"
    heywood = [c for c, h in zip(columns, h2) if common and 1 - LOWER_BOUND - 1e-6 <= h <= 1 + 1e-9]
    ultra = [c for c, h in zip(columns, h2) if common and h > 1 + 1e-9]
    if heywood or ultra:
        msg = []
        if heywood:
            msg.append(f"Heywood case: communality of {', '.join(map(repr, heywood))} reached 1 "
                       f"(uniqueness at the {LOWER_BOUND} bound, where factor_analyzer clamps it)")
        if ultra:
            msg.append(f"ultra-Heywood case: communality of {', '.join(map(repr, ultra))} exceeds 1")
        warnings.warn("; ".join(msg) + " -- the solution is improper; consider fewer factors", HeywoodWarning,
                      stacklevel=2)
    if phi is not None:
        ss = np.diag(phi @ rot.T @ rot)
    else:
        ss = (rot * rot).sum(axis=0)
    fv = pd.DataFrame({"ss_loadings": ss, "proportion_var": ss / p, "cumulative_var": np.cumsum(ss) / p,
                       "proportion_explained": ss / ss.sum()}, index=names).T
    if cov is None:
        cov = r
    rel_a = cronbach_alpha(cov, n, level)
    reliability = {"alpha": rel_a["alpha"], "alpha_std": rel_a["alpha_std"], "alpha_ci_low": rel_a["ci_low"],
                   "alpha_ci_high": rel_a["ci_high"], "alpha_ci_method": "feldt",
                   "omega_total": omega_total(r),
                   "omega_basis": "one-factor least-squares (minres) solution, psych::omega(nfactors=1) definition"}
    boot = None
    if bootstrap_resamples > 0:
        if x is None:
            raise EFAError("the bootstrap needs the raw data, not only a correlation matrix")
        boot = bootstrap(x, k, method, bootstrap_resamples, seed, level, min_err=min_err, max_iter=max_iter,
                         columns=columns)
        reliability["omega_ci_low"], reliability["omega_ci_high"] = boot["omega_ci"]
        reliability["alpha_boot_ci_low"], reliability["alpha_boot_ci_high"] = boot["alpha_ci"]
    return EFAResult(
        columns=columns, n=n, n_dropped=bookkeeping.get("n_dropped", 0), n_rows=bookkeeping.get("n_rows", n),
        missing=bookkeeping.get("missing", "matrix"), correlation=pd.DataFrame(r, columns, columns),
        kmo=overall, kmo_per_item=pd.Series(msa, columns), bartlett=bart, eigenvalues=ev, n_factors=k,
        n_factors_rule=rule, n_factors_by=by, parallel=par, method=method, rotation=rotation,
        loadings=pd.DataFrame(rot, columns, names), unrotated_loadings=pd.DataFrame(unrot, columns, names),
        communalities=pd.Series(h2, columns), uniquenesses=pd.Series(1 - h2, columns),
        phi=None if phi is None else pd.DataFrame(phi, names, names), factor_variance=fv,
        heywood=heywood, ultra_heywood=ultra, reliability=reliability, bootstrap=boot, extraction_info=info,
        loading_cutoff=loading_cutoff, excluded_columns=bookkeeping.get("excluded", []),
        n_complete=bookkeeping.get("n_complete"))


def efa(data: pd.DataFrame, columns: list[str] | None = None, n_factors: int | str = "auto",
        method: str = "principal", rotation: str = "none", missing: str = "listwise", **options: Any) -> EFAResult:
    """Exploratory factor analysis of the items in ``data``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; missing values as NaN/NA (never imputed).
    columns : list of str, optional
        Items; default every numeric column.
    n_factors : int or "auto"
        ``auto`` applies ``n_factors_rule`` (``kaiser`` by default, SPSS's rule;
        ``scree`` or ``parallel``). All three counts are always reported.
    method : {"principal", "minres", "pa", "ml"}
    rotation : {"none", "varimax", "oblimin", "promax"}
    missing : {"listwise", "pairwise"}
    **options
        ``n_factors_rule``, ``parallel_iterations`` (100), ``parallel_percentile`` (95),
        ``seed``, ``bootstrap_resamples`` (0 = no bootstrap), ``level`` (0.95),
        ``loading_cutoff`` (0.3, display only), ``min_err``/``max_iter`` (pa).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(400, 1))
    >>> df = pd.DataFrame(f * [.8, .7, .6, .5] + rng.normal(size=(400, 4)) * .6, columns=list("abcd"))
    >>> res = efa(df, parallel_iterations=20)
    >>> res.n, res.n_factors, res.method, round(res.kmo, 2)
    (400, 1, 'principal', 0.8)
    """
    prep = prepare(data, columns, missing)
    cov, r = correlation(prep)
    return fit(r, prep.n, prep.columns, n_factors, method, rotation, x=prep.x, cov=cov,
               n_dropped=prep.n_dropped, n_rows=prep.n_rows, missing=prep.missing, excluded=prep.excluded,
               n_complete=prep.n_complete, **options)


# ================================================================== command line
def read_table(path: Path) -> tuple[pd.DataFrame, Any]:
    """Read a data file with :mod:`civcomp.readers` (csv, tsv, xlsx, sav, parquet).

    Cells arrive as text; a column becomes numeric when every non-empty cell is a
    number (decimal comma honoured), otherwise it stays text, so that asking for it
    as an item raises an error that quotes the offending cell. Empty cells are NA.
    Returns the frame (index = 1-based data row) and the reader's table (for lines).
    """
    from civcomp.readers import ReadError, read_table as read_raw

    try:
        raw = read_raw(path)
    except ReadError as exc:
        raise EFAError(f"{path}: {exc.message}") from None
    df = raw.frame.replace("", pd.NA)
    for c in df.columns:
        text = df[c].str.strip()
        if raw.decimal == ",":
            text = text.str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce")
        if not (num.isna() & df[c].notna()).any():
            df[c] = num.astype("float64")
    return df, raw


def _n_factors_arg(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'auto', got {text!r}") from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'auto', got {text!r}")
    return k


def cli(argv: list[str]) -> int:
    """``civcomp efa FILE [--columns A,B,...] [--n-factors K|auto] [--method ...] [--rotation ...]``."""
    ap = argparse.ArgumentParser(prog="civcomp efa", description="Exploratory factor analysis of a data file "
                                 "(KMO, Bartlett, eigenvalues, n factors, loadings, communalities, reliability).")
    ap.add_argument("file", type=Path, help="data file: csv, tsv, sav, xlsx or parquet")
    ap.add_argument("--columns", help="comma-separated items (default: every numeric column)")
    ap.add_argument("--n-factors", type=_n_factors_arg, default="auto", help="K or auto (default auto)")
    ap.add_argument("--rule", choices=RULES, default="kaiser", help="rule used by --n-factors auto (default kaiser)")
    ap.add_argument("--method", choices=METHODS, default="principal")
    ap.add_argument("--rotation", choices=ROTATIONS, default="none")
    ap.add_argument("--missing", choices=MISSING, default="listwise")
    ap.add_argument("--parallel-iterations", type=int, default=100)
    ap.add_argument("--percentile", type=float, default=95.0, help="parallel-analysis percentile (default 95)")
    ap.add_argument("--bootstrap", type=int, default=0, metavar="B", help="bootstrap resamples (default 0: none)")
    ap.add_argument("--seed", type=int, default=20250412)
    ap.add_argument("--cutoff", type=float, default=0.3, help="hide loadings below this in the report")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    a = ap.parse_args(argv)
    raw = None
    try:
        data, raw = read_table(a.file)
        cols = None if a.columns is None else [c.strip() for c in a.columns.split(",") if c.strip()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = efa(data, cols, a.n_factors, a.method, a.rotation, a.missing, n_factors_rule=a.rule,
                      parallel_iterations=a.parallel_iterations, parallel_percentile=a.percentile,
                      seed=a.seed, bootstrap_resamples=a.bootstrap, loading_cutoff=a.cutoff)
    except EFAError as exc:
        msg = str(exc)
        if exc.row is not None and raw is not None and raw.line_of(exc.row) is not None:
            msg += f" (line {raw.line_of(exc.row)} of the file)"
        print(f"civcomp efa: {msg if msg.startswith(str(a.file)) else f'{a.file}: {msg}'}", file=sys.stderr)
        return 1
    for w in caught:
        if issubclass(w.category, (HeywoodWarning, RuntimeWarning)):
            print(f"civcomp efa: warning: {w.message}", file=sys.stderr)
    if a.json:
        from civcomp.outputs import dumps_json

        sys.stdout.write(dumps_json(res.to_dict()).decode("utf-8"))
    else:
        print(res.report())
    return 0
