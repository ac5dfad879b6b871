"""Robustness panel: each claim that rests on a reading or a method choice, recomputed under every
reasonable alternative, and whether the claim survives each.

The paper leaves some readings open and some method choices unstated. The claims ledger checks one
of them (marked ``checked``); this module recomputes the others from the data. Each reading changes one
choice and keeps the others (like with like):

* **factor model and "strong determinants"** (paper 003, Table 3, line 231):
  :mod:`civcomp.analyses.robustness_factor` (correlations, extraction, number of factors, SMC, cut, sample,
  dominance / regression readings of "strong");
* **sample** (paper 003): every profile claim on the 10,629 regional respondents (checked) and on all
  10,942; the coverage of the local civil service over 39,681 people (checked) and 41,934 staff units;
* **360 appraisal** (paper 003): which means span 7.59-7.87 (four perspectives, 0 left out, checked; 0 as a
  score; self / colleagues / managers pooled; the 15 competencies), "about one of four" rated low (any
  competency, checked; per competency; footnote 5's 1-5; 0 as low; self-ratings), the position-level
  findings, each also on all respondents;
* **paper 000**: the coding unit (sections, checked; whole text; Table 1's terms alone; no fallback; other
  boilerplate settings: :mod:`civcomp.analyses.robustness_postings`), survey shares unweighted (checked) vs
  post-stratified, "no" vs "no + don't know", the regional-barriers direction with and without a test, and
  "balanced" regions.

Everything returned is aggregate (means, shares, communalities, booleans): no respondent-level value. The panel
applies the disclosure rules of the notebooks it re-computes (``min_cell_size``, params/global.yaml): a value 02
or 03 would withhold is withheld here (shown as :data:`WITHHELD`, not judged), a reading on all respondents prints
no size and shows no share that would give a small other level back by difference, and the regions' max/min ratio
and chi-square p are withheld when a region holds a small count.
:func:`results` recomputes every reading from the data; :func:`grid` judges each with the claim's own check
(published value +- tolerance, or the comparison) and gives the long table notebook 05 writes and the HTML
report shows as a claim x reading grid per paper.

Size: one job, the panel's readings of paper 003's sample and appraisal and of paper 000's survey, and their grid.

Examples
--------
>>> survives(0.3994, {"expected": 0.399, "tolerance": 0.0005, "kind": "value"})
True
>>> survives(0.4, {"expected": 0.399, "tolerance": 0.0005, "kind": "value"})
False
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from civcomp import paths
from civcomp.analyses import appraisal as ap
from civcomp.analyses import robustness_factor, robustness_postings
from civcomp.analyses.capacity import ITEMS, reasons_table, sample_profile
from civcomp.analyses.published import Published, suppress_whole
from civcomp.analyses.robustness_appraisal import appraisal_variants, appraisal_withheld
from civcomp.io import ledger
from civcomp.io.codebook import load_codebook
from civcomp.io.outputs import WITHHELD
from civcomp.io.params import load_global, load_step, read_yaml
from civcomp.stats.estimates import proportion, publishable_share

DATASETS = ("capacity_survey", "appraisal_360", "digital_survey", "postings")  # what :func:`results` reads
COLUMNS = ["paper", "family", "claim_id", "alternative", "checked", "value", "published", "survives"]
REASONS = ("useful_to_state", "financial_stability", "professional_experience", "career", "other")
_EPS = 1e-9


# --------------------------------------------------------------------------- judging
def survives(value: Any, evaluation: dict) -> bool | None:
    """Whether ``value`` (in result units) meets the claim as the ledger checks it; ``None`` if not applicable."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    kind = evaluation["kind"]
    if kind == "comparison":
        return bool(value)
    exp, tol = evaluation["expected"], evaluation["tolerance"]
    if kind == "range":
        return all(abs(float(v) - float(e)) <= tol + _EPS for v, e in zip(value, exp))
    return abs(float(value) - float(exp)) <= tol + _EPS


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):  # a range of means: at the 0.01 the tables print means at
        return "–".join(f"{float(x):.2f}" if isinstance(x, (float, np.floating)) else _fmt(x) for x in v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.4f}"


