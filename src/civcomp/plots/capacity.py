"""Figures of the innovative-capacity survey (paper 003, notebook 03): age, Figure 3, correlations, scree,
communalities, the fitted path diagram of Figure 4.

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

from civcomp.io.display import as_printed, n_text


def _hidden_marks(ax, positions, horizontal: bool = False) -> None:
    """Mark suppressed bars with a hatched stub and ``s``: no height, so nothing of the hidden count is drawn."""
    for p in positions:
        if horizontal:
            ax.barh(p, 0.02, color="none", hatch="///", edgecolor="#bbbbbb", lw=0)
            ax.text(0.025, p, "s (suppressed)", va="center", fontsize=8, color="#666666")
        else:
            ax.bar(p, 0.02, color="none", hatch="///", edgecolor="#bbbbbb", lw=0)
            ax.text(p, 0.025, "s", ha="center", va="bottom", fontsize=8, color="#666666")


def plot_age_distribution(ages: pd.DataFrame, analysed_level: str, median_age: float | None):
    """Share of respondents per age group (``not stated`` included), drawn from the exported table: a suppressed
    group is a hatched stub marked ``s``; the median in the title only when it is published."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    share = pd.to_numeric(ages["share"], errors="coerce").astype(float)
    x = np.arange(len(ages))
    ax.bar(x[share.notna().to_numpy()], share[share.notna()], color="#4c72b0")
    _hidden_marks(ax, x[share.isna().to_numpy()])
    ax.set_xticks(x, [str(g).replace(" ", "\n") for g in ages["age_group"]])  # "not\nstated": no overlap
    ax.set_ylabel("share of respondents")
    ax.set_xlabel("age group (years)")
    med = "median withheld: too few respondents share it" if median_age is None else f"median {median_age:g}"
    ax.set_title(f"Age of the {analysed_level} respondents ({med})")
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    return fig


def plot_reasons(reasons: pd.DataFrame, analysed_level: str):
    """Figure 3: reasons for choosing the civil service, Wilson CIs, the paper's shares as diamonds; drawn from
    the exported table (a suppressed share is a hatched stub marked ``s``)."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    y = np.arange(len(reasons))[::-1]
    share, lo, hi = (pd.to_numeric(reasons[c], errors="coerce").astype(float) for c in ("share", "ci_low", "ci_high"))
    shown = share.notna().to_numpy()
    err = np.clip(np.vstack([(share - lo)[shown], (hi - share)[shown]]), 0, None)  # CIs printed coarser than shares
    ax.barh(y[shown], share[shown], xerr=err, color="#55a868", capsize=3, label="recomputed (95% CI)")
    _hidden_marks(ax, y[~shown], horizontal=True)
    ax.scatter(
        pd.to_numeric(reasons["paper"], errors="coerce").astype(float),
        y,
        marker="D",
        s=60,
        facecolors="none",
        edgecolors="black",
        zorder=3,
        label="paper 003, Figure 3",
    )
    ax.set_yticks(y, reasons["label"])
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    n_valid = reasons.attrs.get("n_valid")
    base = "n suppressed" if n_valid is None else f"n = {n_valid:,}"
    ax.set_xlabel(f"share of {analysed_level} respondents who gave a reason ({base})")
    ax.set_title("Figure 3: Reasons to choose the civil service")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_correlations(correlation: pd.DataFrame, n: int | None, label: dict[str, str]):
    """Heatmap of the items' Pearson correlations."""
    fig, ax = plt.subplots(figsize=(7.5, 6))
    corr = correlation.rename(index=label, columns=label)
    sns.heatmap(corr, annot=True, fmt=".2f", vmin=0, vmax=1, cmap="Blues", square=True, cbar_kws={"shrink": 0.7}, ax=ax)
    ax.set_title(f"Pearson correlations of the nine variables (N {n_text(n)})")
    return fig


def plot_scree(ve: pd.DataFrame, parallel_percentile: float, parallel_iterations: int):
    """Scree plot with the parallel-analysis threshold and Kaiser's line, drawn from the ``eigenvalues`` table
    as its CSV prints it."""
    ve = as_printed(ve)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(ve["component"], ve["eigenvalue"], "o-", label="observed eigenvalues")
    ax.plot(
        ve["component"],
        ve["parallel_threshold"],
        "s--",
        color="#c44e52",
        label=f"parallel analysis, {parallel_percentile:g}th percentile ({parallel_iterations} resamples)",
    )
    ax.axhline(1, color="grey", lw=0.8, ls=":", label="Kaiser criterion (eigenvalue 1)")
    ax.set_xlabel("component")
    ax.set_ylabel("eigenvalue")
    ax.set_xticks(ve["component"])
    ax.set_title("Scree plot")
    ax.legend(fontsize=8)
    return fig


