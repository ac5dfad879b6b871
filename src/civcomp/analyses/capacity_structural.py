"""Paper 003's structural model (Figure 4): eight determinants of innovative capacity, fitted as a CFA and a path model.

Paper 003 says "a full measurement model … was developed to estimate the relationship among latent
variables" and that "the structural model" was judged on whether it "sufficiently represents the set of
causal relationships" (Figure 4, the conceptual framework: eight determinants of innovative capacity),
and calls work environment, conditions, career, trust and schedule "strong determinants". Its Table 3
reports only the adequacy measures of a one-component PCA. This module supplies what the text
describes, with :mod:`civcomp.stats.sem` (semopy, checked against R lavaan) and
:mod:`civcomp.stats.importance`:

* :func:`fit_structural` — (a) the one-factor measurement model of the nine variables (CFA: χ², CFI,
  TLI, RMSEA with its 90 % CI, SRMR, standardized loadings); (b) the path model of innovative capacity on
  the eight determinants (standardized coefficients with CIs, R²) and the relative importance of the
  determinants (general dominance, Pratt);
* :func:`cfa_fit_table`, :func:`path_table` — the notebook's tables, with the stated rule for "strong";
* :func:`adequacy_comparison` — Table 3's adequacy measures for the nine variables vs the eight
  determinants alone;
* :func:`structural_values` — the flat result keys of notebook 03 (``sem_*``, ``adequacy8_*``);
* :func:`results` — all of section 4 of notebook 03: those values and the four tables.

Rule for "strong" (:func:`strong_rule`): a determinant is strong when its general dominance weight is at
least its equal share of R² (share ≥ 1/k) **and** its Pratt measure exceeds 1/(2k), Thomas, Hughes &
Zumbo's (1998) criterion for an important predictor; k = number of determinants.

Reported floats are rounded to :data:`DIGITS` decimals: far below any printed precision, far above the
~1e-13 by which semopy's internal parameter order (Python string hashing) can move the delta-method SEs,
so results are byte-identical run to run.

References
----------
Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure analysis.
*Structural Equation Modeling*, 6(1), 1-55.

Azen, R., & Budescu, D. V. (2003). The dominance analysis approach for comparing predictors in
multiple regression. *Psychological Methods*, 8(2), 129-148.

Thomas, D. R., Hughes, E., & Zumbo, B. D. (1998). On variable importance in linear regression.
*Social Indicators Research*, 45, 253-275.

Examples
--------
>>> measurement_syntax(["a", "b", "c"])
'capacity =~ a + b + c'
>>> path_syntax("y", ["a", "b"])
'y ~ a + b'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from civcomp.analyses.capacity import analysed, efa_options, n_used
from civcomp.analyses.published import Published
from civcomp.io.codebook import load_codebook
from civcomp.stats import efa
from civcomp.stats.importance import relative_importance
from civcomp.stats.sem import SEMResult, fit

DIGITS = 9
FACTOR = "capacity"


def measurement_syntax(items: Sequence[str], factor: str = FACTOR) -> str:
    """lavaan syntax of the one-factor measurement model ``factor =~ item1 + item2 + …``."""
    return f"{factor} =~ " + " + ".join(items)


def path_syntax(outcome: str, determinants: Sequence[str]) -> str:
    """lavaan syntax of the path model ``outcome ~ d1 + d2 + …`` (observed variables, saturated)."""
    return f"{outcome} ~ " + " + ".join(determinants)


@dataclass
class Structural:
    """The fitted structural model of Figure 4."""

    cfa: SEMResult  # one factor, all items
    path: SEMResult  # outcome ~ determinants
    importance: pd.DataFrame  # relative_importance(...) of the determinants
    outcome: str
    determinants: list[str]


def fit_structural(data: pd.DataFrame, outcome: str, determinants: Sequence[str]) -> Structural:
    """Fit (a) the CFA of outcome + determinants and (b) the path model with relative importance.

    Parameters
    ----------
    data : DataFrame
        The analysed respondents; missing answers as NA (dropped listwise, as notebook 03's EFA).
    outcome : str
        The dependent variable (paper 003: ``innovative_capacity``).
    determinants : sequence of str
        The predictors (paper 003: the eight determinants of Figure 4).

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=400)
    >>> df = pd.DataFrame({v: f * w + rng.normal(size=400) for v, w in zip("yabc", [1, .9, .6, .3])})
    >>> s = fit_structural(df, "y", ["a", "b", "c"])
    >>> s.cfa.fit["df"], s.path.fit["df"], s.importance["rank"].tolist()
    (2, 0, [1, 2, 3])
    """
    determinants = list(determinants)
    items = [outcome, *determinants]
    cfa = fit(data, measurement_syntax(items))
    path = fit(data, path_syntax(outcome, determinants))
    imp = relative_importance(data, outcome, determinants)
    return Structural(cfa=cfa, path=path, importance=imp, outcome=outcome, determinants=determinants)


def strong_rule(importance: pd.DataFrame) -> pd.Series:
    """True for a "strong" determinant: general-dominance share ≥ 1/k and Pratt measure > 1/(2k).

    Examples
    --------
    >>> imp = pd.DataFrame({"variable": ["a", "b", "c", "d"], "share": [.5, .3, .15, .05],
    ...                     "pratt": [.55, .3, .1, .05]})
    >>> strong_rule(imp).tolist()
    [True, True, False, False]
    """
    k = len(importance)
    return pd.Series(
        (importance["share"] >= 1 / k) & (importance["pratt"] > 1 / (2 * k)), index=importance.index, name="strong"
    )


def cfa_fit_table(cfa: SEMResult, cfi_min: float, tli_min: float, rmsea_max: float, srmr_max: float) -> pd.DataFrame:
    """The CFA's fit: measure | value | 90 % CI (RMSEA) | criterion (Hu & Bentler 1999) | meets."""
    f = cfa.fit
    rows = [
        ("chi-square", f["chisq"], np.nan, np.nan, "", np.nan),
        ("df", f["df"], np.nan, np.nan, "", np.nan),
        ("p", f["pvalue"], np.nan, np.nan, "", np.nan),
        ("CFI", f["cfi"], np.nan, np.nan, f">= {cfi_min:g}", f["cfi"] >= cfi_min),
        ("TLI", f["tli"], np.nan, np.nan, f">= {tli_min:g}", f["tli"] >= tli_min),
        ("RMSEA", f["rmsea"], f["rmsea_ci"][0], f["rmsea_ci"][1], f"<= {rmsea_max:g}", f["rmsea"] <= rmsea_max),
        ("SRMR", f["srmr"], np.nan, np.nan, f"<= {srmr_max:g}", f["srmr"] <= srmr_max),
    ]
    t = pd.DataFrame(rows, columns=["measure", "value", "ci_low", "ci_high", "criterion", "meets"])
    t["meets"] = t["meets"].astype(object).where(t["criterion"] != "", None)
    return _rounded(t)


