"""Notebook 03's sentences: Markdown built from what :mod:`civcomp.analyses.capacity` and
:mod:`civcomp.analyses.capacity_structural` publish, so the prose a reader sees is tested code.

Each ``narrate_*`` function takes the :class:`~civcomp.analyses.published.Published` of the profile and
factor model (``pub``), of the structural model (``sem``) and the notebook's parameters, and returns
one Markdown paragraph; it computes nothing the results do not already hold.

Examples
--------
>>> p_text(0.0001), p_text(0.0312)
('< 0.001', '= 0.0312')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from civcomp.analyses.published import Published
from civcomp.io import ledger
from civcomp.io.display import n_text


def p_text(p: float) -> str:
    """A p-value as printed after "p": ``< 0.001`` or ``= 0.0312`` (three significant digits)."""
    return "< 0.001" if p < 0.001 else f"= {p:.3g}"


def headline_keys(pub: Published, params: dict[str, Any]) -> list[str]:
    """The result keys notebook 03's checked cell prints (nbval): profile, Figure 3, Table 3, reliability, SEM.

    Examples
    --------
    >>> pub = Published({}, {"reasons": pd.DataFrame({"category": ["career"]})})
    >>> keys = headline_keys(pub, {"items": ["salary"]})
    >>> keys[:2], "reason_share_career" in keys, "communality_salary" in keys
    (['data_source', 'n_total'], True, True)
    """
    return [
        "data_source",
        "n_total",
        "n_regional",
        "share_regional",
        "coverage_of_local_staff",
        "share_executive",
        "share_female",
        "median_age",
        *[f"reason_share_{c}" for c in pub.tables["reasons"]["category"]],
        "kmo",
        "kmo_ci_low",
        "kmo_ci_high",
        "bartlett_df",
        "bartlett_p",
        *[f"communality_{c}" for c in params["items"]],
        "n_communalities_above_0_4",
        "n_factors_kaiser",
        "n_factors_scree",
        "n_factors_parallel",
        "alpha",
        "omega_total",
        "sem_cfa_chisq",
        "sem_cfa_df",
        "sem_cfa_cfi",
        "sem_cfa_tli",
        "sem_cfa_rmsea",
        "sem_cfa_srmr",
        "sem_path_r2",
        "sem_n_strong",
        "adequacy8_kmo",
    ]


def on_the_data(params: dict[str, Any]) -> str:
    """The opening of a data-dependent summary: which data ran and, on the twin, what was built in.

    On the synthetic twin, Table 3's values the twin targets (``{ledger: id}`` in ``params/synthetic``) agree by
    construction; everything else the factor and structural models show follows from the twin's assumed
    correlations and is no evidence about the paper.

    Examples
    --------
    >>> on_the_data({"data_source": "real"})
    "**On the study's data.** "
    >>> print(on_the_data({"data_source": "synthetic"}))  # doctest: +ELLIPSIS
    **On the synthetic twin, not the survey.** KMO and 9 communalities were calibration targets: ...
    """
    if params.get("data_source") != "synthetic":
        return "**On the study's data.** "
    targets = ledger.twin_targets()
    n_comm = sum(t.startswith("p003_communality_") for t in targets)
    built = " and ".join(
        x for x in ("KMO" if "p003_kmo" in targets else "", f"{n_comm} communalities" if n_comm else "") if x
    )
    return (
        "**On the synthetic twin, not the survey.** "
        + (
            f"{built} were calibration targets: they agree with Table 3 by construction (a pipeline check). "
            if built
            else ""
        )
        + "The CFA fit, the structural paths and which determinants come out strong follow from the twin's "
        "assumed correlations: they describe the twin, not the paper. "
    )


def _f(x: Any, spec: str) -> str:
    """``x`` formatted, or ``s`` where it was withheld (None: it would give a count below min_cell_size back)."""
    return "s" if x is None else format(x, spec)


def narrate_profile(pub: Published, params: dict[str, Any]) -> str:
    """Section 1: respondents, coverage of the local civil service, executive share, women, age (``s``: withheld).

    Examples
    --------
    >>> v = {"n_total": None, "n_regional": 59, "share_regional": None, "coverage_of_local_staff": 0.0015,
    ...      "local_staff_headcount": 39681, "share_executive": 0.86, "share_executive_ci_low": 0.75,
    ...      "share_executive_ci_high": 0.93, "share_female": None, "share_female_ci_low": None,
    ...      "share_female_ci_high": None, "median_age": None, "age_q1": None, "age_q3": None, "n_age_missing": None}
    >>> print(narrate_profile(Published(v), {"analysed_level": "regional", "min_cell_size": 5}))  # doctest: +ELLIPSIS
    s civil servants answered; 59 (s) work in regional bodies ... the median age is s (interquartile range s–s, s not stated)...
    """
    v = pub.values
    text = (
        f"{_f(v['n_total'], ',')} civil servants answered; {v['n_regional']:,} ({_f(v['share_regional'], '.1%')}) "
        f"work in {params['analysed_level']} bodies — {v['coverage_of_local_staff']:.1%} of the "
        f"{v['local_staff_headcount']:,} staff of local executive bodies (the paper's administrative figure). "
        f"Of them {_f(v['share_executive'], '.1%')} are at executive level (95% CI "  # a CI is published at 0.01
        f"{_f(v['share_executive_ci_low'], '.0%')}–{_f(v['share_executive_ci_high'], '.0%')}) and "
        f"{_f(v['share_female'], '.1%')} are women ({_f(v['share_female_ci_low'], '.0%')}–"
        f"{_f(v['share_female_ci_high'], '.0%')}); the median age is {_f(v['median_age'], 'g')} (interquartile "
        f"range {_f(v['age_q1'], 'g')}–{_f(v['age_q3'], 'g')}, {_f(v['n_age_missing'], 'd')} not stated)."
    )
    withheld = [
        k for k in ("n_total", "share_regional", "share_executive", "share_female", "n_age_missing") if v[k] is None
    ]
    if withheld:
        text += (
            f" *s: withheld — a count below min_cell_size = {params.get('min_cell_size', 5)} (the other level, the "
            "respondents without the attribute or without an answer) would follow from it.*"
        )
    if v["median_age"] is None or v["age_q1"] is None or v["age_q3"] is None:
        text += (
            f" *Age quantiles are the ages of single respondents on a file this small: each is published only when "
            f"at least {params.get('min_cell_size', 5)} respondents share the ages it is made of; the age table "
            "below gives the banded distribution.*"
        )
    return text


def narrate_ages(pub: Published, params: dict[str, Any]) -> str:
    """Section 1's age table: respondents without an age, and what suppression hid (read from the exported table).

    Examples
    --------
    >>> t = pd.DataFrame({"age_group": ["18-29", "30-70", "not stated"], "n": pd.array([None, 40, None], "Int64")})
    >>> print(narrate_ages(Published({}, {"age_distribution": t}), {"min_cell_size": 5}))  # doctest: +NORMALIZE_WHITESPACE
    Respondents without an age are counted as *not stated* (s). 2 of 3 age groups are suppressed (s): a count below
    min_cell_size = 5, or a cell that would give one back from the published total.
    """
    t = pub.tables["age_distribution"]
    why = pub.values.get("suppressed_tables", {}).get("age_distribution")
    if why:
        return f"The age table is {why}."
    body = t["n"]
    missing = body.iloc[-1]
    hidden = int(body.isna().sum())
    text = f"Respondents without an age are counted as *not stated* ({'s' if pd.isna(missing) else int(missing)})."
    if hidden:
        text += (
            f" {hidden} of {len(t)} age groups are suppressed (s): a count below min_cell_size = "
            f"{params['min_cell_size']}, or a cell that would give one back from the published total."
        )
    return text


def narrate_reasons(pub: Published) -> str:
    """Figure 3: the most frequent reason with its CI, the personal reasons together, the missing answers
    (suppressed shares are not shown, and why the shares are withheld when they are)."""
    reasons = pub.tables["reasons"]
    if reasons.attrs.get("withheld"):
        return f"The shares of Figure 3 are withheld: {reasons.attrs['withheld']}."
    shown = reasons[reasons["share"].notna()]
    if shown.empty:
        return (
            "Every share of Figure 3 is suppressed: each reason's count is below min_cell_size or would give one back."
        )
    top = shown.sort_values("share", ascending=False).iloc[0]
    rest = pub.values.get("reason_share_personal_goals")
    personal = "s" if rest is None else f"{rest:.1%}"
    n_missing = reasons.attrs["n_missing"]
    hidden = int(reasons["share"].isna().sum())
    return (
        f"The most frequent reason is “{top['label']}” ({top['share']:.1%}, 95% CI {top['ci_low']:.1%}–"
        f"{top['ci_high']:.1%}); the other reasons — personal goals such as financial stability, experience, "
        f"career — add up to {personal}. {n_missing} respondents gave no reason."
        + (
            f" {hidden} reason(s) suppressed (s): a count below min_cell_size or one that would give it back."
            if hidden
            else ""
        )
    )


def _count(n: int | None, withheld: str = "") -> str:
    return withheld if n is None else f"{n:,} "  # a count withheld is said once, in section 3


def narrate_factors(pub: Published, params: dict[str, Any]) -> str:
    """Section 3: rows used and the number of components by each rule."""
    res, n = pub.parts["efa"], pub.values["efa_n"]
    used = (
        f"N used = {n:,} ({pub.values['efa_n_dropped']:,} of {res.n_rows:,} rows dropped for a missing item)"
        if n is not None
        else f"N used withheld, here and below: fewer than {params['min_cell_size']} respondents left an item "
        f"blank or fewer than {params['min_cell_size']} answered all {len(res.columns)} (disclosure control)"
    )
    return (
        f"{used}. Number of "
        f"components: Kaiser {res.n_factors_by['kaiser']}, scree (acceleration factor) {res.n_factors_by['scree']}, "
        f"parallel analysis ({params['parallel_percentile']:g}th percentile of {params['parallel_iterations']} "
        f"resamples) {res.n_factors_by['parallel']}; used: **{res.n_factors}** ({res.n_factors_rule})."
    )


def narrate_adequacy(pub: Published) -> str:
    """Table 3: Bartlett's test and KMO with its bootstrap CI."""
    res = pub.parts["efa"]
    b = res.bartlett
    return (
        f"Bartlett's χ² = {b['chi2']:,.1f} on {b['df']} df, p {p_text(b['p'])} (log₁₀ p = {b['log10_p']:,.1f}): the "
        f"correlation matrix is far from the identity. KMO = {res.kmo:.3f} (95% CI {res.bootstrap['kmo_ci'][0]:.3f}–"
        f"{res.bootstrap['kmo_ci'][1]:.3f})."
    )


