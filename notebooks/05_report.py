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
# # 05 — Reproduction report: every published claim against its recomputed value
#
# This notebook reads the claims ledger `data/published/claims.yaml` — every quantitative claim of
# paper 000 (digital competencies) and paper 003 (innovative capacity), with its published value, a
# printed form (the tolerance is half a unit of its last printed digit), its evidence class and the key of
# `outputs/results/*.json` that recomputes it — and gives each claim a status: **pass**, **fail** or
# **not computable**. Claims are counted by evidence class: **data** (recomputed from the data), **derived**
# (recomputed, but implied by other claims), **consistency** (the paper's own arithmetic) and **external**
# (administrative or literature figures). This notebook is the one place the claims are evaluated: it writes
# `outputs/results/05_report__claims.json`, which the HTML report and `civcomp reproduce --strict` read.
# A robustness panel recomputes every claim that rests on a reading or a method choice under each
# alternative. It also redraws paper 003's Figure 2 from its printed numbers, renders the qualitative
# Tables 1 and 2 and our crosswalk of the foreign competency frameworks to the 15 Kazakh competencies.

# %% tags=["parameters"]
data_source: str = "synthetic"  # synthetic | real (params/global.yaml)
seed: int = 20250412  # seed of the synthetic twin and of every bootstrap and resampling (params/global.yaml)
claims_file: str = "claims.yaml"  # claims ledger, a file in data/published/
frameworks_file: str = "frameworks.yaml"  # paper 003 Tables 1-2 and the crosswalk, a file in data/published/
analysed_level: str = "regional"  # level of capacity_survey the paper analyses (as notebooks 03 and 04)

# %%
# One source of parameters: params/global.yaml and params/05_report.yaml, however this notebook is run
# (runner, JupyterLab, nbconvert); a value changed in the cell above is kept and named.
from civcomp.io.params import resolve

params = resolve("05_report", globals())


# %%
import pandas as pd
from IPython.display import Markdown, display

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import frameworks
from civcomp.io import load as data
from civcomp.io import params as params_mod
from civcomp.io.display import banner_markdown, headline_text
from civcomp.io.outputs import save_figure, write_results, write_table
from civcomp.pipeline import claims, robustness
from civcomp.plots import frameworks as frameworks_plots
from civcomp.plots import report as report_plots

STEP = "05_report"

# The data source is read from the results files themselves, not assumed from the parameter:
# a report that mixed synthetic and real results would be meaningless.
sources = claims.results_data_sources(paths.RESULTS)
sources.pop(STEP, None)  # this notebook's own previous output
found = sorted(set(sources.values()))
if not found:
    raise FileNotFoundError(f"no results in {paths.RESULTS}: run the analysis notebooks first (civcomp reproduce)")
if found != [data_source]:
    raise ValueError(
        f"the results files come from {sources}, but this run has data_source={data_source!r}: "
        "rerun `civcomp reproduce --force` so every step uses the same data"
    )
display(Markdown(banner_markdown(data_source, seed)))

# %%
if data_source == "synthetic":
    meaning = (
        "**What agreement means here.** The default data are a *synthetic twin* calibrated to the "
        "published aggregates. A claim that passes shows that the pipeline recovers what the twin was "
        "built to contain — it checks the code, not the papers. The actual replication check is this "
        "same notebook run with `data_source: real` on the study's microdata."
    )
else:
    meaning = (
        "**What agreement means here.** These results were computed from the study's own microdata: "
        "this table *is* the replication check of the two papers."
    )
display(Markdown(meaning + f"\n\nResults read from: {', '.join(f'`{s}` ({v})' for s, v in sorted(sources.items()))}."))

# %% [markdown]
# ## What the analysis notebooks do not compute
#
# A few claims need a count no analysis notebook reports: the number of competencies rated in the 360 data
# (paper 003: "a list of 15 competencies") and how the digital survey's regional respondents spread over the
# regions (paper 000: "balanced regional representation"). They are computed here from the data, aggregated,
# together with the recomputations of the robustness panel below.

