"""360-degree competency appraisal (paper 003, Appendix A, Q10-Q13; Figures 5-6).

Each respondent rates 15 competencies for four perspectives — ``self``, their
immediate ``supervisor``, the ``head`` of their state body and a ``colleague`` —
on 0-10, where 0 means "I do not have this competency". Note the design: one
respondent rates four *different* people, so "agreement between perspectives"
measures how consistently a respondent rates (leniency, halo) and a self-other
gap compares how respondents see themselves with how they see others; it is
not the multi-rater agreement about one ratee of a classic 360 review.

Conventions
-----------
* **0 is not a low score.** With ``zero_policy="exclude"`` (default) a 0 is
  treated as "no rating on the 1-10 scale": left out of means, medians, gaps,
  correlations and ICCs, and reported as its own share (``share_zero``,
  ``share_any_zero``). ``zero_policy="as_score"`` keeps it as the number 0.
* **Low score**: 1 <= score < ``threshold`` (default 5, "less than 5" in the
  paper). A respondent "rates at least one competency below 5" when any of
  their ratings — all four perspectives, 60 ratings — is low.
* **Gap** per respondent and competency: self minus the mean of the available
  other perspectives; ``gap > threshold`` is a blind spot (over-rating),
  ``gap < -threshold`` a hidden strength (under-rating).
* **Disclosure**: every exported table goes through
  :func:`civcomp.stats.linked_tables.publishable`; the summaries and score distributions, national
  and by position level, are one family (:func:`civcomp.stats.linked_tables.publishable_family`:
  the national distribution is suppressed with its breakdown, so no hidden national count is the sum
  of published group counts); the summary by region through ``publishable_summary``.

Every analysis function takes the frame returned by :func:`prepare`; :func:`results` computes
everything notebook 04 publishes.

References
----------
Paper 003 (``shared/seeds/003_*``): Figures 5-6 and Appendix A.
Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
rater reliability. *Psychological Bulletin*, 86(2), 420-428.
Fleenor, J. W. et al. (1996). Self-other rating agreement in leadership.
*The Leadership Quarterly*, 7(4), 487-506.

Size: one job, the 360 appraisal's statistics (input checks, descriptives, low scores, ranking) and
what step 04 publishes; gaps and agreement between perspectives are
:mod:`civcomp.analyses.appraisal_perspectives`, the figures :mod:`civcomp.plots.appraisal`, the sentences
:mod:`civcomp.analyses.appraisal_narrative`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.analyses.appraisal_perspectives import (
    attach_groups,
    gap_summary,
    group_keys,
    perspective_correlations,
    perspective_icc,
)
from civcomp.analyses.published import Published, published_average
from civcomp.errors import CivcompError
from civcomp.io import params as params_mod
from civcomp.stats.estimates import mean_ci
from civcomp.stats.intruder_joint import family_audit
from civcomp.stats.linked_tables import (
    align_rounding,
    linked_hidden,
    publishable,
    publishable_family,
    publishable_summary,
)

PERSPECTIVES = ("self", "supervisor", "head", "colleague")
OTHERS = PERSPECTIVES[1:]
ZERO_POLICIES = ("exclude", "as_score")
_REQUIRED = ("respondent_id", "perspective", "competency", "score")


class AppraisalInputError(CivcompError, ValueError):
    """The 360 ratings do not fit the appraisal_360 codebook."""


def competencies() -> list[str]:
    """The 15 competency codes in questionnaire order (``data/codebooks/_shared.yaml``)."""
    return list(params_mod.read_yaml(paths.CODEBOOKS / "_shared.yaml")["competencies"])


def competency_labels(lang: str = "en", short: bool = True) -> dict[str, str]:
    """Competency code -> label from the shared codebook (``labels.competencies``).

    ``short`` trims the one long Appendix-A name for plot axes.

    Examples
    --------
    >>> competency_labels()["consumer_orientation"]
    'Orientation to the consumer of services'
    """
    shared = params_mod.read_yaml(paths.CODEBOOKS / "_shared.yaml")
    labels = (shared.get("labels") or {}).get("competencies") or {}
    out = {c: str((labels.get(c) or {}).get(lang) or c.replace("_", " ").capitalize()) for c in competencies()}
    if short and lang == "en":
        out = {c: v.replace(" and informing the consumer", "") for c, v in out.items()}
    return out


# --------------------------------------------------------------------------- input
def _bad_rows(mask: pd.Series, values: pd.Series, column: str, rule: str, name: str) -> str:
    idx = np.flatnonzero(mask.to_numpy())
    shown = ", ".join(f"row {i + 1}: {values.iloc[i]!r}" for i in idx[:5])
    more = f" (and {len(idx) - 5} more)" if len(idx) > 5 else ""
    return f"{name}: column {column!r} {rule}: {shown}{more}"


def prepare(
    ratings: pd.DataFrame,
    respondents: pd.DataFrame | None = None,
    *,
    zero_policy: str = "exclude",
    group_cols: Sequence[str] = ("position_level", "region"),
    name: str = "appraisal_360",
) -> pd.DataFrame:
    """Check the long-format ratings and add the analysis columns.

    Parameters
    ----------
    ratings : DataFrame
        Columns respondent_id, perspective, competency, score (0-10 or NA).
    respondents : DataFrame, optional
        capacity_survey rows; ``group_cols`` present in it are merged on respondent_id.
        Respondents without ratings are ignored; ratings without a respondent are an error.
    zero_policy : {"exclude", "as_score"}
        How a 0 ("I do not have this competency") enters the statistics.
    group_cols : sequence of str
        Respondent attributes to carry for ``by=`` breakdowns.
    name : str
        Dataset name used in error messages.

    Returns
    -------
    DataFrame
        respondent_id (str), perspective and competency (ordered categoricals), score (float),
        is_zero (bool), value (float: the score the statistics use, NaN when excluded), group columns.

    Raises
    ------
    AppraisalInputError
        Naming the column, the 1-based data rows and the offending values.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a"], "perspective": ["self", "head"],
    ...                   "competency": ["leadership", "leadership"], "score": [0, 7]})
    >>> prepare(r)[["perspective", "score", "is_zero", "value"]]
      perspective  score  is_zero  value
    0        self    0.0     True    NaN
    1        head    7.0    False    7.0
    """
    if zero_policy not in ZERO_POLICIES:
        raise AppraisalInputError(f"zero_policy must be one of {ZERO_POLICIES}, got {zero_policy!r}")
    missing = [c for c in _REQUIRED if c not in ratings.columns]
    if missing:
        raise AppraisalInputError(f"{name}: missing column(s) {missing}")
    df = ratings.loc[:, list(_REQUIRED)].reset_index(drop=True)
    comps = competencies()
    errors = []
    for col, allowed in (("perspective", PERSPECTIVES), ("competency", comps)):
        vals = df[col].astype("string")
        bad = ~vals.isin(allowed).fillna(False)
        if bad.any():
            errors.append(_bad_rows(bad, df[col], col, f"must be one of {list(allowed)}", name))
    score = pd.to_numeric(df["score"].astype("object"), errors="coerce").astype(float)
    bad = (df["score"].notna() & score.isna()) | ~(score.isna() | (score.between(0, 10) & (score % 1 == 0)))
    if bad.any():
        errors.append(_bad_rows(bad, df["score"], "score", "must be an integer 0-10 or missing", name))
    if errors:
        raise AppraisalInputError("\n".join(errors))
    dup = df.duplicated(["respondent_id", "perspective", "competency"], keep="first")
    if dup.any():
        raise AppraisalInputError(
            _bad_rows(
                dup, df["respondent_id"], "respondent_id", "repeats a (respondent, perspective, competency) key", name
            )
        )
    out = pd.DataFrame(
        {
            "respondent_id": df["respondent_id"].astype(str),
            "perspective": pd.Categorical(df["perspective"].astype(str), categories=PERSPECTIVES, ordered=True),
            "competency": pd.Categorical(df["competency"].astype(str), categories=comps, ordered=True),
            "score": score,
        }
    )
    out["is_zero"] = out["score"].eq(0)
    out["value"] = out["score"].where(~out["is_zero"]) if zero_policy == "exclude" else out["score"]
    if respondents is not None:
        cols = [c for c in group_cols if c in respondents.columns]
        resp = respondents[["respondent_id", *cols]].copy()
        resp["respondent_id"] = resp["respondent_id"].astype(str)
        orphan = ~out["respondent_id"].isin(resp["respondent_id"])
        if orphan.any():
            raise AppraisalInputError(
                _bad_rows(
                    orphan, out["respondent_id"], "respondent_id", "has no matching respondent in capacity_survey", name
                )
            )
        out = out.merge(resp, on="respondent_id", how="left", validate="many_to_one")
    return out


# --------------------------------------------------------------------------- descriptives
def summary(long: pd.DataFrame, by: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Mean, median and SD per competency x perspective (optionally by group).

    ``n`` counts the ratings that enter the statistics (= raters); ``n_zero`` the 0 answers,
    ``share_zero`` their share of all answered ratings.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": list("abc"), "perspective": "self",
    ...                   "competency": "leadership", "score": [4, 8, 0]})
    >>> summary(prepare(r))[["perspective", "competency", "n", "mean", "n_zero", "share_zero"]]
      perspective  competency  n  mean  n_zero  share_zero
    0        self  leadership  2   6.0       1    0.333333
    """
    keys = [*group_keys(by), "perspective", "competency"]
    g = long.groupby(keys, observed=True, sort=True)
    out = g["value"].agg(n="count", mean="mean", median="median", sd="std")
    out["n_zero"] = g["is_zero"].sum().astype(int)
    answered = g["score"].count()
    out["share_zero"] = out["n_zero"] / answered.where(answered > 0)
    return out.reset_index()


