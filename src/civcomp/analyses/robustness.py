"""Robustness panel: each claim that rests on a reading or a method choice, recomputed under every
reasonable alternative, and whether the claim survives each.

The paper leaves some readings open and some method choices unstated. The claims ledger checks one
of them (the first of a claim's ``readings``); this module recomputes the others from the data:

* **factor model** (Table 3, line 231): principal components (checked; SPSS's default) vs minres vs
  maximum-likelihood extraction; listwise vs pairwise deletion; the nine Table 3 variables vs the
  eight determinants of line 198 ("a total of eight items", i.e. without Innovative Capacity); the
  requirement "0.4%" read as 0.4 or literally as 0.004;
* **which four numbers span 7.59-7.87** (line 240): the perspective means with 0 ("I do not have")
  left out (checked), with 0 counted as a score, or the 15 competency means;
* **a low rating** (line 246 vs footnote 5): "less than 5" (1-4, checked), footnote 5's "scores from
  1 to 5", less than 5 counting 0 as low, self-ratings only;
* **leadership weakest at executive level**: over all ratings executives give (checked), in the
  ratings *of* executives (their self-ratings and ratings of same-level colleagues), in their
  self-ratings;
* **self-development lowest for managers**: lowest within managers' ratings (checked), managers
  lowest among the position levels, lowest in the ratings of managers (supervisor and head);
* **balanced regional sample** (paper 000): largest regional count at most 2x (checked) or 1.5x the
  smallest, or counts compatible with equal shares (chi-square, p > .05).

Everything returned is aggregate (means, shares, communalities, booleans): no respondent-level value.
:func:`results` recomputes every alternative from the data (and the few counts no analysis notebook
reports: the competencies rated, the regional spread of the digital survey); :func:`grid` gives the long table notebook 05 writes with ``write_table`` and the HTML report shows
as a claim x alternative grid.

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
from civcomp.analyses.capacity import ITEMS
from civcomp.analyses.published import Published
from civcomp.io.params import read_yaml
from civcomp.stats import efa as efa_mod

LEVELS = ("executive", "managerial")
DATASETS = ("capacity_survey", "appraisal_360", "digital_survey")  # what :func:`results` reads
COLUMNS = ["family", "claim_id", "alternative", "checked", "value", "published", "survives"]
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
    if isinstance(v, (list, tuple)):
        return "–".join(_fmt(x) for x in v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.4f}"


# --------------------------------------------------------------------------- factor model
EFA_VARIANTS = (  # (label, method, missing, drop innovative capacity)
    ("principal · listwise · 9 variables", "principal", "listwise", False),
    ("minres", "minres", "listwise", False),
    ("maximum likelihood", "ml", "listwise", False),
    ("pairwise", "principal", "pairwise", False),
    ("8 determinants (no Innovative Capacity)", "principal", "listwise", True),
)
OUTCOME = "innovative_capacity"
STRONG = ("environment", "work_conditions", "career", "trust", "schedule")
WEAKER = ("competencies", "agency_activities")


def efa_variants(items: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """KMO, one-factor communalities and derived counts of the Table 3 variables under each variant.

    ``items`` holds the analysed respondents' item columns (NaN = missing). Returns one row per
    variant: ``variant, n, kmo, communality_<item>...``.
    """
    rows = []
    for label, method, missing, drop in EFA_VARIANTS:
        cols = [c for c in items.columns if not (drop and c == OUTCOME)]
        res = efa_mod.efa(
            items,
            cols,
            n_factors=1,
            method=method,
            rotation="none",
            missing=missing,
            parallel_iterations=10,
            seed=seed,
            bootstrap_resamples=0,
        )
        h = res.communalities
        row = {"variant": label, "n": int(res.n), "kmo": float(res.kmo)}
        row.update({f"communality_{c}": (float(h[c]) if c in h.index else np.nan) for c in items.columns})
        row["n_communalities_above_0_4"] = int((h > 0.4).sum())
        row["n_communalities_above_0_004"] = int((h > 0.004).sum())
        row["strong_determinants"] = bool(min(h[c] for c in STRONG) > 0.4 > max(h[c] for c in WEAKER))
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- 360 appraisal
def appraisal_variants(long: pd.DataFrame, long_zero_as_score: pd.DataFrame) -> dict[str, Any]:
    """The appraisal claims' values under each reading (``long`` from :func:`civcomp.analyses.appraisal.prepare`
    with 0 excluded, ``long_zero_as_score`` with ``zero_policy="as_score"``), all aggregate."""
    out: dict[str, Any] = {}
    pm = ap.perspective_means(long).set_index("perspective")["mean"]
    pm0 = ap.perspective_means(long_zero_as_score).set_index("perspective")["mean"]
    cm = ap.competency_ranking(long)["mean"]
    out["range_perspectives"] = [float(pm.min()), float(pm.max())]
    out["range_perspectives_zero_as_score"] = [float(pm0.min()), float(pm0.max())]
    out["range_competencies"] = [float(cm.min()), float(cm.max())]
    out["below_lt5"] = float(ap.share_below(long, threshold=5).iloc[0]["share_any_below"])
    out["below_1_to_5"] = float(ap.share_below(long, threshold=6).iloc[0]["share_any_below"])
    flags = long.assign(low=((long["score"] >= 0) & (long["score"] < 5)))
    per = flags.groupby("respondent_id", observed=True)["low"].any()
    out["below_lt5_zero_low"] = float(per.mean())
    out["below_lt5_self"] = float(ap.share_below(long, threshold=5, perspectives=["self"]).iloc[0]["share_any_below"])

    def weakest(d: pd.DataFrame) -> str:
        return ap.competency_ranking(d).sort_values(["mean", "competency"]).iloc[0]["competency"]

    lvl = long["position_level"].astype(str)
    persp = long["perspective"].astype(str)
    exe, man = long[lvl == "executive"], long[lvl == "managerial"]
    out["leadership_all_given_by_executives"] = weakest(exe) == "leadership"
    out["leadership_ratings_of_executives"] = (
        weakest(exe[exe["perspective"].astype(str).isin(["self", "colleague"])]) == "leadership"
    )
    out["leadership_executive_self"] = weakest(exe[exe["perspective"].astype(str) == "self"]) == "leadership"
    out["selfdev_within_managers"] = weakest(man) == "self_development"
    sd = long[long["competency"].astype(str) == "self_development"].groupby(lvl, observed=True)["value"].mean()
    out["selfdev_managers_lowest_level"] = bool(sd.idxmin() == "managerial")
    of_managers = long[persp.isin(["supervisor", "head"])]
    out["selfdev_ratings_of_managers"] = weakest(of_managers) == "self_development"
    out["n_competencies_rated"] = int(long["competency"].astype(str).nunique())
    return out


# --------------------------------------------------------------------------- paper 000 sample
def regional_balance(survey: pd.DataFrame, regions: list[str]) -> dict[str, Any]:
    """How evenly the regional respondents of the digital survey spread over the regions (counts aggregated)."""
    reg = survey.loc[survey["level"].astype(str) == "regional", "region"].astype(str)
    counts = reg.value_counts().reindex(regions, fill_value=0)
    present = counts[counts > 0]
    ratio = float(present.max() / present.min()) if len(present) else float("nan")
    chi = sps.chisquare(counts.to_numpy()) if counts.sum() else None
    return {
        "digital_regions_represented": int((counts > 0).sum()),
        "digital_regions_total": len(regions),
        "digital_region_max_min_ratio": ratio,
        "digital_region_chi2_p": float(chi.pvalue) if chi is not None else float("nan"),
    }


# --------------------------------------------------------------------------- the grid
def grid(
    evaluations: list[dict],
    efa_table: pd.DataFrame | None,
    appraisal: dict[str, Any] | None,
    balance: dict[str, Any] | None,
) -> pd.DataFrame:
    """The long robustness table: one row per claim x alternative (``checked`` marks the ledger's reading).

    Only claims the ledger gives ``readings`` for, and only aggregate values; a family whose data were not
    run (``None``, real mode without that file) has no rows."""
    ev = {e["id"]: e for e in evaluations}
    rows: list[dict] = []

    def add(family: str, cid: str, alt: str, value: Any, checked: bool, survive: bool | None = None):
        if cid not in ev:
            return
        e = ev[cid]
        s = survives(value, e) if survive is None else survive
        rows.append(
            {
                "family": family,
                "claim_id": cid,
                "alternative": alt,
                "checked": checked,
                "value": _fmt(value),
                "published": e["published"],
                "survives": s,
            }
        )

    if efa_table is not None:  # None: the capacity survey was not run (no data)
        efa_rows = efa_table.set_index("variant")
        for label, *_ in EFA_VARIANTS:
            r = efa_rows.loc[label]
            checked = label == EFA_VARIANTS[0][0]
            add("factor model", "p003_kmo", label, r["kmo"], checked)
            for cid, e in ev.items():
                if cid.startswith("p003_communality_"):
                    add("factor model", cid, label, r[cid.replace("p003_", "")], checked)
            add("factor model", "p003_six_communalities_above_0_4", label, int(r["n_communalities_above_0_4"]), checked)
            add("factor model", "p003_strong_determinants", label, bool(r["strong_determinants"]), checked)
        first = efa_rows.iloc[0]
        add(
            "factor model",
            "p003_six_communalities_above_0_4",
            'cut 0.004 ("0.4%" literally)',
            int(first["n_communalities_above_0_004"]),
            False,
        )

    if appraisal is not None:  # None: the 360 file was not run (no data)
        a = appraisal
        add(
            "360 appraisal",
            "p003_perspective_means_range",
            "four perspective means, 0 left out",
            a["range_perspectives"],
            True,
        )
        add(
            "360 appraisal",
            "p003_perspective_means_range",
            "four perspective means, 0 as a score",
            a["range_perspectives_zero_as_score"],
            False,
        )
        add("360 appraisal", "p003_perspective_means_range", "15 competency means", a["range_competencies"], False)
        add("360 appraisal", "p003_share_any_below_5", "less than 5 (1–4)", a["below_lt5"], True)
        add("360 appraisal", "p003_share_any_below_5", "footnote 5: 1 to 5", a["below_1_to_5"], False)
        add("360 appraisal", "p003_share_any_below_5", "less than 5, 0 counted low", a["below_lt5_zero_low"], False)
        add("360 appraisal", "p003_share_any_below_5", "self-ratings only", a["below_lt5_self"], False)
        add(
            "360 appraisal",
            "p003_leadership_weakest_executive",
            "all ratings executives give",
            a["leadership_all_given_by_executives"],
            True,
        )
        add(
            "360 appraisal",
            "p003_leadership_weakest_executive",
            "ratings of executives (self, colleague)",
            a["leadership_ratings_of_executives"],
            False,
        )
        add(
            "360 appraisal",
            "p003_leadership_weakest_executive",
            "executives' self-ratings",
            a["leadership_executive_self"],
            False,
        )
        add(
            "360 appraisal",
            "p003_self_development_weakest_managerial",
            "lowest within managers' ratings",
            a["selfdev_within_managers"],
            True,
        )
        add(
            "360 appraisal",
            "p003_self_development_weakest_managerial",
            "managers lowest among levels",
            a["selfdev_managers_lowest_level"],
            False,
        )
        add(
            "360 appraisal",
            "p003_self_development_weakest_managerial",
            "ratings of managers (supervisor, head)",
            a["selfdev_ratings_of_managers"],
            False,
        )

    if balance is not None:  # None: the digital survey was not run (no data)
        b = balance
        all_in = b["digital_regions_represented"] == b["digital_regions_total"]
        ratio = b["digital_region_max_min_ratio"]
        add(
            "sample (paper 000)",
            "p000_balanced_regions",
            "all regions, max/min ≤ 2",
            ratio,
            True,
            bool(all_in and ratio <= 2),
        )
        add(
            "sample (paper 000)",
            "p000_balanced_regions",
            "all regions, max/min ≤ 1.5",
            ratio,
            False,
            bool(all_in and ratio <= 1.5),
        )
        add(
            "sample (paper 000)",
            "p000_balanced_regions",
            "equal shares, chi-square p > .05",
            b["digital_region_chi2_p"],
            False,
            bool(b["digital_region_chi2_p"] > 0.05),
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(table: pd.DataFrame) -> dict[str, Any]:
    """Per claim: alternatives, how many it survives, and the alternatives it does not survive."""
    out = {}
    for cid, g in table.groupby("claim_id", sort=False):
        alt = g[~g["checked"]]
        out[cid] = {
            "n_alternatives": len(alt),
            "n_survives": int((alt["survives"] == True).sum()),  # noqa: E712
            "fails_under": alt.loc[alt["survives"] == False, "alternative"].tolist(),  # noqa: E712
        }
    return out


# --------------------------------------------------------------------------- everything, from the data
def results(data: dict[str, pd.DataFrame], params: dict[str, Any]) -> Published:
    """Every alternative of the panel, recomputed from the data, and the counts notebook 05 publishes itself.

    Parameters
    ----------
    data : dict of str to DataFrame
        ``capacity_survey``, ``appraisal_360`` and ``digital_survey`` (:data:`DATASETS`), as loaded.
    params : dict
        Notebook 05's parameters: ``analysed_level`` (the level of ``capacity_survey`` the paper analyses)
        and ``seed`` (of the factor model's parallel analysis).

    Returns
    -------
    Published
        ``values``: ``n_competencies_rated`` (competencies rated in the 360 data of the analysed respondents)
        and the regional spread of the digital survey (:func:`regional_balance`); ``parts``: ``efa`` (the
        factor model per variant, :func:`efa_variants`), ``appraisal`` (:func:`appraisal_variants`) and
        ``balance``, the inputs of :func:`grid`.

    Examples
    --------
    >>> from civcomp.synth import generate_all
    >>> frames = generate_all(20250412, only=["capacity_survey", "digital_survey"])  # doctest: +SKIP
    >>> results(frames, {"analysed_level": "regional", "seed": 1}).values["digital_regions_total"]  # doctest: +SKIP
    20
    """
    # in real mode a dataset may be absent (a one-paper team): its alternatives are left out, not failed
    capacity, ratings = data.get("capacity_survey"), data.get("appraisal_360")
    appraisal = efa_table = balance = None
    values: dict[str, Any] = {}
    if capacity is not None:
        regional = capacity[capacity["level"].astype(str) == params["analysed_level"]]
        efa_table = efa_variants(regional[list(ITEMS)], seed=params["seed"])
        if ratings is not None:
            rated = ratings[ratings["respondent_id"].isin(regional["respondent_id"])]
            appraisal = appraisal_variants(
                ap.prepare(rated, regional), ap.prepare(rated, regional, zero_policy="as_score")
            )
            values["n_competencies_rated"] = appraisal["n_competencies_rated"]
    if data.get("digital_survey") is not None:
        regions = list(read_yaml(paths.CODEBOOKS / "_shared.yaml")["regions"])
        balance = regional_balance(data["digital_survey"], regions)
        values.update(balance)
    return Published(values=values, parts={"efa": efa_table, "appraisal": appraisal, "balance": balance})
