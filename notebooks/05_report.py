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
# tolerance and the key of `outputs/results/*.json` that recomputes it — and gives each claim a status:
# **pass**, **fail** or **not computable** (figures no dataset can recompute, such as administrative
# statistics). It also renders paper 003's qualitative Tables 1 and 2 and our crosswalk of the foreign
# competency frameworks to the 15 Kazakh competencies of the 360-degree tool.

# %% tags=["parameters"]
data_source: str = "synthetic"  # synthetic | real (params/global.yaml); must match the results files
seed: int = 20250412  # seed of the synthetic twin (params/global.yaml), shown in the banner
claims_file: str = "claims.yaml"  # claims ledger, in data/published/
frameworks_file: str = "frameworks.yaml"  # paper 003 Tables 1-2 and the crosswalk, in data/published/

# %%
# One source of parameters: params/global.yaml and params/05_report.yaml, however this notebook is run
# (runner, JupyterLab, nbconvert); a value changed in the cell above is kept and named.
from civcomp.io.params import resolve

params = resolve("05_report", globals())


# %%
import pandas as pd
from IPython.display import Markdown, display

from civcomp import paths
from civcomp.analyses import frameworks
from civcomp.io.outputs import banner_markdown, headline_text, save_figure, write_results, write_table
from civcomp.pipeline import claims
from civcomp.plots import frameworks as frameworks_plots

STEP = "05_report"

# The data source is read from the results files themselves, not assumed from the parameter:
# a report that mixed synthetic and real results would be meaningless.
sources = claims.results_data_sources(paths.RESULTS)
sources.pop(STEP, None)  # this notebook's own previous output
found = sorted(set(sources.values()))
if not found:
    raise FileNotFoundError(f"no results in {paths.RESULTS}: run the analysis notebooks first (civcomp reproduce)")
if found != [data_source]:
    raise ValueError(f"the results files come from {sources}, but this run has data_source={data_source!r}: "
                     "rerun `civcomp reproduce --force` so every step uses the same data")
display(Markdown(banner_markdown(data_source, seed)))

# %%
if data_source == "synthetic":
    meaning = ("**What agreement means here.** The default data are a *synthetic twin* calibrated to the "
               "published aggregates. A claim that passes shows that the pipeline recovers what the twin was "
               "built to contain — it checks the code, not the papers. The actual replication check is this "
               "same notebook run with `data_source: real` on the study's microdata.")
else:
    meaning = ("**What agreement means here.** These results were computed from the study's own microdata: "
               "this table *is* the replication check of the two papers.")
display(Markdown(meaning + f"\n\nResults read from: {', '.join(f'`{s}` ({v})' for s, v in sorted(sources.items()))}."))

# %% [markdown]
# ## Claims ledger against the recomputed results
#
# `expected` is the published value in the units of the result key (percentages become fractions; a
# percentage of a whole sample becomes its exact count, e.g. 60 % of 200 → 120). `difference` is
# recomputed − expected (for a comparison: left − right side). *arithmetic* claims check the papers'
# internal consistency from the published numbers alone (e.g. 263 / 350 = 75 %).

# %%
evaluations = claims.evaluate(paths.RESULTS, ledger=claims_file)
table = claims.evaluations_frame(evaluations)
summary = claims.summary(evaluations)
write_table(table, STEP, "claims")
display(Markdown(
    f"**{summary['n_pass']} pass, {summary['n_fail']} fail, {summary['n_not_computable']} not computable** "
    f"of {summary['n_claims']} claims (paper 000: {summary['n_claims_paper_000']}, "
    f"paper 003: {summary['n_claims_paper_003']}). "
    + (f"Failing: {', '.join(summary['failing_ids'])}." if summary["failing_ids"] else "No computable claim fails.")))
with pd.option_context("display.max_rows", None, "display.max_colwidth", 90):
    display(table[["status", "id", "kind", "published", "expected", "recomputed", "difference", "tolerance", "key"]])

# %%
by_kind = table.groupby(["kind", "status"]).size().unstack(fill_value=0)
display(by_kind)
external = table[table["kind"] == "external"]
display(Markdown(f"{len(external)} claims are external figures (administrative statistics of the Agency for Civil "
                 "Service Affairs, the Presidential Youth Talent Pool, numbers quoted from WEF, GTCI and the "
                 "Innobarometer): no dataset of this study can recompute them, so they stay *not computable*; "
                 "their internal consistency is checked by the *arithmetic* claims where the paper gives one."))

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
display(Markdown(
    f"Most widely shared: {', '.join(common)} ({coverage.max()} of {len(matrix)} countries). "
    f"In at most one foreign framework: {', '.join(rare)}. "
    f"Table 1 items without a Kazakh counterpart: "
    + (", ".join(f"{r.item} ({r.country})" for r in unmapped.itertuples()) or "none") + "."))

# %%
results = {**summary, "n_computable": summary["n_pass"] + summary["n_fail"],
           "n_framework_items": len(t1), "n_crosswalk_links": int(matrix.to_numpy().sum())}
_ = write_results(STEP, results, data_source)

# %%
# NBVAL_CHECK_OUTPUT
print(headline_text({**results, "data_source": data_source},
                    ["data_source", "n_claims", "n_pass", "n_fail", "n_not_computable", "failing_ids",
                     "n_framework_items", "n_crosswalk_links"]))
