"""Paper 000's statistics on the codings (civcomp.analyses.postings): breakdowns, comparisons, results()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import text
from civcomp.analyses import postings
from civcomp.text import Matcher, load_dictionary


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_dictionary())


# ------------------------------------------------------------------ analysis helpers
def _coded(n_groups: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A coded frame with (digital, not digital) counts per level."""
    rows = [{"level": g, "digital": d} for g, (k, m) in n_groups.items() for d in [1] * k + [0] * m]
    return pd.DataFrame(rows).assign(id=lambda x: [f"p{i}" for i in range(len(x))])


def test_breakdown_suppresses_small_cells_and_their_shares():
    from civcomp.stats.disclosure import small_cells

    t = postings.breakdown(_coded({"a": (20, 30), "b": (2, 40), "c": (15, 25)}), "level", min_cell_size=5)
    t = t.set_index("level")
    assert small_cells(t.reset_index(), 5) == []
    assert pd.isna(t.loc["b", "n_digital"]) and pd.isna(t.loc["b", "share_digital"])
    assert t.loc["a", "n_digital"] == 20 and t.loc["a", "share_digital"] == pytest.approx(0.4)
    assert t.loc["a", "ci_low_digital"] < 0.4 < t.loc["a", "ci_high_digital"]
    # the hidden 2 cannot be recovered from a row total and its partner: a second cell of its row is hidden too
    assert t.loc["b", ["n_digital", "n_no_digital"]].isna().all() or pd.isna(t.loc["b", "n"])


def test_breakdown_zero_share_has_a_clean_lower_bound():
    t = postings.breakdown(_coded({"a": (0, 20), "b": (10, 10)}), "level", min_cell_size=5).set_index("level")
    assert t.loc["a", "share_digital"] == 0 and t.loc["a", "ci_low_digital"] == 0


def test_compare_levels_matches_scipy():
    from scipy.stats import chi2_contingency

    df = _coded({"central": (55, 63), "regional": (48, 112), "district": (32, 98)})
    r = postings.compare_levels(df, "central", "regional")
    ref = chi2_contingency([[55, 63], [48, 112]], correction=False)
    assert r["test"] == "chi2"
    assert r["statistic"] == pytest.approx(ref.statistic) and r["p"] == pytest.approx(ref.pvalue)
    assert r["cramers_v"] == pytest.approx(np.sqrt(ref.statistic / 278))
    assert (r["share_a"], r["share_b"]) == pytest.approx((55 / 118, 48 / 160))


def test_tier_shares_and_keyword_counts(matcher):
    df = pd.DataFrame({"id": [f"p{i}" for i in range(12)], "text": ["Excel"] * 6 + ["SQL и Excel"] * 2 + ["ПК РК"] * 4})
    coded, hits = text.code_postings(df, matcher)
    ts = postings.tier_shares(coded, matcher.dictionary.tiers).set_index("tier")
    assert ts.loc["basic_literacy_office", "n_postings"] == 8 and ts.loc["data_analytics", "n_postings"] == 2
    kc = postings.keyword_counts(hits, 5).set_index("keyword")
    assert kc.loc["excel", "n_postings"] == 8 and pd.isna(kc.loc["sql", "n_postings"])
    assert kc.loc["пк рк", "tier"] == "excluded"


# ------------------------------------------------------------------ results(): what notebook 01 publishes
TABLES = [
    "dictionary",
    "matches_by_section",
    "boilerplate_examples",
    "headline_sensitivity",
    "headline",
    "tiers",
    "by_level",
    "by_region",
    "by_position",
    "by_category",
    "by_functional_area",
    "tiers_by_level",
    "tiers_by_functional_area",
    "kwic",
    "keywords",
    "reliability_gold",
    "reliability_truth",
    "validity_real",
    "validity_real_misclassified",
    "validity_by_genre",
    "validity_errors",
]


def _params(**overrides) -> dict:
    from civcomp.io.params import snapshot

    return {**snapshot().steps["01_content_analysis"], "n_boot": 200, "n_boot_validity": 200, **overrides}


@pytest.fixture(scope="module")
def twin() -> dict[str, pd.DataFrame]:
    from civcomp import paths
    from civcomp.io import ledger, params
    from civcomp.synth import postings as gen

    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "postings.yaml"))
    return gen.generate(cfg, np.random.default_rng([7, 1]))


@pytest.fixture(scope="module")
def published(twin):
    return postings.results(twin, _params())


