# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — Digital skills of corps-B civil servants: the survey of 200 (paper 000)
#
# Paper 000 surveyed 200 corps-"B" civil servants of central and regional state bodies. This notebook
# recomputes from the survey file:
#
# 1. the **four headline findings** of the abstract — digital competencies not required at hiring,
#    difficulties with government systems through lack of experience or inadequate training, no formal
#    digital training since hiring, and more barriers to training in the regions — with 95 % Wilson intervals;
# 2. **Table 2** (challenges met, by level of the state body), **Table 3** (responsibilities on digital
#    platforms by position), **Table 4** and **Figure 1** (the same by functional area), in the paper's layout:
#    rows are options, columns groups, cells the % of the group's respondents who chose the option (multi-select:
#    columns don't sum to 100 %);
# 3. the **central vs regional comparison** of difficulties, training received and barriers to training, with
#    chi-square tests (no continuity correction; Fisher's exact test when an expected count is under 5) and
#    Cramér's V;
# 4. optional **post-stratified** shares (weights to population shares by level and region).
#
# Every exported table passes **disclosure control**: counts of 1 … `min_cell_size`−1 are suppressed, with
# secondary suppression so that no hidden cell can be recovered from the totals (`civcomp.stats.disclosure`);
# the last section lists what was suppressed. The logic lives in `civcomp.stats`, `civcomp.stats.disclosure`
# and `civcomp.analyses.digital_survey` (unit-tested against R and SciPy); this notebook only calls them.

# %% tags=["parameters"]
data_source: str = "synthetic"  # synthetic | real (params/global.yaml)
seed: int = 20250412  # seed of the synthetic twin and of every bootstrap and resampling (params/global.yaml)
min_cell_size: int = 5  # disclosure control: smallest count exported in outputs/tables (params/global.yaml)
confidence: float = 0.95  # level of every Wilson confidence interval
label_language: str = "en"  # en | ru: option labels in the exported tables and the figure
min_expected: float = 5.0  # smallest expected count for the chi-square test; below it Fisher's exact test
fisher_resamples: int = 100000  # Monte-Carlo tables for Fisher's exact test on tables larger than 2 x 2
poststratify: bool = True  # also report shares weighted to population shares by level and region
population_level_shares: dict = {"central": 0.3, "regional": 0.7}  # ILLUSTRATIVE assumption: corps-B staff by level
population_region_weights: dict = {
    "abai": 4.5,
    "akmola": 6.0,
    "aktobe": 5.5,
    "almaty_region": 6.0,
    "atyrau": 4.0,
    "east_kazakhstan": 5.0,
    "jambyl": 5.5,
    "jetisu": 4.5,
    "karaganda": 6.0,
    "kostanay": 6.5,
    "kyzylorda": 4.5,
    "mangystau": 3.5,
    "north_kazakhstan": 5.0,
    "pavlodar": 5.0,
    "turkistan": 8.0,
    "ulytau": 2.0,
    "west_kazakhstan": 5.0,
    "astana_city": 4.5,
    "almaty_city": 6.0,
    "shymkent_city": 3.5,
}  # ILLUSTRATIVE assumption: relative size of the local civil service by region (params/synthetic/capacity_survey.yaml: regional.region_weights)

# %%
# One source of parameters: params/global.yaml and params/02_digital_survey.yaml, however this notebook is run
# (runner, JupyterLab, nbconvert); a value changed in the cell above is kept and named.
from civcomp.io.params import resolve

params = resolve("02_digital_survey", globals())


# %%
from IPython.display import Markdown, display

from civcomp.analyses import digital_survey
from civcomp.analyses import digital_survey_display as say
from civcomp.io import load
from civcomp.io.display import banner_markdown, headline_text, illustration_markdown, show_figure
from civcomp.io.outputs import write_results, write_table
from civcomp.plots import digital_survey as ds_plots
from civcomp.replication.claims import published_values

STEP = "02_digital_survey"
display(Markdown(banner_markdown(data_source, seed, step=STEP)))

# %% [markdown]
# Everything this notebook publishes comes from one call, `civcomp.analyses.digital_survey.results`; the views in
# the paper's layout and the sentences are written from its numbers by `civcomp.analyses.digital_survey_display`.

# %%
data = {name: load.load(name, source=data_source) for name in digital_survey.DATASETS}
pub = digital_survey.results(data, params)
published = published_values(STEP)  # the paper's values, from data/published/claims.yaml

# %% [markdown]
# ## 1. The four headline findings
# Shares are of all respondents who answered the item; intervals are Wilson score intervals. "Paper" is the
# value the abstract reports (from the claims ledger), "result" what this file gives. A count of 1 to
# `min_cell_size`−1 is withheld (`s`), and so is every share that would give one back: a share whose count,
# complement (answered without the finding) or unanswered respondents are that small.

