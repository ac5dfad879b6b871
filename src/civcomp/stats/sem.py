"""Structural equation models for the compendium, fitted with semopy and reported as R lavaan does.

Paper 003 (Bokayev, Amirova & Kosherbayeva, *Building Innovative Capacity of Public Servants: The Case
of Kazakhstan*) models innovative capacity from eight determinants (Figure 4, Table 3). This module
fits such models from lavaan model syntax (``=~``, ``~``, ``~~``) with the maintained library
**semopy** and reports them in lavaan's conventions, so that numbers can be checked against R:

* estimation: maximum likelihood on the sample covariance matrix with divisor N (lavaan's default
  ``likelihood = "normal"``), first loading of each factor fixed to 1, exogenous observed covariates'
  (co)variances fixed at their sample values (lavaan's ``fixed.x = TRUE``). semopy's SLSQP solution is
  polished by Fisher scoring so the estimates reach lavaan's precision (semopy stops at a loose
  tolerance, which moves standardized estimates in the third decimal on large samples);
* fit measures with lavaan's definitions (:func:`civcomp.stats.sem_fit.fit_measures`): chi-square ``2 N fmin``,
  degrees of freedom and the independence baseline model both net of the fixed-x moments, CFI, TLI,
  RMSEA with its 90 % confidence interval from the noncentral chi-square, SRMR (Bentler);
* standardized estimates = lavaan's ``std.all``; their standard errors by the delta method on the
  expected-information covariance matrix of the free parameters, as ``standardizedSolution()``;
Relative importance of the predictors of a regression (dominance analysis, Pratt) is in
:mod:`civcomp.stats.importance`. Checked against R lavaan 0.6.14 in ``tests/stats/test_sem.py`` with the
reference values of ``tests/reference/lavaan/`` (Holzinger-Swineford 1939, Bollen's political democracy
and the compendium's capacity survey), to ~1e-7.

Size: one job, lavaan-conformant SEM on semopy — the semopy matrix layout, the
Fisher-scoring polish and the delta-method standard errors all serve :func:`fit` and are validated
together; splitting them would scatter one contract over several modules.

References
----------
Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. *Journal of Statistical
Software*, 48(2), 1-36. Source of the definitions: ``R/lav_fit_cfi.R``, ``R/lav_fit_rmsea.R``,
``R/lav_fit_srmr.R``, ``R/lav_residuals.R``, ``R/lav_standardize.R`` (github.com/yrosseel/lavaan).

Igolkina, A. A., & Meshcheryakov, G. (2020). semopy: A Python package for structural equation
modeling. *Structural Equation Modeling*, 27(6), 952-963.

Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure analysis.
*Structural Equation Modeling*, 6(1), 1-55.

(Relative importance, dominance and Pratt: :mod:`civcomp.stats.importance`, with its references.)

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> f = rng.normal(size=500)
>>> df = pd.DataFrame({f"y{i}": f * (0.5 + 0.1 * i) + rng.normal(size=500) for i in range(1, 5)})
>>> res = fit(df, "F =~ y1 + y2 + y3 + y4")
>>> res.n, res.fit["df"]
(500, 2)
>>> sorted(res.fit)
['cfi', 'chisq', 'df', 'pvalue', 'rmsea', 'rmsea_ci', 'srmr', 'tli']
>>> bool(0.9 < res.fit["cfi"] <= 1.0)
True
>>> res.loadings[["latent", "indicator"]].values.tolist()[0]
['F', 'y1']
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from civcomp.errors import CivcompError
from civcomp.stats.sem_fit import fit_measures

if TYPE_CHECKING:  # semopy (and sympy through it) is imported by _fit only
    import semopy

__all__ = ["SEMError", "SEMResult", "fit", "fit_measures", "parse_model"]

_Z975 = float(stats.norm.ppf(0.975))


class SEMError(CivcompError, ValueError):
    """Invalid model, data or option, or a model that does not converge; the message names the culprit."""


# ---------------------------------------------------------------------------------------------
# model syntax
# ---------------------------------------------------------------------------------------------


def _terms(rhs: str) -> list[str]:
    out = []
    for t in rhs.split("+"):
        t = t.strip()
        if not t:
            continue
        if "*" in t:  # modifiers: 1*x, a*x, NA*x, start(1)*x
            t = t.split("*")[-1].strip()
        out.append(t)
    return out


def parse_model(model: str) -> dict[str, list[tuple[str, str]]]:
    """Measurement and regression relations of a lavaan model string.

    Parameters
    ----------
    model : str
        lavaan syntax; statements separated by newlines or ``;``, ``#`` starts a comment.

    Returns
    -------
    dict
        ``measurement``: list of ``(latent, indicator)``; ``regression``: list of ``(lhs, rhs)``;
        ``covariance``: list of ``(lhs, rhs)`` as written.

    Examples
    --------
    >>> parse_model("f =~ a + b + 1*c; y ~ f + x  # comment")["regression"]
    [('y', 'f'), ('y', 'x')]
    """
    out: dict[str, list[tuple[str, str]]] = {"measurement": [], "regression": [], "covariance": []}
    for stmt in re.split(r"[;\n]", re.sub(r"#[^\n]*", "", model)):
        stmt = stmt.strip()
        if not stmt:
            continue
        for op, key in (("=~", "measurement"), ("~~", "covariance"), ("~", "regression")):
            if op in stmt:
                lhs, rhs = stmt.split(op, 1)
                for left in (s.strip() for s in lhs.split("+")):
                    for right in _terms(rhs):
                        out[key].append((left, right))
                break
        else:
            raise SEMError(f"cannot parse model statement {stmt!r} (supported operators: =~, ~, ~~)")
    return out


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# result
# ---------------------------------------------------------------------------------------------


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, pd.DataFrame):
        return [_jsonable(r) for r in x.to_dict(orient="records")]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if not np.isfinite(x) else float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


@dataclass
class SEMResult:
    """A fitted model in lavaan's conventions.

    Attributes
    ----------
    n : int
        Observations used (complete cases on the model's observed variables).
    fit : dict
        ``chisq, df, pvalue, cfi, tli, rmsea, rmsea_ci`` (90 % CI, (lower, upper)), ``srmr``;
        definitions in :func:`fit_measures`.
    loadings : DataFrame
        One row per ``latent =~ indicator``: ``est`` (unstandardized), ``std_all``; ``se``, ``z``,
        ``pvalue`` of the unstandardized estimate (lavaan ``parameterEstimates()``; NaN for the fixed
        first loading); ``std_se`` of ``std_all`` (``standardizedSolution()``, delta method).
    paths : DataFrame
        One row per regression ``lhs ~ rhs``: ``est``, ``std_all``; ``se``, ``ci_lower``, ``ci_upper``,
        ``z``, ``pvalue`` of the standardized coefficient (``standardizedSolution()``, 95 % Wald);
        ``est_se``, ``est_z``, ``est_pvalue`` of the unstandardized one.
    r2 : dict
        R-squared of each endogenous variable (indicators and regression outcomes), lavaan ``r2``.
    model : str
        The model syntax.
    extra : dict
        ``fmin``, baseline chi-square and df, ``npar``, fixed-x variables, optimizer messages.
    """

    n: int
    fit: dict
    loadings: pd.DataFrame
    paths: pd.DataFrame
    r2: dict
    model: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-able dictionary (NaN -> None, tuples -> lists).

        Examples
        --------
        >>> import json
        >>> r = SEMResult(3, {"chisq": 0.0, "rmsea_ci": (0.0, 0.1)}, pd.DataFrame(), pd.DataFrame(), {})
        >>> json.dumps(r.to_dict()["fit"])
        '{"chisq": 0.0, "rmsea_ci": [0.0, 0.1]}'
        """
        return _jsonable(
            {
                "n": self.n,
                "model": self.model,
                "fit": self.fit,
                "loadings": self.loadings,
                "paths": self.paths,
                "r2": self.r2,
                "extra": self.extra,
            }
        )


# ---------------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------------


def _polish(m: semopy.Model, n: int, max_iter: int = 100, tol: float = 1e-11) -> tuple[np.ndarray, int]:
    """Fisher-scoring iterations on semopy's ML objective from its solution (expected Hessian 2 I/N)."""
    x = np.array(m.param_vals, dtype=float)
    fx = m.obj_mlw(x)
    it = 0
    for it in range(1, max_iter + 1):
        m.update_matrices(x)
        g = np.asarray(m.grad_mlw(x), float)
        m.update_matrices(x)
        h = 2.0 * m.calc_fim() / n
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(h, g, rcond=None)[0]
        t = 1.0
        while t > 1e-6:
            xn = x - t * step
            fn = m.obj_mlw(xn)
            if np.isfinite(fn) and fn <= fx + 1e-15:
                break
            t /= 2
        else:
            break
        x, fx = xn, fn
        if np.max(np.abs(t * step)) < tol:
            break
    # Near the optimum the objective no longer resolves a step (its change is below float precision),
    # so the line search above stops ~1e-9 short, at a point that depends on semopy's parameter order
    # (which follows Python's string hashing). Undamped scoring steps on the gradient alone, while they
    # shrink, reach the stationary point to ~1e-14: same estimates whatever PYTHONHASHSEED is.
    last = np.inf
    for _ in range(50):
        m.update_matrices(x)
        g = np.asarray(m.grad_mlw(x), float)
        m.update_matrices(x)
        try:
            step = np.linalg.solve(2.0 * m.calc_fim() / n, g)
        except np.linalg.LinAlgError:
            break
        size = float(np.max(np.abs(step))) if step.size else 0.0
        if not np.isfinite(size) or size >= last or size > 1e-6:
            break
        x, last = x - step, size
        if size < 1e-15:
            break
    m.param_vals = x
    m.update_matrices(x)
    return x, it


class _Layout:
    """Where each reported quantity sits in semopy's matrices (Beta, Lambda, Psi, Theta)."""

    def __init__(self, m: semopy.Model, spec: dict):
        (b_rows, b_cols), (l_rows, l_cols), (p_rows, _), (t_rows, _) = m.names[:4]
        self.m = m
        self.obs = list(l_rows)
        self.inner = list(l_cols)
        self.latent = set(m.vars["latent"])

        def coef(lhs: str, rhs: str) -> tuple[int, int, int]:
            if lhs in b_rows and rhs in b_cols and (lhs in self.inner):
                return 0, b_rows.index(lhs), b_cols.index(rhs)
            if lhs in l_rows and rhs in l_cols:
                return 1, l_rows.index(lhs), l_cols.index(rhs)
            raise SEMError(f"cannot locate coefficient {lhs} ~ {rhs} in the semopy model")

        self.load_pos = [coef(ind, lat) for lat, ind in spec["measurement"]]
        self.path_pos = [coef(lhs, rhs) for lhs, rhs in spec["regression"]]
        # R^2: endogenous = indicators + regression outcomes (lavaan's r2)
        endo: list[str] = []
        for _, ind in spec["measurement"]:
            if ind not in endo:
                endo.append(ind)
        for lhs, _ in spec["regression"]:
            if lhs not in endo:
                endo.append(lhs)
        self.endo = endo
        self.r2_pos = []
        for v in endo:
            if v in self.inner and (v in self.latent or v not in self.obs or self._theta_zero(v)):
                self.r2_pos.append(("inner", self.inner.index(v)))
            else:
                self.r2_pos.append(("obs", self.obs.index(v)))

    def _theta_zero(self, v: str) -> bool:
        i = self.obs.index(v)
        return self.m.matrices[3][i, i] == 0 and not any(
            loc.matrix is self.m.matrices[3] and loc.indices == (i, i)
            for p in self.m.parameters.values()
            if p.active
            for loc in p.locations
        )

    def sd(self, name: str, sigma: np.ndarray, cov_inner: np.ndarray) -> float:
        if name in self.obs:
            i = self.obs.index(name)
            return math.sqrt(sigma[i, i])
        i = self.inner.index(name)
        return math.sqrt(cov_inner[i, i])

    def quantities(self, x: np.ndarray, spec: dict) -> np.ndarray:
        """Vector [raw loadings, std loadings, raw paths, std paths, r2] at parameter vector x."""
        m = self.m
        m.update_matrices(x)
        beta, lamb, psi, theta = m.matrices[:4]
        c = np.linalg.inv(np.eye(beta.shape[0]) - beta)
        cov_inner = c @ psi @ c.T
        sigma = lamb @ cov_inner @ lamb.T + theta
        mats = (beta, lamb)
        raw_l = np.array([mats[k][i, j] for k, i, j in self.load_pos])
        std_l = np.array(
            [
                v * self.sd(lat, sigma, cov_inner) / self.sd(ind, sigma, cov_inner)
                for v, (lat, ind) in zip(raw_l, spec["measurement"])
            ]
        )
        raw_p = np.array([mats[k][i, j] for k, i, j in self.path_pos])
        std_p = np.array(
            [
                v * self.sd(rhs, sigma, cov_inner) / self.sd(lhs, sigma, cov_inner)
                for v, (lhs, rhs) in zip(raw_p, spec["regression"])
            ]
        )
        r2 = []
        for kind, i in self.r2_pos:
            if kind == "inner":
                r2.append(1 - psi[i, i] / cov_inner[i, i])
            else:
                r2.append(1 - theta[i, i] / sigma[i, i])
        return np.concatenate([raw_l, std_l, raw_p, std_p, np.array(r2)])


def _jacobian(func, x: np.ndarray) -> np.ndarray:
    """Central-difference Jacobian (error O(h^2), h = 1e-5 scaled)."""
    f0 = func(x)
    jac = np.empty((f0.size, x.size))
    for k in range(x.size):
        h = 1e-5 * max(1.0, abs(x[k]))
        xp, xm = x.copy(), x.copy()
        xp[k] += h
        xm[k] -= h
        jac[:, k] = (func(xp) - func(xm)) / (2 * h)
    func(x)
    return jac


@contextlib.contextmanager
def _quiet_semopy():
    """semopy logs through the root logger (e.g. "Fisher Information Matrix is not PD"); we raise instead."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _numeric(col: pd.Series, name: str) -> pd.Series:
    """A model variable as float (NaN = missing); raise on text, booleans or infinities, naming the cell."""
    if pd.api.types.is_bool_dtype(col):
        raise SEMError(f"column {name!r} is boolean, not numeric")
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object)
    num = pd.to_numeric(col.astype(object).where(col.notna(), None), errors="coerce")
    bad = col.notna() & num.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise SEMError(f"column {name!r} is not numeric: data row {row + 1} has value {col.iloc[row]!r}")
    out = num.astype("float64")
    if np.isinf(out.to_numpy()).any():
        row = int(np.flatnonzero(np.isinf(out.to_numpy()))[0])
        raise SEMError(f"column {name!r} has an infinite value in data row {row + 1}")
    return out


def _check_converged(m: semopy.Model, x: np.ndarray, sigma: np.ndarray, tol: float = 1e-5) -> None:
    """Raise unless the estimate is a finite stationary point with a positive definite implied matrix."""
    grad = np.asarray(m.grad_mlw(x), float) if np.all(np.isfinite(x)) else np.array([np.nan])
    m.update_matrices(x)
    finite = np.all(np.isfinite(x)) and np.all(np.isfinite(sigma)) and np.all(np.isfinite(grad))
    if not finite or np.max(np.abs(grad)) > tol or np.linalg.eigvalsh((sigma + sigma.T) / 2).min() <= 0:
        worst = float(np.max(np.abs(grad))) if finite else float("nan")
        raise SEMError(
            f"the model did not converge (largest gradient {worst:.2g}); it may be "
            "unidentified (e.g. a factor with fewer than three indicators and no other anchor) "
            "or misspecified"
        )


def _check_identified(m: semopy.Model, x: np.ndarray, df: int) -> None:
    """Raise when the model has more free parameters than moments or a singular information matrix."""
    m.update_matrices(x)
    ev = np.linalg.eigvalsh(np.asarray(m.calc_fim(), float))
    if df < 0 or ev.min() <= 1e-10 * max(ev.max(), 1.0):
        why = f"df = {df} < 0" if df < 0 else "its information matrix is singular"
        raise SEMError(
            f"the model is not identified ({why}): each factor needs three indicators, or two "
            "and a correlation with another factor; fix a parameter or add indicators"
        )


def fit(data: pd.DataFrame, model: str, estimator: str = "ML") -> SEMResult:
    """Fit a structural equation model written in lavaan syntax; report it as lavaan would.

    Parameters
    ----------
    data : DataFrame
        One row per observation; every observed variable of the model must be a numeric column.
        Rows with a missing value (NaN/NA) on any model variable are dropped (listwise deletion);
        recode missing-value codes (e.g. 99) to NaN before calling.
    model : str
        lavaan model syntax with ``=~`` (measurement), ``~`` (regression) and ``~~`` (covariance).
        As in lavaan's ``cfa()``/``sem()``: the first loading of each factor is fixed to 1, exogenous
        latent factors covary, residuals of observed outcomes that predict nothing covary, exogenous
        observed covariates have their (co)variances fixed at the sample values (``fixed.x``).
    estimator : {"ML"}
        Maximum likelihood with the N-divisor covariance matrix (lavaan ``likelihood = "normal"``).

    Returns
    -------
    SEMResult

    Raises
    ------
    SEMError
        Unknown estimator, unparsable model, missing or non-numeric columns, too few rows.

    Notes
    -----
    Estimation is semopy's ``MLW`` objective, :math:`F = \\log|\\Sigma| - \\log|S| +
    \\mathrm{tr}(S\\Sigma^{-1}) - p`, which equals twice lavaan's ML ``fmin`` when :math:`S` has divisor
    N (semopy's default). semopy's SLSQP result is then polished by Fisher scoring (expected Hessian
    :math:`2\\mathcal{I}/N`) to a step below 1e-11. Standard errors: inverse expected information
    :math:`\\mathcal{I}_{ij} = \\tfrac{N}{2}\\mathrm{tr}(\\Sigma^{-1}\\partial_i\\Sigma\\,\\Sigma^{-1}
    \\partial_j\\Sigma)` (semopy ``calc_fim``; lavaan ``information = "expected"``). Standardized
    (``std.all``) coefficients: :math:`b\\,\\mathrm{sd}(rhs)/\\mathrm{sd}(lhs)` with model-implied SDs;
    their SEs by the delta method, :math:`J V J'`, with :math:`J` a central-difference Jacobian over the
    free parameters (lavaan uses a complex-step Jacobian; both are exact to far below 1e-6).

    References
    ----------
    Rosseel (2012); Igolkina & Meshcheryakov (2020); lavaan source ``R/lav_standardize.R`` and
    ``R/lav_object_inspect.R`` (``lav_inspect_vcov(standardized = TRUE)``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(400, 2))
    >>> df = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": x @ [0.5, 0.3] + rng.normal(size=400)})
    >>> res = fit(df, "y ~ x1 + x2")
    >>> res.fit["df"], res.fit["cfi"]
    (0, 1.0)
    >>> res.paths[["lhs", "rhs"]].values.tolist()
    [['y', 'x1'], ['y', 'x2']]
    """
    with threadpool_limits(limits=1, user_api="blas"):  # 9x9 matrices: threads only contend (30x slower)
        return _fit(data, model, estimator)


def _fit(data: pd.DataFrame, model: str, estimator: str) -> SEMResult:
    if str(estimator).upper() != "ML":
        raise SEMError(f"estimator must be 'ML', got {estimator!r}")
    spec = parse_model(model)
    if not any(spec.values()):
        raise SEMError("the model is empty: write e.g. 'f =~ a + b + c' or 'y ~ a + b'")
    statements = [t.strip() for t in re.split(r"[;\n]", re.sub(r"#[^\n]*", "", model)) if t.strip()]
    import semopy  # here, not at the top: the import costs seconds and most users of this module never fit

    try:
        m = semopy.Model("\n".join(statements))  # semopy reads one statement per line, no ';'
    except Exception as exc:  # semopy's parser raises bare exceptions of several kinds
        raise SEMError(f"cannot read the model: {exc}") from None
    obs = list(m.vars["observed"])
    absent = [v for v in obs if v not in data.columns]
    if absent:
        raise SEMError(
            f"variable(s) in the model but not in the data: {', '.join(absent)}"
            f" (columns: {', '.join(map(str, data.columns))})"
        )
    d = pd.DataFrame({v: _numeric(data[v], v) for v in obs}, index=data.index).dropna()
    n = len(d)
    if n <= len(obs):
        raise SEMError(f"only {n} complete rows for {len(obs)} observed variables")
    constant = [v for v in obs if d[v].std() == 0]
    if constant:
        raise SEMError(f"variable(s) constant in the complete rows: {', '.join(constant)}")
    try:
        with warnings.catch_warnings(), _quiet_semopy():
            warnings.simplefilter("ignore")
            res = m.fit(d, obj="MLW")
    except Exception as exc:  # singular matrices etc. inside semopy's optimizer
        raise SEMError(f"the model did not converge (semopy: {type(exc).__name__}: {exc})") from None
    with _quiet_semopy():
        x, n_iter = _polish(m, n)
    s = np.asarray(m.mx_cov, float)
    sigma = m.calc_sigma()[0]
    _check_converged(m, x, sigma)
    obs_exo = sorted(set(obs) & set(m.vars["exogenous"]))
    fixed_x = [obs.index(v) for v in obs_exo]
    npar = int(x.size)
    fm = fit_measures(s, sigma, n, npar, fixed_x)
    _check_identified(m, x, fm["df"])

    lay = _Layout(m, spec)
    fmin = fm.pop("fmin")
    base_chisq, base_df = fm.pop("baseline_chisq"), fm.pop("baseline_df")
    q = lay.quantities(x, spec)
    jac = _jacobian(lambda v: lay.quantities(v, spec), x)
    m.update_matrices(x)
    with _quiet_semopy():
        _, vcov = m.calc_fim(inverse=True)
    se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, vcov, jac), 0, None))

    nl, npth = len(spec["measurement"]), len(spec["regression"])
    sl = slice(0, nl), slice(nl, 2 * nl)
    sp = slice(2 * nl, 2 * nl + npth), slice(2 * nl + npth, 2 * nl + 2 * npth)
    sr = slice(2 * nl + 2 * npth, None)

    def zp(est: np.ndarray, s_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(s_ > 0, est / s_, np.nan)
        return z, 2 * stats.norm.sf(np.abs(z))

    raw_se_l = np.where(se[sl[0]] > 1e-12, se[sl[0]], np.nan)  # fixed loadings have zero Jacobian
    z_l, p_l = zp(q[sl[0]], raw_se_l)
    loadings = pd.DataFrame(
        {
            "latent": [a for a, _ in spec["measurement"]],
            "indicator": [b for _, b in spec["measurement"]],
            "est": q[sl[0]],
            "std_all": q[sl[1]],
            "se": raw_se_l,
            "z": z_l,
            "pvalue": p_l,
            "std_se": se[sl[1]],
        }
    )
    z_sp, p_sp = zp(q[sp[1]], se[sp[1]])
    raw_se_p = np.where(se[sp[0]] > 1e-12, se[sp[0]], np.nan)
    z_rp, p_rp = zp(q[sp[0]], raw_se_p)
    paths = pd.DataFrame(
        {
            "lhs": [a for a, _ in spec["regression"]],
            "rhs": [b for _, b in spec["regression"]],
            "est": q[sp[0]],
            "std_all": q[sp[1]],
            "se": se[sp[1]],
            "ci_lower": q[sp[1]] - _Z975 * se[sp[1]],
            "ci_upper": q[sp[1]] + _Z975 * se[sp[1]],
            "z": z_sp,
            "pvalue": p_sp,
            "est_se": raw_se_p,
            "est_z": z_rp,
            "est_pvalue": p_rp,
        }
    )
    r2 = {v: float(val) for v, val in zip(lay.endo, q[sr])}
    extra = {
        "fmin": fmin,
        "baseline_chisq": base_chisq,
        "baseline_df": base_df,
        "npar": npar,
        "fixed_x": obs_exo,
        "n_dropped": int(len(data) - n),
        "observed": obs,
        "semopy_message": str(getattr(res, "message", "")),
        "polish_iterations": n_iter,
        "semopy_version": getattr(semopy, "__version__", "unknown"),
    }
    return SEMResult(n=n, fit=fm, loadings=loadings, paths=paths, r2=r2, model=model, extra=extra)
