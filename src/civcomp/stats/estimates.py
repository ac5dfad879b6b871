"""Estimates with confidence intervals: proportions (Wilson, optionally weighted), shares of categories, means.

Conventions
-----------
* Shares are fractions (0.6, not 60 %).
* Confidence intervals are Wilson score intervals; with weights, the Wilson formula
  is applied to the weighted share with Kish's effective sample size.
* Means come with Student-t intervals (:func:`mean_ci`).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. JASA 22(158), 209-212.
Kish, L. (1965). Survey Sampling. Wiley (effective sample size, sec. 11.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from civcomp.stats.disclosure import suppress


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    return float(stats.norm.ppf(1 - alpha / 2))


def proportion_ci(count: float, n: float, alpha: float = 0.05) -> tuple[float, float, float]:
    """Share ``count / n`` with its Wilson score interval.

    Parameters
    ----------
    count : float
        Number of "successes" (may be a weighted count).
    n : float
        Number of trials (may be a Kish effective sample size, not necessarily integer).
    alpha : float, default 0.05
        1 - confidence level.

    Returns
    -------
    tuple of float
        ``(share, ci_low, ci_high)``; all NaN when ``n == 0``.

    References
    ----------
    Wilson (1927); identical to R ``prop.test(count, n, correct = FALSE)$conf.int`` and
    ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Examples
    --------
    >>> share, lo, hi = proportion_ci(120, 200)
    >>> round(share, 3), round(lo, 4), round(hi, 4)
    (0.6, 0.5308, 0.6654)
    """
    if n < 0 or count < 0 or count > n:
        raise ValueError(f"need 0 <= count <= n, got count={count!r}, n={n!r}")
    if n == 0:
        return (float("nan"),) * 3
    z = _z(alpha)
    p = count / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the bounds are exactly 0 and 1 at the edges; rounding would leave ~1e-17 there
    lo = 0.0 if count == 0 else max(0.0, centre - half)
    hi = 1.0 if count == n else min(1.0, centre + half)
    return float(p), float(lo), float(hi)


def kish_effective_n(weights: Sequence[float]) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Examples
    --------
    >>> kish_effective_n([1, 1, 1, 1])
    4.0
    >>> round(kish_effective_n([1, 1, 2, 4]), 3)
    2.909
    """
    w = np.asarray(weights, dtype=float)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    s2 = float(np.sum(w * w))
    return float(np.sum(w) ** 2 / s2) if s2 > 0 else 0.0


def proportion(x: Sequence[Any], weights: Sequence[float] | None = None, alpha: float = 0.05) -> dict[str, float]:
    """Share of True values in ``x`` (missing values dropped), optionally weighted.

    Parameters
    ----------
    x : sequence of bool or 0/1
        Indicator per respondent; NA entries are excluded from numerator and base.
    weights : sequence of float, optional
        Survey weights aligned with ``x``. The interval then uses Kish's effective n.
    alpha : float, default 0.05

    Returns
    -------
    dict
        ``count`` (unweighted successes), ``n`` (unweighted base), ``share``,
        ``ci_low``, ``ci_high``, ``n_eff`` (equals ``n`` without weights).

    Examples
    --------
    >>> r = proportion([1, 0, 1, 1, None])
    >>> r["count"], r["n"], r["share"]
    (3, 4, 0.75)
    >>> round(proportion([1, 0], weights=[3, 1])["share"], 2)
    0.75
    """
    s = pd.Series(x)
    keep = s.notna().to_numpy()
    vals = s[keep].astype(float).to_numpy()
    if not np.isin(vals, [0.0, 1.0]).all():
        raise ValueError("x must hold 0/1 or booleans (and NA)")
    count, n = int(vals.sum()), int(len(vals))
    if weights is None:
        share, lo, hi = proportion_ci(count, n, alpha)
        return {"count": count, "n": n, "share": share, "ci_low": lo, "ci_high": hi, "n_eff": float(n)}
    w = np.asarray(weights, dtype=float)
    if len(w) != len(s):
        raise ValueError(f"weights has length {len(w)}, x has length {len(s)}")
    w = w[keep]
    n_eff = kish_effective_n(w)
    share = float(np.sum(w * vals) / np.sum(w)) if np.sum(w) > 0 else float("nan")
    _, lo, hi = proportion_ci(share * n_eff, n_eff, alpha) if n_eff > 0 else (np.nan,) * 3
    return {"count": count, "n": n, "share": share, "ci_low": lo, "ci_high": hi, "n_eff": n_eff}


