"""Figure of the crosswalk between paper 003's Table 1 frameworks and the 15 Kazakh competencies."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from civcomp.analyses.frameworks import SHORT_LABELS, competency_codes


def plot_crosswalk(matrix: pd.DataFrame):
    """Heatmap of :func:`crosswalk_matrix` (seaborn); returns the matplotlib figure."""

    _, labels = competency_codes()
    short = {c: SHORT_LABELS.get(c, labels[c]) for c in matrix.columns}
    top = max(1, int(matrix.to_numpy().max()))
    fig, ax = plt.subplots(figsize=(10, 4.2))
    sns.heatmap(
        matrix.rename(columns=short),
        annot=True,
        fmt="d",
        cmap="Blues",
        vmin=0,
        vmax=top,
        cbar_kws={"label": "Table 1 items mapped", "ticks": list(range(top + 1))},
        linewidths=0.5,
        linecolor="white",
        ax=ax,
    )
    ax.set_xlabel("Kazakh 360 competency (paper 003, Appendix A)")
    ax.set_ylabel("")
    ax.set_title("Foreign competency frameworks (paper 003, Table 1) mapped to the 15 Kazakh competencies")
    ax.tick_params(axis="x", labelrotation=45)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    fig.tight_layout()
    return fig