def perspective_means(long: pd.DataFrame, by: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Mean of all ratings per perspective (pooled over competencies); ``n`` = respondents.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a", "b"], "perspective": "head",
    ...                   "competency": ["leadership", "integrity", "leadership"], "score": [6, 9, 0]})
    >>> perspective_means(prepare(r))[["perspective", "n", "mean", "n_ratings"]]
      perspective  n  mean  n_ratings
    0        head  1   7.5          2
    """
    keys = [*group_keys(by), "perspective"]
    valid = long[long["value"].notna()]
    g = valid.groupby(keys, observed=True, sort=True)
    out = g["value"].agg(mean="mean", median="median", sd="std", n_ratings="count")
    out.insert(0, "n", g["respondent_id"].nunique())
    return out.reset_index()


def distribution(long: pd.DataFrame, by: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Counts and shares of each score 0-10 per competency x perspective.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": list("abc"), "perspective": "self",
    ...                   "competency": "leadership", "score": [0, 7, 7]})
    >>> distribution(prepare(r))[["n", "n_score_0", "n_score_7", "share_score_7"]].round(3)
       n  n_score_0  n_score_7  share_score_7
    0  3          1          2          0.667
    """
    keys = [*group_keys(by), "perspective", "competency"]
    answered = long[long["score"].notna()]
    counts = (
        answered.assign(score=answered["score"].astype(int))
        .groupby([*keys, "score"], observed=True)
        .size()
        .unstack("score")
        .reindex(columns=range(11), fill_value=0)
        .fillna(0)
        .astype(int)
    )
    n = counts.sum(axis=1)
    out = pd.concat(
        [n.rename("n"), counts.add_prefix("n_score_"), counts.div(n, axis=0).add_prefix("share_score_")], axis=1
    )
    return out.reset_index()


