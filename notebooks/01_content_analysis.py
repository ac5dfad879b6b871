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
# # 01 — Digital skills in civil-service job postings: content analysis (paper 000)
#
# Paper 000 coded 408 job postings of the e-qyzmet.kz portal against a list of keywords (its Table 1) and
# found that **66.9 %** of them specify no digital skill. This notebook re-runs that coding with a versioned,
# multilingual keyword dictionary (`data/dictionaries/digital_skills.yaml`, Russian, Kazakh and English) and a
# matcher that is robust to how postings are really typed (`civcomp.text` and `civcomp.analyses.postings`):
#
# 0. the **coding unit**: a posting "specifies a digital skill" when a dictionary term stands in its **duties or
#    requirements** (`coding_sections`; `civcomp.text.sections` finds the sections from headings and cue phrases,
#    in Russian and Kazakh). Terms in the application procedure ("documents are submitted through the «E-gov»
#    portal or to the e-mail address"), contacts, legal references, the employer's self-description or the
#    benefits are reported with their section but do not count; neither do sentences repeated verbatim across
#    many postings outside those sections (boilerplate, `civcomp.text.boilerplate`);
# 1. the **dictionary**: the reconstructed Table 1 list and the compendium's extension, by tier and language;
# 2. the **headline share** of postings with and without a digital-skill requirement, with a 95 % Wilson interval;
# 3. the **tiers** of digital skills asked for, and the breakdown by **level** (central / regional / district),
#    **region**, **position**, **corps-B category** and **functional area**;
# 4. **central vs regional** bodies: chi-square test (Fisher's exact test when an expected count is under 5)
#    and Cramér's V;
# 5. a **keyword-in-context** table, so a reader can see why postings were coded as they were, and the most
#    frequent keywords;
# 6. the **reliability** of the dictionary: against the double-coded gold subsample (precision, recall, F1,
#    Cohen's κ, Krippendorff's α with a bootstrap interval) and, on the synthetic twin, against the ground truth
#    the generator planted;
# 7. the **validity on real postings** nobody on this project wrote (`data/validation/postings_real/`: 204 public
#    postings hand-labelled by reading, with a fixed dev/test split): accuracy, precision, recall, F1 with
#    intervals, the confusion matrix and every misclassified posting's matches in context with their section.
#
# Job postings are public documents of state bodies, not respondents: the keyword-in-context table quotes them.
# Count tables still pass the project's disclosure control (`civcomp.stats.disclosure`) like every exported table.

# %% tags=["parameters"]
data_source: str = "synthetic"  # synthetic | real (params/global.yaml)
seed: int = 20250412  # seed of the synthetic twin and of every bootstrap and resampling (params/global.yaml)
min_cell_size: int = 5  # disclosure control: smallest count exported in outputs/tables (params/global.yaml)
dictionary: str = "digital_skills.yaml"  # keyword dictionary: a file in data/dictionaries/
confidence: float = 0.95  # level of the Wilson and bootstrap intervals
n_boot: int = 5000  # bootstrap replicates for the interval of Krippendorff's alpha
kwic_n: int = 40  # matches in the keyword-in-context table (stratified by tier)
kwic_window: int = 6  # words of context on each side of a match
top_n: int = 25  # keywords in the top-keywords table
coding_sections: list = [
    "general_requirements",
    "duties",
    "requirements",
    "skills",
]  # the coding unit (civcomp.text.sections)
fallback: bool = True  # code text under no heading, minus application/contacts/employer/benefits/legal sentences
boilerplate_min_words: int = 8  # a sentence shorter than this is never boilerplate
boilerplate_min_postings: int = 5  # boilerplate: a sentence in at least this many postings ...
boilerplate_min_share: float = 0.02  # ... and in at least this share of them
n_boot_validity: int = 2000  # bootstrap replicates for the F1 interval on the real corpus

# %%
# One source of parameters: params/global.yaml and params/01_content_analysis.yaml, however this notebook is run
# (runner, JupyterLab, nbconvert); a value changed in the cell above is kept and named.
from civcomp.io.params import resolve

