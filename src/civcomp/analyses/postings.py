"""Paper 000's content analysis of job postings: shares with CIs, breakdowns, keyword counts, agreement.

The text engine (normalisation, dictionary, matcher, KWIC) is :mod:`civcomp.text`; this
module turns its codings into the statistics the paper reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from civcomp.stats import agreement as rel
from civcomp.stats import disclosure
from civcomp.stats.association import association_test
from civcomp.stats.estimates import proportion, proportion_ci
from civcomp.text.matcher import kwic


def breakdown(
    df: pd.DataFrame, by: str, min_cell_size: int, alpha: float = 0.05, flag: str = "digital"
) -> pd.DataFrame:
    """Postings with and without a digital skill per group of ``by``, with Wilson intervals, disclosure-safe.

    Counts of 1 … ``min_cell_size``-1 are hidden with secondary suppression (row and column
    totals are published: ``n`` here, the corpus totals in the headline), and the share and
    interval of a hidden count are hidden with it (:mod:`civcomp.stats.disclosure`).

    Returns columns ``by``, ``n``, ``n_digital``, ``n_no_digital``, ``share_digital``,
    ``ci_low_digital``, ``ci_high_digital`` (one row per group present in the data).
    """

    groups = df[by].astype(object)
    counts = pd.crosstab(groups, df[flag].astype(int)).reindex(columns=[1, 0], fill_value=0)
    counts.columns = ["n_digital", "n_no_digital"]
    raw = counts.copy()
    sup = disclosure.suppress(counts, min_cell_size, margins="both")
    out = sup.table.copy()
    out.insert(0, "n", sup.row_totals)
    ci = np.array([proportion_ci(int(d), int(d + nd), alpha) for d, nd in zip(raw["n_digital"], raw["n_no_digital"])])
    ci = np.where(np.abs(ci) < 1e-12, 0.0, ci)  # floating-point dust at a share of 0 (1e-17, not 0)
    out["share_digital"], out["ci_low_digital"], out["ci_high_digital"] = ci[:, 0], ci[:, 1], ci[:, 2]
    hidden = out["n_digital"].isna() | out["n"].isna()
    out.loc[hidden, ["share_digital", "ci_low_digital", "ci_high_digital"]] = np.nan
    out = disclosure.propagate(out)
    return out.rename_axis(by).reset_index()


def tier_shares(coded: pd.DataFrame, tiers: Sequence[str], alpha: float = 0.05) -> pd.DataFrame:
    """Share of all postings that mention each tier (a posting may mention several), with Wilson intervals."""
    rows = []
    for t in tiers:
        r = proportion(coded[f"tier_{t}"], alpha=alpha)
        rows.append(
            {
                "tier": t,
                "n": r["n"],
                "n_postings": r["count"],
                "share": r["share"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
            }
        )
    return pd.DataFrame(rows)


def tiers_by(coded: pd.DataFrame, by: str, tiers: Sequence[str]) -> pd.DataFrame:
    """Long table: for each group of ``by`` and tier, postings in the group, postings mentioning the tier, share."""
    rows = []
    for g, sub in coded.groupby(coded[by].astype(object), sort=False, observed=True):
        for t in tiers:
            k = int(sub[f"tier_{t}"].sum())
            rows.append({by: g, "tier": t, "n": len(sub), "n_postings": k, "share": k / len(sub)})
    return pd.DataFrame(rows)


def keyword_counts(matches: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """Matches and postings per dictionary entry (excluded contexts included), most frequent first.

    Counts below ``min_cell_size`` are hidden (no margins are published: primary suppression only).
    """

    if matches.empty:
        return pd.DataFrame(columns=["keyword", "tier", "n_matches", "n_postings"])
    g = matches.groupby(["keyword", "tier"], sort=False)
    t = pd.DataFrame({"n_matches": g.size(), "n_postings": g["id"].nunique()})
    t = t.sort_values(["n_postings", "n_matches"], ascending=False, kind="stable").reset_index()
    sup = disclosure.suppress(t[["n_matches", "n_postings"]], min_cell_size, margins="none").table
    t[["n_matches", "n_postings"]] = sup
    return t


def compare_levels(
    df: pd.DataFrame, a: str = "central", b: str = "regional", by: str = "level", flag: str = "digital", seed: int = 0
) -> dict[str, Any]:
    """Digital-skill share of level ``a`` vs level ``b``: chi-square (or Fisher) test and Cramér's V.

    Wraps :func:`civcomp.stats.association.association_test` on the 2 × 2 table (``a``/``b`` × yes/no).
    """

    sub = df[df[by].astype(object).isin([a, b])]
    table = pd.crosstab(sub[by].astype(object), sub[flag].astype(int)).reindex(
        index=[a, b], columns=[1, 0], fill_value=0
    )
    res = association_test(table.to_numpy(), seed=seed)
    res["table"] = table
    res["share_a"], res["share_b"] = (table[1] / table.sum(axis=1)).tolist()
    return res


def gold_agreement(
    coded: pd.DataFrame, gold: pd.DataFrame, n_boot: int = 5000, seed: int = 0, alpha: float = 0.05
) -> dict[str, Any]:
    """The dictionary's coding against the double-coded gold subsample.

    * inter-coder reliability of the two human coders (Cohen's kappa, Krippendorff's alpha + CI);
    * the dictionary against the coders' consensus (units where they agree): precision, recall,
      F1 and Cohen's kappa;
    * Krippendorff's alpha of the dictionary as a third coder beside the two humans, with a
      percentile bootstrap interval over postings.

    Returns a flat dict (``gold_*`` keys as written to the results).
    """
    m = gold.merge(coded[["id", "digital"]], on="id", how="inner", validate="one_to_one")
    a, b, d = (m[c].astype(int).to_numpy() for c in ("coder_a", "coder_b", "digital"))
    agree = a == b
    prf = rel.precision_recall_f1(a[agree], d[agree])
    three = rel.alpha_bootstrap(np.vstack([a, b, d]).astype(float), n_boot=n_boot, seed=seed, ci=1 - alpha)
    two = rel.alpha_bootstrap(np.vstack([a, b]).astype(float), n_boot=n_boot, seed=seed, ci=1 - alpha)
    return {
        "gold_n": len(m),
        "gold_n_agreed": int(agree.sum()),
        "gold_precision": prf["precision"],
        "gold_recall": prf["recall"],
        "gold_f1": prf["f1"],
        "gold_kappa": rel.cohen_kappa(a[agree], d[agree]),
        "gold_alpha": three["alpha"],
        "gold_alpha_ci_low": three["ci_low"],
        "gold_alpha_ci_high": three["ci_high"],
        "gold_intercoder_agreement": float(agree.mean()),
        "gold_intercoder_kappa": rel.cohen_kappa(a, b),
        "gold_intercoder_alpha": two["alpha"],
        "gold_intercoder_alpha_ci_low": two["ci_low"],
        "gold_intercoder_alpha_ci_high": two["ci_high"],
        "gold_n_boot": int(n_boot),
    }


def truth_agreement(coded: pd.DataFrame, truth: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary against the generator's ground truth (synthetic twin).

    One row for "digital" (any tier) and one per tier.
    """
    m = truth.merge(coded, on="id", suffixes=("_truth", ""), validate="one_to_one")
    truth_tiers = m["tiers_truth"].fillna("").astype(str).str.split("|")
    rows = [{"target": "digital", **rel.precision_recall_f1(m["digital_truth"].astype(int), m["digital"].astype(int))}]
    for t in tiers:
        rows.append(
            {
                "target": t,
                **rel.precision_recall_f1(truth_tiers.map(lambda x, t=t: int(t in x)), m[f"tier_{t}"].astype(int)),
            }
        )
    return pd.DataFrame(rows)


