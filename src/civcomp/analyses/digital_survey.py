"""Paper 000's survey of 200 civil servants (notebook 02): headlines, Tables 2-4, central-vs-regional tests.

Works on the ``digital_survey`` frame of :func:`civcomp.io.load.load` (categories may be pandas ``category``
or plain strings) with the generic helpers of :mod:`civcomp.stats`. :func:`results` is everything notebook 02
publishes; its paper-style views and sentences are :mod:`civcomp.analyses.digital_survey_display`.

Definitions (the paper's abstract)
----------------------------------
* *not required at hiring*: ``digital_required_at_hiring == "no"`` (base: all who answered);
* *difficulty through experience or training*: ``system_difficulty`` in
  {``lack_of_experience``, ``inadequate_training``};
* *never trained*: ``formal_training == "never"``;
* *at least one barrier to training*: any ``barrier_*`` option other than ``barrier_none``;
* *regional staff face more barriers*: a higher share with at least one barrier (:func:`regional_more_barriers`).

References
----------
Assessing the integration of digital competencies into civil service recruitment and
training in Kazakhstan. Problems and Perspectives in Management 23(2), 2025, 561-571.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from civcomp.analyses.published import Published
from civcomp.io.codebook import load_codebook
from civcomp.stats.association import association_test
from civcomp.stats.crosstabs import crosstab, crosstab_table, multiselect_crosstab, multiselect_table
from civcomp.stats.disclosure import SUPPRESSED
from civcomp.stats.estimates import kish_effective_n, proportion
from civcomp.stats.weighting import poststratification_weights

LEVELS = ("central", "regional")
DIFFICULTY_CAUSES = ("lack_of_experience", "inadequate_training")
DATASETS = ("digital_survey",)  # what results() reads
GROUPINGS = ("level", "position", "functional_area")  # the columns of the paper's tables
TESTED = ("difficulty", "training", "barrier")  # the central-vs-regional association tests
TEST_KEYS = {"test": "test", "chi2": "statistic", "df": "df", "test_p": "p", "cramers_v": "cramers_v"}  # result key

# headline key -> (column, predicate) ; shares are over respondents who answered the item
HEADLINES = {
    "not_required_at_hiring": ("digital_required_at_hiring", lambda s: s == "no"),
    "difficulty_experience_or_training": ("system_difficulty", lambda s: s.isin(DIFFICULTY_CAUSES)),
    "never_trained": ("formal_training", lambda s: s == "never"),
}


def _codes(s: pd.Series) -> pd.Series:
    """A categorical or string column as plain object codes (NA kept)."""
    return s.astype(object).where(s.notna(), None)


def barrier_columns(df: pd.DataFrame) -> list[str]:
    """The barrier options other than ``none``."""
    return [c for c in df.columns if c.startswith("barrier_") and c != "barrier_none"]


def any_barrier(df: pd.DataFrame) -> pd.Series:
    """1 if the respondent ticked at least one barrier to training, 0 if none, NA if unanswered."""
    b = df[barrier_columns(df)].astype("Float64")
    answered = b.notna().all(axis=1)
    return (b.sum(axis=1) > 0).astype("Int64").where(answered)


def n_barriers(df: pd.DataFrame) -> pd.Series:
    """Number of barriers ticked (NA if unanswered)."""
    b = df[barrier_columns(df)].astype("Float64")
    return b.sum(axis=1).astype("Int64").where(b.notna().all(axis=1))


def indicator(df: pd.DataFrame, key: str) -> pd.Series:
    """0/1 (NA where unanswered) indicator of headline ``key`` (see :data:`HEADLINES`)."""
    col, pred = HEADLINES[key]
    s = _codes(df[col])
    return pred(s).astype("Int64").where(s.notna())


def headlines(
    df: pd.DataFrame, alpha: float = 0.05, weights: pd.Series | None = None, suffix: str = ""
) -> dict[str, Any]:
    """The paper's four findings as counts and shares with Wilson intervals.

    Returns flat keys ``n_respondents``, ``n_<key>``, ``share_<key>``, ``share_<key>_ci_low``,
    ``share_<key>_ci_high`` for the three keys of :data:`HEADLINES`, and the barrier shares by
    level (``barrier_share_central``, ``barrier_share_regional`` with intervals, ``barrier_mean_*``).
    With ``weights`` the shares are weighted (Kish effective n for the intervals) and every key
    gets ``suffix``.

    Examples
    --------
    >>> d = pd.DataFrame({"level": ["central", "regional"], "digital_required_at_hiring": ["no", "yes"],
    ...                   "system_difficulty": ["lack_of_experience", "no_difficulty"],
    ...                   "formal_training": ["never", "once"], "barrier_no_funding": [0, 1], "barrier_none": [1, 0]})
    >>> h = headlines(d)
    >>> h["n_not_required_at_hiring"], h["share_never_trained"], h["barrier_share_regional"]
    (1, 0.5, 1.0)
    """
    w = None if weights is None else np.asarray(weights, dtype=float)
    out: dict[str, Any] = {f"n_respondents{suffix}": int(len(df))}
    for key in HEADLINES:
        r = proportion(indicator(df, key), w, alpha)
        out[f"n_{key}{suffix}"] = r["count"]
        out[f"share_{key}{suffix}"] = r["share"]
        out[f"share_{key}_ci_low{suffix}"] = r["ci_low"]
        out[f"share_{key}_ci_high{suffix}"] = r["ci_high"]
    anyb, nb, lv = any_barrier(df), n_barriers(df), _codes(df["level"])
    for level in LEVELS:
        m = (lv == level).to_numpy()
        r = proportion(anyb[m], None if w is None else w[m], alpha)
        out[f"barrier_n_{level}{suffix}"] = r["count"]
        out[f"barrier_base_{level}{suffix}"] = r["n"]
        out[f"barrier_share_{level}{suffix}"] = r["share"]
        out[f"barrier_share_{level}_ci_low{suffix}"] = r["ci_low"]
        out[f"barrier_share_{level}_ci_high{suffix}"] = r["ci_high"]
        x = nb[m].astype(float)
        ok = x.notna().to_numpy()
        ww = np.ones(int(ok.sum())) if w is None else w[m][ok]
        out[f"barrier_mean_{level}{suffix}"] = float(np.average(x[ok], weights=ww)) if ok.any() else float("nan")
    return out


def level_comparisons(
    df: pd.DataFrame, seed: int, min_expected: float = 5.0, n_resamples: int = 100_000
) -> dict[str, dict[str, Any]]:
    """Central vs regional: difficulties, training received, any barrier (association tests) and
    number of barriers (Mann–Whitney U, two-sided, with the rank-biserial correlation).

    Returns
    -------
    dict
        ``{"difficulty": {...}, "training": {...}, "barrier": {...}}`` as from
        :func:`civcomp.stats.association.association_test`, each with its ``table`` (counts), and
        ``"n_barriers"``: ``{"u", "p", "rank_biserial", "mean_central", "mean_regional"}``.
    """
    cb = load_codebook("digital_survey")
    d = df.assign(level=_codes(df["level"]), any_barrier=any_barrier(df))
    out: dict[str, dict[str, Any]] = {}
    for key, col, cats in (
        ("difficulty", "system_difficulty", cb.categories("system_difficulty")),
        ("training", "formal_training", cb.categories("formal_training")),
    ):
        tab = crosstab(d.assign(**{col: _codes(d[col])}), "level", col).reindex(
            index=list(LEVELS), columns=cats, fill_value=0
        )
        out[key] = {
            **association_test(tab, seed=seed, min_expected=min_expected, n_resamples=n_resamples),
            "table": tab,
        }
    tab = crosstab(
        d.dropna(subset=["any_barrier"]).assign(
            any_barrier=lambda x: x["any_barrier"].map({0: "no_barrier", 1: "at_least_one"})
        ),
        "level",
        "any_barrier",
    )
    tab = tab.reindex(index=list(LEVELS), columns=["at_least_one", "no_barrier"], fill_value=0)
    out["barrier"] = {
        **association_test(tab, seed=seed, min_expected=min_expected, n_resamples=n_resamples),
        "table": tab,
    }
    nb = n_barriers(df)
    xc = nb[d["level"] == "central"].dropna().astype(float)
    xr = nb[d["level"] == "regional"].dropna().astype(float)
    mw = stats.mannwhitneyu(xr, xc, alternative="two-sided")
    out["n_barriers"] = {
        "u": float(mw.statistic),
        "p": float(mw.pvalue),
        "n_central": len(xc),
        "n_regional": len(xr),
        "rank_biserial": float(2 * mw.statistic / (len(xr) * len(xc)) - 1),
        "mean_central": float(xc.mean()),
        "mean_regional": float(xr.mean()),
    }
    return out


TEST_STATS = ("statistic", "p", "cramers_v", "cramers_v_bc", "min_expected", "df", "odds_ratio")


def publishable_headlines(h: dict[str, Any], min_cell_size: int) -> dict[str, Any]:
    """Headlines with every number about a level group of fewer than ``min_cell_size`` respondents withheld (None).

    The barrier figures are reported per level (``barrier_*_<level>``); a level with a base of
    1 … ``min_cell_size - 1`` would publish a small group's count, share, interval and mean. Any
    other count (``n_*``) below the threshold is withheld too. Zero groups disclose nothing.

    Examples
    --------
    >>> h = {"n_respondents": 7, "barrier_base_central": 4, "barrier_n_central": 3, "barrier_share_central": .75,
    ...      "barrier_base_regional": 3, "barrier_n_regional": 0, "barrier_share_regional": 0.0, "n_x": 2}
    >>> g = publishable_headlines(h, 3)
    >>> g["barrier_share_central"], g["barrier_n_regional"], g["n_x"]
    (0.75, 0, None)
    >>> publishable_headlines(h, 5)["barrier_base_central"] is None
    True
    """
    out = dict(h)
    for level in LEVELS:
        base = h.get(f"barrier_base_{level}")
        if base is not None and 0 < base < min_cell_size:
            for k in h:
                if k.startswith("barrier_") and (k.endswith(f"_{level}") or f"_{level}_" in k):
                    out[k] = None
    for k, v in h.items():
        if (k.startswith("n_") or "_n_" in k) and isinstance(v, (int, np.integer)) and 0 < v < min_cell_size:
            out[k] = None
    return out


def publishable_comparisons(comp: dict[str, dict[str, Any]], min_cell_size: int) -> dict[str, dict[str, Any]]:
    """Central-vs-regional tests with the statistics of any test on a table with a small cell withheld.

    A test statistic is a function of the table's cells: with the margins known, a chi-square
    or Fisher p-value of a 2 x k table can be inverted to its cells, and ``min_expected`` is
    ``row total x column total / n``. So a test whose table has a cell or a margin of
    1 … ``min_cell_size - 1`` is published without its numbers (``withheld=True``); the
    Mann–Whitney comparison likewise when a level has fewer than ``min_cell_size`` answers.
    """
    out: dict[str, dict[str, Any]] = {}
    for key, r in comp.items():
        r = dict(r)
        if "table" in r:
            t = np.asarray(r["table"], dtype=float)
            parts = np.concatenate([t.ravel(), t.sum(axis=0), t.sum(axis=1)])
            small = bool(((parts > 0) & (parts < min_cell_size)).any())
        else:
            small = bool(min(r.get("n_central", min_cell_size), r.get("n_regional", min_cell_size)) < min_cell_size)
        if small:
            for k in TEST_STATS + ("u", "rank_biserial", "mean_central", "mean_regional"):
                if k in r:
                    r[k] = float("nan")
        r["withheld"] = small
        out[key] = r
    return out


def comparison_summary(comp: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per central-vs-regional test (for export; ``n`` is the respondents tested)."""
    cols = {"test": "test", "p_method": "p_method", "chi2": "statistic", "df": "df", "p": "p", "cramers_v": "cramers_v"}
    cols |= {c: c for c in ("cramers_v_bc", "min_expected", "n")}
    return pd.DataFrame([{"comparison": key, **{c: comp[key][k] for c, k in cols.items()}} for key in TESTED])


