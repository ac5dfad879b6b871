"""Figures of the 360-degree appraisal (paper 003, Figures 5-6 and the extra views of notebook 04)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from civcomp.analyses.appraisal import PERSPECTIVES, competencies, competency_labels
from civcomp.io.display import as_printed

# --------------------------------------------------------------------------- figures
_PERSPECTIVE_LABELS = {
    "self": "Self",
    "supervisor": "Supervisor",
    "head": "Head of\nstate body",
    "colleague": "Colleague",
}


def plot_competency_list(ranking: pd.DataFrame, below: pd.DataFrame | None = None, threshold: float = 5):
    """Figure 5 style: the 15 competencies ordered by mean score (all perspectives pooled).

    ``ranking`` from :func:`competency_ranking` (no ``by``); ``below`` from
    :func:`share_below_by_competency` adds a second panel with the share of respondents rating
    the competency below ``threshold``.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": "self",
    ...                   "competency": ["leadership", "integrity"], "score": [5, 9]})
    >>> from civcomp.analyses.appraisal import competency_ranking, prepare
    >>> fig = plot_competency_list(competency_ranking(prepare(r)))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Leadership', 'Integrity']
    """

    lab = competency_labels()
    r = ranking.sort_values("mean")
    ncols = 1 if below is None else 2
    fig, axes = plt.subplots(1, ncols, figsize=(5.2 * ncols, 5.2), sharey=True, squeeze=False)
    ax = axes[0, 0]
    y = np.arange(len(r))
    ax.barh(y, r["mean"], color="#4C72B0")
    ax.set_yticks(y, [lab[str(c)] for c in r["competency"]])
    lo = float(np.floor(r["mean"].min() * 2) / 2 - 0.5)
    ax.set_xlim(lo, float(np.ceil(r["mean"].max() * 2) / 2 + 0.25))
    for yi, m in zip(y, r["mean"]):
        ax.text(m + 0.02, yi, f"{m:.2f}", va="center", fontsize=7)
    ax.set_xlabel("Mean score (1-10; 0 'does not have' excluded)")
    ax.set_title("Competencies: mean of all 360-degree ratings")
    if below is not None:
        b = below.set_index("competency").reindex(r["competency"])
        axes[0, 1].barh(y, 100 * b["share_below"].to_numpy(dtype=float), color="#C44E52")
        axes[0, 1].set_xlabel(f"% of respondents with a rating below {threshold:g}")
        axes[0, 1].set_title("Low ratings")
    fig.tight_layout()
    return fig


def plot_heatmap(summary_table: pd.DataFrame, value: str = "mean"):
    """Figure 6 style: competency x perspective heatmap of ``value`` from :func:`summary` (no ``by``)."""

    lab = competency_labels()
    m = summary_table.pivot(index="competency", columns="perspective", values=value)
    m = m.reindex(index=[c for c in competencies() if c in m.index], columns=list(PERSPECTIVES)).astype(float)
    v = m.to_numpy()
    fig, ax = plt.subplots(figsize=(7.2, 6.2))
    span = float(np.nanmax(np.abs(v - np.nanmean(v)))) or 1.0
    im = ax.imshow(v, cmap="RdYlGn", vmin=np.nanmean(v) - span, vmax=np.nanmean(v) + span, aspect="auto")
    for (i, j), x in np.ndenumerate(v):
        if np.isfinite(x):
            ax.text(j, i, f"{x:.2f}", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(v.shape[1]), [_PERSPECTIVE_LABELS[p] for p in m.columns], fontsize=8)
    ax.set_yticks(range(v.shape[0]), [lab[c] for c in m.index])
    ax.tick_params(length=0)
    fig.colorbar(im, ax=ax, label=f"{value} score")
    ax.set_title("360-degree appraisal: competency x perspective")
    fig.tight_layout()
    return fig


def plot_dots_by_group(ranking: pd.DataFrame, group: str):
    """Dot plot: mean per competency for each level of ``group`` (ranking from
    :func:`competency_ranking` with ``by=group``); each group's weakest competency is ringed."""

    lab = competency_labels()
    order = ranking.groupby("competency", observed=True)["mean"].mean().sort_values().index.astype(str).tolist()
    y = {c: i for i, c in enumerate(order)}
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    markers = ["o", "s", "D", "^", "v"]
    for k, (g, d) in enumerate(ranking.groupby(group, observed=True, sort=True)):
        ys = [y[str(c)] for c in d["competency"]]
        ax.scatter(d["mean"], ys, marker=markers[k % len(markers)], label=str(g), zorder=3)
        weak = d[d["is_weakest"]]
        ax.scatter(
            weak["mean"],
            [y[str(c)] for c in weak["competency"]],
            s=180,
            facecolors="none",
            edgecolors="black",
            zorder=2,
        )
    ax.set_yticks(range(len(order)), [lab[c] for c in order])
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.set_xlabel("Mean score, all perspectives (ringed: the group's weakest competency)")
    ax.legend(title=group.replace("_", " "), loc="lower right", fontsize=8)
    ax.set_title(f"Competency profile by {group.replace('_', ' ')}")
    fig.tight_layout()
    return fig


