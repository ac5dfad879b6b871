"""Figures of the digital-skills survey (paper 000, Figure 1 and Tables 3-4 as heatmaps)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns


def plot_heatmap(table: pd.DataFrame, groups: list[str], group_labels: dict[str, str] | None = None, title: str = ""):
    """Options × groups heatmap of the published percentages; suppressed cells hatched and marked ``s``."""

    body = table[(table["option"] != "respondents")]
    labels = body["label"] if "label" in body.columns else body["option"]
    mat = pd.DataFrame(
        {
            (group_labels or {}).get(g, g): pd.to_numeric(body[f"pct_{g}"], errors="coerce").astype(float).to_numpy()
            for g in groups
        },
        index=labels.to_numpy(),
    )
    fig, ax = plt.subplots(figsize=(1.05 * len(groups) + 4, 0.5 * len(mat) + 2))
    ax.set_facecolor("#f0f0f0")
    sns.heatmap(
        mat,
        mask=mat.isna(),
        annot=True,
        fmt=".0f",
        cmap="Blues",
        vmin=0,
        vmax=100,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": "% of the group's respondents"},
        ax=ax,
    )
    for i, j in zip(*np.where(mat.isna().to_numpy())):
        ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="///", edgecolor="#bbbbbb", lw=0))
        ax.text(j + 0.5, i + 0.5, "s", ha="center", va="center", fontsize=8, color="#666666")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title, fontsize=10)
    plt.setp(ax.get_xticklabels(), rotation=35, ha="right")
    return fig
