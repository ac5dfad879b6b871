# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 — The 360-degree competency appraisal (paper 003, Figures 5–6)
#
# Every respondent rated 15 competencies (Appendix A, Q10–Q13) for four perspectives — **self**, their
# **immediate supervisor**, the **head of their state body** and a **colleague** at the same level — on a
# 0–10 scale where 0 means *"I do not have this competency"*. The paper reports average scores from 7.59 to
# 7.87, about one respondent in four rating certain competencies below 5, weak leadership at the executive
# level, the lowest self-development scores for managerial positions, and an overall reform rating of 5.86.
#
# Definitions used throughout (all in `civcomp.analyses.appraisal`, parameters below):
# * a **0 is not a low score**: it is left out of means, medians, gaps and agreement statistics and
#   reported as its own share (`zero_policy`);
# * a **low rating** is a score from 1 to `below_threshold − 1`; a respondent "rates a competency below 5"
#   when any of their 60 ratings (4 perspectives × 15 competencies) is low;
# * the **self–other gap** is a respondent's self-rating minus the mean of their other available ratings of
#   the same competency. Here one respondent rates four *different* people, so the gap contrasts how
#   respondents see themselves with how they see others (not a classic multi-rater view of one ratee);
# * a **weakest competency** of a group is the one with the lowest mean over all its members' ratings.
#
# The analysed sample is the regional respondents, as in the paper.

# %% tags=["parameters"]
data_source: str = "synthetic"  # synthetic | real (params/global.yaml)
seed: int = 20250412  # seed of the synthetic twin and of every bootstrap and resampling (params/global.yaml)
min_cell_size: int = 5  # disclosure control: smallest count exported in outputs/tables (params/global.yaml)
analysed_level: str = "regional"  # capacity_survey level analysed (paper 003: the 10,629 regional respondents)
below_threshold: int = 5  # a rating 1..threshold-1 is "low" in exported tables (claim "less than 5": checked at 5)
gap_threshold: float = 1.0  # self - others beyond +-this many points flags a blind spot / hidden strength
min_group_size: int = 3  # rater groups smaller than this are suppressed in exported tables
zero_policy: str = "exclude"  # exclude | as_score: how a 0 ("I do not have this competency") enters means
confidence: float = 0.95  # level of the t-intervals for the overall competency and reform ratings

# %%
# One source of parameters: params/global.yaml and params/04_appraisal_360.yaml, however this notebook is run
# (runner, JupyterLab, nbconvert); a value changed in the cell above is kept and named.
from civcomp.io.params import resolve

params = resolve("04_appraisal_360", globals())


# %%
import matplotlib

matplotlib.use("Agg")
from IPython.display import Markdown, display  # noqa: E402

from civcomp.analyses import appraisal as ap  # noqa: E402
from civcomp.io import load as data  # noqa: E402
from civcomp.io.display import banner_markdown, headline_text, show_figure  # noqa: E402
from civcomp.io.outputs import write_results, write_table  # noqa: E402
from civcomp.plots import appraisal as ap_plots  # noqa: E402
from civcomp.stats.estimates import mean_ci  # noqa: E402

STEP = "04_appraisal_360"
display(Markdown(banner_markdown(data_source, seed)))

# %% [markdown]
# ## Data
#
# Both datasets are loaded through `civcomp.io.load.load`, which validates them against their codebooks
# (every 360 row must belong to a capacity_survey respondent). Group attributes (position level,
# region) come from capacity_survey.

# %%
capacity = data.load("capacity_survey", source=data_source)
ratings = data.load("appraisal_360", source=data_source)
sample = capacity[capacity["level"].astype(str) == analysed_level]
long = ap.prepare(ratings[ratings["respondent_id"].isin(sample["respondent_id"])], sample, zero_policy=zero_policy)
n_resp = long["respondent_id"].nunique()
display(
    Markdown(
        f"{len(capacity):,} respondents in capacity_survey, {len(sample):,} at level *{analysed_level}*; "
        f"{n_resp:,} of them have 360 ratings ({len(long):,} rating rows). "
        f"{long['is_zero'].mean():.2%} of the ratings are 0 (*does not have*), "
        f"{long['score'].isna().mean():.2%} are missing."
    )
)


def export(table, name, keys, lines=(), group=None):
    """Publishable version (`ap.publishable`: suppression, rounding rule) -> outputs/tables/04_appraisal_360__<name>.csv."""
    safe = ap.publishable(table, keys, min_cell_size, min_group_size, lines=lines, group=group)
    write_table(safe, STEP, name, min_cell_size=min_cell_size)
    return safe


