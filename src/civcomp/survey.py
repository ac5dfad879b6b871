"""Survey estimates: proportions with Wilson intervals, multi-select shares, crosstabs, association tests.

Conventions
-----------
* Shares are fractions (0.6, not 60 %).
* Confidence intervals are Wilson score intervals; with weights, the Wilson formula
  is applied to the weighted share with Kish's effective sample size.
* :func:`association_test` always reports Pearson's chi-square WITHOUT Yates'
  continuity correction, and Cramér's V is computed from that uncorrected statistic
  (``scipy.stats.chi2_contingency`` corrects 2×2 tables by default, which would make
  V inconsistent between 2×2 and larger tables). When an expected count is below 5
  the p-value comes from Fisher's exact test instead (exact for 2×2; for larger
  tables the Fisher–Freeman–Halton test by seeded Monte Carlo, as R's
  ``fisher.test(simulate.p.value = TRUE)``).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. JASA 22(158), 209-212.
Kish, L. (1965). Survey Sampling. Wiley (effective sample size, sec. 11.7).
Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley (ch. 3, exact tests).
Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of
the Korean Statistical Society 42(3), 323-328.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "proportion_ci", "kish_effective_n", "proportion", "multiselect_columns", "multiselect_shares",
    "multiselect_crosstab", "crosstab", "association_test", "poststratification_weights",
    "multiselect_table", "crosstab_table",
]


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


def multiselect_columns(df: pd.DataFrame, prefix: str, options: Sequence[str] | None = None) -> list[str]:
    """The 0/1 columns of one multi-select question (``<prefix><option>``), in codebook order if given."""
    cols = [f"{prefix}{o}" for o in options] if options is not None else [c for c in df.columns if c.startswith(prefix)]
    missing = [c for c in cols if c not in df.columns]
    if missing or not cols:
        raise KeyError(f"multi-select {prefix!r}: columns not found: {missing or prefix + '*'}")
    return cols


def multiselect_shares(df: pd.DataFrame, prefix: str, options: Sequence[str] | None = None,
                       weights: Sequence[float] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Share of respondents choosing each option of a multi-select question.

    Shares don't sum to 1: each is (respondents who ticked the option) / (respondents
    who answered the question, i.e. with no NA in its columns).

    Returns
    -------
    DataFrame
        One row per option: ``option``, ``n`` (choosing), ``n_base``, ``share``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> d = pd.DataFrame({"q_a": [1, 1, 0, 1], "q_b": [0, 1, 0, 0]})
    >>> multiselect_shares(d, "q_")[["option", "n", "share"]].to_dict("records")
    [{'option': 'a', 'n': 3, 'share': 0.75}, {'option': 'b', 'n': 1, 'share': 0.25}]
    """
    cols = multiselect_columns(df, prefix, options)
    answered = df[cols].notna().all(axis=1).to_numpy()
    w = None if weights is None else np.asarray(weights, dtype=float)[answered]
    rows = []
    for c in cols:
        r = proportion(df.loc[answered, c].astype(float).to_numpy(), w, alpha)
        rows.append({"option": c[len(prefix):], "n": r["count"], "n_base": r["n"], "share": r["share"],
                     "ci_low": r["ci_low"], "ci_high": r["ci_high"]})
    return pd.DataFrame(rows)


