"""The intruder who reads every published artefact at once: joint integer attacks, figures and results files.

:mod:`civcomp.stats.intruder` attacks one row or one column at a time. Here the hidden counts of a
table family (the appraisal's score distributions by position level and nationally, with their
summaries and gap tables) are one integer program (Hundepool et al. 2012, sec. 4.3, the "audit" of
tau-ARGUS): every hidden cell is a variable ``x >= 0``, and every published number is a constraint —

* each distribution row adds up to its published ``n`` (a hidden ``n`` is a variable too);
* each score column, across the groups, adds up to the national cell (published or a variable);
* a summary row's ``n`` is the row's scores 1-10, its ``n_zero`` the row's score 0;
* a published mean ``m`` at rounding step ``r`` bounds the sum of scores:
  ``(m - r/2) N <= sum_j j x_j <= (m + r/2) N`` with ``N`` the row's scores 1-10 — linear even when
  ``N`` is hidden;
* a gap table's ``n`` (respondents with a self-other gap) is taken as the self row's ``n`` (in practice
  everyone who rates themselves also rates someone else: the intruder assumes it).

* a published SD bounds the sum of squared scores (a linear relaxation, with ``N`` published), a published
  median the scores on either side of it (at most half below, at most half above).

Each hidden cell's range is its minimum and maximum over that program (``scipy.optimize.milp``, by parts). The
exact enumeration of a row from its ``n``, mean, SD and median is the row attack of
:mod:`civcomp.stats.intruder`; the two audits' ranges are intersected. A cell is **pinned** when a single non-zero value remains, or when the range is at most
2 wide and contains a count below ``min_cell_size`` (so 1 … 4 at the default, the acceptance rule), and
**narrowed** when the range is at most 3 wide. :func:`family_audit` is the same attack as
:func:`civcomp.stats.linked_tables.publishable_family` runs it while publishing.

Two other families are audited here:

* **figures** (:func:`figure_values`): every number a matplotlib figure carries (marker positions, bar
  lengths, image cells, annotations) must be a number of the published tables at their printed precision
  (:func:`off_table`) — a figure drawn from an unrounded frame writes six-decimal coordinates into its SVG;
* **results files** (:func:`json_leaks`): every float of a results JSON at the tables' printed precision
  (:func:`civcomp.io.outputs.published_precision`).

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_array

from civcomp.io.outputs import published_precision

__all__ = ["attack_family", "family_audit", "classify", "figure_values", "off_table", "json_leaks", "FAMILY_COLUMNS"]

SCORE_COLS = [f"n_score_{j}" for j in range(11)]
FAMILY_COLUMNS = ["table", "row", "column", "lo", "hi", "width"]


class _Program:
    """Integer variables for hidden counts, and the linear rows that tie them to published numbers."""

    def __init__(self) -> None:
        self.ub: list[float] = []
        self.names: list[tuple[str, int, str]] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name: tuple[str, int, str], ub: float) -> int:
        self.names.append(name)
        self.ub.append(ub)
        return len(self.ub) - 1

    def add(self, terms: Mapping[int, float], lo: float, hi: float) -> None:
        if terms:
            self.rows.append((dict(terms), lo, hi))

    def ranges(self) -> list[tuple[float, float]]:
        nv = len(self.ub)
        # variables tied by no constraint are independent: each connected part is its own (smaller) program
        parent = list(range(nv))

        def root(j: int) -> int:
            while parent[j] != j:
                parent[j] = parent[parent[j]]
                j = parent[j]
            return j

        for terms, _, _ in self.rows:
            js = list(terms)
            for j in js[1:]:
                parent[root(j)] = root(js[0])
        parts: dict[int, list[int]] = {}
        for j in range(nv):
            parts.setdefault(root(j), []).append(j)
        # a line of counts with a known sum bounds each of them (implied, so the ranges are the same; it lets
        # a solution that puts the whole sum in one cell settle that cell's maximum without a solve)
        ub = list(self.ub)
        for terms, lo, hi in self.rows:
            if lo == hi and all(c == 1.0 for c in terms.values()):
                for j in terms:
                    ub[j] = min(ub[j], max(lo, 0.0))
        out: list[tuple[float, float]] = [(math.nan, math.nan)] * nv
        for members in parts.values():
            at = {j: i for i, j in enumerate(members)}
            rows = [(t, lo, hi) for t, lo, hi in self.rows if next(iter(t)) in at]
            for j, rng in zip(members, _solve([ub[j] for j in members], rows, at)):
                out[j] = rng
        return out


def _solve(ub_list: list[float], rows: list, at: dict[int, int]) -> list[tuple[float, float]]:
    """Minimum and maximum of every variable of one connected integer program (``at``: variable -> column)."""
    nv = len(ub_list)
    a = np.zeros((len(rows), nv))
    lo, hi = np.zeros(len(rows)), np.zeros(len(rows))
    for i, (terms, rlo, rhi) in enumerate(rows):
        for j, c in terms.items():
            a[i, at[j]] += c
        lo[i], hi[i] = rlo, rhi
    cons = [LinearConstraint(csc_array(a), lo, hi)] if len(rows) else []
    ub = np.array(ub_list, float)
    bounds = Bounds(np.zeros(nv), ub)
    integ = np.ones(nv)
    # every solution found is a feasible point: a variable seen at its bound needs no solve for that side
    seen_lo, seen_hi = np.full(nv, np.inf), np.full(nv, -np.inf)
    out = []
    for j in range(nv):
        c = np.zeros(nv)
        c[j] = 1.0
        got = []
        for sign in (1.0, -1.0):
            if (sign > 0 and seen_lo[j] <= 0) or (sign < 0 and seen_hi[j] >= ub[j]):
                got.append(0.0 if sign > 0 else ub[j])
                continue
            res = milp(sign * c, constraints=cons, bounds=bounds, integrality=integ)
            if res.status == 0:
                x = np.round(res.x)
                seen_lo, seen_hi = np.fmin(seen_lo, x), np.fmax(seen_hi, x)
            got.append(sign * res.fun if res.status == 0 else math.nan)
        out.append((got[0], got[1]))
    return out


def _cell(table: pd.DataFrame, i: int, col: str, prog: _Program, name: str, ub: float, offset: float = 0.0):
    """A published value as (constant, {}) or a hidden one as (0, {var: 1})."""
    v = table.at[i, col] if col in table.columns else np.nan
    if pd.notna(v):
        return float(v), {}
    return offset, {prog.var((name, int(i), col), ub): 1.0}


def _key(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    if df.empty:
        return pd.Series([], index=df.index, dtype=str)
    return df[cols].astype(str).agg("\x1f".join, axis=1)


def attack_family(tables: Mapping[str, pd.DataFrame], group: str = "position_level") -> pd.DataFrame:
    """Joint integer attack on the appraisal family: ranges of every hidden distribution and summary count.

    ``tables`` are the exported appraisal tables by name (``distribution``, ``distribution_by_<group>``,
    ``summary_perspective_competency``, ``summary_by_<group>``, ``gaps``, ``gaps_by_<group>``; missing
    ones are left out). Returns one row per hidden count: table, row, column, ``lo``, ``hi``, ``width``
    (``row`` is the row of the exported table). Every published number ties cells of one competency
    (and, but for the gaps, one perspective) only, so each competency is one program.
    """
    names = ["distribution", f"distribution_by_{group}", "summary_perspective_competency", f"summary_by_{group}"]
    names += ["gaps", f"gaps_by_{group}"]
    present = {n: tables[n] for n in names if n in tables}
    if "distribution" not in present:
        return pd.DataFrame(columns=FAMILY_COLUMNS)
    out = []
    for comp in pd.unique(present["distribution"]["competency"].astype(str)):
        part = {n: t[t["competency"].astype(str) == comp] for n, t in present.items()}
        res = _attack_block(part, group)
        out.append(res)
    done = [o for o in out if len(o)]
    return pd.concat(done, ignore_index=True) if done else pd.DataFrame(columns=FAMILY_COLUMNS)


def _attack_block(tables: Mapping[str, pd.DataFrame], group: str) -> pd.DataFrame:
    """:func:`attack_family` on the rows of one competency (original row labels kept)."""
    prog = _Program()
    keys = ["perspective", "competency"]
    gkeys = [group, *keys]
    dist_all = tables.get("distribution")
    dist_g = tables.get(f"distribution_by_{group}")
    if dist_all is None or dist_g is None:
        return pd.DataFrame(columns=FAMILY_COLUMNS)
    big = float(max(pd.to_numeric(dist_all["n"], errors="coerce").max(), 1))
    cells: dict[tuple[str, int], list[tuple[float, dict[int, float]]]] = {}
    for name, d in (("distribution", dist_all), (f"distribution_by_{group}", dist_g)):
        for i in d.index:
            row = [_cell(d, i, c, prog, name, big) for c in SCORE_COLS]
            n_c, n_t = _cell(d, i, "n", prog, name, big)
            cells[(name, i)] = row
            terms: dict[int, float] = {j: -1.0 for j in n_t}
            const = sum(c for c, _ in row) - n_c
            for _, t in row:
                for j, v in t.items():
                    terms[j] = terms.get(j, 0.0) + v
            prog.add(terms, -const, -const)
    # across groups: the groups' cells add up to the national cell
    nat = dict(zip(_key(dist_all, keys), dist_all.index))
    for k, part in dist_g.groupby(_key(dist_g, keys)):
        if k not in nat:
            continue
        for s in range(11):
            const = -cells[("distribution", nat[k])][s][0]
            terms = {j: -1.0 for j in cells[("distribution", nat[k])][s][1]}
            for i in part.index:
                c, t = cells[(f"distribution_by_{group}", i)][s]
                const += c
                for j, v in t.items():
                    terms[j] = terms.get(j, 0.0) + v
            prog.add(terms, -const, -const)
    # summaries: n = scores 1-10, n_zero = score 0, the mean bounds the sum of scores
    links = (
        ("summary_perspective_competency", "distribution", keys),
        (f"summary_by_{group}", f"distribution_by_{group}", gkeys),
    )
    for s_name, d_name, kk in links:
        summ = tables.get(s_name)
        d = dist_all if d_name == "distribution" else dist_g
        if summ is None:
            continue
        at = dict(zip(_key(d, kk), d.index))
        for i, k in zip(summ.index, _key(summ, kk)):
            if k not in at:
                continue
            row = cells[(d_name, at[k])]
            pos_c = sum(c for c, _ in row[1:])
            pos_t: dict[int, float] = {}
            for _, t in row[1:]:
                pos_t.update(t)
            if pd.notna(summ.at[i, "n"]):
                prog.add(pos_t, float(summ.at[i, "n"]) - pos_c, float(summ.at[i, "n"]) - pos_c)
            if "n_zero" in summ.columns and pd.notna(summ.at[i, "n_zero"]):
                z = float(summ.at[i, "n_zero"]) - row[0][0]
                prog.add(row[0][1], z, z)
            m = summ.at[i, "mean"] if "mean" in summ.columns else np.nan
            r = summ.at[i, "rounding"] if "rounding" in summ.columns else 0.01
            if pd.notna(m) and pd.notna(r):
                h = float(r) / 2 + 1e-9
                # sum_j j x_j - (m -/+ h) N, N = scores 1-10
                for bound, sign in ((float(m) - h, 1.0), (float(m) + h, -1.0)):
                    terms = {}
                    const = 0.0
                    for s in range(1, 11):
                        c, t = row[s]
                        const += (s - bound) * c
                        for j in t:
                            terms[j] = terms.get(j, 0.0) + (s - bound)
                    if sign > 0:
                        prog.add(terms, -const, np.inf)
                    else:
                        prog.add(terms, -np.inf, -const)
                _spread_and_median(prog, row, summ.loc[i], float(r) / 2 + 1e-9 if pd.notna(r) else np.nan)
    # gaps: respondents with a gap = those who rated themselves (the intruder assumes it)
    for g_name, s_name, kk in (("gaps", "distribution", keys), (f"gaps_by_{group}", f"distribution_by_{group}", gkeys)):
        gaps = tables.get(g_name)
        d = dist_all if s_name == "distribution" else dist_g
        if gaps is None or "n" not in gaps.columns:
            continue
        at = dict(zip(_key(d.assign(perspective=d["perspective"].astype(str)), kk), d.index))
        for _, grow in gaps.iterrows():
            if pd.isna(grow["n"]):
                continue
            k = "\x1f".join(str(grow[c]) if c != "perspective" else "self" for c in kk)
            if k not in at:
                continue
            row = cells[(s_name, at[k])]
            c = sum(c for c, _ in row[1:])
            terms = {}
            for _, t in row[1:]:
                terms.update(t)
            prog.add(terms, float(grow["n"]) - c, float(grow["n"]) - c)
    rng = prog.ranges()
    out = [
        {"table": t, "row": i, "column": col, "lo": lo, "hi": hi, "width": hi - lo}
        for (t, i, col), (lo, hi) in zip(prog.names, rng)
        if col != "n"
    ]
    return pd.DataFrame(out, columns=FAMILY_COLUMNS)


def _spread_and_median(prog: _Program, row: list, summ: pd.Series, h: float) -> None:
    """SD and median of a summary row as linear constraints on its scores 1-10 (``h``: half the rounding step).

    SD: with ``N`` published, ``(N-1) sd^2 = Q - S^2/N`` (``Q`` the sum of squared scores, ``S`` their sum);
    ``S`` lies in ``[S_lo, S_hi]`` by the mean, so ``Q`` lies in ``[(N-1)(sd-h)^2 + S_lo^2/N,
    (N-1)(sd+h)^2 + S_hi^2/N]`` — a relaxation, exact where the mean pins ``S``. Median ``md``: at most half
    the scores lie below ``md - h``, at most half above ``md + h`` (linear even with ``N`` hidden).
    """
    if np.isnan(h):
        return
    n, m, sd, md = (summ.get(c, np.nan) for c in ("n", "mean", "sd", "median"))
    if pd.notna(n) and pd.notna(m) and pd.notna(sd) and float(n) >= 2:
        n = float(n)
        s_lo, s_hi = max(float(m) - h, 0.0) * n, (float(m) + h) * n
        q_lo = (n - 1) * max(float(sd) - h, 0.0) ** 2 + s_lo**2 / n
        q_hi = (n - 1) * (float(sd) + h) ** 2 + s_hi**2 / n
        terms: dict[int, float] = {}
        const = 0.0
        for s in range(1, 11):
            c, t = row[s]
            const += s * s * c
            for j in t:
                terms[j] = terms.get(j, 0.0) + s * s
        prog.add(terms, q_lo - const, q_hi - const)
    if pd.notna(md):
        for side in (-1.0, 1.0):
            # 2 * #(scores beyond md -/+ h) - #(scores 1-10) <= 0
            terms, const = {}, 0.0
            for s in range(1, 11):
                beyond = (s < float(md) - h) if side < 0 else (s > float(md) + h)
                c, t = row[s]
                w = 2.0 * beyond - 1.0
                const += w * c
                for j in t:
                    terms[j] = terms.get(j, 0.0) + w
            prog.add(terms, -np.inf, -const)


def family_audit(family: Mapping[str, pd.DataFrame], group: str = "position_level") -> pd.DataFrame:
    """:func:`attack_family` on the tables of :func:`civcomp.stats.linked_tables.publishable_family`.

    ``family`` names them ``summary``, ``distribution``, ``summary_by``, ``distribution_by``; the
    findings name the breakdown's distribution ``distribution_by`` too (the ``audit`` it expects).
    """
    by = f"distribution_by_{group}"
    found = attack_family(
        {
            "distribution": family["distribution"],
            by: family["distribution_by"],
            "summary_perspective_competency": family["summary"],
            f"summary_by_{group}": family["summary_by"],
        },
        group,
    )
    return found.assign(table=found["table"].replace({by: "distribution_by"}))


def classify(findings: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """Add ``pinned`` and ``narrowed`` (see the module docstring); a cell shown to be 0 reveals no one.

    Examples
    --------
    >>> f = pd.DataFrame({"lo": [3, 0, 0, 7, 0], "hi": [3, 2, 0, 9, 3]})
    >>> classify(f.assign(width=f.hi - f.lo), 5)[["pinned", "narrowed"]].sum().tolist()
    [2, 4]
    """
    out = findings.copy()
    lo, hi, w = (pd.to_numeric(out[c], errors="coerce") for c in ("lo", "hi", "width"))
    live = hi > 0
    out["pinned"] = live & ((w == 0) | ((w <= 2) & (lo < min_cell_size)))
    out["narrowed"] = live & (w <= 3)
    return out


# --------------------------------------------------------------------------- figures and results files
def figure_values(fig: Any) -> list[float]:
    """Every number a matplotlib figure stores as data: marker positions, bar lengths, image cells, numeric labels."""
    vals: list[float] = []
    for ax in fig.axes:
        for coll in ax.collections:
            off = np.asarray(coll.get_offsets(), dtype=float)
            if off.size:
                vals.extend(off[:, 0].tolist())
        for p in ax.patches:
            if hasattr(p, "get_width") and hasattr(p, "get_y"):
                vals.append(float(p.get_width()))
        for im in ax.images:
            vals.extend(np.asarray(im.get_array(), dtype=float).ravel().tolist())
        for t in ax.texts:
            try:
                vals.append(float(t.get_text().replace("%", "")))
            except ValueError:
                continue
    return [v for v in vals if np.isfinite(v)]


def off_table(
    values: Iterable[float], tables: Iterable[pd.DataFrame], scales: Iterable[float] = (1.0, 100.0)
) -> list[float]:
    """The values not found among the tables' numbers (or those times ``scales``, e.g. shares as %), to 1e-9."""
    known: set[float] = {0.0}
    for t in tables:
        num = t.select_dtypes(include="number").to_numpy(dtype=float, na_value=np.nan).ravel()
        for s in scales:
            known.update(np.round(num[np.isfinite(num)] * s, 9).tolist())
    return sorted({v for v in values if round(float(v), 9) not in known})


def json_leaks(results: Mapping[str, Any]) -> list[str]:
    """Keys of a results mapping whose float carries more digits than the tables print."""
    bad = []
    for k, v in results.items():
        if isinstance(v, float) and math.isfinite(v) and published_precision(k, v) != v:
            bad.append(k)
    return sorted(bad)
