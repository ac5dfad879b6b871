"""Paper 000's content analysis of job postings (notebook 01): the coder, shares with CIs, breakdowns, keywords.

:func:`results` is everything notebook 01 publishes: it builds the coder its parameters name (:func:`coder`),
codes the postings and computes every value, table and display part; the coder's quality (gold subsample,
the twin's truth, the real validation corpus) is :mod:`civcomp.analyses.postings_validity`, the notebook's
sentences are :mod:`civcomp.analyses.postings_display`. The text engine (normalisation, dictionary, matcher,
KWIC) is :mod:`civcomp.text`; this module turns its codings into the statistics the paper reports.

Size: one job, notebook 01's statistics from codings to the tables and results it publishes (the
validation against hand labels is :mod:`civcomp.analyses.postings_validity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths, text
from civcomp.analyses import coder_validity, postings_validity
from civcomp.analyses.published import Published
from civcomp.io.codebook import load_codebook
from civcomp.stats import disclosure
from civcomp.stats.association import association_test
from civcomp.stats.estimates import proportion, proportion_ci, publishable_share

DATASETS = ("postings", "postings_gold", "postings_truth")  # what results() reads; gold and truth are optional
BREAKDOWNS = ("level", "region", "position", "category", "functional_area")  # exported as by_<field>
META = ("id", "level", "region", "category", "position", "functional_area", "language")  # kept beside the codings
_SHARE_KEYS = ("n_no_digital", "share_no_digital", "share_no_digital_ci_low", "share_no_digital_ci_high")


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


def tier_shares(
    coded: pd.DataFrame, tiers: Sequence[str], alpha: float = 0.05, min_cell_size: int | None = None
) -> pd.DataFrame:
    """Share of all postings that mention each tier (a posting may mention several), with Wilson intervals.

    With ``min_cell_size``, a tier's count whose cell or complement is 1 … ``min_cell_size - 1`` is withheld
    with its share and interval (:func:`civcomp.stats.estimates.publishable_share`: ``n`` is published).

    Examples
    --------
    >>> coded = pd.DataFrame({"tier_a": [1] * 3 + [0] * 57, "tier_b": [1] * 30 + [0] * 30})
    >>> t = tier_shares(coded, ["a", "b"], min_cell_size=5)
    >>> t["n_postings"].isna().tolist(), t["share"].round(2).tolist()
    ([True, False], [nan, 0.5])
    """
    rows = []
    for t in tiers:
        r = proportion(coded[f"tier_{t}"], alpha=alpha)
        if min_cell_size is not None:
            r = publishable_share(r, len(coded), min_cell_size)
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
    return pd.DataFrame(rows).astype({"n_postings": "Int64", "share": float, "ci_low": float, "ci_high": float})


def tiers_by(coded: pd.DataFrame, by: str, tiers: Sequence[str]) -> pd.DataFrame:
    """Long table: for each group of ``by`` and tier, postings in the group, postings mentioning the tier, share."""
    rows = []
    for g, sub in coded.groupby(coded[by].astype(object), sort=False, observed=True):
        for t in tiers:
            k = int(sub[f"tier_{t}"].sum())
            rows.append({by: g, "tier": t, "n": len(sub), "n_postings": k, "share": k / len(sub)})
    return pd.DataFrame(rows)


def publishable_tiers_by(
    coded: pd.DataFrame, by: str, tiers: Sequence[str], group_n: pd.Series, min_cell_size: int
) -> pd.DataFrame:
    """:func:`tiers_by` as exported: counts disclosure-safe, shares only beside a published count.

    A tier's group counts add up to its total, published in ``tiers`` (``margins="rows"``, tiers × groups).
    A count whose complement ``n - n_postings`` is 1 … ``min_cell_size``-1 is hidden too (the group's ``n``,
    ``group_n``, is published), and every count of a group whose ``n`` is hidden. Notebook 01's figures draw it.

    Examples
    --------
    >>> c = pd.DataFrame({"level": ["a"] * 12 + ["b"] * 30, "tier_x": [1] * 2 + [0] * 10 + [1] * 20 + [0] * 10})
    >>> t = publishable_tiers_by(c, "level", ["x"], pd.Series({"a": 12, "b": 30}), 5)
    >>> t["n"].tolist(), t["n_postings"].isna().tolist()  # the 2, and the 20 with it (the tier total is known)
    ([12, 30], [True, True])
    """
    long = tiers_by(coded, by, tiers)
    counts = long.pivot(index="tier", columns=by, values="n_postings").reindex(index=list(tiers))
    n = group_n.reindex(counts.columns)
    comp = n.to_numpy(dtype=float)[None, :] - counts.to_numpy(dtype=float)
    force = pd.DataFrame(
        ((comp > 0) & (comp < min_cell_size)) | np.isnan(n.to_numpy(dtype=float))[None, :],
        index=counts.index,
        columns=counts.columns,
    )
    sup = disclosure.suppress(counts, min_cell_size, margins="rows", force=force).table
    out = long.drop(columns="share")
    out["n"] = out[by].map(n).astype("Int64")
    out["n_postings"] = [sup.at[t, g] for t, g in zip(out["tier"], out[by])]
    out["share"] = out["n_postings"] / out["n"]
    out = out.astype({"n_postings": "Int64"})
    out["share"] = out["share"].astype(float)
    return out.reset_index(drop=True)


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


def boilerplate_examples(examples: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """The most frequent boilerplate sentences (public postings' own text) and the postings each occurs in;
    a count below ``min_cell_size`` is hidden (primary suppression only, as :func:`keyword_counts`).

    Examples
    --------
    >>> t = boilerplate_examples(pd.DataFrame({"sentence": ["a b", "c d"], "n_postings": [12, 3]}), 5)
    >>> t["n_postings"].tolist()
    [12, <NA>]
    """
    t = examples[["sentence", "n_postings"]].reset_index(drop=True)
    sup = disclosure.suppress(t[["n_postings"]], min_cell_size, margins="none").table
    return t.assign(n_postings=sup["n_postings"])


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


def coder(params: Mapping[str, Any]) -> text.Matcher:
    """The coder notebook 01 runs: the dictionary file, coding unit and boilerplate rule its parameters name.

    ``params`` needs ``dictionary`` (a file in ``data/dictionaries/``), ``coding_sections``, ``fallback`` and
    ``boilerplate_min_words``/``_min_postings``/``_min_share`` (:class:`civcomp.text.Matcher`).

    Examples
    --------
    >>> m = coder({"dictionary": "digital_skills.yaml", "coding_sections": ["duties", "requirements"],
    ...            "fallback": True, "boilerplate_min_words": 8, "boilerplate_min_postings": 5,
    ...            "boilerplate_min_share": 0.02})
    >>> [c.digital for c in m.code(["Требования: знание Excel.", "Обязанности: учёт кадров."])]
    [True, False]
    """
    return text.Matcher(
        text.load_dictionary(paths.DICTIONARIES / params["dictionary"]),
        coding_sections=params["coding_sections"],
        fallback=params["fallback"],
        min_words=params["boilerplate_min_words"],
        min_postings=params["boilerplate_min_postings"],
        min_share=params["boilerplate_min_share"],
    )


def results(data: Mapping[str, pd.DataFrame], params: Mapping[str, Any]) -> Published:
    """Everything notebook 01 publishes: the coding of the postings and its statistics.

    Parameters
    ----------
    data : mapping
        ``postings`` (required), ``postings_gold`` and ``postings_truth`` (optional: without them their
        keys are null) as :func:`civcomp.io.load.load` returns them; ``postings_real`` may replace the
        committed validation corpus (:func:`civcomp.analyses.postings_validity.read_corpus`).
    params : mapping
        Notebook 01's resolved parameters (:func:`civcomp.io.params.resolve`).

    Returns
    -------
    Published
        ``values``: every key of ``outputs/results/01_content_analysis.json`` (the 66.9 % is ``n_no_digital``
        of ``n_postings``); ``tables``: every exported table, in export order; ``parts``: the coder, the
        codings and matches, and the frames the notebook displays or plots.

    Examples
    --------
    >>> from civcomp.io.params import snapshot
    >>> posts = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Требования: знание Excel.", "Обязанности: учёт.",
    ...                       "Требования: знание 1С."], "level": ["central", "regional", "regional"],
    ...                       "region": "x", "category": "B-4", "position": "p", "functional_area": "f", "language": "ru"})
    >>> p = {**snapshot().steps["01_content_analysis"], "n_boot": 20, "n_boot_validity": 20}
    >>> r = results({"postings": posts}, p)
    >>> r.values["n_postings"], r.values["n_no_digital"], r.values["gold_alpha"]
    (3, 1, None)
    """
    postings = data["postings"]
    alpha, seed, k = 1 - params["confidence"], params["seed"], params["min_cell_size"]
    matcher = coder(params)
    dic = matcher.dictionary
    values: dict[str, Any] = {
        "dictionary_version": dic.version,
        "n_terms": len(dic.terms),
        "n_exclusions": len(dic.exclusions),
        "coding_sections": list(params["coding_sections"]),
        # the rest of the coder's settings, so the robustness panel's checked reading is this coder
        "dictionary": params["dictionary"],
        "fallback": bool(params["fallback"]),
        "boilerplate_min_words": params["boilerplate_min_words"],
        "boilerplate_min_postings": params["boilerplate_min_postings"],
        "boilerplate_min_share": params["boilerplate_min_share"],
    }
    tables: dict[str, pd.DataFrame] = {"dictionary": dic.table()}
    tier_label = {t: dic.labels[t]["en"] for t in dic.tiers}

    # the coding unit, its boilerplate and what the whole text or Table 1's terms alone would give
    coded, hits = text.code_postings(postings, matcher)
    bp = text.boilerplate.report(
        postings["text"],
        text.boilerplate.fit(
            postings["text"],
            params["boilerplate_min_postings"],
            params["boilerplate_min_share"],
            params["boilerplate_min_words"],
        ),
    )
    tables["matches_by_section"] = matches_by_section(hits, k)
    tables["boilerplate_examples"] = boilerplate_examples(bp["examples"], k)
    coded_all, _ = text.code_postings(postings, text.Matcher(dic, coding_sections=None))
    values.update(
        {
            "boilerplate_share_chars": bp["share_chars"],
            "boilerplate_share_sentences": bp["share_sentences"],
            "n_boilerplate_sentences": bp["n_boilerplate_sentences"],
            "n_matches_not_counted": int((hits["tier"] != "excluded").sum() - hits["counted"].sum()),
            "n_no_digital_all_text": int((coded_all["digital"] == 0).sum()),
        }
    )
    coded = postings[list(META)].merge(coded, on="id", validate="one_to_one")
    table1_only, _ = text.code_postings(postings, text.Matcher(dic.subset(["table1"])))
    values["n_digital_table1_terms_only"] = int(table1_only["digital"].sum())

    # the headline, and its sensitivity to the coding unit
    head_table, head = headline(coded, alpha)
    values.update(head)
    _, head_all = headline(coded_all, alpha)
    unit = "duties + requirements (" + ", ".join(params["coding_sections"]) + ")"
    tables["headline_sensitivity"] = pd.DataFrame(
        [
            {"coding unit": unit, **{c: head[c] for c in _SHARE_KEYS}},
            {"coding unit": "all text", **{c: head_all[c] for c in _SHARE_KEYS}},
        ]
    )
    values["share_no_digital_all_text"] = head_all["share_no_digital"]
    tables["headline"] = head_table

    # tiers and breakdowns
    tiers = tier_shares(coded, dic.tiers, alpha, k)
    tiers.insert(1, "label", tiers["tier"].map(tier_label))
    tables["tiers"] = tiers
    values.update({f"share_tier_{r.tier}": None if pd.isna(r.share) else r.share for r in tiers.itertuples()})
    for by in BREAKDOWNS:
        tables[f"by_{by}"] = breakdown(coded, by, k, alpha)
    for by in ("level", "functional_area"):  # the figures' tables (tier × group)
        group_n = tables[f"by_{by}"].set_index(by)["n"]
        tables[f"tiers_by_{by}"] = publishable_tiers_by(coded, by, dic.tiers, group_n, k).assign(
            label=lambda t: t["tier"].map(tier_label)
        )
    for lv, r in tables["by_level"].set_index("level").iterrows():
        values[f"share_digital_{lv}"] = r["share_digital"]

    # central vs regional (and with district bodies counted as regional)
    cmp = compare_levels(coded, "central", "regional", seed=seed)
    values.update(
        {
            "central_vs_regional_test": cmp["test"],
            "central_vs_regional_statistic": cmp["statistic"],
            "central_vs_regional_p": cmp["p"],
            "central_vs_regional_cramers_v": cmp["cramers_v"],
        }
    )
    district = coded.assign(level=coded["level"].astype(object).replace("district", "regional"))
    three = compare_levels(district, "central", "regional", seed=seed)
    values["district_as_regional_p"], values["district_as_regional_cramers_v"] = three["p"], three["cramers_v"]

    # keywords in context and the most frequent keywords
    texts = postings.set_index("id")["text"].astype(object)
    tables["kwic"] = text.kwic_table(texts, hits, n=params["kwic_n"], window=params["kwic_window"], seed=seed)
    top = keyword_counts(hits, k)
    tables["keywords"] = top

    quality = postings_validity.reliability(coded, data, matcher, params)
    values.update(quality.values)
    tables.update(quality.tables)
    # the validation corpus's accuracy per genre and part, as its display shows it (the labelled public
    # postings of data/validation, the same in both modes), where the writers' count rule allows its counts
    by_genre = quality.parts.get("by_genre")
    for (genre, split), r in by_genre.iterrows() if by_genre is not None else ():
        if not (r["n"] < k or 0 < r["n_label_1"] < k):  # coder_validity's rule for a genre's keys
            values[f"real_{split}_{genre}_accuracy"] = float(r["accuracy"])
    genres = coder_validity.results(
        matcher, alpha=alpha, n_boot=params["n_boot_validity"], seed=seed, window=params["kwic_window"], min_n=k
    )
    values.update(genres.values)
    tables.update(genres.tables)

    codebook = load_codebook("postings")
    parts = {
        "coder": matcher,
        "coded": coded,
        "matches": hits,
        "boilerplate": bp,
        "dictionary_summary": dictionary_summary(dic),
        "exclusions": dic.table().query("tier == 'excluded'").set_index("term")[["lang", "why"]],
        "tier_label": tier_label,
        "area_label": {c: codebook.label("functional_area", c, "en") for c in codebook.categories("functional_area")},
        "levels": cmp,
        "levels_district_as_regional": three,
        "top_terms": top[top["tier"] != "excluded"].head(params["top_n"]),
        "top_excluded": top[top["tier"] == "excluded"],
        **quality.parts,
        **{f"{name}_all": frame for name, frame in genres.parts.items()},
    }
    return Published(values, tables, parts)
