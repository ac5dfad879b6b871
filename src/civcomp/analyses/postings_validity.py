"""How well the postings coder codes: against the gold subsample, the twin's truth and the real validation corpus.

Three checks of paper 000's coder (:func:`civcomp.analyses.postings.coder`), each a part of notebook 01's
results (:func:`reliability`):

* the double-coded **gold subsample** (``postings_gold``): inter-coder reliability and the coder against the
  human consensus (:func:`gold_agreement`);
* the **ground truth** the twin's generator planted (``postings_truth``, synthetic only, :func:`truth_agreement`);
* **validity on real postings** nobody on the project wrote (``data/validation/postings_real/``, hand-labelled,
  fixed dev/test split; :func:`validity`, :func:`validity_table`, :func:`misclassified`).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. JASA 22, 209–212.
Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap, ch. 13 (percentile intervals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths, text
from civcomp.analyses.published import Published
from civcomp.stats import agreement as rel
from civcomp.stats.estimates import proportion_ci
from civcomp.text.matcher import kwic

GOLD_KEYS = ("gold_kappa", "gold_alpha", "gold_alpha_ci_low", "gold_alpha_ci_high")  # null without a gold file
TRUTH_KEYS = ("truth_precision", "truth_recall", "truth_f1")  # null without the generator's truth
VALIDITY_MEASURES = ("accuracy", "precision", "recall", "f1")


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

    Examples
    --------
    >>> gold = pd.DataFrame({"id": range(6), "coder_a": [1, 1, 0, 0, 1, 0], "coder_b": [1, 1, 0, 0, 0, 0]})
    >>> g = gold_agreement(pd.DataFrame({"id": range(6), "digital": [1, 0, 0, 0, 1, 0]}), gold, n_boot=50)
    >>> g["gold_n"], g["gold_n_agreed"], g["gold_precision"], g["gold_recall"]
    (6, 5, 1.0, 0.5)
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


def gold_table(ga: dict[str, Any]) -> pd.DataFrame:
    """The reliability table of the gold subsample from :func:`gold_agreement`'s result.

    Examples
    --------
    >>> gold = pd.DataFrame({"id": range(4), "coder_a": [1, 1, 0, 0], "coder_b": [1, 0, 0, 0]})
    >>> gold_table(gold_agreement(pd.DataFrame({"id": range(4), "digital": [1, 1, 0, 0]}), gold, n_boot=20))["n_postings"].tolist()
    [4, 3, 4]
    """
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


def truth_agreement(coded: pd.DataFrame, truth: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary against the generator's ground truth (synthetic twin).

    One row for "digital" (any tier) and one per tier.

    Examples
    --------
    >>> coded = pd.DataFrame({"id": [1, 2, 3], "digital": [1, 1, 0], "tiers": ["a", "a", ""], "tier_a": [1, 1, 0]})
    >>> truth = pd.DataFrame({"id": [1, 2, 3], "digital": [1, 0, 0], "tiers": ["a", "", ""]})
    >>> truth_agreement(coded, truth, ["a"])[["target", "precision", "recall"]].values.tolist()
    [['digital', 0.5, 1.0], ['a', 0.5, 1.0]]
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
    """:func:`validity` for each group of ``by`` (e.g. the dev and test parts) and for all postings, one row each.

    Examples
    --------
    >>> d = pd.DataFrame({"split": ["dev", "dev", "test", "test"], "label": [1, 0, 1, 1], "digital": [1, 0, 1, 0]})
    >>> validity_table(d, n_boot=0)[["split", "n", "accuracy"]].values.tolist()
    [['dev', 2, 1.0], ['test', 2, 0.5], ['all', 4, 0.75]]
    """
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

    Examples
    --------
    >>> coded = pd.DataFrame({"id": ["a", "b"], "label": [1, 1], "digital": [1, 0]})
    >>> misclassified(coded, pd.Series({"a": "x", "b": "y"}), pd.DataFrame(columns=["id"]))[["id", "keyword"]].values.tolist()
    [['b', '']]
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


def read_corpus(path: Path | str | None = None) -> pd.DataFrame:
    """The committed real validation corpus (``data/validation/postings_real/postings_real.csv``).

    It is part of the compendium (public postings, hand-labelled), not a study dataset: it is read here,
    not by :func:`civcomp.io.load.load`.

    Examples
    --------
    >>> c = read_corpus()
    >>> {"id", "text", "label", "split", "genre"} <= set(c.columns), c["label"].dtype.kind
    (True, 'i')
    """
    return pd.read_csv(paths.POSTINGS_REAL if path is None else path, dtype={"label": int})


def reliability(
    coded: pd.DataFrame, data: Mapping[str, pd.DataFrame], matcher: text.Matcher, params: Mapping[str, Any]
) -> Published:
    """Notebook 01's sections on the coder's quality: gold subsample, twin truth, real validation corpus.

    ``coded`` is the coding of the study's postings by ``matcher``; ``data`` may hold ``postings_gold`` and
    ``postings_truth`` (each optional: without it its keys are null) and ``postings_real`` (the validation
    corpus; :func:`read_corpus` when absent). ``params`` are notebook 01's (``confidence``, ``seed``,
    ``n_boot``, ``n_boot_validity``, ``kwic_window``).

    Returns
    -------
    Published
        ``values``: the ``gold_*``, ``truth_*`` and ``real_*`` keys; ``tables``: ``reliability_gold``,
        ``reliability_truth`` (when their data exist), ``validity_real``, ``validity_real_misclassified``;
        ``parts``: ``truth`` (the full truth table), ``confusion``, ``by_genre``.

    Examples
    --------
    >>> from civcomp.analyses.postings import coder
    >>> p = {"dictionary": "digital_skills.yaml", "coding_sections": ["duties", "requirements"], "fallback": True,
    ...      "boilerplate_min_words": 8, "boilerplate_min_postings": 5, "boilerplate_min_share": 0.02,
    ...      "confidence": 0.95, "seed": 1, "n_boot": 50, "n_boot_validity": 50, "kwic_window": 6}
    >>> r = reliability(pd.DataFrame({"id": [], "digital": []}), {}, coder(p), p)
    >>> r.values["gold_kappa"] is None, r.values["real_test_n"] > 0, list(r.tables)
    (True, True, ['validity_real', 'validity_real_misclassified'])
    """
    alpha, seed = 1 - params["confidence"], params["seed"]
    values: dict[str, Any] = {}
    tables: dict[str, pd.DataFrame] = {}
    parts: dict[str, Any] = {}
    if "postings_gold" in data:
        ga = gold_agreement(coded, data["postings_gold"], n_boot=params["n_boot"], seed=seed, alpha=alpha)
        values.update(ga)
        tables["reliability_gold"] = gold_table(ga)
    else:
        values.update(dict.fromkeys(GOLD_KEYS))
    if "postings_truth" in data:
        ta = truth_agreement(coded, data["postings_truth"], matcher.dictionary.tiers)
        tables["reliability_truth"] = ta.drop(columns=["tp", "fp", "fn", "tn", "n"])
        parts["truth"] = ta
        d = ta.set_index("target").loc["digital"]
        values.update(
            {
                "truth_precision": d["precision"],
                "truth_recall": d["recall"],
                "truth_f1": d["f1"],
                "truth_n_false_positives": int(d["fp"]),
                "truth_n_false_negatives": int(d["fn"]),
            }
        )
    else:
        values.update(dict.fromkeys(TRUTH_KEYS))

    real = data["postings_real"] if "postings_real" in data else read_corpus()
    real_coded, real_hits = text.code_postings(real, matcher)
    real = real.merge(real_coded[["id", "digital"]], on="id", validate="one_to_one")
    boot = {"alpha": alpha, "n_boot": params["n_boot_validity"], "seed": seed}
    val = validity_table(real, "label", "digital", "split", **boot)
    real_all_text, _ = text.code_postings(real, text.Matcher(matcher.dictionary, coding_sections=None))
    real_all = real.drop(columns="digital").merge(real_all_text[["id", "digital"]], on="id")
    val_all = validity_table(real_all, "label", "digital", "split", **boot)
    for part, r in val.set_index("split").iterrows():
        for k in VALIDITY_MEASURES:
            values[f"real_{part}_{k}"] = r[k]
            values[f"real_{part}_{k}_ci_low"], values[f"real_{part}_{k}_ci_high"] = r[f"{k}_ci_low"], r[f"{k}_ci_high"]
        values[f"real_{part}_n"] = int(r["n"])
    values["real_test_f1_all_text"] = float(val_all.set_index("split").loc["test", "f1"])
    tables["validity_real"] = val
    tables["validity_real_misclassified"] = misclassified(
        real, real.set_index("id")["text"], real_hits, window=params["kwic_window"]
    )
    parts["confusion"] = pd.crosstab(real["split"], [real["label"].rename("label"), real["digital"].rename("coded")])
    parts["by_genre"] = (
        real.assign(correct=real["label"] == real["digital"])
        .groupby(["genre", "split"])
        .agg(n=("id", "size"), n_label_1=("label", "sum"), accuracy=("correct", "mean"))
    )
    return Published(values, tables, parts)
