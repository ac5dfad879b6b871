"""Multi-select shares and crosstabs of survey answers, and their disclosure-safe percentage tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from civcomp.stats.disclosure import propagate, suppress
from civcomp.stats.estimates import proportion


def multiselect_columns(df: pd.DataFrame, prefix: str, options: Sequence[str] | None = None) -> list[str]:
    """The 0/1 columns of one multi-select question (``<prefix><option>``), in codebook order if given."""
    cols = [f"{prefix}{o}" for o in options] if options is not None else [c for c in df.columns if c.startswith(prefix)]
    missing = [c for c in cols if c not in df.columns]
    if missing or not cols:
        raise KeyError(f"multi-select {prefix!r}: columns not found: {missing or prefix + '*'}")
    return cols


def multiselect_shares(
    df: pd.DataFrame,
    prefix: str,
    options: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
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
        rows.append(
            {
                "option": c[len(prefix) :],
                "n": r["count"],
                "n_base": r["n"],
                "share": r["share"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
            }
        )
    return pd.DataFrame(rows)


def _group_order(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return list(s.cat.categories)
    return sorted(s.dropna().unique().tolist())


def multiselect_crosstab(
    df: pd.DataFrame, prefix: str, by: str, options: Sequence[str] | None = None, groups: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.Series]:
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
    counts = pd.DataFrame(
        {g: sub.loc[sub[by] == g, cols].astype(int).sum(axis=0).to_numpy() for g in groups},
        index=[c[len(prefix) :] for c in cols],
    )
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
    tab = pd.crosstab(sub[row].astype(object), sub[col].astype(object)).reindex(
        index=r_levels, columns=c_levels, fill_value=0
    )
    tab.index.name, tab.columns.name = row, col
    if normalize is None:
        return tab.astype(int)
    if normalize == "row":
        return tab.div(tab.sum(axis=1).replace(0, np.nan), axis=0) * 100
    if normalize == "column":
        return tab.div(tab.sum(axis=0).replace(0, np.nan), axis=1) * 100
    raise ValueError(f"normalize must be None, 'row' or 'column', got {normalize!r}")


def _pct(n: pd.Series, base: float) -> pd.Series:
    """Percent of ``base``; all NA (not NaN, so ``isna`` sees it) when the base is unknown or 0."""
    if not np.isfinite(base) or base <= 0:
        return pd.Series(pd.NA, index=n.index, dtype="Float64")
    return (n.astype("Float64") * 100 / base).astype("Float64")


def multiselect_table(
    counts: pd.DataFrame, bases: pd.Series, min_cell_size: int, labels: dict[str, str] | None = None, total: bool = True
):
    """A multi-select question by group in the paper's layout, with disclosure control applied.

    Rows are the options (plus a first row ``respondents`` with the group sizes), columns are
    ``n_<group>`` (respondents choosing) and ``pct_<group>`` (% of the group), and, if
    ``total``, ``n_total``/``pct_total``. Suppression (:func:`civcomp.stats.disclosure.suppress`):
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
        Ready for :func:`civcomp.io.outputs.write_table`.
    suppression : civcomp.stats.disclosure.SuppressionResult
        Of the option counts; ``.cells`` also lists hidden group sizes (row ``respondents``).

    Examples
    --------
    >>> counts = pd.DataFrame({"c": [10, 2], "r": [20, 30]}, index=["a", "b"])
    >>> t, s = multiselect_table(counts, pd.Series({"c": 40, "r": 60}), 5)
    >>> t[["option", "n_c", "pct_c", "n_total"]].to_dict("list")
    {'option': ['respondents', 'a', 'b'], 'n_c': [40, 10, None], 'pct_c': [100.0, 25.0, None], 'n_total': [100, 30, 32]}
    """

    margins = "rows" if total else "none"
    base_res = suppress(bases.to_frame().T.set_axis(["respondents"]), min_cell_size, margins)
    # a group too small to publish: all its cells go (they are all below min_cell_size or 0 anyway)
    small_groups = ((bases > 0) & (bases < min_cell_size)).to_numpy()
    force = pd.DataFrame(np.tile(small_groups, (len(counts), 1)), index=counts.index, columns=counts.columns)
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
    suppression : civcomp.stats.disclosure.SuppressionResult

    Examples
    --------
    >>> t, s = crosstab_table(pd.DataFrame({"c": [10, 2], "r": [20, 30]}, index=["yes", "no"]), 5)
    >>> t["n_c"].tolist(), s.n_primary, s.n_secondary
    ([<NA>, <NA>, 12], 1, 3)
    """

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