def paper_tables(df: pd.DataFrame, min_cell_size: int, lang: str = "en") -> dict[str, tuple[pd.DataFrame, Any]]:
    """The paper's tables in its layout (rows = options, columns = groups, % of group, with n),
    each through disclosure control.

    Returns ``{name: (table, SuppressionResult)}`` for ``table2_challenges`` (by level),
    ``table3_responsibilities_by_position``, ``table4_responsibilities_by_area``, and
    ``barriers_by_level``, ``difficulty_by_level``, ``training_by_level`` (comparison crosstabs).
    """
    cb = load_codebook("digital_survey")
    d = df.copy()
    for col in ("level", "position", "functional_area", "system_difficulty", "formal_training"):
        d[col] = _codes(d[col])
    ms = {m.prefix: m for m in cb.multiselect}

    def labels(prefix):
        return {o: lab.get(lang, o) for o, lab in ms[prefix].labels.items()}

    out = {}
    for name, prefix, by in (
        ("table2_challenges", "challenge_", "level"),
        ("table3_responsibilities_by_position", "resp_", "position"),
        ("table4_responsibilities_by_area", "resp_", "functional_area"),
        ("barriers_by_level", "barrier_", "level"),
    ):
        counts, bases = multiselect_crosstab(d, prefix, by, options=ms[prefix].options, groups=cb.categories(by))
        out[name] = multiselect_table(counts, bases, min_cell_size, labels=labels(prefix))
    for name, col in (("difficulty_by_level", "system_difficulty"), ("training_by_level", "formal_training")):
        tab = crosstab(d, col, "level").reindex(index=cb.categories(col), columns=list(LEVELS), fill_value=0)
        out[name] = crosstab_table(tab, min_cell_size, labels={c: cb.label(col, c, lang) for c in tab.index})
    return out


def suppressed_cells(tables: dict[str, tuple[pd.DataFrame, Any]]) -> pd.DataFrame:
    """Every hidden cell of every exported table: table, row, column and one marker, ``"suppressed"``.

    Neither the value nor the reason (primary or secondary) is given: knowing which hidden cells are the
    small ones narrows every cell of a line to a range a few counts wide.
    """
    frames = [res.cells.drop(columns="count").assign(table=name) for name, (_, res) in tables.items() if len(res.cells)]
    if not frames:
        return pd.DataFrame(columns=["table", "row", "column", "status"])
    out = pd.concat(frames, ignore_index=True).assign(status=SUPPRESSED)
    return out[["table", "row", "column", "status"]]


def poststrat_weights(df: pd.DataFrame, level_shares: dict[str, float], region_weights: dict[str, float]) -> pd.Series:
    """Weights to population shares by level and, within regional bodies, by region.

    Central respondents form one stratum (their spread over regions is not a population
    quantity one can target); regional respondents are weighted to ``region_weights``.
    """
    total_r = float(sum(region_weights.values()))
    targets = {
        "central": float(level_shares["central"]),
        "regional": {r: float(level_shares["regional"]) * float(w) / total_r for r, w in region_weights.items()},
    }
    d = pd.DataFrame({"level": _codes(df["level"]), "region": _codes(df["region"])}, index=df.index)
    return poststratification_weights(d, targets, by=("level", "region"))