def headline(coded: pd.DataFrame, alpha: float = 0.05) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The paper's headline: postings with and without a digital-skill requirement, Wilson CIs.

    Returns the exported table (one row each) and the result keys of notebook 01.

    Examples
    --------
    >>> t, r = headline(pd.DataFrame({"digital": [1] * 135 + [0] * 273}))
    >>> t["n"].tolist(), r["n_no_digital"], round(r["share_no_digital"], 3)
    ([273, 135], 273, 0.669)
    """
    no = proportion(1 - coded["digital"], alpha=alpha)
    yes = proportion(coded["digital"], alpha=alpha)
    results = {
        "n_postings": no["n"],
        "n_no_digital": no["count"],
        "n_digital": yes["count"],
        "share_no_digital": no["share"],
        "share_no_digital_ci_low": no["ci_low"],
        "share_no_digital_ci_high": no["ci_high"],
        "share_digital": yes["share"],
    }
    table = pd.DataFrame(
        [
            {"requirement": label, "n": r["count"], "share": r["share"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]}
            for label, r in (("no digital skill", no), ("digital skill", yes))
        ]
    )
    return table, results


def dictionary_summary(dic) -> pd.DataFrame:
    """Terms per tier, origin (paper's Table 1 vs extension) and language of a :class:`civcomp.text.Dictionary`."""
    table = (
        dic.table()
        .assign(n=1)
        .pivot_table(index=["tier", "origin"], columns="lang", values="n", aggfunc="sum", fill_value=0)
        .reindex(columns=["ru", "kk", "en", ""], fill_value=0)
        .drop(columns="")
    )
    table.columns = [f"terms_{c}" for c in table.columns]
    return table.reset_index()


def gold_table(ga: dict[str, Any]) -> pd.DataFrame:
    """The reliability table of the gold subsample from :func:`gold_agreement`'s result."""
    nan = np.nan
    return pd.DataFrame(
        [
            {
                "comparison": "coder A vs coder B",
                "n_postings": ga["gold_n"],
                "precision": nan,
                "recall": nan,
                "f1": nan,
                "kappa": ga["gold_intercoder_kappa"],
                "alpha": ga["gold_intercoder_alpha"],
                "alpha_ci_low": ga["gold_intercoder_alpha_ci_low"],
                "alpha_ci_high": ga["gold_intercoder_alpha_ci_high"],
            },
            {
                "comparison": "dictionary vs coders' consensus",
                "n_postings": ga["gold_n_agreed"],
                "precision": ga["gold_precision"],
                "recall": ga["gold_recall"],
                "f1": ga["gold_f1"],
                "kappa": ga["gold_kappa"],
                "alpha": nan,
                "alpha_ci_low": nan,
                "alpha_ci_high": nan,
            },
            {
                "comparison": "coders A, B and dictionary",
                "n_postings": ga["gold_n"],
                "precision": nan,
                "recall": nan,
                "f1": nan,
                "kappa": nan,
                "alpha": ga["gold_alpha"],
                "alpha_ci_low": ga["gold_alpha_ci_low"],
                "alpha_ci_high": ga["gold_alpha_ci_high"],
            },
        ]
    )


def validity(
    labels: Sequence[int], predicted: Sequence[int], alpha: float = 0.05, n_boot: int = 2000, seed: int = 0
) -> dict[str, Any]:
    """Accuracy, precision, recall and F1 of a coding against hand labels, with intervals.

    Wilson score intervals for accuracy, precision and recall (each a proportion of its own base: all
    postings, postings coded 1, postings labelled 1); a percentile bootstrap over postings for F1 (which is
    not a proportion). A ratio with an empty base is NaN.

    Returns
    -------
    dict
        ``n, tp, fp, fn, tn`` and ``accuracy, precision, recall, f1``, each with ``_ci_low``/``_ci_high``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. JASA 22, 209–212.
    Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap, ch. 13 (percentile intervals).

    Examples
    --------
    >>> r = validity([1] * 8 + [0] * 2, [1] * 7 + [0] * 3, n_boot=200)
    >>> r["tp"], r["fn"], r["accuracy"], round(r["recall"], 3), round(r["f1"], 3)
    (7, 1, 0.9, 0.875, 0.933)
    >>> r["accuracy_ci_low"] < 0.9 < r["accuracy_ci_high"]
    True
    """
    y = np.asarray(labels, dtype=int)
    p = np.asarray(predicted, dtype=int)
    if y.shape != p.shape:
        raise ValueError(f"validity: {len(y)} labels but {len(p)} codings")
    tp, fp = int(((p == 1) & (y == 1)).sum()), int(((p == 1) & (y == 0)).sum())
    fn, tn = int(((p == 0) & (y == 1)).sum()), int(((p == 0) & (y == 0)).sum())
    out: dict[str, Any] = {"n": int(len(y)), "tp": tp, "fp": fp, "fn": fn, "tn": tn}
    for name, k, n in (("accuracy", tp + tn, len(y)), ("precision", tp, tp + fp), ("recall", tp, tp + fn)):
        if n:
            share, lo, hi = proportion_ci(k, n, alpha)
        else:
            share = lo = hi = float("nan")
        out.update({name: float(share), f"{name}_ci_low": float(lo), f"{name}_ci_high": float(hi)})

    def f1(tp_, fp_, fn_):
        d = 2 * tp_ + fp_ + fn_
        return np.where(d > 0, 2 * tp_ / np.maximum(d, 1), np.nan)

    out["f1"] = float(f1(tp, fp, fn))
    if len(y) and n_boot:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(y), size=(int(n_boot), len(y)))
        yb, pb = y[idx], p[idx]
        b = f1(((pb == 1) & (yb == 1)).sum(1), ((pb == 1) & (yb == 0)).sum(1), ((pb == 0) & (yb == 1)).sum(1))
        b = b[~np.isnan(b)]
        lo, hi = np.quantile(b, [alpha / 2, 1 - alpha / 2]) if len(b) else (np.nan, np.nan)
    else:
        lo = hi = np.nan
    out.update({"f1_ci_low": float(lo), "f1_ci_high": float(hi), "n_boot": int(n_boot)})
    return out


def validity_table(
    coded: pd.DataFrame,
    label: str = "label",
    predicted: str = "digital",
    by: str = "split",
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`validity` for each group of ``by`` (e.g. the dev and test parts) and for all postings, one row each."""
    rows = []
    groups = [(g, sub) for g, sub in coded.groupby(by, sort=True)] + [("all", coded)]
    for g, sub in groups:
        rows.append({by: g, **validity(sub[label], sub[predicted], alpha=alpha, n_boot=n_boot, seed=seed)})
    return pd.DataFrame(rows)


def misclassified(
    coded: pd.DataFrame,
    texts: pd.Series,
    matches: pd.DataFrame,
    label: str = "label",
    predicted: str = "digital",
    window: int = 6,
) -> pd.DataFrame:
    """Every match in the postings whose coding disagrees with the label, in context, with its section.

    ``texts`` is indexed by posting id; ``matches`` comes from :func:`civcomp.text.code_postings`. A false
    negative without any match gets one row with empty match columns.
    """
    wrong = coded[coded[label].astype(int) != coded[predicted].astype(int)]
    rows = []
    for r in wrong.itertuples():
        ms = matches[matches["id"] == r.id]
        base = {"id": r.id, label: int(getattr(r, label)), predicted: int(getattr(r, predicted))}
        if ms.empty:
            rows.append({**base, "keyword": "", "section": "", "counted": np.nan, "left": "", "match": "", "right": ""})
        for m in ms.itertuples():
            left, mid, right = kwic(texts.loc[r.id], m.start, m.end, window)
            rows.append(
                {
                    **base,
                    "keyword": m.keyword,
                    "section": m.section,
                    "counted": m.counted,
                    "left": left,
                    "match": mid,
                    "right": right,
                }
            )
    return pd.DataFrame(
        rows, columns=["id", label, predicted, "keyword", "section", "counted", "left", "match", "right"]
    )


def matches_by_section(hits: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """Dictionary matches (excluded contexts left out) per section and whether they counted, disclosure-safe.

    Counts below ``min_cell_size`` are hidden with a complementary cell (the column total is known),
    as for every exported count table.

    Examples
    --------
    >>> h = pd.DataFrame({"tier": "a", "section": ["duties"] * 20 + ["requirements"] * 12 + ["documents"] * 3,
    ...                   "counted": [True] * 32 + [False] * 3})
    >>> matches_by_section(h, 5)["n_matches"].tolist()  # the 3 is hidden, and the 12 with it (the total is known)
    [20, <NA>, <NA>]
    """
    t = (
        hits[hits["tier"] != "excluded"]
        .groupby(["section", "counted"])
        .size()
        .rename("n_matches")
        .reset_index()
        .sort_values(["counted", "n_matches"], ascending=False)
        .reset_index(drop=True)
    )
    return disclosure.suppress_small(t, min_cell_size, count="n_matches")