def _cfa_met(sem: Published) -> pd.Series:
    """The Hu-Bentler criteria of the CFA fit table, True where met (χ², df and p have none)."""
    return sem.tables["sem_cfa_fit"]["meets"].dropna().astype(bool)


def narrate_cfa(sem: Published, params: dict[str, Any] | None = None) -> str:
    """Section 4 (a): the one-factor CFA's fit, the criteria met and the range of the loadings."""
    f, n = sem.parts["model"].cfa.fit, sem.values["sem_n"]
    fit, loadings, ok = sem.tables["sem_cfa_fit"], sem.tables["sem_cfa_loadings"], _cfa_met(sem)
    return (
        f"**(a) One-factor CFA** of the nine variables (N {n_text(n)}): χ² = {f['chisq']:,.1f} on "
        f"{f['df']} df, CFI = {f['cfi']:.3f}, TLI = {f['tli']:.3f}, RMSEA = {f['rmsea']:.3f} (90% CI "
        f"{f['rmsea_ci'][0]:.3f}–{f['rmsea_ci'][1]:.3f}), SRMR = {f['srmr']:.3f}: {int(ok.sum())} of {len(ok)} "
        f"criteria met ({', '.join(fit.loc[ok.index[ok], 'measure']) or 'none'}). "
        f"Standardized loadings range from {loadings['std_loading'].min():.2f} to "
        f"{loadings['std_loading'].max():.2f}."
    ) + (
        " *On the synthetic twin the fit is that of the twin's assumed correlations (not calibrated): it says "
        "nothing about the paper's model.*"
        if (params or {}).get("data_source") == "synthetic"
        else ""
    )