params = resolve("01_content_analysis", globals())


# %%
import pandas as pd
import seaborn as sns
from IPython.display import Markdown, display

from civcomp import paths, text
from civcomp.analyses import postings as postings_stats
from civcomp.io import load as data
from civcomp.io.codebook import load_codebook
from civcomp.io.display import banner_markdown, headline_text, show_figure
from civcomp.io.outputs import write_results, write_table
from civcomp.pipeline.claims import published_values
from civcomp.plots import postings as postings_plots

STEP = "01_content_analysis"
display(Markdown(banner_markdown(data_source, seed)))
sns.set_theme(style="whitegrid", context="notebook")


def pct(x):
    return f"{100 * x:.1f} %"


# %%
postings = data.load("postings", source=data_source)
codebook = load_codebook("postings")
dic = text.load_dictionary(paths.DICTIONARIES / dictionary)
matcher = text.Matcher(
    dic,
    coding_sections=coding_sections,
    fallback=fallback,
    min_words=boilerplate_min_words,
    min_postings=boilerplate_min_postings,
    min_share=boilerplate_min_share,
)
published = published_values(STEP)  # the paper's values, from data/published/claims.yaml
alpha = 1 - confidence
tier_label = {t: dic.labels[t]["en"] for t in dic.tiers}
area_label = {c: codebook.label("functional_area", c, "en") for c in codebook.categories("functional_area")}
results = {
    "dictionary_version": dic.version,
    "n_terms": len(dic.terms),
    "n_exclusions": len(dic.exclusions),
    "coding_sections": list(coding_sections),
}

# %% [markdown]
# ## 1. The dictionary
# Terms are grouped into four tiers, from general computer literacy to specialist IT. `*` is a suffix wildcard
# (Russian and Kazakh inflect; Kazakh has no stemmer, so stems stop before a final consonant that alternates,
# e.g. `сауаттылы*` for *сауаттылық / сауаттылығы*); `-` matches a hyphen, a space or nothing; case, `ё`,
# Latin/Cyrillic look-alike letters and line breaks are folded before matching. **Excluded contexts** are
# phrases in which a term does not state a skill (the Entrepreneurial Code abbreviated *ПК РК*, a *computer
# room*, buying computers, the e-mail address to apply to, the title of the law on electronic signatures).
#
# Table 1 of the paper is not in the text available to the compendium: the `table1` terms are a
# **reconstruction** of a plausible list; the `extension` adds Kazakh forms, the abbreviations of state systems
# (ЕСЭДО/ЭҚАБЖ, ЭЦП/ЭЦҚ, ИС, e-Otinish), office, data and IT tools. Section 2 measures what the extension adds.

# %%
dict_table = postings_stats.dictionary_summary(dic)
write_table(dic.table(), STEP, "dictionary")
display(
    Markdown(
        f"Dictionary **{dic.name} {dic.version}**: {len(dic.terms)} terms in {len(dic.tiers)} tiers "
        f"and {len(dic.exclusions)} excluded contexts."
    )
)
display(dict_table)
display(dic.table().query("tier == 'excluded'")[["term", "lang", "why"]])

# %% [markdown]
# ## 2. Coding the postings
# One pass of one compiled expression over the whole corpus (`civcomp.text.Matcher`); every match keeps its
# dictionary entry, its character span in the original text, its **section** and whether it **counted**.
#
# **Coding unit.** Only matches in the sections of `coding_sections` (by default the general qualification
# requirements, functional duties, the position's requirements and a job-board card's key-skills list) make a
# posting "digital". A heading opens a section ("Функциональные обязанности:", "Требования к участникам
# конкурса:", "Функционалдық міндеттері:", "Конкурсқа қатысушыларға қойылатын талаптар:", "Необходимые для
# участия в конкурсе документы:", "Условия:", "О компании" …); a sentence telling candidates how to apply is the
# application procedure wherever it stands. Text under no heading is coded sentence by sentence, minus the
# sentences whose cues mark the application procedure, contacts, the employer, benefits or legal references
# (the documented fallback of `civcomp.text.sections`). Entries marked `context: requirement` in the dictionary
# (a standalone *ИТ/IT*) count only under a requirement or duty heading.
#
# **Boilerplate.** A sentence of at least `boilerplate_min_words` words found verbatim (after folding) in at least
# `boilerplate_min_postings` postings and `boilerplate_min_share` of them is boilerplate; outside the duty and
# requirement sections it is left out of coding (inside them a recurring requirement is still a requirement).

# %%
coded, hits = text.code_postings(postings, matcher)
bp = text.boilerplate.report(
    postings["text"],
    text.boilerplate.fit(postings["text"], boilerplate_min_postings, boilerplate_min_share, boilerplate_min_words),
)
by_section = postings_stats.matches_by_section(hits, min_cell_size)
write_table(by_section, STEP, "matches_by_section", min_cell_size=min_cell_size)
coded_all, _ = text.code_postings(postings, text.Matcher(dic, coding_sections=None))
results.update(
    {
        "boilerplate_share_chars": bp["share_chars"],
        "boilerplate_share_sentences": bp["share_sentences"],
        "n_boilerplate_sentences": bp["n_boilerplate_sentences"],
        "n_matches_not_counted": int((hits["tier"] != "excluded").sum() - hits["counted"].sum()),
        "n_no_digital_all_text": int((coded_all["digital"] == 0).sum()),
    }
)
display(
    Markdown(
        f"Boilerplate: {bp['n_boilerplate_sentences']} distinct sentences recur in ≥ {bp['threshold']} postings; they make "
        f"{pct(bp['share_chars'])} of the corpus' characters ({pct(bp['share_sentences'])} of its sentences). "
        f"{results['n_matches_not_counted']} dictionary matches stand outside the coding unit or in boilerplate and "
        "are not counted. Most frequent boilerplate sentences:"
    )
)
with pd.option_context("display.max_colwidth", 120):
    display(bp["examples"])
display(by_section)
meta = postings[["id", "level", "region", "category", "position", "functional_area", "language"]]
coded = meta.merge(coded, on="id", validate="one_to_one")
table1_only, _ = text.code_postings(postings, text.Matcher(dic.subset(["table1"])))
n_t1, n_all = int(table1_only["digital"].sum()), int(coded["digital"].sum())
results["n_digital_table1_terms_only"] = n_t1
display(
    Markdown(
        f"The reconstructed Table 1 terms alone code **{n_t1}** postings as specifying a digital skill; the full "
        f"dictionary codes **{n_all}**. {len(hits[hits['tier'] == 'excluded'])} excluded contexts were found in "
        f"{hits.loc[hits['tier'] == 'excluded', 'id'].nunique()} postings."
    )
)

# %% [markdown]
# ## 3. Headline: postings with and without a digital-skill requirement

# %%
headline, head = postings_stats.headline(coded, alpha)
results.update(head)
_, head_all = postings_stats.headline(coded_all, alpha)
sensitivity = pd.DataFrame(
    [
        {
            "coding unit": "duties + requirements (" + ", ".join(coding_sections) + ")",
            **{
                k: head[k]
                for k in ("n_no_digital", "share_no_digital", "share_no_digital_ci_low", "share_no_digital_ci_high")
            },
        },
        {
            "coding unit": "all text",
            **{
                k: head_all[k]
                for k in ("n_no_digital", "share_no_digital", "share_no_digital_ci_low", "share_no_digital_ci_high")
            },
        },
    ]
)
write_table(sensitivity, STEP, "headline_sensitivity", min_cell_size=min_cell_size)
results["share_no_digital_all_text"] = head_all["share_no_digital"]
write_table(headline, STEP, "headline", min_cell_size=min_cell_size)
paper_n = published.get("n_no_digital")
display(
    Markdown(
        f"**{head['n_no_digital']} of {head['n_postings']} postings ({pct(head['share_no_digital'])}, {confidence:.0%} "
        f"CI {pct(head['share_no_digital_ci_low'])}–{pct(head['share_no_digital_ci_high'])}) specify no digital "
        "skill.** "
        + (f"The paper reports {paper_n} of {published.get('n_postings')} (66.9 %)." if paper_n is not None else "")
    )
)
show_figure(postings_plots.plot_headline(headline, confidence), STEP, "headline_share", data_source)
display(
    Markdown(
        "**Sensitivity to the coding unit** (the same dictionary on the whole text, application "
        "procedure, contacts and employer descriptions included):"
    )
)
display(sensitivity)

# %% [markdown]
# ## 4. Tiers of digital skills
# Share of all postings that mention each tier (a posting may mention several), and the same by level.

# %%
tiers = postings_stats.tier_shares(coded, dic.tiers, alpha)
tiers.insert(1, "label", tiers["tier"].map(tier_label))
write_table(tiers, STEP, "tiers", min_cell_size=min_cell_size)
for r in tiers.itertuples():
    results[f"share_tier_{r.tier}"] = r.share
display(tiers)

by_level = postings_stats.tiers_by(coded, "level", dic.tiers)
by_level["label"] = by_level["tier"].map(tier_label)
show_figure(postings_plots.plot_tiers_by_level(by_level), STEP, "tiers_by_level", data_source)

# %% [markdown]
# ## 5. Breakdowns
# Postings with a digital-skill requirement by level, region, position, corps-B category and functional area.
# Counts below `min_cell_size` are suppressed (with complementary cells), and so are the shares built on them.

# %%
breakdowns = {}
for by in ("level", "region", "position", "category", "functional_area"):
    t = postings_stats.breakdown(coded, by, min_cell_size, alpha)
    breakdowns[by] = t
    write_table(t, STEP, f"by_{by}", min_cell_size=min_cell_size)
for lv, r in breakdowns["level"].set_index("level").iterrows():
    results[f"share_digital_{lv}"] = r["share_digital"]
display(breakdowns["level"])
display(breakdowns["functional_area"])
display(breakdowns["position"])

# %% [markdown]
# ## 6. Central vs regional bodies
# 2 × 2 table (central / regional × digital skill yes / no); Pearson's chi-square without continuity correction,
# Fisher's exact test when an expected count is under 5, and Cramér's V (`civcomp.stats.association.association_test`).

# %%
cmp = postings_stats.compare_levels(coded, "central", "regional", seed=seed)
results.update(
    {
        "central_vs_regional_test": cmp["test"],
        "central_vs_regional_statistic": cmp["statistic"],
        "central_vs_regional_p": cmp["p"],
        "central_vs_regional_cramers_v": cmp["cramers_v"],
    }
)
display(cmp["table"].rename(columns={1: "digital", 0: "no digital"}))
display(
    Markdown(
        f"Central bodies: {pct(cmp['share_a'])} of postings specify a digital skill, regional bodies "
        f"{pct(cmp['share_b'])}; {cmp['test']} test, χ² = {cmp['statistic']:.2f} (df {cmp['df']}), "
        f"p = {cmp['p']:.4f}, Cramér's V = {cmp['cramers_v']:.3f}."
    )
)
three = postings_stats.compare_levels(
    coded.assign(level=coded["level"].astype(object).replace("district", "regional")), "central", "regional", seed=seed
)
display(Markdown(f"With district bodies counted as regional: p = {three['p']:.4f}, V = {three['cramers_v']:.3f}."))

# %% [markdown]
# ## 7. Functional areas × tiers

# %%
by_area = postings_stats.tiers_by(coded, "functional_area", dic.tiers)
fig = postings_plots.plot_area_heatmap(by_area, area_label, tier_label, dic.tiers)
show_figure(fig, STEP, "heatmap_functional_area", data_source)

