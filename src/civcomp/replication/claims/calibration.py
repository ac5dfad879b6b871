"""Which claims the synthetic twin was built to reproduce: calibrated vs free, derived from ``params/synthetic``.

A claim is **calibrated** on the twin when the twin reproduces it by construction, so that a pass checks the
pipeline and is no evidence about the paper:

* a ``{ledger: <claim id>}`` target of a ``params/synthetic/*.yaml`` file (:mod:`civcomp.io.ledger`);
* an effect or assumption typed into a generator setting, declared in ``params/synthetic/calibrated_effects.yaml``
  with the setting it comes from (:func:`declared_effects`, :func:`missing_parameters`);
* a derived claim whose data claims (``derived_from``) are all calibrated.

Every other data or derived claim is **free**: the twin was not built to contain it. In real mode every claim
is free (:func:`calibration`). Nothing is flagged by hand: the list follows the parameter files.

Examples
--------
>>> cal = calibrated_claims()
>>> cal["p003_kmo"]
'target: capacity_survey.factor_model.kmo'
>>> cal["p003_leadership_weakest_executive"]
'generator effect: appraisal_360.structure.position_competency_effects.executive.leadership'
>>> calibration("p003_kmo", "real", cal), calibration("p003_kmo", "synthetic", cal)
(False, True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io import ledger as ledger_mod
from civcomp.io.params import ParamsError, read_yaml
from civcomp.replication.claims.schema import STRICT_EVIDENCE, ClaimsError, load_ledger

DECLARED = "calibrated_effects.yaml"  # beside the twin's parameter files; not a generator input


def _synth_dir(params_dir: Path | str | None) -> Path:
    return Path(params_dir) if params_dir is not None else paths.PARAMS / "synthetic"


def declared_effects(params_dir: Path | str | None = None) -> list[dict[str, str]]:
    """The declared generator-typed effects: ``[{claim, parameter, why}]`` (``parameter`` = ``<file stem>.<key>``).

    Raises :class:`ClaimsError` naming the file and entry when one is malformed."""
    path = _synth_dir(params_dir) / DECLARED
    try:
        doc = read_yaml(path)
    except ParamsError as exc:
        raise ClaimsError(str(exc)) from None
    out = []
    for i, e in enumerate(doc.get("effects") or [], 1):
        if not (
            isinstance(e, dict)
            and all(isinstance(e.get(k), str) and e[k].strip() for k in ("claim", "parameter", "why"))
        ):
            raise ClaimsError(f"{path}: effect #{i}: needs non-empty 'claim', 'parameter' and 'why', got {e!r}")
        out.append({k: e[k] for k in ("claim", "parameter", "why")})
    return out


def _has_key(node: Any, dotted: str) -> bool:
    for part in dotted.split("."):
        if not (isinstance(node, dict) and part in node):
            return False
        node = node[part]
    return True


def missing_parameters(params_dir: Path | str | None = None) -> list[str]:
    """Declared effects whose ``parameter`` names no setting of a ``params/synthetic`` file (``[]`` when all exist).

    Examples
    --------
    >>> missing_parameters()
    []
    """
    folder = _synth_dir(params_dir)
    bad = []
    for e in declared_effects(folder):
        stem, _, key = e["parameter"].partition(".")
        f = folder / f"{stem}.yaml"
        if stem == Path(DECLARED).stem or not f.is_file() or not key or not _has_key(read_yaml(f), key):
            bad.append(f"{folder / DECLARED}: {e['claim']}: parameter {e['parameter']!r} is not a setting of {f.name}")
    return bad


def calibrated_claims(params_dir: Path | str | None = None, ledger: Path | str | None = None) -> dict[str, str]:
    """Claim id -> why it is calibrated on the twin, for every calibrated data or derived claim."""
    folder = _synth_dir(params_dir)
    why: dict[str, str] = {}
    for f in sorted(folder.glob("*.yaml")):
        if f.name == DECLARED:
            continue
        for where, cid, _end in ledger_mod.references(read_yaml(f)):
            why.setdefault(cid, f"target: {f.stem}.{where}")
    for e in declared_effects(folder):
        why.setdefault(e["claim"], f"generator effect: {e['parameter']}")
    claims = load_ledger(ledger)
    recomputed = {c["id"]: c for c in claims if c["evidence"] in STRICT_EVIDENCE}
    unknown = sorted(set(why) - set(recomputed))
    if unknown:
        raise ClaimsError(f"{folder}: {', '.join(unknown)} named as calibrated but not a data or derived claim")
    for c in claims:  # derived_from precedes its claim in the ledger's order, or is resolved here in one pass
        if c["evidence"] == "derived" and c["id"] not in why:
            sources = [s for s in c["derived_from"] if s in recomputed]
            if sources and all(s in why for s in sources):
                why[c["id"]] = "derived from calibrated claims: " + ", ".join(sources)
    return why


def calibration(claim_id: str, data_source: str | None, calibrated: dict[str, str]) -> bool:
    """Whether a data or derived claim is calibrated for this data source (never in real mode)."""
    return data_source == "synthetic" and claim_id in calibrated