def loadings_table(cfa: SEMResult, labels: dict[str, str]) -> pd.DataFrame:
    """Standardized loadings of the one-factor CFA with SEs and R² (= squared loading)."""
    ld = cfa.loadings
    t = pd.DataFrame(
        {
            "item": ld["indicator"],
            "label": [labels.get(v, v) for v in ld["indicator"]],
            "std_loading": ld["std_all"],
            "se": ld["std_se"],
            "r2": [cfa.r2[v] for v in ld["indicator"]],
        }
    )
    return _rounded(t)


def path_table(s: Structural, labels: dict[str, str], confidence: float = 0.95) -> pd.DataFrame:
    """One row per determinant: standardized path with CI and p, general dominance, Pratt, rank, strong; and
    the outcome's R² (``outcome_r2``, one value on every row), so the path diagram draws only this table."""
    z = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    p = s.path.paths.set_index("rhs")
    imp = s.importance.set_index("variable")
    strong = strong_rule(s.importance).set_axis(s.importance["variable"])
    t = pd.DataFrame(
        {
            "determinant": s.determinants,
            "label": [labels.get(v, v) for v in s.determinants],
            "beta": p.loc[s.determinants, "std_all"].to_numpy(),
            "se": p.loc[s.determinants, "se"].to_numpy(),
        }
    )
    t["ci_low"], t["ci_high"] = t["beta"] - z * t["se"], t["beta"] + z * t["se"]
    t["p"] = p.loc[s.determinants, "pvalue"].to_numpy()
    t["r"] = imp.loc[s.determinants, "r"].to_numpy()
    t["general_dominance"] = imp.loc[s.determinants, "general_dominance"].to_numpy()
    t["dominance_share"] = imp.loc[s.determinants, "share"].to_numpy()
    t["pratt"] = imp.loc[s.determinants, "pratt"].to_numpy()
    t["rank"] = imp.loc[s.determinants, "rank"].to_numpy()
    t["strong"] = strong.loc[s.determinants].to_numpy()
    t["outcome_r2"] = float(s.path.r2[s.outcome])
    return _rounded(t.sort_values("rank", kind="stable").reset_index(drop=True))


