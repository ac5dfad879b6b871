"""Synthetic twin of the digital-skills survey of paper 000 (``digital_survey``, 200 respondents).

The model (documented in ``data/synthetic_model.digital_survey.md``):

* **Sample design** — fixed counts of central respondents per region (capital-heavy) and the
  rest of the sample spread equally over the 20 regions; positions and functional areas as
  exact counts (largest remainder) in random order; tenure gamma-distributed.
* **Headline items as exact counts** — the paper's three published counts (120 "not
  required at hiring", 109 difficulties through lack of experience or inadequate training,
  113 never trained) are exact. *Who* gets which answer follows a latent score (a linear
  predictor plus normal noise; the top-k respondents get the answer), which builds in
  plausible associations: long tenure → not required at hiring; regional → never trained;
  never trained → difficulties, and → "inadequate training" as their cause.
* **Barriers to training** — the number of respondents with at least one barrier is exact
  per level (regional share clearly higher), preferentially the never-trained; extra
  barriers ~ Poisson (more for regional staff); which barriers by level-specific weights.
* **Challenges (Table 2) and responsibilities (Tables 3-4, Figure 1)** — independent
  Bernoulli draws with probabilities by level, and by functional area shifted on the logit
  scale by position. The paper's cell values are not available, so these are invented.
  ``none`` is ticked exactly when no other option is.

Every draw comes from the ``rng`` passed in, in a fixed order: same seed → same frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from civcomp.io import ledger
from civcomp.io.codebook import load_codebook
from civcomp.io.params import ParamsError
from civcomp.synth.rounding import exact_counts

CFG_FILE = "params/synthetic/digital_survey.yaml"
TENURE_MISSING = -9


def _shuffled(counts: dict[str, int], rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(np.repeat(list(counts), list(counts.values())))


def _top(score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` highest scores (stable for ties)."""
    mask = np.zeros(len(score), dtype=bool)
    mask[np.argsort(-score, kind="stable")[:k]] = True
    return mask


def _get(cfg: dict, path: str):
    node = cfg
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise ParamsError(f"{CFG_FILE}: missing key {path!r}")
        node = node[key]
    return node


def check_cfg(cfg: dict, cb=None) -> None:
    """Raise :class:`~civcomp.io.params.ParamsError` naming the first malformed key of the config."""
    cb = cb or load_codebook("digital_survey")
    n = _get(cfg, "n_respondents")
    if not isinstance(n, int) or n < 20:
        raise ParamsError(f"{CFG_FILE}: n_respondents must be an integer >= 20, got {n!r}")
    central = _get(cfg, "sample.central_regions")
    bad = [r for r in central if r not in cb.categories("region")]
    if bad:
        raise ParamsError(f"{CFG_FILE}: sample.central_regions: unknown region {bad[0]!r}")
    if sum(central.values()) >= n:
        raise ParamsError(f"{CFG_FILE}: sample.central_regions must sum to less than n_respondents ({n})")
    spread = _get(cfg, "sample.regional_spread")
    if spread != "equal":
        raise ParamsError(
            f"{CFG_FILE}: sample.regional_spread must be 'equal' (the only spread modelled), got {spread!r}"
        )
    for path, field in (
        ("sample.position_shares", "position"),
        ("sample.functional_area_shares", "functional_area"),
        ("responsibilities.area_prob", "functional_area"),
    ):
        if sorted(_get(cfg, path)) != sorted(cb.categories(field)):
            raise ParamsError(f"{CFG_FILE}: {path} must have exactly the keys {cb.categories(field)}")
    for path in (
        "digital_required_at_hiring.n_no",
        "formal_training.n_never",
        "system_difficulty.n_experience_or_training",
    ):
        k = _get(cfg, path)
        if not isinstance(k, int) or not 0 <= k <= n:
            raise ParamsError(f"{CFG_FILE}: {path} must be an integer between 0 and {n}, got {k!r}")
    for level in ("central", "regional"):
        v = _get(cfg, f"barriers.share_any.{level}")
        if not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ParamsError(f"{CFG_FILE}: barriers.share_any.{level} must be a share in [0, 1], got {v!r}")
        for path in (f"barriers.weights.{level}", f"challenges.prob.{level}"):
            _get(cfg, path)


