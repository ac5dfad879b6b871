"""Figures of the innovative-capacity survey (paper 003, notebook 03): age, Figure 3, correlations, scree,
communalities.

Each function takes a table the notebook exports (or the :class:`~civcomp.stats.efa.EFAResult`) and returns
a matplotlib figure; the paper's values are drawn as open diamonds beside the recomputed ones.

Examples
--------
>>> import pandas as pd
>>> ages = pd.DataFrame({"age_group": ["18-29", "30-39"], "n": [10, 20], "share": [1 / 3, 2 / 3]})
>>> fig = plot_age_distribution(ages, "regional", 35)
>>> fig.axes[0].get_title()
'Age of the regional respondents (median 35)'
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns


def plot_age_distribution(ages: pd.DataFrame, analysed_level: str, median_age: float):
    """Share of respondents per age group."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(ages["age_group"], ages["share"], color="#4c72b0")
    ax.set_ylabel("share of respondents")
    ax.set_xlabel("age group (years)")
    ax.set_title(f"Age of the {analysed_level} respondents (median {median_age:g})")
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    return fig


def plot_reasons(reasons: pd.DataFrame, analysed_level: str):
    """Figure 3: reasons for choosing the civil service, Wilson CIs, the paper's shares as diamonds."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    y = np.arange(len(reasons))[::-1]
    err = np.vstack([reasons["share"] - reasons["ci_low"], reasons["ci_high"] - reasons["share"]])
    ax.barh(y, reasons["share"], xerr=err, color="#55a868", capsize=3, label="recomputed (95% CI)")
    ax.scatter(reasons["paper"].astype(float), y, marker="D", s=60, facecolors="none", edgecolors="black", zorder=3,
               label="paper 003, Figure 3")
    ax.set_yticks(y, reasons["label"])
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(f"share of {analysed_level} respondents (n = {reasons.attrs['n_valid']:,})")
    ax.set_title("Figure 3: Reasons to choose the civil service")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_correlations(correlation: pd.DataFrame, n: int, label: dict[str, str]):
    """Heatmap of the items' Pearson correlations."""
    fig, ax = plt.subplots(figsize=(7.5, 6))
    corr = correlation.rename(index=label, columns=label)
    sns.heatmap(corr, annot=True, fmt=".2f", vmin=0, vmax=1, cmap="Blues", square=True, cbar_kws={"shrink": .7},
                ax=ax)
    ax.set_title(f"Pearson correlations of the nine variables (N = {n:,})")
    return fig


def plot_scree(ve: pd.DataFrame, parallel_percentile: float, parallel_iterations: int):
    """Scree plot with the parallel-analysis threshold and Kaiser's line."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(ve["component"], ve["eigenvalue"], "o-", label="observed eigenvalues")
    ax.plot(ve["component"], ve["parallel_threshold"], "s--", color="#c44e52",
            label=f"parallel analysis, {parallel_percentile:g}th percentile ({parallel_iterations} resamples)")
    ax.axhline(1, color="grey", lw=0.8, ls=":", label="Kaiser criterion (eigenvalue 1)")
    ax.set_xlabel("component")
    ax.set_ylabel("eigenvalue")
    ax.set_xticks(ve["component"])
    ax.set_title("Scree plot")
    ax.legend(fontsize=8)
    return fig


def plot_communalities(comm: pd.DataFrame, confidence: float, communality_required: float):
    """Each communality with its bootstrap CI against the paper's value and the requirement."""
    fig, ax = plt.subplots(figsize=(8, 4))
    y = np.arange(len(comm))[::-1]
    ax.errorbar(comm["result"], y, xerr=[comm["result"] - comm["ci_low"], comm["ci_high"] - comm["result"]],
                fmt="o", capsize=3, label=f"recomputed ({confidence:.0%} bootstrap CI)")
    ax.scatter(comm["paper"], y, marker="D", s=70, facecolors="none", edgecolors="black", zorder=3,
               label="paper 003, Table 3")
    ax.axvline(communality_required, color="#c44e52", ls="--", lw=1, label=f"requirement {communality_required:g}")
    ax.set_yticks(y, [m.replace("Communality: ", "") for m in comm["measure"]])
    ax.set_xlabel("communality")
    ax.set_title("Communalities of the nine variables")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig
