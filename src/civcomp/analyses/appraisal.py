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
* **Disclosure**: every exported table goes through :func:`publishable` (or
  :func:`publishable_summary` for a summary and its linked score distribution): rater groups
  smaller than ``min_group_size`` are blanked, counts below ``min_cell_size`` hidden with
  secondary suppression along rows *and* across the groups (whose ungrouped totals are
  published), and means/SDs/medians follow the rounding rule of
  :func:`civcomp.stats.disclosure.resolution` so that no hidden count can be recovered from them.

Every analysis function takes the frame returned by :func:`prepare`.

References
----------
Paper 003 (``shared/seeds/003_*``): Figures 5-6 and Appendix A.
Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
rater reliability. *Psychological Bulletin*, 86(2), 420-428.
Fleenor, J. W. et al. (1996). Self-other rating agreement in leadership.
*The Leadership Quarterly*, 7(4), 487-506.

Size: one topic, the 360 appraisal's statistics (input checks, descriptives, low scores, gaps, agreement, ranking, what of them may be published); its figures are in :mod:`civcomp.plots.appraisal`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.io import params as params_mod
from civcomp.stats.disclosure import coarsen, suppress_grouped, suppress_table

PERSPECTIVES = ("self", "supervisor", "head", "colleague")
OTHERS = PERSPECTIVES[1:]
ZERO_POLICIES = ("exclude", "as_score")
_REQUIRED = ("respondent_id", "perspective", "competency", "score")


class AppraisalInputError(ValueError):
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


def _keys(by: Sequence[str] | str | None) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _cube(long: pd.DataFrame, col: str = "value") -> tuple[pd.Index, np.ndarray]:
    """Respondent x perspective x competency array of ``col`` (NaN where absent)."""
    codes, ids = pd.factorize(long["respondent_id"], sort=True)
    cube = np.full((len(ids), len(PERSPECTIVES), len(long["competency"].cat.categories)), np.nan)
    cube[codes, long["perspective"].cat.codes.to_numpy(), long["competency"].cat.codes.to_numpy()] = long[col].to_numpy(
        dtype=float
    )
    return pd.Index(ids, name="respondent_id"), cube


def _attach_groups(frame: pd.DataFrame, long: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    by = [c for c in by if c not in frame.columns]  # e.g. by="respondent_id"
    if not by:
        return frame
    attrs = long.drop_duplicates("respondent_id").set_index("respondent_id")[by]
    return frame.join(attrs, on="respondent_id")


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
    keys = [*_keys(by), "perspective", "competency"]
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
    keys = [*_keys(by), "perspective"]
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
    keys = [*_keys(by), "perspective", "competency"]
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
    keys = _keys(by)
    f = _attach_groups(respondent_flags(long, threshold, perspectives), long, keys)
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
    keys = [*_keys(by), *(["perspective"] if split_perspective else []), "competency"]
    d = long[long["score"].notna()].assign(low=lambda x: (x["score"] >= 1) & (x["score"] < threshold))
    per = d.groupby([*keys, "respondent_id"], observed=True)["low"].any()
    g = per.groupby(level=keys, observed=True)
    out = pd.DataFrame({"n": g.size(), "n_below": g.sum().astype(int)})
    out["share_below"] = out["n_below"] / out["n"]
    return out.reset_index()


# --------------------------------------------------------------------------- self-other gaps
def respondent_gaps(long: pd.DataFrame, threshold: float = 1.0, min_others: int = 1) -> pd.DataFrame:
    """Per respondent x competency: self, mean of others, gap = self - others, flag.

    ``flag`` is ``blind_spot`` when gap > threshold, ``hidden_strength`` when gap < -threshold,
    ``aligned`` otherwise; rows without a self rating or with fewer than ``min_others`` other
    ratings are dropped. Respondent-level: never export.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": ["self", "supervisor", "head", "colleague"],
    ...                   "competency": "leadership", "score": [9, 7, 8, 0]})
    >>> respondent_gaps(prepare(r))[["self", "others", "gap", "flag"]]
       self  others  gap        flag
    0   9.0     7.5  1.5  blind_spot
    """
    ids, cube = _cube(long)
    others = cube[:, 1:, :]
    n_oth = np.isfinite(others).sum(axis=1)
    with warnings.catch_warnings():  # all-NaN slices (no other rating) are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        oth_mean = np.nanmean(others, axis=1)
    self_ = cube[:, 0, :]
    comps = list(long["competency"].cat.categories)
    frame = pd.DataFrame(
        {
            "respondent_id": np.repeat(ids.to_numpy(), len(comps)),
            "competency": pd.Categorical(np.tile(comps, len(ids)), categories=comps, ordered=True),
            "self": self_.reshape(-1),
            "others": oth_mean.reshape(-1),
            "n_others": n_oth.reshape(-1),
        }
    )
    frame = frame[frame["self"].notna() & (frame["n_others"] >= max(min_others, 1))].reset_index(drop=True)
    frame["gap"] = frame["self"] - frame["others"]
    frame["flag"] = np.select(
        [frame["gap"] > threshold, frame["gap"] < -threshold], ["blind_spot", "hidden_strength"], "aligned"
    )
    return frame


def gap_summary(
    long: pd.DataFrame, threshold: float = 1.0, by: Sequence[str] | str | None = None, min_others: int = 1
) -> pd.DataFrame:
    """Self-other gaps per competency (optionally by group) with blind-spot/hidden-strength flags.

    ``flag`` classifies the group's mean gap with the same threshold; ``share_blind_spot`` and
    ``share_hidden_strength`` are the shares of respondents whose own gap crosses it.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": list("aabb"), "perspective": ["self", "head"] * 2,
    ...                   "competency": "leadership", "score": [9, 6, 8, 7]})
    >>> gap_summary(prepare(r))[["competency", "n", "mean_gap", "n_blind_spot", "flag"]]
       competency  n  mean_gap  n_blind_spot        flag
    0  leadership  2       2.0             1  blind_spot
    """
    keys = [*_keys(by), "competency"]
    rg = _attach_groups(respondent_gaps(long, threshold, min_others), long, _keys(by))
    rg["blind"] = rg["flag"].eq("blind_spot")
    rg["hidden"] = rg["flag"].eq("hidden_strength")
    g = rg.groupby(keys, observed=True, sort=True)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "mean_self": g["self"].mean(),
            "mean_others": g["others"].mean(),
            "mean_gap": g["gap"].mean(),
            "sd_gap": g["gap"].std(),
            "n_blind_spot": g["blind"].sum().astype(int),
            "n_hidden_strength": g["hidden"].sum().astype(int),
        }
    )
    out["share_blind_spot"] = out["n_blind_spot"] / out["n"]
    out["share_hidden_strength"] = out["n_hidden_strength"] / out["n"]
    out["flag"] = np.select(
        [out["mean_gap"] > threshold, out["mean_gap"] < -threshold], ["blind_spot", "hidden_strength"], "aligned"
    )
    return out.reset_index()


# --------------------------------------------------------------------------- agreement
def respondent_means(long: pd.DataFrame, competency: str | None = None) -> pd.DataFrame:
    """Respondent x perspective mean score (over competencies, or one competency). Never export.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": "self",
    ...                   "competency": ["leadership", "integrity"], "score": [6, 9]})
    >>> respondent_means(prepare(r)).loc["a"].to_dict()
    {'self': 7.5, 'supervisor': nan, 'head': nan, 'colleague': nan}
    """
    ids, cube = _cube(long)
    if competency is not None:
        m = cube[:, :, list(long["competency"].cat.categories).index(competency)]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            m = np.nanmean(cube, axis=2)
    return pd.DataFrame(m, index=ids, columns=list(PERSPECTIVES))


