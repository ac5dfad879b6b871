"""The claims ledger's schema: reading ``data/published/claims.yaml``, validating every claim, the tolerance rule.

``data/published/claims.yaml`` lists each quantitative claim of papers 000 and 003 with its published
value as printed, its evidence class and the key of ``outputs/results/<step>.json`` that recomputes it.
:func:`load_ledger` reads and validates it (:func:`validate` names every problem at once).

Evidence classes (``evidence``), counted separately everywhere:

* ``data`` — recomputed from the study data: the replication check;
* ``derived`` — recomputed from the data too, but implied by other claims (``derived_from``),
  so a pass adds no independent evidence;
* ``consistency`` — the paper's own arithmetic, from published values only (``kind: arithmetic``,
  or a comparison between the paper's own statements);
* ``external`` — an administrative or literature figure no dataset can recompute.

Kinds: ``value`` (a number ± tolerance), ``count`` (exact count; a percentage of a
whole sample becomes ``round_half_up(value * base / 100)``), ``range`` (both ends),
``comparison`` (a qualitative statement made checkable, e.g. regional > central),
``arithmetic`` (internal consistency of the published numbers, computed from the
ledger alone, e.g. 263 / 350 = 75 %), ``external`` (not computable). Expressions (``expr``) are
checked by :mod:`civcomp.replication.claims.expression`.

``computed_by`` names the function whose output carries a data or derived claim's key, as a dotted
path ``civcomp.<module>.<function>`` (:data:`COMPUTED_BY_REQUIRED` makes it required on every such claim).

Tolerance (:func:`tolerance`): half a unit of the last digit of ``printed`` (the value as the
paper prints it), converted to the units of the result; both bounds inclusive. A claim that
needs another tolerance gives ``tolerance`` with ``tolerance_reason``.

References
----------
Bokayev, B., Amirova, A. & Kosherbayeva, A. Building Innovative Capacity of Public
Servants: The Case of Kazakhstan (paper 003, ``shared/seeds/003_*.txt``).
Assessing the integration of digital competencies into civil service recruitment and
training in Kazakhstan. Problems and Perspectives in Management 23(2), 561-571, 2025
(paper 000).

Examples
--------
>>> from civcomp.io.ledger import expected_value
>>> ledger = load_ledger()
>>> [c["id"] for c in ledger][:2]
['p000_n_postings', 'p000_no_digital_requirement']
>>> expected_value(ledger[1])      # 66.9 % of 408 postings
273
>>> tolerance(ledger[1]), tolerance(by_id(ledger)["p003_kmo"])
(0.204, 0.0005)

Size: one job, the ledger's schema — every field's rule is checked in :func:`validate`, the one place it is written.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from civcomp.errors import CivcompError
from civcomp.io.ledger import LEDGER, expected_value, ledger_path
from civcomp.io.params import ParamsError, read_yaml
from civcomp.replication.claims.expression import ExpressionError, is_number, parse, placeholders

KINDS = ("value", "count", "range", "comparison", "arithmetic", "external")
EVIDENCE = ("data", "derived", "consistency", "external")
STRICT_EVIDENCE = ("data", "derived")  # what --strict refuses to see fail
PAPERS = ("000", "003")
# every data and derived claim names the function that computes its value (False while some do not yet)
COMPUTED_BY_REQUIRED = True
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ID = re.compile(r"^p(000|003)_[a-z0-9_]+$")
_KEY = re.compile(r"^\d\d_[a-z0-9_]+\.[a-z0-9_]+$")
_DOTTED = re.compile(r"^civcomp(\.[A-Za-z_][A-Za-z0-9_]*){2,}$")  # civcomp.<module>.<function>


class ClaimsError(CivcompError, ValueError):
    """The ledger is malformed; the message names the file, the claim and the field."""


# --------------------------------------------------------------------------- loading and validation
_PARSED: dict[tuple[str, str], dict] = {}  # (file, SHA-256 of its bytes) -> document: the runner's keys parse it once


def _read(ledger: Path | str | None) -> tuple[Path, dict]:
    path = ledger_path(ledger)
    try:
        memo = (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        memo = None  # read_yaml names the problem
    if memo in _PARSED:
        return path, copy.deepcopy(_PARSED[memo])
    try:
        doc = read_yaml(path)
    except ParamsError as exc:
        raise ClaimsError(str(exc).replace("parameter file", "claims ledger")) from None
    if memo is not None:
        _PARSED[memo] = copy.deepcopy(doc)
    return path, doc


def load_ledger(ledger: Path | str | None = None) -> list[dict[str, Any]]:
    """Read and validate the claims ledger; raise :class:`ClaimsError` listing every problem.

    An arithmetic claim with ``value_of: <id>`` gets that claim's ``value``, ``printed`` and
    ``unit`` (the published number has one home)."""
    path, doc = _read(ledger)
    claims = doc.get("claims")
    if not isinstance(claims, list) or not claims:
        raise ClaimsError(f"{path}: expected a non-empty list under 'claims'")
    claims = _fill_value_of(copy.deepcopy(claims))
    validate(claims, path)
    return claims


def _fill_value_of(claims: list) -> list:
    ids = {c.get("id"): c for c in claims if isinstance(c, dict)}
    for c in claims:
        if isinstance(c, dict) and isinstance(c.get("value_of"), str) and c["value_of"] in ids:
            ref = ids[c["value_of"]]
            c.setdefault("value", ref.get("value"))
            c.setdefault("unit", ref.get("unit"))
            if "printed" in ref:
                c.setdefault("printed", ref["printed"])
    return claims


def load_figures(ledger: Path | str | None = None) -> list[dict[str, Any]]:
    """The papers' figures (``figures:`` of the ledger): reproduced, redrawn from published numbers, or not."""
    path, doc = _read(ledger)
    figs = doc.get("figures") or []
    for i, f in enumerate(figs, 1):
        for k in ("id", "paper", "where", "title", "status"):
            if not isinstance(f.get(k), str) or not f[k].strip():
                raise ClaimsError(f"{path}: figure #{i}: field {k!r} must be a non-empty string")
    return figs


def by_id(claims: list[dict]) -> dict[str, dict]:
    """Claims keyed by id."""
    return {c["id"]: c for c in claims}


def computed_by_function(path: str) -> Callable:
    """The function a claim's ``computed_by`` names, imported; raise :class:`ClaimsError` if it cannot be.

    Examples
    --------
    >>> computed_by_function("civcomp.analyses.robustness.results").__name__
    'results'
    >>> computed_by_function("civcomp.analyses.robustness.no_such")
    Traceback (most recent call last):
    ...
    civcomp.replication.claims.schema.ClaimsError: computed_by 'civcomp.analyses.robustness.no_such': civcomp.analyses.robustness has no function no_such
    """
    module, _, name = path.rpartition(".")
    try:
        fn = getattr(importlib.import_module(module), name, None)
    except ImportError as exc:
        raise ClaimsError(f"computed_by {path!r}: cannot import {module} ({exc})") from None
    if not callable(fn):
        raise ClaimsError(f"computed_by {path!r}: {module} has no function {name}")
    return fn


def ledger_sha256(ledger: Path | str | None = None) -> str:
    """Content hash of the ledger file (recorded with the evaluations, to spot stale ones)."""
    return hashlib.sha256(ledger_path(ledger).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- the tolerance rule
def _printed_number(text: str) -> tuple[float, int]:
    """(number, decimals) of a printed value: ``".840"`` -> (0.84, 3); ``"10,942"`` -> (10942, 0);
    ``"66.9%"`` -> (66.9, 1); ``"six"`` -> (6, 0)."""
    t = text.strip().rstrip("%").strip()
    if t.lower() in _WORDS:
        return float(_WORDS[t.lower()]), 0
    t = re.sub(r"(?<=\d),(?=\d{3}(\D|$))", "", t)  # thousands separator
    t = t.replace(",", ".")  # decimal comma ("0,001")
    if not re.fullmatch(r"-?\d*\.?\d+", t):
        raise ValueError(f"cannot read a number from printed {text!r}")
    return float(t), len(t.split(".")[1]) if "." in t else 0


def half_unit(printed: str) -> float:
    """Half a unit of the last printed digit, in printed units.

    Examples
    --------
    >>> half_unit(".840"), half_unit("66.9%"), half_unit("10,942"), half_unit("7.59")
    (0.0005, 0.05, 0.5, 0.005)
    """
    return float(Decimal(5) / Decimal(10) ** (_printed_number(printed)[1] + 1))


def tolerance(claim: dict) -> float | None:
    """Allowed |recomputed - expected| in the units of the result (``None`` for comparisons and externals).

    The rule: half a unit of the last digit the paper prints (``printed``), converted like the value
    (a percentage becomes a fraction; a percentage of a whole sample, ``base``, a number of cases).
    An explicit ``tolerance`` (with ``tolerance_reason``) overrides it.

    Examples
    --------
    >>> tolerance({"kind": "value", "unit": "%", "value": 83, "printed": "83%"})
    0.005
    >>> tolerance({"kind": "count", "unit": "%", "value": 60, "printed": "60%", "base": 200})
    1.0
    >>> tolerance({"kind": "value", "unit": "index", "value": 0.84, "printed": ".840"})
    0.0005
    """
    if "tolerance" in claim:
        return claim["tolerance"]
    if claim["kind"] in ("comparison", "external") or "printed" not in claim:
        return None
    printed = claim["printed"]
    h = max(half_unit(p) for p in printed) if isinstance(printed, list) else half_unit(printed)
    if claim["kind"] == "count" and "base" in claim:
        return round(h * claim["base"] / 100, 10)
    if claim["kind"] in ("value", "range") and claim.get("unit") == "%":
        return round(h / 100, 10)
    return h


def tolerance_rule(claim: dict) -> str:
    """How the tolerance was set, for the report."""
    if "tolerance" in claim:
        return f"stated: {claim.get('tolerance_reason', '')}"
    if "printed" in claim:
        p = claim["printed"]
        return "half a unit of the printed " + (" / ".join(p) if isinstance(p, list) else p)
    return ""


def validate(claims: list[dict], source: Path | str = LEDGER) -> None:
    """Check every claim against the schema; raise one :class:`ClaimsError` naming all problems.

    Examples
    --------
    >>> validate([{"id": "p003_x", "paper": "003", "where": "l. 1", "statement": "s", "unit": "index",
    ...            "kind": "value", "evidence": "data", "value": 0.84, "printed": ".84",
    ...            "key": "03_innovative_capacity.kmo", "computed_by": "analyses.capacity.results"}], "claims.yaml")
    Traceback (most recent call last):
    ...
    civcomp.replication.claims.schema.ClaimsError: 1 problem(s) in the claims ledger:
      claims.yaml: claim #1 (p003_x): field 'computed_by' must be a dotted path civcomp.<module>.<function>, got 'analyses.capacity.results'
    """
    errors: list[str] = []
    ids = [c.get("id") if isinstance(c, dict) else None for c in claims]
    by_id = {c["id"]: c for c in claims if isinstance(c, dict) and isinstance(c.get("id"), str)}

    for i, c in enumerate(claims, start=1):

        def bad(field: str, msg: str, value: Any = None) -> None:
            cid = c.get("id") if isinstance(c, dict) else None
            errors.append(
                f"{source}: claim #{i} ({cid or 'no id'}): field '{field}' {msg}"
                + ("" if value is None else f", got {value!r}")
            )

        if not isinstance(c, dict):
            errors.append(f"{source}: claim #{i}: expected a mapping, got {c!r}")
            continue
        cid, kind = c.get("id"), c.get("kind")
        if not isinstance(cid, str) or not _ID.match(cid):
            bad("id", "must be snake_case starting with p000_ or p003_", cid)
        elif ids.count(cid) > 1:
            bad("id", "is not unique", cid)
        elif not cid.startswith(f"p{c.get('paper')}_"):
            bad("id", f"must start with p{c.get('paper')}_ (its paper)", cid)
        if c.get("paper") not in PAPERS:
            bad("paper", f"must be one of {PAPERS} (quoted)", c.get("paper"))
        for f in ("where", "statement", "unit"):
            if not isinstance(c.get(f), str) or not c[f].strip():
                bad(f, "must be a non-empty string", c.get(f))
        if kind not in KINDS:
            bad("kind", f"must be one of {', '.join(KINDS)}", kind)
            continue
        value, key, expr, tol = c.get("value"), c.get("key"), c.get("expr"), c.get("tolerance")
        if kind in ("value", "count", "arithmetic") and not is_number(value):
            bad("value", "must be a number", value)
        if kind == "range" and not (
            isinstance(value, list) and len(value) == 2 and all(map(is_number, value)) and value[0] <= value[1]
        ):
            bad("value", "must be [low, high]", value)
        if kind == "comparison" and value is not True:
            bad("value", "must be true (the published statement holds)", value)
        if kind == "external" and not _referable(value):
            bad("value", "must be a number, a text, or a list of numbers or of texts", value)
        # evidence class
        ev = c.get("evidence")
        if ev not in EVIDENCE:
            bad("evidence", f"must be one of {', '.join(EVIDENCE)}", ev)
        elif (kind == "external") != (ev == "external"):
            bad("evidence", "is 'external' exactly when kind is 'external'", ev)
        elif kind == "arithmetic" and ev != "consistency":
            bad("evidence", "an arithmetic claim (published values only) is 'consistency'", ev)
        elif ev == "derived":
            src = c.get("derived_from")
            if not (isinstance(src, list) and src and all(isinstance(x, str) for x in src)):
                bad("derived_from", "a derived claim lists the claims it follows from", src)
            else:
                for x in src:
                    if x not in by_id:
                        bad("derived_from", f"refers to unknown claim {x!r}")
        if "value_of" in c and c["value_of"] not in by_id:
            bad("value_of", "refers to an unknown claim", c["value_of"])
        # tolerance: from the printed value, or stated with its reason
        if "tolerance" in c:
            if not (is_number(tol) and tol >= 0):
                bad("tolerance", "must be a number >= 0", tol)
            elif not (isinstance(c.get("tolerance_reason"), str) and c["tolerance_reason"].strip()):
                bad("tolerance_reason", "a tolerance other than the printed-precision rule must say why")
        elif kind in ("value", "count", "range", "arithmetic"):
            pr = c.get("printed")
            want = value if kind == "range" else [value]
            texts = pr if isinstance(pr, list) else [pr]
            if pr is None:
                bad("printed", "is required (the value as printed; the tolerance comes from it)")
            elif len(texts) != len(want or []) or not all(isinstance(t, str) for t in texts):
                bad("printed", "must be the printed text of the value (a [low, high] pair for a range)", pr)
            else:
                try:
                    nums = [_printed_number(t)[0] for t in texts]
                except ValueError as exc:
                    bad("printed", str(exc))
                else:
                    if want and not all(is_number(w) and abs(n - w) < 1e-9 for n, w in zip(nums, want)):
                        bad("printed", f"does not print the value {value!r}", pr)
        if kind == "count" and "base" in c and not (isinstance(c["base"], int) and c["base"] > 0):
            bad("base", "must be a positive whole number", c["base"])
        if kind == "count" and "base" in c and c.get("unit") != "%":
            bad("unit", "must be '%' when 'base' is given", c.get("unit"))
        # where the recomputed value comes from
        if kind in ("value", "count"):
            if (key is None) == (expr is None):
                bad("key", "give exactly one of 'key' or 'expr'", key)
            elif key is not None and not (isinstance(key, str) and _KEY.match(key)):
                bad("key", "must look like <step>.<key>, e.g. 03_innovative_capacity.kmo", key)
        if kind == "range" and not (
            isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) and _KEY.match(k) for k in key)
        ):
            bad("key", "must be [<step>.<min key>, <step>.<max key>]", key)
        if kind in ("comparison", "arithmetic") and not isinstance(expr, str):
            bad("expr", "is required", expr)
        if kind in ("external",) and (key is not None or expr is not None):
            bad("key", "an external claim has no key or expr (use input_key to show a pipeline input)", key)
        if "input_key" in c and not (isinstance(c["input_key"], str) and _KEY.match(c["input_key"])):
            bad("input_key", "must look like <step>.<key>", c["input_key"])
        # the function whose output carries the claim's key (one hop from the ledger to the code)
        fn = c.get("computed_by")
        if fn is not None and not (isinstance(fn, str) and _DOTTED.match(fn)):
            bad("computed_by", "must be a dotted path civcomp.<module>.<function>", fn)
        elif fn is not None and ev not in STRICT_EVIDENCE:
            bad("computed_by", "is given for data and derived claims only (nothing recomputes the others)", fn)
        elif fn is None and COMPUTED_BY_REQUIRED and ev in STRICT_EVIDENCE:
            bad("computed_by", "is required: the function that computes the value, civcomp.<module>.<function>")
        if isinstance(expr, str):
            try:
                names = placeholders(expr)
                parse(expr)
            except ExpressionError as exc:
                bad("expr", str(exc), expr)
                continue
            for n in names:
                if n.startswith("@"):
                    ref = by_id.get(n[1:])
                    if ref is None:
                        bad("expr", f"refers to unknown claim {n[1:]!r}")
                    elif not _referable(ref.get("value")):
                        bad("expr", f"refers to claim {n[1:]!r} whose value is not a number, a text or a list")
                elif kind == "arithmetic":
                    bad("expr", f"arithmetic claims use published values only ({{@id}}), not results: {n!r}")
                elif not _KEY.match(n):
                    bad("expr", f"placeholder {{{n}}} must be <step>.<key> or @claim_id")
    if errors:
        raise ClaimsError(f"{len(errors)} problem(s) in the claims ledger:\n  " + "\n  ".join(errors))


def _referable(v: Any) -> bool:
    """A published value an expression may use: a number, a text, or a list of numbers or of texts."""
    if isinstance(v, list):
        return bool(v) and (all(map(is_number, v)) or all(isinstance(x, str) and x.strip() for x in v))
    return is_number(v) or (isinstance(v, str) and bool(v.strip()))


def published_values(step: str, ledger: Path | str | None = None) -> dict[str, Any]:
    """Published value of every claim in the ledger that points at a result key of ``step``.

    Values are in the units of the result keys (83 % -> 0.83), as the claims check
    compares them, so a notebook can print "paper" beside "result" without typing
    a number.

    Examples
    --------
    >>> published_values("03_innovative_capacity")["kmo"]
    0.84
    """
    out: dict[str, Any] = {}
    for c in load_ledger(ledger):
        key = c.get("key") or c.get("input_key")
        if isinstance(key, str) and key.startswith(f"{step}.") and c["kind"] in ("value", "count", "external"):
            out[key.split(".", 1)[1]] = expected_value(c)
    return out