def adequacy_comparison(efa_all, efa_determinants, labels: dict[str, str]) -> pd.DataFrame:
    """Table 3's measures for all items vs the determinants alone (KMO, Bartlett, communalities)."""
    rows = []
    for name, key in (
        ("KMO", "kmo"),
        ("Bartlett chi-square", "bartlett_chi2"),
        ("Bartlett df", "bartlett_df"),
        ("Bartlett p", "bartlett_p"),
        ("first eigenvalue", "first_eigenvalue"),
        ("variance explained, first component", "variance_explained_first"),
        ("communalities above 0.4", "n_communalities_above_0_4"),
    ):
        a, b = efa_all.headline()[key], efa_determinants.headline()[key]
        rows.append({"measure": name, "key": key, "all_items": a, "determinants": b})
    for c in efa_all.columns:
        b = float(efa_determinants.communalities[c]) if c in efa_determinants.columns else np.nan
        rows.append(
            {
                "measure": f"communality: {labels.get(c, c)}",
                "key": f"communality_{c}",
                "all_items": float(efa_all.communalities[c]),
                "determinants": b,
            }
        )
    t = pd.DataFrame(rows)
    t["difference"] = pd.to_numeric(t["determinants"]) - pd.to_numeric(t["all_items"])
    return _rounded(t)


def structural_values(s: Structural, efa_determinants, communality_cut: float = 0.4) -> dict[str, Any]:
    """Notebook 03's structural-model result keys (rounded to :data:`DIGITS`).

    ``sem_cfa_*``: fit of the one-factor CFA and its standardized loadings; ``sem_path_*``: R² and the
    standardized paths with 95 % CIs; ``sem_dominance_*``, ``sem_pratt_*``, ``sem_rank_*``,
    ``sem_strong_*``: relative importance and the "strong" rule; ``adequacy8_*``: Table 3's measures
    on the determinants alone.
    """
    f = s.cfa.fit
    out: dict[str, Any] = {
        "sem_n": s.cfa.n,
        "sem_cfa_chisq": f["chisq"],
        "sem_cfa_df": f["df"],
        "sem_cfa_pvalue": f["pvalue"],
        "sem_cfa_cfi": f["cfi"],
        "sem_cfa_tli": f["tli"],
        "sem_cfa_rmsea": f["rmsea"],
        "sem_cfa_rmsea_ci_low": f["rmsea_ci"][0],
        "sem_cfa_rmsea_ci_high": f["rmsea_ci"][1],
        "sem_cfa_srmr": f["srmr"],
    }
    for _, r in s.cfa.loadings.iterrows():
        out[f"sem_cfa_loading_{r['indicator']}"] = r["std_all"]
    out["sem_path_n"] = s.path.n
    out["sem_n_determinants"] = len(s.determinants)
    out["sem_path_r2"] = s.path.r2[s.outcome]
    paths = s.path.paths.set_index("rhs")
    imp = s.importance.set_index("variable")
    strong = strong_rule(s.importance).set_axis(s.importance["variable"])
    for d in s.determinants:
        out[f"sem_path_beta_{d}"] = paths.loc[d, "std_all"]
        out[f"sem_path_beta_{d}_ci_low"] = paths.loc[d, "ci_lower"]
        out[f"sem_path_beta_{d}_ci_high"] = paths.loc[d, "ci_upper"]
        out[f"sem_path_p_{d}"] = paths.loc[d, "pvalue"]
        out[f"sem_dominance_{d}"] = imp.loc[d, "general_dominance"]
        out[f"sem_dominance_share_{d}"] = imp.loc[d, "share"]
        out[f"sem_pratt_{d}"] = imp.loc[d, "pratt"]
        out[f"sem_rank_{d}"] = int(imp.loc[d, "rank"])
        out[f"sem_strong_{d}"] = bool(strong.loc[d])
    out["sem_n_strong"] = int(strong.sum())
    h = efa_determinants.headline(communality_cut)
    for k in (
        "kmo",
        "bartlett_chi2",
        "bartlett_df",
        "bartlett_p",
        "n_communalities_above_0_4",
        "first_eigenvalue",
        "variance_explained_first",
    ):
        out[f"adequacy8_{k}"] = h[k]
    for c in efa_determinants.columns:
        out[f"adequacy8_communality_{c}"] = h[f"communality_{c}"]
    return {k: _round(v) for k, v in out.items()}


