"""Robustness panel, paper 003's factor model (Table 3) and its "strong determinants": every reading recomputed.

The checked reading is notebook 03's own computation (the settings its results file records: extraction
method, number of components, items); every other reading changes **one** choice and keeps the rest, so each
row compares like with like:

* **correlations** (each on its own respondents, reported with its N): listwise Pearson (checked), pairwise
  Pearson, mean substitution, polychoric (on the same complete cases as the checked reading); all 10,942
  respondents instead of the 10,629 regional ones; the eight determinants without Innovative Capacity (the
  same complete cases, line 198's "eight items"). KMO and Bartlett's test depend only on the correlation
  matrix, so they are shown for these readings only, never repeated per extraction method;
* **extraction** on the checked matrix: principal axis factoring, minres, maximum likelihood, and SPSS's
  "Initial" communalities (squared multiple correlations, the first column of SPSS's table for PAF);
* **number of factors**: one, Kaiser's rule, Horn's parallel analysis (the count notebook 03 found), two;
* **"six communalities above 0.4"**: survives a reading when the *same* variables as Table 3's six exceed
  the cut (with eight determinants: the same five), also with the cut read literally as 0.004;
* **"strong determinants"** (:func:`civcomp.analyses.capacity.strong_determinants_hold`, the one definition):
  which determinants count as strong is the reading: communality above the cut (checked, the paper's Table 3
  criterion), the dominance-and-Pratt rule of notebook 03 (:func:`~civcomp.analyses.capacity_structural.strong_rule`),
  the five largest general-dominance weights, the five largest standardized coefficients.

Everything returned is aggregate. Refits use correlation matrices computed once (no resampling: the
parallel-analysis count is notebook 03's), so the panel costs well under a second.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from civcomp.analyses.capacity import strong_determinants_hold
from civcomp.analyses.capacity_structural import strong_rule
from civcomp.stats import efa as efa_mod
from civcomp.stats.importance import relative_importance
from civcomp.stats.polychoric import polychoric

FAMILY = "factor model"
CUTS = ((0.4, "cut 0.4"), (0.004, 'cut 0.004 ("0.4%" literally)'))
OUTCOME = "innovative_capacity"


def _numeric(frame: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    return frame[items].apply(pd.to_numeric, errors="coerce").astype(float)


def correlation_readings(
    regional: pd.DataFrame, everyone: pd.DataFrame, items: list[str]
) -> dict[str, tuple[np.ndarray, int, list[str]]]:
    """Correlation matrix, N and items of each correlation reading (see the module docstring)."""
    x = _numeric(regional, items)
    complete = x.dropna()
    obs = x.notna().to_numpy(float)
    pair_n = obs.T @ obs
    out = {
        "checked": (complete.corr().to_numpy(), len(complete), items),
        "pairwise Pearson": (x.corr().to_numpy(), int(pair_n[~np.eye(len(items), dtype=bool)].min()), items),
        "mean substitution": (x.fillna(x.mean()).corr().to_numpy(), len(x), items),
        "polychoric": (polychoric(complete.to_numpy()), len(complete), items),
    }
    everyone_complete = _numeric(everyone, items).dropna()
    out["all respondents"] = (everyone_complete.corr().to_numpy(), len(everyone_complete), items)
    if OUTCOME in items:
        eight = [c for c in items if c != OUTCOME]
        out["eight determinants"] = (complete[eight].corr().to_numpy(), len(complete), eight)
    return out


def _fit(r: np.ndarray, n: int, cols: list[str], k: int | str, method: str, rule: str = "kaiser"):
    return efa_mod.fit(r, n, cols, n_factors=k, method=method, n_factors_rule=rule, parallel_iterations=0)


def factor_readings(
    regional: pd.DataFrame,
    everyone: pd.DataFrame,
    settings: dict[str, Any],
    n_total: int | None,
    n_regional: int,
    min_cell_size: int | None = None,
) -> list[dict[str, Any]]:
    """One row per claim x reading: ``claim_id, family, alternative, checked, value`` (and ``survives`` where
    the claim's own check does not apply as is).

    ``n_total`` None: the other level is small (the difference of two printed sizes would give it), so the
    reading on all respondents prints no size; nor does it print its complete cases when the other level's
    (their difference from the regional complete cases) are 1 … ``min_cell_size - 1``.

    ``settings`` are notebook 03's: ``items``, ``method``, ``n_factors_rule``, ``n_factors_parallel``, ``cut``,
    ``strong``, ``weaker`` and ``paper_six`` (the variables above the cut in Table 3, from the ledger).
    """
    items, method, rule = list(settings["items"]), settings["method"], settings["n_factors_rule"]
    corr = correlation_readings(regional, everyone, items)
    r, n, _ = corr["checked"]
    checked = _fit(
        r, n, items, "auto" if rule in ("kaiser", "scree") else int(settings["n_factors_parallel"]), method, rule
    )
    k = checked.n_factors
    label = f"{method} · {k} component(s) by {rule} · listwise Pearson · regional (N = {n:,})"
    rows: list[dict[str, Any]] = []

    def add(cid: str, alt: str, value: Any, is_checked: bool = False, survives: bool | None = None) -> None:
        rows.append(
            {
                "claim_id": cid,
                "family": FAMILY,
                "alternative": alt,
                "checked": is_checked,
                "value": value,
                "survives": survives,
            }
        )

    # KMO and Bartlett: one row per correlation reading
    n_all = corr["all respondents"][1]
    few = min_cell_size is not None and 0 < n_all - n < int(min_cell_size)
    on_all = "all respondents, listwise" if n_total is None else f"all {n_total:,} respondents, listwise"
    what = {
        "checked": label,
        "pairwise Pearson": "pairwise Pearson (N ≥ {n:,} per pair)",
        "mean substitution": "mean substitution (N = {n:,})",
        "polychoric": "polychoric, same complete cases (N = {n:,})",
        "all respondents": on_all
        if n_total is None
        else f"{on_all} vs {n_regional:,} regional"
        if few
        else f"{on_all} (N = {{n:,}}) vs {n_regional:,} regional",
        "eight determinants": "eight determinants, same complete cases (N = {n:,})",
    }
    fits = {"checked": checked}
    for name, (rr, nn, cols) in corr.items():
        if name != "checked":
            fits[name] = _fit(rr, nn, cols, k, method)
        res, alt = fits[name], what[name].format(n=nn)
        add("p003_kmo", alt, res.kmo, name == "checked")
        add("p003_kmo_adequate", alt, bool(res.kmo > 0.5), name == "checked")
        add("p003_bartlett_p", alt, bool(res.bartlett["p"] < 0.001), name == "checked")
    # extraction and number of factors on the checked matrix
    smc = pd.Series(efa_mod.smc(r), items)
    for m, name in (("pa", "principal axis factoring"), ("minres", "minres"), ("ml", "maximum likelihood")):
        fits[name] = _fit(r, n, items, k, m)
    k_par = int(settings["n_factors_parallel"]) if settings.get("n_factors_parallel") else None
    for kk, name in (
        (1, "1 component (forced)"),
        (checked.n_factors_by["kaiser"], "Kaiser's rule"),
        (k_par, "parallel analysis"),
        (2, "2 components"),
    ):
        if kk:  # kept when it equals the checked count, and said so: the reader sees the rules agree
            same = " (= the checked solution)" if int(kk) == k else ""
            fits[f"{name}: {kk}{same}"] = _fit(r, n, items, int(kk), method)
    communalities = {key: res.communalities for key, res in fits.items() if key not in ("checked",)}
    communalities = {label: checked.communalities, **communalities, 'SPSS "Initial" communalities (SMC)': smc}
    relabel = {k_: what[k_].format(n=corr[k_][1]) for k_ in corr if k_ != "checked"}
    six = set(settings["paper_six"])
    for alt, h in communalities.items():
        alt = relabel.get(alt, alt)
        is_checked = alt == label
        for c in items:
            add(f"p003_communality_{c}", alt, float(h[c]) if c in h.index else None, is_checked)
        for cut, cut_label in CUTS:
            if cut != 0.4 and not is_checked:
                continue
            above = {c for c in h.index if h[c] > cut}
            name = alt if cut == 0.4 else cut_label
            add(
                "p003_six_communalities_above_0_4",
                name,
                len(above),
                is_checked and cut == 0.4,
                above == six & set(h.index),
            )
        flags = h > settings["cut"]
        add(
            "p003_strong_determinants",
            alt,
            strong_determinants_hold(flags, settings["strong"], settings["weaker"]),
            is_checked,
        )
    rows += strong_readings(regional, everyone, settings, n_total)
    return rows


def strong_readings(
    regional: pd.DataFrame, everyone: pd.DataFrame, settings: dict[str, Any], n_total: int | None
) -> list[dict]:
    """ "Strong determinants" by regression: which determinants are strong under each rule, then the one definition."""
    dets = [c for c in settings["items"] if c != OUTCOME]
    strong, weaker = settings["strong"], settings["weaker"]
    rows = []
    for frame, who in ((regional, "regional"), (everyone, "all" if n_total is None else f"all {n_total:,}")):
        imp = relative_importance(_numeric(frame, list(settings["items"])), OUTCOME, dets).set_index("variable")
        top = len(strong)
        rules = {
            f"dominance ≥ 1/k and Pratt > 1/2k (notebook 03's rule), {who}": strong_rule(imp.reset_index()).set_axis(
                imp.index
            ),
            f"the {top} largest general-dominance weights, {who}": imp["general_dominance"].rank(ascending=False)
            <= top,
            f"the {top} largest standardized coefficients β, {who}": imp["beta"].rank(ascending=False) <= top,
        }
        for alt, flags in rules.items():
            n_named = int(sum(bool(flags[s]) for s in strong))
            rows.append(
                {
                    "claim_id": "p003_strong_determinants",
                    "family": FAMILY,
                    "alternative": f"{alt}: {n_named} of the {len(strong)} named strong",
                    "checked": False,
                    "value": strong_determinants_hold(flags, strong, weaker),
                    "survives": None,
                }
            )
    return rows
