"""The four perspectives of the 360 appraisal compared: self-other gaps, correlations and ICCs.

Every function takes the frame of :func:`civcomp.analyses.appraisal.prepare` (perspectives as an
ordered categorical, ``self`` first). A gap is a respondent's self-rating minus the mean of their other
available ratings of the same competency; agreement is measured on respondent-level mean scores
(Pearson, Spearman) and by Shrout-Fleiss ICCs (:func:`civcomp.stats.agreement.icc_table`). One
respondent rates four *different* people, so these describe how consistently a respondent rates, not
the multi-rater agreement about one ratee of a classic 360 review.

References
----------
Fleenor, J. W. et al. (1996). Self-other rating agreement in leadership.
*The Leadership Quarterly*, 7(4), 487-506.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from civcomp.stats.agreement import icc_table


def group_keys(by: Sequence[str] | str | None) -> list[str]:
    """The ``by=`` argument of the appraisal functions as a list of columns.

    Examples
    --------
    >>> group_keys("region"), group_keys(None)
    (['region'], [])
    """
    return [by] if isinstance(by, str) else list(by or [])


def respondent_cube(long: pd.DataFrame, col: str = "value") -> tuple[pd.Index, np.ndarray]:
    """Respondent x perspective x competency array of ``col`` (NaN where absent), perspectives in category order."""
    codes, ids = pd.factorize(long["respondent_id"], sort=True)
    cube = np.full((len(ids), len(long["perspective"].cat.categories), len(long["competency"].cat.categories)), np.nan)
    cube[codes, long["perspective"].cat.codes.to_numpy(), long["competency"].cat.codes.to_numpy()] = long[col].to_numpy(
        dtype=float
    )
    return pd.Index(ids, name="respondent_id"), cube


def attach_groups(frame: pd.DataFrame, long: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Join each respondent's group columns ``by`` (from ``long``) to a respondent-level ``frame``."""
    by = [c for c in by if c not in frame.columns]  # e.g. by="respondent_id"
    if not by:
        return frame
    attrs = long.drop_duplicates("respondent_id").set_index("respondent_id")[by]
    return frame.join(attrs, on="respondent_id")


# --------------------------------------------------------------------------- self-other gaps
def respondent_gaps(long: pd.DataFrame, threshold: float = 1.0, min_others: int = 1) -> pd.DataFrame:
    """Per respondent x competency: self, mean of others, gap = self - others, flag.

    ``flag`` is ``blind_spot`` when gap > threshold, ``hidden_strength`` when gap < -threshold,
    ``aligned`` otherwise; rows without a self rating or with fewer than ``min_others`` other
    ratings are dropped. Respondent-level: never export.

    Examples
    --------
    >>> from civcomp.analyses.appraisal import prepare
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": ["self", "supervisor", "head", "colleague"],
    ...                   "competency": "leadership", "score": [9, 7, 8, 0]})
    >>> respondent_gaps(prepare(r))[["self", "others", "gap", "flag"]]
       self  others  gap        flag
    0   9.0     7.5  1.5  blind_spot
    """
    ids, cube = respondent_cube(long)
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
    >>> from civcomp.analyses.appraisal import prepare
    >>> r = pd.DataFrame({"respondent_id": list("aabb"), "perspective": ["self", "head"] * 2,
    ...                   "competency": "leadership", "score": [9, 6, 8, 7]})
    >>> gap_summary(prepare(r))[["competency", "n", "mean_gap", "n_blind_spot", "flag"]]
       competency  n  mean_gap  n_blind_spot        flag
    0  leadership  2       2.0             1  blind_spot
    """
    keys = [*group_keys(by), "competency"]
    rg = attach_groups(respondent_gaps(long, threshold, min_others), long, group_keys(by))
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
    >>> from civcomp.analyses.appraisal import prepare
    >>> r = pd.DataFrame({"respondent_id": "a", "perspective": "self",
    ...                   "competency": ["leadership", "integrity"], "score": [6, 9]})
    >>> respondent_means(prepare(r)).loc["a"].to_dict()
    {'self': 7.5, 'supervisor': nan, 'head': nan, 'colleague': nan}
    """
    return _means_of(long, *respondent_cube(long), competency)


def _means_of(long: pd.DataFrame, ids: pd.Index, cube: np.ndarray, competency: str | None) -> pd.DataFrame:
    """:func:`respondent_means` from a cube already built (one cube for all competencies)."""
    if competency is not None:
        m = cube[:, :, list(long["competency"].cat.categories).index(competency)]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            m = np.nanmean(cube, axis=2)
    return pd.DataFrame(m, index=ids, columns=list(long["perspective"].cat.categories))


def perspective_correlations(
    long: pd.DataFrame, method: str = "pearson", competency: str | None = None
) -> pd.DataFrame:
    """4 x 4 correlation matrix of respondent-level scores across perspectives (pairwise complete).

    Examples
    --------
    >>> from civcomp.analyses.appraisal import prepare
    >>> r = pd.DataFrame({"respondent_id": list("aabbcc"), "perspective": ["self", "head"] * 3,
    ...                   "competency": "leadership", "score": [5, 6, 7, 8, 9, 9]})
    >>> round(float(perspective_correlations(prepare(r)).loc["self", "head"]), 3)
    0.982
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    return respondent_means(long, competency).corr(method=method)


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
    >>> from civcomp.analyses.appraisal import PERSPECTIVES, prepare
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
    ids, cube = respondent_cube(long)
    for comp in [*comps, *(["overall"] if include_overall else [])]:
        wide = _means_of(long, ids, cube, None if comp == "overall" else comp)
        t = icc_table(wide)
        parts.append(t[t["type"].isin(types)].assign(competency=comp))
    out = pd.concat(parts, ignore_index=True)
    return out[["competency", *[c for c in out.columns if c != "competency"]]]
