"""Synthetic twin of the innovative-capacity survey of paper 003 (``capacity_survey``).

The generative model has three layers:

1. **Population correlation matrix** of the nine Table 3 items on the observed 1-10
   scale: the matrix closest to a one-factor model (smallest residual sum of
   squares) whose one-component PCA communalities and KMO equal Table 3, with
   only the first eigenvalue above 1. Found once by :func:`calibrate_population_corr`
   (SLSQP, about ten seconds) and committed as ``capacity_population_corr.csv``;
   ``python -m civcomp.synth.capacity --calibrate`` regenerates it.
2. **Latent scores**: multivariate normal draws, whitened so their sample
   correlation is exactly the latent matrix, cut into 1-10 by rank with exact
   category counts taken from a censored-normal marginal per item.
3. **Realised-sample recalibration** (:func:`match_sample_corr`): the latent
   correlation is corrected by fixed-point iteration on the same draws until the
   Pearson correlation of the *discretised* regional sample equals the population
   matrix, so KMO and communalities hold on the file itself, for any seed.

Demographics and shares are exact counts (largest remainder) randomly permuted.

References
----------
Bokayev, B., Amirova, A. & Kosherbayeva, A. Building Innovative Capacity of Public
Servants: The Case of Kazakhstan (paper 003), Methodology and Findings, Table 3.
Kaiser, H. F. (1970). A second generation little jiffy. Psychometrika 35, 401-415.

Size: one job, one generator whose calibration (population correlation, exact marginals) must be read in one place.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

from civcomp import paths
from civcomp.analyses.capacity import ITEMS
from civcomp.io import ledger, params
from civcomp.io.params import ParamsError
from civcomp.stats.efa.adequacy import kmo
from civcomp.synth.rounding import exact_counts

COLUMNS = (
    "respondent_id",
    "level",
    "region",
    "position_level",
    "gender",
    "age",
    "reason",
    *ITEMS,
    "overall_competency",
    "reform_rating",
)
MISSING_CODE = 99
CFG_FILE = "params/synthetic/capacity_survey.yaml"
CORR_FILE = Path(__file__).with_name("capacity_population_corr.csv")
SCALE = np.arange(1, 11)


# ----------------------------------------------------------------- statistics
def pca_communalities(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending) and one-component PCA communalities (SPSS default).

    Loadings of the first component are ``v1 * sqrt(lambda1)``; a communality is the
    squared loading, so the communalities sum to ``lambda1``.

    Examples
    --------
    >>> ev, h = pca_communalities(np.array([[1, .6], [.6, 1]]))
    >>> ev.round(2).tolist(), h.round(2).tolist()
    ([1.6, 0.4], [0.8, 0.8])
    """
    w, v = np.linalg.eigh(r)
    w, v = w[::-1], v[:, ::-1]
    return w, v[:, 0] ** 2 * w[0]


# ------------------------------------------------- layer 1: population matrix
def calibrate_population_corr(
    communalities,
    kmo_target: float,
    max_second_eigenvalue: float = 0.95,
    min_eigenvalue: float = 0.15,
    min_corr: float = 0.05,
) -> np.ndarray:
    """Correlation matrix closest to a one-factor model with given PCA communalities and KMO.

    Minimises the squared off-diagonal residuals from a one-factor model
    ``lambda lambda'`` subject to: PCA communalities equal ``communalities``, KMO equals
    ``kmo_target``, second eigenvalue <= ``max_second_eigenvalue`` (so Kaiser's rule keeps
    one component), smallest eigenvalue >= ``min_eigenvalue`` and every correlation
    >= ``min_corr``. Deterministic (fixed start, SLSQP); takes about ten seconds.

    References
    ----------
    Kraft, D. (1988). A software package for sequential quadratic programming. DFVLR-FB 88-28.

    Examples
    --------
    >>> r = calibrate_population_corr([.7, .6, .5, .4], kmo_target=.70)
    >>> round(kmo(r)[0], 4), pca_communalities(r)[1].round(4).tolist()
    (0.7, [0.7, 0.6, 0.5, 0.4])
    """
    h = np.asarray(communalities, dtype=float)
    k = len(h)
    iu = np.triu_indices(k, 1)
    cache: dict[bytes, tuple] = {}

    def feats(x):  # one eigen/inverse per trial point, shared by all constraints
        key = x.tobytes()
        if key not in cache:
            r = np.outer(x[:k], x[:k])
            e = np.zeros((k, k))
            e[iu] = x[k:]
            r = r + e + e.T
            np.fill_diagonal(r, 1.0)
            w, hh = pca_communalities(r)
            cache.clear()
            cache[key] = (r, w, hh, kmo(r)[0])
        return cache[key]

    cons = [
        {"type": "eq", "fun": lambda x: feats(x)[2] - h},
        {"type": "eq", "fun": lambda x: np.array([feats(x)[3] - kmo_target])},
        {
            "type": "ineq",
            "fun": lambda x: np.array([max_second_eigenvalue - feats(x)[1][1], feats(x)[1][-1] - min_eigenvalue]),
        },
        {"type": "ineq", "fun": lambda x: feats(x)[0][iu] - min_corr},
    ]
    x0 = np.r_[0.9 * np.sqrt(h), np.zeros(len(iu[0]))]
    res = optimize.minimize(
        lambda x: float((x[k:] ** 2).sum()),
        x0,
        jac=lambda x: np.r_[np.zeros(k), 2 * x[k:]],
        constraints=cons,
        method="SLSQP",
        options={"maxiter": 1000, "ftol": 1e-14},
    )
    r = feats(res.x)[0]
    check_population_corr(r, h, kmo_target, tol=1e-6)
    return r


