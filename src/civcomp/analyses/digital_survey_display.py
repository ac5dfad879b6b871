"""What notebook 02 shows beside its numbers: the paper's layout of each table and the sentences that narrate it.

Every number shown is read from :func:`civcomp.analyses.digital_survey.results` (its ``values``, ``tables``
and ``parts``), so the text cannot drift from the results file; the paper's values come from the claims ledger
(``published``, as :func:`civcomp.replication.claims.published_values` returns them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from civcomp.analyses.digital_survey import HEADLINES, LEVELS
from civcomp.analyses.published import Published
from civcomp.io.display import pct

HEADLINE_KEYS = (  # what notebook 02's checked cell prints
    "n_respondents",
    "n_not_required_at_hiring",
    "share_not_required_at_hiring",
    "share_not_required_at_hiring_ci_low",
    "share_not_required_at_hiring_ci_high",
    "n_difficulty_experience_or_training",
    "share_difficulty_experience_or_training",
    "n_never_trained",
    "share_never_trained",
    "barrier_share_central",
    "barrier_share_regional",
    "regional_more_barriers",
)

# exported table -> (grouping, how its leading options are named, options named per group, narrate "total" too)
NARRATED = {
    "table2_challenges": ("level", "challenges", 3, True),
    "table3_responsibilities_by_position": ("position", "responsibilities by position", 2, False),
    "table4_responsibilities_by_area": ("functional_area", "responsibilities by functional area", 2, False),
}
FINDINGS = {  # the abstract's findings as the headline table names them
    "not_required_at_hiring": "Digital competencies not required at hiring",
    "difficulty_experience_or_training": "Difficulties: lack of experience or inadequate training",
    "never_trained": "Never received formal digital training after hiring",
}


def top_options(table: pd.DataFrame, group: str, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` options most often chosen in ``group`` (published cells only), as (label, %)."""
    body = table[(table["option"] != "respondents") & (table["option"] != "none")]
    body = body[body[f"pct_{group}"].notna()]
    body = body.sort_values(f"pct_{group}", ascending=False, kind="stable").head(k)
    return [(r.get("label", r["option"]), float(r[f"pct_{group}"])) for _, r in body.iterrows()]


def narrate_headlines(h: dict[str, Any], data_source: str | None = None) -> str:
    """One paragraph on the four findings, numbers from ``h`` (:func:`headlines`); on the twin, what was built in."""

    def item(key, text):
        if h[f"share_{key}"] is None:  # a count or its complement below min_cell_size: the share would give it back
            n = "s" if h[f"n_{key}"] is None else h[f"n_{key}"]
            return f"{n} of {h['n_respondents']} (share withheld: a count below min_cell_size) {text}"
        return (
            f"{h[f'n_{key}']} of {h['n_respondents']} ({pct(h[f'share_{key}'])}, 95 % CI "
            f"{pct(h[f'share_{key}_ci_low'])}–{pct(h[f'share_{key}_ci_high'])}) {text}"
        )

    return (
        "; ".join(
            [
                item("not_required_at_hiring", "say digital competencies were not required when hired"),
                item(
                    "difficulty_experience_or_training",
                    "met difficulties with government systems through lack of experience or training",
                ),
                item("never_trained", "never received formal digital training after hiring"),
            ]
        )
        + f". At least one barrier to training: {_pct_or_s(h['barrier_share_central'])} of central and "
        f"{_pct_or_s(h['barrier_share_regional'])} of regional staff."
        + (
            " *On the synthetic twin the three counts are calibration targets and the barrier shares by level are "
            "typed into the generator (`params/synthetic/digital_survey.yaml`): they agree with the abstract by "
            "construction, a pipeline check, no evidence about the paper.*"
            if data_source == "synthetic"
            else ""
        )
    )


def _pct_or_s(x: float | None) -> str:
    """A share as a percentage, or "s" (suppressed) when it was withheld (a small group, or a share that would give a
    small count back)."""
    return "s (withheld: a count below min_cell_size)" if x is None else pct(x)