def plot_communalities(comm: pd.DataFrame, confidence: float, communality_required: float):
    """Each communality with its bootstrap CI against the paper's value and the requirement, drawn as the
    ``table3_adequacy`` rows print them."""
    comm = as_printed(comm)
    fig, ax = plt.subplots(figsize=(8, 4))
    y = np.arange(len(comm))[::-1]
    ax.errorbar(
        comm["result"],
        y,
        # on a small file the percentile bootstrap interval need not hold the estimate: no negative whisker
        xerr=np.clip([comm["result"] - comm["ci_low"], comm["ci_high"] - comm["result"]], 0, None),
        fmt="o",
        capsize=3,
        label=f"recomputed ({confidence:.0%} bootstrap CI)",
    )
    ax.scatter(
        comm["paper"], y, marker="D", s=70, facecolors="none", edgecolors="black", zorder=3, label="paper 003, Table 3"
    )
    ax.axvline(communality_required, color="#c44e52", ls="--", lw=1, label=f"requirement {communality_required:g}")
    ax.set_yticks(y, [m.replace("Communality: ", "") for m in comm["measure"]])
    ax.set_xlabel("communality")
    ax.set_title("Communalities of the nine variables")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def plot_path_diagram(paths: pd.DataFrame, outcome_label: str, r2: float, n: int | None, confidence: float = 0.95):
    """The compendium's fitted path diagram of Figure 4's variables: each determinant → innovative capacity.

    The paper's Figure 4 is a conceptual diagram without numbers (an external figure of the ledger); this is
    the compendium's own structural model of its variables, standardized coefficients.

    ``paths`` is :func:`civcomp.analyses.capacity_structural.path_table` (``label``, ``beta``, ``ci_low``,
    ``ci_high``, ``rank``, ``strong``), drawn as its CSV prints it; ``r2`` the outcome's R² (its ``outcome_r2``). Arrow width grows with |β|; determinants the stated rule calls
    "strong" are drawn in colour, negative paths dashed; the outcome box carries R².

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["A", "B"], "beta": [0.4, 0.1], "ci_low": [0.35, 0.05],
    ...                   "ci_high": [0.45, 0.15], "rank": [1, 2], "strong": [True, False]})
    >>> fig = plot_path_diagram(t, "Innovative capacity", 0.3, 100)
    >>> sum(t.get_text().startswith("β = ") for t in fig.axes[0].texts)   # one label per path
    2
    >>> fig.axes[0].get_title().startswith("The compendium's structural model, not the paper's Figure 4")
    True
    """
    paths = as_printed(paths)
    k = len(paths)
    fig, ax = plt.subplots(figsize=(9, max(4.0, 0.62 * k + 1.2)))
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.8, k - 0.2)
    ax.axis("off")
    ys = np.arange(k)[::-1].astype(float)
    y_out = (k - 1) / 2
    box = dict(boxstyle="round,pad=0.35", lw=1)
    beta_max = max(float(paths["beta"].abs().max()), 1e-9)
    for y, (_, r) in zip(ys, paths.iterrows()):
        color = "#4c72b0" if r["strong"] else "#8c8c8c"
        ax.text(
            1.4,
            y,
            r["label"],
            ha="center",
            va="center",
            fontsize=9,
            bbox={**box, "fc": "#eaf0f8" if r["strong"] else "white", "ec": color},
        )
        ax.text(
            2.75,
            y,
            f"β = {r['beta']:+.2f} [{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]",
            fontsize=8,
            color=color,
            va="center",
            ha="left",
        )
        ax.annotate(
            "",
            xy=(7.1, y_out),
            xytext=(5.35, y),
            arrowprops=dict(
                arrowstyle="-|>",
                color=color,
                lw=0.6 + 4.0 * abs(r["beta"]) / beta_max,
                shrinkA=0,
                shrinkB=8,
                linestyle="-" if r["beta"] >= 0 else "--",
            ),
        )
    ax.text(
        8.45,
        y_out,
        f"{outcome_label}\nR² = {r2:.2f}",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        bbox={**box, "fc": "#fdf1e6", "ec": "#dd8452", "lw": 1.5},
    )
    ax.set_title(
        "The compendium's structural model, not the paper's Figure 4 (a diagram without numbers)\n"
        f"standardized paths ({confidence:.0%} CI), N {n_text(n)}; coloured = strong by the stated rule, dashed = negative",
        fontsize=10,
    )
    return fig
