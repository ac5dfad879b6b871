"""Disclosure control of linked tables: tables whose cells or totals another published table repeats.

:mod:`civcomp.stats.disclosure` protects one table. Two kinds of link let a reader undo that:

* a table broken down by a group (region, position level) whose ungrouped version is published: its
  hidden cells would be recovered across the groups by subtraction (:func:`suppress_grouped`);
* a summary (``n``, ``n_zero``, mean, SD, median) and the score distribution of the same groups: the
  summary's ``n_zero`` is the distribution's ``n_score_0``, and its mean and SD fix the sum and sum of
  squares of the scores (:func:`publishable_summary`);
* a distribution published nationally *and* by group (with both summaries): per row, the groups ×
  scores form a two-way table whose column totals are the national cells. Suppressed one table at a
  time, the national table hides cells (its own secondary suppression) that are the plain sum of
  published group cells, and the group table treats national cells as published totals although they
  are hidden. So the two are suppressed as one table with both margins (:func:`suppress_breakdown`),
  and the four tables as one family (:func:`publishable_family`), audited as it is published by the
  joint integer attack (:func:`civcomp.stats.intruder_joint.attack_family`): a cell that several lines
  together narrow below ``min_cell_size - 1`` gets one more hidden cell in its row, until none is.
  This is the rule for any family that attack pins a cell of: suppress the linked tables together
  first; merge categories (or band SDs) only where that cannot protect it, since merging costs every
  reader the full 0-10 distribution wherever one count is small.

:func:`publishable` is the one call for an exported table of counts and magnitudes: suppression (grouped
when ``group`` is given), the rounding rule of magnitudes (:func:`civcomp.stats.disclosure.coarsen`),
linked sums dropped. :mod:`civcomp.stats.intruder` audits the outcome.

Size: one job, the suppression of tables published together (groups, summary and distribution, a
family of both); the suppression of one table is :mod:`civcomp.stats.disclosure`.

References
----------
Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4 (linked tables).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from civcomp.stats.disclosure import coarsen, suppress, suppress_table

__all__ = [
    "suppress_grouped",
    "publishable",
    "publishable_summary",
    "publishable_family",
    "suppress_breakdown",
    "linked_hidden",
    "align_rounding",
    "SCORE_LINE",
    "ZERO_LINE",
    "MAGNITUDES",
]


def suppress_grouped(
    table: pd.DataFrame,
    group: str,
    keys: Sequence[str],
    min_group_size: int,
    min_cell_size: int,
    lines: Sequence[Sequence[str]] = (),
    force: pd.DataFrame | None = None,
    across: Sequence[str] | None = None,
    max_rounds: int = 20,
) -> pd.DataFrame:
    """:func:`suppress_table` for a table broken down by ``group`` whose ungrouped version is published too.

    Each count column, read across the groups for fixed other ``keys`` (e.g. the 20 regions'
    ``n_zero`` of one perspective × competency), adds up to the count of the ungrouped table,
    which is published: a single hidden group in such a column is recovered by subtraction.
    ``across`` names the keys that identify the same cell in every group (default: all
    ``keys`` but ``group``; leave out labels that differ by group, such as a rank).
    Secondary suppression therefore runs along both directions — the row ``lines`` of
    :func:`suppress_table` and, per count column, the group direction (margins ``"columns"``
    of :func:`suppress`) — until nothing changes.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b", "c"], "k": "x", "n": [40, 41, 42], "n_zero": [2, 9, 12]})
    >>> suppress_grouped(t, "g", ["k"], 3, 5)["n_zero"].tolist()
    [<NA>, <NA>, 12]
    """
    other = [k for k in keys if k != group]
    counts = [c for c in table.columns if (c == "n" or str(c).startswith("n_")) and c not in keys]
    hide = pd.DataFrame(False, index=table.index, columns=counts)
    if force is not None:
        hide |= force.reindex(index=table.index, columns=counts, fill_value=False).fillna(False).astype(bool)
    cell_keys = [k for k in (other if across is None else across) if k != group]
    cell_id = (
        table[cell_keys].astype(str).agg("\x1f".join, axis=1) if cell_keys else pd.Series("all", index=table.index)
    )
    for _ in range(max_rounds):
        out = suppress_table(
            table,
            keys=[group, *other],
            min_group_size=min_group_size,
            min_cell_size=min_cell_size,
            lines=lines,
            force=hide,
        )
        now = pd.DataFrame({c: out[c].isna() & table[c].notna() for c in counts})
        for col in counts:
            body = pd.DataFrame(
                {"g": table[group].astype(str), "cell": cell_id, "v": table[col].fillna(0).astype(int)}
            ).pivot(index="g", columns="cell", values="v")
            mask = (
                pd.DataFrame({"g": table[group].astype(str), "cell": cell_id, "h": now[col]})
                .pivot(index="g", columns="cell", values="h")
                .fillna(False)
                .astype(bool)
            )
            res = suppress(body.fillna(0).astype(int), min_cell_size, margins="columns", force=mask)
            back = res.mask.stack()
            now[col] |= np.array([bool(back.get((g, c), False)) for g, c in zip(table[group].astype(str), cell_id)])
        if (now == hide).all().all():
            return out
        hide = now
    return out  # pragma: no cover - the hidden set only grows, so the loop settles well before max_rounds


MAGNITUDES = ("mean", "median", "sd", "mean_self", "mean_others", "mean_gap", "sd_gap")  # rounded by coarsen
SCORE_LINE = (tuple(f"n_score_{k}" for k in range(11)),)  # a distribution's counts add up to its n
ZERO_LINE = (("n", "n_zero"),)  # rated 1-10 + rated 0 = respondents who answered, published elsewhere
# sums of a summary's n over its rows (e.g. ratings over competencies): publishing them would undo its suppression
UNPUBLISHED = ("n_ratings",)
GROUP_LABELS = ("rank", "is_weakest", "flag")  # keys that are results, not cell identifiers


def publishable(
    table: pd.DataFrame,
    keys: Sequence[str],
    min_cell_size: int,
    min_group_size: int,
    lines: Sequence[Sequence[str]] = (),
    group: str | None = None,
    force: pd.DataFrame | None = None,
    hidden_cells: pd.Series | None = None,
    ratios_of_n: Sequence[str] = (),
) -> pd.DataFrame:
    """The exportable version of a table of counts and magnitudes: suppressed, coarsened, linked sums dropped.

    ``group`` names the breakdown column when the ungrouped table is published too (secondary
    suppression then also runs across groups, :func:`civcomp.stats.disclosure.suppress_grouped`).
    Means, medians and SDs are rounded by :func:`civcomp.stats.disclosure.coarsen`: two decimals,
    coarser where the row's ``n`` or (``hidden_cells``) its linked score counts are hidden.
    ``ratios_of_n`` names columns that are a published count divided by ``n`` (``share_blind_spot``):
    they are hidden where ``n`` is, or they would give it back.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b"], "n": [40, 41], "mean": [7.123456, 6.5], "n_zero": [2, 9]})
    >>> publishable(t, ["g"], 5, 3, lines=ZERO_LINE)
       g     n  mean  n_zero  rounding
    0  a  <NA>   7.1    <NA>      0.10
    1  b    41   6.5       9      0.01
    """
    drop = [c for c in UNPUBLISHED if c in table.columns]
    base = table.drop(columns=drop).reset_index(drop=True)
    if group is not None:
        out = suppress_grouped(
            base,
            group,
            list(keys),
            min_group_size,
            min_cell_size,
            lines=lines,
            force=force,
            across=[k for k in keys if k not in GROUP_LABELS],
        )
    else:
        out = suppress_table(
            base, keys=list(keys), min_group_size=min_group_size, min_cell_size=min_cell_size, lines=lines, force=force
        )
    if "n" in base.columns:
        hidden_n = out["n"].isna() & base["n"].notna()
        out = coarsen(
            out,
            [c for c in MAGNITUDES if c in out.columns],
            base["n"],
            min_cell_size,
            hidden_count=hidden_n,
            hidden_cells=hidden_cells,
        )
        for col in [c for c in ratios_of_n if c in out.columns]:
            out[col] = out[col].astype(float).mask(hidden_n.to_numpy())
    return out


def publishable_summary(
    summ: pd.DataFrame,
    dist: pd.DataFrame | None,
    keys: Sequence[str],
    min_cell_size: int,
    min_group_size: int,
    group: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Publish a summary table and the score distribution of the same groups together.

    ``summ`` holds per group ``n`` (scores 1-10), ``n_zero`` (0 answers) and magnitudes (mean, SD, …);
    ``dist`` holds ``n`` and ``n_score_0`` … ``n_score_10`` (e.g. :func:`civcomp.analyses.appraisal.summary`
    and :func:`civcomp.analyses.appraisal.distribution`), or is None when only the summary is published.

    The two are linked: the summary's ``n_zero`` is the distribution's ``n_score_0``, and the
    summary's mean and SD (with its ``n``) fix the sum and the sum of squares of the scores 1-10.
    A cell hidden in one table is hidden in the other, and the summary's statistics of a row
    with hidden score counts are coarsened (:func:`civcomp.stats.disclosure.resolution`).

    Examples
    --------
    >>> s = pd.DataFrame({"g": ["a", "b"], "n": [40, 41], "mean": [7.1, 6.5], "sd": [1.0, 1.2], "n_zero": [2, 9]})
    >>> d = pd.DataFrame({"g": ["a", "b"], "n": [42, 50], **{f"n_score_{k}": [0, 0] for k in range(1, 11)}})
    >>> d["n_score_0"], d["n_score_7"] = [2, 9], [40, 41]
    >>> s_out, d_out = publishable_summary(s, d, ["g"], 5, 3)
    >>> s_out["n_zero"].isna().tolist(), d_out["n_score_0"].isna().tolist()
    ([True, False], [True, False])
    """
    s_base = summ.reset_index(drop=True)
    if dist is None:
        return publishable(s_base, keys, min_cell_size, min_group_size, ZERO_LINE, group), None
    d_base = dist.reset_index(drop=True)
    key_list = list(keys)
    pos = s_base[key_list].merge(d_base[key_list].reset_index(), on=key_list, how="left")["index"]
    force_s = pd.DataFrame(False, index=s_base.index, columns=["n_zero"])
    force_d = pd.DataFrame(False, index=d_base.index, columns=["n_score_0"])
    for _ in range(10):
        d_out = publishable(d_base, keys, min_cell_size, min_group_size, SCORE_LINE, group, force=force_d)
        d_hidden = pd.DataFrame({c: d_out[c].isna() & d_base[c].notna() for c in SCORE_LINE[0]})
        at = pos.to_numpy()
        ok = ~pd.isna(at)
        zero_hidden = np.zeros(len(s_base), bool)
        cells_hidden = np.zeros(len(s_base), bool)
        zero_hidden[ok] = d_hidden["n_score_0"].to_numpy()[at[ok].astype(int)]
        cells_hidden[ok] = d_hidden[list(SCORE_LINE[0][1:])].any(axis=1).to_numpy()[at[ok].astype(int)]
        new_force_s = force_s | pd.DataFrame({"n_zero": zero_hidden}, index=s_base.index)
        s_out = publishable(
            s_base,
            keys,
            min_cell_size,
            min_group_size,
            ZERO_LINE,
            group,
            force=new_force_s,
            hidden_cells=pd.Series(cells_hidden, index=s_base.index),
        )
        s_zero_hidden = (s_out["n_zero"].isna() & s_base["n_zero"].notna()).to_numpy()
        new_force_d = force_d.copy()
        new_force_d.loc[at[ok & s_zero_hidden].astype(int), "n_score_0"] = True
        if new_force_d.equals(force_d) and new_force_s.equals(force_s):
            return s_out, d_out
        force_s, force_d = new_force_s, new_force_d
    return s_out, d_out  # pragma: no cover - hidden sets only grow