def narrate_multiselect(
    table: pd.DataFrame, groups: list[str], what: str, k: int = 2, group_labels: dict[str, str] | None = None
) -> str:
    """Which options lead in each group of a multi-select table (published cells only)."""
    parts = []
    for g in groups:
        top = top_options(table, g, k)
        if top:
            name = (group_labels or {}).get(g, "all respondents" if g == "total" else g.replace("_", " "))
            parts.append(f"{name}: " + ", ".join(f"{lab} ({p:.0f} %)" for lab, p in top))
    return f"Most frequent {what} — " + "; ".join(parts) + "."


def narrate_comparison(comp: dict[str, dict[str, Any]], data_source: str | None = None) -> str:
    """Central vs regional differences with test statistics and effect sizes; on the twin, where they come from."""
    names = {
        "difficulty": "difficulties with government systems",
        "training": "training received",
        "barrier": "having at least one barrier to training",
    }
    parts = []
    for key, label in names.items():
        r = comp[key]
        if r.get("withheld"):
            parts.append(f"{label}: test withheld (a cell below min_cell_size)")
            continue
        stat = f"χ²({r['df']}) = {r['statistic']:.2f}"
        ptxt = f"p = {r['p']:.3g}" if r["p"] >= 0.001 else "p < 0.001"
        how = "" if r["test"] == "chi2" else f", Fisher {r['p_method'].replace('_', '-')} p"
        parts.append(f"{label}: {stat}, {ptxt}{how}, Cramér's V = {r['cramers_v']:.2f}")
    nb = comp["n_barriers"]
    caveat = (
        " *On the synthetic twin the level differences are typed into the generator (regional effects on training, "
        "difficulty and barriers, `params/synthetic/digital_survey.yaml`): the tests describe the twin, not the paper.*"
        if data_source == "synthetic"
        else ""
    )
    if nb.get("withheld"):
        return (
            "Central vs regional — "
            + "; ".join(parts)
            + ". Number of barriers: withheld (a small level group)."
            + caveat
        )
    ptxt = f"p = {nb['p']:.3g}" if nb["p"] >= 0.001 else "p < 0.001"
    return (
        "Central vs regional — " + "; ".join(parts) + f". Mean number of barriers: "
        f"{nb['mean_central']:.2f} (central) vs {nb['mean_regional']:.2f} (regional), Mann–Whitney {ptxt}, "
        f"rank-biserial r = {nb['rank_biserial']:.2f}."
    ) + caveat


