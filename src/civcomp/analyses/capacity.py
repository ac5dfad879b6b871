"""Sample profile and reasons for joining the civil service (paper 003, notebook 03); the factor model itself is :mod:`civcomp.stats.efa`.

Shares come with Wilson score intervals from :func:`civcomp.stats.estimates.proportion_ci`;
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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from civcomp.stats.efa import adequacy_table
from civcomp.stats.estimates import proportion


def _share_of(values: pd.Series, category: Any, alpha: float) -> dict[str, float]:
    """:func:`~civcomp.stats.estimates.proportion` of one category among the non-missing answers."""
    return proportion((values.astype(object) == category).where(values.notna()), alpha=alpha)


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


def sample_profile(
    df: pd.DataFrame, local_staff_headcount: int, analysed_level: str = "regional", alpha: float = 0.05
) -> dict[str, Any]:
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
    reg = _share_of(level, analysed_level, alpha)
    exe = _share_of(sub["position_level"], "executive", alpha)
    fem = _share_of(sub["gender"], "female", alpha)
    age = pd.to_numeric(sub["age"], errors="coerce").dropna().astype(float)
    q1, med, q3 = np.percentile(age, [25, 50, 75]) if len(age) else (np.nan,) * 3
    return {
        "n_total": n_total,
        "n_regional": n_an,
        "share_regional": reg["share"],
        "share_regional_ci_low": reg["ci_low"],
        "share_regional_ci_high": reg["ci_high"],
        "local_staff_headcount": int(local_staff_headcount),
        "coverage_of_local_staff": n_an / local_staff_headcount,
        "share_executive": exe["share"],
        "share_executive_ci_low": exe["ci_low"],
        "share_executive_ci_high": exe["ci_high"],
        "n_position_missing": n_an - exe["n"],
        "share_female": fem["share"],
        "share_female_ci_low": fem["ci_low"],
        "share_female_ci_high": fem["ci_high"],
        "n_gender_missing": n_an - fem["n"],
        "median_age": float(med),
        "age_q1": float(q1),
        "age_q3": float(q3),
        "age_min": float(age.min()) if len(age) else np.nan,
        "age_max": float(age.max()) if len(age) else np.nan,
        "n_age_missing": n_an - len(age),
    }


def profile_table(prof: dict[str, Any], published: dict[str, Any], analysed_level: str = "regional") -> pd.DataFrame:
    """The sample profile as exported: measure, n, recomputed result and the paper's value.

    Examples
    --------
    >>> p = sample_profile(pd.DataFrame({"level": ["regional"] * 3 + ["central"], "position_level": ["executive"] * 4,
    ...                                  "gender": ["female", "male", "female", "male"], "age": [30, 40, 50, 60]}), 30)
    >>> profile_table(p, {"median_age": 39})["measure"].tolist()[:2]
    ['respondents, all levels', 'respondents, regional']
    """
    return pd.DataFrame(
        [
            ("respondents, all levels", prof["n_total"], np.nan, np.nan),
            (
                f"respondents, {analysed_level}",
                prof["n_regional"],
                prof["share_regional"],
                published.get("share_regional"),
            ),
            (
                "coverage of local civil service",
                prof["n_regional"],
                prof["coverage_of_local_staff"],
                published.get("coverage_of_local_staff"),
            ),
            ("executive level", np.nan, prof["share_executive"], published.get("share_executive")),
            ("female", np.nan, prof["share_female"], published.get("share_female")),
            ("median age (years)", np.nan, prof["median_age"], published.get("median_age")),
        ],
        columns=["measure", "n", "result", "paper"],
    )


def reliability_table(rel: dict[str, float]) -> pd.DataFrame:
    """Cronbach's alpha (Feldt and bootstrap CIs), standardised alpha and omega total, as exported."""
    return pd.DataFrame(
        [
            ("Cronbach's alpha", rel["alpha"], rel["alpha_ci_low"], rel["alpha_ci_high"], "Feldt"),
            ("Cronbach's alpha", rel["alpha"], rel["alpha_boot_ci_low"], rel["alpha_boot_ci_high"], "bootstrap"),
            ("standardised alpha", rel["alpha_std"], np.nan, np.nan, ""),
            ("McDonald's omega total", rel["omega_total"], rel["omega_ci_low"], rel["omega_ci_high"], "bootstrap"),
        ],
        columns=["coefficient", "estimate", "ci_low", "ci_high", "ci_method"],
    )


# Paper 003's Table 3: innovative capacity and the eight determinants of Figure 4, in the table's order
ITEMS = (
    "innovative_capacity",
    "agency_activities",
    "salary",
    "trust",
    "work_conditions",
    "environment",
    "schedule",
    "career",
    "competencies",
)

PROFILE_KEYS = (
    "n_total",
    "n_regional",
    "share_regional",
    "local_staff_headcount",
    "coverage_of_local_staff",
    "share_executive",
    "share_executive_ci_low",
    "share_executive_ci_high",
    "share_female",
    "share_female_ci_low",
    "share_female_ci_high",
    "median_age",
    "age_q1",
    "age_q3",
    "n_age_missing",
)


def results(prof: dict[str, Any], reasons: pd.DataFrame, efa_result, bootstrap_resamples: int) -> dict[str, Any]:
    """Notebook 03's result keys: the profile, Figure 3's shares and the factor model (:meth:`EFAResult.headline`).

    ``reasons`` is the table of :func:`civcomp.stats.estimates.share_table` (after suppression).
    """
    out: dict[str, Any] = {k: prof[k] for k in PROFILE_KEYS}
    out["n_reason_missing"] = reasons.attrs["n_missing"]
    out.update(efa_result.headline())
    out["bootstrap_resamples"] = bootstrap_resamples
    for _, r in reasons.iterrows():
        out[f"reason_share_{r['category']}"] = r["share"]
        out[f"reason_share_{r['category']}_ci_low"] = r["ci_low"]
        out[f"reason_share_{r['category']}_ci_high"] = r["ci_high"]
    return out


def table3(
    efa_result,
    published: dict[str, Any],
    kmo_required: float,
    bartlett_p_required: float,
    communality_required: float,
    labels: dict[str, str],
) -> pd.DataFrame:
    """Paper 003's Table 3 (measure | required | result) with bootstrap CIs and the paper's value beside each.

    Bartlett's p is printed by the paper only as "0.000", so its ``paper`` cell stays empty.
    """
    t = adequacy_table(efa_result, kmo_required, bartlett_p_required, communality_required, labels=labels)
    t["paper"] = [published.get(k, np.nan) if k != "bartlett_p" else np.nan for k in t["key"]]
    return t[["measure", "required", "result", "ci_low", "ci_high", "meets", "paper", "key"]]