def test_A2_every_number_notebook_01_shows_beside_its_tables_is_published(published):
    """What notebook 01 displays from ``parts`` prints only published numbers: the district sensitivity's p and V
    and the validation accuracies per genre are results keys, the boilerplate examples' counts a table, and the
    excluded contexts carry no row positions of the dictionary."""
    v, parts = published.values, published.parts
    three = parts["levels_district_as_regional"]
    assert (v["district_as_regional_p"], v["district_as_regional_cramers_v"]) == (three["p"], three["cramers_v"])
    by_genre = parts["by_genre"]
    k = _params()["min_cell_size"]
    for (genre, split), r in by_genre.iterrows():  # the genre keys' rule of coder_validity
        small = r["n"] < k or 0 < r["n_label_1"] < k
        assert v.get(f"real_{split}_{genre}_accuracy") == (None if small else r["accuracy"]), (genre, split)
    shown = published.tables["boilerplate_examples"]
    assert shown["sentence"].tolist() == parts["boilerplate"]["examples"]["sentence"].tolist() and len(shown)
    assert not pd.api.types.is_integer_dtype(parts["exclusions"].index) and parts["exclusions"].index.name == "term"


def test_results_publish_every_table_and_key(published):
    from civcomp.analyses import postings_display, postings_validity

    assert list(published.tables) == TABLES
    v = published.values
    assert set(postings_display.HEADLINE_KEYS) <= set(v)
    assert {"gold_intercoder_kappa", "truth_n_false_negatives", "real_test_f1", "real_dev_n"} <= set(v)
    assert {"coder_validity_postings_genres_seen_test_f1", "coder_validity_postings_real_test_f1"} <= set(v)
    assert all(v[k] is not None for k in (*postings_validity.GOLD_KEYS, *postings_validity.TRUTH_KEYS))
    assert v["coding_sections"] == _params()["coding_sections"]


def test_results_headline_equals_a_direct_count(twin, published):
    from civcomp.paths import DICTIONARIES

    p = _params()
    m = Matcher(load_dictionary(DICTIONARIES / p["dictionary"]), coding_sections=p["coding_sections"])
    coded, _ = text.code_postings(twin["postings"], m)
    v = published.values
    assert v["n_no_digital"] == (coded["digital"] == 0).sum() and v["n_postings"] == len(twin["postings"])
    assert v["share_no_digital"] == pytest.approx(v["n_no_digital"] / v["n_postings"])
    coded_all, _ = text.code_postings(twin["postings"], Matcher(m.dictionary, coding_sections=None))
    assert v["n_no_digital_all_text"] == (coded_all["digital"] == 0).sum() <= v["n_no_digital"]


def test_coder_is_configured_by_the_parameters():
    m = postings.coder(_params(coding_sections=["requirements"], boilerplate_min_postings=9))
    assert [c.digital for c in m.code(["Обязанности: работа в Excel.", "Требования: знание Excel."])] == [False, True]
    assert postings.coder(_params()).dictionary.version == load_dictionary().version


def test_results_without_gold_or_truth_publish_null_keys(twin):
    from civcomp.analyses import postings_validity

    small = twin["postings"].head(60)
    real = postings_validity.read_corpus().groupby("split").head(10)  # a part of the corpus is enough here
    r = postings.results({"postings": small, "postings_real": real}, _params())
    assert all(r.values[k] is None for k in (*postings_validity.GOLD_KEYS, *postings_validity.TRUTH_KEYS))
    assert "reliability_gold" not in r.tables and "reliability_truth" not in r.tables
    assert r.values["n_postings"] == 60 and r.values["real_test_n"] == 10


def test_narratives_read_the_published_values(published):
    from civcomp.analyses import postings_display as say

    v = published.values
    head = say.narrate_headline(v, {"n_no_digital": 273, "n_postings": 408}, 0.95)
    assert head.startswith(f"**{v['n_no_digital']} of {v['n_postings']} postings") and "(66.9 %)." in head
    assert say.narrate_headline(v, {}, 0.95).endswith("specify no digital skill.** ")
    assert f"κ = {v['gold_kappa']:.3f}" in say.narrate_gold(v, 0.95)
    assert f"F1 {v['truth_f1']:.3f}" in say.narrate_truth(v)
    assert f"({v['real_test_n']} postings)" in say.narrate_validity(v, 0.95)
    assert f"**{v['n_digital_table1_terms_only']}**" in say.narrate_table1(published)
    assert f"p = {published.parts['levels']['p']:.4f}" in say.narrate_levels(published)


def test_ledger_claims_of_notebook_01_name_this_results_function(published):
    """Every data claim on notebook 01 is computed by postings.results: one hop from ledger to code."""
    import re

    from civcomp.replication import claims

    mine = [c for c in claims.load_ledger() if "01_content_analysis." in str(c.get("key") or c.get("expr"))]
    assert mine and all(c["computed_by"] == "civcomp.analyses.postings.results" for c in mine)
    for c in mine:
        keys = re.findall(r"01_content_analysis\.(\w+)", str(c.get("key") or c.get("expr")))
        assert set(keys) <= set(published.values), c["id"]
