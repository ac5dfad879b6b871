"""Figures of the reproduction report (notebook 05): paper 003's Figure 2 redrawn from its printed numbers.

Figure 2 ("Appointment of reservists of the Presidential personnel reserve") shows administrative
figures of the Agency for Civil Service Affairs that the text quotes (line 153): 350 people selected,
263 of them employed. No dataset of the study holds them, so the figure is redrawn from the two
published numbers (read from the claims ledger by the caller, never typed) and labelled as such.

Examples
--------
>>> fig = plot_talent_pool(350, 263)
>>> [round(b.get_width()) for b in fig.axes[0].patches]
[350, 263]
"""

from __future__ import annotations

import matplotlib.pyplot as plt


def plot_talent_pool(
    selected: int, employed: int, source: str = "Agency for Civil Service Affairs, as quoted in paper 003 (line 153)"
):
    """Horizontal bars: reservists selected and those currently employed, with the employed share."""
    fig, ax = plt.subplots(figsize=(7, 2.4))
    labels = ["selected to the\nYouth Talent Pool", "currently employed by\ncentral and local authorities"]
    bars = ax.barh(labels, [selected, employed], color=["#9fb3c8", "#2f5d8a"])
    ax.invert_yaxis()
    for b, v in zip(bars, [selected, employed]):
        ax.text(b.get_width() + selected * 0.01, b.get_y() + b.get_height() / 2, f"{v:,}", va="center", fontsize=9)
    ax.set_xlim(0, selected * 1.15)
    ax.set_xlabel("people")
    share = employed / selected
    ax.set_title(
        f"Figure 2 (paper 003), redrawn: appointment of reservists — {employed} of {selected} employed ({share:.0%})",
        fontsize=10,
    )
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(
        0.01, 0.01, f"Source: {source}. External figure: not recomputed from study data.", fontsize=7, color="#555555"
    )
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig
