"""Notebook 04's sentences: Markdown built from what :func:`civcomp.analyses.appraisal.results` publishes.

Each ``narrate_*`` function takes that :class:`~civcomp.analyses.published.Published` (and the notebook's
parameters where a threshold is named) and returns one Markdown paragraph or list; it computes nothing
the results do not already hold.

Examples
--------
>>> HEADLINE[:2]
['n_respondents', 'perspective_mean_self']
"""

from __future__ import annotations

from typing import Any

from civcomp.analyses.published import Published

# On the twin the competency profile, the position effects, the gaps and the agreement are the generator's
# assumptions (params/synthetic/appraisal_360.yaml, structure): sentences about them say so where they stand.
TWIN_CAVEAT = (
    " *On the synthetic twin this describes the generator's assumed {what} "
    "(`params/synthetic/appraisal_360.yaml`), not the survey: no evidence about the paper.*"
)


def twin_caveat(params: dict[str, Any] | None, what: str) -> str:
    """The caveat a twin-only result carries (empty in real mode).

    Examples
    --------
    >>> twin_caveat({"data_source": "real"}, "profile")
    ''
    >>> twin_caveat({"data_source": "synthetic"}, "competency profile").startswith(" *On the synthetic twin")
    True
    """
    return TWIN_CAVEAT.format(what=what) if (params or {}).get("data_source") == "synthetic" else ""


# the result keys notebook 04's checked cell prints (nbval)
HEADLINE = [
    "n_respondents",
    "perspective_mean_self",
    "perspective_mean_supervisor",
    "perspective_mean_head",
    "perspective_mean_colleague",
    "perspective_mean_min",
    "perspective_mean_max",
    "share_any_below_5",
    "reform_rating_mean",
    "reform_rating_ci_low",
    "reform_rating_ci_high",
    "overall_competency_mean",
    "weakest_competency_executive",
    "weakest_competency_managerial",
    "leadership_weakest_executive",
    "self_development_weakest_managerial",
]


def narrate_data(pub: Published, params: dict[str, Any], n_capacity: int) -> str:
    """Respondents, analysed sample, respondents with ratings, share of 0 and of missing ratings."""
    return (
        f"{n_capacity:,} respondents in capacity_survey, {pub.parts['n_analysed']:,} at level "
        f"*{params['analysed_level']}*; {pub.values['n_respondents']:,} of them have 360 ratings "
        f"({pub.values['n_rating_rows']:,} rating rows). {pub.values['share_zero_ratings']:.2%} of the ratings are 0 (*does not have*), "
        f"{pub.values['share_missing_ratings']:.2%} are missing."
    )


def narrate_ratings(pub: Published, params: dict[str, Any]) -> str:
    """Q9 and the reform rating: means with t-intervals."""
    r, level = pub.parts["ratings"], f"{params['confidence']:.0%}"
    return (
        f"* Overall level of own competencies (Q9, 1–10): mean **{r['overall_competency_mean']:.2f}** "
        f"({level} CI {r['overall_competency_ci_low']:.2f}–{r['overall_competency_ci_high']:.2f}, "
        f"n = {r['overall_competency_n']:,}).\n"
        f"* Current level of civil-service reform (1–10): mean **{r['reform_rating_mean']:.2f}** "
        f"({level} CI {r['reform_rating_ci_low']:.2f}–{r['reform_rating_ci_high']:.2f}, n = {r['reform_rating_n']:,})."
    )


def narrate_perspectives(pub: Published) -> str:
    """The range of the four perspective means and whether the self-rating is the highest."""
    v = pub.values
    return (
        f"Mean scores per perspective range from **{v['perspective_mean_min']:.2f}** "
        f"(*{v['perspective_mean_min_perspective']}*) to **{v['perspective_mean_max']:.2f}** "
        f"(*{v['perspective_mean_max_perspective']}*); the self-rating is "
        f"{'the highest' if v['perspective_mean_max_perspective'] == 'self' else 'not the highest'} of the four."
    )


