"""Disclosure control: primary + secondary suppression leaves no hidden cell derivable.

The attack model is the one of Hundepool et al. (2012, ch. 4): a reader who knows the
published cells and totals solves for the hidden ones. `_ranges` does that with a linear
program (scipy.optimize.linprog): for each hidden cell, its smallest and largest value
consistent with everything published and with counts being non-negative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from civcomp.stats.disclosure import propagate, small_cells, suppress


def _augmented(res, counts, margins):
    """Published augmented matrix (NaN = hidden) and the true one."""
    body = counts.to_numpy(float)
    pub = res.table.to_numpy(dtype=float, na_value=np.nan)
    if margins in ("both", "rows"):
        body = np.column_stack([body, body.sum(axis=1)])
        pub = np.column_stack([pub, res.row_totals.to_numpy(dtype=float, na_value=np.nan)])
    if margins in ("both", "columns"):
        true_tot = (
            body.sum(axis=0)
            if margins == "columns"
            else np.append(counts.to_numpy().sum(axis=0), counts.to_numpy().sum())
        )
        pub_tot = res.col_totals.to_numpy(dtype=float, na_value=np.nan)
        if margins == "both":
            pub_tot = np.append(pub_tot, np.nan if pd.isna(res.grand_total) else res.grand_total)
        body = np.vstack([body, true_tot])
        pub = np.vstack([pub, pub_tot])
    return pub, body


def _ranges(pub: np.ndarray, margins: str) -> dict[tuple[int, int], tuple[float, float]]:
    """Feasible [min, max] of every hidden cell given the published augmented table."""
    R, C = pub.shape
    hidden = [tuple(p) for p in np.argwhere(np.isnan(pub))]
    if not hidden:
        return {}
    idx = {p: k for k, p in enumerate(hidden)}
    lines = []
    if margins in ("both", "rows"):
        lines += [[(i, j) for j in range(C)] for i in range(R)]
    if margins in ("both", "columns"):
        lines += [[(i, j) for i in range(R)] for j in range(C)]
    A, b = [], []
    for line in lines:  # sum of body cells of the line - its total (last cell) = 0
        row, rhs = np.zeros(len(hidden)), 0.0
        for k, p in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if p in idx:
                row[idx[p]] += sign
            else:
                rhs -= sign * pub[p]
        if row.any():
            A.append(row)
            b.append(rhs)
    out = {}
    for p, k in idx.items():
        c = np.zeros(len(hidden))
        c[k] = 1
        kw = dict(A_eq=np.array(A), b_eq=np.array(b)) if A else {}
        lo = linprog(c, bounds=(0, None), method="highs", **kw)
        hi = linprog(-c, bounds=(0, None), method="highs", **kw)
        out[p] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
    return out


def _assert_protected(counts: pd.DataFrame, k: int, margins: str):
    res = suppress(counts, k, margins)
    pub, true = _augmented(res, counts, margins)
    shown = pub[~np.isnan(pub)]
    assert not ((shown > 0) & (shown < k)).any(), "a published cell is below min_cell_size"
    for p, (lo, hi) in _ranges(pub, margins).items():
        assert lo - 1e-7 <= true[p] <= hi + 1e-7
        if true[p] > 0:
            assert hi - lo > 0.5, f"hidden cell {p}={true[p]} is derivable: range [{lo}, {hi}]\n{pub}"
    return res


# ------------------------------------------------------------------ the acceptance case
def test_hidden_cell_would_be_derivable_without_secondary_suppression():
    counts = pd.DataFrame({"central": [3, 40, 25], "regional": [12, 50, 30]}, index=["no_funding", "no_time", "none"])
    # primary suppression alone hides only the 3 — and row total 15 minus regional 12 gives it back
    pub = counts.to_numpy(float)
    pub[0, 0] = np.nan
    pub = np.column_stack([pub, counts.sum(axis=1)])
    pub = np.vstack([pub, np.append(counts.sum(axis=0), counts.to_numpy().sum())])
    lo, hi = _ranges(pub, "both")[(0, 0)]
    assert lo == pytest.approx(3) and hi == pytest.approx(3)
    # with secondary suppression it is no longer derivable
    res = _assert_protected(counts, 5, "both")
    assert res.n_primary == 1 and res.n_secondary >= 3
    # smallest partners are chosen: 12 in the row, 25 in the column, then 30 closes the rectangle
    assert res.mask.to_numpy().tolist() == [[True, True], [False, False], [True, True]]
    assert set(res.cells["reason"]) == {"primary", "secondary"}
    assert res.describe()[0] == "no_funding × central (primary)"


def test_rows_margin_only_protects_along_rows():
    # multi-select layout: options × groups with a total column; columns are not additive
    counts = pd.DataFrame({"a": [2, 40], "b": [30, 3], "c": [9, 50]}, index=["x", "y"])
    res = _assert_protected(counts, 5, "rows")
    assert res.mask.to_numpy().tolist() == [[True, False, True], [True, True, False]]
    assert res.col_totals is None and res.grand_total is None


def test_bridge_between_two_blocks_is_closed():
    # Two 2×2 blocks of small cells that share one row. Every line has 2 hidden cells after the
    # line rule, yet a cell on no cycle of hidden cells stays derivable unless the bridge is closed.
    counts = pd.DataFrame([[1, 1, 0, 0, 20], [1, 40, 1, 1, 20], [0, 0, 1, 1, 20], [20, 20, 20, 20, 20]])
    _assert_protected(counts, 3, "both")


def test_small_margin_is_suppressed():
    counts = pd.DataFrame({"a": [2, 0], "b": [1, 0]}, index=["x", "y"])
    res = suppress(counts, 5, "both")
    assert res.row_totals.isna().tolist() == [True, False]
    assert pd.isna(res.grand_total)


def test_no_small_cells_means_no_suppression_and_zeros_are_published():
    counts = pd.DataFrame({"a": [0, 10], "b": [7, 0]})
    res = suppress(counts, 5)
    assert res.cells.empty and res.table.notna().all().all()


def test_input_errors():
    with pytest.raises(ValueError, match="margins"):
        suppress(pd.DataFrame([[1]]), 5, margins="diagonal")
    with pytest.raises(ValueError, match="non-negative integers"):
        suppress(pd.DataFrame([[1.5, 2]]), 5)
    with pytest.raises(ValueError, match="min_cell_size"):
        suppress(pd.DataFrame([[1]]), 0)


def test_propagate_hides_derived_columns():
    d = pd.DataFrame(
        {
            "option": ["a", "b"],
            "n_central": pd.array([None, 12], dtype="Int64"),
            "pct_central": [1.0, 24.0],
            "n": pd.array([30, None], dtype="Int64"),
            "pct": [60.0, 3.0],
            "ci_low": [0.4, 0.01],
        }
    )
    out = propagate(d)
    assert out["pct_central"].isna().tolist() == [True, False]
    assert out["pct"].isna().tolist() == [False, True]
    assert out["ci_low"].isna().tolist() == [False, True]
    assert small_cells(out, 5) == []
    assert small_cells(pd.DataFrame({"n_x": [2, 10]}), 5) == [(0, "n_x", 2.0)]


# ------------------------------------------------------------------ property-based
tables = st.tuples(st.integers(2, 5), st.integers(2, 5)).flatmap(
    lambda s: st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 12, 20, 35]), min_size=s[1], max_size=s[1]),
        min_size=s[0],
        max_size=s[0],
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.sampled_from(["both", "rows", "columns"]))
def test_no_hidden_cell_is_derivable(cells, margins):
    _assert_protected(pd.DataFrame(cells), 5, margins)


def test_docstring_examples_run():
    import doctest

    import civcomp.stats.disclosure

    assert doctest.testmod(civcomp.stats.disclosure).failed == 0


def test_forced_total_is_hidden_and_protected():
    t = pd.DataFrame({"a": [20, 30], "b": [25, 35]}, index=["x", "y"])
    assert not suppress(t, 5).table.isna().any().any()
    r = suppress(t, 5, force_totals=(None, [True, False]))
    assert pd.isna(r.col_totals["a"])
    # a hidden total alone in its column would be the sum of the cells above it: one of them goes too
    # (and with it a cycle through the other column, or the grand total would give it back)
    assert r.mask["a"].sum() == 1 and r.mask.sum().sum() == 2 and pd.isna(r.col_totals["b"])
    assert (r.cells["reason"] == "forced").sum() == 1
