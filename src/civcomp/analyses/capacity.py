"""Paper 003's sample profile, reasons for joining and Table 3's factor model: what notebook 03 publishes.

:func:`results` computes, from the capacity survey, every value of ``outputs/results/03_innovative_capacity.json``
but the structural model's (:func:`civcomp.analyses.capacity_structural.results`) and every table of
sections 1-3 of notebook 03. The factor model itself is :mod:`civcomp.stats.efa`; :data:`ITEMS` are
Table 3's nine variables, the one list the twin, the tests and the benchmarks use.

Shares come with Wilson score intervals from :func:`civcomp.stats.estimates.proportion_ci`;
denominators are the non-missing answers, and the number missing is reported
beside every share. Counts below the disclosure threshold are suppressed (NA)
before anything is exported, together with the share and CI they would reveal.

Size: one job, what sections 1-3 of notebook 03 publish: the profile, the age and reason tables and Table 3's factor
model, each with what must be withheld for it to be published.

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

from civcomp.analyses.published import Published, suppress_whole
from civcomp.io import ledger
from civcomp.io.codebook import load_codebook
from civcomp.io.outputs import published_precision
from civcomp.stats import efa
from civcomp.stats.disclosure import propagate, suppress, suppress_small
from civcomp.stats.efa import adequacy_table
from civcomp.stats.estimates import proportion, publishable_share, share_table


def _share_of(values: pd.Series, category: Any, alpha: float) -> dict[str, float]:
    """:func:`~civcomp.stats.estimates.proportion` of one category among the non-missing answers."""
    return proportion((values.astype(object) == category).where(values.notna()), alpha=alpha)


NOT_STATED = "not stated"  # the age group of respondents whose age is missing


def age_distribution(age: pd.Series, bins: Sequence[int]) -> pd.DataFrame:
    """Respondents per age group, ``[bins[i], bins[i+1])``, and those whose age is missing (``not stated``),
    with shares of all the respondents (so the one-way table adds up to the group, a published total).

    Examples
    --------
    >>> t = age_distribution(pd.Series([25, 31, 39, 41, None]), [18, 30, 40, 71])
    >>> t[["age_group", "n"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'age_group': '18-29', 'n': 1}, {'age_group': '30-39', 'n': 2}, {'age_group': '40-70', 'n': 1},
     {'age_group': 'not stated', 'n': 1}]
    >>> t["share"].tolist()
    [0.2, 0.4, 0.2, 0.2]
    """
    a = pd.to_numeric(age, errors="coerce").astype("Float64").dropna().astype(float)
    outside = a[(a < bins[0]) | (a >= bins[-1])]
    if len(outside):
        raise ValueError(f"{len(outside)} age(s) outside the bins {bins[0]}-{bins[-1] - 1}, e.g. {outside.iloc[0]:g}")
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(bins[:-1], bins[1:])]
    groups = pd.cut(a, bins=list(bins), right=False, labels=labels)
    n = [*groups.value_counts().reindex(labels, fill_value=0).astype(int).tolist(), int(len(age) - len(a))]
    return pd.DataFrame({"age_group": [*labels, NOT_STATED], "n": n, "share": [x / max(len(age), 1) for x in n]})


def shared_quantile(values: pd.Series, q: float, min_cell_size: int) -> float | None:
    """The ``q`` quantile (linear interpolation, NumPy's default) when every value it is made of is shared
    by at least ``min_cell_size`` respondents; otherwise None.

    A quantile is one respondent's value (or a mix of two neighbours'): on a small file the median age
    may be the age of one person, and the minimum and maximum always are. Published only when the ages it
    interpolates are each held by ``min_cell_size`` respondents or more, it says no more than a published
    count of that age would.

    Examples
    --------
    >>> ages = pd.Series([30] * 5 + [40] * 5 + [41])
    >>> shared_quantile(ages, 0.5, 5), shared_quantile(ages, 1.0, 5) is None
    (40.0, True)
    """
    a = np.sort(pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float))
    if not len(a):
        return None
    pos = q * (len(a) - 1)
    parts = {a[int(np.floor(pos))], a[int(np.ceil(pos))]}
    if any(int((a == v).sum()) < min_cell_size for v in parts):
        return None
    return float(np.percentile(a, 100 * q))


def sample_profile(
    df: pd.DataFrame,
    local_staff_headcount: int,
    analysed_level: str = "regional",
    alpha: float = 0.05,
    min_cell_size: int | None = None,
) -> dict[str, Any]:
    """Headline description of the sample as the paper reports it (Methodology).

    ``coverage_of_local_staff`` is the analysed respondents divided by the staff of
    local executive bodies (an administrative figure the paper quotes, passed in).
    Executive share, gender and age describe the analysed (regional) sample. No respondent's own
    value is reported (no minimum or maximum age).

    With ``min_cell_size``, what would give a count of 1 … ``min_cell_size - 1`` back is None: each share
    with its interval when a cell of its line — with, without, not answered — is small
    (:func:`civcomp.stats.estimates.publishable_share`); ``n_total`` with ``share_regional`` when the other
    level is small (``n_total - n_regional`` would give it); a small count of missing answers; the median
    and quartiles of age unless each age they are made of is shared by ``min_cell_size`` respondents
    (:func:`shared_quantile`).

    Examples
    --------
    >>> df = pd.DataFrame({"level": ["regional"] * 3 + ["central"], "position_level": ["executive"] * 4,
    ...                    "gender": ["female", "male", "female", "male"], "age": [30, 40, 50, 60]})
    >>> p = sample_profile(df, local_staff_headcount=30)
    >>> p["n_total"], p["n_regional"], p["coverage_of_local_staff"], p["median_age"]
    (4, 3, 0.1, 40.0)
    >>> sample_profile(df, local_staff_headcount=30, min_cell_size=2)["share_regional"] is None  # 1 central
    True
    """
    if local_staff_headcount <= 0:
        raise ValueError(f"local_staff_headcount must be positive, got {local_staff_headcount!r}")
    level = df["level"].astype(object)
    sub = df[level == analysed_level]
    n_total, n_an = len(df), len(sub)
    reg = _share_of(level, analysed_level, alpha)
    exe = _share_of(sub["position_level"], "executive", alpha)
    fem = _share_of(sub["gender"], "female", alpha)
    age = pd.to_numeric(sub["age"], errors="coerce").astype("Float64").dropna().astype(float)
    q1, med, q3 = np.percentile(age, [25, 50, 75]) if len(age) else (np.nan,) * 3
    out = {
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
        "n_age_missing": n_an - len(age),
    }
    if min_cell_size is None:
        return out
    k = int(min_cell_size)
    for stem, r, group in (
        ("share_regional", reg, n_total),
        ("share_executive", exe, n_an),
        ("share_female", fem, n_an),
    ):
        if publishable_share(r, group, k)["withheld"]:
            out.update({stem: None, f"{stem}_ci_low": None, f"{stem}_ci_high": None})
    if out["share_regional"] is None:
        out["n_total"] = None  # n_total - n_regional is the other level
    for key in ("n_position_missing", "n_gender_missing", "n_age_missing"):
        if 0 < out[key] < k:
            out[key] = None
    for key, q in (("age_q1", 0.25), ("median_age", 0.5), ("age_q3", 0.75)):
        out[key] = shared_quantile(age, q, k)
    return out


def profile_table(prof: dict[str, Any], published: dict[str, Any], analysed_level: str = "regional") -> pd.DataFrame:
    """The sample profile as exported: measure, n, recomputed result and the paper's value.

    Each result at the precision the results JSON prints it (:func:`civcomp.io.outputs.published_precision`:
    shares at 4 decimals, the median at 2); a withheld value (None in ``prof``) is empty.

    Examples
    --------
    >>> p = sample_profile(pd.DataFrame({"level": ["regional"] * 3 + ["central"], "position_level": ["executive"] * 4,
    ...                                  "gender": ["female", "male", "female", "male"], "age": [30, 40, 50, 60]}), 30)
    >>> profile_table(p, {"median_age": 39})["measure"].tolist()[:2]
    ['respondents, all levels', 'respondents, regional']
    """

    def res(key: str) -> float:
        v = prof[key]
        return np.nan if v is None else published_precision(key, v)

    return pd.DataFrame(
        [
            ("respondents, all levels", prof["n_total"], np.nan, np.nan),
            (
                f"respondents, {analysed_level}",
                prof["n_regional"],
                res("share_regional"),
                published.get("share_regional"),
            ),
            (
                "coverage of local civil service",
                prof["n_regional"],
                res("coverage_of_local_staff"),
                published.get("coverage_of_local_staff"),
            ),
            ("executive level", np.nan, res("share_executive"), published.get("share_executive")),
            ("female", np.nan, res("share_female"), published.get("share_female")),
            ("median age (years)", np.nan, res("median_age"), published.get("median_age")),
        ],
        columns=["measure", "n", "result", "paper"],
    ).astype({"n": "Int64", "result": float})


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

# The staff of local executive bodies (paper 003, Methodology): an administrative figure whose one home is the
# claims ledger; it is the denominator of the coverage, never a parameter.
LOCAL_STAFF_CLAIM = "p003_local_staff_headcount"

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


def strong_determinants_hold(is_strong: pd.Series, strong: Sequence[str], weaker: Sequence[str]) -> bool:
    """Paper 003's "strong determinants" (Findings): the one definition the ledger, notebook 03 and the panel use.

    The claim holds when every determinant the paper names strong (``strong``) is strong and none of those it
    says "also affect" (``weaker``) is. *Which* determinants are strong is the reading: notebook 03 and the
    ledger use Table 3's criterion (communality above the requirement); the robustness panel adds readings
    by regression and dominance. ``is_strong`` is indexed by determinant.

    Examples
    --------
    >>> h = pd.Series({"environment": .64, "career": .55, "competencies": .399})
    >>> strong_determinants_hold(h > .4, ["environment", "career"], ["competencies"])
    True
    >>> strong_determinants_hold(h > .3, ["environment", "career"], ["competencies"])
    False
    """
    return bool(all(bool(is_strong[d]) for d in strong) and not any(bool(is_strong[d]) for d in weaker))


def n_used(n: int, n_rows: int, min_cell_size: int | None) -> int | None:
    """The ``n`` of ``n_rows`` analysed respondents a model used, as it may be published: the rest left an item
    blank, and ``n_rows`` is published, so ``n`` gives that count back. It is published when the line
    (left a blank, used) passes :func:`civcomp.stats.estimates.publishable_share` — both counts 0 or at least
    ``min_cell_size`` — else ``None`` (withheld; so is the count dropped). No ``min_cell_size``: ``n``.

    Examples
    --------
    >>> n_used(58, 60, 5), n_used(55, 60, 5), n_used(60, 60, 5), n_used(3, 60, 5), n_used(58, 60, None)
    (None, 55, 60, None, 58)
    """
    if min_cell_size is None:
        return n
    left_blank = proportion([1] * (n_rows - n) + [0] * n)
    return None if publishable_share(left_blank, n_rows, min_cell_size)["withheld"] else n


def efa_options(params: dict[str, Any]) -> dict[str, Any]:
    """The factor-analysis choices of notebook 03's parameters, shared by the nine items and the eight determinants.

    Examples
    --------
    >>> p = dict(extraction_method="principal", rotation="none", n_factors_rule="kaiser", parallel_iterations=500,
    ...          parallel_percentile=95.0, seed=1, confidence=0.95)
    >>> efa_options(p)["method"], efa_options(p)["level"]
    ('principal', 0.95)
    """
    return dict(
        n_factors="auto",
        method=params["extraction_method"],
        rotation=params["rotation"],
        missing="listwise",
        n_factors_rule=params["n_factors_rule"],
        parallel_iterations=params["parallel_iterations"],
        parallel_percentile=params["parallel_percentile"],
        seed=params["seed"],
        level=params["confidence"],
    )


def analysed(survey: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """The respondents of ``params["analysed_level"]`` (paper 003: the regional sample).

    Examples
    --------
    >>> analysed(pd.DataFrame({"level": ["regional", "central"]}), {"analysed_level": "regional"}).index.tolist()
    [0]
    """
    return survey[survey["level"].astype(object) == params["analysed_level"]]


def published_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` with ``columns`` at the precision the results JSON prints them
    (:func:`civcomp.io.outputs.published_precision`: shares at 4 decimals, their intervals at 2).

    Examples
    --------
    >>> published_columns(pd.DataFrame({"share": [1 / 3], "ci_low": [0.2468]}), ["share", "ci_low"]).iloc[0].tolist()
    [0.3333, 0.25]
    """
    out = table.copy()
    for col in columns:
        if col in out.columns:
            out[col] = [published_precision(col, v) if pd.notna(v) else v for v in out[col].astype(object)]
            out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def reasons_table(
    reason: pd.Series, codebook, published: dict[str, Any], alpha: float, min_cell_size: int
) -> pd.DataFrame:
    """Figure 3: share of each main reason with Wilson CIs, suppressed, labelled, the paper's share beside it.

    Shares are of the respondents who gave a reason; the respondents who gave none (``not stated``) are a
    cell of the same one-way table, whose total (the analysed respondents) is published, so suppression
    covers it too. When that count is hidden, every share and interval is hidden with it: ``count / share``
    would give the answered base, and the base the hidden count. ``attrs``: ``n_missing`` and ``n_valid``
    (None when hidden), ``withheld`` (why the shares are not shown, or None).
    """
    t = share_table(reason, codebook.categories("reason"), alpha=alpha)
    n_missing, n_valid = t.attrs["n_missing"], t.attrs["n_valid"]
    line = pd.DataFrame({"n": [*t["n"].tolist(), n_missing]})
    hidden = suppress(line, min_cell_size, margins="columns").mask["n"].to_numpy()
    t["n"] = t["n"].astype("Int64").mask(hidden[:-1])
    t = propagate(t)
    withheld = None
    if hidden[-1]:
        withheld = f"fewer than {min_cell_size} respondents gave no reason: the shares of those who did would give that count back"
        for col in ("share", "ci_low", "ci_high"):
            t[col] = pd.Series(np.nan, index=t.index, dtype="Float64")
    t = published_columns(t, ("share", "ci_low", "ci_high"))
    t["label"] = [codebook.label("reason", c) for c in t["category"]]
    t["paper"] = [published.get(f"reason_share_{c}") for c in t["category"]]
    t.attrs.update(
        n_missing=None if hidden[-1] else n_missing, n_valid=None if hidden[-1] else n_valid, withheld=withheld
    )
    return t