def narrate_competencies(pub: Published, params: dict[str, Any]) -> str:
    """Figure 5: highest and lowest competency, the one most often rated below the threshold."""
    rank, below = pub.parts["competency_ranking"], pub.parts["share_below_by_competency"]
    top, bottom = rank.iloc[0], rank.iloc[-1]
    return (
        f"Highest-rated competency: **{top['competency']}** ({top['mean']:.2f}); lowest: "
        f"**{bottom['competency']}** ({bottom['mean']:.2f}). The competency most often rated below "
        f"{params['below_threshold']} is **{below.loc[below['share_below'].idxmax(), 'competency']}** "
        f"({below['share_below'].max():.1%} of respondents)."
    ) + twin_caveat(params, "competency profile")


def narrate_low(pub: Published) -> str:
    """The paper's "one in four below 5", self-ratings only, and the 0 answers."""
    v, low, self_low = pub.values, pub.parts["share_below_5"], pub.parts["share_below_self"]
    return (
        f"**{v['share_any_below_5']:.1%}** of the {int(low['n']):,} respondents "
        f"({v['n_any_below_5']:,}) gave at least one rating below 5 (about one in "
        f"{1 / v['share_any_below_5']:.1f}); counting self-ratings only, "
        f"{self_low['share_any_below']:.1%}. Separately, {v['share_any_zero']:.1%} of respondents answered "
        f"*I do not have this competency* (0) at least once."
    )


def narrate_weakest(pub: Published, params: dict[str, Any] | None = None) -> str:
    """Per position level: the weakest competency, its margin, the weakest in self-ratings; the two findings."""
    weak, weak_self, v = pub.parts["weakest"], pub.parts["weakest_self"], pub.values
    lines = [
        f"* **{lvl}**: weakest competency **{w['competency']}** (mean {w['mean']:.2f}), "
        f"{w['margin']:.2f} points below the next ({w['runner_up']}, {w['runner_up_mean']:.2f}); "
        f"in self-ratings alone: {weak_self[lvl]['competency']}."
        for lvl, w in weak.items()
    ]
    lines.append(
        f"* Leadership is the weakest competency at executive level: **{v['leadership_weakest_executive']}**. "
        f"Self-development is the weakest for managers: **{v['self_development_weakest_managerial']}**."
        + twin_caveat(params, "position × competency effects (typed to reproduce the two findings: calibrated)")
    )
    return "\n".join(lines)


def narrate_gaps(pub: Published, params: dict[str, Any]) -> str:
    """Self-other gaps: their range, the flagged competencies, the respondents beyond the threshold."""
    v, t = pub.values, params["gap_threshold"]
    return (
        f"Mean self–other gap over the competencies ranges from {v['gap_mean_min']:+.2f} to "
        f"{v['gap_mean_max']:+.2f} points; {v['n_blind_spot_competencies']} competencies are flagged as blind "
        f"spots and {v['n_hidden_strength_competencies']} as hidden strengths at ±{t:g}. "
        + (
            f"At the respondent level, {v['share_blind_spot_avg']:.1%} of self-ratings exceed the others by more "
            f"than {t:g} {'point' if t == 1 else 'points'} and {v['share_hidden_strength_avg']:.1%} fall short by "
            "as much (averages over competencies)."
            if v["share_blind_spot_avg"] is not None and v["share_hidden_strength_avg"] is not None
            else "The shares of self-ratings beyond the others are not averaged over competencies: a competency's "
            "share is suppressed (disclosure control), and the average would give it back."
        )
    ) + twin_caveat(params, "rating structure")


def narrate_agreement(pub: Published, params: dict[str, Any] | None = None) -> str:
    """ICC(C,1) per competency and overall, and the mean off-diagonal Pearson correlation."""
    v = pub.values
    return (
        f"Single-rating consistency ICC(C,1) per competency: {v['icc_c1_min']:.2f}–"
        f"{v['icc_c1_max']:.2f}; for the mean over competencies {v['icc_c1_overall']:.2f}. "
        f"Mean off-diagonal Pearson correlation: {v['pearson_mean_off_diagonal']:.2f}."
    ) + twin_caveat(params, "variance components")
