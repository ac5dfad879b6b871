"""An intruder who tries to recover every suppressed count from everything published beside it.

Disclosure control is audited the way statistical offices audit a table before release
(tau-ARGUS "audit", Hundepool et al. 2012, sec. 4.3): for every hidden cell, the intruder
computes the set of values consistent with all the published numbers. A cell is
**disclosed** when that set is a single value, and **insufficiently protected** when its
range (largest minus smallest consistent value) is below the protection width, here
``min_cell_size - 1`` (so a hidden 1 … 4 at ``min_cell_size = 5`` can be anything from
``0`` to at least ``4``; the protection-interval idea of sdcTable/tau-ARGUS). A hidden cell
shown to be 0 (e.g. all groups of a published zero total) reveals no one and is not counted.

Attacks (each returns one row per hidden cell with the consistent range ``lo``/``hi`` and the
number of consistent values; the audit keeps the narrowest result per cell):

``group_size``
    A summary row whose ``n`` is hidden but whose mean, SD and median are published: every
    ``n'`` from 1 to the group's size (published in a ``share_below`` table) is tried, and it
    is kept when some integer sum and sum of squares of ``n'`` scores 1-10 reproduce the
    published mean and SD (at the published ``rounding`` step, or six significant digits)
    — the differencing attack. The across-group sum (the ungrouped table's
    ``n``) narrows the range further.
``distribution``
    A distribution row with hidden score counts: every way to share the hidden total among
    the hidden scores is enumerated and kept when it reproduces the linked summary row's
    ``n``, mean, SD and median (the mean/SD attack). Falls back to the box range when
    there are more than ``max_enumerate`` ways.
``column``
    A hidden count in a table broken down by group, whose ungrouped total is published: the
    sum of the hidden cells of that column is known; each cell's range follows from the
    others' bounds (the exact linear-programming range of a single equation with boxes).

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4.
de Wolf, P.-P. (2002). HiTaS: a heuristic approach to cell suppression in hierarchical tables.
Meindl, B. (2023). sdcTable: Methods for statistical disclosure control in tabular data (R package).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "feasible_sizes",
    "attack_group_size",
    "attack_distribution",
    "attack_columns",
    "audit_appraisal",
    "summarise",
]

SCORES = np.arange(1, 11)


def _step(row: pd.Series, col: str) -> float:
    """Half-width of the rounding interval of a published value."""
    r = row.get("rounding")
    if r is not None and pd.notna(r):
        return float(r) / 2 + 1e-9
    v = abs(float(row[col]))
    if v == 0:
        return 5e-7
    return 0.5 * 10.0 ** (math.floor(math.log10(v)) - 5) + 1e-12  # six significant digits


def feasible_sizes(
    mean: float, sd: float, half_mean: float, half_sd: float, candidates: np.ndarray, median: float | None = None
) -> np.ndarray:
    """Which group sizes ``n'`` can produce the published mean and SD of scores 1-10.

    ``n'`` is kept when an integer sum ``S`` in ``[n', 10 n']`` has ``|S/n' - mean| <= half_mean``
    and an integer sum of squares ``Q`` has ``|sd(n', S, Q) - sd| <= half_sd``.

    Examples
    --------
    Six-digit means pin the size down; two-decimal means do not.

    >>> m, s = 7.0 / 3 + 5, 1.2
    >>> ok6 = feasible_sizes(round(m, 5), s, 5e-6, 0.06, np.arange(1, 40))
    >>> ok2 = feasible_sizes(round(m, 2), s, 0.005, 0.006, np.arange(100, 140))
    >>> int(ok6.sum()) < 20, bool(ok2.all())
    (True, True)
    """
    n = np.asarray(candidates).astype(np.int64)
    out = np.zeros(len(n), bool)
    nf = n.astype(float)
    s_lo = np.maximum(n, np.ceil(nf * (mean - half_mean) - 1e-9)).astype(np.int64)
    s_hi = np.minimum(10 * n, np.floor(nf * (mean + half_mean) + 1e-9)).astype(np.int64)
    some = (n >= 1) & (s_lo <= s_hi)  # an integer sum of scores 1-10 gives the mean
    if math.isnan(sd):
        return some
    out[some & (n == 1)] = abs(sd) <= half_sd
    many = np.flatnonzero(some & (n >= 2))
    if not len(many):
        return out
    lo_sd, hi_sd = max(sd - half_sd, 0.0), sd + half_sd
    # the candidate sums S of many sizes at once, one flat array per block of sizes (blocks of about 2**18
    # sums stay in cache), one group per size
    # where the SD's interval holds more than one integer sum of squares for every S, the smallest S decides
    # (the sum of squares rises with S); the margin keeps this off the float-rounding edge
    wide = (nf[many] - 1) * (hi_sd**2 - lo_sd**2) >= 1 + 1e-6
    if wide.any():
        idx = many[wide]
        low = s_lo[idx].astype(float)
        out[idx] = np.ceil((nf[idx] - 1) * lo_sd**2 + low**2 / nf[idx] - 1e-9) <= 100 * nf[idx]
        many = many[~wide]
        if not len(many):
            return out
    width = s_hi[many] - s_lo[many] + 1
    block = np.searchsorted(np.cumsum(width), np.arange(1, width.sum() // 2**18 + 2) * 2**18)
    for part in np.split(np.arange(len(many)), np.unique(block[block < len(many)]) + 1):
        if not len(part):
            continue
        idx, w = many[part], width[part]
        first = np.concatenate(([0], np.cumsum(w)[:-1]))
        size = np.repeat(nf[idx], w)
        S = (np.repeat(s_lo[idx], w) + np.arange(w.sum()) - np.repeat(first, w)).astype(float)
        q_lo = np.ceil((size - 1) * lo_sd**2 + S**2 / size - 1e-9)
        q_hi = np.floor((size - 1) * hi_sd**2 + S**2 / size + 1e-9)
        out[idx] = np.logical_or.reduceat(q_lo <= np.minimum(q_hi, 100 * size), first)
    return out


def attack_group_size(summary: pd.DataFrame, group: str, sizes: pd.Series, min_cell_size: int) -> pd.DataFrame:
    """Differencing attack on hidden ``n`` of a summary table from its published mean/SD (see module docstring)."""
    rows = []
    for i, row in summary.iterrows():
        if pd.notna(row["n"]) or pd.isna(row.get("mean")):
            continue
        G = int(sizes.get(row[group], 0)) if group in summary.columns else int(sizes.iloc[0])
        cand = np.arange(1, max(G, 1) + 1)
        ok = feasible_sizes(
            float(row["mean"]),
            float(row.get("sd", np.nan)),
            _step(row, "mean"),
            _step(row, "sd") if pd.notna(row.get("sd")) else 1.0,
            cand,
        )
        vals = cand[ok]
        rows.append(
            {
                "row": i,
                "column": "n",
                "attack": "group_size",
                "lo": int(vals.min()) if len(vals) else None,
                "hi": int(vals.max()) if len(vals) else None,
                "n_values": int(len(vals)),
            }
        )
    return pd.DataFrame(rows, columns=["row", "column", "attack", "lo", "hi", "n_values"])


def _median(counts: np.ndarray) -> np.ndarray:
    """Median of scores 1-10 from count vectors (one per row)."""
    n = counts.sum(axis=1)
    cum = counts.cumsum(axis=1)
    lo_pos, hi_pos = (n - 1) // 2, n // 2
    lo = (cum <= lo_pos[:, None]).sum(axis=1) + 1
    hi = (cum <= hi_pos[:, None]).sum(axis=1) + 1
    return np.where(n > 0, (lo + hi) / 2, np.nan)


def attack_distribution(
    dist: pd.DataFrame, summary: pd.DataFrame, keys: Sequence[str], max_enumerate: int = 2_000_000
) -> pd.DataFrame:
    """Recover hidden score counts of a distribution from the linked summary's n, mean, SD and median."""
    cols = [f"n_score_{j}" for j in range(11)]
    s_idx = summary.set_index(list(keys))
    rows = []
    for i, row in dist.iterrows():
        hidden = [j for j in range(11) if pd.isna(row[cols[j]])]
        if not hidden or pd.isna(row["n"]):
            continue
        T = int(row["n"]) - int(sum(row[cols[j]] for j in range(11) if j not in hidden))
        key = tuple(row[k] for k in keys)
        srow = s_idx.loc[key] if key in s_idx.index else None
        n_ways = math.comb(T + len(hidden) - 1, len(hidden) - 1)
        if srow is None or pd.isna(srow.get("mean")) or n_ways > max_enumerate:
            for j in hidden:
                rows.append(
                    {"row": i, "column": cols[j], "attack": "distribution", "lo": 0, "hi": T, "n_values": T + 1}
                )
            continue
        # stars and bars: every split of T into len(hidden) non-negative parts
        h = len(hidden)
        if h == 1:
            parts = np.array([[T]])
        else:
            bars = np.array(list(itertools.combinations(range(T + h - 1), h - 1)))
            ext = np.hstack([np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), T + h - 1)])
            parts = np.diff(ext, axis=1) - 1
        full = np.tile(np.array([0 if j in hidden else int(row[cols[j]]) for j in range(11)]), (len(parts), 1))
        full[:, hidden] = parts
        c = full[:, 1:]
        n_s = c.sum(axis=1)
        S, Q = (c * SCORES).sum(axis=1), (c * SCORES**2).sum(axis=1)
        ok = n_s > 0
        if pd.notna(srow.get("n")):
            ok &= n_s == int(srow["n"])
        if pd.notna(srow.get("n_zero")):
            ok &= full[:, 0] == int(srow["n_zero"])
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = S / n_s
            sd = np.sqrt(np.maximum(Q - S**2 / n_s, 0) / (n_s - 1))
        ok &= np.abs(mean - float(srow["mean"])) <= _step(srow, "mean")
        if pd.notna(srow.get("sd")):
            ok &= (n_s > 1) & (np.abs(sd - float(srow["sd"])) <= _step(srow, "sd"))
        if pd.notna(srow.get("median")):
            ok &= np.abs(_median(c) - float(srow["median"])) < 1e-9
        feas = full[ok]
        for j in hidden:
            v = np.unique(feas[:, j])
            rows.append(
                {
                    "row": i,
                    "column": cols[j],
                    "attack": "distribution",
                    "lo": int(v.min()) if len(v) else None,
                    "hi": int(v.max()) if len(v) else None,
                    "n_values": int(len(v)),
                }
            )
    return pd.DataFrame(rows, columns=["row", "column", "attack", "lo", "hi", "n_values"])


