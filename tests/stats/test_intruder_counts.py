"""The generic joint integer attack on a count table (civcomp.stats.intruder_counts).

A hidden cell left alone in a row whose total and partner are published is pinned; hidden with its
partners along its row and its column (the column totals come from a fully published sibling table of the
same population) it is not; a share printed beside a hidden count gives it back.
"""

from __future__ import annotations

import pandas as pd

from civcomp.stats import intruder_counts as ic

K = 5


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {"group": ["a", "b", "c"], "n": [30, 40, 50], "n_yes": [12, 15, 20], "n_no": [18, 25, 30]}
    ).assign(share_yes=lambda t: t["n_yes"] / t["n"])


def test_audit_generic_attack_pins_a_cell_left_recoverable(tmp_path):
    t = _counts()
    t.loc[0, "n_yes"] = pd.NA  # one hidden cell in a row with its total and partner published
    tables = {"by_group": t, "by_level": _counts().rename(columns={"group": "level"})}
    got = ic.attack_counts("by_group", tables, K)
    assert len(got) == 1 and got["width"].iloc[0] == 0
    # hidden with its partners along the row and the column (the totals come from the full sibling table)
    safe = _counts().astype({"n_yes": "Int64", "n_no": "Int64"})
    safe.loc[[0, 1], ["n_yes", "n_no"]] = pd.NA
    safe.loc[[0, 1], "share_yes"] = float("nan")
    got = ic.attack_counts("by_group", {**tables, "by_group": safe}, K)
    assert len(got) == 4 and (got["width"] >= K - 1).all()
    # the same table with the share of a hidden count left published: the share gives it back
    leaky = safe.copy()
    leaky.loc[0, "share_yes"] = 0.4
    got = ic.attack_counts("by_group", {**tables, "by_group": leaky}, K)
    assert (got["width"] == 0).any()


def test_audit_generic_attack_reads_a_long_tables_margins_from_another_table():
    tiers = pd.DataFrame({"tier": ["x", "y"], "n": [90, 90], "n_postings": [30, 40]})
    long = pd.DataFrame(
        {
            "level": ["a", "b", "c"] * 2,
            "tier": ["x"] * 3 + ["y"] * 3,
            "n": [30, 30, 30] * 2,
            "n_postings": [10, 12, None, 10, 15, 15],
        }
    )
    got = ic.attack_counts("long", {"long": long, "tiers": tiers}, K)
    assert got[["lo", "hi"]].to_numpy().tolist() == [[8.0, 8.0]]  # the tier's total gives the one hidden cell
    long.loc[1, "n_postings"] = None  # hidden in pairs along the tier, as publishable_tiers_by hides them
    got = ic.attack_counts("long", {"long": long, "tiers": tiers}, K)
    assert (got["width"] >= K - 1).all()


def test_audit_generic_attack_adds_a_results_total_up_only_over_a_partition():
    """Overlapping rows (each tier counts all 60 postings): the results' n_postings is no column total."""
    tiers = pd.DataFrame({"tier": ["a", "b", "c", "d"], "n": [60] * 4, "n_postings": [9, 13, pd.NA, 5]})
    tiers = tiers.astype({"n_postings": "Int64"})
    got = ic.attack_counts("tiers", {"tiers": tiers}, K, {"n_postings": 60})
    assert len(got) == 1 and got["lo"].iloc[0] != got["hi"].iloc[0], got  # 60 - 27 = 33 would be a false pin
    # a partition (groups adding up to the 60) still takes the total from the results
    groups = pd.DataFrame({"g": ["a", "b", "c"], "n": [20, 20, 20], "n_yes": [9, 13, pd.NA], "n_no": [11, 7, pd.NA]})
    groups = groups.astype({"n_yes": "Int64", "n_no": "Int64"})
    got = ic.attack_counts("groups", {"groups": groups}, K, {"n": 60, "n_yes": 25})
    assert (got["width"] == 0).all(), got


def test_A3_a_results_mean_of_options_chosen_bounds_the_hidden_cells_of_its_column():
    """02's barriers: the mean number of barriers per respondent of a level, times the level's respondents,
    is the sum of the level's column (but "none"); with it the two hidden central cells add up to 5."""
    t = pd.DataFrame(
        {
            "option": ["respondents", "a", "b", "c", "none"],
            "n_central": [40, 20, None, None, 15],
            "n_regional": [60, 30, None, None, 20],
            "n_total": [100, 50, 12, 23, 35],
        }
    )
    without = ic.attack_counts("barriers_by_level", {"barriers_by_level": t}, 5)
    res = {"barrier_mean_central": round(25 / 40, 2), "barrier_base_central": 40}
    got = ic.attack_counts("barriers_by_level", {"barriers_by_level": t}, 5, res).set_index(["row", "column"])
    assert (got.loc[(2, "n_central"), "hi"], got.loc[(3, "n_central"), "hi"]) == (5.0, 5.0)
    assert (without["hi"] > 5).all()
    # a stem that is not the table's, or no base, adds nothing
    other = ic.attack_counts("barriers_by_level", {"barriers_by_level": t}, 5, {"training_mean_central": 0.62})
    pd.testing.assert_frame_equal(other, without)