# %% [markdown]
# ## 8. Keyword in context
# A reproducible random sample of matches, stratified by tier (excluded contexts included), with the words
# around each: the evidence behind each coding. Spans refer to the original, unnormalised text.

# %%
texts = postings.set_index("id")["text"].astype(object)
kwic = text.kwic_table(texts, hits, n=kwic_n, window=kwic_window, seed=seed)
write_table(kwic, STEP, "kwic")
with pd.option_context("display.max_colwidth", 60):
    display(kwic)

# %% [markdown]
# ## 9. Most frequent keywords

# %%
top = postings_stats.keyword_counts(hits, min_cell_size)
write_table(top, STEP, "keywords", min_cell_size=min_cell_size)
display(Markdown("Dictionary terms:"))
display(top[top["tier"] != "excluded"].head(top_n))
display(Markdown("Excluded contexts (found, not counted):"))
display(top[top["tier"] == "excluded"])

# %% [markdown]
# ## 10. Reliability against the double-coded gold subsample
# Two coders coded a subsample independently (does the posting specify a digital skill?). Their agreement is
# the inter-coder reliability; the dictionary is compared with their consensus (the postings they agree on) and,
# as a third coder, enters Krippendorff's α, whose interval is a percentile bootstrap over postings.

# %%
gold_keys = ["gold_kappa", "gold_alpha", "gold_alpha_ci_low", "gold_alpha_ci_high"]
if data.available("postings_gold", data_source):
    gold = data.load("postings_gold", source=data_source)
    ga = postings_stats.gold_agreement(coded, gold, n_boot=n_boot, seed=seed, alpha=alpha)
    results.update(ga)
    rel_table = postings_stats.gold_table(ga)
    write_table(rel_table, STEP, "reliability_gold", min_cell_size=min_cell_size)
    display(rel_table)
    display(
        Markdown(
            f"The coders agree on {ga['gold_n_agreed']} of {ga['gold_n']} postings "
            f"(κ = {ga['gold_intercoder_kappa']:.3f}). "
            f"Against their consensus the dictionary has precision {ga['gold_precision']:.3f}, recall "
            f"{ga['gold_recall']:.3f}, F1 {ga['gold_f1']:.3f}, κ = {ga['gold_kappa']:.3f}; Krippendorff's α of the "
            f"three codings is {ga['gold_alpha']:.3f} ({confidence:.0%} bootstrap CI {ga['gold_alpha_ci_low']:.3f}–"
            f"{ga['gold_alpha_ci_high']:.3f}, {n_boot:,} replicates)."
        )
    )
else:
    results.update({k: None for k in gold_keys})
    display(Markdown("No gold subsample for these data (`real_data.postings_gold` is not configured)."))

# %% [markdown]
# ## 11. Recovery of the ground truth (synthetic twin only)
# The generator records what it planted in every posting. It also plants, on purpose, a few hard cases: dictionary
# words outside any requirement and requirements phrased without a dictionary word. On real data there is no
# ground truth and this section is skipped.

# %%
if data_source == "synthetic":
    truth = data.load("postings_truth", source="synthetic")
    ta = postings_stats.truth_agreement(coded, truth, dic.tiers)
    write_table(ta.drop(columns=["tp", "fp", "fn", "tn", "n"]), STEP, "reliability_truth")
    d = ta.set_index("target").loc["digital"]
    results.update(
        {
            "truth_precision": d["precision"],
            "truth_recall": d["recall"],
            "truth_f1": d["f1"],
            "truth_n_false_positives": int(d["fp"]),
            "truth_n_false_negatives": int(d["fn"]),
        }
    )
    display(ta)
    display(
        Markdown(
            f"Against the generator's truth: precision {d['precision']:.3f}, recall {d['recall']:.3f}, "
            f"F1 {d['f1']:.3f} ({int(d['fp'])} false positives, {int(d['fn'])} false negatives)."
        )
    )
else:
    results.update({"truth_precision": None, "truth_recall": None, "truth_f1": None})