# --------------------------------------------------------------------------- low scores
def respondent_flags(
    long: pd.DataFrame, threshold: float = 5, perspectives: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per respondent: number of low ratings (1 <= score < threshold), any low, any 0.

    Uses the raw ``score`` whatever the zero policy: a 0 is never a low score.
    Respondent-level: for analysis only, never export.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a", "b"], "perspective": ["self", "head", "self"],
    ...                   "competency": "leadership", "score": [4, 0, 5]})
    >>> respondent_flags(prepare(r))
      respondent_id  n_low  any_low  any_zero
    0             a      1     True      True
    1             b      0    False     False
    """
    sel = long if perspectives is None else long[long["perspective"].isin(perspectives)]
    low = (sel["score"] >= 1) & (sel["score"] < threshold)
    g = pd.DataFrame(
        {"respondent_id": sel["respondent_id"], "low": low, "zero": sel["is_zero"], "answered": sel["score"].notna()}
    ).groupby("respondent_id", sort=True)
    out = pd.DataFrame(
        {
            "n_low": g["low"].sum(),
            "any_low": g["low"].any(),
            "any_zero": g["zero"].any(),
            "answered": g["answered"].any(),
        }
    )
    return out[out["answered"]].drop(columns="answered").reset_index()


def share_below(
    long: pd.DataFrame,
    threshold: float = 5,
    by: Sequence[str] | str | None = None,
    perspectives: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share of respondents rating at least one competency below ``threshold`` (and with any 0).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a", "b", "b"], "perspective": ["self", "head"] * 2,
    ...                   "competency": "leadership", "score": [3, 9, 0, 8]})
    >>> share_below(prepare(r))[["n", "n_any_below", "share_any_below", "n_any_zero", "share_any_zero"]]
       n  n_any_below  share_any_below  n_any_zero  share_any_zero
    0  2            1              0.5           1             0.5
    """
    keys = group_keys(by)
    f = attach_groups(respondent_flags(long, threshold, perspectives), long, keys)
    if keys:
        g = f.groupby(keys, observed=True, sort=True)
    else:
        g = f.assign(_all=0).groupby("_all")
    out = pd.DataFrame(
        {"n": g.size(), "n_any_below": g["any_low"].sum().astype(int), "n_any_zero": g["any_zero"].sum().astype(int)}
    )
    out["share_any_below"] = out["n_any_below"] / out["n"]
    out["share_any_zero"] = out["n_any_zero"] / out["n"]
    out = out[["n", "n_any_below", "share_any_below", "n_any_zero", "share_any_zero"]]
    return out.reset_index(drop=not keys)


def share_below_by_competency(
    long: pd.DataFrame, threshold: float = 5, by: Sequence[str] | str | None = None, split_perspective: bool = False
) -> pd.DataFrame:
    """Per competency: share of respondents with a low rating of it (any perspective, or per perspective).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a", "b"], "perspective": ["self", "head", "self"],
    ...                   "competency": "leadership", "score": [4, 3, 8]})
    >>> share_below_by_competency(prepare(r))
       competency  n  n_below  share_below
    0  leadership  2        1          0.5
    """
    keys = [*group_keys(by), *(["perspective"] if split_perspective else []), "competency"]
    d = long[long["score"].notna()].assign(low=lambda x: (x["score"] >= 1) & (x["score"] < threshold))
    per = d.groupby([*keys, "respondent_id"], observed=True)["low"].any()
    g = per.groupby(level=keys, observed=True)
    out = pd.DataFrame({"n": g.size(), "n_below": g.sum().astype(int)})
    out["share_below"] = out["n_below"] / out["n"]
    return out.reset_index()


# --------------------------------------------------------------------------- ranking
def competency_ranking(
    long: pd.DataFrame, by: Sequence[str] | str | None = None, perspective: str | None = None
) -> pd.DataFrame:
    """Competencies ranked by mean score within each group (1 = highest); pooled over perspectives
    unless ``perspective`` is given. ``n`` = respondents contributing.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": "self",
    ...                   "competency": ["leadership", "integrity"], "score": [5, 9]})
    >>> competency_ranking(prepare(r))
       competency  n  mean  rank  is_weakest
    0   integrity  1   9.0     1       False
    1  leadership  1   5.0     2        True
    """
    keys = group_keys(by)
    d = long[long["value"].notna()]
    if perspective is not None:
        d = d[d["perspective"] == perspective]
    g = d.groupby([*keys, "competency"], observed=True, sort=True)
    out = pd.DataFrame({"n": g["respondent_id"].nunique(), "mean": g["value"].mean()}).reset_index()
    grp = out.groupby(keys, observed=True)["mean"] if keys else out["mean"]
    out["rank"] = grp.rank(ascending=False, method="min").astype(int)
    out["is_weakest"] = out["rank"] == (
        out.groupby(keys, observed=True)["rank"].transform("max") if keys else out["rank"].max()
    )
    return out.sort_values([*keys, "rank", "competency"]).reset_index(drop=True)