def suppress_breakdown(
    total: pd.DataFrame,
    breakdown: pd.DataFrame,
    keys: Sequence[str],
    group: str,
    cells: Sequence[str],
    min_cell_size: int,
    min_group_size: int,
    force_total: pd.DataFrame | None = None,
    force_breakdown: pd.DataFrame | None = None,
    count: str = "n",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which counts of a table and of its breakdown by ``group`` to hide, the two suppressed as one.

    For each row of ``total`` (identified by ``keys``, e.g. perspective × competency), its rows in
    ``breakdown`` (one per ``group`` level) and it form one two-way table: groups × ``cells``
    (e.g. the scores 0-10), whose row totals are the groups' ``count`` and whose column totals and
    grand total are the row of ``total``. It is suppressed with both margins
    (:func:`civcomp.stats.disclosure.suppress`: primary, secondary along rows and columns, the
    threshold rule on hidden unions, bridges), so a cell hidden in ``total`` is never the sum of
    published group cells, and no group cell is the difference of published totals. Respondents
    outside every group (a missing ``group``) form a row that is never published. Groups with
    ``0 < count < min_group_size`` are hidden whole. ``force_*`` (bool frames over ``count`` and
    ``cells``) are cells hidden whatever their value, e.g. because a linked table hides them.

    Returns the two masks (bool frames over ``[count, *cells]``, index of each table).

    Examples
    --------
    >>> tot = pd.DataFrame({"k": ["x"], "n": [40], "a": [3], "b": [37]})
    >>> by = pd.DataFrame({"g": ["p", "q"], "k": "x", "n": [20, 20], "a": [0, 3], "b": [20, 17]})
    >>> m_tot, m_by = suppress_breakdown(tot, by, ["k"], "g", ["a", "b"], 5, 3)
    >>> m_tot[["a", "b"]].to_numpy().tolist(), m_by[["a", "b"]].to_numpy().tolist()
    ([[True, True]], [[False, False], [True, True]])
    """
    cells, keys = list(cells), list(keys)
    cols = [count, *cells]

    def start(frame: pd.DataFrame, force: pd.DataFrame | None) -> np.ndarray:
        if force is None:
            return np.zeros((len(frame), len(cols)), bool)
        return force.reindex(index=frame.index, columns=cols, fill_value=False).fillna(False).to_numpy(dtype=bool)

    hide_t, hide_b = start(total, force_total), start(breakdown, force_breakdown)
    val_t = total[cells].fillna(0).to_numpy(dtype=np.int64)
    val_b = breakdown[cells].fillna(0).to_numpy(dtype=np.int64)
    n_b = pd.to_numeric(breakdown[count], errors="coerce").fillna(0).to_numpy()
    hide_b[(n_b > 0) & (n_b < min_group_size)] = True
    ids_b = breakdown[keys].astype(str).agg("\x1f".join, axis=1).to_numpy()
    ids_t = total[keys].astype(str).agg("\x1f".join, axis=1).to_numpy()
    labels = breakdown[group].astype(str).to_numpy()
    rows_of = pd.Series(np.arange(len(breakdown))).groupby(ids_b).apply(list).to_dict() if len(breakdown) else {}
    for i, cid in enumerate(ids_t):
        at = rows_of.get(cid, [])
        body, force, row_force = val_b[at], hide_b[at, 1:], hide_b[at, 0]
        rest = val_t[i] - body.sum(axis=0)
        names = list(labels[at])
        if rest.any():  # respondents without a group: their row is published nowhere
            body = np.vstack([body, np.maximum(rest, 0)])
            force = np.vstack([force, np.ones(len(cells), bool)])
            row_force, names = np.append(row_force, False), [*names, "\x00outside"]
        res = suppress(
            pd.DataFrame(body, index=names, columns=cells),
            min_cell_size,
            "both",
            force=pd.DataFrame(force, index=names, columns=cells),
            force_totals=(row_force, hide_t[i, 1:]),
        )
        hide_b[at, 1:] = res.mask.to_numpy()[: len(at)]
        hide_b[at, 0] = res.row_totals.isna().to_numpy()[: len(at)]
        hide_t[i, 1:] = res.col_totals.isna().to_numpy()
        hide_t[i, 0] |= bool(pd.isna(res.grand_total))
    return (
        pd.DataFrame(hide_t, index=total.index, columns=cols),
        pd.DataFrame(hide_b, index=breakdown.index, columns=cols),
    )


def publishable_family(
    summ: pd.DataFrame,
    dist: pd.DataFrame,
    summ_by: pd.DataFrame,
    dist_by: pd.DataFrame,
    keys: Sequence[str],
    group: str,
    min_cell_size: int,
    min_group_size: int,
    audit: Callable[[dict[str, pd.DataFrame]], pd.DataFrame] | None = None,
    max_rounds: int = 10,
) -> dict[str, pd.DataFrame]:
    """Publish a summary and its score distribution, nationally and by ``group``, as one family.

    The four tables are linked in every direction a reader can add up: a distribution row adds up to
    its ``n``; the groups' cells add up to the national cell (:func:`suppress_breakdown` suppresses
    the two distributions together, so a hidden national cell is never the sum of published group
    cells); a summary's ``n_zero`` is its distribution's ``n_score_0`` (hidden in both) and its ``n``
    the scores 1-10; its mean and SD, where score counts are hidden, are coarsened
    (:func:`civcomp.stats.disclosure.resolution`). Hidden sets only grow, to a fixed point.

    ``audit`` attacks the four tables at once (e.g. :func:`civcomp.stats.intruder_joint.attack_family`;
    it gets them by the names ``summary``, ``distribution``, ``summary_by``, ``distribution_by`` and
    returns one row per hidden count: ``table``, ``row``, ``column``, ``lo``, ``hi``, ``width``). The
    line rules guard each line; several lines together can still narrow a cell (three hidden cells
    known to hold 3 between them, through a row and a column). So while the audit finds a non-zero
    cell narrowed to a range below ``min_cell_size - 1``, the smallest published non-zero count of its
    row is hidden too (of its column when the row has none left) and the family suppressed again.

    Returns the tables ``summary``, ``distribution``, ``summary_by``, ``distribution_by``.
    """
    keys = list(keys)
    base = {
        "summary": summ.reset_index(drop=True),
        "distribution": dist.reset_index(drop=True),
        "summary_by": summ_by.reset_index(drop=True),
        "distribution_by": dist_by.reset_index(drop=True),
    }
    cells = list(SCORE_LINE[0])
    extra = {lvl: pd.DataFrame(False, index=base[f"distribution{lvl}"].index, columns=cells) for lvl in ("", "_by")}
    out = _family(base, keys, group, min_cell_size, min_group_size, extra)
    for _ in range(max_rounds if audit is not None else 0):
        found = audit(out)
        live = pd.to_numeric(found["hi"], errors="coerce") > 0
        bad = found[live & (pd.to_numeric(found["width"], errors="coerce") < min_cell_size - 1)]
        added = False
        # one more cell per narrowed row and round: the next audit says whether that was enough
        for (t_name, row), part in bad.groupby(["table", "row"], sort=True):
            if t_name in ("distribution", "distribution_by"):
                lvl = "_by" if t_name == "distribution_by" else ""
                added |= _hide_one_more(out, extra, keys, lvl, int(row), str(part["column"].iloc[0]))
        if not added:
            break
        out = _family(base, keys, group, min_cell_size, min_group_size, extra)
    return out


def _hide_one_more(
    out: dict[str, pd.DataFrame], extra: dict[str, pd.DataFrame], keys: list[str], lvl: str, row: int, col: str
) -> bool:
    """Force the smallest published non-zero score count of ``row`` hidden (else of ``col`` in its block)."""
    cells = list(SCORE_LINE[0])
    pub = out[f"distribution{lvl}"]
    vals = pub.loc[row, cells]
    cand = [(float(v), c) for c, v in vals.items() if pd.notna(v) and float(v) > 0]
    if cand:
        extra[lvl].loc[row, min(cand)[1]] = True
        return True
    if col not in cells:
        return False
    key = tuple(str(pub.loc[row, k]) for k in keys)
    options = []
    for other in ("", "_by"):
        t = out[f"distribution{other}"]
        same = (t[keys].astype(str).apply(tuple, axis=1) == key).to_numpy()
        for i in t.index[same]:
            v = t.loc[i, col]
            if pd.notna(v) and float(v) > 0:
                options.append((float(v), other, i))
    if not options:
        return False
    _, other, i = min(options)
    extra[other].loc[i, col] = True
    return True


def _family(
    base: dict[str, pd.DataFrame],
    keys: list[str],
    group: str,
    min_cell_size: int,
    min_group_size: int,
    extra: dict[str, pd.DataFrame],
) -> dict[str, pd.DataFrame]:
    """:func:`publishable_family` with the score counts ``extra`` hidden whatever their value."""
    gkeys = [group, *keys]
    cells = list(SCORE_LINE[0])
    pos = {
        lvl: base[f"summary{lvl}"][kk].merge(base[f"distribution{lvl}"][kk].reset_index(), on=kk, how="left")["index"]
        for lvl, kk in (("", keys), ("_by", gkeys))
    }
    force_d = {lvl: extra[lvl].copy() for lvl in pos}
    force_s = {lvl: pd.DataFrame(False, index=base[f"summary{lvl}"].index, columns=["n_zero"]) for lvl in pos}
    out: dict[str, pd.DataFrame] = {}
    ids = {lvl: base[f"distribution{lvl}"][keys].astype(str).agg("\x1f".join, axis=1) for lvl in pos}
    masks: dict[str, pd.DataFrame] = {}
    todo = set(ids[""])
    for _ in range(10):
        # only the blocks whose forced cells changed are suppressed again
        sel = {lvl: ids[lvl].isin(todo).to_numpy() for lvl in pos}
        m_t, m_b = suppress_breakdown(
            base["distribution"][sel[""]],
            base["distribution_by"][sel["_by"]],
            keys,
            group,
            cells,
            min_cell_size,
            min_group_size,
            force_total=force_d[""][sel[""]],
            force_breakdown=force_d["_by"][sel["_by"]],
        )
        for lvl, m in (("", m_t), ("_by", m_b)):
            whole = m if lvl not in masks else m.combine_first(masks[lvl])
            masks[lvl] = whole.reindex(base[f"distribution{lvl}"].index).astype(bool)
        todo = set()
        for lvl, kk in (("", keys), ("_by", gkeys)):
            d_base, s_base = base[f"distribution{lvl}"], base[f"summary{lvl}"]
            out[f"distribution{lvl}"] = publishable(d_base, kk, min_cell_size, min_group_size, force=masks[lvl])
            at = pos[lvl].to_numpy()
            ok = ~pd.isna(at)
            rows = at[ok].astype(int)
            zero_hidden = np.zeros(len(s_base), bool)
            cells_hidden = np.zeros(len(s_base), bool)
            zero_hidden[ok] = masks[lvl]["n_score_0"].to_numpy()[rows]
            cells_hidden[ok] = masks[lvl][cells[1:]].any(axis=1).to_numpy()[rows]
            new_s = force_s[lvl] | pd.DataFrame({"n_zero": zero_hidden}, index=s_base.index)
            s_out = publishable(
                s_base,
                kk,
                min_cell_size,
                min_group_size,
                ZERO_LINE,
                group if lvl else None,
                force=new_s,
                hidden_cells=pd.Series(cells_hidden, index=s_base.index),
            )
            out[f"summary{lvl}"] = s_out
            s_zero = (s_out["n_zero"].isna() & s_base["n_zero"].notna()).to_numpy()
            new_d = force_d[lvl].copy()
            new_d.loc[at[ok & s_zero].astype(int), "n_score_0"] = True
            todo |= set(ids[lvl][(new_d["n_score_0"] != force_d[lvl]["n_score_0"]).to_numpy()])
            force_d[lvl], force_s[lvl] = new_d, new_s
        if not todo:
            break
    return out


def linked_hidden(table: pd.DataFrame, linked: pd.DataFrame, keys: Sequence[str], column: str = "n") -> pd.Series:
    """Which rows of ``table`` share their ``keys`` with a row of the published ``linked`` table whose ``column`` is hidden.

    A count of ``table`` that repeats (or nearly repeats) a hidden count of ``linked`` gives it back
    with a published total beside it (e.g. the respondents with a self-other gap are those who rated
    themselves: with the published answered total, that count returns the hidden 0-answers); pass the
    result as ``force`` to :func:`publishable` so the count is hidden too.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b"], "n": [40, 50]})
    >>> lk = pd.DataFrame({"g": ["a", "a", "b"], "p": ["x", "y", "x"], "n": [None, 12, 20]})
    >>> linked_hidden(t, lk, ["g"]).tolist()
    [True, False]
    """
    keys = list(keys)
    ids = linked[keys].astype(str).agg("\x1f".join, axis=1)
    hidden = set(ids[linked[column].isna()])
    return table[keys].astype(str).agg("\x1f".join, axis=1).isin(hidden).set_axis(table.index)


def align_rounding(
    table: pd.DataFrame, linked: pd.DataFrame, keys: Sequence[str], stats: Sequence[str] = MAGNITUDES
) -> pd.DataFrame:
    """Round the magnitudes of ``table`` no finer than those of the linked rows (same ``keys``) of ``linked``.

    A table whose means repeat another's over nearly the same respondents (a gap table's mean self
    rating is the self mean of the summary) must not print them more finely than the table whose
    rounding protects hidden counts; where the linked statistics are hidden, so are these.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b"], "mean_self": [7.26, 6.51], "rounding": [0.01, 0.01]})
    >>> lk = pd.DataFrame({"g": ["a", "a", "b"], "rounding": [0.1, 0.5, 0.01]})
    >>> align_rounding(t, lk, ["g"])[["mean_self", "rounding"]].to_dict("list")
    {'mean_self': [7.5, 6.51], 'rounding': [0.5, 0.01]}
    """
    keys = list(keys)
    out = table.copy()
    lk = linked.assign(_r=pd.to_numeric(linked["rounding"], errors="coerce").fillna(np.inf))
    lk[keys] = lk[keys].astype(str)
    coarse = lk.groupby(keys)["_r"].max()
    at = pd.MultiIndex.from_frame(out[keys].astype(str)) if len(keys) > 1 else out[keys[0]].astype(str)
    step = np.fmax(coarse.reindex(at).to_numpy(dtype=float), pd.to_numeric(out["rounding"]).to_numpy(dtype=float))
    ok = np.isfinite(step)
    for col in [c for c in stats if c in out.columns]:
        v = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
        new = np.full(len(v), np.nan)
        new[ok] = np.round(np.round(v[ok] / step[ok]) * step[ok], 10)
        out[col] = new
    out["rounding"] = np.where(np.isfinite(step), step, np.nan)
    return out