# %% [markdown]
# ## 12. Validity on real postings
# The synthetic twin can only say that the matcher finds what its generator planted. The real corpus in
# `data/validation/postings_real/` (see its `PROVENANCE.md` and `LABELLING.md`) holds 204 public postings —
# corps-B competition announcements of a Kazakhstan city body (Russian and Kazakh), public-sector and commercial
# job-board cards — each labelled by reading before any coder was run: does the posting specify a digital skill
# in its requirements or duties? The coder was tuned on the **dev** part only; the **test** part is held out.
# Wilson intervals for accuracy, precision and recall; percentile bootstrap for F1. The corpus is skewed to
# positives (job-board cards) and holds only eight civil-service announcements: it tests the coder on real
# text, not the prevalence in e-qyzmet postings.

# %%
real = pd.read_csv(paths.POSTINGS_REAL, dtype={"label": int})
real_coded, real_hits = text.code_postings(real, matcher)
real = real.merge(real_coded[["id", "digital"]], on="id", validate="one_to_one")
val = postings_stats.validity_table(real, "label", "digital", "split", alpha=alpha, n_boot=n_boot_validity, seed=seed)
write_table(val, STEP, "validity_real")
real_all_text, _ = text.code_postings(real, text.Matcher(dic, coding_sections=None))
real_all = real.drop(columns="digital").merge(real_all_text[["id", "digital"]], on="id")
val_all = postings_stats.validity_table(
    real_all, "label", "digital", "split", alpha=alpha, n_boot=n_boot_validity, seed=seed
)
for part, r in val.set_index("split").iterrows():
    for k in ("accuracy", "precision", "recall", "f1"):
        results[f"real_{part}_{k}"] = r[k]
        results[f"real_{part}_{k}_ci_low"], results[f"real_{part}_{k}_ci_high"] = r[f"{k}_ci_low"], r[f"{k}_ci_high"]
    results[f"real_{part}_n"] = int(r["n"])
results["real_test_f1_all_text"] = float(val_all.set_index("split").loc["test", "f1"])
display(val)
t = val.set_index("split").loc["test"]
display(
    Markdown(
        f"Held-out test part ({int(t['n'])} postings): accuracy {t['accuracy']:.3f} ({confidence:.0%} CI "
        f"{t['accuracy_ci_low']:.3f}–{t['accuracy_ci_high']:.3f}), precision {t['precision']:.3f}, recall "
        f"{t['recall']:.3f}, F1 {t['f1']:.3f} (bootstrap CI {t['f1_ci_low']:.3f}–{t['f1_ci_high']:.3f}). "
        f"Coding the whole text instead gives F1 {results['real_test_f1_all_text']:.3f}."
    )
)
confusion = pd.crosstab(real["split"], [real["label"].rename("label"), real["digital"].rename("coded")])
display(confusion)
by_genre = (
    real.assign(correct=real["label"] == real["digital"])
    .groupby(["genre", "split"])
    .agg(n=("id", "size"), n_label_1=("label", "sum"), accuracy=("correct", "mean"))
)
display(by_genre)
mis = postings_stats.misclassified(real, real.set_index("id")["text"], real_hits, window=kwic_window)
write_table(mis, STEP, "validity_real_misclassified")
with pd.option_context("display.max_colwidth", 60, "display.max_rows", 200):
    display(mis)

# %%
_ = write_results(STEP, results, data_source)

# %%
# NBVAL_CHECK_OUTPUT
print(
    headline_text(
        results,
        [
            "n_postings",
            "n_no_digital",
            "n_digital",
            "share_no_digital",
            "share_no_digital_ci_low",
            "share_no_digital_ci_high",
            "central_vs_regional_p",
            "central_vs_regional_cramers_v",
            "gold_kappa",
            "gold_alpha",
            "gold_alpha_ci_low",
            "gold_alpha_ci_high",
            "truth_precision",
            "truth_recall",
            "truth_f1",
        ],
    )
)