def weakest_competency(
    long: pd.DataFrame, column: str | None = None, value: str | None = None, perspective: str | None = None
) -> dict:
    """Lowest-mean competency among respondents with ``column == value`` and its margin to the next.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": "self",
    ...                   "competency": ["leadership", "integrity", "efficiency"], "score": [5, 9, 7]})
    >>> weakest_competency(prepare(r))
    {'competency': 'leadership', 'mean': 5.0, 'runner_up': 'efficiency', 'runner_up_mean': 7.0, 'margin': 2.0}
    """
    d = long if column is None else long[long[column].astype(str) == value]
    if d.empty:
        raise ValueError(f"no ratings with {column} == {value!r}")
    r = competency_ranking(d, perspective=perspective).sort_values(["mean", "competency"])
    low, nxt = r.iloc[0], (r.iloc[1] if len(r) > 1 else None)
    return {
        "competency": str(low["competency"]),
        "mean": float(low["mean"]),
        "runner_up": None if nxt is None else str(nxt["competency"]),
        "runner_up_mean": None if nxt is None else float(nxt["mean"]),
        "margin": None if nxt is None else float(nxt["mean"] - low["mean"]),
    }


# --------------------------------------------------------------------------- what step 04 publishes
RATED = ("overall_competency", "reform_rating")  # capacity_survey's 1-10 ratings reported with the appraisal


def survey_ratings(respondents: pd.DataFrame, confidence: float = 0.95) -> dict[str, float]:
    """Mean and t-interval of Q9 (own competencies overall) and of the rating of civil-service reform.

    Both are capacity_survey questions, not 360 ratings; paper 003 reports them with the appraisal's
    findings (line 246: reform "scored 5.86"), so step 04 publishes them, over the analysed respondents.

    Examples
    --------
    >>> r = survey_ratings(pd.DataFrame({"overall_competency": [7, 8, 9], "reform_rating": [5, 6, None]}))
    >>> r["reform_rating_mean"], r["reform_rating_n"], r["overall_competency_mean"]
    (5.5, 2, 8.0)
    """
    out = {}
    for col in RATED:
        m = mean_ci(respondents[col], confidence)
        out.update({f"{col}_mean": m["mean"], f"{col}_ci_low": m["ci_low"], f"{col}_ci_high": m["ci_high"]})
        out[f"{col}_n"] = m["n"]
    return out