def export_summary(summary_table, distribution_table, name, keys, group=None):
    """A summary and its linked score distribution, published together (`ap.publishable_summary`)."""
    s_safe, d_safe = ap.publishable_summary(
        summary_table, distribution_table, keys, min_cell_size, min_group_size, group=group
    )
    write_table(s_safe, STEP, f"summary_{name}", min_cell_size=min_cell_size)
    if d_safe is not None:
        write_table(d_safe, STEP, f"distribution_{name}", min_cell_size=min_cell_size)
    return s_safe, d_safe


# %% [markdown]
# ## Overall self-rated competency (Q9) and the rating of civil-service reform
#
# Means with Student-t confidence intervals (`scipy.stats.t.interval`) over the analysed respondents.

# %%
q9 = mean_ci(sample["overall_competency"], confidence)
reform = mean_ci(sample["reform_rating"], confidence)
display(
    Markdown(
        f"* Overall level of own competencies (Q9, 1–10): mean **{q9['mean']:.2f}** "
        f"({confidence:.0%} CI {q9['ci_low']:.2f}–{q9['ci_high']:.2f}, n = {q9['n']:,}).\n"
        f"* Current level of civil-service reform (1–10): mean **{reform['mean']:.2f}** "
        f"({confidence:.0%} CI {reform['ci_low']:.2f}–{reform['ci_high']:.2f}, n = {reform['n']:,})."
    )
)

# %% [markdown]
# ## Mean scores per perspective (the paper's 7.59–7.87 range)

# %%
pm = ap.perspective_means(long)
export(pm, "perspective_means", ["perspective"])
pm_by_pos = export(
    ap.perspective_means(long, by="position_level"),
    "perspective_means_by_position_level",
    ["position_level", "perspective"],
    group="position_level",
)
means = pm.set_index("perspective")["mean"]
display(pm.round(3))
display(
    Markdown(
        f"Mean scores per perspective range from **{means.min():.2f}** (*{means.idxmin()}*) to "
        f"**{means.max():.2f}** (*{means.idxmax()}*); the self-rating is "
        f"{'the highest' if means.idxmax() == 'self' else 'not the highest'} of the four."
    )
)

# %% [markdown]
# ## Figure 5: the competency list
#
# The 15 competencies ordered by their mean over all ratings, with the share of respondents who rated the
# competency below the threshold in at least one perspective.

# %%
overall_rank = ap.competency_ranking(long)
below_comp = ap.share_below_by_competency(long, threshold=below_threshold)
export(overall_rank, "competency_ranking", ["competency", "rank", "is_weakest"])
export(below_comp, "share_below_by_competency", ["competency"])
export(
    ap.share_below_by_competency(long, threshold=below_threshold, split_perspective=True),
    "share_below_by_perspective_competency",
    ["perspective", "competency"],
)
fig = ap_plots.plot_competency_list(overall_rank, below_comp, below_threshold)
show_figure(fig, STEP, "fig5_competency_list", data_source)
top, bottom = overall_rank.iloc[0], overall_rank.iloc[-1]
display(
    Markdown(
        f"Highest-rated competency: **{top['competency']}** ({top['mean']:.2f}); lowest: "
        f"**{bottom['competency']}** ({bottom['mean']:.2f}). The competency most often rated below "
        f"{below_threshold} is **{below_comp.loc[below_comp['share_below'].idxmax(), 'competency']}** "
        f"({below_comp['share_below'].max():.1%} of respondents)."
    )
)

# %% [markdown]
# ## Figure 6: competency × perspective

# %%
summ = ap.summary(long)
s_safe, d_safe = ap.publishable_summary(
    summ, ap.distribution(long), ["perspective", "competency"], min_cell_size, min_group_size
)
write_table(s_safe, STEP, "summary_perspective_competency", min_cell_size=min_cell_size)
write_table(d_safe, STEP, "distribution", min_cell_size=min_cell_size)
export_summary(
    ap.summary(long, by="position_level"),
    ap.distribution(long, by="position_level"),
    "by_position_level",
    ["position_level", "perspective", "competency"],
    group="position_level",
)
export_summary(
    ap.summary(long, by="region"), None, "by_region", ["region", "perspective", "competency"], group="region"
)
fig = ap_plots.plot_heatmap(summ)
show_figure(fig, STEP, "fig6_heatmap", data_source)