def _group_order(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return list(s.cat.categories)
    return sorted(s.dropna().unique().tolist())


def multiselect_crosstab(df: pd.DataFrame, prefix: str, by: str, options: Sequence[str] | None = None,
                         groups: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Counts of each option of a multi-select question by group (the layout of the paper's Tables 2-4).

    Returns
    -------
    counts : DataFrame
        Rows = options, columns = groups, cells = respondents in the group who chose the option.
    bases : Series
        Respondents per group (the denominators; column percentages are ``counts / bases``).

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["x", "x", "y"], "q_a": [1, 0, 1], "q_b": [1, 1, 0]})
    >>> counts, bases = multiselect_crosstab(d, "q_", "g")
    >>> counts.to_dict(), bases.to_dict()
    ({'x': {'a': 1, 'b': 2}, 'y': {'a': 1, 'b': 0}}, {'x': 2, 'y': 1})
    """
    cols = multiselect_columns(df, prefix, options)
    groups = list(groups) if groups is not None else _group_order(df[by])
    sub = df[df[cols].notna().all(axis=1)]
    counts = pd.DataFrame({g: sub.loc[sub[by] == g, cols].astype(int).sum(axis=0).to_numpy() for g in groups},
                          index=[c[len(prefix):] for c in cols])
    bases = pd.Series({g: int((sub[by] == g).sum()) for g in groups})
    counts.index.name, counts.columns.name = "option", by
    return counts.astype(int), bases.astype(int)


def crosstab(df: pd.DataFrame, row: str, col: str, normalize: str | None = None) -> pd.DataFrame:
    """Counts of ``row`` × ``col`` (categories in codebook order, empty categories kept).

    Parameters
    ----------
    normalize : {None, "row", "column"}
        ``None`` gives counts; ``"row"``/``"column"`` give row or column percentages (0-100).

    Examples
    --------
    >>> d = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "v", "v"]})
    >>> crosstab(d, "a", "b", normalize="row").to_dict()
    {'u': {'x': 50.0, 'y': 0.0}, 'v': {'x': 50.0, 'y': 100.0}}
    """
    r_levels, c_levels = _group_order(df[row]), _group_order(df[col])
    sub = df[[row, col]].dropna()
    tab = (pd.crosstab(sub[row].astype(object), sub[col].astype(object))
           .reindex(index=r_levels, columns=c_levels, fill_value=0))
    tab.index.name, tab.columns.name = row, col
    if normalize is None:
        return tab.astype(int)
    if normalize == "row":
        return tab.div(tab.sum(axis=1).replace(0, np.nan), axis=0) * 100
    if normalize == "column":
        return tab.div(tab.sum(axis=0).replace(0, np.nan), axis=1) * 100
    raise ValueError(f"normalize must be None, 'row' or 'column', got {normalize!r}")


def _fisher_freeman_halton_mc(obs: np.ndarray, n_resamples: int, rng: np.random.Generator) -> float:
    """Monte-Carlo p of the Fisher–Freeman–Halton test: tables drawn with the observed margins
    (multivariate hypergeometric), p = (1 + #{P(table) <= P(observed)}) / (1 + B)."""
    dist = stats.random_table(obs.sum(axis=1), obs.sum(axis=0))
    lp_obs = dist.logpmf(obs)
    lp = dist.logpmf(dist.rvs(size=n_resamples, random_state=rng))
    # relative tolerance as in R's fisher.test, so ties in probability count as "as extreme"
    hits = int(np.sum(lp <= lp_obs + 1e-7 * max(1.0, abs(lp_obs))))
    return (1 + hits) / (1 + n_resamples)


def association_test(table: Any, *, min_expected: float = 5.0, n_resamples: int = 100_000,
                     seed: int = 20250412) -> dict[str, Any]:
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
    out: dict[str, Any] = {"test": "chi2", "statistic": chi2, "df": dof, "p": float(res.pvalue),
                           "p_chi2": float(res.pvalue), "p_method": "asymptotic", "cramers_v": v,
                           "cramers_v_bc": v_bc, "min_expected": float(expected.min()), "n": n}
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


def poststratification_weights(df: pd.DataFrame, targets: dict[str, dict[str, float]],
                               by: Sequence[str] = ("level", "region")) -> pd.Series:
    """Post-stratification weights so the weighted sample matches population shares per cell.

    Parameters
    ----------
    df : DataFrame
        Respondents with the columns named in ``by``.
    targets : dict
        Population size (or share) per stratum: nested ``{level: {region: size}}`` for two
        keys, or ``{value: size}`` for one. Only the ratios matter. With two keys, a level
        may map to a single number instead of a dict: it is then one stratum (its regions
        pooled), e.g. central bodies whose staff's regional spread is unknown.
    by : sequence of str
        Stratification columns (one or two).

    Returns
    -------
    Series
        Weight per respondent, ``(N_h / N) / (n_h / n)``, mean 1 over the sample.

    Raises
    ------
    ValueError
        If a sampled stratum has no target or a target stratum has no respondents.

    Examples
    --------
    >>> d = pd.DataFrame({"level": ["central", "regional", "regional", "regional"]})
    >>> poststratification_weights(d, {"central": 1, "regional": 1}, by=["level"]).tolist()
    [2.0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666]
    """
    by = list(by)
    if len(by) == 1:
        flat = {(k,): float(v) for k, v in targets.items()}
    elif len(by) == 2:
        flat = {}
        for a, inner in targets.items():
            if isinstance(inner, dict):
                flat.update({(a, b): float(v) for b, v in inner.items()})
            else:
                flat[(a, None)] = float(inner)
    else:
        raise ValueError("poststratification_weights supports one or two stratification columns")
    cols = [df[b].astype(object).tolist() for b in by]
    if len(by) == 1:
        keys = [(a,) for a in cols[0]]
    else:
        pooled = {k[0] for k in flat if k[1] is None}
        keys = [(a, None) if a in pooled else (a, b) for a, b in zip(*cols)]
    sample = pd.Series(keys).value_counts()
    missing = [k for k in sample.index if k not in flat]
    if missing:
        raise ValueError(f"post-stratification: no population target for stratum {missing[0]} ({by})")
    empty = [k for k, v in flat.items() if v > 0 and k not in sample.index]
    if empty:
        raise ValueError(f"post-stratification: stratum {empty[0]} ({by}) has a target but no respondents")
    total_pop = sum(v for k, v in flat.items() if v > 0)
    n = len(keys)
    w = [(flat[k] / total_pop) / (sample[k] / n) for k in keys]
    return pd.Series(w, index=df.index, name="weight", dtype=float)


def _pct(n: pd.Series, base: float) -> pd.Series:
    """Percent of ``base``; all NA (not NaN, so ``isna`` sees it) when the base is unknown or 0."""
    if not np.isfinite(base) or base <= 0:
        return pd.Series(pd.NA, index=n.index, dtype="Float64")
    return (n.astype("Float64") * 100 / base).astype("Float64")


def multiselect_table(counts: pd.DataFrame, bases: pd.Series, min_cell_size: int,
                      labels: dict[str, str] | None = None, total: bool = True):
    """A multi-select question by group in the paper's layout, with disclosure control applied.

    Rows are the options (plus a first row ``respondents`` with the group sizes), columns are
    ``n_<group>`` (respondents choosing) and ``pct_<group>`` (% of the group), and, if
    ``total``, ``n_total``/``pct_total``. Suppression (:func:`civcomp.disclosure.suppress`):
    group sizes form one additive line with the total; a group smaller than ``min_cell_size``
    has all its cells hidden; a group whose size is hidden (small, or as a complementary cell)
    has all its percentages hidden, since ``n / pct`` would give the size back; option counts
    are additive along rows (group counts add up to the total column) but not down columns
    (options are not exclusive); percentages follow their counts.

    Parameters
    ----------
    counts, bases
        As returned by :func:`multiselect_crosstab`.
    min_cell_size : int
    labels : dict, optional
        Option code → label (a ``label`` column is added).
    total : bool, default True
        Publish the all-groups column (and therefore make rows additive).

    Returns
    -------
    table : DataFrame
        Ready for :func:`civcomp.outputs.write_table`.
    suppression : civcomp.disclosure.SuppressionResult
        Of the option counts; ``.cells`` also lists hidden group sizes (row ``respondents``).

    Examples
    --------
    >>> counts = pd.DataFrame({"c": [10, 2], "r": [20, 30]}, index=["a", "b"])
    >>> t, s = multiselect_table(counts, pd.Series({"c": 40, "r": 60}), 5)
    >>> t[["option", "n_c", "pct_c", "n_total"]].to_dict("list")
    {'option': ['respondents', 'a', 'b'], 'n_c': [40, 10, None], 'pct_c': [100.0, 25.0, None], 'n_total': [100, 30, 32]}
    """
    from civcomp.disclosure import propagate, suppress

    margins = "rows" if total else "none"
    base_res = suppress(bases.to_frame().T.set_axis(["respondents"]), min_cell_size, margins)
    # a group too small to publish: all its cells go (they are all below min_cell_size or 0 anyway)
    small_groups = ((bases > 0) & (bases < min_cell_size)).to_numpy()
    force = pd.DataFrame(np.tile(small_groups, (len(counts), 1)), index=counts.index,
                         columns=counts.columns)
    res = suppress(counts, min_cell_size, margins, force=force)
    res.cells = pd.concat([base_res.cells, res.cells], ignore_index=True)
    pub_bases = base_res.table.iloc[0]
    out = pd.DataFrame({"option": ["respondents", *counts.index]})
    if labels is not None:
        out["label"] = ["Respondents (n)", *[labels.get(o, o) for o in counts.index]]
    for g in counts.columns:
        n = pd.concat([pd.Series([pub_bases[g]]), res.table[g]], ignore_index=True).astype("Int64")
        out[f"n_{g}"] = n
        # a hidden group size would be recoverable as n / pct: hide that group's percentages
        out[f"pct_{g}"] = _pct(n, float(bases[g]) if bases[g] > 0 and pd.notna(pub_bases[g]) else np.nan)
    if total:
        tot_base = base_res.row_totals.iloc[0]
        n = pd.concat([pd.Series([tot_base]), res.row_totals], ignore_index=True).astype("Int64")
        out["n_total"] = n
        out["pct_total"] = _pct(n, float(bases.sum()) if pd.notna(tot_base) else np.nan)
    return propagate(out), res


def crosstab_table(counts: pd.DataFrame, min_cell_size: int, labels: dict[str, str] | None = None):
    """A single-choice crosstab (rows = answers, columns = groups) with totals, column %, and suppression.

    Both margins are published (``n_total`` column and a ``total`` row), so suppression is
    protected along rows and columns. Percentages are of the column (group) total.

    Returns
    -------
    table : DataFrame
        Columns ``category``, (``label``), ``n_<group>``, ``pct_<group>``, ``n_total``, ``pct_total``.
    suppression : civcomp.disclosure.SuppressionResult

    Examples
    --------
    >>> t, s = crosstab_table(pd.DataFrame({"c": [10, 2], "r": [20, 30]}, index=["yes", "no"]), 5)
    >>> t["n_c"].tolist(), s.n_primary, s.n_secondary
    ([<NA>, <NA>, 12], 1, 3)
    """
    from civcomp.disclosure import propagate, suppress

    res = suppress(counts, min_cell_size, "both")
    out = pd.DataFrame({"category": [*counts.index, "total"]})
    if labels is not None:
        out["label"] = [*[labels.get(o, o) for o in counts.index], "Total"]
    col_true = counts.sum(axis=0)
    for g in counts.columns:
        n = pd.concat([res.table[g], pd.Series([res.col_totals[g]])], ignore_index=True).astype("Int64")
        out[f"n_{g}"] = n
        out[f"pct_{g}"] = _pct(n, float(col_true[g]) if col_true[g] > 0 else np.nan)
    n = pd.concat([res.row_totals, pd.Series([res.grand_total])], ignore_index=True).astype("Int64")
    out["n_total"] = n
    out["pct_total"] = _pct(n, float(counts.to_numpy().sum()))
    return propagate(out), res
