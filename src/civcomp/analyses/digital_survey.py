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

Size: one job, what notebook 02 publishes from the survey: the findings, the paper's tables, the level tests and
the post-stratified shares, each with what must be withheld for it to be published.

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

from civcomp.analyses.published import Published, suppress_whole
from civcomp.io.codebook import load_codebook
from civcomp.stats.association import association_test
from civcomp.stats.crosstabs import crosstab, crosstab_table, multiselect_crosstab, multiselect_table
from civcomp.stats.disclosure import SUPPRESSED
from civcomp.stats.estimates import kish_effective_n, proportion, publishable_share
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


def publishable_headlines(
    h: dict[str, Any],
    min_cell_size: int,
    level_sizes: Mapping[str, int] | None = None,
    bases: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Headlines with every number that would give a count of 1 … ``min_cell_size - 1`` back withheld (None).

    The barrier figures are reported per level (``barrier_*_<level>``); a level with a base of
    1 … ``min_cell_size - 1`` would publish a small group's count, share, interval and mean. Any
    other count (``n_*``) below the threshold is withheld too. Zero groups disclose nothing.
    A share and its interval are withheld with the count they come from — and when the complement
    (answered without the attribute) or the unanswered are small, since ``n_respondents`` is published
    and ``share = count / base`` gives them back (:func:`civcomp.stats.estimates.publishable_share`):
    the three make one line adding up to the group (``n_respondents``, or ``level_sizes[level]`` for the
    barrier shares). ``bases`` gives each headline's answered base (by :data:`HEADLINES` key); without it
    every respondent is taken to have answered.

    Examples
    --------
    >>> h = {"n_respondents": 7, "barrier_base_central": 4, "barrier_n_central": 3, "barrier_share_central": .75,
    ...      "barrier_base_regional": 3, "barrier_n_regional": 0, "barrier_share_regional": 0.0, "n_x": 2}
    >>> g = publishable_headlines(h, 3)
    >>> g["barrier_share_central"], g["barrier_n_regional"], g["n_x"]
    (None, 0, None)
    >>> publishable_headlines(h, 5)["barrier_base_central"] is None
    True
    >>> g = publishable_headlines({"n_respondents": 58, "n_never_trained": 1, "share_never_trained": 1 / 58}, 5)
    >>> g["n_never_trained"], g["share_never_trained"]  # 1/58 would give the hidden count back
    (None, None)
    """
    out = dict(h)
    k = int(min_cell_size)

    def line(count_key: str, base: int, group: int, share_stem: str) -> None:
        r = publishable_share({"count": h[count_key], "n": base}, group, k)
        if r["count"] is None:
            out[count_key] = None
        if r["withheld"]:
            for key in h:
                if key == share_stem or key.startswith(f"{share_stem}_ci_"):
                    out[key] = None

    for key in HEADLINES:
        if f"n_{key}" in h and f"share_{key}" in h:
            base = int((bases or {}).get(key, h["n_respondents"]))
            line(f"n_{key}", base, h["n_respondents"], f"share_{key}")
    for level in LEVELS:
        base = h.get(f"barrier_base_{level}")
        if base is None:
            continue
        if 0 < base < k:
            for key in h:
                if key.startswith("barrier_") and (key.endswith(f"_{level}") or f"_{level}_" in key):
                    out[key] = None
            continue
        group = int((level_sizes or {}).get(level, base))
        line(f"barrier_n_{level}", base, group, f"barrier_share_{level}")
    for key, v in h.items():
        if (key.startswith("n_") or "_n_" in key) and isinstance(v, (int, np.integer)) and 0 < v < k:
            out[key] = None
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


POOLED = "other_regions"  # the stratum of the regions with fewer than min_cell_size respondents
FEW_STRATA = 3  # with this many strata or fewer, weighted and unweighted shares together give each stratum's count


def poststrat_plan(
    df: pd.DataFrame, level_shares: dict[str, float], region_weights: dict[str, float], min_cell_size: int = 1
) -> dict[str, Any]:
    """The strata post-stratification can use on this sample, and what was pooled or dropped to get them.

    Central respondents form one stratum; regional respondents one per region. A region with fewer than
    ``min_cell_size`` respondents (none included), and regional respondents without a region, are **pooled**
    into one stratum, ``other_regions``, whose target is the sum of their regions' targets: no stratum of one
    or two respondents carries a weight of its own (its answers could be read back from a weighted share, and
    its weight would dominate the variance). A pooled stratum with no respondents is **dropped** and the other
    regions' targets are renormalised so that the regional level keeps its population share; one with
    1 … ``min_cell_size - 1`` respondents is merged into the smallest region stratum. A level with no
    respondents is dropped (the other level then stands for the whole population); a level with
    1 … ``min_cell_size - 1`` respondents leaves nothing safe to weight: ``withheld`` says why.

    Returns
    -------
    dict
        ``stratum`` (one label per respondent, or None when withheld), ``targets`` (population share per
        stratum, summing to 1), ``pooled`` (regions pooled, sorted), ``dropped`` (strata dropped: a level, or
        ``other_regions``), ``merged_into`` (the region the pooled stratum joined, or None), ``withheld``
        (a reason, or None).

    Examples
    --------
    >>> d = pd.DataFrame({"level": ["central"] * 6 + ["regional"] * 8, "region": ["abai"] * 6 + ["abai"] * 6 + ["akmola"] * 2})
    >>> plan = poststrat_plan(d, {"central": 0.3, "regional": 0.7}, {"abai": 1, "akmola": 1, "aktobe": 2}, 5)
    >>> plan["pooled"], plan["merged_into"], plan["targets"]
    (['akmola', 'aktobe'], 'abai', {'central': 0.3, 'abai': 0.7})
    """
    k = int(min_cell_size)
    level = _codes(df["level"])
    region = _codes(df["region"])
    sizes = level.value_counts()
    plan: dict[str, Any] = {"stratum": None, "targets": {}, "pooled": [], "dropped": [], "merged_into": None}
    plan["withheld"] = None
    small = [lv for lv in LEVELS if 0 < sizes.get(lv, 0) < k]
    if small:
        plan["withheld"] = f"the {small[0]} level has fewer than {k} respondents: no weight is safe to publish"
        return plan
    present = [lv for lv in LEVELS if sizes.get(lv, 0) > 0]
    plan["dropped"] = [lv for lv in LEVELS if lv not in present]
    is_reg = (level == "regional").to_numpy()
    counts = region[is_reg].value_counts()
    weights = {r: float(w) for r, w in region_weights.items()}
    kept = [r for r in weights if counts.get(r, 0) >= k]
    plan["pooled"] = sorted(r for r in weights if r not in kept)
    stratum = level.copy()
    reg_stratum = region.where(region.isin(kept), POOLED)
    stratum[is_reg] = reg_stratum[is_reg]
    pooled_n = int((stratum[is_reg] == POOLED).sum())
    reg_targets = {r: weights[r] for r in kept}
    if plan["pooled"] and pooled_n == 0:
        plan["dropped"].append(POOLED)
    elif plan["pooled"] or pooled_n:
        pooled_w = sum(weights[r] for r in plan["pooled"])
        if pooled_n >= k or not kept:
            reg_targets[POOLED] = pooled_w
        else:  # 1 … k-1 respondents: join the smallest region stratum (ties by name)
            into = min(kept, key=lambda r: (int(counts[r]), r))
            reg_targets[into] += pooled_w
            stratum[is_reg & (stratum == POOLED).to_numpy()] = into
            plan["merged_into"] = into
    share = {lv: float(level_shares[lv]) for lv in present}
    total = sum(share.values())
    targets: dict[str, float] = {}
    if "central" in present:
        targets["central"] = share["central"] / total
    if "regional" in present:
        reg_total = sum(reg_targets.values())
        targets.update({r: share["regional"] / total * w / reg_total for r, w in reg_targets.items()})
    plan["stratum"], plan["targets"] = stratum, targets
    return plan


def poststrat_weights(
    df: pd.DataFrame, level_shares: dict[str, float], region_weights: dict[str, float], min_cell_size: int = 1
) -> pd.Series | None:
    """Weights to population shares by level and, within regional bodies, by region (:func:`poststrat_plan`).

    Central respondents form one stratum (their spread over regions is not a population
    quantity one can target); regional respondents are weighted to ``region_weights``. Regions with
    fewer than ``min_cell_size`` respondents are pooled, an empty stratum is dropped and the targets
    renormalised (with the default 1, only empty regions are pooled, and dropped). None when the plan
    withholds the weights (a level with 1 … ``min_cell_size - 1`` respondents).
    """
    plan = poststrat_plan(df, level_shares, region_weights, min_cell_size)
    if plan["withheld"]:
        return None
    return poststratification_weights(pd.DataFrame({"s": plan["stratum"]}, index=df.index), plan["targets"], by=("s",))


def weighted_headlines(
    df: pd.DataFrame, plan: dict[str, Any], published: Mapping[str, Any], alpha: float, min_cell_size: int
) -> dict[str, Any]:
    """The post-stratified headline shares that may be published, with Kish's effective n.

    A weighted share is published only where its unweighted share is (:func:`publishable_headlines`), and,
    when the plan has :data:`FEW_STRATA` strata or fewer, only where every stratum's count and complement
    are 0 or at least ``min_cell_size``: with two strata, the weighted and the unweighted share are two
    equations that give each stratum's count back. Withheld shares are None.
    """
    stratum = plan["stratum"]
    weights = poststratification_weights(pd.DataFrame({"s": stratum}, index=df.index), plan["targets"], by=("s",))
    hw = headlines(df, alpha=alpha, weights=weights, suffix="_weighted")
    out: dict[str, Any] = {key: v for key, v in hw.items() if key.startswith("share_")}
    k = int(min_cell_size)
    for key in HEADLINES:
        ok = published.get(f"share_{key}") is not None
        if ok and len(plan["targets"]) <= FEW_STRATA:
            ind = indicator(df, key)
            by = pd.DataFrame({"s": stratum.to_numpy(), "x": ind.to_numpy()}).dropna()
            g = by.groupby("s")["x"].agg(["sum", "count"])
            cells = np.concatenate([g["sum"].to_numpy(), (g["count"] - g["sum"]).to_numpy()])
            ok = not ((cells > 0) & (cells < k)).any()
        if not ok:
            out.update({f"share_{key}{s}_weighted": None for s in ("", "_ci_low", "_ci_high")})
    out["kish_effective_n"] = kish_effective_n(weights)
    return out


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
        ``values``: every key of ``outputs/results/02_digital_survey.json`` (a small level group's numbers, and
        every count or share that would give a small count back, withheld as null; ``poststrat_*``: what
        post-stratification pooled, dropped or withheld; ``suppressed_tables``: tables emptied whole, with why);
        ``tables``: the paper's tables, ``central_vs_regional_tests`` and ``suppressed_cells``, in export order;
        ``parts``: ``paper_tables`` (each with its suppression), ``comparisons``, ``poststrat_plan`` (when
        post-stratified, :func:`poststrat_plan`) and ``groups`` (codes and labels of each grouping).

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
    levels = _codes(survey["level"]).value_counts()
    bases = {key: int(indicator(survey, key).notna().sum()) for key in HEADLINES}
    # counts of 1 … k-1, and every share that would give one back, withheld
    h = publishable_headlines(headlines(survey, alpha=alpha), k, {lv: int(levels.get(lv, 0)) for lv in LEVELS}, bases)
    values: dict[str, Any] = dict(h)
    paper = paper_tables(survey, k, lang=params["label_language"])
    tables, whole = {}, {}
    for name, (table, _) in paper.items():
        tables[name], why = suppress_whole(table, k, len(survey))
        if why:
            whole[name] = why

    tests = {"min_expected": params["min_expected"], "n_resamples": params["fisher_resamples"]}
    comp = publishable_comparisons(level_comparisons(survey, seed=params["seed"], **tests), k)
    tables["central_vs_regional_tests"] = comparison_summary(comp)
    values.update({f"{key}_{name}": comp[key][stat] for key in TESTED for name, stat in TEST_KEYS.items()})
    values["barrier_mean_test_p"] = comp["n_barriers"]["p"]
    values["barrier_rank_biserial"] = comp["n_barriers"]["rank_biserial"]
    values["regional_more_barriers"] = regional_more_barriers(h)

    parts: dict[str, Any] = {"paper_tables": paper, "comparisons": comp}
    if params["poststratify"]:
        plan = poststrat_plan(
            survey, params["population_level_shares"], params["population_region_weights"], min_cell_size=k
        )
        values["poststrat_strata"] = len(plan["targets"])
        values["poststrat_pooled_regions"] = plan["pooled"]
        values["poststrat_dropped_strata"] = plan["dropped"]
        values["poststrat_merged_into"] = plan["merged_into"]
        values["poststrat_withheld"] = plan["withheld"]
        if plan["withheld"]:
            values.update({f"share_{key}{s}_weighted": None for key in HEADLINES for s in ("", "_ci_low", "_ci_high")})
            values["kish_effective_n"] = None
        else:
            values.update(weighted_headlines(survey, plan, h, alpha, k))
        parts["poststrat_plan"] = plan

    suppressed = suppressed_cells(paper)
    if whole:  # every cell of these tables, one line each
        extra = pd.DataFrame({"table": list(whole), "row": "all", "column": "all", "status": SUPPRESSED})
        suppressed = pd.concat([suppressed[~suppressed["table"].isin(whole)], extra], ignore_index=True)
    values["suppressed_tables"] = whole
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