# %% [markdown]
# ## Low ratings and "does not have"
#
# The paper: *about one of four respondents rated certain competencies as being at a low level (less than 5)*.
# The share below uses the paper's threshold of 5; `below_threshold` sets the threshold of the tables.

# %%
paper_low = ap.share_below(long, threshold=5).iloc[0]
low = ap.share_below(long, threshold=below_threshold).iloc[0]
self_low = ap.share_below(long, threshold=below_threshold, perspectives=["self"]).iloc[0]
export(ap.share_below(long, threshold=below_threshold).assign(group="all"), "share_below", ["group"])
export(
    ap.share_below(long, threshold=below_threshold, by="position_level"),
    "share_below_by_position_level",
    ["position_level"],
    group="position_level",
)
export(
    ap.share_below(long, threshold=below_threshold, by="region"), "share_below_by_region", ["region"], group="region"
)
display(
    Markdown(
        f"**{paper_low['share_any_below']:.1%}** of the {int(paper_low['n']):,} respondents "
        f"({int(paper_low['n_any_below']):,}) gave at least one rating below 5 (about one in "
        f"{1 / paper_low['share_any_below']:.1f}); counting self-ratings only, "
        f"{self_low['share_any_below']:.1%}. Separately, {low['share_any_zero']:.1%} of respondents answered "
        f"*I do not have this competency* (0) at least once."
    )
)

# %% [markdown]
# ## Position levels and the paper's two qualitative findings
#
# *Insufficient development of leadership skills at the executive level*; *managerial positions have the
# lowest scores for self-development*. Checked as: the competency with the lowest mean over all ratings
# given by the respondents of each position level, and its margin to the next-lowest competency.

# %%
rank_pos = ap.competency_ranking(long, by="position_level")
export(
    rank_pos,
    "competency_ranking_by_position_level",
    ["position_level", "competency", "rank", "is_weakest"],
    group="position_level",
)
export(
    ap.competency_ranking(long, by="region"),
    "competency_ranking_by_region",
    ["region", "competency", "rank", "is_weakest"],
    group="region",
)
weak = {lvl: ap.weakest_competency(long, "position_level", lvl) for lvl in ("executive", "managerial")}
weak_self = {
    lvl: ap.weakest_competency(long, "position_level", lvl, perspective="self") for lvl in ("executive", "managerial")
}
fig = ap_plots.plot_dots_by_group(rank_pos, "position_level")
show_figure(fig, STEP, "dots_by_position_level", data_source)
lines = []
for lvl, w in weak.items():
    lines.append(
        f"* **{lvl}**: weakest competency **{w['competency']}** (mean {w['mean']:.2f}), "
        f"{w['margin']:.2f} points below the next ({w['runner_up']}, {w['runner_up_mean']:.2f}); "
        f"in self-ratings alone: {weak_self[lvl]['competency']}."
    )
leadership_exec = weak["executive"]["competency"] == "leadership"
selfdev_man = weak["managerial"]["competency"] == "self_development"
lines.append(
    f"* Leadership is the weakest competency at executive level: **{leadership_exec}**. "
    f"Self-development is the weakest for managers: **{selfdev_man}**."
)
display(Markdown("\n".join(lines)))

# %% [markdown]
# ## Self–other gaps: blind spots and hidden strengths
#
# Per respondent and competency, self minus the mean of the other perspectives. A competency is flagged as
# a *blind spot* when the mean gap exceeds `gap_threshold`, a *hidden strength* when it is below
# −`gap_threshold`; the shares are of respondents whose own gap crosses the threshold.

# %%
gaps = ap.gap_summary(long, threshold=gap_threshold)
export(gaps, "gaps", ["competency", "flag"])
export(
    ap.gap_summary(long, threshold=gap_threshold, by="position_level"),
    "gaps_by_position_level",
    ["position_level", "competency", "flag"],
    group="position_level",
)
fig = ap_plots.plot_gaps(gaps, gap_threshold)
show_figure(fig, STEP, "gaps", data_source)
flags = gaps["flag"].value_counts()
display(
    Markdown(
        f"Mean self–other gap over the competencies ranges from {gaps['mean_gap'].min():+.2f} to "
        f"{gaps['mean_gap'].max():+.2f} points; {flags.get('blind_spot', 0)} competencies are flagged as blind "
        f"spots and {flags.get('hidden_strength', 0)} as hidden strengths at ±{gap_threshold:g}. At the "
        f"respondent level, {gaps['share_blind_spot'].mean():.1%} of self-ratings exceed the others by more than "
        f"{gap_threshold:g} {'point' if gap_threshold == 1 else 'points'} and "
        f"{gaps['share_hidden_strength'].mean():.1%} fall short by as much (averages over competencies)."
    )
)