def share_table(values: pd.Series, categories: Sequence[Any] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Count, share and Wilson CI of every category among the non-missing answers.

    Parameters
    ----------
    values : Series
        One answer per respondent (NA = no answer).
    categories : sequence, optional
        Order and completeness of the categories (default: the categorical dtype's
        categories, else the sorted observed values). Absent categories get ``n = 0``.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        ``category, n, share, ci_low, ci_high``; ``attrs`` holds ``n_valid`` and ``n_missing``.

    Examples
    --------
    >>> t = share_table(pd.Series(["a", "b", "a", None, "a"]), ["a", "b", "c"])
    >>> t["n"].tolist(), t["share"].tolist()
    ([3, 1, 0], [0.75, 0.25, 0.0])
    >>> t.attrs["n_missing"]
    1
    """
    if categories is None:
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = list(values.cat.categories)
        else:
            categories = sorted(values.dropna().unique())
    valid = values.dropna()
    unknown = set(valid.unique()) - set(categories)
    if unknown:
        raise ValueError(f"values outside the categories: {sorted(map(str, unknown))}")
    counts = valid.astype(object).value_counts()
    n_valid = len(valid)
    rows = []
    for c in categories:
        k = int(counts.get(c, 0))
        share, lo, hi = proportion_ci(k, n_valid, alpha)
        rows.append({"category": c, "n": k, "share": share, "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows)
    out.attrs.update(n_valid=n_valid, n_missing=int(values.isna().sum()))
    return out


def mean_ci(x, confidence: float = 0.95) -> dict:
    """Mean with a Student-t confidence interval (``scipy.stats.t.interval``), NA dropped.

    Examples
    --------
    >>> {k: round(v, 4) for k, v in mean_ci([4, 5, 6, 7, 8]).items()}
    {'n': 5, 'mean': 6.0, 'sd': 1.5811, 'ci_low': 4.0368, 'ci_high': 7.9632}
    """
    a = pd.to_numeric(pd.Series(x), errors="coerce").dropna().to_numpy(dtype=float)
    n = len(a)
    if n < 2:
        raise ValueError(f"mean_ci needs at least 2 values, got {n}")
    m, sd = float(a.mean()), float(a.std(ddof=1))
    lo, hi = stats.t.interval(confidence, df=n - 1, loc=m, scale=sd / np.sqrt(n))
    return {"n": n, "mean": m, "sd": sd, "ci_low": float(lo), "ci_high": float(hi)}


SHARE_FIELDS = ("share", "ci_low", "ci_high")


def publishable_share(r: dict[str, Any], group_size: int, min_cell_size: int) -> dict[str, Any]:
    """A :func:`proportion` as it may be published beside its group size: what would give a hidden count back withheld.

    A share of a group whose size is published is one line of three cells — the respondents with the
    attribute (``count``), those without (``n - count``) and those who did not answer (``group_size - n``) —
    adding up to the group size. The line goes through :func:`civcomp.stats.disclosure.suppress` (counts of
    1 … ``min_cell_size - 1`` hidden, and one more where a single hidden cell could be recovered by
    subtraction). ``count`` is published when its cell is; the share and its interval only when no cell of
    the line is hidden, because ``share = count / n`` gives any of them back (1/58 is the count 1 of 58).
    Withheld values are ``None``; ``withheld`` says whether the share was.

    Examples
    --------
    >>> r = proportion([1] + [0] * 57)
    >>> p = publishable_share(r, 58, 5)
    >>> p["count"], p["share"], p["ci_low"], p["withheld"]
    (None, None, None, True)
    >>> publishable_share(proportion([1] * 20 + [0] * 38), 58, 5)["share"] == 20 / 58
    True
    >>> publishable_share(proportion([1] * 20 + [0] * 38), 60, 5)["share"] is None  # 2 did not answer
    True
    """
    count, n = int(r["count"]), int(r["n"])
    line = pd.DataFrame({"n": [count, n - count, int(group_size) - n]})
    hidden = suppress(line, min_cell_size, margins="columns").mask["n"].to_numpy()
    out = dict(r)
    out["withheld"] = bool(hidden.any())
    if hidden[0]:
        out["count"] = None
    if out["withheld"]:
        out.update({k: None for k in SHARE_FIELDS})
    return out