def attack_columns(
    grouped: pd.DataFrame,
    overall: pd.DataFrame,
    group: str,
    keys: Sequence[str],
    upper: pd.Series,
    counts: Sequence[str] = ("n", "n_zero"),
) -> pd.DataFrame:
    """Range of each hidden count from its column's published total (the ungrouped table).

    ``upper`` bounds each row's cells (e.g. the group's size). The hidden cells of a column
    add up to ``total - published``; with boxes ``[0, upper]`` each one lies in
    ``[max(0, R - sum of the others' upper), min(upper, R)]``.
    """
    rows = []
    other = [k for k in keys if k != group]
    ov = overall.set_index(other) if other else overall
    for col in counts:
        if col not in grouped.columns:
            continue
        for key, part in grouped.groupby(other, sort=False) if other else [((), grouped)]:
            key = key if isinstance(key, tuple) else (key,)
            total = ov.loc[key, col] if other else ov[col].iloc[0]
            hid = part[part[col].isna()]
            if hid.empty or pd.isna(total):
                continue
            R = int(total) - int(part[col].dropna().sum())
            ub = upper.loc[hid.index].astype(int)
            for i in hid.index:
                lo = max(0, R - int(ub.drop(i).sum()))
                hi = min(int(ub[i]), R)
                rows.append({"row": i, "column": col, "attack": "column", "lo": lo, "hi": hi, "n_values": hi - lo + 1})
    return pd.DataFrame(rows, columns=["row", "column", "attack", "lo", "hi", "n_values"])


