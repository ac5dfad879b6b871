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
import pandas as pd
from IPython.display import Markdown, display

from civcomp.analyses import digital_survey as ds
from civcomp.io import load as data
from civcomp.io.codebook import load_codebook
from civcomp.io.display import banner_markdown, headline_text, show_figure
from civcomp.io.outputs import write_results, write_table
from civcomp.pipeline.claims import published_values
from civcomp.plots import digital_survey as ds_plots

STEP = "02_digital_survey"
display(Markdown(banner_markdown(data_source, seed)))


# %%
survey = data.load("digital_survey", source=data_source)
codebook = load_codebook("digital_survey")
published = published_values(STEP)  # the paper's values, from data/published/claims.yaml
alpha = 1 - confidence
group_labels = {
    field: {c: codebook.label(field, c, label_language) for c in codebook.categories(field)}
    for field in ("level", "position", "functional_area")
}
results = {}

# %% [markdown]
# ## 1. The four headline findings
# Shares are of all respondents who answered the item; intervals are Wilson score intervals. "Paper" is the
# value the abstract reports (from the claims ledger), "result" what this file gives.

# %%
h = ds.publishable_headlines(ds.headlines(survey, alpha=alpha), min_cell_size)  # small level groups withheld
results.update(h)
rows = []
for key, what in [
    ("not_required_at_hiring", "Digital competencies not required at hiring"),
    ("difficulty_experience_or_training", "Difficulties: lack of experience or inadequate training"),
    ("never_trained", "Never received formal digital training after hiring"),
]:
    rows.append(
        {
            "finding": what,
            "paper n": published.get(f"n_{key}"),
            "result n": h[f"n_{key}"],
            "share %": round(100 * h[f"share_{key}"], 1),
            f"{confidence:.0%} CI": f"{100 * h[f'share_{key}_ci_low']:.1f}–{100 * h[f'share_{key}_ci_high']:.1f}",
        }
    )
for level in ds.LEVELS:
    if h[f"barrier_share_{level}"] is None:  # withheld: the level group is below min_cell_size
        rows.append(
            {
                "finding": f"At least one barrier to training — {level}",
                "paper n": None,
                "result n": "s",
                "share %": "s",
                f"{confidence:.0%} CI": "s",
            }
        )
        continue
    rows.append(
        {
            "finding": f"At least one barrier to training — {level}",
            "paper n": None,
            "result n": h[f"barrier_n_{level}"],
            "share %": round(100 * h[f"barrier_share_{level}"], 1),
            f"{confidence:.0%} CI": f"{100 * h[f'barrier_share_{level}_ci_low']:.1f}–"
            f"{100 * h[f'barrier_share_{level}_ci_high']:.1f}",
        }
    )
headline_table = pd.DataFrame(rows)
display(headline_table)
display(Markdown(ds.narrate_headlines(h)))

# %% [markdown]
# ## 2. Tables 2–4 and Figure 1, through disclosure control
# Each table is built from counts, suppressed (`min_cell_size` from `params/global.yaml`), and only then turned
# into percentages and exported; a suppressed cell shows as `s`.

# %%
tables = ds.paper_tables(survey, min_cell_size, lang=label_language)
for name, (table, _) in tables.items():
    write_table(table, STEP, name, min_cell_size=min_cell_size)

# %% [markdown]
# ### Table 2. Challenges in using digital platforms and information systems, % (by level of the state body)

# %%
t2 = tables["table2_challenges"][0]
display(ds.formatted(t2, list(ds.LEVELS), group_labels["level"]))
display(
    Markdown(ds.narrate_multiselect(t2, [*ds.LEVELS, "total"], "challenges", k=3, group_labels=group_labels["level"]))
)

# %% [markdown]
# ### Table 3. Functional responsibilities on digital platforms and e-government systems by position, %

# %%
t3 = tables["table3_responsibilities_by_position"][0]
positions = codebook.categories("position")
display(ds.formatted(t3, positions, group_labels["position"]))
display(
    Markdown(
        ds.narrate_multiselect(
            t3, positions, "responsibilities by position", k=2, group_labels=group_labels["position"]
        )
    )
)

# %% [markdown]
# ### Table 4 and Figure 1. Functional responsibilities by functional area, %

# %%
t4 = tables["table4_responsibilities_by_area"][0]
areas = codebook.categories("functional_area")
display(ds.formatted(t4, areas, group_labels["functional_area"]))
display(
    Markdown(
        ds.narrate_multiselect(
            t4, areas, "responsibilities by functional area", k=2, group_labels=group_labels["functional_area"]
        )
    )
)

# %%
fig = ds_plots.plot_heatmap(
    t4,
    areas,
    group_labels["functional_area"],
    title="Figure 1. Responsibilities on digital platforms by functional area, % (s = suppressed)",
)
show_figure(fig, STEP, "figure1_responsibilities_by_area", data_source)

