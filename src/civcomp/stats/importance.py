"""Relative importance of correlated predictors in a linear regression: dominance analysis and Pratt.

Paper 003 calls some determinants of innovative capacity "strong"; with eight correlated determinants
the standardized coefficients alone do not say which matter most. This module decomposes the R² of the
regression of an outcome on its predictors:

* **general dominance** (Budescu 1993; Azen & Budescu 2003): each predictor's mean increment in R² over
  all subsets of the other predictors, averaged within and then across subset sizes; equals the Shapley
  value of R², and the weights sum to the full R²;
* **complete dominance**: predictor i completely dominates j when its increment beats j's in every
  subset of the remaining predictors;
* **Pratt's measure** (Thomas, Hughes & Zumbo 1998): β·r / R², which sums to 1.

Checked in ``tests/stats/test_sem.py`` by brute-force Shapley values on the raw data, the two-predictor closed
form, and against the standardized paths of :func:`civcomp.stats.sem.fit` (which lavaan confirms).

References
----------
Budescu, D. V. (1993). Dominance analysis: A new approach to the problem of relative importance of
predictors in multiple regression. *Psychological Bulletin*, 114(3), 542-551.

Azen, R., & Budescu, D. V. (2003). The dominance analysis approach for comparing predictors in
multiple regression. *Psychological Methods*, 8(2), 129-148.

Thomas, D. R., Hughes, E., & Zumbo, B. D. (1998). On variable importance in linear regression.
*Social Indicators Research*, 45, 253-275.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> x = rng.normal(size=(300, 3))
>>> df = pd.DataFrame({"y": x @ [0.6, 0.3, 0.0] + rng.normal(size=300), "a": x[:, 0], "b": x[:, 1], "c": x[:, 2]})
>>> ri = relative_importance(df, "y", ["a", "b", "c"])
>>> ri.sort_values("rank")["variable"].tolist()
['a', 'b', 'c']
>>> bool(np.isclose(ri["general_dominance"].sum(), ri.attrs["r2"]))
True
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from civcomp.stats.sem import SEMError

__all__ = ["relative_importance"]


def _r2_from_corr(r: np.ndarray, cols: tuple[int, ...]) -> float:
    """R^2 of the regression of variable 0 on ``cols`` (indices into the correlation matrix r)."""
    if not cols:
        return 0.0
    idx = list(cols)
    rxy = r[idx, 0]
    return float(rxy @ np.linalg.solve(r[np.ix_(idx, idx)], rxy))


def relative_importance(data: pd.DataFrame, y: str, xs: list[str]) -> pd.DataFrame:
    """Dominance analysis (general dominance weights) and Pratt measures for an OLS regression.

    Parameters
    ----------
    data : DataFrame
        Observations; rows with a missing value on ``y`` or ``xs`` are dropped (listwise).
    y : str
        Outcome column.
    xs : list of str
        Predictor columns (at least one; all subsets are fitted, so keep it below ~15).

    Returns
    -------
    DataFrame
        One row per predictor: ``variable``, ``general_dominance`` (sums to R^2), ``share``
        (general dominance / R^2), ``rank`` (1 = largest), ``beta`` (standardized coefficient),
        ``r`` (zero-order correlation with y), ``pratt`` (beta * r / R^2, sums to 1).
        ``attrs``: ``r2``, ``n``, ``complete_dominance`` (DataFrame, entry [i, j] True when i
        completely dominates j).

    Notes
    -----
    General dominance of :math:`x_j` (Azen & Budescu 2003) is the mean over subset sizes
    :math:`k = 0..p-1` of the mean increment :math:`R^2_{S\\cup j} - R^2_S` over subsets :math:`S` of
    the other predictors with :math:`|S| = k`; it equals the Shapley value of :math:`R^2`. Pratt's
    measure :math:`d_j = \\beta_j r_{jy} / R^2` (Thomas, Hughes & Zumbo 1998). R^2 of each subset is
    computed from the correlation matrix (OLS with intercept).

    References
    ----------
    Budescu (1993); Azen & Budescu (2003); Thomas, Hughes & Zumbo (1998).

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1, 2, 3, 4, 6.0], "a": [1, 2, 2, 4, 5.0], "b": [2, 1, 3, 3, 4.0]})
    >>> ri = relative_importance(df, "y", ["a", "b"])
    >>> ri["variable"].tolist(), bool(np.isclose(ri["pratt"].sum(), 1))
    (['a', 'b'], True)
    """
    xs = list(xs)
    if not xs:
        raise SEMError("relative_importance needs at least one predictor")
    cols = [y, *xs]
    absent = [c for c in cols if c not in data.columns]
    if absent:
        raise SEMError(f"column(s) not in the data: {', '.join(absent)}")
    d = data[cols].apply(pd.to_numeric, errors="coerce").astype(float).dropna()
    if len(d) <= len(xs) + 1:
        raise SEMError(f"only {len(d)} complete rows for {len(xs)} predictors")
    r = np.corrcoef(d.values, rowvar=False)
    p = len(xs)
    preds = tuple(range(1, p + 1))
    cache: dict[tuple[int, ...], float] = {}

    def r2(sub: tuple[int, ...]) -> float:
        key = tuple(sorted(sub))
        if key not in cache:
            cache[key] = _r2_from_corr(r, key)
        return cache[key]

    gd = np.zeros(p)
    cond = np.zeros((p, p))  # conditional dominance by subset size k
    for j in range(p):
        others = [i for i in preds if i != j + 1]
        for k in range(p):
            incs = [r2((*s, j + 1)) - r2(s) for s in itertools.combinations(others, k)]
            cond[j, k] = np.mean(incs)
        gd[j] = cond[j].mean()
    r2_full = r2(preds)
    beta = np.linalg.solve(r[1:, 1:], r[1:, 0])
    rxy = r[1:, 0]
    out = pd.DataFrame(
        {
            "variable": xs,
            "general_dominance": gd,
            "share": gd / r2_full,
            "beta": beta,
            "r": rxy,
            "pratt": beta * rxy / r2_full,
        }
    )
    out.insert(3, "rank", out["general_dominance"].rank(ascending=False, method="min").astype(int))
    complete = np.zeros((p, p), dtype=bool)
    for i, j in itertools.permutations(range(p), 2):
        rest = [k for k in preds if k not in (i + 1, j + 1)]
        ok = True
        for size in range(len(rest) + 1):
            for s in itertools.combinations(rest, size):
                if r2((*s, i + 1)) - r2(s) <= r2((*s, j + 1)) - r2(s):
                    ok = False
                    break
            if not ok:
                break
        complete[i, j] = ok
    out.attrs["r2"] = r2_full
    out.attrs["n"] = len(d)
    out.attrs["complete_dominance"] = pd.DataFrame(complete, index=xs, columns=xs)
    return out