# --------------------------------------------------------------------------- 360 appraisal (robustness_appraisal)
def appraisal_readings(
    a: dict[str, Any],
    everyone: dict[str, Any],
    n_total: int | None,
    withheld: frozenset[str] | set[str] = frozenset(),
    withheld_all: frozenset[str] | set[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Rows of the 360 family from :func:`appraisal_variants` of the regional (``a``) and all respondents.

    ``n_total`` None: the other level is small (:func:`small_complement`); the readings on all respondents are
    withheld and their number is not printed. ``withheld`` / ``withheld_all``: the readings notebook 04's rules
    withhold on each (:func:`civcomp.analyses.robustness_appraisal.appraisal_withheld`)."""
    fam = "360 appraisal"
    alls = "all respondents" if n_total is None else f"all {n_total:,} respondents"
    spec = [
        ("p003_perspective_means_range", "four perspective means, 0 left out", "range_perspectives", True),
        (
            "p003_perspective_means_range",
            "four perspective means, 0 as a score",
            "range_perspectives_zero_as_score",
            False,
        ),
        (
            "p003_perspective_means_range",
            "self / colleagues / managers (supervisor + head) pooled",
            "range_self_colleagues_managers",
            False,
        ),
        ("p003_perspective_means_range", "15 competency means", "range_competencies", False),
        ("p003_share_any_below_5", "any competency less than 5 (1–4)", "below_lt5", True),
        ("p003_share_any_below_5", "footnote 5: 1 to 5", "below_1_to_5", False),
        ("p003_share_any_below_5", "less than 5, 0 counted low", "below_lt5_zero_low", False),
        ("p003_share_any_below_5", "self-ratings only", "below_lt5_self", False),
        (
            "p003_share_any_below_5",
            f"per competency: the largest share ({a['below_lt5_per_competency_argmax']})",
            "below_lt5_per_competency_max",
            False,
        ),
        (
            "p003_leadership_weakest_executive",
            "all ratings executives give",
            "leadership_all_given_by_executives",
            True,
        ),
        (
            "p003_leadership_weakest_executive",
            "ratings of executives (self, colleague)",
            "leadership_ratings_of_executives",
            False,
        ),
        ("p003_leadership_weakest_executive", "executives' self-ratings", "leadership_executive_self", False),
        (
            "p003_self_development_weakest_managerial",
            "lowest within managers' ratings",
            "selfdev_within_managers",
            True,
        ),
        (
            "p003_self_development_weakest_managerial",
            "managers lowest among levels",
            "selfdev_managers_lowest_level",
            False,
        ),
        (
            "p003_self_development_weakest_managerial",
            "ratings of managers (supervisor, head)",
            "selfdev_ratings_of_managers",
            False,
        ),
        ("p003_n_competencies", "competencies rated", "n_competencies_rated", True),
    ]
    rows = [_row(cid, fam, alt, a[key], checked, withheld=key in withheld) for cid, alt, key, checked in spec]
    for cid, alt, key, checked in spec:
        if checked:
            hide = n_total is None or key in withheld_all
            rows.append(_row(cid, fam, f"{alt}, {alls}", everyone[key], False, withheld=hide))
    return rows


# --------------------------------------------------------------------------- paper 003 sample
def small_complement(n_total: int, n_part: int, min_cell_size: int | None) -> bool:
    """Whether the respondents outside the analysed level are 1 … ``min_cell_size - 1``: a reading on all
    respondents beside one on the analysed level then gives that group (and its answers) back by difference.

    Examples
    --------
    >>> small_complement(60, 59, 5), small_complement(60, 50, 5), small_complement(60, 60, 5), small_complement(60, 59, None)
    (True, False, False, False)
    """
    return min_cell_size is not None and 0 < n_total - n_part < int(min_cell_size)


def reason_withheld(reason: pd.Series, min_cell_size: int | None) -> dict[str, bool]:
    """Per reason, whether notebook 03's Figure 3 rule withholds its share (the one-way table with its
    not-stated cell suppressed, then emptied whole when nothing is left): :func:`~civcomp.analyses.capacity.reasons_table`
    and :func:`~civcomp.analyses.published.suppress_whole` themselves."""
    if min_cell_size is None:
        return dict.fromkeys(REASONS, False)
    k = int(min_cell_size)
    t, _ = suppress_whole(reasons_table(reason, load_codebook("capacity_survey"), {}, 0.05, k), k, len(reason))
    shown = dict(zip(t["category"].astype(str), t["share"].notna()))
    return {r: not bool(shown.get(r, False)) for r in REASONS}


def sample_readings(
    capacity: pd.DataFrame, level: str, headcount: int, staff_units: int, min_cell_size: int | None = None
) -> list[dict[str, Any]]:
    """Profile, reasons, coverage and reform rating on the analysed level (checked) and on all respondents.

    With ``min_cell_size``, a value notebook 03 would withhold is withheld (``value`` None, ``withheld`` True):
    the shares and median age by :func:`~civcomp.analyses.capacity.sample_profile`'s rule, each reason's share by
    Figure 3's (:func:`reason_withheld`). A reading on all respondents is withheld as a whole, and their number is
    not printed, when the other level is small (:func:`small_complement`); otherwise each of its shares is also
    withheld when the other level's own profile or reasons table would withhold it (the difference of the two
    readings gives that level's count)."""
    fam, n_total = "sample (paper 003)", len(capacity)
    k = min_cell_size
    sub_level = capacity[capacity["level"].astype(str) == level]
    hide_all = small_complement(n_total, len(sub_level), k)
    others = capacity[capacity["level"].astype(str) != level]
    other_hidden = reason_withheld(others["reason"], k) if len(others) else dict.fromkeys(REASONS, False)
    # the other level's own profile: a share on all respondents it would withhold gives its count back
    other_prof = (
        sample_profile(others.assign(level="other"), headcount, "other", min_cell_size=k)
        if len(others) and k is not None
        else {}
    )
    everyone = capacity.assign(level="all")
    rows: list[dict[str, Any]] = []
    for frame, lv, checked, who in (
        (capacity, level, True, f"{level} respondents"),
        (everyone, "all", False, "all respondents" if hide_all else f"all {n_total:,} respondents"),
    ):
        hide = hide_all and not checked

        def add(cid: str, alt: str, value: Any, withheld: bool = False) -> None:
            rows.append(_row(cid, fam, alt, value, checked, withheld=hide or withheld))

        prof = sample_profile(frame, headcount, lv, min_cell_size=k)
        sub = frame[frame["level"].astype(str) == lv]
        for key in ("share_executive", "share_female", "median_age"):
            by_difference = not checked and key != "median_age" and key in other_prof and other_prof[key] is None
            add(f"p003_{key}", who, prof[key], prof[key] is None or by_difference)
        reason = sub["reason"].astype(object).dropna()
        hidden = reason_withheld(sub["reason"], k)
        for r in REASONS:
            add(f"p003_reason_{r}", who, float((reason == r).mean()), hidden[r] or (not checked and other_hidden[r]))
        reform = pd.to_numeric(sub["reform_rating"], errors="coerce").dropna()
        add("p003_reform_rating", who, float(reform.mean()))
        add("p003_coverage_of_local_staff", f"{who} / {headcount:,} people", len(sub) / headcount)
        rows.append(
            _row(
                "p003_coverage_of_local_staff",
                fam,
                f"{who} / {staff_units:,} staff units",
                len(sub) / staff_units,
                False,
                withheld=hide,
            )
        )
    return rows


# --------------------------------------------------------------------------- paper 000 sample
def regional_balance(survey: pd.DataFrame, regions: list[str], min_cell_size: int | None = None) -> dict[str, Any]:
    """How evenly the regional respondents of the digital survey spread over the regions (counts aggregated).

    With ``min_cell_size``, the max/min ratio and the chi-square p are None (withheld) when a region holds
    1 … ``min_cell_size - 1`` respondents: both are functions of the region counts (the ratio of two of them; the
    p of their sum of squares) and would give a count the tables hide back."""
    reg = survey.loc[survey["level"].astype(str) == "regional", "region"].astype(str)
    counts = reg.value_counts().reindex(regions, fill_value=0)
    present = counts[counts > 0]
    ratio = float(present.max() / present.min()) if len(present) else float("nan")
    chi = sps.chisquare(counts.to_numpy()) if counts.sum() else None
    p = float(chi.pvalue) if chi is not None else float("nan")
    if min_cell_size is not None and len(present) and int(present.min()) < int(min_cell_size):
        ratio = p = None
    return {
        "digital_regions_represented": int((counts > 0).sum()),
        "digital_regions_total": len(regions),
        "digital_region_max_min_ratio": ratio,
        "digital_region_chi2_p": p,
    }


def balance_readings(b: dict[str, Any]) -> list[dict[str, Any]]:
    """The three readings of "balanced regional representation"."""
    fam, cid = "sample (paper 000)", "p000_balanced_regions"
    all_in = b["digital_regions_represented"] == b["digital_regions_total"]
    ratio, p = b["digital_region_max_min_ratio"], b["digital_region_chi2_p"]
    if ratio is None:  # withheld: no judgement either (it would say on which side of 2 the ratio lies)
        return [
            _row(cid, fam, alt, None, checked, withheld=True)
            for alt, checked in (
                ("all regions, max/min ≤ 2", True),
                ("all regions, max/min ≤ 1.5", False),
                ("equal shares, chi-square p > .05", False),
            )
        ]
    return [
        _row(cid, fam, "all regions, max/min ≤ 2", ratio, True, bool(all_in and ratio <= 2)),
        _row(cid, fam, "all regions, max/min ≤ 1.5", ratio, False, bool(all_in and ratio <= 1.5)),
        _row(cid, fam, "equal shares, chi-square p > .05", p, False, bool(p > 0.05)),
    ]


def survey_readings(
    survey: pd.DataFrame, digital: dict[str, Any], min_cell_size: int | None = None
) -> list[dict[str, Any]]:
    """Paper 000's survey shares: unweighted (checked) vs post-stratified, "no" vs "no + don't know", and the
    regional-barriers direction alone (checked) vs with its test. ``digital``: notebook 02's results (a value it
    withheld is None, and withheld here too). With ``min_cell_size``, the "no + don't know" count is withheld by
    notebook 02's rule for a count beside its group size (:func:`~civcomp.stats.estimates.publishable_share`)."""
    fam, n = "survey (paper 000)", len(survey)
    rows = []
    for key in ("not_required_at_hiring", "difficulty_experience_or_training", "never_trained"):
        cid = f"p000_{key}"
        got = digital.get(f"n_{key}")
        rows.append(_row(cid, fam, "unweighted", got, True, withheld=got is None and f"n_{key}" in digital))
        w = digital.get(f"share_{key}_weighted")
        if w is not None:  # in respondents: the weighted share of the same 200
            rows.append(_row(cid, fam, "post-stratified by level and region (weighted share x N)", w * n, False))
    answer = survey["digital_required_at_hiring"].astype(object)
    either = int(answer.isin(["no", "dont_know"]).sum())
    if min_cell_size is not None:
        either = publishable_share(proportion(answer.isin(["no", "dont_know"]).astype(float)), n, min_cell_size)[
            "count"
        ]
    rows.append(
        _row("p000_not_required_at_hiring", fam, '"no" + "don\'t know"', either, False, withheld=either is None)
    )
    cid = "p000_regional_more_barriers"
    reg, cen = digital.get("barrier_share_regional"), digital.get("barrier_share_central")
    if reg is not None and cen is not None:
        rows.append(
            _row(cid, fam, f"share with a barrier, regional {reg:.3f} > central {cen:.3f}", bool(reg > cen), True)
        )
        p = digital.get("barrier_test_p")
        rows.append(
            _row(
                cid,
                fam,
                f"and significant ({digital.get('barrier_test')}, p = {p:.2g} < .05)",
                bool(reg > cen and p < 0.05),
                False,
            )
        )
        mr, mc, mp = (
            digital.get("barrier_mean_regional"),
            digital.get("barrier_mean_central"),
            digital.get("barrier_mean_test_p"),
        )
        if mr is not None and mp is not None:
            rows.append(
                _row(
                    cid,
                    fam,
                    f"number of barriers, regional {mr:.2f} > central {mc:.2f}, Mann–Whitney p = {mp:.2g} < .05",
                    bool(mr > mc and mp < 0.05),
                    False,
                )
            )
        wr, wc = digital.get("barrier_share_regional_weighted"), digital.get("barrier_share_central_weighted")
        if wr is not None and wc is not None:
            rows.append(_row(cid, fam, "post-stratified shares", bool(wr > wc), False))
    return rows


# --------------------------------------------------------------------------- the grid
def _row(
    cid: str, family: str, alt: str, value: Any, checked: bool, survive: bool | None = None, withheld: bool = False
) -> dict[str, Any]:
    # a withheld reading keeps its row (the reader sees it exists) but neither its value nor a judgement of it
    return {
        "claim_id": cid,
        "family": family,
        "alternative": alt,
        "checked": checked,
        "value": None if withheld else value,
        "survives": None if withheld else survive,
        "withheld": withheld,
    }


def grid(evaluations: list[dict], readings: list[dict[str, Any]]) -> pd.DataFrame:
    """The long robustness table: one row per claim x reading (``checked`` marks the ledger's reading).

    ``readings`` as from :func:`results` (``parts["readings"]``); a row's ``survives`` is the claim's own
    check of its value unless the reading set it. Only claims of ``evaluations``, only aggregate values."""
    ev = {e["id"]: e for e in evaluations}
    rows = []
    for r in readings:
        e = ev.get(r["claim_id"])
        if e is None:
            continue
        withheld = bool(r.get("withheld"))
        s = None if withheld else survives(r["value"], e) if r.get("survives") is None else bool(r["survives"])
        rows.append(
            {
                "paper": r["claim_id"].split("_", 1)[0].lstrip("p"),
                "family": r["family"],
                "claim_id": r["claim_id"],
                "alternative": r["alternative"],
                "checked": bool(r["checked"]),
                "value": WITHHELD if withheld else _fmt(r["value"]),
                "published": e["published"],
                "survives": s,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(table: pd.DataFrame) -> dict[str, Any]:
    """Per claim: readings other than the checked one, how many it survives, and those it does not survive."""
    out = {}
    for cid, g in table.groupby("claim_id", sort=False):
        alt = g[~g["checked"]]
        out[cid] = {
            "n_alternatives": len(alt),
            "n_survives": int((alt["survives"] == True).sum()),  # noqa: E712
            "fails_under": alt.loc[alt["survives"] == False, "alternative"].tolist(),  # noqa: E712
        }
    return out


def survival_counts(table: pd.DataFrame) -> dict[str, int]:
    """Claims in the panel and those that survive every reading (a reading not applicable is not a failure), per paper.

    Examples
    --------
    >>> t = pd.DataFrame({"paper": ["003"] * 3, "claim_id": ["a", "a", "b"], "survives": [True, False, True]})
    >>> survival_counts(t)
    {'n_panel_claims': 2, 'n_panel_claims_surviving_every_reading': 1, 'n_panel_claims_003': 2, 'n_panel_claims_surviving_every_reading_003': 1}
    """
    ok = table.groupby("claim_id", sort=False)["survives"].apply(lambda s: not (s == False).any())  # noqa: E712
    paper = table.groupby("claim_id", sort=False)["paper"].first()
    out = {"n_panel_claims": len(ok), "n_panel_claims_surviving_every_reading": int(ok.sum())}
    for p in sorted(paper.unique()):
        out[f"n_panel_claims_{p}"] = int((paper == p).sum())
        out[f"n_panel_claims_surviving_every_reading_{p}"] = int(ok[paper == p].sum())
    return out


# --------------------------------------------------------------------------- everything, from the data
def factor_settings(fitted: dict[str, Any] | None) -> dict[str, Any]:
    """Notebook 03's factor-model choices from its results (``fitted``), so the checked reading is its computation;
    without them, its documented defaults (principal components, Kaiser's rule, Table 3's nine variables)."""
    f = fitted or {}
    items = [
        k[len("communality_") :] for k in f if k.startswith("communality_") and not k.endswith(("_ci_low", "_ci_high"))
    ]
    items = [c for c in ITEMS if c in items] or list(ITEMS)
    rule = str(f.get("n_factors_rule", "kaiser")).split(" ")[0]
    return {
        "items": items,
        "method": f.get("efa_method", "principal"),
        "n_factors_rule": rule,
        "n_factors_parallel": f.get("n_factors_parallel"),
        "cut": float(f.get("communality_required", 0.4)),
        "strong": list(f.get("paper_strong_determinants", [])),
        "weaker": list(f.get("paper_weaker_determinants", [])),
    }


def results(data: dict[str, pd.DataFrame], params: dict[str, Any], fitted: dict[str, dict] | None = None) -> Published:
    """Every reading of the panel, recomputed from the data, and the counts notebook 05 publishes itself.

    Parameters
    ----------
    data : dict of str to DataFrame
        The datasets of :data:`DATASETS`, as loaded (``postings`` may be absent: its readings are then left out).
    params : dict
        Notebook 05's parameters: ``analysed_level`` (the level of ``capacity_survey`` the paper analyses).
    fitted : dict, optional
        The analysis notebooks' results by step (``outputs/results/<step>.json``): the settings of notebook 03's
        factor model and 01's coder (so each checked reading is that notebook's computation) and notebook 02's
        weighted shares and tests. Without them the documented defaults are used.

    Returns
    -------
    Published
        ``values``: ``n_competencies_rated`` and the regional spread of the digital survey
        (:func:`regional_balance`); ``parts``: ``readings`` (the rows :func:`grid` judges) and ``balance``.

    Examples
    --------
    >>> from civcomp.synth import generate_all
    >>> frames = generate_all(20250412, only=["capacity_survey", "digital_survey"])  # doctest: +SKIP
    >>> results(frames, {"analysed_level": "regional"}).values["digital_regions_total"]  # doctest: +SKIP
    20
    """
    fitted = fitted or {}
    # in real mode a dataset may be absent (a one-paper team): its readings are left out, not failed
    capacity, ratings, survey = (data.get(k) for k in ("capacity_survey", "appraisal_360", "digital_survey"))
    level = params["analysed_level"]
    book = params.get("claims_file")
    # the rule of the notebooks it re-computes (02, 03): params/global.yaml's unless the step was given one
    k = int(params.get("min_cell_size") or load_global()["min_cell_size"])
    readings: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    balance = None
    if capacity is not None:
        regional = capacity[capacity["level"].astype(str) == level]
        settings = factor_settings(fitted.get("03_innovative_capacity"))
        settings["paper_six"] = [
            c for c in ITEMS if float(ledger.target(f"p003_communality_{c}", ledger=book)) > settings["cut"]
        ]
        n_total = None if small_complement(len(capacity), len(regional), k) else len(capacity)
        readings += robustness_factor.factor_readings(regional, capacity, settings, n_total, len(regional), k)
        readings += sample_readings(
            capacity,
            level,
            int(ledger.target("p003_local_staff_headcount", ledger=book)),
            int(ledger.target("p003_local_staff_units", ledger=book)),
            min_cell_size=k,
        )
        if ratings is not None:
            long_all = ap.prepare(ratings, capacity)  # once; the regional rows are a subset
            long = long_all[long_all["respondent_id"].isin(regional["respondent_id"].astype(str))]
            a = appraisal_variants(long)
            g = int(load_step("04_appraisal_360").get("min_group_size", k))  # 04's rule for a position level
            readings += appraisal_readings(
                a,
                appraisal_variants(long_all, all_readings=False),
                n_total,
                appraisal_withheld(long, k, g),
                appraisal_withheld(long_all, k, g, all_readings=False),
            )
            values["n_competencies_rated"] = a["n_competencies_rated"]
    if survey is not None:
        balance = regional_balance(survey, list(read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"]), k)
        values.update(balance)
        readings += balance_readings(balance)
        readings += survey_readings(survey, fitted.get("02_digital_survey", {}), k)
    if data.get("postings") is not None:
        readings += robustness_postings.readings(data["postings"], fitted.get("01_content_analysis", {}))
    return Published(values=values, parts={"readings": readings, "balance": balance})
