"""From a data frame to the item correlation matrix: missing-data rule, N used and dropped, checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from civcomp.stats.efa.common import MISSING, EFAError


# ================================================================== data → correlation
@dataclass
class Prepared:
    """Numeric item matrix after the missing-data rule, with its bookkeeping."""

    x: np.ndarray  # rows used (listwise: complete; pairwise: NaN kept)
    columns: list[str]
    n: int  # N used (pairwise: the smallest pairwise N)
    n_dropped: int  # rows that contribute nothing
    n_rows: int  # rows in the input
    missing: str
    n_complete: int
    pairwise_n: np.ndarray | None = None
    excluded: list[str] = field(default_factory=list)
    id_columns: list[str] = field(default_factory=list)  # ID-like columns left out of the default selection


ID_NAME = re.compile(
    r"(^|_)(id|ids|uuid|code)$|^(id|respondent|resp)(_|$)|^(respondent|record|row|case)(_?(no|nr|num|number))?$",
    re.IGNORECASE,
)


def id_like(s: pd.Series, name: str) -> str:
    """Why a numeric column looks like an identifier (``""`` when it does not).

    An identifier is named like one (``id``, ``respondent``, ``…_id``, ``case_no`` …) or holds
    distinct integers in every row (at least 10 rows): such a column is no item.

    Examples
    --------
    >>> id_like(pd.Series(range(1, 21)), "respondent")
    'named like an ID'
    >>> id_like(pd.Series(range(101, 121)), "x")
    'every value a distinct integer'
    >>> id_like(pd.Series([1, 2, 3, 2] * 5), "q1")
    ''
    """
    if ID_NAME.search(str(name)):
        return "named like an ID"
    v = pd.to_numeric(s, errors="coerce").dropna()
    if len(v) >= 10 and v.is_unique and bool((v == v.round()).all()):
        return "every value a distinct integer"
    return ""


def _numeric_column(s: pd.Series, name: str) -> np.ndarray:
    """Column as float with NaN for missing; raise on any value that is not a number."""
    if (
        pd.api.types.is_bool_dtype(s)
        or isinstance(s.dtype, pd.CategoricalDtype)
        and not pd.api.types.is_numeric_dtype(s.cat.categories)
    ):
        raise EFAError(f"column {name!r} is not numeric (dtype {s.dtype}); choose numeric items with --columns")
    if pd.api.types.is_numeric_dtype(s):
        out = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    else:
        coerced = pd.to_numeric(s.astype("object").where(s.notna(), None), errors="coerce")
        bad = s.notna() & coerced.isna()
        if bad.any():
            row = bad.to_numpy().nonzero()[0][0]
            raise EFAError(
                f"column {name!r} is not numeric: data row {row + 1} has value {s.iloc[row]!r}",
                name,
                int(row + 1),
                s.iloc[row],
            )
        out = coerced.astype("float64").to_numpy()
    if np.isinf(out).any():
        row = np.isinf(out).nonzero()[0][0]
        raise EFAError(f"column {name!r} has an infinite value in data row {row + 1}", name, int(row + 1), out[row])
    return out


def prepare(data: pd.DataFrame, columns: list[str] | None = None, missing: str = "listwise") -> Prepared:
    """Select the items and apply the missing-data rule (never imputes).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    columns : list of str, optional
        Items to analyse; default every numeric column that is not ID-like (:func:`id_like`); the
        columns left out are listed in ``excluded`` (non-numeric) and ``id_columns``.
    missing : {"listwise", "pairwise"}
        ``listwise`` drops every row with a missing item; ``pairwise`` keeps them and
        computes each correlation from the rows where both items are present.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, None, 5], "b": [2, 1, 4, 3, 5], "c": [3, 3, 1, 2, 5]})
    >>> p = prepare(df)
    >>> p.n, p.n_dropped
    (4, 1)
    """
    if missing not in MISSING:
        raise EFAError(f"missing must be one of {', '.join(MISSING)}, got {missing!r}")
    if not isinstance(data, pd.DataFrame):
        data = pd.DataFrame(data)
    excluded: list[str] = []
    id_columns: list[str] = []
    if columns is None:
        columns = []
        for c in data.columns:
            s = data[c]
            ok = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
            why = id_like(s, str(c)) if ok else ""
            if why:
                id_columns.append(f"{c} ({why})")
            else:
                (columns if ok else excluded).append(str(c))
    else:
        columns = [str(c) for c in columns]
        absent = [c for c in columns if c not in data.columns]
        if absent:
            raise EFAError(
                f"column(s) not in the data: {', '.join(map(repr, absent))} "
                f"(available: {', '.join(map(str, data.columns))})"
            )
        dup = sorted({c for c in columns if columns.count(c) > 1})
        if dup:
            raise EFAError(f"column(s) listed twice: {', '.join(map(repr, dup))}")
    if len(columns) < 3:
        raise EFAError(
            f"factor analysis needs at least 3 numeric columns, got {len(columns)}"
            + (f" (non-numeric columns left out: {', '.join(excluded)})" if excluded else "")
        )
    x = np.column_stack([_numeric_column(data[c], c) for c in columns])
    n_rows, p = x.shape
    observed = ~np.isnan(x)
    complete = observed.all(axis=1)
    pairwise_n = None
    if missing == "listwise":
        x = x[complete]
        n = n_used_rows = len(x)
    else:
        keep = observed.sum(axis=1) >= 2  # a row with one item informs no correlation
        x = x[keep]
        obs = (~np.isnan(x)).astype(float)
        pairwise_n = obs.T @ obs
        n = int(pairwise_n[~np.eye(p, dtype=bool)].min())
        n_used_rows = len(x)
    if n < p + 1:
        how = "complete rows (listwise)" if missing == "listwise" else "rows in the smallest pair (pairwise)"
        raise EFAError(
            f"only {n} {how} for {p} items: factor analysis needs more rows than items "
            f"({n_rows - n_used_rows} of {n_rows} rows dropped for missing values)"
        )
    for j, c in enumerate(columns):
        v = x[:, j][~np.isnan(x[:, j])]
        if np.ptp(v) == 0:
            raise EFAError(
                f"column {c!r} is constant (every used row is {v[0]:g}); "
                f"a constant item has no correlation with anything -- drop it"
            )
    return Prepared(
        x=x,
        columns=columns,
        n=int(n),
        n_dropped=int(n_rows - n_used_rows),
        n_rows=int(n_rows),
        missing=missing,
        n_complete=int(complete.sum()),
        pairwise_n=pairwise_n,
        excluded=excluded,
        id_columns=id_columns,
    )


def products(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Row-wise products that weighted pairwise moments need, as (n, p*p) arrays.

    With a weight vector ``w`` per resample, ``w @ P`` gives every pairwise sum at
    once, so one matrix product computes a whole batch of correlation matrices.
    """
    obs = ~np.isnan(x)
    x0 = np.where(obs, x - np.nanmean(x, axis=0), 0.0)  # centred: no cancellation in the sums
    m = obs.astype(float)
    n, p = x.shape
    outer = lambda a, b: (a[:, :, None] * b[:, None, :]).reshape(n, p * p)  # noqa: E731
    if obs.all():
        return (x0, outer(x0, x0))
    return (outer(m, m), outer(x0, m), outer(x0 * x0, m), outer(x0, x0))


