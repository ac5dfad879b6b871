"""Figures of the content analysis of job postings (paper 000, notebook 01).

Each function takes a table the notebook exports and returns a matplotlib figure;
:func:`civcomp.io.display.show_figure` saves it with the data-source footer. A figure draws the
table as its CSV prints it (:func:`printed`: six significant digits, suppressed cells empty), so it
carries no number the tables do not publish.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"requirement": ["no digital skill", "digital skill"], "n": [273, 135],
...                   "share": [.669, .331], "ci_low": [.622, .287], "ci_high": [.713, .378]})
>>> fig = plot_headline(t, confidence=0.95)
>>> tuple(float(x) for x in fig.axes[0].get_xlim())
(0.0, 1.0)
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from civcomp.io.display import as_printed, pct


def plot_headline(headline: pd.DataFrame, confidence: float):
    """Bars of the shares with and without a digital skill, Wilson CIs and counts (``headline`` table)."""
    headline = as_printed(headline)
    n = int(headline["n"].sum())
    fig, ax = plt.subplots(figsize=(6, 3.2))
    sns.barplot(
        data=headline,
        y="requirement",
        x="share",
        hue="requirement",
        palette=["#b0413e", "#3b6ea5"],
        legend=False,
        ax=ax,
    )
    ax.errorbar(
        headline["share"],
        range(len(headline)),
        xerr=[headline["share"] - headline["ci_low"], headline["ci_high"] - headline["share"]],
        fmt="none",
        ecolor="black",
        capsize=4,
    )
    for i, r in headline.iterrows():
        ax.text(r["ci_high"] + 0.02, i, f"{pct(r['share'])} (n = {r['n']})", va="center")
    ax.set(
        xlim=(0, 1),
        xlabel=f"share of postings ({confidence:.0%} Wilson CI)",
        ylabel="",
        title=f"Job postings specifying a digital skill (N = {n})",
    )
    return fig


def plot_tiers_by_level(by_level: pd.DataFrame):
    """Share of each level's postings mentioning each tier (the exported ``tiers_by_level`` table, with a
    ``label``); a suppressed share draws no bar."""
    by_level = as_printed(by_level)
    fig, ax = plt.subplots(figsize=(8, 4))
    sns.barplot(data=by_level, x="share", y="label", hue="level", hue_order=["central", "regional", "district"], ax=ax)
    ax.set(
        xlabel="share of the level's postings mentioning the tier", ylabel="", title="Tiers of digital skills by level"
    )
    return fig


def plot_area_heatmap(by_area: pd.DataFrame, area_label: dict[str, str], tier_label: dict[str, str], tiers: list[str]):
    """Functional areas × tiers heatmap of the share of postings mentioning the tier (the exported
    ``tiers_by_functional_area`` table); a suppressed cell is left blank."""
    by_area = as_printed(by_area)
    heat = (
        by_area.assign(area=by_area["functional_area"].map(area_label), tier=by_area["tier"].map(tier_label))
        .pivot(index="area", columns="tier", values="share")
        .reindex(columns=[tier_label[t] for t in tiers])
    )
    fig, ax = plt.subplots(figsize=(10, 5.5))
    sns.heatmap(
        heat, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar_kws={"label": "share of postings"}, ax=ax
    )
    ax.set(xlabel="", ylabel="", title="Postings mentioning each tier, by functional area (blank: suppressed)")
    ax.set_xticklabels([textwrap.fill(t.get_text(), 18) for t in ax.get_xticklabels()], rotation=0)
    return fig
