"""Integer counts from shares: how every generator of the twin hits a published percentage exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from civcomp.io.params import ParamsError


def exact_counts(shares: Mapping[str, float] | Sequence[float], n: int):
    """Integer counts summing to ``n``, closest to ``shares / sum(shares) * n`` (largest remainder,
    Hamilton's method; ties go to the earlier share).

    A mapping gives a ``{key: count}`` dict, a sequence a NumPy array.

    References
    ----------
    Balinski, M. L. & Young, H. P. (2001). *Fair Representation*, 2nd ed. Brookings.

    Examples
    --------
    >>> exact_counts([.41, .27, .15, .12, .05], 10629).tolist()
    [4358, 2870, 1594, 1276, 531]
    >>> exact_counts({"a": 1, "b": 1, "c": 1}, 10)
    {'a': 4, 'b': 3, 'c': 3}
    """
    keys = list(shares) if isinstance(shares, Mapping) else None
    s = np.array([float(shares[k]) for k in keys] if keys is not None else shares, dtype=float)
    if (s < 0).any() or s.sum() <= 0:
        raise ParamsError(f"shares must be non-negative with a positive sum, got {dict(shares) if keys else list(s)}")
    s = s / s.sum() * n
    c = np.floor(s).astype(int)
    c[np.argsort(-(s - c), kind="stable")[: n - c.sum()]] += 1
    return c if keys is None else {k: int(v) for k, v in zip(keys, c)}