def _strong(sem: Published) -> list[str]:
    paths = sem.tables["sem_paths_importance"]
    return paths.loc[paths["strong"], "determinant"].tolist()


def narrate_paths(sem: Published, params: dict[str, Any]) -> str:
    """Section 4 (b): R², the dominance order, the strong determinants against the paper's, suppression effects."""
    model, label, paths = sem.parts["model"], sem.parts["labels"], sem.tables["sem_paths_importance"]
    paper, strong = list(params["paper_strong_determinants"]), _strong(sem)
    agree = sorted(set(strong) & set(paper))
    suppressed = paths.loc[(paths["beta"] < 0) & (paths["r"] > 0), "determinant"].tolist()
    text = (
        f"**(b) Path model**: the eight determinants explain R² = {model.path.r2[model.outcome]:.3f} of the variance "
        f"of {label[model.outcome].lower()} (N {n_text(sem.values['sem_path_n'])}). By general dominance the order is "
        f"{', '.join(label[d] for d in paths['determinant'])}. Strong by the stated rule: "
        f"{', '.join(label[d] for d in strong) or 'none'}; the paper names "
        f"{', '.join(label[d] for d in paper)} — {len(agree)} of the paper's {len(paper)} are strong here"
    )
    if params.get("data_source") == "synthetic":
        text += " (on the twin, whose correlations are assumed: no test of the paper)"
    missed = [label[d] for d in paper if d not in strong]
    text += f"; not strong here: {', '.join(missed)}." if missed else "."
    if suppressed:
        text += (
            " Negative standardized coefficients of determinants that correlate positively with the outcome ("
            + ", ".join(label[d] for d in suppressed)
            + ") are suppression effects among correlated predictors: read importance from dominance, not from β."
        )
    return text