def results(data: dict[str, pd.DataFrame], params: dict[str, Any], efa_all=None) -> Published:
    """Everything section 4 of notebook 03 publishes: the CFA, the path model, relative importance, Table 3 for 8 vs 9.

    Parameters
    ----------
    data : dict
        ``capacity_survey``: the loaded survey (:func:`civcomp.io.load.load`).
    params : dict
        Notebook 03's resolved parameters (:func:`civcomp.io.params.resolve`).
    efa_all : EFAResult, optional
        The factor model of all items (``parts["efa"]`` of :func:`civcomp.analyses.capacity.results`), so it
        is not fitted twice; fitted here, without bootstrap, when not given (the compared measures are the same).

    Returns
    -------
    Published
        ``values``: :func:`structural_values`; ``tables``: ``sem_cfa_fit``, ``sem_cfa_loadings``,
        ``sem_paths_importance``, ``adequacy_8_vs_9``; ``parts``: ``model`` (:class:`Structural`),
        ``efa_determinants``, ``labels``.

    Examples
    --------
    >>> from civcomp.analyses.capacity import ITEMS
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=400)
    >>> survey = pd.DataFrame({v: f * w + rng.normal(size=400) for v, w in zip(ITEMS[:4], [1, .9, .6, .3])})
    >>> params = dict(analysed_level="regional", items=list(ITEMS[:4]), outcome=ITEMS[0], determinants=ITEMS[1:4],
    ...               extraction_method="principal", rotation="none", n_factors_rule="kaiser", seed=1,
    ...               parallel_iterations=20, parallel_percentile=95.0, confidence=0.95, communality_required=0.4,
    ...               cfi_required=0.95, tli_required=0.95, rmsea_required=0.06, srmr_required=0.08)
    >>> pub = results({"capacity_survey": survey.assign(level="regional")}, params)
    >>> pub.values["sem_cfa_df"], pub.values["sem_n_determinants"], list(pub.tables)[0]
    (2, 3, 'sem_cfa_fit')
    """
    regional = analysed(data["capacity_survey"], params)
    codebook = load_codebook("capacity_survey")
    items, outcome, determinants = list(params["items"]), params["outcome"], list(params["determinants"])
    labels = {c: codebook.label(c) for c in items}
    if efa_all is None:
        efa_all = efa.efa(regional, items, **efa_options(params))
    model = fit_structural(regional, outcome, determinants)
    # the same respondents as the nine-variable model (complete on all nine), so 8 vs 9 compares items only
    efa8 = efa.efa(regional[regional[items].notna().all(axis=1)], determinants, **efa_options(params))
    tables = {
        "sem_cfa_fit": cfa_fit_table(
            model.cfa, params["cfi_required"], params["tli_required"], params["rmsea_required"], params["srmr_required"]
        ),
        "sem_cfa_loadings": loadings_table(model.cfa, labels),
        "sem_paths_importance": path_table(model, labels, params["confidence"]),
        "adequacy_8_vs_9": adequacy_comparison(efa_all, efa8, labels),
    }
    values = structural_values(model, efa8, params["communality_required"])
    for key, n in (("sem_n", model.cfa.n), ("sem_path_n", model.path.n)):  # a count left blank: withheld
        values[key] = n_used(n, len(regional), params.get("min_cell_size"))
    return Published(values, tables, {"model": model, "efa_determinants": efa8, "labels": labels})


def _round(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else round(float(v), DIGITS)
    return v


def _rounded(t: pd.DataFrame) -> pd.DataFrame:
    for c in t.columns:
        if pd.api.types.is_float_dtype(t[c]):
            t[c] = t[c].round(DIGITS)
    return t
