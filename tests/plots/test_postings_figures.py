"""Notebook 01's figures (civcomp.plots.postings) draw only what its exported tables publish.

A4: the area × tier heatmap and the tier bars by level were drawn from unexported, unsuppressed frames:
the heatmap's annotations, with the published group sizes, gave every area × tier count (small ones
included). The test publishes notebook 01 on the twin into a temporary folder the way the notebook does
(every table through ``write_table``, every figure through ``save_figure``), reads the SVGs back with the
whole-outputs audit (:mod:`civcomp.stats.intruder_audit`) and finds no number the tables do not publish;
the same figures drawn the old way (from ``tiers_by``) must be caught, or the test could not fail.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from civcomp import paths  # noqa: E402
from civcomp.analyses import postings  # noqa: E402
from civcomp.io import load  # noqa: E402
from civcomp.io.outputs import save_figure, write_table  # noqa: E402
from civcomp.io.params import snapshot  # noqa: E402
from civcomp.plots import postings as plots  # noqa: E402
from civcomp.stats import intruder_audit as ia  # noqa: E402

STEP = "01_content_analysis"


@pytest.fixture(scope="module")
def twin_data():
    """Notebook 01's datasets of the twin, loaded once for this file; read-only (tests take copies)."""
    if not (paths.SYNTHETIC / "postings.synthetic.csv").is_file():
        pytest.skip("synthetic twin not built (civcomp synthesize)")
    return {n: load.load(n, "synthetic") for n in postings.DATASETS if load.available(n, "synthetic")}


@pytest.fixture(scope="module")
def published(twin_data):
    p = {**snapshot().steps[STEP], "n_boot": 20, "n_boot_validity": 20}
    return p, postings.results({n: f.copy() for n, f in twin_data.items()}, p)


def _figures(pub, tiers_level: pd.DataFrame, tiers_area: pd.DataFrame, confidence: float) -> dict:
    part = pub.parts
    tiers = part["coder"].dictionary.tiers
    return {
        "headline_share": plots.plot_headline(pub.tables["headline"], confidence),
        "tiers_by_level": plots.plot_tiers_by_level(tiers_level),
        "heatmap_functional_area": plots.plot_area_heatmap(tiers_area, part["area_label"], part["tier_label"], tiers),
    }


def _leaks(figs: dict, tables: dict, folder) -> dict[str, list]:
    out = {}
    for name, fig in figs.items():
        svg = next(p for p in save_figure(fig, STEP, name, "synthetic", folder) if p.suffix == ".svg")
        plt.close(fig)
        read = ia.svg_readings(svg)
        assert read, f"{name}: the audit read no number from the SVG"
        out[name] = ia.figure_leaks(read, tables)
    return out


def test_A4_figures_of_01_publish_no_number_the_tables_do_not(published, tmp_path):
    p, pub = published
    k = p["min_cell_size"]
    for name, table in pub.tables.items():
        write_table(table, STEP, name, min_cell_size=k, tables_dir=tmp_path / "tables")
    tables = ia.read_tables(tmp_path)[STEP]
    area = tables["tiers_by_functional_area"]
    # the small counts and the small complements of the heatmap's cells are hidden, and their shares with them
    shown = area.dropna(subset=["n_postings"])
    assert not ((shown["n_postings"] > 0) & (shown["n_postings"] < k)).any()
    assert not ((shown["n"] - shown["n_postings"] > 0) & (shown["n"] - shown["n_postings"] < k)).any()
    assert area.loc[area["n_postings"].isna(), "share"].isna().all()
    figs = _figures(pub, pub.tables["tiers_by_level"], pub.tables["tiers_by_functional_area"], p["confidence"])
    after = _leaks(figs, tables, tmp_path / "figures")
    assert after == {name: [] for name in figs}, after
    # the old publication (these figures drawn from unexported frames, no tier table): the audit catches both
    coded, tiers = pub.parts["coded"], pub.parts["coder"].dictionary.tiers
    label = pub.parts["tier_label"]
    old_level = postings.tiers_by(coded, "level", tiers).assign(label=lambda t: t["tier"].map(label))
    old = _leaks(
        _figures(pub, old_level, postings.tiers_by(coded, "functional_area", tiers), p["confidence"]),
        {n: t for n, t in tables.items() if not n.startswith("tiers_by_")},
        tmp_path / "old",
    )
    assert old["tiers_by_level"] and old["heatmap_functional_area"], old


def test_A4_publishable_tiers_by_hides_small_counts_and_complements():
    coded = pd.DataFrame(
        {
            "area": ["a"] * 20 + ["b"] * 20 + ["c"] * 20,
            "tier_x": [1] * 3 + [0] * 17 + [1] * 10 + [0] * 10 + [1] * 18 + [0] * 2,
        }
    )
    n = coded.groupby("area").size()
    t = postings.publishable_tiers_by(coded, "area", ["x"], n, 5).set_index("area")
    assert pd.isna(t.loc["a", "n_postings"]) and pd.isna(t.loc["c", "n_postings"])  # 3, and 18 of 20
    assert t["n"].tolist() == [20, 20, 20]
    # one tier's counts add up to its published total: the hidden ones are at least two
    assert t["n_postings"].isna().sum() >= 2 and t["share"].isna().sum() == t["n_postings"].isna().sum()


@pytest.mark.parametrize("n_postings", [60, 80, 300])
def test_A4_small_corpus_tier_tables_resist_the_joint_attack(published, n_postings):
    """A real-mode-sized corpus: the tier tables the figures draw, attacked with the tier totals and group sizes."""
    from civcomp.stats import intruder_counts, intruder_joint

    p, pub = published
    k = p["min_cell_size"]
    coded = pub.parts["coded"].sample(n=n_postings, random_state=n_postings)
    tiers = pub.parts["coder"].dictionary.tiers
    attacked = pinned = 0
    for by in ("level", "functional_area"):
        group_n = postings.breakdown(coded, by, k).set_index(by)["n"]
        tables = {
            "tiers": postings.tier_shares(coded, tiers, min_cell_size=k),
            f"tiers_by_{by}": postings.publishable_tiers_by(coded, by, tiers, group_n, k),
        }
        found = intruder_joint.classify(intruder_counts.attack_counts(f"tiers_by_{by}", tables, k), k)
        attacked, pinned = attacked + len(found), pinned + int(found["pinned"].sum())
    print(f"\n{n_postings} postings: {attacked} hidden tier cells attacked, {pinned} pinned")
    assert attacked > 0 and pinned == 0


@pytest.mark.parametrize("n_postings", [60, 80, 300])
def test_A4_small_corpus_every_01_table_passes_the_writers_disclosure_check(published, twin_data, n_postings, tmp_path):
    """A real-mode-sized corpus runs notebook 01 to the end: no exported table keeps a count of 1-4."""
    from civcomp.io.outputs import write_results, write_table

    p, _ = published
    data = {n: f.copy() for n, f in twin_data.items()}
    small = data["postings"].sample(n=n_postings, random_state=n_postings)
    data = {**data, "postings": small}
    if "postings_gold" in data:
        data["postings_gold"] = data["postings_gold"][data["postings_gold"]["id"].isin(small["id"])]
    pub = postings.results(data, p)
    for name, table in pub.tables.items():
        write_table(table, STEP, name, p["min_cell_size"], tmp_path)  # raises on an unsuppressed count 1-4
    write_results(STEP, pub.values, "real", tmp_path)  # a withheld share is null, not a crash
    tiers = pub.tables["tiers"]
    assert (tiers["n_postings"].isna() == tiers["share"].isna()).all()