def regional_more_barriers(h: Mapping[str, Any]) -> bool | None:
    """Paper 000's finding that regional employees face greater barriers to training than central agencies.

    Read as the claims ledger reads it (``p000_regional_more_barriers``): the share of regional staff with at
    least one barrier to training is higher than the central share. ``None`` when either share is withheld
    (a level group below ``min_cell_size``, :func:`publishable_headlines`).

    Examples
    --------
    >>> regional_more_barriers({"barrier_share_central": 0.55, "barrier_share_regional": 0.85})
    True
    >>> regional_more_barriers({"barrier_share_central": None, "barrier_share_regional": 0.85}) is None
    True
    """
    central, regional = h["barrier_share_central"], h["barrier_share_regional"]
    return None if central is None or regional is None else bool(regional > central)


def results(data: Mapping[str, pd.DataFrame], params: Mapping[str, Any]) -> Published:
    """Everything notebook 02 publishes: the four findings, Tables 2-4, the central-vs-regional tests, weights.

    Parameters
    ----------
    data : mapping
        ``digital_survey`` as :func:`civcomp.io.load.load` returns it.
    params : mapping
        Notebook 02's resolved parameters (:func:`civcomp.io.params.resolve`): ``confidence``, ``seed``,
        ``min_cell_size``, ``label_language``, ``min_expected``, ``fisher_resamples``, ``poststratify``,
        ``population_level_shares``, ``population_region_weights``.

    Returns
    -------
    Published
        ``values``: every key of ``outputs/results/02_digital_survey.json`` (a small level group's numbers
        withheld as null); ``tables``: the paper's tables, ``central_vs_regional_tests`` and
        ``suppressed_cells``, in export order; ``parts``: ``paper_tables`` (each with its suppression),
        ``comparisons``, ``weights`` (when post-stratified) and ``groups`` (codes and labels of each grouping).

    Examples
    --------
    >>> from civcomp import paths
    >>> from civcomp.io import ledger, params
    >>> from civcomp.synth.digital_survey import generate
    >>> cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "digital_survey.yaml"))
    >>> survey = generate(cfg, np.random.default_rng(1))["digital_survey"]
    >>> r = results({"digital_survey": survey}, {**params.snapshot().steps["02_digital_survey"], "fisher_resamples": 200})
    >>> r.values["n_respondents"], r.values["regional_more_barriers"], list(r.tables)[0]
    (200, True, 'table2_challenges')
    """
    survey = data["digital_survey"]
    alpha, k = 1 - params["confidence"], params["min_cell_size"]
    h = publishable_headlines(headlines(survey, alpha=alpha), k)  # small level groups withheld
    values: dict[str, Any] = dict(h)
    paper = paper_tables(survey, k, lang=params["label_language"])
    tables = {name: table for name, (table, _) in paper.items()}

    tests = {"min_expected": params["min_expected"], "n_resamples": params["fisher_resamples"]}
    comp = publishable_comparisons(level_comparisons(survey, seed=params["seed"], **tests), k)
    tables["central_vs_regional_tests"] = comparison_summary(comp)
    values.update({f"{key}_{name}": comp[key][stat] for key in TESTED for name, stat in TEST_KEYS.items()})
    values["barrier_mean_test_p"] = comp["n_barriers"]["p"]
    values["barrier_rank_biserial"] = comp["n_barriers"]["rank_biserial"]
    values["regional_more_barriers"] = regional_more_barriers(h)

    parts: dict[str, Any] = {"paper_tables": paper, "comparisons": comp}
    if params["poststratify"]:
        weights = poststrat_weights(survey, params["population_level_shares"], params["population_region_weights"])
        hw = headlines(survey, alpha=alpha, weights=weights, suffix="_weighted")
        values.update({key: v for key, v in hw.items() if key.startswith("share_")})
        values["kish_effective_n"] = kish_effective_n(weights)
        parts["weights"] = weights

    suppressed = suppressed_cells(paper)
    tables["suppressed_cells"] = suppressed
    values["n_suppressed_cells"] = len(suppressed)

    cb = load_codebook("digital_survey")
    parts["groups"] = {
        field: (
            list(LEVELS) if field == "level" else cb.categories(field),
            {c: cb.label(field, c, params["label_language"]) for c in cb.categories(field)},
        )
        for field in GROUPINGS
    }
    return Published(values, tables, parts)