def check_population_corr(r: np.ndarray, communalities, kmo_target: float, tol: float = 1e-4) -> None:
    """Raise :class:`~civcomp.io.params.ParamsError` unless ``r`` is a PD correlation matrix meeting the targets."""
    w, h = pca_communalities(r)
    problems = []
    if not np.allclose(r, r.T) or not np.allclose(np.diag(r), 1) or w[-1] <= 0:
        problems.append("not a positive-definite correlation matrix")
    if np.max(np.abs(h - np.asarray(communalities))) > tol:
        problems.append(f"communalities {np.round(h, 4).tolist()} != targets")
    if abs(kmo(r)[0] - kmo_target) > tol:
        problems.append(f"KMO {kmo(r)[0]:.4f} != {kmo_target}")
    if not (w[0] > 1 > w[1]):
        problems.append(f"eigenvalues {np.round(w[:2], 3).tolist()}: need only the first above 1")
    if problems:
        raise ParamsError(
            f"{CORR_FILE.name}: " + "; ".join(problems) + " (regenerate: python -m civcomp.synth.capacity --calibrate)"
        )


def write_population_corr(cfg: dict, path: Path = CORR_FILE) -> np.ndarray:
    """Run :func:`calibrate_population_corr` on ``cfg['factor_model']`` and write ``path`` (CSV, 8 decimals)."""
    fm = cfg["factor_model"]
    r = calibrate_population_corr(
        [fm["communalities"][i] for i in ITEMS], fm["kmo"], **fm.get("population_constraints", {})
    )
    df = pd.DataFrame(r, index=pd.Index(ITEMS, name="item"), columns=ITEMS)
    path.write_text(df.to_csv(float_format="%.8f", lineterminator="\n"), encoding="utf-8")
    return r


def read_population_corr(path: Path = CORR_FILE) -> np.ndarray:
    """The committed population correlation matrix, rows and columns in :data:`ITEMS` order."""
    df = pd.read_csv(path, index_col="item")
    return df.loc[list(ITEMS), list(ITEMS)].to_numpy(dtype=float)


# ---------------------------------------------------- layer 2: discretisation


def censored_normal_pmf(mean: float, sd: float) -> np.ndarray:
    """Probabilities of 1..10 for a normal response rounded to the scale and censored at its ends.

    Examples
    --------
    >>> p = censored_normal_pmf(7.0, 2.0)
    >>> round(float(p.sum()), 12), int(p.argmax()) + 1
    (1.0, 7)
    """
    cdf = stats.norm.cdf((np.arange(1.5, 10, 1.0) - mean) / sd)
    return np.diff(np.r_[0.0, cdf, 1.0])


