"""The whole analysis (:func:`efa`, :func:`fit`) and its result object :class:`EFAResult`.

Size: one job, the EFA result object (its text report, JSON form and headline keys) and the two entry points that
build it; the computations themselves are in the sibling modules.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from civcomp.stats.efa.adequacy import bartlett, kmo
from civcomp.stats.efa.common import (
    LOWER_BOUND,
    METHODS,
    ROTATIONS,
    RULES,
    EFAError,
    HeywoodWarning,
)
from civcomp.stats.efa.extraction import extract, rotate
from civcomp.stats.efa.items import check_corr, correlation, prepare
from civcomp.stats.efa.nfactors import (
    n_factors_kaiser,
    n_factors_scree,
    parallel_analysis,
)
from civcomp.stats.efa.resampling import bootstrap
from civcomp.stats.reliability import cronbach_alpha, omega_total


# ================================================================== the whole analysis
@dataclass
class EFAResult:
    """Everything :func:`efa` computes; :meth:`to_dict` is the JSON form, :meth:`report` the text."""

    columns: list[str]
    n: int
    n_dropped: int
    n_rows: int
    missing: str
    correlation: pd.DataFrame
    kmo: float
    kmo_per_item: pd.Series
    bartlett: dict[str, float]
    eigenvalues: np.ndarray
    n_factors: int
    n_factors_rule: str
    n_factors_by: dict[str, int | None]
    parallel: dict[str, Any] | None
    method: str
    rotation: str
    loadings: pd.DataFrame
    unrotated_loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    phi: pd.DataFrame | None
    factor_variance: pd.DataFrame
    heywood: list[str]
    ultra_heywood: list[str]
    reliability: dict[str, Any]
    bootstrap: dict[str, Any] | None = None
    extraction_info: dict[str, Any] = field(default_factory=dict)
    loading_cutoff: float = 0.3
    excluded_columns: list[str] = field(default_factory=list)
    id_columns: list[str] = field(default_factory=list)  # ID-like columns the default selection left out
    n_complete: int | None = None

    @property
    def variance_explained(self) -> pd.DataFrame:
        """Eigenvalues of the correlation matrix with proportion and cumulative variance."""
        ev = self.eigenvalues
        return pd.DataFrame(
            {
                "component": np.arange(1, len(ev) + 1),
                "eigenvalue": ev,
                "proportion": ev / len(ev),
                "cumulative": np.cumsum(ev) / len(ev),
            }
        )

    def loadings_display(self, cutoff: float | None = None) -> pd.DataFrame:
        """Pattern loadings as text, blank where ``|loading| < cutoff``, with h2 and u2."""
        cut = self.loading_cutoff if cutoff is None else cutoff
        shown = self.loadings.map(lambda v: f"{v:.3f}" if abs(v) >= cut else "")
        shown["h2"] = self.communalities.map("{:.3f}".format)
        shown["u2"] = self.uniquenesses.map("{:.3f}".format)
        return shown

    def headline(self, communality_cut: float = 0.4) -> dict[str, Any]:
        """The flat result keys a notebook publishes (``outputs/results/*.json``) and the claims ledger reads.

        Bootstrap CIs are ``None`` when no bootstrap was run. ``n_communalities_above_0_4`` counts the
        communalities above ``communality_cut`` (the paper's 0.4).
        """
        boot, rel, b = self.bootstrap, self.reliability, self.bartlett
        ve = self.variance_explained
        out: dict[str, Any] = {
            "efa_n": self.n,
            "efa_n_dropped": self.n_dropped,
            "efa_method": self.method,
            "efa_rotation": self.rotation,
            "kmo": self.kmo,
            "kmo_ci_low": boot["kmo_ci"][0] if boot else None,
            "kmo_ci_high": boot["kmo_ci"][1] if boot else None,
            "bartlett_chi2": b["chi2"],
            "bartlett_df": b["df"],
            "bartlett_p": b["p"],
            "bartlett_log10_p": b["log10_p"],
            "n_communalities_above_0_4": int((self.communalities > communality_cut).sum()),
            "n_factors": self.n_factors,
            "n_factors_rule": self.n_factors_rule,
            "n_factors_kaiser": self.n_factors_by["kaiser"],
            "n_factors_scree": self.n_factors_by["scree"],
            "n_factors_parallel": self.n_factors_by["parallel"],
            "first_eigenvalue": float(self.eigenvalues[0]),
            "variance_explained_first": float(ve["proportion"].iloc[0]),
            "alpha": rel["alpha"],
            "alpha_ci_low": rel["alpha_ci_low"],
            "alpha_ci_high": rel["alpha_ci_high"],
            "omega_total": rel["omega_total"],
            "omega_ci_low": rel.get("omega_ci_low"),
            "omega_ci_high": rel.get("omega_ci_high"),
        }
        for c in self.columns:
            out[f"communality_{c}"] = float(self.communalities[c])
            lo, hi = boot["communality_ci"][c] if boot else (None, None)
            out[f"communality_{c}_ci_low"], out[f"communality_{c}_ci_high"] = lo, hi
        return out

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "n": self.n,
            "n_dropped": self.n_dropped,
            "n_rows": self.n_rows,
            "missing": self.missing,
            "n_complete": self.n_complete,
            "columns": self.columns,
            "excluded_columns": self.excluded_columns,
            "id_columns": self.id_columns,
            "kmo": {"overall": self.kmo, "per_item": self.kmo_per_item.to_dict()},
            "bartlett": self.bartlett,
            "eigenvalues": self.eigenvalues.tolist(),
            "variance_explained": self.variance_explained["proportion"].tolist(),
            "n_factors": self.n_factors,
            "n_factors_rule": self.n_factors_rule,
            "n_factors_by": self.n_factors_by,
            "method": self.method,
            "rotation": self.rotation,
            "loadings": {c: row.to_dict() for c, row in self.loadings.iterrows()},
            "loading_cutoff": self.loading_cutoff,
            "communalities": self.communalities.to_dict(),
            "uniquenesses": self.uniquenesses.to_dict(),
            "phi": None if self.phi is None else self.phi.values.tolist(),
            "factor_variance": {f: row.to_dict() for f, row in self.factor_variance.T.iterrows()},
            "heywood": self.heywood,
            "ultra_heywood": self.ultra_heywood,
            "reliability": self.reliability,
            "extraction": self.extraction_info,
        }
        if self.parallel is not None:
            d["parallel"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.parallel.items()}
        if self.bootstrap is not None:
            d["bootstrap"] = {k: v for k, v in self.bootstrap.items() if k != "draws"}
        return d

    def report(self) -> str:
        b = self.bartlett
        lines = [
            f"Exploratory factor analysis: {len(self.columns)} items, N = {self.n:,} used, "
            f"{self.n_dropped:,} of {self.n_rows:,} rows dropped ({self.missing} deletion)"
        ]
        if self.excluded_columns:
            lines.append(f"Non-numeric columns left out: {', '.join(self.excluded_columns)}")
        if self.id_columns:
            lines.append(
                f"ID-like columns left out: {', '.join(self.id_columns)} (name them with --columns / "
                "columns= to analyse them)"
            )
        p_txt = f"p = {b['p']:.3g}" if b["p"] > 0 else f"p < 1e-300 (log10 p = {b['log10_p']:.1f})"
        lines += [
            "",
            f"KMO (overall) = {self.kmo:.3f}",
            f"Bartlett's test of sphericity: chi2 = {b['chi2']:.2f}, df = {b['df']}, {p_txt}",
            "",
            "Per-item KMO (MSA):",
        ]
        lines += [f"  {c:<28} {v:.3f}" for c, v in self.kmo_per_item.items()]
        lines += ["", "Eigenvalues of the correlation matrix:"]
        for _, row in self.variance_explained.iterrows():
            lines.append(
                f"  {int(row.component):>3}  {row.eigenvalue:7.3f}  {100 * row.proportion:6.2f} %"
                f"  (cumulative {100 * row.cumulative:6.2f} %)"
            )
        by = ", ".join(f"{k} {v}" for k, v in self.n_factors_by.items())
        lines += [
            "",
            f"Number of factors: {self.n_factors} (rule: {self.n_factors_rule}; {by})",
            f"Extraction: {self.method}; rotation: {self.rotation}",
            "",
            f"Loadings (|loading| < {self.loading_cutoff:g} blank; h2 from the unrotated solution):",
            self.loadings_display().to_string(),
        ]
        if self.phi is not None:
            lines += ["", "Factor correlations (Phi):", self.phi.round(3).to_string()]
        fv = self.factor_variance
        lines += ["", "Variance accounted for:", fv.round(3).to_string()]
        if self.heywood or self.ultra_heywood:
            lines += ["", f"WARNING: Heywood case(s): {', '.join(self.heywood + self.ultra_heywood)}"]
        rel = self.reliability
        lines += [
            "",
            f"Cronbach's alpha = {rel['alpha']:.3f} (95% CI [{rel['alpha_ci_low']:.3f}, "
            f"{rel['alpha_ci_high']:.3f}], Feldt); McDonald's omega total = {rel['omega_total']:.3f} "
            f"({rel['omega_basis']})",
        ]
        if self.bootstrap is not None:
            bs = self.bootstrap
            lines += [
                f"Bootstrap ({bs['resamples']} resamples, seed {bs['seed']}): KMO "
                f"[{bs['kmo_ci'][0]:.3f}, {bs['kmo_ci'][1]:.3f}]"
            ]
        return "\n".join(lines)


def adequacy_table(
    res: EFAResult,
    kmo_min: float = 0.5,
    p_max: float = 0.05,
    communality_min: float = 0.4,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Model-adequacy table in the layout SPSS users print (measure | required | result), with CIs.

    Rows: KMO, Bartlett's p, one communality per item; ``ci_low``/``ci_high`` are the
    bootstrap percentile CIs when :func:`efa` ran a bootstrap (NaN otherwise); ``meets``
    says whether the result satisfies the requirement.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(300, 1)) + rng.normal(size=(300, 4)), columns=list("abcd"))
    >>> t = adequacy_table(efa(df, parallel_iterations=0))
    >>> t["measure"].tolist()[:3], bool(t["meets"].iloc[0])
    (['KMO measure of sampling adequacy', "Bartlett's test of sphericity (p)", 'Communality: a'], True)
    """
    labels = labels or {}
    boot = res.bootstrap or {}
    kci = boot.get("kmo_ci", [np.nan, np.nan])
    rows = [
        {
            "measure": "KMO measure of sampling adequacy",
            "key": "kmo",
            "required": f"> {kmo_min:g}",
            "result": res.kmo,
            "ci_low": kci[0],
            "ci_high": kci[1],
            "meets": res.kmo > kmo_min,
        },
        {
            "measure": "Bartlett's test of sphericity (p)",
            "key": "bartlett_p",
            "required": f"< {p_max:g}",
            "result": res.bartlett["p"],
            "ci_low": np.nan,
            "ci_high": np.nan,
            "meets": res.bartlett["p"] < p_max,
        },
    ]
    for c in res.columns:
        ci = boot.get("communality_ci", {}).get(c, [np.nan, np.nan])
        h2 = float(res.communalities[c])
        rows.append(
            {
                "measure": f"Communality: {labels.get(c, c)}",
                "key": f"communality_{c}",
                "required": f"> {communality_min:g}",
                "result": h2,
                "ci_low": ci[0],
                "ci_high": ci[1],
                "meets": h2 > communality_min,
            }
        )
    return pd.DataFrame(rows)


def _factor_names(method: str, k: int) -> list[str]:
    prefix = {"principal": "PC", "minres": "MR", "pa": "PA", "ml": "ML"}[method]
    return [f"{prefix}{i + 1}" for i in range(k)]


def fit(
    r: np.ndarray,
    n: int,
    columns: list[str],
    n_factors: int | str = "auto",
    method: str = "principal",
    rotation: str = "none",
    n_factors_rule: str = "kaiser",
    x: np.ndarray | None = None,
    cov: np.ndarray | None = None,
    parallel_iterations: int = 100,
    parallel_percentile: float = 95.0,
    seed: int = 0,
    bootstrap_resamples: int = 0,
    level: float = 0.95,
    loading_cutoff: float = 0.3,
    min_err: float = 0.001,
    max_iter: int = 50,
    **bookkeeping: Any,
) -> EFAResult:
    """Factor-analyse a correlation matrix ``r`` of ``n`` rows (raw ``x`` enables resampling).

    Use :func:`efa` for a data frame; ``fit`` is for a published correlation matrix.
    """
    unknown = sorted(set(bookkeeping) - BOOKKEEPING)
    if unknown:
        raise EFAError(_unknown_options(unknown, FIT_OPTIONS))
    if method not in METHODS:
        raise EFAError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if rotation not in ROTATIONS:
        raise EFAError(f"rotation must be one of {', '.join(ROTATIONS)}, got {rotation!r}")
    if n_factors_rule not in RULES:
        raise EFAError(f"n_factors_rule must be one of {', '.join(RULES)}, got {n_factors_rule!r}")
    r = np.asarray(r, float)
    p = r.shape[0]
    check_corr(r, columns)
    overall, msa = kmo(r)
    bart = bartlett(r, n)
    ev = np.sort(np.linalg.eigvalsh(r))[::-1]
    by: dict[str, int | None] = {"kaiser": n_factors_kaiser(ev), "scree": n_factors_scree(ev), "parallel": None}
    par = None
    if parallel_iterations > 0:
        par = parallel_analysis(x, r, n, parallel_iterations, parallel_percentile, seed)
        by["parallel"] = par["n_factors"]
    if n_factors == "auto":
        k = by[n_factors_rule]
        if k is None:
            raise EFAError("n_factors_rule 'parallel' needs parallel_iterations > 0")
        rule = n_factors_rule
        if k < 1:
            k, rule = 1, f"{n_factors_rule} (found 0; 1 kept)"
    else:
        k, rule = int(n_factors), "fixed"
    names = _factor_names(method, k)
    unrot, info = extract(r, k, method, min_err, max_iter)
    h2 = (unrot * unrot).sum(axis=1)  # unrotated: invariant to any rotation, oblique included
    rot, phi = rotate(unrot, rotation)
    # components explain an item fully by construction; Heywood is a common-factor pathology
    common = method != "principal"
    heywood = [c for c, h in zip(columns, h2) if common and 1 - LOWER_BOUND - 1e-6 <= h <= 1 + 1e-9]
    ultra = [c for c, h in zip(columns, h2) if common and h > 1 + 1e-9]
    if heywood or ultra:
        msg = []
        if heywood:
            msg.append(
                f"Heywood case: communality of {', '.join(map(repr, heywood))} reached 1 "
                f"(uniqueness at the {LOWER_BOUND} bound, where factor_analyzer clamps it)"
            )
        if ultra:
            msg.append(f"ultra-Heywood case: communality of {', '.join(map(repr, ultra))} exceeds 1")
        warnings.warn(
            "; ".join(msg) + " -- the solution is improper; consider fewer factors", HeywoodWarning, stacklevel=2
        )
    if phi is not None:
        ss = np.diag(phi @ rot.T @ rot)
    else:
        ss = (rot * rot).sum(axis=0)
    fv = pd.DataFrame(
        {
            "ss_loadings": ss,
            "proportion_var": ss / p,
            "cumulative_var": np.cumsum(ss) / p,
            "proportion_explained": ss / ss.sum(),
        },
        index=names,
    ).T
    if cov is None:
        cov = r
    rel_a = cronbach_alpha(cov, n, level)
    reliability = {
        "alpha": rel_a["alpha"],
        "alpha_std": rel_a["alpha_std"],
        "alpha_ci_low": rel_a["ci_low"],
        "alpha_ci_high": rel_a["ci_high"],
        "alpha_ci_method": "feldt",
        "omega_total": omega_total(r),
        "omega_basis": "one-factor least-squares (minres) solution, psych::omega(nfactors=1) definition",
    }
    boot = None
    if bootstrap_resamples > 0:
        if x is None:
            raise EFAError("the bootstrap needs the raw data, not only a correlation matrix")
        boot = bootstrap(
            x, k, method, bootstrap_resamples, seed, level, min_err=min_err, max_iter=max_iter, columns=columns
        )
        reliability["omega_ci_low"], reliability["omega_ci_high"] = boot["omega_ci"]
        reliability["alpha_boot_ci_low"], reliability["alpha_boot_ci_high"] = boot["alpha_ci"]
    return EFAResult(
        columns=columns,
        n=n,
        n_dropped=bookkeeping.get("n_dropped", 0),
        n_rows=bookkeeping.get("n_rows", n),
        missing=bookkeeping.get("missing", "matrix"),
        correlation=pd.DataFrame(r, columns, columns),
        kmo=overall,
        kmo_per_item=pd.Series(msa, columns),
        bartlett=bart,
        eigenvalues=ev,
        n_factors=k,
        n_factors_rule=rule,
        n_factors_by=by,
        parallel=par,
        method=method,
        rotation=rotation,
        loadings=pd.DataFrame(rot, columns, names),
        unrotated_loadings=pd.DataFrame(unrot, columns, names),
        communalities=pd.Series(h2, columns),
        uniquenesses=pd.Series(1 - h2, columns),
        phi=None if phi is None else pd.DataFrame(phi, names, names),
        factor_variance=fv,
        heywood=heywood,
        ultra_heywood=ultra,
        reliability=reliability,
        bootstrap=boot,
        extraction_info=info,
        loading_cutoff=loading_cutoff,
        excluded_columns=bookkeeping.get("excluded", []),
        id_columns=bookkeeping.get("id_columns", []),
        n_complete=bookkeeping.get("n_complete"),
    )


FIT_OPTIONS = (
    "n_factors_rule",
    "parallel_iterations",
    "parallel_percentile",
    "seed",
    "bootstrap_resamples",
    "level",
    "loading_cutoff",
    "min_err",
    "max_iter",
)
BOOKKEEPING = {"n_dropped", "n_rows", "missing", "excluded", "n_complete", "id_columns"}


def _unknown_options(unknown: list[str], known: tuple[str, ...]) -> str:
    parts = []
    for u in unknown:
        close = difflib.get_close_matches(u, known, n=1)
        parts.append(f"{u!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"unknown option(s) {', '.join(parts)}; options are: {', '.join(known)}"


def efa(
    data: pd.DataFrame,
    columns: list[str] | None = None,
    n_factors: int | str = "auto",
    method: str = "principal",
    rotation: str = "none",
    missing: str = "listwise",
    **options: Any,
) -> EFAResult:
    """Exploratory factor analysis of the items in ``data``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; missing values as NaN/NA (never imputed).
    columns : list of str, optional
        Items; default every numeric column.
    n_factors : int or "auto"
        ``auto`` applies ``n_factors_rule`` (``kaiser`` by default, SPSS's rule;
        ``scree`` or ``parallel``). All three counts are always reported.
    method : {"principal", "minres", "pa", "ml"}
    rotation : {"none", "varimax", "oblimin", "promax"}
    missing : {"listwise", "pairwise"}
    **options
        ``n_factors_rule``, ``parallel_iterations`` (100), ``parallel_percentile`` (95),
        ``seed``, ``bootstrap_resamples`` (0 = no bootstrap), ``level`` (0.95),
        ``loading_cutoff`` (0.3, display only), ``min_err``/``max_iter`` (pa).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(400, 1))
    >>> df = pd.DataFrame(f * [.8, .7, .6, .5] + rng.normal(size=(400, 4)) * .6, columns=list("abcd"))
    >>> res = efa(df, parallel_iterations=20)
    >>> res.n, res.n_factors, res.method, round(res.kmo, 2)
    (400, 1, 'principal', 0.8)
    """
    unknown = sorted(set(options) - set(FIT_OPTIONS))
    if unknown:
        raise EFAError(_unknown_options(unknown, FIT_OPTIONS))
    prep = prepare(data, columns, missing)
    cov, r = correlation(prep)
    return fit(
        r,
        prep.n,
        prep.columns,
        n_factors,
        method,
        rotation,
        x=prep.x,
        cov=cov,
        n_dropped=prep.n_dropped,
        n_rows=prep.n_rows,
        missing=prep.missing,
        excluded=prep.excluded,
        n_complete=prep.n_complete,
        id_columns=prep.id_columns,
        **options,
    )
