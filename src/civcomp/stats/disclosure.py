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
   are only ever added). The hidden cells of a line whose total is published must also add up
   to at least ``min_cell_size`` (the threshold rule applied to their union): two hidden
   cells of 1 and 2 in a line would otherwise be known to hold 3 between them, each
   somewhere in 0 … 3, a range narrower than the threshold; another cell is hidden. With both margins published, one more check runs in the same loop:
   two blocks of hidden cells joined through a single hidden cell leave that cell derivable
   although each of its lines holds two hidden cells (it lies on no cycle of hidden cells,
   a *bridge*); the smallest cell that closes a cycle through it is hidden as well.
3. **Derived columns.** Percentages, shares and intervals computed from a hidden count are
   hidden with it (:func:`propagate`).
4. **Linked tables.** A table broken down by a group whose ungrouped version is published
   is protected across the groups too; cells that equal a cell of another table (a summary's
   0-answers and a distribution's score-0 count) are hidden in both (``force``). Both are
   :mod:`civcomp.stats.linked_tables`, built on this module.
5. **Magnitudes (rounding rule).** Means, SDs and medians are published at two decimals,
   coarser where a count behind them is hidden, hidden for a group too small for any step
   to protect it (:func:`resolution`, :func:`coarsen`); the step used is published.
6. **Everything else published** — results JSON, notebook text, test statistics — follows
   the same threshold (:func:`civcomp.io.outputs.write_results` refuses small counts;
   statistics of tests on tables with a small cell are withheld). :mod:`civcomp.stats.intruder`
   audits the outcome.

Which lines are additive depends on what the table publishes (``margins``): ``"both"`` for
a single-choice crosstab with row and column totals, ``"rows"`` for a multi-select table
(options × groups plus a total column: options don't add up within a group, but each
option's group counts add up to its total), ``"columns"``, or ``"none"``.

Limitations
-----------
No hidden cell is *exactly* derivable from the published cells and totals (tests check
this with a linear program), and the hidden cells of a published line add up to at least
``min_cell_size``, so each one's range spans at least ``min_cell_size - 1`` within that
line (:mod:`civcomp.stats.intruder` checks this over the linked tables). The choice of
complementary cells is greedy, not the minimum-loss optimum of tau-ARGUS' modular method.

Size: one job, what of a single table may be published (primary and secondary suppression, derived
columns, the rounding rule of magnitudes); tables published together are :mod:`civcomp.stats.linked_tables`.

References
----------
Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4 (magnitude and
frequency tables, primary and secondary suppression, linked tables, audit).
ONS (2006/2019). Disclosure control guidance for tables produced from surveys (threshold rule
on the union of suppressed cells; rounding of means).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "SuppressionResult",
    "suppress",
    "propagate",
    "small_cells",
    "suppress_table",
    "suppress_small",
    "resolution",
    "coarsen",
    "DERIVED_PREFIXES",
    "SUPPRESSED",
]

TOTAL = "total"
SUPPRESSED = "suppressed"  # the one marker a published list of hidden cells carries (never primary/secondary)
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


def suppress(
    counts: pd.DataFrame,
    min_cell_size: int,
    margins: str = "both",
    force: pd.DataFrame | None = None,
    force_totals: tuple[Sequence[bool] | None, Sequence[bool] | None] | None = None,
) -> SuppressionResult:
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
    force_totals : (row totals, column totals), optional
        Published margins to hide whatever their value (each a sequence of bool or None), e.g. the
        cells of an ungrouped table hidden there, when the body is its breakdown by group.

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
    if force_totals is not None:
        ft_r, ft_c = force_totals
        if ft_r is not None and with_rows:
            f = np.asarray(ft_r, dtype=bool)
            reason[:r, c][f & ~hidden[:r, c]] = "forced"
            hidden[:r, c] |= f
        if ft_c is not None and with_cols:
            f = np.asarray(ft_c, dtype=bool)
            reason[r, :c][f & ~hidden[r, :c]] = "forced"
            hidden[r, :c] |= f

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
            hidden_sum = sum(a[p] for p in cells if hidden[p] and p != total)
            small_union = n_hidden >= 2 and not hidden[total] and 0 < hidden_sum < k
            if n_hidden != 1 and not small_union:
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
    table = pd.DataFrame(np.where(hidden[:r, :c], np.nan, body), index=counts.index, columns=counts.columns).astype(
        "Int64"
    )
    mask = pd.DataFrame(hidden[:r, :c], index=counts.index, columns=counts.columns)
    row_tot = (
        pd.Series(np.where(hidden[:r, c], np.nan, a[:r, c]), index=counts.index).astype("Int64") if with_rows else None
    )
    col_tot = (
        pd.Series(np.where(hidden[r, :c], np.nan, a[r, :c]), index=counts.columns).astype("Int64")
        if with_cols
        else None
    )
    grand = (pd.NA if hidden[r, c] else int(a[r, c])) if (with_rows and with_cols) else None
    log = [
        {"row": names_r[i], "column": names_c[j], "count": int(a[i, j]), "reason": reason[i, j]}
        for i in range(R)
        for j in range(C)
        if hidden[i, j]
    ]
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
        cand = [
            (x, y)
            for x, y in np.ndindex(*a.shape)
            if not hidden[x, y] and {comp[("r", x)], comp[("c", y)]} == {side_r, side_c}
        ]
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


def suppress_table(
    table: pd.DataFrame,
    keys: Sequence[str],
    min_group_size: int = 3,
    min_cell_size: int = 5,
    count_col: str = "n",
    lines: Sequence[Sequence[str]] = (),
    force: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Blank small rater groups and small counts before export.

    * rows with 0 < ``count_col`` < ``min_group_size``: every non-key column becomes NA;
    * every count column (``n`` / ``n_*``) with a value in 1..min_cell_size-1 becomes NA, and
      so does its share column (``n_x`` -> ``share_x``), which would otherwise reveal it;
    * ``lines``: groups of count columns that add up to a total a reader knows (e.g. the
      ``n_score_0`` ... ``n_score_10`` of a distribution add up to ``n``). A single hidden cell
      in such a line could be recovered by subtraction, so complementary cells are hidden too
      (:func:`civcomp.stats.disclosure.suppress`, margins ``"rows"``);
    * ``force``: count cells (same index as ``table``, columns among its count columns) to
      hide whatever their value, e.g. a cell that equals a cell hidden in a *linked* table
      (the 0-answers of a summary row are the score-0 count of the distribution row).

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
    if force is not None:
        f = force.reindex(index=out.index, columns=counts, fill_value=False).fillna(False).astype(bool)
        hide |= f.to_numpy()
    for cols in lines:
        missing = [c for c in cols if c not in counts]
        if missing:
            raise KeyError(f"suppress: line column(s) {missing} are not count columns of the table")
        body = out[list(cols)].fillna(0).astype(int).reset_index(drop=True)
        res = suppress(body, min_cell_size, margins="rows", force=hide[list(cols)].reset_index(drop=True))
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


def resolution(
    n: int,
    min_cell_size: int,
    hidden_count: bool = False,
    hidden_cells: bool = False,
    digits: int = 2,
    sd: float | None = None,
) -> float | None:
    """Rounding step for the mean/SD/median of a group of ``n`` scores on a 0-10 scale (None: hide).

    Rounding rule (:func:`coarsen`): every magnitude is published at ``digits`` decimals (the
    papers' precision). A statistic is a disclosure channel when a count behind it is hidden:

    * ``hidden_count`` — the group's own ``n`` is hidden. The mean of ``n`` integer scores is
      a multiple of ``1/n``; published to six digits it tells ``n`` apart from ``n ± 1``. With a
      step ``r >= 1/(n - min_cell_size + 1)`` every candidate ``n'`` within ``min_cell_size`` of
      the true one has some integer sum that rounds to the published mean, so ``n`` stays hidden.
      Below ``2 min_cell_size`` ratings the statistics of such a group are hidden.
    * ``hidden_cells`` — score counts of the same group are hidden in a linked distribution. Mean
      and SD fix the sum and the sum of squares of the scores. Moving ``m = min_cell_size - 1``
      ratings between two hidden scores (0-10) moves the mean by up to ``10 m / n`` and the
      SD by up to about ``50 m / (n sd)``; both must stay inside half a rounding step, so
      ``r >= 20 m / n`` and ``r >= 100 m / (n sd)`` (``sd`` floored at 0.5).

    The step is the smallest power of ten at least as coarse as every requirement; a step
    coarser than 1 point (a group too small) means the statistic is hidden (None).

    Examples
    --------
    >>> resolution(476, 5), resolution(476, 5, hidden_count=True), resolution(60, 5, hidden_count=True)
    (0.01, 0.01, 0.1)
    >>> resolution(8810, 5, hidden_cells=True, sd=1.5), resolution(300, 5, hidden_cells=True, sd=1.5)
    (0.1, 1.0)
    >>> resolution(200, 5, hidden_cells=True, sd=1.5) is None
    True
    """
    need = 10.0**-digits
    if hidden_count and n < 2 * min_cell_size:
        return None  # a small group with a hidden size: any published mean narrows the size down
    if hidden_count:
        need = max(need, 1.0 / max(n - min_cell_size + 1, 1))
    if hidden_cells:
        m = min_cell_size - 1
        spread = max(float(sd), 0.5) if sd is not None and not np.isnan(sd) else 0.5
        need = max(need, 20.0 * m / max(n, 1), 100.0 * m / (max(n, 1) * spread))
    step = 10.0**-digits
    while step < need - 1e-12:
        step *= 10
    return None if step > 1 + 1e-12 else round(step, 10)


def _safe_step(
    n: int, k: int, hidden_count: bool, hidden_cells: bool, digits: int, sd: float, mean: float
) -> float | None:
    """:func:`resolution`, made coarser while a value sits too close to the edge of its rounding interval.

    The bound of :func:`resolution` keeps a move of ``k - 1`` ratings inside half a step; a
    value near an edge leaves less room on one side, so the distance to the rounded value is
    added to the move and the step widened (or the statistic hidden) until both fit.
    """
    step = resolution(n, k, hidden_count, hidden_cells, digits, sd)
    if step is None or not hidden_cells or n < 2:
        return step
    m = k - 1
    spread = max(sd, 0.5) if not np.isnan(sd) else 0.5
    moves = [(mean, 10.0 * m / n), (sd, 50.0 * m / (n * spread))]
    while step <= 1 + 1e-12:
        if all(np.isnan(v) or abs(v - round(v / step) * step) + mv <= step / 2 for v, mv in moves):
            return step
        step *= 10
    return None


def coarsen(
    table: pd.DataFrame,
    stats: Sequence[str],
    n_true: pd.Series,
    min_cell_size: int,
    hidden_count: pd.Series | None = None,
    hidden_cells: pd.Series | None = None,
    digits: int = 2,
) -> pd.DataFrame:
    """Apply the rounding rule of :func:`resolution` to the magnitude columns ``stats``, row by row.

    ``n_true`` is the group size before suppression (used to choose the step, never
    published); ``hidden_count``/``hidden_cells`` flag rows whose ``n`` is hidden or whose
    linked score counts are hidden. A row whose step would be coarser than 1 is blanked.
    The step used is published in a column ``rounding`` (NA where the statistics are hidden),
    so a reader knows each value's precision (the CSV prints 8.20 as 8.2).

    Examples
    --------
    >>> t = pd.DataFrame({"mean": [7.123456, 7.123456, 7.123456], "n": [500, 60, 3]})
    >>> coarsen(t, ["mean"], t["n"], 5, hidden_count=pd.Series([False, True, True]))["mean"].tolist()
    [7.12, 7.1, nan]
    """
    out = table.copy()
    hc = (hidden_count if hidden_count is not None else pd.Series(False, index=table.index)).fillna(False)
    hx = (hidden_cells if hidden_cells is not None else pd.Series(False, index=table.index)).fillna(False)
    sds = (
        pd.to_numeric(table["sd"], errors="coerce").astype(float).to_numpy()
        if "sd" in table.columns
        else np.full(len(table), np.nan)
    )
    means = (
        pd.to_numeric(table["mean"], errors="coerce").astype(float).to_numpy()
        if "mean" in table.columns
        else np.full(len(table), np.nan)
    )
    steps = [
        _safe_step(int(n) if pd.notna(n) else 0, min_cell_size, bool(a), bool(b), digits, sd, m)
        for n, a, b, sd, m in zip(n_true.to_numpy(), hc.to_numpy(), hx.to_numpy(), sds, means)
    ]
    for col in stats:
        if col not in out.columns:
            continue
        vals = pd.to_numeric(out[col], errors="coerce").astype(float).to_numpy()
        new = np.array(
            [np.nan if st is None or np.isnan(v) else round(round(v / st) * st, 10) for v, st in zip(vals, steps)]
        )
        out[col] = new
    if any(c in out.columns for c in stats):
        out["rounding"] = [np.nan if st is None else st for st in steps]
        blank = out[[c for c in stats if c in out.columns]].isna().all(axis=1)
        out.loc[blank, "rounding"] = np.nan
    return out
