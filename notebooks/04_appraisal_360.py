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

from civcomp.analyses import appraisal  # noqa: E402
from civcomp.analyses import appraisal_narrative as text  # noqa: E402
from civcomp.io.display import banner_markdown, headline_text, illustration_markdown, show_figure  # noqa: E402
from civcomp.io.load import load  # noqa: E402
from civcomp.io.outputs import write_results, write_table  # noqa: E402
from civcomp.plots import appraisal as ap_plots  # noqa: E402

STEP = "04_appraisal_360"
display(Markdown(banner_markdown(data_source, seed, step=STEP)))

# %% [markdown]
# ## Data
#
# Both datasets are loaded through `civcomp.io.load.load`, which validates them against their codebooks
# (every 360 row must belong to a capacity_survey respondent). Group attributes (position level,
# region) come from capacity_survey. One call, `appraisal.results`, computes everything below; every
# exported table is made publishable there (`civcomp.stats.linked_tables`: suppression of small counts and
# rater groups, also across linked tables, and the rounding rule for means).

# %%
data = {name: load(name, source=data_source) for name in ("capacity_survey", "appraisal_360")}
pub = appraisal.results(data, params)
display(Markdown(text.narrate_data(pub, params, len(data["capacity_survey"]))))

# %% [markdown]
# ## Overall self-rated competency (Q9) and the rating of civil-service reform
#
# Means with Student-t confidence intervals (`scipy.stats.t.interval`) over the analysed respondents. Both
# questions are in the capacity survey; the paper reports them with the appraisal's findings.

# %%
display(Markdown(text.narrate_ratings(pub, params)))

# %% [markdown]
# ## Mean scores per perspective (the paper's 7.59–7.87 range)

# %%
display(pub.tables["perspective_means"])
display(Markdown(text.narrate_perspectives(pub)))

# %% [markdown]
# ## Figure 5: the competency list
#
# Every figure is drawn from the published (suppressed, rounded) tables, so it shows nothing they do not.
#
# The 15 competencies ordered by their mean over all ratings, with the share of respondents who rated the
# competency below the threshold in at least one perspective. The paper prints Figures 5 and 6 as captions
# only: on the synthetic twin their cells are the twin's assumptions (an illustration, labelled as such), on
# real data results with nothing published to compare beyond the 7.59–7.87 range of the perspective means.

# %%
figures = ap_plots.published_figures(pub.tables, below_threshold, gap_threshold)
show_figure(figures["fig5_competency_list"], STEP, "fig5_competency_list", data_source)
display(Markdown(illustration_markdown(data_source, "Figure 5")))
display(Markdown(text.narrate_competencies(pub, params)))

# %% [markdown]
# ## Figure 6: competency × perspective

# %%
show_figure(figures["fig6_heatmap"], STEP, "fig6_heatmap", data_source)
display(Markdown(illustration_markdown(data_source, "Figure 6")))

# %% [markdown]
# ## Low ratings and "does not have"
#
# The paper: *about one of four respondents rated certain competencies as being at a low level (less than 5)*.
# The share below uses the paper's threshold of 5; `below_threshold` sets the threshold of the tables.

# %%
display(Markdown(text.narrate_low(pub)))

# %% [markdown]
# ## Position levels and the paper's two qualitative findings
#
# *Insufficient development of leadership skills at the executive level*; *managerial positions have the
# lowest scores for self-development*. Checked as: the competency with the lowest mean over all ratings
# given by the respondents of each position level, and its margin to the next-lowest competency.

# %%
show_figure(figures["dots_by_position_level"], STEP, "dots_by_position_level", data_source)
display(Markdown(text.narrate_weakest(pub, params)))

# %% [markdown]
# ## Self–other gaps: blind spots and hidden strengths
#
# Per respondent and competency, self minus the mean of the other perspectives. A competency is flagged as
# a *blind spot* when the mean gap exceeds `gap_threshold`, a *hidden strength* when it is below
# −`gap_threshold`; the shares are of respondents whose own gap crosses the threshold.

# %%
show_figure(figures["gaps"], STEP, "gaps", data_source)
display(Markdown(text.narrate_gaps(pub, params)))

# %% [markdown]
# ## Agreement between perspectives
#
# Pearson and Spearman correlations of the respondents' mean scores across perspectives, and intraclass
# correlations (`pingouin.intraclass_corr`; respondents as targets, perspectives as raters, complete
# cases) per competency and for the mean over competencies (`overall`).

# %%
for method, corr in pub.parts["correlations"].items():
    display(Markdown(f"**{method.capitalize()}**"), corr.round(3))
display(Markdown(text.narrate_agreement(pub, params)))

# %% [markdown]
# ## Results
#
# Every publishable table to `outputs/tables/04_appraisal_360__<name>.csv` (counts checked against
# `min_cell_size`), every value to `outputs/results/04_appraisal_360.json`.

# %%
for name, table in pub.tables.items():
    write_table(table, STEP, name, min_cell_size=min_cell_size)
write_results(STEP, pub.values, data_source)

# %%
# NBVAL_CHECK_OUTPUT
print(headline_text(pub.values, text.HEADLINE, published=True))
