"""Statistical disclosure control for exported tables: primary and secondary cell suppression.

Rules
-----
1. **Primary suppression.** A count of 1 … ``min_cell_size - 1`` is hidden (NA). Zeros are
   published (the convention of :func:`civcomp.io.outputs.write_table`). Published margins are
   cells too: a small row, column or grand total is hidden as well.
2. **Secondary (complementary) suppression.** A table is published with margins; every row
   (or column) together with its total forms an *additive line*: the total equals the sum of
   the line's cells. A line with exactly one hidden cell lets a reader recover it by
   subtraction. So, in every line with exactly one hidden cell, the smallest remaining cell
   of the line is hidden too (non-zero body cells first, then zeros; the line's total only
   if no body cell is left). Hiding a cell can create a new single-hidden line crossing it,
   so the rule is applied until nothing changes (a fixed point; it terminates because cells
   are only ever added). With both margins published, one more check runs in the same loop:
   two blocks of hidden cells joined through a single hidden cell leave that cell derivable
   although each of its lines holds two hidden cells (it lies on no cycle of hidden cells,
   a *bridge*); the smallest cell that closes a cycle through it is hidden as well.
3. **Derived columns.** Percentages, shares and intervals computed from a hidden count are
   hidden with it (:func:`propagate`).

Which lines are additive depends on what the table publishes (``margins``): ``"both"`` for
a single-choice crosstab with row and column totals, ``"rows"`` for a multi-select table
(options × groups plus a total column: options don't add up within a group, but each
option's group counts add up to its total), ``"columns"``, or ``"none"``.

Limitations
-----------
No hidden cell is *exactly* derivable from the published cells and totals (tests check
this with a linear program: each hidden non-zero cell's feasible range has positive width).
The width of that range is not controlled (no protection intervals as in tau-ARGUS), and
the choice of complementary cells is greedy, not the minimum-loss optimum.

References
----------
Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4 (magnitude and
frequency tables, primary and secondary suppression).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["SuppressionResult", "suppress", "propagate", "small_cells", "DERIVED_PREFIXES"]

TOTAL = "total"
DERIVED_PREFIXES = ("pct_", "share_", "ci_low_", "ci_high_")


@dataclass
class SuppressionResult:
    """Outcome of :func:`suppress`.

    Attributes
    ----------
    table : DataFrame
        The body with hidden cells as NA (nullable ``Int64``).
    mask : DataFrame
        True where a body cell is hidden.
    row_totals, col_totals : Series or None
        Published margins (NA where hidden); None when that margin is not published.
    grand_total : int or NA or None
    cells : DataFrame
        One row per hidden cell: ``row``, ``column`` (``"total"`` for a margin), ``count``
        (the hidden value — for the notebook's log only, never exported), ``reason``
        ("primary", "forced" or "secondary").
    """

    table: pd.DataFrame
    mask: pd.DataFrame
    row_totals: pd.Series | None
    col_totals: pd.Series | None
    grand_total: object
    cells: pd.DataFrame = field(repr=False)

    @property
    def n_primary(self) -> int:
        return int((self.cells["reason"] == "primary").sum())

    @property
    def n_secondary(self) -> int:
        return int((self.cells["reason"] == "secondary").sum())

    def describe(self) -> list[str]:
        """Human-readable list of hidden cells (positions and reasons, not values)."""
        return [f"{r.row} × {r.column} ({r.reason})" for r in self.cells.itertuples()]


def suppress(counts: pd.DataFrame, min_cell_size: int, margins: str = "both",
             force: pd.DataFrame | None = None) -> SuppressionResult:
    """Hide small cells of a frequency table and enough others that none can be recovered.

    Parameters
    ----------
    counts : DataFrame
        Body of the table (non-negative integer counts, no total row/column).
    min_cell_size : int
        Smallest count that may be published (``params/global.yaml: min_cell_size``).
    margins : {"both", "rows", "columns", "none"}
        Which totals the exported table publishes (and hence which lines are additive).
    force : DataFrame of bool, optional
        Body cells to hide whatever their value (reason ``"forced"``), e.g. every cell of a
        group whose own size is hidden; secondary suppression then protects them too.

    Returns
    -------
    SuppressionResult

    Examples
    --------
    A cell of 2 in a 2 × 2 table with both margins: its row partner, its column partner
    and the diagonal cell must go too, or subtraction from the totals gives it back.

    >>> t = pd.DataFrame({"a": [2, 10], "b": [20, 30]}, index=["x", "y"])
    >>> r = suppress(t, 5)
    >>> r.table.isna().to_numpy().tolist()
    [[True, True], [True, True]]
    >>> r.n_primary, r.n_secondary
    (1, 3)
    """
    if margins not in ("both", "rows", "columns", "none"):
        raise ValueError(f"margins must be 'both', 'rows', 'columns' or 'none', got {margins!r}")
    if int(min_cell_size) < 1:
        raise ValueError(f"min_cell_size must be a positive integer, got {min_cell_size!r}")
    k = int(min_cell_size)
    body = counts.astype(float).to_numpy()
    if np.isnan(body).any() or (body < 0).any() or (body != np.round(body)).any():
        raise ValueError("counts must be non-negative integers without missing values")
    r, c = body.shape
    with_rows, with_cols = margins in ("both", "rows"), margins in ("both", "columns")
    # augmented matrix: body, then a total column and/or a total row (+ grand total when both)
    R, C = r + (1 if with_cols else 0), c + (1 if with_rows else 0)
    a = np.zeros((R, C))
    a[:r, :c] = body
    if with_rows:
        a[:r, c] = body.sum(axis=1)
    if with_cols:
        a[r, :c] = body.sum(axis=0)
    if with_rows and with_cols:
        a[r, c] = body.sum()
    hidden = (a > 0) & (a < k)
    reason = np.where(hidden, "primary", "").astype(object)
    if force is not None:
        f = force.reindex(index=counts.index, columns=counts.columns, fill_value=False).to_numpy(bool)
        reason[:r, :c][f & ~hidden[:r, :c]] = "forced"
        hidden[:r, :c] |= f

    def lines():
        if with_rows:
            for i in range(R):
                yield [(i, j) for j in range(C)], (i, c)
        if with_cols:
            for j in range(C):
                yield [(i, j) for i in range(R)], (r, j)

    changed = True
    while changed:
        changed = False
        if with_rows and with_cols:
            changed = _break_bridges(a, hidden, reason)
        for cells, total in lines():
            n_hidden = sum(hidden[p] for p in cells)
            if n_hidden != 1:
                continue
            body_cand = [p for p in cells if p != total and not hidden[p]]
            if body_cand:
                # smallest non-zero cell first (least information lost), zeros last; ties by position
                pick = min(body_cand, key=lambda p: (a[p] == 0, a[p], p))
            elif not hidden[total]:
                pick = total
            else:  # pragma: no cover - a line always has a body cell and a total
                continue
            hidden[pick], reason[pick] = True, "secondary"
            changed = True

    idx, cols = list(counts.index), list(counts.columns)
    names_r = idx + ([TOTAL] if with_cols else [])
    names_c = cols + ([TOTAL] if with_rows else [])
    table = pd.DataFrame(np.where(hidden[:r, :c], np.nan, body), index=counts.index,
                         columns=counts.columns).astype("Int64")
    mask = pd.DataFrame(hidden[:r, :c], index=counts.index, columns=counts.columns)
    row_tot = (pd.Series(np.where(hidden[:r, c], np.nan, a[:r, c]), index=counts.index).astype("Int64")
               if with_rows else None)
    col_tot = (pd.Series(np.where(hidden[r, :c], np.nan, a[r, :c]), index=counts.columns).astype("Int64")
               if with_cols else None)
    grand = (pd.NA if hidden[r, c] else int(a[r, c])) if (with_rows and with_cols) else None
    log = [{"row": names_r[i], "column": names_c[j], "count": int(a[i, j]), "reason": reason[i, j]}
           for i in range(R) for j in range(C) if hidden[i, j]]
    cells_df = pd.DataFrame(log, columns=["row", "column", "count", "reason"])
    return SuppressionResult(table, mask, row_tot, col_tot, grand, cells_df)


def _components(hidden: np.ndarray, skip: tuple[int, int]) -> dict[tuple[str, int], int]:
    """Component label of every row and column vertex of the graph whose edges are hidden cells (minus ``skip``)."""
    R, C = hidden.shape
    adj: dict[tuple[str, int], list[tuple[str, int]]] = {("r", i): [] for i in range(R)}
    adj.update({("c", j): [] for j in range(C)})
    for i, j in np.argwhere(hidden):
        if (i, j) != skip:
            adj[("r", i)].append(("c", j))
            adj[("c", j)].append(("r", i))
    comp: dict[tuple[str, int], int] = {}
    for start in adj:
        if start in comp:
            continue
        label, stack = len(set(comp.values())), [start]
        comp[start] = label
        while stack:
            for w in adj[stack.pop()]:
                if w not in comp:
                    comp[w] = label
                    stack.append(w)
    return comp


def _break_bridges(a: np.ndarray, hidden: np.ndarray, reason: np.ndarray) -> bool:
    """Close the first bridge among the hidden cells; return True if a cell was hidden.

    With both margins published, the ways hidden cells can vary while every published total
    stays fixed are the cycles of the bipartite row–column graph whose edges are the hidden
    cells. A hidden cell on no cycle (a *bridge*) is exactly derivable even when every line
    holds two hidden cells (e.g. two blocks of hidden cells joined through one cell). Hiding
    any cell that links the bridge's two sides puts it on a cycle; the smallest is taken.
    """
    for i, j in map(tuple, np.argwhere(hidden)):
        comp = _components(hidden, (i, j))
        side_r, side_c = comp[("r", i)], comp[("c", j)]
        if side_r == side_c:
            continue  # on a cycle: not derivable
        cand = [(x, y) for x, y in np.ndindex(*a.shape) if not hidden[x, y]
                and {comp[("r", x)], comp[("c", y)]} == {side_r, side_c}]
        if cand:
            pick = min(cand, key=lambda p: (a[p] == 0, a[p], p))
            hidden[pick], reason[pick] = True, "secondary"
            return True
    return False


def propagate(df: pd.DataFrame, prefixes: tuple[str, ...] = DERIVED_PREFIXES) -> pd.DataFrame:
    """Hide derived columns wherever the count they come from is hidden.

    A count column ``n_<x>`` governs ``pct_<x>``, ``share_<x>``, ``ci_low_<x>``,
    ``ci_high_<x>``; the plain ``n`` column governs ``pct``, ``share``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> d = pd.DataFrame({"n_a": pd.array([None, 12], dtype="Int64"), "pct_a": [1.5, 9.0]})
    >>> propagate(d)["pct_a"].isna().tolist()
    [True, False]
    """
    out = df.copy()
    for col in df.columns:
        if col == "n":
            targets = [p.rstrip("_") for p in prefixes]
        elif str(col).startswith("n_"):
            targets = [p + str(col)[2:] for p in prefixes]
        else:
            continue
        na = df[col].isna()
        for t in targets:
            if t in out.columns:
                out[t] = out[t].astype("Float64" if out[t].dtype.kind == "f" else out[t].dtype)
                out.loc[na, t] = pd.NA
    return out


def small_cells(df: pd.DataFrame, min_cell_size: int) -> list[tuple[int, str, float]]:
    """Count cells (columns ``n``/``n_*``) holding a value in 1 … min_cell_size-1: ``(row, column, value)``.

    Examples
    --------
    >>> small_cells(pd.DataFrame({"n": [0, 3, 7], "pct": [0, 1, 2]}), 5)
    [(1, 'n', 3.0)]
    """
    bad = []
    for col in df.columns:
        if col == "n" or str(col).startswith("n_"):
            vals = pd.to_numeric(df[col], errors="coerce")
            for i, v in vals.items():
                if pd.notna(v) and 0 < v < min_cell_size:
                    bad.append((int(i) if isinstance(i, (int, np.integer)) else i, str(col), float(v)))
    return bad


def suppress_table(table: pd.DataFrame, keys: Sequence[str], min_group_size: int = 3, min_cell_size: int = 5,
             count_col: str = "n", lines: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """Blank small rater groups and small counts before export.

    * rows with 0 < ``count_col`` < ``min_group_size``: every non-key column becomes NA;
    * every count column (``n`` / ``n_*``) with a value in 1..min_cell_size-1 becomes NA, and
      so does its share column (``n_x`` -> ``share_x``), which would otherwise reveal it;
    * ``lines``: groups of count columns that add up to a total a reader knows (e.g. the
      ``n_score_0`` ... ``n_score_10`` of a distribution add up to ``n``). A single hidden cell
      in such a line could be recovered by subtraction, so complementary cells are hidden too
      (:func:`civcomp.stats.disclosure.suppress`, margins ``"rows"``).

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b", "c"], "n": [2, 4, 40], "mean": [5.0, 6.0, 7.0],
    ...                   "n_below": [1, 0, 3], "share_below": [0.5, 0.0, 0.075]})
    >>> suppress_table(t, keys=["g"])
       g     n  mean  n_below  share_below
    0  a  <NA>   NaN     <NA>          NaN
    1  b  <NA>   6.0        0          0.0
    2  c    40   7.0     <NA>          NaN
    """

    out = table.copy()
    counts = [c for c in out.columns if (c == "n" or str(c).startswith("n_")) and c not in keys]
    if count_col not in counts:
        raise KeyError(f"suppress: count column {count_col!r} not in table columns {list(out.columns)}")
    n = out[count_col]
    small = ((n > 0) & (n < min_group_size)).to_numpy()  # an empty group (n = 0) discloses nothing
    for col in counts:
        out[col] = out[col].astype("Int64")
    hide = pd.DataFrame(False, index=out.index, columns=counts)
    for col in counts:
        hide[col] = ((out[col] > 0) & (out[col] < min_cell_size)).fillna(False).to_numpy(dtype=bool)
    for cols in lines:
        missing = [c for c in cols if c not in counts]
        if missing:
            raise KeyError(f"suppress: line column(s) {missing} are not count columns of the table")
        body = out[list(cols)].fillna(0).astype(int).reset_index(drop=True)
        res = suppress(body, min_cell_size, margins="rows")
        hide[list(cols)] |= res.mask.to_numpy()
    for col in out.columns:
        if col not in keys:
            out[col] = out[col].mask(small)
    for col in counts:
        out[col] = out[col].mask(hide[col])
        share = "share" + col[1:]
        if col != "n" and share in out.columns:
            out[share] = out[share].mask(hide[col])
    return out


def suppress_small(table: pd.DataFrame, min_cell_size: int, count: str = "n") -> pd.DataFrame:
    """Disclosure control of a one-way frequency table whose total is published.

    Counts of 1 … ``min_cell_size - 1`` are hidden, and because the total (the
    denominator of the shares) is published, one more cell is hidden whenever a
    single hidden cell could be recovered by subtraction (:func:`civcomp.stats.disclosure.suppress`
    with column margins); shares and CIs of hidden counts are hidden with them
    (:func:`civcomp.stats.disclosure.propagate`).

    Examples
    --------
    >>> t = suppress_small(pd.DataFrame({"n": [0, 3, 12, 40], "share": [0, .05, .22, .73]}), 5)
    >>> t["n"].tolist()
    [0, <NA>, <NA>, 40]
    """
    hidden = suppress(table[[count]].reset_index(drop=True), min_cell_size, margins="columns").table[count]
    out = table.copy()
    out[count] = hidden.set_axis(table.index).astype("Int64")
    return propagate(out)


