"""Synthetic twin of the 360-degree appraisal (paper 003, Appendix A, Q10-Q13).

Every respondent of ``capacity_survey`` rates the 15 competencies for four
perspectives (self, immediate supervisor, head of the state body, a colleague)
on 0-10, 0 meaning "I do not have this competency". The latent rating is an
additive mixed model

    y[r,p,c] = mu_p + a_c + w_p * b[pos_r, c] + m[pos_r] + g[region_r]
               + u_r + v_rp + s_rc + e_rpc - crit_rp * D_rp

(perspective mean, competency profile, position x competency effect, position and
region effects, respondent leniency, rated-person effect, respondent x competency
effect, noise, and a "critical relationship" drop), rounded and clipped to 1-10;
a small, latent-dependent share of ratings becomes 0. The perspective means
``mu_p`` and the prevalence of critical relationships are then calibrated on the
realised regional sample so that the published aggregates are recovered exactly:
perspective means 7.59-7.87 and one respondent in four with a score below 5.
See ``data/synthetic_model.appraisal_360.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from civcomp import paths
from civcomp.io import ledger
from civcomp.io import params as params_mod

PERSPECTIVES = ("self", "supervisor", "head", "colleague")


def _competencies() -> list[str]:
    return list(params_mod.read_yaml(paths.CODEBOOKS / "_shared.yaml")["competencies"])


class _Draws:
    """All random draws, made once so that calibration moves only the two calibrated knobs."""

    def __init__(self, cfg: dict, rng: np.random.Generator, capacity: pd.DataFrame, comps: list[str]):
        st = cfg["structure"]
        n, P, C = len(capacity), len(PERSPECTIVES), len(comps)
        pos = capacity["position_level"].astype(str).to_numpy()
        region = capacity["region"].astype(str).to_numpy()
        regions = sorted(set(region))

        fixed = np.zeros((n, P, C))
        fixed += np.array([st["competency_effects"].get(c, 0.0) for c in comps])[None, None, :]
        w = np.array([st["position_effect_weights"].get(p, 1.0) for p in PERSPECTIVES])
        for level, effects in st["position_competency_effects"].items():
            b = np.array([effects.get(c, 0.0) for c in comps])
            fixed[pos == level] += w[:, None] * b[None, :]
        fixed += np.array([st["position_main_effects"].get(p, 0.0) for p in pos])[:, None, None]

        # Draw order is fixed: region, leniency, target, respondent x competency, noise, critical, zeros.
        g = dict(zip(regions, rng.normal(0.0, st["sd_region"], len(regions))))
        fixed += np.array([g[r] for r in region])[:, None, None]
        fixed += rng.normal(0.0, st["sd_leniency"], n)[:, None, None]
        fixed += rng.normal(0.0, st["sd_target"], (n, P))[:, :, None]
        fixed += rng.normal(0.0, st["sd_respondent_competency"], (n, C))[:, None, :]
        fixed += rng.normal(0.0, st["sd_noise"], (n, P, C))
        crit_u = rng.random((n, P))  # critical relationship if below the prevalence
        crit_d = st["critical_shift_mean"] * rng.exponential(1.0, (n, P))
        zero_user = rng.random(n) < st["zero_users"]
        zero_u = rng.random((n, P, C))

        # Zeros: a fixed mask (it does not move with calibration), only for zero users, tilted
        # towards their low latent ratings.
        z = (fixed - fixed.mean()) / fixed.std()
        tilt = np.exp(-st["zero_tilt"] * z)
        rate = np.array([st["zero_rate"].get(p, 0.0) for p in PERSPECTIVES])[None, :, None]
        self.zero = zero_user[:, None, None] & (zero_u < np.minimum(rate * tilt / tilt.mean(), 1.0))
        self.fixed, self.crit_u, self.crit_d = fixed, crit_u, crit_d

    def scores(self, mu: np.ndarray, prevalence: float, rows=slice(None), persp=slice(None)) -> np.ndarray:
        lat = self.fixed[rows, persp] + np.asarray(mu)[..., None]
        lat = lat - ((self.crit_u[rows, persp] < prevalence) * self.crit_d[rows, persp])[..., None]
        s = np.clip(np.rint(lat), 1, 10)
        s[self.zero[rows, persp]] = 0
        return s


def _mean_nonzero(s: np.ndarray) -> float:
    nz = s > 0
    return float(s[nz].sum() / nz.sum())


def _share_below(s: np.ndarray, threshold: int) -> float:
    low = (s >= 1) & (s < threshold)
    return float(low.reshape(len(s), -1).any(axis=1).mean())


def _calibrate(d: _Draws, rows: np.ndarray, cfg: dict) -> tuple[np.ndarray, float]:
    """Perspective means (inner) and critical prevalence (outer) on the analysed rows."""
    t = cfg["targets"]
    targets = np.array([t["perspective_means"][p] for p in PERSPECTIVES], dtype=float)
    thr = int(t["below_threshold"])

    def fit_mu(prev: float) -> np.ndarray:
        mu = np.empty(len(PERSPECTIVES))
        for j in range(len(PERSPECTIVES)):

            def f(m, j=j):
                return _mean_nonzero(d.scores(np.array([m]), prev, rows, slice(j, j + 1))) - targets[j]

            mu[j] = brentq(f, targets[j] - 4, targets[j] + 6, xtol=1e-6)
        return mu

    def share_gap(prev: float) -> float:
        return _share_below(d.scores(fit_mu(prev), prev, rows), thr) - t["share_any_below"]

    hi = float(cfg["structure"]["critical_prevalence_max"])
    if share_gap(0.0) > 0:
        raise ValueError(
            "params/synthetic/appraisal_360.yaml: share_any_below is already exceeded without "
            "critical relationships; lower the structure SDs"
        )
    if share_gap(hi) < 0:
        raise ValueError(
            "params/synthetic/appraisal_360.yaml: share_any_below not reachable; raise "
            "critical_prevalence_max or critical_shift_mean"
        )
    prev = brentq(share_gap, 0.0, hi, xtol=1e-6)
    return fit_mu(prev), prev


def generate(cfg: dict, rng: np.random.Generator, capacity_survey: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Generate the long-format ``appraisal_360`` frame keyed to ``capacity_survey``.

    Parameters
    ----------
    cfg : dict
        ``params/synthetic/appraisal_360.yaml`` (``targets`` and ``structure``).
    rng : numpy.random.Generator
        The only source of randomness: same generator state, same frame.
    capacity_survey : pandas.DataFrame
        Needs ``respondent_id``, ``level``, ``region`` and ``position_level``.

    Returns
    -------
    dict
        ``{"appraisal_360": DataFrame}`` with columns respondent_id, perspective, competency, score;
        one row per respondent x 4 perspectives x 15 competencies, in that order.

    References
    ----------
    Paper 003 (``shared/seeds/003_*``), Figures 5-6 and Appendix A.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from civcomp import paths
    >>> from civcomp.io import params
    >>> cfg = params.read_yaml(paths.PARAMS / "synthetic" / "appraisal_360.yaml")
    >>> cap = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(400)], "level": "regional",
    ...                     "region": "abai", "position_level": ["executive"] * 330 + ["managerial"] * 70})
    >>> df = generate(cfg, np.random.default_rng(1), capacity_survey=cap)["appraisal_360"]
    >>> df.shape
    (24000, 4)
    """
    cfg = ledger.resolve(cfg)  # targets are {ledger: id} references to data/published/claims.yaml
    need = ["respondent_id", "level", "region", "position_level"]
    missing = [c for c in need if c not in capacity_survey.columns]
    if missing:
        raise ValueError(f"capacity_survey: missing column(s) {missing} needed by the appraisal generator")
    comps = _competencies()
    d = _Draws(cfg, rng, capacity_survey, comps)
    rows = np.flatnonzero(capacity_survey["level"].astype(str).to_numpy() == cfg["targets"]["analysed_level"])
    if len(rows) == 0:
        raise ValueError(f"capacity_survey: no rows with level == {cfg['targets']['analysed_level']!r}")
    mu, prev = _calibrate(d, rows, cfg)
    scores = d.scores(mu, prev).astype(np.int64)

    n, P, C = scores.shape
    out = pd.DataFrame(
        {
            "respondent_id": np.repeat(capacity_survey["respondent_id"].astype(str).to_numpy(), P * C),
            "perspective": np.tile(np.repeat(np.array(PERSPECTIVES), C), n),
            "competency": np.tile(np.array(comps), n * P),
            "score": scores.reshape(-1),
        }
    )
    return {"appraisal_360": out}
