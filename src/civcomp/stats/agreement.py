"""Agreement between codings and raters: precision/recall/F1, Cohen's kappa, Krippendorff's alpha with a
bootstrap CI, and Shrout-Fleiss intraclass correlations.

Used by the content analysis to check the keyword dictionary against human coders (the
double-coded gold subsample) and, on the synthetic twin, against the generator's ground truth;
the ICCs (:func:`icc_table`, through pingouin) measure agreement between the perspectives of the
360 appraisal.

Conventions
-----------
* Binary codes are 0/1; ``1`` (the posting specifies a digital skill) is the positive class.
* Reliability data for Krippendorff's alpha are a ``coders × units`` array with NaN for a
  missing code (the layout of the ``krippendorff`` package).
* The bootstrap resamples units with replacement, computes alpha for every replicate at once
  (coincidence matrices are additive over units), and reports the percentile interval;
  it is seeded, so the interval is reproducible.

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
Measurement 20(1), 37-46.
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
Communication, University of Pennsylvania (the worked example reproduced in the tests).
Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard reliability measure
for coding data. Communication Methods and Measures 1(1), 77-89 (bootstrapping alpha).
Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap. Chapman & Hall (percentile interval).
Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater reliability.
Psychological Bulletin 86(2), 420-428.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["confusion", "precision_recall_f1", "cohen_kappa", "krippendorff_alpha", "alpha_bootstrap", "icc_table"]


def _binary(x: Any, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if np.isnan(a).any() or not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1 (no missing values)")
    return a.astype(int)


def confusion(y_true: Any, y_pred: Any) -> dict[str, int]:
    """Counts of true/false positives/negatives of binary codes.

    Examples
    --------
    >>> confusion([1, 1, 0, 0], [1, 0, 1, 0])
    {'tp': 1, 'fp': 1, 'fn': 1, 'tn': 1}
    """
    t, p = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")
    if len(t) != len(p):
        raise ValueError(f"y_true and y_pred differ in length ({len(t)} vs {len(p)})")
    return {
        "tp": int(((t == 1) & (p == 1)).sum()),
        "fp": int(((t == 0) & (p == 1)).sum()),
        "fn": int(((t == 1) & (p == 0)).sum()),
        "tn": int(((t == 0) & (p == 0)).sum()),
    }


def precision_recall_f1(y_true: Any, y_pred: Any) -> dict[str, float]:
    """Precision, recall and F1 of ``y_pred`` against ``y_true`` (positive class 1), with the counts.

    A ratio with a zero denominator is NaN (no prediction / no positive to find).

    References
    ----------
    Same definitions as ``sklearn.metrics.precision_recall_fscore_support(average="binary")``.

    Examples
    --------
    >>> r = precision_recall_f1([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    >>> round(r["precision"], 3), round(r["recall"], 3), round(r["f1"], 3), r["n"]
    (0.667, 0.667, 0.667, 5)
    """
    c = confusion(y_true, y_pred)
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return {"precision": prec, "recall": rec, "f1": f1, **c, "n": sum(c.values())}


def cohen_kappa(a: Any, b: Any) -> float:
    """Cohen's (unweighted) kappa of two codings of the same units.

    ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed agreement and ``p_e`` the agreement
    expected from each coder's own marginal distribution. NaN when ``p_e == 1``.

    References
    ----------
    Cohen (1960). Same as ``sklearn.metrics.cohen_kappa_score`` (checked in the tests).

    Examples
    --------
    The classic 2 × 2 example (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no): kappa = 0.4.

    >>> a = [1] * 25 + [0] * 25
    >>> b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    >>> round(cohen_kappa(a, b), 6)
    0.4
    """
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape or x.ndim != 1 or not len(x):
        raise ValueError("the two codings must be non-empty one-dimensional arrays of equal length")
    if _isna(x).any() or _isna(y).any():
        raise ValueError("the codings must not contain missing values")
    cats = np.unique(np.concatenate([x, y]))
    xi, yi = np.searchsorted(cats, x), np.searchsorted(cats, y)
    table = np.zeros((len(cats), len(cats)))
    np.add.at(table, (xi, yi), 1)
    n = table.sum()
    p_o = np.trace(table) / n
    p_e = float(table.sum(axis=1) @ table.sum(axis=0)) / n**2
    return float("nan") if p_e == 1 else float((p_o - p_e) / (1 - p_e))


def _isna(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "fc":
        return np.isnan(x)
    if x.dtype.kind == "O":
        return np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in x], dtype=bool)
    return np.zeros(x.shape, dtype=bool)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha of ``coders × units`` data (NaN = missing), via the ``krippendorff`` package.

    Examples
    --------
    Krippendorff's (2011) worked example (4 coders, 12 units, missing values):

    >>> nan = float("nan")
    >>> d = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(d), 3)
    0.743
    """
    import krippendorff

    with np.errstate(invalid="ignore", divide="ignore"):  # undefined alpha (one value only) is NaN
        return float(krippendorff.alpha(reliability_data=np.asarray(data, dtype=float), level_of_measurement=level))


def _unit_coincidences(data: np.ndarray, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit coincidence matrices (units × K × K) and the distance matrix (K × K)."""
    d = np.asarray(data, dtype=float)
    if d.ndim != 2:
        raise ValueError("reliability data must be a coders × units array")
    values = np.unique(d[~np.isnan(d)])
    if len(values) < 1:
        raise ValueError("reliability data hold no codes")
    counts = np.stack([(d == v).sum(axis=0) for v in values], axis=1).astype(float)  # units × K
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    o = (counts[:, :, None] * counts[:, None, :] - np.einsum("uk,kl->ukl", counts, np.eye(len(values)))) / (m - 1)[
        :, None, None
    ]
    if level == "nominal":
        delta = 1.0 - np.eye(len(values))
    elif level == "interval":
        delta = (values[:, None] - values[None, :]) ** 2
    else:
        raise ValueError(f"level must be 'nominal' or 'interval', got {level!r}")
    return o, delta


def _alpha_from_coincidences(o: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Alpha from (…, K, K) coincidence matrices: ``1 - (n - 1) Σ o δ / Σ n_c n_k δ``."""
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    do = (o * delta).sum(axis=(-2, -1))
    de = np.einsum("...c,ck,...k->...", n_c, delta, n_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - (n - 1) * do / de


def alpha_bootstrap(
    data: Any, n_boot: int = 5000, seed: int = 0, ci: float = 0.95, level: str = "nominal"
) -> dict[str, float]:
    """Krippendorff's alpha with a percentile bootstrap interval (units resampled, seeded, vectorised).

    Parameters
    ----------
    data : array-like
        ``coders × units`` codes, NaN for missing.
    n_boot : int
        Bootstrap replicates.
    seed : int
        Seed of the resampling (same seed, same interval).
    ci : float
        Coverage of the percentile interval.
    level : {"nominal", "interval"}
        Level of measurement.

    Returns
    -------
    dict
        ``alpha`` (the ``krippendorff`` package's value), ``ci_low``, ``ci_high``, ``n_boot``,
        ``n_units`` (pairable units), ``alpha_check`` (the same alpha from this function's own
        coincidence matrices — equal to ``alpha`` up to rounding, a built-in cross-check).
        Replicates in which alpha is undefined (every code identical) are left out of the
        interval, as in Hayes & Krippendorff (2007).

    Examples
    --------
    >>> r = alpha_bootstrap([[1, 1, 0, 0, 1, 0, 1, 1], [1, 1, 0, 1, 1, 0, 1, 1]], n_boot=2000, seed=1)
    >>> round(r["alpha"], 3), r["ci_low"] <= r["alpha"] <= r["ci_high"]
    (0.727, True)
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci!r}")
    o, delta = _unit_coincidences(np.asarray(data, dtype=float), level)
    n_units = o.shape[0]
    check = float(_alpha_from_coincidences(o.sum(axis=0), delta))
    alpha = krippendorff_alpha(data, level)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=int(n_boot)).astype(float)
    reps = _alpha_from_coincidences(np.einsum("bu,ukl->bkl", weights, o), delta)
    reps = reps[np.isfinite(reps)]
    tail = (1 - ci) / 2
    lo, hi = np.quantile(reps, [tail, 1 - tail]) if len(reps) else (np.nan, np.nan)
    return {
        "alpha": alpha,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "n_boot": int(n_boot),
        "n_units": int(n_units),
        "alpha_check": check,
    }


def _ci_column(table: pd.DataFrame) -> str:
    # pingouin 0.7 names it CI95, older releases CI95%
    for name in ("CI95", "CI95%"):
        if name in table.columns:
            return name
    raise KeyError(f"pingouin.intraclass_corr returned no CI column (columns: {list(table.columns)})")


def icc_table(wide: pd.DataFrame) -> pd.DataFrame:
    """Six Shrout-Fleiss ICCs of a targets x raters frame via :func:`pingouin.intraclass_corr`.

    Rows with a missing rating are dropped (listwise, as pingouin does). CIs are not rounded.

    Examples
    --------
    Shrout & Fleiss (1979, Table 2): 6 targets, 4 judges; published ICC(1,1) = .17,
    ICC(2,1) = .29, ICC(3,1) = .71, ICC(3,4) = .91.

    >>> w = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2],
    ...                   "J3": [5, 3, 6, 2, 6, 4], "J4": [8, 2, 8, 6, 9, 7]})
    >>> icc_table(w).set_index("type")["icc"].round(2).to_dict()
    {'ICC(1,1)': 0.17, 'ICC(A,1)': 0.29, 'ICC(C,1)': 0.71, 'ICC(1,k)': 0.44, 'ICC(A,k)': 0.62, 'ICC(C,k)': 0.91}
    """
    import pingouin as pg

    w = wide.dropna()
    if len(w) < 3 or w.shape[1] < 2:  # pingouin's ANOVA needs a few complete targets
        types = ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
        return pd.DataFrame(
            {"type": types, **{c: np.nan for c in ("icc", "f", "df1", "df2", "pval", "ci_low", "ci_high")}, "n": len(w)}
        )
    long = w.rename_axis("target").reset_index().melt(id_vars="target", var_name="rater", value_name="rating")
    keys = ("round.column.CI95", "round.column.CI95%")
    saved = {k: pg.options[k] for k in keys if k in pg.options}
    try:
        for k in keys:
            pg.options[k] = None
        res = pg.intraclass_corr(long, targets="target", raters="rater", ratings="rating")
    finally:
        for k in keys:
            pg.options.pop(k, None)
        pg.options.update(saved)
    ci = np.vstack(res[_ci_column(res)].to_numpy())
    return pd.DataFrame(
        {
            "type": res["Type"],
            "icc": res["ICC"],
            "f": res["F"],
            "df1": res["df1"],
            "df2": res["df2"],
            "pval": res["pval"],
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n": len(w),
        }
    )