# %% [markdown]
# ## 3. Central vs regional bodies: difficulties, training received, barriers to training
# Chi-square without continuity correction (Cramér's V from the same statistic; `cramers_v_bc` is Bergsma's
# bias-corrected V); Fisher's exact test replaces the asymptotic p when an expected count is below
# `min_expected`. The number of barriers is compared with a two-sided Mann–Whitney test.

# %%
comp = ds.publishable_comparisons(
    ds.level_comparisons(survey, seed=seed, min_expected=min_expected, n_resamples=fisher_resamples), min_cell_size
)
summary = ds.comparison_summary(comp)
write_table(summary, STEP, "central_vs_regional_tests", min_cell_size=min_cell_size)
display(summary.round(4))
for name in ("difficulty_by_level", "training_by_level", "barriers_by_level"):
    display(Markdown(f"**{name.replace('_', ' ')}**"))
    display(ds.formatted(tables[name][0], list(ds.LEVELS), group_labels["level"]))
for key in ("difficulty", "training", "barrier"):
    r = comp[key]
    results.update(
        {
            f"{key}_test": r["test"],
            f"{key}_chi2": r["statistic"],
            f"{key}_df": r["df"],
            f"{key}_test_p": r["p"],
            f"{key}_cramers_v": r["cramers_v"],
        }
    )
results.update(
    {
        "barrier_mean_test_p": comp["n_barriers"]["p"],
        "barrier_rank_biserial": comp["n_barriers"]["rank_biserial"],
        "regional_more_barriers": (
            None
            if h["barrier_share_central"] is None or h["barrier_share_regional"] is None
            else bool(
                h["barrier_share_regional"] > h["barrier_share_central"]
                and h["barrier_mean_regional"] > h["barrier_mean_central"]
            )
        ),
    }
)
display(Markdown(ds.narrate_comparison(comp)))

# %% [markdown]
# ## 4. Post-stratified shares (optional)
# Respondents are weighted so that levels and, within local bodies, regions have their population shares
# (`population_level_shares`, `population_region_weights`: **illustrative assumptions** in `params/`, to be
# replaced by the Agency for Civil Service Affairs' headcounts). Intervals use Kish's effective sample size.

# %%
if poststratify:
    weights = ds.poststrat_weights(survey, population_level_shares, population_region_weights)
    hw = ds.headlines(survey, alpha=alpha, weights=weights, suffix="_weighted")
    keys = ["not_required_at_hiring", "difficulty_experience_or_training", "never_trained"]
    weighted = pd.DataFrame(
        {
            "unweighted %": [100 * h[f"share_{k}"] for k in keys],
            "weighted %": [100 * hw[f"share_{k}_weighted"] for k in keys],
            f"weighted {confidence:.0%} CI": [
                f"{100 * hw[f'share_{k}_ci_low_weighted']:.1f}–{100 * hw[f'share_{k}_ci_high_weighted']:.1f}"
                for k in keys
            ],
        },
        index=keys,
    ).round(1)
    display(weighted)
    results.update({k: v for k, v in hw.items() if k.startswith("share_")})
    results["kish_effective_n"] = float(weights.sum() ** 2 / (weights**2).sum())
    shift = max(abs(hw[f"share_{k}_weighted"] - h[f"share_{k}"]) for k in keys)
    display(
        Markdown(
            f"Weighting moves the headline shares by at most {100 * shift:.1f} percentage points "
            f"(Kish effective n = {results['kish_effective_n']:.0f} of {len(survey)})."
        )
    )

# %% [markdown]
# ## 5. Disclosure control: what was suppressed
# Every hidden cell of the exported tables, with the reason: *primary* (a count of 1 to `min_cell_size`−1),
# *secondary* (hidden so that a primary cell can't be recovered from the row or column totals) or *forced*
# (the whole group is hidden because its size is). The list gives positions only, never the hidden values.

# %%
suppressed = ds.suppressed_cells(tables)
write_table(suppressed, STEP, "suppressed_cells", min_cell_size=min_cell_size)
results["n_suppressed_primary"] = int((suppressed["reason"] == "primary").sum())
results["n_suppressed_secondary"] = int((suppressed["reason"] != "primary").sum())
display(suppressed if len(suppressed) else Markdown("No cell needed suppression."))
display(
    Markdown(
        f"{len(suppressed)} cells suppressed in {suppressed['table'].nunique()} of {len(tables)} tables "
        f"({results['n_suppressed_primary']} primary, {results['n_suppressed_secondary']} secondary or forced) "
        f"with min_cell_size = {min_cell_size}."
    )
)

# %%
write_results(STEP, results, data_source, min_cell_size=min_cell_size)

# %%
# NBVAL_CHECK_OUTPUT
print(
    headline_text(
        results,
        [
            "n_respondents",
            "n_not_required_at_hiring",
            "share_not_required_at_hiring",
            "share_not_required_at_hiring_ci_low",
            "share_not_required_at_hiring_ci_high",
            "n_difficulty_experience_or_training",
            "share_difficulty_experience_or_training",
            "n_never_trained",
            "share_never_trained",
            "barrier_share_central",
            "barrier_share_regional",
            "regional_more_barriers",
        ],
    )
)