def discretise_by_rank(z: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Map a latent vector to 1..len(counts) by rank: the lowest ``counts[0]`` get 1, and so on.

    Examples
    --------
    >>> discretise_by_rank(np.array([.3, -1., 2., .1]), np.array([2, 1, 1])).tolist()
    [2, 1, 3, 1]
    """
    out = np.empty(len(z), dtype=np.int64)
    out[np.argsort(z, kind="stable")] = np.repeat(np.arange(1, len(counts) + 1), counts)
    return out


def _whiten(e: np.ndarray) -> np.ndarray:
    """Centre and rotate draws so their sample covariance is exactly the identity."""
    e = e - e.mean(axis=0)
    chol = np.linalg.cholesky(np.cov(e, rowvar=False))
    return np.linalg.solve(chol, e.T).T


def _discretise(e: np.ndarray, r_latent: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = e @ np.linalg.cholesky(r_latent).T
    x = np.column_stack([discretise_by_rank(z[:, j], counts[j]) for j in range(z.shape[1])])
    return z, x


# ------------------------------------------- layer 3: realised recalibration
def match_sample_corr(
    e: np.ndarray,
    target: np.ndarray,
    counts: np.ndarray,
    tol: float = 2e-5,
    max_iter: int = 60,
    min_step: float = 1e-3,
    rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Latent correlation whose discretised sample reproduces ``target`` (Pearson) on draws ``e``.

    Fixed-point iteration ``R_latent += a * (target - corr(discretised))`` with the draws held
    fixed (common random numbers): it removes both the attenuation caused by cutting into
    1-10 and the sampling error of this particular sample. Cutting makes the map rough at
    the 1e-3 scale, so a step that does not improve the largest gap is retried from the best
    point with half the size ``a`` (and a successful one grows it again); the search stops
    when the gap is below ``tol`` or ``a`` below ``min_step``. With ``rows`` (a boolean mask) the
    correlation matched is that of those rows only: the complete cases a listwise analysis keeps.

    Returns
    -------
    x, z, r_latent, err : discretised items, latent scores, latent correlation and the
        largest absolute gap between the realised and the target correlations.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> t = np.array([[1, .5], [.5, 1]])
    >>> x, z, rl, err = match_sample_corr(_whiten(rng.standard_normal((2000, 2))), t,
    ...                                   np.array([[200] * 10] * 2))
    >>> bool(err < 1e-3), bool(rl[0, 1] > .5)
    (True, True)
    """
    r_lat, a = target.copy(), 1.0
    best = (np.inf, None, None, None, None)
    for _ in range(max_iter):
        z, x = _discretise(e, r_lat, counts)
        gap = target - np.corrcoef(x if rows is None else x[rows], rowvar=False)
        err = float(np.abs(gap).max())
        if err < best[0]:
            best, a = (err, x, z, r_lat, gap), min(1.0, 1.5 * a)
        else:
            a *= 0.5
        if best[0] < tol or a < min_step:
            break
        step = best[3] + a * best[4]
        if np.linalg.eigvalsh(step)[0] <= 1e-3:  # keep the latent matrix positive definite
            a *= 0.5
            continue
        r_lat = step
    err, x, z, r_lat, _ = best
    return x, z, r_lat, err


# ------------------------------------------------------------------ generate
def _pmf(spec: dict) -> np.ndarray:
    return censored_normal_pmf(float(spec["mean"]), float(spec["sd"]))


def _exact_sum_counts(sd: float, n: int, mean: float) -> np.ndarray:
    """Counts of 1..10 whose scores sum to ``round(mean * n)``, so the sample mean prints as ``mean``.

    The censored normal's location is solved so its mean is ``mean``; the remaining rounding
    gap (a few points) is closed by moving that many respondents one step next to the mode."""
    mu = optimize.brentq(lambda m: censored_normal_pmf(m, sd) @ SCALE - mean, 1.0, 10.0)
    c = exact_counts(censored_normal_pmf(mu, sd), n)
    gap = int(round(mean * n)) - int(c @ SCALE)
    mode = int(np.argmax(c))
    dst = mode + 1 if gap > 0 else mode - 1
    c[mode] -= abs(gap)
    c[dst] += abs(gap)
    return c


def _truncnorm_int(rng: np.random.Generator, mean: np.ndarray, sd: float, lo: int, hi: int) -> np.ndarray:
    """Integer ages from a normal truncated to [lo - .5, hi + .5] (inverse CDF), rounded."""
    a, b = stats.norm.cdf((lo - 0.5 - mean) / sd), stats.norm.cdf((hi + 0.5 - mean) / sd)
    u = rng.uniform(size=len(mean))
    x = mean + sd * stats.norm.ppf(a + u * (b - a))
    return np.clip(np.rint(x), lo, hi).astype(np.int64)


def _force_median(age: np.ndarray, median: int, rng: np.random.Generator) -> np.ndarray:
    """Move the fewest respondents next to the median onto it so the sample median is ``median``."""
    age = age.copy()
    n = len(age)
    lo, hi = (n - 1) // 2, n // 2  # the middle position(s) of the sorted sample must hold `median`
    below, above = np.flatnonzero(age < median), np.flatnonzero(age > median)
    for side, limit in ((below, lo), (above, n - 1 - hi)):
        excess = len(side) - limit
        if excess > 0:  # take those closest to the median first, ties broken at random
            closest = side[np.lexsort((rng.permutation(len(side)), np.abs(age[side] - median)))]
            age[closest[:excess]] = median
    return age


def _demographics(rng, n: int, cfg: dict, regions: dict) -> dict[str, np.ndarray]:
    """Exact-count region, position, gender, reason; ages by position, median forced."""
    reg = np.repeat(list(regions), exact_counts(list(regions.values()), n))
    n_exec = int(exact_counts([cfg["share_executive"], 1 - cfg["share_executive"]], n)[0])
    n_female = int(exact_counts([cfg["share_female"], 1 - cfg["share_female"]], n)[0])
    # joint position x gender table with both margins exact: women are somewhat rarer among managers
    n_man_f = int(round((n - n_exec) * cfg["share_female_among_managerial"]))
    cells = [n_female - n_man_f, n_exec - n_female + n_man_f, n_man_f, n - n_exec - n_man_f]
    if min(cells) < 0:
        raise ParamsError(
            f"{CFG_FILE}: share_female_among_managerial is incompatible with the "
            f"executive and female shares (negative cell in {cells})"
        )
    pos_gender = np.repeat(["executive|female", "executive|male", "managerial|female", "managerial|male"], cells)
    reasons = cfg["reasons"]
    reason = np.repeat(list(reasons), exact_counts(list(reasons.values()), n))
    reg, pos_gender, reason = rng.permutation(reg), rng.permutation(pos_gender), rng.permutation(reason)
    position = np.array([s.split("|")[0] for s in pos_gender])
    gender = np.array([s.split("|")[1] for s in pos_gender])
    a = cfg["age"]
    mean = np.where(position == "managerial", a["mean_managerial"], a["mean_executive"]).astype(float)
    age = _truncnorm_int(rng, mean, float(a["sd"]), int(a["min"]), int(a["max"]))
    if cfg.get("median_age") is not None:
        age = _force_median(age, int(cfg["median_age"]), rng)
    return {"region": reg, "position_level": position, "gender": gender, "age": age, "reason": reason}


def item_nonresponse(rng: np.random.Generator, demo: dict[str, np.ndarray], cfg: dict | None) -> np.ndarray:
    """Which of the nine item answers are missing: a boolean ``(n, 9)`` mask, missing at random (MAR).

    Item ``j`` misses exactly ``round(rates[j] * n)`` answers, drawn without replacement with weights
    ``exp(eta_i + u_i)`` (Gumbel top-k): ``eta`` rises by ``age_per_decade`` per decade of age above the
    sample's median and shifts by ``managerial`` for managers (observed covariates, so the data are MAR),
    ``u ~ N(0, respondent_sd)`` is a respondent's own propensity to skip, shared by the nine items, so
    nonresponse clusters in respondents as in real surveys. ``cfg`` None or without rates: nothing missing.

    Examples
    --------
    >>> demo = {"age": np.arange(20, 60), "position_level": np.array(["executive", "managerial"] * 20)}
    >>> cfg = {"rates": dict.fromkeys(ITEMS, 0.05), "age_per_decade": 0.5, "managerial": -0.5, "respondent_sd": 1}
    >>> item_nonresponse(np.random.default_rng(1), demo, cfg).sum(axis=0).tolist()
    [2, 2, 2, 2, 2, 2, 2, 2, 2]
    """
    n = len(demo["age"])
    if not cfg or not cfg.get("rates"):
        return np.zeros((n, len(ITEMS)), dtype=bool)
    age = demo["age"].astype(float)
    eta = float(cfg.get("age_per_decade", 0)) * (age - np.median(age)) / 10
    eta = eta + float(cfg.get("managerial", 0)) * (demo["position_level"] == "managerial")
    u = rng.normal(scale=float(cfg.get("respondent_sd", 0)), size=n)
    keys = (eta + u)[:, None] + rng.gumbel(size=(n, len(ITEMS)))
    mask = np.zeros((n, len(ITEMS)), dtype=bool)
    for j, item in enumerate(ITEMS):
        k = int(round(float(cfg["rates"][item]) * n))
        if k:
            mask[np.argpartition(-keys[:, j], k - 1)[:k], j] = True
    return mask


def _block(rng, n: int, cfg: dict, regions: dict, r_target: np.ndarray, r_latent: np.ndarray | None):
    """One sample (regional or central): demographics, the nine items (with their nonresponse), Q9 and reform.

    With ``r_latent`` None the items are recalibrated on this sample's complete cases (regional: Table 3
    is a listwise analysis); otherwise the given latent correlation is used as is (central)."""
    demo = _demographics(rng, n, cfg, regions)
    missing = item_nonresponse(rng, demo, cfg.get("item_nonresponse"))
    gm = cfg["item_marginals"]
    counts = np.array([exact_counts(_pmf(gm[i]), n) for i in ITEMS])
    e = _whiten(rng.standard_normal((n, len(ITEMS))))
    if r_latent is None:
        x, z, r_latent, err = match_sample_corr(
            e, r_target, counts, **cfg.get("recalibration", {}), rows=~missing.any(axis=1)
        )
        if err > 1e-3:  # never seen with the committed settings; extreme marginals could cause it
            warnings.warn(
                f"capacity_survey: realised item correlations miss the population matrix by "
                f"up to {err:.4f}; Table 3 targets may not be met",
                stacklevel=3,
            )
    else:
        z, x = _discretise(e, r_latent, counts)
    # general factor score of the latent items drives Q9 and the reform rating (mild links)
    w = np.linalg.eigh(r_latent)[1][:, -1]
    g = z @ (w * np.sign(w.sum()))
    g = (g - g.mean()) / g.std()
    extra = rng.standard_normal((n, 2))
    q9c, rfc = cfg["overall_competency"], cfg["reform_rating"]
    comp = z[:, ITEMS.index("competencies")]
    q9_z = q9c["loading_competencies"] * comp + q9c["loading_general"] * g + extra[:, 0]
    rf_z = rfc["loading_general"] * g + extra[:, 1]
    q9 = discretise_by_rank(q9_z, exact_counts(_pmf(q9c), n))
    reform = discretise_by_rank(rf_z, _exact_sum_counts(float(rfc["sd"]), n, float(rfc["target_mean"])))
    x = np.where(missing, MISSING_CODE, x)
    items = {name: x[:, j] for j, name in enumerate(ITEMS)}
    return {**demo, **items, "overall_competency": q9, "reform_rating": reform}, r_latent


def check_cfg(cfg: dict) -> None:
    """Raise :class:`~civcomp.io.params.ParamsError` naming the key of the first malformed setting."""

    def get(path):
        node = cfg
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                raise ParamsError(f"{CFG_FILE}: missing key {path!r}")
            node = node[key]
        return node

    def share(path):
        v = get(path)
        if not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ParamsError(f"{CFG_FILE}: {path} must be a share between 0 and 1, got {v!r}")

    n_total, n_reg = get("n_total"), get("n_regional")
    if not (isinstance(n_total, int) and isinstance(n_reg, int) and 0 < n_reg < n_total):
        raise ParamsError(f"{CFG_FILE}: need integers 0 < n_regional < n_total, got {n_reg!r}, {n_total!r}")
    for block in ("regional", "central"):
        for key in ("share_executive", "share_female"):
            share(f"{block}.{key}")
        for key in ("reasons", "region_weights"):
            if not isinstance(get(f"{block}.{key}"), dict) or not get(f"{block}.{key}"):
                raise ParamsError(f"{CFG_FILE}: {block}.{key} must be a non-empty mapping")
    share("sample.share_female_among_managerial")
    share("factor_model.kmo")
    for path in ("factor_model.communalities", "sample.item_marginals"):
        if sorted(get(path)) != sorted(ITEMS):
            raise ParamsError(f"{CFG_FILE}: {path} must have exactly the keys {list(ITEMS)}")
    for path in ("sample.age", "sample.overall_competency", "sample.reform_rating.target_mean"):
        get(path)
    nonresponse = cfg["sample"].get("item_nonresponse")
    if nonresponse:
        rates = get("sample.item_nonresponse.rates")
        if not isinstance(rates, dict) or sorted(rates) != sorted(ITEMS):
            raise ParamsError(f"{CFG_FILE}: sample.item_nonresponse.rates must have exactly the keys {list(ITEMS)}")
        for item in ITEMS:
            share(f"sample.item_nonresponse.rates.{item}")
        for key in ("age_per_decade", "managerial", "respondent_sd"):
            if not isinstance(nonresponse.get(key, 0), (int, float)):
                raise ParamsError(f"{CFG_FILE}: sample.item_nonresponse.{key} must be a number")
    rate = cfg.get("missing_rate", 0) or 0
    if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ParamsError(f"{CFG_FILE}: missing_rate must be in [0, 1), got {rate!r}")


def generate(cfg: dict, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Generate the synthetic ``capacity_survey`` frame (columns of its codebook).

    Parameters
    ----------
    cfg : dict
        ``params/synthetic/capacity_survey.yaml``: targets (with where the paper prints
        them) and generator settings. ``missing_rate`` (default 0) blanks that share of
        item, Q9 and reform answers with the missing code 99, for testing.
    rng : numpy.random.Generator
        The only source of randomness (the orchestrator passes ``default_rng([seed, 3])``).

    Returns
    -------
    dict
        ``{"capacity_survey": DataFrame}``, one row per respondent, ids ``CS00001``...

    Examples
    --------
    >>> from civcomp import paths
    >>> from civcomp.io import params
    >>> cfg = params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml")
    >>> df = generate(cfg, np.random.default_rng([20250412, 3]))["capacity_survey"]
    >>> len(df), int((df.level == "regional").sum())
    (10942, 10629)
    """
    cfg = ledger.resolve(cfg)  # targets are {ledger: id} references to data/published/claims.yaml
    check_cfg(cfg)
    fm = cfg["factor_model"]
    r_target = read_population_corr(CORR_FILE)
    check_population_corr(r_target, [fm["communalities"][i] for i in ITEMS], float(fm["kmo"]))
    n_total, n_reg = int(cfg["n_total"]), int(cfg["n_regional"])
    reg_cfg = {**cfg["sample"], **cfg["regional"]}
    cen_cfg = {**cfg["sample"], **cfg["central"]}
    regional, r_latent = _block(rng, n_reg, reg_cfg, cfg["regional"]["region_weights"], r_target, None)
    central, _ = _block(rng, n_total - n_reg, cen_cfg, cfg["central"]["region_weights"], r_target, r_latent)
    df = pd.concat(
        [pd.DataFrame({"level": "regional", **regional}), pd.DataFrame({"level": "central", **central})],
        ignore_index=True,
    )
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)  # interleave the two samples
    df.insert(0, "respondent_id", [f"CS{i:05d}" for i in range(1, len(df) + 1)])
    rate = float(cfg.get("missing_rate", 0) or 0)
    if rate > 0:  # drawn last, so the default file does not depend on this option
        cols = [*ITEMS, "overall_competency", "reform_rating"]
        mask = rng.uniform(size=(len(df), len(cols))) < rate
        df[cols] = df[cols].mask(mask, MISSING_CODE)
    return {"capacity_survey": df[list(COLUMNS)]}


def _cli(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m civcomp.synth.capacity", description="Regenerate the committed population correlation matrix."
    )
    ap.add_argument("--calibrate", action="store_true", help=f"rewrite {CORR_FILE.name} from the yaml targets")
    a = ap.parse_args(argv)
    if not a.calibrate:
        ap.print_help()
        return 0
    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml"))
    r = write_population_corr(cfg)
    w, h = pca_communalities(r)
    print(f"wrote {CORR_FILE}: KMO {kmo(r)[0]:.6f}, eigenvalues {np.round(w, 4).tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