def adequacy_display(sem: Published, params: dict[str, Any]) -> pd.DataFrame:
    """Table 3's measures, eight determinants vs all variables, with the counts in the column names."""
    return (
        sem.tables["adequacy_8_vs_9"]
        .drop(columns="key")
        .rename(
            columns={
                "all_items": f"{len(params['items'])} variables",
                "determinants": f"{len(params['determinants'])} determinants",
            }
        )
    )


def narrate_8_vs_9(pub: Published, sem: Published, params: dict[str, Any]) -> str:
    """KMO and the communalities above the requirement, without and with the outcome."""
    res, res8, cut = pub.parts["efa"], sem.parts["efa_determinants"], params["communality_required"]
    return (
        f"On the same {_count(pub.values['efa_n'])}respondents (those who answered all nine), without the outcome KMO is "
        f"{res8.kmo:.3f} (nine variables: {res.kmo:.3f}); "
        f"{int((res8.communalities > cut).sum())} of {len(params['determinants'])} communalities exceed "
        f"{cut:g} (nine variables: {int((res.communalities > cut).sum())} of {len(params['items'])})."
    )


def narrate_summary(pub: Published, sem: Published, params: dict[str, Any]) -> str:
    """Section 5: the factor model, reliability, the CFA and the structural model in one paragraph."""
    res, label, cut = pub.parts["efa"], pub.parts["labels"], params["communality_required"]
    items, paper = list(params["items"]), list(params["paper_strong_determinants"])
    model, ok = sem.parts["model"], _cfa_met(sem)
    f, rel = model.cfa.fit, res.reliability
    above = [c for c in items if res.communalities[c] > cut]
    below = [c for c in items if c not in above]
    order = res.communalities.sort_values(ascending=False)
    return on_the_data(params) + (
        f"On {_count(pub.values['efa_n'], 'the ')}{params['analysed_level']} respondents the nine variables are suitable for factor analysis: "
        f"KMO {res.kmo:.3f} (requirement > {params['kmo_required']:g}) and Bartlett's p {p_text(res.bartlett['p'])}. "
        f"Kaiser's rule keeps {res.n_factors_by['kaiser']} component(s), parallel analysis "
        f"{res.n_factors_by['parallel']}, the scree elbow {res.n_factors_by['scree']}; the first component explains "
        f"{res.variance_explained['proportion'].iloc[0]:.1%} of the variance. {len(above)} of {len(items)} "
        f"communalities exceed {cut:g} — strongest {', '.join(label[c] for c in order.index[:3])}; "
        f"below the requirement: {', '.join(label[c] for c in below) or 'none'}. The scale is internally consistent "
        f"(α = {rel['alpha']:.3f}, ω = {rel['omega_total']:.3f}). As a confirmatory one-factor model the nine "
        f"variables fit with CFI {f['cfi']:.3f}, RMSEA {f['rmsea']:.3f} and SRMR {f['srmr']:.3f} "
        f"({int(ok.sum())} of {len(ok)} Hu–Bentler criteria met). In the structural model the eight "
        f"determinants explain R² = {model.path.r2[model.outcome]:.3f} of innovative capacity; strong by dominance "
        f"and Pratt: {', '.join(label[d] for d in _strong(sem)) or 'none'} "
        f"(paper: {', '.join(label[d] for d in paper)})."
    )