def _combine(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Intersect the ranges the attacks found for the same cell."""
    allf = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    if allf is None:
        return pd.DataFrame(columns=["row", "column", "attack", "lo", "hi", "n_values"])
    allf["lo"], allf["hi"] = allf["lo"].astype(float), allf["hi"].astype(float)
    g = allf.groupby(["row", "column"], sort=True)
    out = pd.DataFrame(
        {
            "lo": g["lo"].max(),
            "hi": g["hi"].min(),
            "n_values": g["n_values"].min(),
            "attack": g["attack"].agg(lambda a: "+".join(sorted(set(a)))),
        }
    ).reset_index()
    out["n_values"] = np.where(out["hi"] < out["lo"], 0, np.minimum(out["n_values"], out["hi"] - out["lo"] + 1))
    return out


def audit_appraisal(tables: dict[str, pd.DataFrame], min_cell_size: int) -> pd.DataFrame:
    """Run every attack on the exported appraisal tables (``name`` -> frame, names without the step prefix).

    Returns one row per hidden count cell: table, row, column, attacks used, consistent range
    ``lo``–``hi``, number of consistent values, ``disclosed`` (one value) and ``narrow``
    (range below ``min_cell_size - 1``).
    """
    out = []
    levels = {"by_region": "region", "by_position_level": "position_level"}
    summ_all = tables.get("summary_perspective_competency")
    for suffix, group in levels.items():
        summ = tables.get(f"summary_{suffix}")
        sb = tables.get(f"share_below_{suffix}")
        if summ is None or sb is None:
            continue
        sizes = sb.set_index(group)["n"].astype(float).fillna(sb["n"].max())
        upper = summ[group].map(sizes).astype(int)
        keys = [group, "perspective", "competency"]
        found = [attack_group_size(summ, group, sizes, min_cell_size)]
        if summ_all is not None:
            found.append(attack_columns(summ, summ_all, group, keys, upper))
        res = _combine(found)
        res.insert(0, "table", f"summary_{suffix}")
        # the n_zero of a row is its answered total minus n: as wide as n's range
        out.append(res)
        dist = tables.get(f"distribution_{suffix}")
        if dist is not None:
            d_found = [attack_distribution(dist, summ, keys)]
            d_all = tables.get("distribution")
            if d_all is not None:
                d_found.append(
                    attack_columns(
                        dist,
                        d_all,
                        group,
                        keys,
                        dist["n"].fillna(dist["n"].max()),
                        counts=[f"n_score_{j}" for j in range(11)],
                    )
                )
            d_res = _combine(d_found)
            d_res.insert(0, "table", f"distribution_{suffix}")
            out.append(d_res)
    if "distribution" in tables and summ_all is not None:
        d_res = _combine([attack_distribution(tables["distribution"], summ_all, ["perspective", "competency"])])
        d_res.insert(0, "table", "distribution")
        out.append(d_res)
    out = [o for o in out if len(o)]
    res = (
        pd.concat(out, ignore_index=True)
        if out
        else pd.DataFrame(columns=["table", "row", "column", "lo", "hi", "n_values", "attack"])
    )
    res["width"] = res["hi"] - res["lo"]
    empty = res["hi"] == 0  # known to be empty: zeros are published anyway, no respondent is revealed
    res["disclosed"] = (res["n_values"] <= 1) & ~empty
    res["narrow"] = (res["width"] < (min_cell_size - 1)) & ~empty
    return res


def summarise(findings: pd.DataFrame) -> dict[str, object]:
    """The audit's headline: cells attacked, disclosed, narrowly protected, narrowest range.

    Examples
    --------
    >>> f = pd.DataFrame({"table": ["t", "t"], "row": [3, 7], "column": ["n", "n"], "lo": [0.0, 2.0],
    ...                   "hi": [40.0, 11.0], "width": [40.0, 9.0], "disclosed": [False, False],
    ...                   "narrow": [False, False]})
    >>> summarise(f)["narrowest_width"]
    9
    """
    if findings.empty:
        return {"hidden_cells_attacked": 0, "disclosed": 0, "narrow": 0, "narrowest_width": None}
    live = findings[findings["hi"] != 0] if "hi" in findings.columns else findings
    live = live if len(live) else findings
    i = live["width"].astype(float).idxmin()
    return {
        "hidden_cells_attacked": int(len(findings)),
        "disclosed": int(findings["disclosed"].sum()),
        "narrow": int(findings["narrow"].sum()),
        "narrowest_width": int(findings.loc[i, "width"]),
        "narrowest_cell": f"{findings.loc[i, 'table']} row {findings.loc[i, 'row']} {findings.loc[i, 'column']}",
    }


def read_tables(tables_dir: Path, step: str) -> dict[str, pd.DataFrame]:
    """The exported tables of one step, keyed by name without the ``<step>__`` prefix."""
    return {p.stem.split("__", 1)[1]: pd.read_csv(p) for p in sorted(Path(tables_dir).glob(f"{step}__*.csv"))}