def results(
    data: dict[str, pd.DataFrame], params: dict[str, Any], published: dict[str, Any] | None = None
) -> Published:
    """Everything sections 1-3 of notebook 03 publish: the profile, Figure 3, Table 3 and the factor model.

    Parameters
    ----------
    data : dict
        ``capacity_survey``: the loaded survey (:func:`civcomp.io.load.load`).
    params : dict
        Notebook 03's resolved parameters (:func:`civcomp.io.params.resolve`).
    published : dict, optional
        The paper's values by result key (:func:`civcomp.replication.claims.published_values`), printed in
        the tables' ``paper`` columns; they never enter a computed value.

    Returns
    -------
    Published
        ``values``: the profile (:data:`PROFILE_KEYS`; the local staff headcount read from the claims ledger,
        :data:`LOCAL_STAFF_CLAIM`), the regions with analysed respondents (``n_regions_represented``) of the
        codebook's ``n_regions``, ``reason_share_*`` with CIs, the factor model's headline
        (:meth:`civcomp.stats.efa.EFAResult.headline`: KMO, Bartlett, communalities, α, ω, …) and the lowest
        item's measure of sampling adequacy (``msa_min``); what would give a small count back is null
        (:func:`sample_profile` with ``min_cell_size``, :func:`reasons_table`), and ``suppressed_tables`` names
        the tables emptied whole, with why (:func:`civcomp.analyses.published.suppress_whole`);
        ``tables``: ``sample_profile``, ``age_distribution``, ``reasons``, ``table3_adequacy``,
        ``correlations``, ``eigenvalues``, ``loadings``, ``reliability``;
        ``parts``: ``profile`` (:func:`sample_profile`), ``efa`` (the fitted model), ``labels``,
        ``communalities`` (Table 3's communality rows, for the figure).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=300)
    >>> survey = pd.DataFrame({c: np.clip(np.rint(6 + 1.5 * f + rng.normal(size=300)), 1, 10) for c in ITEMS})
    >>> survey = survey.assign(level="regional", position_level="executive", gender="female", age=40,
    ...                        reason="career", region="abai")
    >>> params = dict(analysed_level="regional", min_cell_size=5, confidence=0.95, items=list(ITEMS),
    ...               age_bins=[18, 71], extraction_method="principal",
    ...               rotation="none", n_factors_rule="kaiser", parallel_iterations=20, parallel_percentile=95.0,
    ...               seed=1, bootstrap_resamples=20, loading_cutoff=0.3, kmo_required=0.5,
    ...               bartlett_p_required=0.05, communality_required=0.4)
    >>> pub = results({"capacity_survey": survey}, params)
    >>> pub.values["n_regional"], pub.values["reason_share_career"], pub.values["n_factors"]
    (300, 1.0, 1)
    >>> pub.values["local_staff_headcount"] == ledger.target(LOCAL_STAFF_CLAIM), pub.values["n_regions_represented"]
    (True, 1)
    """
    published = published or {}
    survey = data["capacity_survey"]
    codebook = load_codebook("capacity_survey")
    k, alpha, level = params["min_cell_size"], 1 - params["confidence"], params["analysed_level"]
    regional = analysed(survey, params)
    items = list(params["items"])
    labels = {c: codebook.label(c) for c in items}
    prof = sample_profile(survey, ledger.target(LOCAL_STAFF_CLAIM), level, alpha=alpha, min_cell_size=k)
    reasons = reasons_table(regional["reason"], codebook, published, alpha, k)
    ages = published_columns(suppress_small(age_distribution(regional["age"], params["age_bins"]), k), ["share"])
    whole = {}  # a table with nothing left to show is emptied whole, and says why
    ages, why = suppress_whole(ages, k, len(regional))
    if why:
        whole["age_distribution"] = why
    reasons, why = suppress_whole(reasons, k, len(regional))  # a copy keeps the attrs
    if why:
        whole["reasons"] = reasons.attrs["withheld"] = why
    res = efa.efa(
        regional,
        items,
        **efa_options(params),
        bootstrap_resamples=params["bootstrap_resamples"],
        loading_cutoff=params["loading_cutoff"],
    )
    t3 = table3(
        res, published, params["kmo_required"], params["bartlett_p_required"], params["communality_required"], labels
    )
    values: dict[str, Any] = {key: prof[key] for key in PROFILE_KEYS}
    values["n_reason_missing"] = reasons.attrs["n_missing"]
    values["suppressed_tables"] = whole
    values["n_regions_represented"] = int(regional["region"].dropna().astype(object).nunique())
    values["n_regions"] = len(codebook.categories("region"))
    values.update(res.headline())
    values["efa_n"] = n_used(res.n, res.n_rows, k)
    values["efa_n_dropped"] = None if values["efa_n"] is None else res.n_dropped
    values["msa_min"] = float(np.min(res.kmo_per_item))
    values["bootstrap_resamples"] = params["bootstrap_resamples"]
    if "paper_strong_determinants" in params:  # the settings the robustness panel reuses, and the claim's value
        strong, weaker = list(params["paper_strong_determinants"]), list(params["paper_weaker_determinants"])
        values["paper_strong_determinants"], values["paper_weaker_determinants"] = strong, weaker
        values["communality_required"] = params["communality_required"]
        values["strong_determinants_hold"] = strong_determinants_hold(
            res.communalities > params["communality_required"], strong, weaker
        )
    for _, r in reasons.iterrows():
        values[f"reason_share_{r['category']}"] = r["share"]
        values[f"reason_share_{r['category']}_ci_low"] = r["ci_low"]
        values[f"reason_share_{r['category']}_ci_high"] = r["ci_high"]
    useful = values.get("reason_share_useful_to_state")  # the rest are personal goals (the paper's reading)
    values["reason_share_personal_goals"] = None if useful is None or pd.isna(useful) else 1 - float(useful)
    tables = {
        "sample_profile": profile_table(prof, published, level),
        "age_distribution": ages,
        "reasons": reasons,
        "table3_adequacy": t3,
        "correlations": res.correlation.reset_index(names="item"),
        "eigenvalues": res.variance_explained.assign(
            parallel_threshold=res.parallel["threshold"], parallel_mean=res.parallel["mean"]
        ),
        "loadings": res.loadings.assign(
            communality=res.communalities, uniqueness=res.uniquenesses, kmo_msa=res.kmo_per_item
        ).reset_index(names="item"),
        "reliability": reliability_table(res.reliability),
    }
    comm = t3[t3["key"].str.startswith("communality_")].reset_index(drop=True)
    return Published(values, tables, {"profile": prof, "efa": res, "labels": labels, "communalities": comm})