def perspective_correlations(
    long: pd.DataFrame, method: str = "pearson", competency: str | None = None
) -> pd.DataFrame:
    """4 x 4 correlation matrix of respondent-level scores across perspectives (pairwise complete).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": list("aabbcc"), "perspective": ["self", "head"] * 3,
    ...                   "competency": "leadership", "score": [5, 6, 7, 8, 9, 9]})
    >>> round(float(perspective_correlations(prepare(r)).loc["self", "head"]), 3)
    0.982
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    return respondent_means(long, competency).corr(method=method)


def _ci_column(table: pd.DataFrame) -> str:
    # pingouin 0.7 names it CI95, older releases CI95%
    for name in ("CI95", "CI95%"):
        if name in table.columns:
            return name
    raise KeyError(f"pingouin.intraclass_corr returned no CI column (columns: {list(table.columns)})")


def icc_table(wide: pd.DataFrame) -> pd.DataFrame:
    """Six Shrout-Fleiss ICCs of a targets x raters frame via :func:`pingouin.intraclass_corr`.

    Rows with a missing rating are dropped (listwise, as pingouin does). CIs are not rounded.

    Examples
    --------
    Shrout & Fleiss (1979, Table 2): 6 targets, 4 judges; published ICC(1,1) = .17,
    ICC(2,1) = .29, ICC(3,1) = .71, ICC(3,4) = .91.

    >>> w = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2],
    ...                   "J3": [5, 3, 6, 2, 6, 4], "J4": [8, 2, 8, 6, 9, 7]})
    >>> icc_table(w).set_index("type")["icc"].round(2).to_dict()
    {'ICC(1,1)': 0.17, 'ICC(A,1)': 0.29, 'ICC(C,1)': 0.71, 'ICC(1,k)': 0.44, 'ICC(A,k)': 0.62, 'ICC(C,k)': 0.91}
    """
    import pingouin as pg

    w = wide.dropna()
    if len(w) < 3 or w.shape[1] < 2:  # pingouin's ANOVA needs a few complete targets
        types = ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
        return pd.DataFrame(
            {"type": types, **{c: np.nan for c in ("icc", "f", "df1", "df2", "pval", "ci_low", "ci_high")}, "n": len(w)}
        )
    long = w.rename_axis("target").reset_index().melt(id_vars="target", var_name="rater", value_name="rating")
    keys = ("round.column.CI95", "round.column.CI95%")
    saved = {k: pg.options[k] for k in keys if k in pg.options}
    try:
        for k in keys:
            pg.options[k] = None
        res = pg.intraclass_corr(long, targets="target", raters="rater", ratings="rating")
    finally:
        for k in keys:
            pg.options.pop(k, None)
        pg.options.update(saved)
    ci = np.vstack(res[_ci_column(res)].to_numpy())
    return pd.DataFrame(
        {
            "type": res["Type"],
            "icc": res["ICC"],
            "f": res["F"],
            "df1": res["df1"],
            "df2": res["df2"],
            "pval": res["pval"],
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n": len(w),
        }
    )


def perspective_icc(
    long: pd.DataFrame,
    types: Sequence[str] = ("ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(C,k)"),
    include_overall: bool = True,
) -> pd.DataFrame:
    """ICC of the four perspectives per competency (respondents = targets, perspectives = raters).

    ``overall`` uses each respondent's mean over the 15 competencies. pingouin handles the
    full regional sample in about 0.1 s per competency, so no subsampling is needed.

    Examples
    --------
    >>> rows = [(f"r{i}", p, "leadership", s) for i, (a, b, c, d) in enumerate(
    ...         [(9, 2, 5, 8), (6, 1, 3, 2), (8, 4, 6, 8), (7, 1, 2, 6), (10, 5, 6, 9), (6, 2, 4, 7)])
    ...         for p, s in zip(PERSPECTIVES, (a, b, c, d))]
    >>> long = prepare(pd.DataFrame(rows, columns=["respondent_id", "perspective", "competency", "score"]))
    >>> perspective_icc(long, types=["ICC(C,1)"], include_overall=False)[["competency", "type", "icc", "n"]].round(2)
       competency      type   icc  n
    0  leadership  ICC(C,1)  0.71  6
    """
    present = set(long.loc[long["value"].notna(), "competency"])
    comps = [c for c in long["competency"].cat.categories if c in present]
    parts = []
    for comp in [*comps, *(["overall"] if include_overall else [])]:
        wide = respondent_means(long, None if comp == "overall" else comp)
        t = icc_table(wide)
        parts.append(t[t["type"].isin(types)].assign(competency=comp))
    out = pd.concat(parts, ignore_index=True)
    return out[["competency", *[c for c in out.columns if c != "competency"]]]


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
    keys = _keys(by)
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


# --------------------------------------------------------------------------- publication
MAGNITUDES = ("mean", "median", "sd", "mean_self", "mean_others", "mean_gap", "sd_gap")
SCORE_LINE = (tuple(f"n_score_{k}" for k in range(11)),)  # a distribution's counts add up to its n
ZERO_LINE = (("n", "n_zero"),)  # rated 1-10 + rated 0 = respondents who answered, published elsewhere
UNPUBLISHED = ("n_ratings",)
GROUP_LABELS = (
    "rank",
    "is_weakest",
    "flag",
)  # keys that are results, not cell identifiers  # sums of the summary's n over competencies: would undo its suppression


def publishable(
    table: pd.DataFrame,
    keys: Sequence[str],
    min_cell_size: int,
    min_group_size: int,
    lines: Sequence[Sequence[str]] = (),
    group: str | None = None,
    force: pd.DataFrame | None = None,
    hidden_cells: pd.Series | None = None,
) -> pd.DataFrame:
    """The exportable version of an appraisal table: suppressed, coarsened, linked sums dropped.

    ``group`` names the breakdown column when the ungrouped table is published too (secondary
    suppression then also runs across groups, :func:`civcomp.stats.disclosure.suppress_grouped`).
    Means, medians and SDs are rounded by :func:`civcomp.stats.disclosure.coarsen`: two decimals,
    coarser where the row's ``n`` or (``hidden_cells``) its linked score counts are hidden.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "b"], "n": [40, 41], "mean": [7.123456, 6.5], "n_zero": [2, 9]})
    >>> publishable(t, ["g"], 5, 3, lines=ZERO_LINE)
       g     n  mean  n_zero  rounding
    0  a  <NA>   7.1    <NA>      0.10
    1  b    41   6.5       9      0.01
    """
    drop = [c for c in UNPUBLISHED if c in table.columns]
    base = table.drop(columns=drop).reset_index(drop=True)
    if group is not None:
        out = suppress_grouped(
            base,
            group,
            list(keys),
            min_group_size,
            min_cell_size,
            lines=lines,
            force=force,
            across=[k for k in keys if k not in GROUP_LABELS],
        )
    else:
        out = suppress_table(
            base, keys=list(keys), min_group_size=min_group_size, min_cell_size=min_cell_size, lines=lines, force=force
        )
    if "n" in base.columns:
        hidden_n = out["n"].isna() & base["n"].notna()
        out = coarsen(
            out,
            [c for c in MAGNITUDES if c in out.columns],
            base["n"],
            min_cell_size,
            hidden_count=hidden_n,
            hidden_cells=hidden_cells,
        )
    return out


def publishable_summary(
    summ: pd.DataFrame,
    dist: pd.DataFrame | None,
    keys: Sequence[str],
    min_cell_size: int,
    min_group_size: int,
    group: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Publish a :func:`summary` table and the :func:`distribution` of the same groups together.

    The two are linked: the summary's ``n_zero`` is the distribution's ``n_score_0``, and the
    summary's mean and SD (with its ``n``) fix the sum and the sum of squares of the scores 1-10.
    A cell hidden in one table is hidden in the other, and the summary's statistics of a row
    with hidden score counts are coarsened (:func:`civcomp.stats.disclosure.resolution`).
    """
    s_base = summ.reset_index(drop=True)
    if dist is None:
        return publishable(s_base, keys, min_cell_size, min_group_size, ZERO_LINE, group), None
    d_base = dist.reset_index(drop=True)
    key_list = list(keys)
    pos = s_base[key_list].merge(d_base[key_list].reset_index(), on=key_list, how="left")["index"]
    force_s = pd.DataFrame(False, index=s_base.index, columns=["n_zero"])
    force_d = pd.DataFrame(False, index=d_base.index, columns=["n_score_0"])
    for _ in range(10):
        d_out = publishable(d_base, keys, min_cell_size, min_group_size, SCORE_LINE, group, force=force_d)
        d_hidden = pd.DataFrame({c: d_out[c].isna() & d_base[c].notna() for c in SCORE_LINE[0]})
        at = pos.to_numpy()
        ok = ~pd.isna(at)
        zero_hidden = np.zeros(len(s_base), bool)
        cells_hidden = np.zeros(len(s_base), bool)
        zero_hidden[ok] = d_hidden["n_score_0"].to_numpy()[at[ok].astype(int)]
        cells_hidden[ok] = d_hidden[list(SCORE_LINE[0][1:])].any(axis=1).to_numpy()[at[ok].astype(int)]
        new_force_s = force_s | pd.DataFrame({"n_zero": zero_hidden}, index=s_base.index)
        s_out = publishable(
            s_base,
            keys,
            min_cell_size,
            min_group_size,
            ZERO_LINE,
            group,
            force=new_force_s,
            hidden_cells=pd.Series(cells_hidden, index=s_base.index),
        )
        s_zero_hidden = (s_out["n_zero"].isna() & s_base["n_zero"].notna()).to_numpy()
        new_force_d = force_d.copy()
        new_force_d.loc[at[ok & s_zero_hidden].astype(int), "n_score_0"] = True
        if new_force_d.equals(force_d) and new_force_s.equals(force_s):
            return s_out, d_out
        force_s, force_d = new_force_s, new_force_d
    return s_out, d_out  # pragma: no cover - hidden sets only grow