# %% [markdown]
# ## Agreement between perspectives
#
# Pearson and Spearman correlations of the respondents' mean scores across perspectives, and intraclass
# correlations (`pingouin.intraclass_corr`; respondents as targets, perspectives as raters, complete
# cases) per competency and for the mean over competencies (`overall`).

# %%
corr = {m: ap.perspective_correlations(long, m) for m in ("pearson", "spearman")}
for m, c in corr.items():
    write_table(c.rename_axis("perspective").reset_index(), STEP, f"correlations_{m}")
    display(Markdown(f"**{m.capitalize()}**"), c.round(3))
icc = ap.perspective_icc(long)
export(icc, "icc", ["competency", "type"])
icc_c1 = icc[icc["type"] == "ICC(C,1)"].set_index("competency")["icc"]
display(
    Markdown(
        f"Single-rating consistency ICC(C,1) per competency: {icc_c1.drop('overall').min():.2f}–"
        f"{icc_c1.drop('overall').max():.2f}; for the mean over competencies {icc_c1['overall']:.2f}. "
        f"Mean off-diagonal Pearson correlation: "
        f"{corr['pearson'].where(~corr['pearson'].eq(1)).stack().mean():.2f}."
    )
)

# %% [markdown]
# ## Results

# %%
results = {
    "n_respondents": n_resp,
    **{f"perspective_mean_{p}": float(means[p]) for p in ap.PERSPECTIVES},
    "perspective_mean_min": float(means.min()),
    "perspective_mean_max": float(means.max()),
    "perspective_mean_min_perspective": str(means.idxmin()),
    "perspective_mean_max_perspective": str(means.idxmax()),
    "share_any_below_5": float(paper_low["share_any_below"]),
    "n_any_below_5": int(paper_low["n_any_below"]),
    "below_threshold": below_threshold,
    "share_any_below_threshold": float(low["share_any_below"]),
    "share_any_below_self_only": float(self_low["share_any_below"]),
    "share_any_zero": float(low["share_any_zero"]),
    "share_zero_ratings": float(long["is_zero"].mean()),
    "reform_rating_mean": reform["mean"],
    "reform_rating_ci_low": reform["ci_low"],
    "reform_rating_ci_high": reform["ci_high"],
    "reform_rating_n": reform["n"],
    "overall_competency_mean": q9["mean"],
    "overall_competency_ci_low": q9["ci_low"],
    "overall_competency_ci_high": q9["ci_high"],
    "strongest_competency": str(top["competency"]),
    "weakest_competency": str(bottom["competency"]),
    "weakest_competency_executive": weak["executive"]["competency"],
    "weakest_competency_executive_margin": weak["executive"]["margin"],
    "weakest_competency_managerial": weak["managerial"]["competency"],
    "weakest_competency_managerial_margin": weak["managerial"]["margin"],
    "leadership_weakest_executive": bool(leadership_exec),
    "self_development_weakest_managerial": bool(selfdev_man),
    "gap_mean_min": float(gaps["mean_gap"].min()),
    "gap_mean_max": float(gaps["mean_gap"].max()),
    "n_blind_spot_competencies": int(flags.get("blind_spot", 0)),
    "n_hidden_strength_competencies": int(flags.get("hidden_strength", 0)),
    "icc_c1_overall": float(icc_c1["overall"]),
    "icc_c1_min": float(icc_c1.drop("overall").min()),
    "icc_c1_max": float(icc_c1.drop("overall").max()),
}
write_results(STEP, results, data_source)

# %%
# NBVAL_CHECK_OUTPUT
print(
    headline_text(
        results,
        [
            "n_respondents",
            "perspective_mean_self",
            "perspective_mean_supervisor",
            "perspective_mean_head",
            "perspective_mean_colleague",
            "perspective_mean_min",
            "perspective_mean_max",
            "share_any_below_5",
            "reform_rating_mean",
            "reform_rating_ci_low",
            "reform_rating_ci_high",
            "overall_competency_mean",
            "weakest_competency_executive",
            "weakest_competency_managerial",
            "leadership_weakest_executive",
            "self_development_weakest_managerial",
        ],
        digits=3,
    )
)