def _multiselect(prob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """0/1 matrix from per-respondent option probabilities, plus a last ``none`` column."""
    ticks = (rng.uniform(size=prob.shape) < prob).astype(int)
    return np.column_stack([ticks, (ticks.sum(axis=1) == 0).astype(int)])


def generate(cfg: dict, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Generate the synthetic ``digital_survey`` frame (columns exactly as its codebook).

    Parameters
    ----------
    cfg : dict
        ``params/synthetic/digital_survey.yaml``.
    rng : numpy.random.Generator
        The only source of randomness (the orchestrator passes ``default_rng([seed, 2])``).

    Returns
    -------
    dict
        ``{"digital_survey": DataFrame}``, one row per respondent, ids ``DS001``...

    Examples
    --------
    >>> from civcomp import paths
    >>> from civcomp.io import params
    >>> cfg = params.read_yaml(paths.PARAMS / "synthetic" / "digital_survey.yaml")
    >>> df = generate(cfg, np.random.default_rng([20250412, 2]))["digital_survey"]
    >>> len(df), int((df.digital_required_at_hiring == "no").sum()), int((df.formal_training == "never").sum())
    (200, 120, 113)
    """
    cfg = ledger.resolve(cfg)  # targets are {ledger: id} references to data/published/claims.yaml
    cb = load_codebook("digital_survey")
    check_cfg(cfg, cb)
    n, s = int(cfg["n_respondents"]), cfg["sample"]
    regions = cb.categories("region")

    # --- sample design
    central = {r: int(k) for r, k in s["central_regions"].items()}
    n_central = sum(central.values())
    regional = exact_counts({r: 1.0 for r in regions}, n - n_central)  # sample.regional_spread: equal
    level = np.array(["central"] * n_central + ["regional"] * (n - n_central))
    region = np.concatenate(
        [np.repeat(list(central), list(central.values())), np.repeat(list(regional), list(regional.values()))]
    )
    position = _shuffled(exact_counts(s["position_shares"], n), rng)
    area = _shuffled(exact_counts(s["functional_area_shares"], n), rng)
    t = s["tenure"]
    tenure = rng.gamma(float(t["shape"]), float(t["scale"]), size=n) + np.where(
        position == "head", float(t["head_extra_years"]), 0
    )
    tenure = np.clip(np.round(tenure), 0, int(t["max"])).astype(int)
    is_reg = (level == "regional").astype(float)

    # --- digital competencies required at hiring: exact number of "no", longest-serving first (noisy)
    c = cfg["digital_required_at_hiring"]
    score = c["latent"]["tenure_per_year"] * tenure + rng.normal(0, c["latent"]["noise_sd"], n)
    no = _top(score, int(c["n_no"]))
    required = np.empty(n, dtype=object)
    required[no] = "no"
    required[~no] = _shuffled(exact_counts(c["other"], int((~no).sum())), rng)

    # --- formal training after hiring: exact number "never", regional staff more often
    c = cfg["formal_training"]
    score = c["latent"]["regional"] * is_reg + rng.normal(0, c["latent"]["noise_sd"], n)
    order = np.argsort(-score, kind="stable")
    k_other = exact_counts(c["other"], n - int(c["n_never"]))
    training = np.empty(n, dtype=object)
    training[order] = np.repeat(["never", *k_other], [int(c["n_never"]), *k_other.values()])
    never = (training == "never").astype(float)

    # --- difficulties with government systems: exact number through experience or training
    c = cfg["system_difficulty"]
    score = (
        c["latent"]["never_trained"] * never
        + c["latent"]["regional"] * is_reg
        + rng.normal(0, c["latent"]["noise_sd"], n)
    )
    hard = _top(score, int(c["n_experience_or_training"]))
    split = exact_counts(c["cause_split"], int(hard.sum()))
    cause_score = c["inadequate_training_if_never"] * never + rng.normal(0, 1, n)
    cause_score[~hard] = -np.inf
    inadequate = _top(cause_score, split["inadequate_training"])
    difficulty = np.empty(n, dtype=object)
    difficulty[hard] = "lack_of_experience"
    difficulty[inadequate] = "inadequate_training"
    difficulty[~hard] = _shuffled(exact_counts(c["other"], int((~hard).sum())), rng)

    # --- barriers to training: exact number with >= 1 barrier per level
    c = cfg["barriers"]
    opts = [o for o in cb.multiselect[2].options if o != "none"]
    barriers = np.zeros((n, len(opts) + 1), dtype=int)
    score = c["never_trained_weight"] * never + rng.normal(0, 1, n)
    for lv in ("central", "regional"):
        idx = np.flatnonzero(level == lv)
        k_any = int(np.floor(float(c["share_any"][lv]) * len(idx) + 0.5))
        with_b = idx[np.argsort(-score[idx], kind="stable")[:k_any]]
        w = np.array([float(c["weights"][lv][o]) for o in opts])
        extra = rng.poisson(float(c["extra_barriers_mean"][lv]), size=len(with_b))
        for i, e in zip(with_b, extra):
            picks = rng.choice(len(opts), size=min(len(opts), 1 + int(e)), replace=False, p=w / w.sum())
            barriers[i, picks] = 1
    barriers[:, -1] = (barriers[:, :-1].sum(axis=1) == 0).astype(int)

    # --- challenges (Table 2)
    c = cfg["challenges"]
    copts = [o for o in cb.multiselect[0].options if o != "none"]
    prob = np.array(
        [
            [float(c["prob"][lv][o]) + float(c.get("never_trained_extra", {}).get(o, 0)) * nv for o in copts]
            for lv, nv in zip(level, never)
        ]
    )
    challenges = _multiselect(np.clip(prob, 0, 0.97), rng)

    # --- responsibilities (Tables 3-4, Figure 1)
    c = cfg["responsibilities"]
    ropts = [o for o in cb.multiselect[1].options if o != "none"]
    lp = np.array(
        [
            [logit(float(c["area_prob"][a][o])) + float(c["position_logit"].get(p, {}).get(o, 0)) for o in ropts]
            for a, p in zip(area, position)
        ]
    )
    resp = _multiselect(expit(lp), rng)

    # --- blank tenure answers, then interleave central and regional rows
    tenure[rng.choice(n, size=int(s.get("n_tenure_missing", 0)), replace=False)] = TENURE_MISSING
    df = pd.DataFrame(
        {
            "level": level,
            "region": region,
            "position": position,
            "functional_area": area,
            "tenure_years": tenure,
            "digital_required_at_hiring": required,
            "system_difficulty": difficulty,
            "formal_training": training,
        }
    )
    for ms, mat in zip(cb.multiselect, (challenges, resp, barriers)):
        for j, col in enumerate(ms.columns):
            df[col] = mat[:, j]
    df = df.iloc[rng.permutation(n)].reset_index(drop=True)
    df.insert(0, "respondent_id", [f"DS{i:03d}" for i in range(1, n + 1)])
    return {"digital_survey": df[cb.columns]}