# %%
display(say.headline_table(pub.values, published, confidence))
display(Markdown(say.narrate_headlines(pub.values, data_source)))

# %% [markdown]
# ## 2. Tables 2–4 and Figure 1, through disclosure control
# Each table is built from counts, suppressed (`min_cell_size` from `params/global.yaml`), and only then turned
# into percentages and exported; a suppressed cell shows as `s`. The paper prints only the titles of these
# tables and of Figure 1, none of their cells: on the synthetic twin every cell is one of the twin's assumptions
# (an illustration, labelled as such under each table and in the figure), on real data a result with nothing
# published to compare.

# %% [markdown]
# ### Table 2. Challenges in using digital platforms and information systems, % (by level of the state body)

# %%
display(Markdown(illustration_markdown(data_source, "Table 2")))
display(say.view(pub, "table2_challenges"))
display(Markdown(say.narrate_table(pub, "table2_challenges")))

# %% [markdown]
# ### Table 3. Functional responsibilities on digital platforms and e-government systems by position, %

# %%
display(Markdown(illustration_markdown(data_source, "Table 3")))
display(say.view(pub, "table3_responsibilities_by_position"))
display(Markdown(say.narrate_table(pub, "table3_responsibilities_by_position")))

# %% [markdown]
# ### Table 4 and Figure 1. Functional responsibilities by functional area, %

# %%
display(Markdown(illustration_markdown(data_source, "Table 4")))
display(say.view(pub, "table4_responsibilities_by_area"))
display(Markdown(say.narrate_table(pub, "table4_responsibilities_by_area")))

# %%
areas, area_labels = pub.parts["groups"]["functional_area"]
title = "Figure 1. Responsibilities on digital platforms by functional area, % (s = suppressed)"
fig = ds_plots.plot_heatmap(pub.tables["table4_responsibilities_by_area"], areas, area_labels, title=title)
show_figure(fig, STEP, "figure1_responsibilities_by_area", data_source)  # labelled an illustration on the twin
display(Markdown(illustration_markdown(data_source, "Figure 1")))

# %% [markdown]
# ## 3. Central vs regional bodies: difficulties, training received, barriers to training
# Chi-square without continuity correction (Cramér's V from the same statistic; `cramers_v_bc` is Bergsma's
# bias-corrected V); Fisher's exact test replaces the asymptotic p when an expected count is below
# `min_expected`. The number of barriers is compared with a two-sided Mann–Whitney test.

# %%
display(pub.tables["central_vs_regional_tests"].round(4))
for name in ("difficulty_by_level", "training_by_level", "barriers_by_level"):
    display(Markdown(f"**{name.replace('_', ' ')}**"))
    display(say.view(pub, name))
display(Markdown(say.narrate_comparison(pub.parts["comparisons"], data_source)))

# %% [markdown]
# ## 4. Post-stratified shares (optional)
# Respondents are weighted so that levels and, within local bodies, regions have their population shares
# (`population_level_shares`, `population_region_weights`: **illustrative assumptions** in `params/`, to be
# replaced by the Agency for Civil Service Affairs' headcounts). Intervals use Kish's effective sample size.
# Regions with fewer than `min_cell_size` respondents (none included) are pooled into one stratum; a stratum
# without respondents is dropped and the other targets renormalised; a level below `min_cell_size` leaves no
# weight safe to publish. What was pooled, dropped or withheld is said below the table and in the results file
# (`poststrat_*`); a weighted share is withheld (`s`) wherever the unweighted one is.

# %%
if poststratify:
    display(say.weighted_table(pub.values, confidence))
    display(Markdown(say.narrate_weighting(pub.values, min_cell_size)))

# %% [markdown]
# ## 5. Disclosure control: what was suppressed
# Every hidden cell of the exported tables: a count of 1 to `min_cell_size`−1, a cell hidden so that such a
# count can't be recovered from the row or column totals, or a whole group hidden because its size is. The
# list gives positions only, with one marker (`suppressed`): neither the value nor which of these reasons
# applies, since the reason alone narrows the hidden counts.

# %%
suppressed = pub.tables["suppressed_cells"]
display(suppressed if len(suppressed) else Markdown("No cell needed suppression."))
display(Markdown(say.narrate_suppression(pub, min_cell_size)))

# %%
for name, table in pub.tables.items():
    write_table(table, STEP, name, min_cell_size=min_cell_size)
write_results(STEP, pub.values, data_source, min_cell_size=min_cell_size)

# %%
# NBVAL_CHECK_OUTPUT
print(headline_text(pub.values, say.HEADLINE_KEYS))
