"""The one home of every published number: read values from the claims ledger.

``data/published/claims.yaml`` holds each published number of papers 000 and 003
once. Everything else that needs one of them — the synthetic twin's calibration
targets in ``params/synthetic/*.yaml``, the side-by-side "paper" columns of the
notebooks — refers to the claim by its id and reads the value from here, so a number
is never typed twice and cannot drift.

In a ``params/synthetic/*.yaml`` file a target is written as a reference::

    n_total: {ledger: p003_n_total}                          # 10942
    share_executive: {ledger: p003_share_executive}          # 83 %  -> 0.83
    self: {ledger: p003_perspective_means_range, end: max}   # 7.59-7.87 -> 7.87

and :func:`resolve` replaces each reference by :func:`expected_value` of that claim
(the published value in the units the analyses produce: shares as fractions, a
percentage of a whole sample as its exact count). Validation of the ledger and the
evaluation of claims live in :mod:`civcomp.replication.claims`; this module only reads.

Examples
--------
>>> resolve({"n": {"ledger": "p003_n_total"}, "kmo": {"ledger": "p003_kmo"}, "seed_like": 3})
{'n': 10942, 'kmo': 0.84, 'seed_like': 3}
>>> resolve({"head": {"ledger": "p003_perspective_means_range", "end": "min"}})
{'head': 7.59}
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io.params import ParamsError, read_yaml

LEDGER = "claims.yaml"
REF_KEY = "ledger"
# The label of a figure or table whose cells the paper did not publish, drawn from the twin (its one wording)
ILLUSTRATION = "illustration: the paper did not publish these cells; values are the twin's assumptions"


def ledger_path(ledger: Path | str | None = None) -> Path:
    """The ledger file: ``data/published/claims.yaml`` unless another path is given."""
    if ledger is None:
        return paths.PUBLISHED / LEDGER
    p = Path(ledger)
    return p if p.is_absolute() or p.exists() else paths.PUBLISHED / p


def expected_value(claim: dict) -> Any:
    """The published value in the units of the recomputed result.

    Shares printed as percentages become fractions (83 % -> 0.83); a percentage of a
    whole sample (``base``) becomes the count that prints as it (round half up).

    Examples
    --------
    >>> expected_value({"kind": "count", "value": 54.5, "unit": "%", "base": 200})
    109
    >>> expected_value({"kind": "value", "value": 83, "unit": "%"})
    0.83
    """
    kind, v = claim["kind"], claim.get("value")
    if kind == "count" and "base" in claim:
        return int((Decimal(str(v)) * claim["base"] / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if kind in ("value", "range"):
        s = 0.01 if claim.get("unit") == "%" else 1.0
        return [round(x * s, 10) for x in v] if kind == "range" else round(v * s, 10)
    return v


@lru_cache(maxsize=8)
def _claims(path: str, mtime: float) -> dict[str, dict]:
    doc = read_yaml(Path(path))
    return {c["id"]: c for c in doc.get("claims") or [] if isinstance(c, dict) and "id" in c}


def claims_by_id(ledger: Path | str | None = None) -> dict[str, dict]:
    """Every claim of the ledger by id (read, not validated: see :func:`civcomp.replication.claims.load_ledger`)."""
    p = ledger_path(ledger)
    if not p.exists():
        raise ParamsError(f"{p}: claims ledger not found")
    return _claims(str(p), p.stat().st_mtime)


def target(claim_id: str, end: str | None = None, ledger: Path | str | None = None) -> Any:
    """The published value of one claim, in result units (``end`` = ``min``/``max`` of a range)."""
    by_id = claims_by_id(ledger)
    if claim_id not in by_id:
        raise ParamsError(f"{ledger_path(ledger)}: no claim {claim_id!r} (referred to as a twin target)")
    v = expected_value(by_id[claim_id])
    if isinstance(v, list):
        if end not in ("min", "max"):
            raise ParamsError(f"claim {claim_id!r} is a range: give end: min or end: max")
        return v[0] if end == "min" else v[1]
    if end is not None:
        raise ParamsError(f"claim {claim_id!r} is not a range: 'end' does not apply")
    return v


def is_ref(node: Any) -> bool:
    """Whether ``node`` is a ``{ledger: <claim id>}`` reference."""
    return isinstance(node, dict) and REF_KEY in node and set(node) <= {REF_KEY, "end"}


def resolve(cfg: Any, ledger: Path | str | None = None) -> Any:
    """A copy of ``cfg`` with every ``{ledger: id[, end: min|max]}`` replaced by the published value."""
    if is_ref(cfg):
        return target(str(cfg[REF_KEY]), cfg.get("end"), ledger)
    if isinstance(cfg, dict):
        return {k: resolve(v, ledger) for k, v in cfg.items()}
    if isinstance(cfg, list):
        return [resolve(v, ledger) for v in cfg]
    return cfg


def references(cfg: Any, where: str = "") -> list[tuple[str, str, str | None]]:
    """Every ledger reference in ``cfg`` as (dotted path, claim id, end)."""
    if is_ref(cfg):
        return [(where, str(cfg[REF_KEY]), cfg.get("end"))]
    if isinstance(cfg, dict):
        return [r for k, v in cfg.items() for r in references(v, f"{where}.{k}" if where else str(k))]
    if isinstance(cfg, list):
        return [r for i, v in enumerate(cfg) for r in references(v, f"{where}[{i}]")]
    return []


def twin_targets() -> set[str]:
    """Claim ids the synthetic twin's parameter files refer to as targets (``{ledger: id}``).

    Examples
    --------
    >>> "p003_kmo" in twin_targets(), "p003_good_fit" in twin_targets()
    (True, False)
    """
    out: set[str] = set()
    for f in sorted((paths.PARAMS / "synthetic").glob("*.yaml")):
        out |= {cid for _, cid, _ in references(read_yaml(f))}
    return out


def figure_role(step: str, name: str, data_source: str, ledger: Path | str | None = None) -> str:
    """What a saved figure's values are, from the ledger's ``figures:`` list: ``data``, ``calibrated``, ``illustration``.

    On the twin, a figure the ledger lists as an illustration (the paper published none of its cells) is
    ``illustration``; one that shows a claim the twin targets is ``calibrated``; any other is ``data``, as is
    every figure in real mode.

    Examples
    --------
    >>> figure_role("04_appraisal_360", "fig6_heatmap", "synthetic"), figure_role("04_appraisal_360", "fig6_heatmap", "real")
    ('illustration', 'data')
    >>> figure_role("03_innovative_capacity", "figure3_reasons", "synthetic")
    'calibrated'
    >>> figure_role("03_innovative_capacity", "scree_parallel", "synthetic")
    'data'
    """
    if data_source != "synthetic":
        return "data"
    p = ledger_path(ledger)
    figures = read_yaml(p).get("figures") or [] if p.exists() else []
    entry = next((f for f in figures if isinstance(f, dict) and f.get("output") == f"{step}__{name}"), None)
    if entry is None:
        return "data"
    if str(entry.get("status", "")).startswith("illustration"):
        return "illustration"
    return "calibrated" if set(entry.get("claims") or []) & twin_targets() else "data"


def result_leaves(key: Any) -> list[str]:
    """The results keys a claim's evaluated value is made of, as named in its evaluation's ``key`` (an
    expression's ``{step.key}`` placeholders, else the last part of ``step.key``): the names whose printed
    precision the value carries.

    Examples
    --------
    >>> result_leaves("{03_x.share_a} - {03_x.mean_b}"), result_leaves("03_x.kmo"), result_leaves(None)
    (['share_a', 'mean_b'], ['kmo'], [''])
    """
    text = str(key or "")
    return re.findall(r"\.(\w+)\}", text) or [text.rsplit(".", 1)[-1]]