# %%
capacity = data.load("capacity_survey", source=data_source)
ratings = data.load("appraisal_360", source=data_source)
digital = data.load("digital_survey", source=data_source)
regional = capacity[capacity["level"].astype(str) == analysed_level]
rated = ratings[ratings["respondent_id"].isin(regional["respondent_id"])]
long = ap.prepare(rated, regional)
long_zero_as_score = ap.prepare(rated, regional, zero_policy="as_score")
regions = list(params_mod.read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"])
ledger = claims.load_ledger(claims_file)
items = [
    c["key"].split(".communality_", 1)[1]
    for c in ledger
    if isinstance(c.get("key"), str) and c["key"].startswith("03_innovative_capacity.communality_")
]
appraisal_alt = robustness.appraisal_variants(long, long_zero_as_score)
balance = robustness.regional_balance(digital, regions)
facts = {"n_competencies_rated": appraisal_alt["n_competencies_rated"], **balance}
display(pd.Series(facts, name="value").to_frame())

# %% [markdown]
# ## Claims ledger against the recomputed results
#
# `expected` is the published value in the units of the result key (percentages become fractions; a
# percentage of a whole sample becomes a count of cases). `tolerance` is half a unit of the last digit the
# paper prints, in those units (inclusive); the few claims that need another say why (`tolerance_rule`).
# `difference` is recomputed − expected (for a comparison: left − right side). *consistency* claims check
# the paper's own arithmetic from the published numbers alone (e.g. 263 / 350 = 75 %); *derived* claims are
# recomputed but follow from other claims, so they are counted apart from the *data* checks.

# %%
evaluations = claims.evaluate(paths.RESULTS, ledger=claims_file, extra_results={STEP: facts})
_ = claims.write_evaluations(evaluations, data_source, paths.RESULTS, ledger=claims_file)  # the one evaluation
table = claims.evaluations_frame(evaluations)
summary = claims.summary(evaluations)
write_table(table, STEP, "claims")
display(
    Markdown(
        f"**{claims.summary_line(summary)}** — {summary['n_claims']} claims (paper 000: "
        f"{summary['n_claims_paper_000']}, paper 003: {summary['n_claims_paper_003']}). "
        + (
            f"Failing data/derived claims: {', '.join(summary['failing_ids'])}. "
            if summary["failing_ids"]
            else "No data or derived claim fails. "
        )
        + (
            f"Where the paper disagrees with itself: {', '.join(summary['consistency_failing_ids'])}."
            if summary["consistency_failing_ids"]
            else ""
        )
    )
)
with pd.option_context("display.max_rows", None, "display.max_colwidth", 90):
    display(
        table[["status", "evidence", "id", "published", "expected", "recomputed", "difference", "tolerance", "key"]]
    )

# %%
display(table.groupby(["evidence", "status"]).size().unstack(fill_value=0))

# %% [markdown]
# ## Robustness panel: readings and method choices
#
# Each claim whose check rests on a reading the paper leaves open, or on a method it does not state, is
# recomputed under each reasonable alternative (listed under `readings` in the ledger): principal components
# vs minres vs maximum likelihood, listwise vs pairwise deletion, the nine Table 3 variables vs the eight
# determinants of line 198, "< 5" vs footnote 5's "1 to 5", and the alternative readings of the two
# position-level findings and of "balanced". `survives` applies the claim's own check (published value ±
# tolerance, or the comparison) to the recomputed value; `checked` marks the reading the ledger uses.

# %%
efa_alt = robustness.efa_variants(regional[items], seed=seed)
panel = robustness.grid(evaluations, efa_alt, appraisal_alt, balance)
write_table(panel, STEP, "robustness")
robust = robustness.summary(panel)
with pd.option_context("display.max_rows", None, "display.max_colwidth", 60):
    display(
        panel.pivot_table(index="claim_id", columns="alternative", values="value", aggfunc="first", sort=False).fillna(
            ""
        )
    )
fragile = {cid: r["fails_under"] for cid, r in robust.items() if r["fails_under"]}
display(
    Markdown(
        "Claims that do not survive every alternative: "
        + ("; ".join(f"`{cid}` ({', '.join(f)})" for cid, f in fragile.items()) or "none")
        + "."
    )
)

# %% [markdown]
# ## The papers' figures
#
# Paper 003's Figure 2 shows two administrative numbers the text quotes (reservists selected and employed):
# it is redrawn here from the ledger's values, as an external figure. Figure 1 cannot be
# reproduced: it shows external OECD data whose values the paper does not print.

# %%
figures = claims.load_figures(claims_file)
by_id = claims.by_id(ledger)
fig2 = next(f for f in figures if f["id"] == "p003_figure2")
selected, employed = (by_id[c]["value"] for c in fig2["claims"])
fig = report_plots.plot_talent_pool(selected, employed)
_ = save_figure(fig, STEP, "figure2_reservists", "published")
display(pd.DataFrame(figures)[["id", "title", "status", "source"]].fillna(""))

# %% [markdown]
# ## Paper 003, Table 1: competencies for an innovative civil service in six countries
#
# Transcribed verbatim from the paper into `data/published/frameworks.yaml`.

# %%
fw = frameworks.load(paths.PUBLISHED / frameworks_file)
t1 = frameworks.table1_frame(fw)
write_table(t1, STEP, "frameworks_table1")
with pd.option_context("display.max_colwidth", None):
    display(t1.pivot(index="item_no", columns="country", values="competency")[list(frameworks.COUNTRIES)].fillna(""))

# %% [markdown]
# ## Paper 003, Table 2: comparative case study, Singapore and Kazakhstan

# %%
t2 = frameworks.table2_frame(fw)
write_table(t2, STEP, "frameworks_table2")
with pd.option_context("display.max_colwidth", None):
    display(t2.set_index("parameter"))

# %% [markdown]
# ## Crosswalk: foreign frameworks → the 15 Kazakh competencies of the 360 tool
#
# Our mapping (not the paper's): each Table 1 item is linked to the Kazakh competencies it covers,
# `direct` or `partial`, with a one-line justification in `frameworks.yaml`. The heatmap counts, per
# country, how many of its items map to each Kazakh competency.

# %%
cw = frameworks.crosswalk_frame(fw)
matrix = frameworks.crosswalk_matrix(fw)
write_table(cw, STEP, "crosswalk")
write_table(matrix.reset_index().rename(columns={"index": "country"}), STEP, "crosswalk_matrix")
fig = frameworks_plots.plot_crosswalk(matrix)
_ = save_figure(fig, STEP, "crosswalk_heatmap", data_source)

coverage = matrix.astype(bool).sum()
_, labels = frameworks.competency_codes()
rare = [labels[c] for c in coverage.index if coverage[c] <= 1]
common = [labels[c] for c in coverage.index if coverage[c] == coverage.max()]
unmapped = cw[cw["kazakh_competency"].isna()]
display(
    Markdown(
        f"Most widely shared: {', '.join(common)} ({coverage.max()} of {len(matrix)} countries). "
        f"In at most one foreign framework: {', '.join(rare)}. "
        f"Table 1 items without a Kazakh counterpart: "
        + (", ".join(f"{r.item} ({r.country})" for r in unmapped.itertuples()) or "none")
        + "."
    )
)

# %%
results = {
    **summary,
    **facts,
    "n_computable": summary["n_pass"] + summary["n_fail"],
    "n_robustness_rows": len(panel),
    "n_robust_claims": len(robust),
    "n_claims_not_surviving_every_alternative": len(fragile),
    "n_framework_items": len(t1),
    "n_crosswalk_links": int(matrix.to_numpy().sum()),
}
_ = write_results(STEP, results, data_source)

# %%
# NBVAL_CHECK_OUTPUT
print(
    headline_text(
        {**results, "data_source": data_source},
        [
            "data_source",
            "n_claims",
            "n_data",
            "n_data_pass",
            "n_data_fail",
            "n_derived",
            "n_derived_pass",
            "n_derived_fail",
            "n_consistency",
            "n_consistency_pass",
            "n_external",
            "failing_ids",
            "consistency_failing_ids",
            "n_robust_claims",
            "n_claims_not_surviving_every_alternative",
            "n_framework_items",
            "n_crosswalk_links",
        ],
    )
)