def corr_from_sums(w: np.ndarray, prods: tuple[np.ndarray, ...], p: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch of (pairwise) covariance and correlation matrices from weights ``w`` (B, n)."""
    B = w.shape[0]
    if len(prods) == 2:  # complete data
        x0, xx = prods
        nw = w.sum(axis=1)[:, None, None]
        s = (w @ x0)[:, :, None]
        sxy = (w @ xx).reshape(B, p, p)
        cov = (sxy - s * s.transpose(0, 2, 1) / nw) / (nw - 1)
        sd = np.sqrt(np.einsum("bii->bi", cov))
        return cov, cov / sd[:, :, None] / sd[:, None, :]
    mm, xm, x2m, xx = (w @ P for P in prods)
    nij = mm.reshape(B, p, p)
    si = xm.reshape(B, p, p)  # sum of x_i over rows where j is observed too
    sj = si.transpose(0, 2, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = xx.reshape(B, p, p) - si * sj / nij
        vi = x2m.reshape(B, p, p) - si * si / nij
        r = cov / np.sqrt(vi * vi.transpose(0, 2, 1))
        cov = cov / (nij - 1)
    idx = np.arange(p)
    r[:, idx, idx] = 1.0
    return cov, r


def correlation(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Covariance and Pearson correlation matrix of the prepared items (pairwise if asked)."""
    p = prep.x.shape[1]
    cov, r = corr_from_sums(np.ones((1, prep.x.shape[0])), products(prep.x), p)
    return cov[0], r[0]


def check_corr(r: np.ndarray, columns: list[str]) -> None:
    """Raise :class:`EFAError` if ``r`` cannot be factor-analysed (NaN, collinear, singular)."""
    p = r.shape[0]
    if np.isnan(r).any():
        i, j = np.argwhere(np.isnan(r))[0]
        raise EFAError(
            f"the correlation of {columns[i]!r} and {columns[j]!r} cannot be computed "
            f"(no variation in the rows where both are present)"
        )
    off = np.abs(r - np.eye(p))
    if off.max() > 1 - 1e-10:
        i, j = np.unravel_index(off.argmax(), off.shape)
        raise EFAError(
            f"columns {columns[i]!r} and {columns[j]!r} are perfectly collinear "
            f"(r = {r[i, j]:+.6f}): the correlation matrix is singular -- drop one of them"
        )
    vals, vecs = np.linalg.eigh(r)
    if vals[0] <= 1e-10 * p:
        kind = "singular" if vals[0] > -1e-10 else "not positive definite (pairwise deletion can do that)"
        involved = [columns[k] for k in np.argsort(-np.abs(vecs[:, 0]))[:4] if abs(vecs[k, 0]) > 0.1]
        raise EFAError(
            f"the correlation matrix is {kind} (smallest eigenvalue {vals[0]:.3g}); "
            f"some columns are (nearly) linear combinations of others: {', '.join(map(repr, involved))}"
        )
