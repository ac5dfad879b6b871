"""A generic joint integer attack on one count table's hidden cells, with what its notebook publishes beside it.

Hidden cells are integer variables in ``0 … bound`` (the row's ``n``, or the column's respondents row); a
table whose count columns add up to a total column (``n`` or ``n_total``, checked on its complete rows)
gives one equation per row; a column total is known when a sibling table of the same notebook (same count
columns, same ``n`` total: the same population broken down otherwise) publishes the column in full, or the
notebook's results file has the column's name (for a table with an ``n`` column); a long table's rows of
one key value add up to another table's cell for that key (a tier's groups to the tier's total); a share or percentage printed beside a hidden count bounds
it to the share's printed precision; a multi-response table's mean number of options per respondent in the
results (``barrier_mean_central`` over ``barrier_base_central``) bounds its column's sum. A table of counts with none of these relations and no ``n`` column
(keywords, matches by section) is taken to publish primary suppressions only: each hidden cell is then
known to lie in ``1 … min_cell_size - 1`` (pessimistic for a complementary cell). A group size ``n``
hidden for another reason keeps its box range. Each cell's range is its
minimum and maximum over the program (``scipy.optimize.milp``), as in :mod:`civcomp.stats.intruder_joint`,
whose :func:`~civcomp.stats.intruder_joint.classify` turns ranges into pinned / narrowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from civcomp.io.outputs import count_columns
from civcomp.stats.intruder_joint import FAMILY_COLUMNS

__all__ = ["attack_counts"]


def _ranges(
    n_vars: int, ub: list[float], rows: list[tuple[dict[int, float], float, float]]
) -> list[tuple[float, float]]:
    if not n_vars:
        return []
    a = np.zeros((len(rows), n_vars))
    lo, hi = np.zeros(len(rows)), np.zeros(len(rows))
    for i, (terms, rlo, rhi) in enumerate(rows):
        for j, c in terms.items():
            a[i, j] += c
        lo[i], hi[i] = rlo, rhi
    cons = [LinearConstraint(a, lo, hi)] if rows else []
    bounds, integ, out = Bounds(np.zeros(n_vars), np.asarray(ub, float)), np.ones(n_vars), []
    for j in range(n_vars):
        c = np.zeros(n_vars)
        c[j] = 1.0
        got = [milp(s * c, constraints=cons, bounds=bounds, integrality=integ) for s in (1.0, -1.0)]
        out.append(tuple(s * r.fun if r.status == 0 else math.nan for s, r in zip((1.0, -1.0), got)))
    return out


POPULATION_KEYS = ("n", "n_respondents", "n_postings")


def _column_totals(name: str, tables: Mapping[str, pd.DataFrame], results: Mapping[str, Any]) -> dict[str, float]:
    """Column totals an intruder knows: from a fully published sibling over the same population, or the results."""
    t = tables[name]
    cols = count_columns(t.columns)
    if "n" not in cols or len(cols) < 2:  # not a breakdown of one population by an outcome
        return {}
    out = {c: float(results[c]) for c in cols if isinstance(results.get(c), (int, float))}
    # a results total is the population's: it adds a table's column up only where the rows partition it
    # (each tier's row counts all postings again: its n_postings do not add up to the postings)
    pop = {float(results[k]) for k in POPULATION_KEYS if isinstance(results.get(k), (int, float))}
    if pop and t["n"].notna().all() and float(t["n"].sum()) not in pop:
        out = {}
    for other, s in tables.items():
        if other == name or set(count_columns(s.columns)) != set(cols) or s["n"].isna().any():
            continue
        if not t["n"].isna().any() and t["n"].sum() != s["n"].sum():
            continue  # not the same population
        out.update({c: float(s[c].sum()) for c in cols if not s[c].isna().any()})
    return out


def _linked_totals(name: str, tables: Mapping[str, pd.DataFrame]) -> list[tuple[list[int], str, float]]:
    """Margins by key: a long table's rows of one key value (a tier) add up to another table's cell for it.

    Taken when another table of the notebook has the key column with unique values and the count column in
    full, and every key whose rows are all published adds up to it.
    """
    t, out = tables[name].reset_index(drop=True), []
    cols = [c for c in count_columns(t.columns) if c != "n"]
    for key in [c for c in t.columns if t[c].dtype == object and t[c].duplicated().any()]:
        for other, s in tables.items():
            if other == name or key not in s.columns or s[key].duplicated().any():
                continue
            for c in [c for c in cols if c in s.columns and not s[c].isna().any()]:
                total = s.set_index(key)[c]
                groups = t.groupby(t[key].astype(object), sort=False).groups
                done = [(v, rows) for v, rows in groups.items() if not t.loc[rows, c].isna().any()]
                if not done or any(v not in total.index or t.loc[rows, c].sum() != total[v] for v, rows in done):
                    continue
                out += [(list(rows), c, float(total[v])) for v, rows in groups.items() if v in total.index]
    return out


MEAN_HALF = 0.005  # a results mean is printed at 0.01 (civcomp.io.outputs.published_precision)


def _mean_totals(t: pd.DataFrame, name: str, resp, label: str | None, results: Mapping[str, Any]):
    """A multi-response table's mean number of options chosen per respondent gives its column's sum.

    For a count column ``n_<g>`` and results ``<stem>_mean_<g>`` and ``<stem>_base_<g>`` (``<stem>`` a prefix of
    the table's name: ``barrier_mean_central`` for ``barriers_by_level``), the column's options but the
    respondents row and the ``none`` option add up to ``mean × base`` within the mean's printed precision.
    Yields (rows, column, low, high).
    """
    for c in count_columns(t.columns):
        g = c[2:] if c.startswith("n_") else None
        for key in [k for k in results if g and k.endswith(f"_mean_{g}")]:
            stem = key[: -len(f"_mean_{g}")]
            mean, base = results.get(key), results.get(f"{stem}_base_{g}")
            if not name.startswith(stem) or not all(isinstance(v, (int, float)) for v in (mean, base)):
                continue
            skip = set(resp) | (set(t.index[t[label].astype(str) == "none"]) if label else set())
            yield [i for i in t.index if i not in skip], c, (mean - MEAN_HALF) * base, (mean + MEAN_HALF) * base


def attack_counts(
    name: str, tables: Mapping[str, pd.DataFrame], min_cell_size: int, results: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Ranges of the hidden counts of ``tables[name]`` (see the module docstring): one row per hidden cell.

    Examples
    --------
    A hidden cell alone in a row whose total and partner are published (the total column adds up in the
    complete rows) is pinned:

    >>> t = pd.DataFrame({"g": ["a", "b", "c"], "n": [30, 40, 9], "n_yes": [None, 15, 4], "n_no": [18, 25, 5]})
    >>> attack_counts("t", {"t": t}, 5)[["column", "lo", "hi"]].to_numpy().tolist()
    [['n_yes', 12.0, 12.0]]
    """
    t = tables[name].reset_index(drop=True)
    cols = count_columns(t.columns)
    hidden = [(i, c) for c in cols for i in t.index if pd.isna(t.at[i, c])]
    if not hidden:
        return pd.DataFrame(columns=FAMILY_COLUMNS)
    var = {cell: k for k, cell in enumerate(hidden)}
    label = next((c for c in t.columns if c not in cols and t[c].dtype == object), None)
    resp = t.index[t[label].astype(str) == "respondents"] if label else []
    big = float(np.nansum(t[cols].to_numpy(dtype=float))) or 1.0
    rows: list[tuple[dict[int, float], float, float]] = []

    def term(i, c):
        v = t.at[i, c]
        return (0.0, {var[(i, c)]: 1.0}) if pd.isna(v) else (float(v), {})

    def add(parts, total):
        const = sum(p[0] for p in parts)
        terms: dict[int, float] = {}
        for _, d in parts:
            for j, v in d.items():
                terms[j] = terms.get(j, 0.0) + v
        if terms:
            rows.append((terms, total - const, total - const))

    related = False
    tot = "n_total" if "n_total" in cols else ("n" if "n" in cols else None)
    parts_cols = [c for c in cols if c != tot]
    if tot and parts_cols:
        full = t[cols].dropna()
        if len(full) >= 2 and np.allclose(full[parts_cols].sum(axis=1), full[tot]):
            related = True
            for i in t.index:
                add(
                    [term(i, c) for c in parts_cols]
                    + [(-t.at[i, tot], {}) if pd.notna(t.at[i, tot]) else (0.0, {var[(i, tot)]: -1.0})],
                    0.0,
                )
    n_rows = len(rows)
    for c, total in _column_totals(name, tables, results or {}).items():
        related = True
        add([term(i, c) for i in t.index if i not in resp], total)
    for idx, c, total in _linked_totals(name, tables):
        related = True
        add([term(i, c) for i in idx], total)
    if len(resp):
        for idx, c, lo, hi in _mean_totals(t, name, resp, label, results or {}):
            const = sum(float(t.at[i, c]) for i in idx if pd.notna(t.at[i, c]))
            terms = {var[(i, c)]: 1.0 for i in idx if pd.isna(t.at[i, c])}
            if terms:
                related = True
                rows.append((terms, math.ceil(lo - const - 1e-9), math.floor(hi - const + 1e-9)))
    totals, rows[:] = rows[n_rows:], rows[:n_rows]
    ub = []
    for i, c in hidden:
        bound = big
        if "n" in cols and c != "n" and pd.notna(t.at[i, "n"]):
            bound = float(t.at[i, "n"])
        elif len(resp) and pd.notna(t.at[resp[0], c]) and i != resp[0]:
            bound = float(t.at[resp[0], c])
        ub.append(bound)
        for share, base, scale in (
            (c.replace("n_", "pct_", 1), "resp", 100.0),
            (c.replace("n_", "share_", 1), "n", 1.0),
        ):
            if share == c or share not in t.columns or pd.isna(t.at[i, share]):
                continue
            n_base = t.at[resp[0], c] if base == "resp" and len(resp) else t.at[i, "n"] if "n" in cols else np.nan
            if pd.notna(n_base):
                v, h = float(t.at[i, share]), _half6(t.at[i, share])
                rows.append(({var[(i, c)]: 1.0}, (v - h) * n_base / scale, (v + h) * n_base / scale))
    rng = _ranges(len(hidden), ub, rows + totals)
    if any(math.isnan(lo) for lo, _ in rng):  # the assumed column totals do not fit: drop them
        rng = _ranges(len(hidden), ub, rows)
    if not related and "n" not in cols:  # primary suppression only: each hidden count is 1 … min_cell_size - 1
        rng = [(1.0, float(min_cell_size - 1))] * len(hidden)
    res = [
        {"table": name, "row": i, "column": c, "lo": lo, "hi": hi, "width": hi - lo}
        for (i, c), (lo, hi) in zip(hidden, rng)
    ]
    return pd.DataFrame(res, columns=FAMILY_COLUMNS)


def _half6(v: float) -> float:
    """Half a unit of the 6th significant digit (the CSV's ``%.6g``)."""
    v = abs(float(v))
    return 0.5 * 10.0 ** (math.floor(math.log10(v)) - 5) if v else 5e-7