def results(data: dict[str, pd.DataFrame], params: dict) -> Published:
    """Everything notebook 04 publishes: perspective means, low ratings, weakest competencies, gaps, agreement.

    Parameters
    ----------
    data : dict
        ``capacity_survey`` and ``appraisal_360``, as loaded by :func:`civcomp.io.load.load`.
    params : dict
        Notebook 04's resolved parameters (:func:`civcomp.io.params.resolve`).

    Returns
    -------
    Published
        ``values``: the 38 keys of ``outputs/results/04_appraisal_360.json``; ``tables``: every export, made
        publishable (:mod:`civcomp.stats.linked_tables`); ``parts``: the unsuppressed tables the figures and
        the notebook's text read (``long``, ``summary``, ``perspective_means``, ``competency_ranking``,
        ``share_below_by_competency``, ``ranking_by_position_level``, ``gaps``, ``correlations``, ``icc``,
        ``weakest``, ``weakest_self``, ``share_below_5``, ``share_below_self``, ``ratings`` of :func:`survey_ratings`).

    Examples
    --------
    >>> comps = competencies()[:2]
    >>> resp = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(8)], "level": "regional",
    ...                      "position_level": ["executive", "managerial"] * 4, "region": "astana",
    ...                      "overall_competency": [6, 7, 8, 7] * 2, "reform_rating": [5, 6, 7, 6] * 2})
    >>> ratings = pd.DataFrame([(r, p, c, (i + j + k) % 9 + 1) for i, r in enumerate(resp["respondent_id"])
    ...                         for j, p in enumerate(PERSPECTIVES) for k, c in enumerate(comps)],
    ...                        columns=["respondent_id", "perspective", "competency", "score"])
    >>> params = dict(analysed_level="regional", below_threshold=5, gap_threshold=1.0, min_group_size=3,
    ...               zero_policy="exclude", confidence=0.95, min_cell_size=5)
    >>> pub = results({"capacity_survey": resp, "appraisal_360": ratings}, params)
    >>> pub.values["n_respondents"], pub.values["reform_rating_mean"], len(pub.values)
    (8, 6.0, 43)
    """
    k, g, below, gap = (
        params["min_cell_size"],
        params["min_group_size"],
        params["below_threshold"],
        params["gap_threshold"],
    )
    capacity, ratings = data["capacity_survey"], data["appraisal_360"]
    sample = capacity[capacity["level"].astype(str) == params["analysed_level"]]
    long = prepare(
        ratings[ratings["respondent_id"].isin(sample["respondent_id"])], sample, zero_policy=params["zero_policy"]
    )
    tables: dict[str, pd.DataFrame] = {}

    def export(name, table, keys, group=None):
        tables[name] = publishable(table, keys, k, g, group=group)
        return table

    pos, reg, comp = "position_level", "region", "competency"
    pm = export("perspective_means", perspective_means(long), ["perspective"])
    export("perspective_means_by_position_level", perspective_means(long, by=pos), [pos, "perspective"], pos)
    rank = export("competency_ranking", competency_ranking(long), [comp, "rank", "is_weakest"])
    below_comp = export("share_below_by_competency", share_below_by_competency(long, threshold=below), [comp])
    export(
        "share_below_by_perspective_competency",
        share_below_by_competency(long, threshold=below, split_perspective=True),
        ["perspective", comp],
    )
    keys = ["perspective", comp]
    summ = summary(long)
    fam = publishable_family(
        summ, distribution(long), summary(long, by=pos), distribution(long, by=pos), keys, pos, k, g, audit=family_audit
    )
    tables["summary_perspective_competency"], tables["distribution"] = fam["summary"], fam["distribution"]
    tables["summary_by_position_level"] = fam["summary_by"]
    tables["distribution_by_position_level"] = fam["distribution_by"]
    tables["summary_by_region"] = publishable_summary(summary(long, by=reg), None, [reg, *keys], k, g, group=reg)[0]
    paper_low = share_below(long, threshold=5).iloc[0]
    low = share_below(long, threshold=below).iloc[0]
    self_low = share_below(long, threshold=below, perspectives=["self"]).iloc[0]
    export("share_below", share_below(long, threshold=below).assign(group="all"), ["group"])
    export("share_below_by_position_level", share_below(long, threshold=below, by=pos), [pos], pos)
    export("share_below_by_region", share_below(long, threshold=below, by=reg), [reg], reg)
    rank_pos = export(
        "competency_ranking_by_position_level", competency_ranking(long, by=pos), [pos, comp, "rank", "is_weakest"], pos
    )
    export("competency_ranking_by_region", competency_ranking(long, by=reg), [reg, comp, "rank", "is_weakest"], reg)
    weak = {lvl: weakest_competency(long, pos, lvl) for lvl in ("executive", "managerial")}
    weak_self = {lvl: weakest_competency(long, pos, lvl, perspective="self") for lvl in ("executive", "managerial")}
    gaps = gap_summary(long, threshold=gap)
    for name, tab, kk, grp in (("gaps", gaps, [comp], None), ("gaps_by_position_level", None, [pos, comp], pos)):
        tab = gap_summary(long, threshold=gap, by=pos) if tab is None else tab
        # who has a gap is who rated themselves: its n must not give back a summary n hidden beside it
        linked = tables["summary_by_position_level" if grp else "summary_perspective_competency"]
        force = pd.DataFrame({"n": linked_hidden(tab, linked, kk)})
        ratios = ("share_blind_spot", "share_hidden_strength")
        safe = publishable(tab, [*kk, "flag"], k, g, group=grp, force=force, ratios_of_n=ratios)
        tables[name] = align_rounding(safe, linked, kk)
    corr = {m: perspective_correlations(long, m) for m in ("pearson", "spearman")}
    for m, c in corr.items():
        tables[f"correlations_{m}"] = c.rename_axis("perspective").reset_index()
    icc = export("icc", perspective_icc(long), [comp, "type"])
    icc_c1 = icc[icc["type"] == "ICC(C,1)"].set_index(comp)["icc"]
    means = pm.set_index("perspective")["mean"]
    flags = gaps["flag"].value_counts()
    rated = survey_ratings(sample, params["confidence"])
    values = {
        "n_respondents": long["respondent_id"].nunique(),
        "n_rating_rows": len(long),
        **{f"perspective_mean_{p}": float(means[p]) for p in PERSPECTIVES},
        "perspective_mean_min": float(means.min()),
        "perspective_mean_max": float(means.max()),
        "perspective_mean_min_perspective": str(means.idxmin()),
        "perspective_mean_max_perspective": str(means.idxmax()),
        "share_any_below_5": float(paper_low["share_any_below"]),
        "n_any_below_5": int(paper_low["n_any_below"]),
        "below_threshold": below,
        "share_any_below_threshold": float(low["share_any_below"]),
        "share_any_below_self_only": float(self_low["share_any_below"]),
        "share_any_zero": float(low["share_any_zero"]),
        "share_zero_ratings": float(long["is_zero"].mean()),
        "share_missing_ratings": float(long["score"].isna().mean()),
        "pearson_mean_off_diagonal": float(corr["pearson"].where(~corr["pearson"].eq(1)).stack().mean()),
        **{k_: v for k_, v in rated.items() if k_ != "overall_competency_n"},
        "strongest_competency": str(rank.iloc[0][comp]),
        "weakest_competency": str(rank.iloc[-1][comp]),
        "weakest_competency_executive": weak["executive"][comp],
        "weakest_competency_executive_margin": weak["executive"]["margin"],
        "weakest_competency_managerial": weak["managerial"][comp],
        "weakest_competency_managerial_margin": weak["managerial"]["margin"],
        "leadership_weakest_executive": weak["executive"][comp] == "leadership",
        "self_development_weakest_managerial": weak["managerial"][comp] == "self_development",
        "gap_mean_min": float(gaps["mean_gap"].min()),
        "gap_mean_max": float(gaps["mean_gap"].max()),
        **{f"{c}_avg": published_average(tables["gaps"], c) for c in ("share_blind_spot", "share_hidden_strength")},
        "n_blind_spot_competencies": int(flags.get("blind_spot", 0)),
        "n_hidden_strength_competencies": int(flags.get("hidden_strength", 0)),
        "icc_c1_overall": float(icc_c1["overall"]),
        "icc_c1_min": float(icc_c1.drop("overall").min()),
        "icc_c1_max": float(icc_c1.drop("overall").max()),
    }
    parts = {
        "long": long,
        "summary": summ,
        "perspective_means": pm,
        "competency_ranking": rank,
        "share_below_by_competency": below_comp,
        "ranking_by_position_level": rank_pos,
        "gaps": gaps,
        "correlations": corr,
        "icc": icc,
        "weakest": weak,
        "weakest_self": weak_self,
        "share_below_5": paper_low,
        "share_below_self": self_low,
        "ratings": rated,
        "n_analysed": len(sample),
    }
    return Published(values, tables, parts)
