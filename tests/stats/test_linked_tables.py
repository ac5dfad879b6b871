"""civcomp.stats.linked_tables: a summary and its distribution hide the same linked cells; groups protect each other."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd

from civcomp.stats import linked_tables as lt


def _summary_and_distribution(seed: int = 2, groups: int = 6):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 12, (groups, 11))
    counts[:, 0] = rng.choice([0, 1, 2, 3, 8, 20], groups)
    dist = pd.DataFrame(counts, columns=[f"n_score_{k}" for k in range(11)]).assign(g=[f"g{i}" for i in range(groups)])
    dist["n"] = counts.sum(axis=1)
    scores = np.arange(11)
    n_valid = counts[:, 1:].sum(axis=1)
    mean = (counts[:, 1:] * scores[1:]).sum(axis=1) / n_valid
    summ = pd.DataFrame({"g": dist["g"], "n": n_valid, "mean": mean, "sd": 1.5, "n_zero": counts[:, 0]})
    return summ, dist


def test_summary_and_distribution_hide_the_same_zero_counts():
    summ, dist = _summary_and_distribution()
    s, d = lt.publishable_summary(summ, dist, ["g"], 5, 3)
    hidden_s = s["n_zero"].isna() & summ["n_zero"].notna()
    hidden_d = d["n_score_0"].isna() & dist["n_score_0"].notna()
    assert hidden_s.tolist() == hidden_d.tolist()
    assert hidden_s.any()  # the small zero counts really are hidden
    assert (s.loc[~hidden_s, "n_zero"] == summ.loc[~hidden_s, "n_zero"]).all()


def test_publishable_drops_linked_sums_and_rounds_magnitudes():
    t = pd.DataFrame({"g": ["a", "b"], "n": [40, 41], "mean": [7.123456, 6.5], "n_zero": [20, 9], "n_ratings": 1})
    out = lt.publishable(t, ["g"], 5, 3, lines=lt.ZERO_LINE)
    assert "n_ratings" not in out.columns
    assert out["mean"].tolist() == [7.12, 6.5] and out["rounding"].tolist() == [0.01, 0.01]


def test_suppress_grouped_protects_across_groups():
    t = pd.DataFrame({"g": ["a", "b", "c"], "k": "x", "n": [40, 41, 42], "n_zero": [2, 9, 12]})
    out = lt.suppress_grouped(t, "g", ["k"], 3, 5)
    assert out["n_zero"].isna().sum() == 2  # the 2, and one more so the total does not give it back


def test_docstring_examples_run():
    res = doctest.testmod(lt, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted >= 3 and res.failed == 0


def _breakdown(seed: int, groups: int = 3, outside: bool = False):
    rng = np.random.default_rng(seed)
    cells = [f"n_score_{k}" for k in range(11)]
    by = pd.DataFrame(rng.choice([0, 0, 1, 2, 3, 6, 9, 14], (groups * 2, 11)), columns=cells)
    by["g"] = [f"g{i}" for i in range(groups)] * 2
    by["k"] = ["x"] * groups + ["y"] * groups
    tot = by.groupby("k", as_index=False)[cells].sum()
    if outside:  # two respondents without a group: in the total, in no group
        tot.loc[0, "n_score_7"] += 2
    by["n"], tot["n"] = by[cells].sum(axis=1), tot[cells].sum(axis=1)
    return tot, by, cells


def test_suppress_breakdown_never_hides_a_total_cell_that_published_group_cells_add_up_to():
    for seed in range(12):
        tot, by, cells = _breakdown(seed, outside=seed % 3 == 0)
        m_tot, m_by = lt.suppress_breakdown(tot, by, ["k"], "g", cells, 5, 3)
        for i, key in enumerate(tot["k"]):
            rows = (by["k"] == key).to_numpy()
            for c in cells:
                v = tot.loc[i, c]
                assert not (0 < v < 5) or m_tot.loc[i, c], (seed, key, c)  # small totals are hidden
                if m_tot.loc[i, c]:
                    assert m_by.loc[rows, c].any(), (seed, key, c)  # never the sum of published group cells
            for j in by.index[rows]:
                small = [(0 < by.loc[j, c] < 5) for c in cells]
                assert all(m_by.loc[j, c] for c, s in zip(cells, small) if s), (seed, j)
                assert m_by.loc[j, cells].sum() != 1  # one hidden cell in a row is its n minus the rest


def test_suppress_breakdown_keeps_the_row_of_respondents_without_a_group_unpublished():
    tot, by, cells = _breakdown(3, outside=True)
    m_tot, m_by = lt.suppress_breakdown(tot, by, ["k"], "g", cells, 5, 3)
    # the total's score 7 exceeds its groups' sum: those two people are a hidden row, so the column is protected
    assert m_tot.loc[0, "n_score_7"] or m_by.loc[(by["k"] == "x").to_numpy(), "n_score_7"].sum() >= 1
