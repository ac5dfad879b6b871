"""Sample profile and reasons for joining the civil service (paper 003, notebook 03).

Shares come with Wilson score intervals from :func:`civcomp.survey.proportion_ci`;
denominators are the non-missing answers, and the number missing is reported
beside every share. Counts below the disclosure threshold are suppressed (NA)
before anything is exported, together with the share and CI they would reveal.

References
----------
Bokayev, B., Amirova, A. & Kosherbayeva, A. Building Innovative Capacity of Public
Servants: The Case of Kazakhstan (paper 003), Methodology and Figure 3.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. Journal of the American Statistical Association 22, 209-212.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from civcomp.survey import proportion_ci


def share_table(values: pd.Series, categories: Sequence[Any] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Count, share and Wilson CI of every category among the non-missing answers.

    Parameters
    ----------
    values : Series
        One answer per respondent (NA = no answer).
    categories : sequence, optional
        Order and completeness of the categories (default: the categorical dtype's
        categories, else the sorted observed values). Absent categories get ``n = 0``.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        ``category, n, share, ci_low, ci_high``; ``attrs`` holds ``n_valid`` and ``n_missing``.

    Examples
    --------
    >>> t = share_table(pd.Series(["a", "b", "a", None, "a"]), ["a", "b", "c"])
    >>> t["n"].tolist(), t["share"].tolist()
    ([3, 1, 0], [0.75, 0.25, 0.0])
    >>> t.attrs["n_missing"]
    1
    """
    if categories is None:
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = list(values.cat.categories)
        else:
            categories = sorted(values.dropna().unique())
    valid = values.dropna()
    unknown = set(valid.unique()) - set(categories)
    if unknown:
        raise ValueError(f"values outside the categories: {sorted(map(str, unknown))}")
    counts = valid.astype(object).value_counts()
    n_valid = len(valid)
    rows = []
    for c in categories:
        k = int(counts.get(c, 0))
        share, lo, hi = proportion_ci(k, n_valid, alpha)
        rows.append({"category": c, "n": k, "share": share, "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows)
    out.attrs.update(n_valid=n_valid, n_missing=int(values.isna().sum()))
    return out


def share_of(values: pd.Series, category: Any, alpha: float = 0.05) -> dict[str, float]:
    """Share of one category among non-missing answers: ``{n, n_valid, share, ci_low, ci_high}``.

    Examples
    --------
    >>> share_of(pd.Series(["f", "m", "f", "f"]), "f")["share"]
    0.75
    """
    valid = values.dropna()
    k = int((valid.astype(object) == category).sum())
    share, lo, hi = proportion_ci(k, len(valid), alpha)
    return {"n": k, "n_valid": len(valid), "share": share, "ci_low": lo, "ci_high": hi}


def age_distribution(age: pd.Series, bins: Sequence[int]) -> pd.DataFrame:
    """Respondents per age group, ``[bins[i], bins[i+1])``, with shares of the known ages.

    Examples
    --------
    >>> age_distribution(pd.Series([25, 31, 39, 41, None]), [18, 30, 40, 71])[["age_group", "n"]].to_dict("records")
    [{'age_group': '18-29', 'n': 1}, {'age_group': '30-39', 'n': 2}, {'age_group': '40-70', 'n': 1}]
    """
    a = pd.to_numeric(age, errors="coerce").dropna().astype(float)
    outside = a[(a < bins[0]) | (a >= bins[-1])]
    if len(outside):
        raise ValueError(f"{len(outside)} age(s) outside the bins {bins[0]}-{bins[-1] - 1}, e.g. {outside.iloc[0]:g}")
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(bins[:-1], bins[1:])]
    groups = pd.cut(a, bins=list(bins), right=False, labels=labels)
    n = groups.value_counts().reindex(labels, fill_value=0).astype(int)
    return pd.DataFrame({"age_group": labels, "n": n.to_numpy(), "share": (n / max(len(a), 1)).to_numpy()})


def suppress_small(table: pd.DataFrame, min_cell_size: int, count: str = "n") -> pd.DataFrame:
    """Disclosure control of a one-way frequency table whose total is published.

    Counts of 1 … ``min_cell_size - 1`` are hidden, and because the total (the
    denominator of the shares) is published, one more cell is hidden whenever a
    single hidden cell could be recovered by subtraction (:func:`civcomp.disclosure.suppress`
    with column margins); shares and CIs of hidden counts are hidden with them
    (:func:`civcomp.disclosure.propagate`).

    Examples
    --------
    >>> t = suppress_small(pd.DataFrame({"n": [0, 3, 12, 40], "share": [0, .05, .22, .73]}), 5)
    >>> t["n"].tolist()
    [0, <NA>, <NA>, 40]
    """
    from civcomp.disclosure import propagate, suppress

    hidden = suppress(table[[count]].reset_index(drop=True), min_cell_size, margins="columns").table[count]
    out = table.copy()
    out[count] = hidden.set_axis(table.index).astype("Int64")
    return propagate(out)


def sample_profile(df: pd.DataFrame, local_staff_headcount: int, analysed_level: str = "regional",
                   alpha: float = 0.05) -> dict[str, Any]:
    """Headline description of the sample as the paper reports it (Methodology).

    ``coverage_of_local_staff`` is the analysed respondents divided by the staff of
    local executive bodies (an administrative figure the paper quotes, passed in).
    Executive share, gender and age describe the analysed (regional) sample.

    Examples
    --------
    >>> df = pd.DataFrame({"level": ["regional"] * 3 + ["central"], "position_level": ["executive"] * 4,
    ...                    "gender": ["female", "male", "female", "male"], "age": [30, 40, 50, 60]})
    >>> p = sample_profile(df, local_staff_headcount=30)
    >>> p["n_total"], p["n_regional"], p["coverage_of_local_staff"], p["median_age"]
    (4, 3, 0.1, 40.0)
    """
    if local_staff_headcount <= 0:
        raise ValueError(f"local_staff_headcount must be positive, got {local_staff_headcount!r}")
    level = df["level"].astype(object)
    sub = df[level == analysed_level]
    n_total, n_an = len(df), len(sub)
    reg = share_of(level, analysed_level, alpha)
    exe = share_of(sub["position_level"], "executive", alpha)
    fem = share_of(sub["gender"], "female", alpha)
    age = pd.to_numeric(sub["age"], errors="coerce").dropna().astype(float)
    q1, med, q3 = (np.percentile(age, [25, 50, 75]) if len(age) else (np.nan,) * 3)
    return {
        "n_total": n_total, "n_regional": n_an,
        "share_regional": reg["share"], "share_regional_ci_low": reg["ci_low"],
        "share_regional_ci_high": reg["ci_high"],
        "local_staff_headcount": int(local_staff_headcount),
        "coverage_of_local_staff": n_an / local_staff_headcount,
        "share_executive": exe["share"], "share_executive_ci_low": exe["ci_low"],
        "share_executive_ci_high": exe["ci_high"], "n_position_missing": n_an - exe["n_valid"],
        "share_female": fem["share"], "share_female_ci_low": fem["ci_low"], "share_female_ci_high": fem["ci_high"],
        "n_gender_missing": n_an - fem["n_valid"],
        "median_age": float(med), "age_q1": float(q1), "age_q3": float(q3),
        "age_min": float(age.min()) if len(age) else np.nan, "age_max": float(age.max()) if len(age) else np.nan,
        "n_age_missing": n_an - len(age),
    }


def published_values(step: str) -> dict[str, Any]:
    """Published value of every claim in the ledger that points at a result key of ``step``.

    Values are in the units of the result keys (83 % -> 0.83), as the claims check
    compares them, so a notebook can print "paper" beside "result" without typing
    a number.

    Examples
    --------
    >>> published_values("03_innovative_capacity")["kmo"]
    0.84
    """
    from civcomp.claims import expected_value, load_ledger

    out: dict[str, Any] = {}
    for c in load_ledger():
        key = c.get("key") or c.get("input_key")
        if isinstance(key, str) and key.startswith(f"{step}.") and c["kind"] in ("value", "count", "external"):
            out[key.split(".", 1)[1]] = expected_value(c)
    return out