def formatted(table: pd.DataFrame, groups: list[str], group_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Paper-style view of an exported table: one row per option, one column per group,
    cells ``"48.5 % (97)"``; hidden cells show ``"s"`` (suppressed). Column headers carry n."""
    key = "option" if "option" in table.columns else "category"
    body = table[table[key] != "respondents"] if key == "option" else table
    bases = table[table[key] == "respondents"] if key == "option" else table[table[key] == "total"]
    out = pd.DataFrame(index=body["label"] if "label" in body.columns else body[key])
    for g in [*groups, "total"]:
        if f"n_{g}" not in table.columns:
            continue
        base = bases[f"n_{g}"].iloc[0] if len(bases) else pd.NA
        name = (group_labels or {}).get(g, "Total" if g == "total" else g.replace("_", " "))
        head = f"{name} (n = {base})" if pd.notna(base) else f"{name} (n = s)"
        out[head] = [f"{p:.1f} % ({n})" if pd.notna(n) else "s" for n, p in zip(body[f"n_{g}"], body[f"pct_{g}"])]
    return out


def long_percentages(table: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Option × group percentages of a :func:`multiselect_table` in long form (suppressed → NaN),
    without the ``respondents`` row: what Figure 1 plots."""
    body = table[table["option"] != "respondents"]
    rows = [
        {
            "option": r["option"],
            "label": r.get("label", r["option"]),
            "group": g,
            "pct": float(r[f"pct_{g}"]) if pd.notna(r[f"pct_{g}"]) else np.nan,
        }
        for _, r in body.iterrows()
        for g in groups
    ]
    return pd.DataFrame(rows)


def view(pub: Published, name: str) -> pd.DataFrame:
    """The paper-style view (:func:`formatted`) of exported table ``name``, grouped as the paper groups it.

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["a", "total"], "label": ["A", "Total"], "n_central": [6, 6],
    ...                   "pct_central": [100.0, 100.0], "n_total": [6, 6], "pct_total": [100.0, 100.0]})
    >>> pub = Published({}, {"training_by_level": t}, {"groups": {"level": (["central"], {"central": "Central"})}})
    >>> view(pub, "training_by_level").columns.tolist()
    ['Central (n = 6)', 'Total (n = 6)']
    """
    why = pub.values.get("suppressed_tables", {}).get(name)
    if why:  # one line instead of a grid of "s"
        return pd.DataFrame({name.replace("_", " "): [why]})
    by = NARRATED[name][0] if name in NARRATED else "level"
    groups, labels = pub.parts["groups"][by]
    return formatted(pub.tables[name], list(groups), labels)


def narrate_table(pub: Published, name: str) -> str:
    """Which options lead in each group of the paper's multi-select table ``name`` (:data:`NARRATED`)."""
    by, what, k, with_total = NARRATED[name]
    if pub.values.get("suppressed_tables", {}).get(name):
        return f"Most frequent {what}: not shown ({pub.values['suppressed_tables'][name]})."
    groups, labels = pub.parts["groups"][by]
    return narrate_multiselect(
        pub.tables[name], [*groups, "total"] if with_total else list(groups), what, k=k, group_labels=labels
    )


def _or_s(x: Any) -> Any:
    """A published value, or "s" where it was withheld (None)."""
    return "s" if x is None else x


def _ci(values: Mapping[str, Any], stem: str, suffix: str = "") -> str:
    return f"{100 * values[f'{stem}_ci_low{suffix}']:.1f}–{100 * values[f'{stem}_ci_high{suffix}']:.1f}"


def headline_table(values: Mapping[str, Any], published: Mapping[str, Any], confidence: float) -> pd.DataFrame:
    """The abstract's findings: the paper's count, the recomputed count, share and interval (``s``: withheld).

    Examples
    --------
    >>> v = {f"{s}_{k}{e}": 0 for k in FINDINGS for s, e in (("n", ""), ("share", ""), ("share", "_ci_low"),
    ...      ("share", "_ci_high"))} | {"barrier_share_central": None, "barrier_share_regional": None}
    >>> v |= {"n_never_trained": 113, "share_never_trained": 0.565, "share_never_trained_ci_low": 0.4957,
    ...       "share_never_trained_ci_high": 0.6318}
    >>> t = headline_table(v, {"n_never_trained": 113}, 0.95)
    >>> t.iloc[2, 2:].tolist(), t.iloc[3, 2:].tolist()
    ([113, 56.5, '49.6–63.2'], ['s', 's', 's'])
    """
    ci = f"{confidence:.0%} CI"
    rows = [
        {
            "finding": what,
            "paper n": published.get(f"n_{key}"),
            "result n": _or_s(values[f"n_{key}"]),
            "share %": "s" if values[f"share_{key}"] is None else round(100 * values[f"share_{key}"], 1),
            ci: "s" if values[f"share_{key}"] is None else _ci(values, f"share_{key}"),
        }
        for key, what in FINDINGS.items()
    ]
    for level in LEVELS:
        what = f"At least one barrier to training — {level}"
        if values[f"barrier_share_{level}"] is None:  # withheld: the level group is below min_cell_size
            rows.append({"finding": what, "paper n": None, "result n": "s", "share %": "s", ci: "s"})
            continue
        rows.append(
            {
                "finding": what,
                "paper n": None,
                "result n": _or_s(values[f"barrier_n_{level}"]),
                "share %": round(100 * values[f"barrier_share_{level}"], 1),
                ci: _ci(values, f"barrier_share_{level}"),
            }
        )
    return pd.DataFrame(rows)


def weighted_table(values: Mapping[str, Any], confidence: float) -> pd.DataFrame:
    """Headline shares unweighted and post-stratified, with the weighted interval (percent, one decimal; ``s``: withheld).

    Examples
    --------
    >>> v = {f"share_{k}{s}": 0.5 for k in ("not_required_at_hiring", "difficulty_experience_or_training",
    ...      "never_trained") for s in ("", "_weighted", "_ci_low_weighted", "_ci_high_weighted")}
    >>> t = weighted_table(v, 0.95)
    >>> t.columns.tolist(), t.loc["never_trained", "weighted 95% CI"]
    (['unweighted %', 'weighted %', 'weighted 95% CI'], '50.0–50.0')
    >>> weighted_table(v | {"share_never_trained_weighted": None}, 0.95).loc["never_trained", "weighted %"]
    's'
    """

    def pct1(x):
        return "s" if x is None else round(100 * x, 1)

    keys = list(HEADLINES)
    return pd.DataFrame(
        {
            "unweighted %": [pct1(values[f"share_{k}"]) for k in keys],
            "weighted %": [pct1(values[f"share_{k}_weighted"]) for k in keys],
            f"weighted {confidence:.0%} CI": [
                "s" if values[f"share_{k}_weighted"] is None else _ci(values, f"share_{k}", "_weighted") for k in keys
            ],
        },
        index=keys,
    )


def narrate_weighting(values: Mapping[str, Any], min_cell_size: int | None = None) -> str:
    """How far post-stratification moves the headline shares, Kish's effective sample size, and which strata
    were pooled, dropped or merged (or why nothing was weighted).

    Examples
    --------
    >>> v = {"n_respondents": 200, "kish_effective_n": 191.7} | {f"share_{k}": 0.5 for k in HEADLINES}
    >>> narrate_weighting(v | {f"share_{k}_weighted": 0.52 for k in HEADLINES})
    'Weighting moves the headline shares by at most 2.0 percentage points (Kish effective n = 192 of 200).'
    >>> narrate_weighting(v | {"poststrat_withheld": "the central level has fewer than 5 respondents"})
    'No post-stratified share is published: the central level has fewer than 5 respondents.'
    """
    if values.get("poststrat_withheld"):
        return f"No post-stratified share is published: {values['poststrat_withheld']}."
    moved = [
        abs(values[f"share_{k}_weighted"] - values[f"share_{k}"])
        for k in HEADLINES
        if values[f"share_{k}_weighted"] is not None and values[f"share_{k}"] is not None
    ]
    text = (
        f"Weighting moves the headline shares by at most {100 * max(moved):.1f} percentage points "
        if moved
        else "Every post-stratified share is withheld (a count below min_cell_size in the share or a stratum) "
    ) + f"(Kish effective n = {values['kish_effective_n']:.0f} of {values['n_respondents']})."
    k = "min_cell_size" if min_cell_size is None else min_cell_size
    if values.get("poststrat_pooled_regions"):
        text += (
            f" Regions with fewer than {k} respondents (none included) were pooled into one stratum, their "
            f"targets summed: {', '.join(values['poststrat_pooled_regions'])}."
        )
    if values.get("poststrat_merged_into"):
        text += (
            f" The pooled stratum itself had fewer than {k} respondents and was merged into "
            f"{values['poststrat_merged_into']}."
        )
    if values.get("poststrat_dropped_strata"):
        text += (
            f" Strata without respondents were dropped and the other targets renormalised (each level keeps its "
            f"population share; a dropped level leaves the other for the whole): "
            f"{', '.join(values['poststrat_dropped_strata'])}."
        )
    return text


def narrate_suppression(pub: Published, min_cell_size: int) -> str:
    """How many cells of how many tables disclosure control hid, and why.

    Examples
    --------
    >>> cells = pd.DataFrame({"table": ["t2", "t2"], "status": "suppressed"})
    >>> pub = Published({"n_suppressed_cells": 2}, {"suppressed_cells": cells},
    ...                 {"paper_tables": {"t2": None, "t3": None}})
    >>> narrate_suppression(pub, 5)
    '2 cells suppressed in 1 of 2 tables with min_cell_size = 5.'
    """
    cells = pub.tables["suppressed_cells"]
    return (
        f"{len(cells)} cells suppressed in {cells['table'].nunique()} of {len(pub.parts['paper_tables'])} tables "
        f"with min_cell_size = {min_cell_size}."
    )
