"""Post-stratification weights (raking to population shares) with Kish's effective n."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def poststratification_weights(
    df: pd.DataFrame, targets: dict[str, dict[str, float]], by: Sequence[str] = ("level", "region")
) -> pd.Series:
    """Post-stratification weights so the weighted sample matches population shares per cell.

    Parameters
    ----------
    df : DataFrame
        Respondents with the columns named in ``by``.
    targets : dict
        Population size (or share) per stratum: nested ``{level: {region: size}}`` for two
        keys, or ``{value: size}`` for one. Only the ratios matter. With two keys, a level
        may map to a single number instead of a dict: it is then one stratum (its regions
        pooled), e.g. central bodies whose staff's regional spread is unknown.
    by : sequence of str
        Stratification columns (one or two).

    Returns
    -------
    Series
        Weight per respondent, ``(N_h / N) / (n_h / n)``, mean 1 over the sample.

    Raises
    ------
    ValueError
        If a sampled stratum has no target or a target stratum has no respondents.

    Examples
    --------
    >>> d = pd.DataFrame({"level": ["central", "regional", "regional", "regional"]})
    >>> poststratification_weights(d, {"central": 1, "regional": 1}, by=["level"]).tolist()
    [2.0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666]
    """
    by = list(by)
    if len(by) == 1:
        flat = {(k,): float(v) for k, v in targets.items()}
    elif len(by) == 2:
        flat = {}
        for a, inner in targets.items():
            if isinstance(inner, dict):
                flat.update({(a, b): float(v) for b, v in inner.items()})
            else:
                flat[(a, None)] = float(inner)
    else:
        raise ValueError("poststratification_weights supports one or two stratification columns")
    cols = [df[b].astype(object).tolist() for b in by]
    if len(by) == 1:
        keys = [(a,) for a in cols[0]]
    else:
        pooled = {k[0] for k in flat if k[1] is None}
        keys = [(a, None) if a in pooled else (a, b) for a, b in zip(*cols)]
    sample = pd.Series(keys).value_counts()
    missing = [k for k in sample.index if k not in flat]
    if missing:
        raise ValueError(f"post-stratification: no population target for stratum {missing[0]} ({by})")
    empty = [k for k, v in flat.items() if v > 0 and k not in sample.index]
    if empty:
        raise ValueError(f"post-stratification: stratum {empty[0]} ({by}) has a target but no respondents")
    total_pop = sum(v for k, v in flat.items() if v > 0)
    n = len(keys)
    w = [(flat[k] / total_pop) / (sample[k] / n) for k in keys]
    return pd.Series(w, index=df.index, name="weight", dtype=float)
