"""The robustness panel's 360-appraisal readings (paper 003): each claim's value under every reading, and which
readings notebook 04's disclosure rules withhold.

Every value is aggregate (means, shares, booleans). :func:`appraisal_variants` computes them;
:func:`appraisal_withheld` names those 04 would not publish on the same respondents: a share whose count of
respondents, or its complement, is 1 … ``min_cell_size - 1`` beside the published number of respondents
(:func:`civcomp.stats.estimates.publishable_share`, as 04's shares), and a position level's finding when either
level holds fewer than ``max(min_cell_size, min_group_size)`` respondents (04's ``min_group_size`` rule for a
breakdown, both levels because the whole sample is published beside them).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from civcomp.analyses import appraisal as ap
from civcomp.stats.estimates import proportion, publishable_share

__all__ = ["appraisal_variants", "appraisal_withheld", "POSITION_READINGS"]

# the readings that rest on one position level's ratings
POSITION_READINGS = (
    "leadership_all_given_by_executives",
    "selfdev_within_managers",
    "leadership_ratings_of_executives",
    "leadership_executive_self",
    "selfdev_managers_lowest_level",
)


def appraisal_variants(long: pd.DataFrame, all_readings: bool = True) -> dict[str, Any]:
    """The appraisal claims' values under each reading, all aggregate.

    ``long`` from :func:`civcomp.analyses.appraisal.prepare` (0 excluded; its ``score`` column gives the
    reading with 0 as a score). ``all_readings`` False: only the ledger's (checked) readings."""
    out: dict[str, Any] = {}
    pm = ap.perspective_means(long).set_index("perspective")["mean"]
    out["range_perspectives"] = [float(pm.min()), float(pm.max())]
    out["below_lt5"] = float(ap.share_below(long, threshold=5).iloc[0]["share_any_below"])
    if all_readings:
        pm0 = ap.perspective_means(long.assign(value=long["score"])).set_index("perspective")["mean"]
        cm = ap.competency_ranking(long)["mean"]
        out["range_perspectives_zero_as_score"] = [float(pm0.min()), float(pm0.max())]
        out["range_competencies"] = [float(cm.min()), float(cm.max())]
        # "their own competencies, as well as ... of their colleagues and managers": three groups
        valid = long[long["value"].notna()]
        group = valid["perspective"].astype(str).replace({"supervisor": "managers", "head": "managers"})
        pooled = valid.groupby(group)["value"].mean()
        out["range_self_colleagues_managers"] = [float(pooled.min()), float(pooled.max())]
        out["below_1_to_5"] = float(ap.share_below(long, threshold=6).iloc[0]["share_any_below"])
        flags = long.assign(low=((long["score"] >= 0) & (long["score"] < 5)))
        per = flags.groupby("respondent_id", observed=True)["low"].any()
        out["below_lt5_zero_low"] = float(per.mean())
        out["below_lt5_self"] = float(
            ap.share_below(long, threshold=5, perspectives=["self"]).iloc[0]["share_any_below"]
        )
        by_comp = ap.share_below_by_competency(long, threshold=5).set_index("competency")["share_below"]
        out["below_lt5_per_competency_max"] = float(by_comp.max())
        out["below_lt5_per_competency_argmax"] = str(by_comp.idxmax())

    def weakest(d: pd.DataFrame) -> str:
        return ap.competency_ranking(d).sort_values(["mean", "competency"]).iloc[0]["competency"]

    lvl = long["position_level"].astype(str)
    exe, man = long[lvl == "executive"], long[lvl == "managerial"]
    out["leadership_all_given_by_executives"] = weakest(exe) == "leadership"
    out["selfdev_within_managers"] = weakest(man) == "self_development"
    out["n_competencies_rated"] = int(long["competency"].nunique())
    if all_readings:
        persp = long["perspective"].astype(str)
        out["leadership_ratings_of_executives"] = (
            weakest(exe[exe["perspective"].astype(str).isin(["self", "colleague"])]) == "leadership"
        )
        out["leadership_executive_self"] = weakest(exe[exe["perspective"].astype(str) == "self"]) == "leadership"
        sd = long[long["competency"].astype(str) == "self_development"].groupby(lvl, observed=True)["value"].mean()
        out["selfdev_managers_lowest_level"] = bool(sd.idxmin() == "managerial")
        out["selfdev_ratings_of_managers"] = weakest(long[persp.isin(["supervisor", "head"])]) == "self_development"
    return out


def appraisal_withheld(
    long: pd.DataFrame, min_cell_size: int, min_group_size: int, all_readings: bool = True
) -> set[str]:
    """The keys of :func:`appraisal_variants` (same ``long`` and ``all_readings``) that notebook 04's rules withhold.

    Examples
    --------
    >>> comps = ap.competencies()[:2]
    >>> rows = [(f"r{i}", p, c, 3 if (i == 0 and p == "self") else 8) for i in range(20)
    ...         for p in ap.PERSPECTIVES for c in comps]
    >>> r = pd.DataFrame(rows, columns=["respondent_id", "perspective", "competency", "score"])
    >>> resp = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(20)], "level": "regional",
    ...                      "position_level": ["managerial"] * 3 + ["executive"] * 17})
    >>> sorted(appraisal_withheld(ap.prepare(r, resp), 5, 3, all_readings=False))
    ['below_lt5', 'leadership_all_given_by_executives', 'selfdev_within_managers']
    """
    k, n_resp = int(min_cell_size), int(long["respondent_id"].nunique())
    out: set[str] = set()

    def share(key: str, count: int, n: int) -> None:
        if publishable_share(proportion([1] * int(count) + [0] * (int(n) - int(count))), n_resp, k)["withheld"]:
            out.add(key)

    low = ap.share_below(long, threshold=5).iloc[0]
    share("below_lt5", low["n_any_below"], low["n"])
    if all_readings:
        low6 = ap.share_below(long, threshold=6).iloc[0]
        share("below_1_to_5", low6["n_any_below"], low6["n"])
        per = long.assign(low=(long["score"] >= 0) & (long["score"] < 5)).groupby("respondent_id", observed=True)["low"]
        share("below_lt5_zero_low", per.any().sum(), per.ngroups)
        own = ap.share_below(long, threshold=5, perspectives=["self"]).iloc[0]
        share("below_lt5_self", own["n_any_below"], own["n"])
        by_comp = ap.share_below_by_competency(long, threshold=5).set_index("competency")
        top = by_comp.loc[by_comp["share_below"].idxmax()]
        share("below_lt5_per_competency_max", top["n_below"], top["n"])
    levels = long.drop_duplicates("respondent_id")["position_level"].astype(str).value_counts()
    if any(0 < levels.get(lv, 0) < max(k, int(min_group_size)) for lv in ("executive", "managerial")):
        out |= set(POSITION_READINGS[:2] if not all_readings else POSITION_READINGS)
    if n_resp < k:  # too few respondents for any reading of theirs
        out |= set(appraisal_variants(long, all_readings)) - {"n_competencies_rated", "below_lt5_per_competency_argmax"}
    return out