def plot_gaps(gaps: pd.DataFrame, threshold: float = 1.0):
    """Self-other gap chart from :func:`gap_summary` (no ``by``): mean gap per competency and the
    shares of respondents with a blind spot (gap > threshold) or a hidden strength (gap < -threshold)."""

    lab = competency_labels()
    g = gaps.sort_values("mean_gap")
    y = np.arange(len(g))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 5.2), sharey=True)
    colors = np.where(g["mean_gap"] > threshold, "#C44E52", np.where(g["mean_gap"] < -threshold, "#55A868", "#8C8C8C"))
    shown = g["mean_gap"].notna().to_numpy()  # a suppressed cell draws no bar (a NaN bar still writes a path)
    a1.barh(y[shown], g["mean_gap"][shown], color=colors[shown])
    for t in (-threshold, threshold):
        a1.axvline(t, ls="--", lw=0.8, color="black")
    a1.axvline(0, lw=0.8, color="black")
    a1.set_yticks(y, [lab[str(c)] for c in g["competency"]])
    a1.set_xlabel("Mean gap: self - mean of others (points)")
    hidden = (
        " (blank: suppressed)"
        if g[["mean_gap", "share_blind_spot", "share_hidden_strength"]].isna().any().any()
        else ""
    )
    a1.set_title("Self-other gap (dashed: flag threshold)" + hidden)
    for col, dy, color, label in (
        ("share_blind_spot", -0.2, "#C44E52", "blind spot (over-rating)"),
        ("share_hidden_strength", 0.2, "#55A868", "hidden strength (under-rating)"),
    ):
        ok = g[col].notna().to_numpy()
        a2.barh(y[ok] + dy, 100 * g[col][ok], height=0.4, color=color, label=label)
    a2.set_xlabel(f"% of respondents with |gap| > {threshold:g}")
    a2.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    a2.set_title("Respondent-level flags")
    fig.tight_layout()
    return fig


_FIGURE_TABLES = (
    "competency_ranking",
    "share_below_by_competency",
    "summary_perspective_competency",
    "competency_ranking_by_position_level",
    "gaps",
)


def published_figures(tables: dict[str, pd.DataFrame], below_threshold: float, gap_threshold: float) -> dict:
    """Notebook 04's figures, each drawn from the published (suppressed, rounded) tables only.

    A figure written from the unrounded frames would carry what the tables hide: an SVG stores a
    marker's position to six decimals, and a mean to six decimals pins the counts behind it. Each table
    is read back as its CSV prints it (:func:`civcomp.io.display.as_printed`), so a bar is no longer
    than the printed share says.
    ``tables`` is :attr:`civcomp.analyses.published.Published.tables` of
    :func:`civcomp.analyses.appraisal.results`; returns figure name -> Figure.
    """
    t = {name: as_printed(tables[name]) for name in _FIGURE_TABLES}
    return {
        "fig5_competency_list": plot_competency_list(
            t["competency_ranking"], t["share_below_by_competency"], below_threshold
        ),
        "fig6_heatmap": plot_heatmap(t["summary_perspective_competency"]),
        "dots_by_position_level": plot_dots_by_group(t["competency_ranking_by_position_level"], "position_level"),
        "gaps": plot_gaps(t["gaps"], gap_threshold),
    }
