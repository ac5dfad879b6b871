"""The claims ledger: every published number of the two papers, checked against the recomputed results.

``data/published/claims.yaml`` lists each quantitative claim of papers 000 and 003
with its published value as printed, its evidence class and the key of
``outputs/results/<step>.json`` that recomputes it. :func:`evaluate` gives each claim a status:

* ``pass`` — the recomputed value is within the tolerance (or the comparison holds);
* ``fail`` — it is not;
* ``not computable`` — no dataset can recompute it (``kind: external``: administrative
  figures, numbers quoted from the literature), or its result is missing / null
  (e.g. ``truth_f1`` in real mode).

Evidence classes (``evidence``), counted separately everywhere:

* ``data`` — recomputed from the study data: the replication check;
* ``derived`` — recomputed from the data too, but implied by other claims (``derived_from``),
  so a pass adds no independent evidence;
* ``consistency`` — the paper's own arithmetic, from published values only (``kind: arithmetic``,
  or a comparison between the paper's own statements);
* ``external`` — an administrative or literature figure no dataset can recompute.

``civcomp reproduce --strict`` fails only on ``data`` and ``derived`` claims (:func:`strict_failures`).

Tolerance (:func:`tolerance`): half a unit of the last digit of ``printed`` (the value as the
paper prints it), converted to the units of the result; both bounds inclusive. A claim that
needs another tolerance gives ``tolerance`` with ``tolerance_reason``.

Claims are evaluated **once**, by notebook 05, which writes the evaluations with
:func:`write_evaluations` to ``outputs/results/05_report__claims.json``; the HTML report and
``civcomp reproduce --strict`` read that file (:func:`read_evaluations`) and never re-evaluate.

Kinds: ``value`` (a number ± tolerance), ``count`` (exact count; a percentage of a
whole sample becomes ``round_half_up(value * base / 100)``), ``range`` (both ends),
``comparison`` (a qualitative statement made checkable, e.g. regional > central),
``arithmetic`` (internal consistency of the published numbers, computed from the
ledger alone, e.g. 263 / 350 = 75 %), ``external`` (not computable).

Expressions (``expr``) may use ``{<step>.<key>}`` for a recomputed result,
``{@claim_id}`` for another claim's published value, numbers, ``+ - * /``,
comparisons (chains allowed), ``and or not`` and ``min max abs round``; they are
evaluated by a small whitelist interpreter, never by :func:`eval`.

References
----------
Bokayev, B., Amirova, A. & Kosherbayeva, A. Building Innovative Capacity of Public
Servants: The Case of Kazakhstan (paper 003, ``shared/seeds/003_*.txt``).
Assessing the integration of digital competencies into civil service recruitment and
training in Kazakhstan. Problems and Perspectives in Management 23(2), 561-571, 2025
(paper 000).

Examples
--------
>>> from civcomp.pipeline import claims
>>> ledger = claims.load_ledger()
>>> [c["id"] for c in ledger][:2]
['p000_n_postings', 'p000_no_digital_requirement']
>>> claims.expected_value(ledger[1])      # 66.9 % of 408 postings
273
>>> claims.tolerance(ledger[1]), claims.tolerance(claims.by_id(ledger)["p003_kmo"])
(0.204, 0.0005)
>>> claims.evaluate_expr("{@p003_talent_pool_employed} / {@p003_talent_pool_selected} * 100",
...                      {}, {c["id"]: c for c in ledger})[0]
75.14285714285714

Size: the ledger's schema, its safe expression evaluator and the evaluation of claims are one contract.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io.ledger import LEDGER, expected_value, ledger_path
from civcomp.io.outputs import atomic_write
from civcomp.io.params import ParamsError, read_yaml

KINDS = ("value", "count", "range", "comparison", "arithmetic", "external")
EVIDENCE = ("data", "derived", "consistency", "external")
STRICT_EVIDENCE = ("data", "derived")  # what --strict refuses to see fail
STATUSES = ("pass", "fail", "not computable")
PAPERS = ("000", "003")
EVALUATIONS_FILE = "05_report__claims.json"  # written once by notebook 05, read by the report and --strict
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ID = re.compile(r"^p(000|003)_[a-z0-9_]+$")
_KEY = re.compile(r"^\d\d_[a-z0-9_]+\.[a-z0-9_]+$")
_PLACEHOLDER = re.compile(r"\{(@?[A-Za-z0-9_.]+)\}")
_EPS = 1e-9  # float noise allowance on top of every tolerance


class ClaimsError(ValueError):
    """The ledger is malformed; the message names the file, the claim and the field."""


class NotComputable(Exception):
    """A result a claim needs is missing or null."""


# --------------------------------------------------------------------------- loading and validation
def _read(ledger: Path | str | None) -> tuple[Path, dict]:
    path = ledger_path(ledger)
    try:
        return path, read_yaml(path)
    except ParamsError as exc:
        raise ClaimsError(str(exc).replace("parameter file", "claims ledger")) from None


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


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def validate(claims: list[dict], source: Path | str = LEDGER) -> None:
    """Check every claim against the schema; raise one :class:`ClaimsError` naming all problems."""
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
        if kind in ("value", "count", "arithmetic") and not _is_num(value):
            bad("value", "must be a number", value)
        if kind == "range" and not (
            isinstance(value, list) and len(value) == 2 and all(map(_is_num, value)) and value[0] <= value[1]
        ):
            bad("value", "must be [low, high]", value)
        if kind == "comparison" and value is not True:
            bad("value", "must be true (the published statement holds)", value)
        if kind == "external" and not (
            _is_num(value) or isinstance(value, str) or (isinstance(value, list) and all(map(_is_num, value)))
        ):
            bad("value", "must be a number, a list of numbers or a text", value)
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
            if not (_is_num(tol) and tol >= 0):
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
                    if want and not all(_is_num(w) and abs(n - w) < 1e-9 for n, w in zip(nums, want)):
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
        if isinstance(expr, str):
            try:
                names = _placeholders(expr)
                _parse(expr)
            except ClaimsError as exc:
                bad("expr", str(exc), expr)
                continue
            for n in names:
                if n.startswith("@"):
                    ref = by_id.get(n[1:])
                    if ref is None:
                        bad("expr", f"refers to unknown claim {n[1:]!r}")
                    elif not _is_num(ref.get("value")):
                        bad("expr", f"refers to claim {n[1:]!r} whose value is not a single number")
                elif kind == "arithmetic":
                    bad("expr", f"arithmetic claims use published values only ({{@id}}), not results: {n!r}")
                elif not _KEY.match(n):
                    bad("expr", f"placeholder {{{n}}} must be <step>.<key> or @claim_id")
    if errors:
        raise ClaimsError(f"{len(errors)} problem(s) in the claims ledger:\n  " + "\n  ".join(errors))


# --------------------------------------------------------------------------- the expression interpreter
def _placeholders(expr: str) -> list[str]:
    return _PLACEHOLDER.findall(expr)


def _substitute(expr: str) -> tuple[str, dict[str, str]]:
    """Replace each ``{name}`` by a Python identifier; return the new text and identifier -> name."""
    names: dict[str, str] = {}

    def repl(m: re.Match) -> str:
        ident = f"_v{len(names)}"
        names[ident] = m.group(1)
        return ident

    return _PLACEHOLDER.sub(repl, expr), names


def _parse(expr: str) -> ast.Expression:
    text, _ = _substitute(expr)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ClaimsError(f"is not a valid expression ({exc.msg})") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ClaimsError(f"uses {type(node).__name__}, which is not allowed")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords
        ):
            raise ClaimsError("may call only min, max, abs, round (positional arguments)")
        if isinstance(node, ast.Name) and not (node.id in _FUNCS or node.id.startswith("_v")):
            raise ClaimsError(f"unknown name {node.id!r}: wrap results in {{...}}")
    return tree


_FUNCS = {"min": min, "max": max, "abs": abs, "round": round}
_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_CMPOPS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    *_BINOPS,
    *_CMPOPS,
)


def _eval(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _FUNCS[node.id] if node.id in _FUNCS else env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return (not v) if isinstance(node.op, ast.Not) else (-v if isinstance(node.op, ast.USub) else +v)
    if isinstance(node, ast.BoolOp):
        vals = [_eval(v, env) for v in node.values]
        return all(vals) if isinstance(node.op, ast.And) else any(vals)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        for op, comp in zip(node.ops, node.comparators):
            right = _eval(comp, env)
            if not _CMPOPS[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        return _eval(node.func, env)(*[_eval(a, env) for a in node.args])
    raise ClaimsError(f"cannot evaluate {type(node).__name__}")  # unreachable after _parse


def _lookup(name: str, results: dict[str, dict], claims_by_id: dict[str, dict]) -> Any:
    if name.startswith("@"):
        return claims_by_id[name[1:]]["value"]
    step, key = name.split(".", 1)
    if step not in results:
        raise NotComputable(f"outputs/results/{step}.json not found")
    if key not in results[step]:
        raise NotComputable(f"{step}.{key} not in outputs/results/{step}.json")
    v = results[step][key]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        raise NotComputable(f"{step}.{key} is null (not available for this data source)")
    return v


def evaluate_expr(expr: str, results: dict[str, dict], claims_by_id: dict[str, dict]) -> tuple[Any, float | None, str]:
    """Evaluate an expression; return (value, margin, rendered).

    ``margin`` is ``left - right`` for a single numeric comparison (how far the
    relation holds), else ``None``; ``rendered`` shows the expression with the
    numbers filled in. Raises :class:`NotComputable` if a result is missing.
    """
    text, idents = _substitute(expr)
    env = {ident: _lookup(name, results, claims_by_id) for ident, name in idents.items()}
    tree = _parse(expr)
    value = _eval(tree, env)
    margin = None
    body = tree.body
    if isinstance(body, ast.Compare) and len(body.ops) == 1:
        left, right = _eval(body.left, env), _eval(body.comparators[0], env)
        if _is_num(left) and _is_num(right):
            margin = float(left) - float(right)
    rendered = _PLACEHOLDER.sub(lambda m: _fmt(_lookup(m.group(1), results, claims_by_id)), expr)
    return value, margin, rendered


# --------------------------------------------------------------------------- evaluation
def _fmt(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return str(v).lower() if isinstance(v, bool) else "—"
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) >= 1000 or v == 0 else f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, int):
        return f"{v:,}"  # 10,942 as the papers print it
    return str(v)


def published_text(claim: dict) -> str:
    """The published value as the paper prints it, e.g. ``66.9% of 408 = 273``, ``.840 index``."""
    v, unit, pr = claim.get("value"), claim.get("unit", ""), claim.get("printed")
    if claim["kind"] == "comparison":
        return "holds"
    if claim["kind"] == "range":
        lo, hi = pr if isinstance(pr, list) else (_fmt(v[0]), _fmt(v[1]))
        return f"{lo}–{hi} {unit}".strip()
    if isinstance(pr, str):
        text = pr if unit == "%" else f"{pr} {unit}"
    else:
        text = f"{_fmt(v)} %" if unit == "%" else f"{_fmt(v)} {unit}"
    if claim["kind"] == "count" and "base" in claim:
        text += f" of {claim['base']} = {expected_value(claim)}"
    return text


def read_all_results(results_dir: Path | str | None = None) -> dict[str, dict]:
    """Every ``outputs/results/<step>.json``, keyed by step."""
    folder = Path(results_dir or paths.RESULTS)
    out = {}
    for f in sorted(folder.glob("*.json")):
        if "__" in f.stem:  # <step>__<name>.json: a step's extra output (e.g. the claim evaluations)
            continue
        try:
            out[f.stem] = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ClaimsError(f"{f}: not valid JSON ({exc})") from None
    return out


def results_data_sources(results_dir: Path | str | None = None) -> dict[str, str]:
    """The ``data_source`` recorded in each results file (never assumed from params)."""
    return {step: r.get("data_source", "unknown") for step, r in read_all_results(results_dir).items()}


def _record(claim: dict, **kw: Any) -> dict[str, Any]:
    key = claim.get("key") or claim.get("expr") or claim.get("input_key")
    rec = {
        "id": claim["id"],
        "paper": claim["paper"],
        "where": claim["where"],
        "statement": claim["statement"],
        "evidence": claim["evidence"],
        "kind": claim["kind"],
        "unit": claim["unit"],
        "published": published_text(claim),
        "expected": expected_value(claim),
        "key": " – ".join(key) if isinstance(key, list) else key,
        "recomputed": None,
        "difference": None,
        "tolerance": tolerance(claim),
        "tolerance_rule": tolerance_rule(claim),
        "derived_from": claim.get("derived_from", []),
        "readings": claim.get("readings", []),
        "status": "not computable",
        "note": claim.get("rule", ""),
        "data_source": None,
    }
    rec.update(kw)
    return rec


def evaluate_claim(claim: dict, results: dict[str, dict], claims_by_id: dict[str, dict]) -> dict[str, Any]:
    """Evaluate one claim against the loaded results (see :func:`evaluate`)."""
    kind = claim["kind"]
    if kind == "external":
        note = f"external figure ({claim.get('source', 'not from the study data')}): {claim.get('rule', '')}"
        rec = _record(claim, note=note.rstrip(": "))
        if "input_key" in claim:  # show what the pipeline used, but do not judge an input against itself
            try:
                rec["recomputed"] = _lookup(claim["input_key"], results, claims_by_id)
                rec["note"] += f"; the pipeline uses {_fmt(rec['recomputed'])} as an input"
            except NotComputable:
                pass
        return rec
    keys = claim["key"] if isinstance(claim.get("key"), list) else [claim["key"]] if claim.get("key") else []
    names = keys + [n for n in _placeholders(claim.get("expr", "")) if not n.startswith("@")]
    steps = sorted({n.split(".", 1)[0] for n in names})
    sources = sorted({str(results[s].get("data_source")) for s in steps if s in results})
    data_source = "published values" if kind == "arithmetic" else ", ".join(sources) or None
    expected, tol = expected_value(claim), tolerance(claim)
    try:
        if kind in ("comparison", "arithmetic") or claim.get("expr"):
            got, margin, rendered = evaluate_expr(claim["expr"], results, claims_by_id)
        else:
            got = [_lookup(k, results, claims_by_id) for k in keys]
            got, margin, rendered = (got if kind == "range" else got[0]), None, ""
    except NotComputable as exc:
        return _record(claim, note=str(exc), data_source=data_source)
    except (TypeError, ZeroDivisionError) as exc:
        return _record(claim, status="fail", note=f"cannot evaluate: {exc}", data_source=data_source)

    if kind == "comparison":
        if not isinstance(got, bool):
            return _record(
                claim, recomputed=got, status="fail", note=f"{rendered} is not true/false", data_source=data_source
            )
        return _record(
            claim,
            recomputed=got,
            difference=margin,
            status="pass" if got else "fail",
            note=f"{rendered} → {str(got).lower()}",
            data_source=data_source,
        )
    vals = got if kind == "range" else [got]
    exps = expected if kind == "range" else [expected]
    if not all(_is_num(v) or isinstance(v, bool) for v in vals):
        return _record(
            claim, recomputed=got, status="fail", note=f"result is not a number: {got!r}", data_source=data_source
        )
    diffs = [float(v) - float(e) for v, e in zip(vals, exps)]
    ok = all(abs(d) <= tol + _EPS for d in diffs)
    worst = max(diffs, key=abs)
    note = claim.get("rule", "")
    if rendered:
        note = f"{rendered} = {_fmt(got)}; {note}"
    return _record(
        claim, recomputed=got, difference=worst, status="pass" if ok else "fail", note=note, data_source=data_source
    )


def evaluate(
    results_dir: Path | str | None = None,
    ledger: Path | str | None = None,
    extra_results: dict[str, dict] | None = None,
) -> list[dict[str, Any]]:
    """Evaluate every claim of the ledger against ``outputs/results/*.json``.

    Parameters
    ----------
    results_dir : path, optional
        Folder of the results files (default ``outputs/results``).
    ledger : path, optional
        Claims ledger (default ``data/published/claims.yaml``).
    extra_results : dict, optional
        ``{step: {key: value}}`` not (yet) in a results file, e.g. what notebook 05
        itself computes from the data before it writes its own results.

    Returns
    -------
    list of dict
        One record per claim, in ledger order: ``id, paper, where, statement, evidence, kind,
        unit, published, expected, key, recomputed, difference, tolerance, tolerance_rule,
        derived_from, readings, status, note, data_source``. ``difference`` is recomputed − expected (for ranges the
        larger end; for a comparison ``left − right``).

    Examples
    --------
    >>> import tempfile, json, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "03_innovative_capacity.json").write_text(json.dumps({"data_source": "synthetic", "kmo": 0.8403}))
    >>> ev = {e["id"]: e for e in evaluate(d)}
    >>> ev["p003_kmo"]["status"], round(ev["p003_kmo"]["difference"], 4), ev["p003_kmo"]["tolerance"]
    ('pass', 0.0003, 0.0005)
    >>> ev["p003_n_total"]["status"], ev["p003_inspections"]["status"]
    ('not computable', 'not computable')
    """
    claims = load_ledger(ledger)
    results = read_all_results(results_dir)
    for step, extra in (extra_results or {}).items():
        results[step] = {**results.get(step, {}), **extra}
    return [evaluate_claim(c, results, by_id(claims)) for c in claims]


def strict_failures(evaluations: list[dict[str, Any]]) -> list[str]:
    """Ids of the failing ``data`` and ``derived`` claims (what ``civcomp reproduce --strict`` refuses).

    A ``consistency`` claim that fails is the paper disagreeing with itself, not a failed
    reproduction: it is reported, never refused."""
    return [e["id"] for e in evaluations if e["status"] == "fail" and e.get("evidence", "data") in STRICT_EVIDENCE]


def summary(evaluations: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by evidence class and status, and the failing ids (the headline numbers of notebook 05)."""
    count = {s: sum(e["status"] == s for e in evaluations) for s in STATUSES}
    out: dict[str, Any] = {
        "n_claims": len(evaluations),
        "n_pass": count["pass"],
        "n_fail": count["fail"],
        "n_not_computable": count["not computable"],
        "n_claims_paper_000": sum(e["paper"] == "000" for e in evaluations),
        "n_claims_paper_003": sum(e["paper"] == "003" for e in evaluations),
    }
    for ev in EVIDENCE:
        sel = [e for e in evaluations if e.get("evidence") == ev]
        out[f"n_{ev}"] = len(sel)
        if ev != "external":
            for s, name in (("pass", "pass"), ("fail", "fail"), ("not computable", "not_computable")):
                out[f"n_{ev}_{name}"] = sum(e["status"] == s for e in sel)
    out["failing_ids"] = strict_failures(evaluations)
    out["consistency_failing_ids"] = [
        e["id"] for e in evaluations if e.get("evidence") == "consistency" and e["status"] == "fail"
    ]
    return out


def summary_line(s: dict[str, Any]) -> str:
    """The one-line summary (runner, notebook 05 and the report's header), evidence classes apart.

    Examples
    --------
    >>> summary_line({"n_data": 34, "n_data_pass": 34, "n_data_fail": 0, "n_data_not_computable": 0,
    ...               "n_derived": 8, "n_derived_pass": 8, "n_derived_fail": 0, "n_derived_not_computable": 0,
    ...               "n_consistency": 8, "n_consistency_pass": 7, "n_consistency_fail": 1,
    ...               "n_consistency_not_computable": 0, "n_external": 20})
    '34 data checks pass, 0 fail; 8 derived (8 pass, 0 fail); 8 consistency (7 hold, 1 does not); 20 external (not recomputable)'
    """
    nc = s["n_data_not_computable"]
    line = f"{s['n_data_pass']} data checks pass, {s['n_data_fail']} fail" + (f", {nc} not computable" if nc else "")
    nd = s["n_derived_not_computable"]
    line += (
        f"; {s['n_derived']} derived ({s['n_derived_pass']} pass, {s['n_derived_fail']} fail"
        + (f", {nd} not computable" if nd else "")
        + ")"
    )
    line += (
        f"; {s['n_consistency']} consistency ({s['n_consistency_pass']} hold, "
        f"{s['n_consistency_fail']} {'does' if s['n_consistency_fail'] == 1 else 'do'} not)"
    )
    return line + f"; {s['n_external']} external (not recomputable)"


# --------------------------------------------------------------------------- the one evaluation, on disk
def evaluations_path(results_dir: Path | str | None = None) -> Path:
    """Where notebook 05 writes the evaluations: ``outputs/results/05_report__claims.json``."""
    return Path(results_dir or paths.RESULTS) / EVALUATIONS_FILE


def write_evaluations(
    evaluations: list[dict[str, Any]],
    data_source: str,
    results_dir: Path | str | None = None,
    ledger: Path | str | None = None,
) -> Path:
    """Write the evaluations (with their summary, the data source and the ledger's hash) as JSON."""
    doc = {
        "data_source": data_source,
        "ledger": ledger_path(ledger).name,
        "ledger_sha256": ledger_sha256(ledger),
        "summary": summary(evaluations),
        "evaluations": evaluations,
    }
    text = json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False, default=_json_default) + "\n"
    return atomic_write(evaluations_path(results_dir), text.encode("utf-8"))


def _json_default(v: Any) -> Any:
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def read_evaluations(results_dir: Path | str | None = None, ledger: Path | str | None = None) -> dict[str, Any]:
    """The evaluations notebook 05 wrote; raise :class:`ClaimsError` if missing, unreadable or stale.

    Stale = the ledger changed after the evaluations were written (rerun notebook 05)."""
    path = evaluations_path(results_dir)
    if not path.exists():
        raise ClaimsError(f"{path} not found: the claims are evaluated by notebook 05 (civcomp reproduce)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ClaimsError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("evaluations"), list):
        raise ClaimsError(f"{path}: no 'evaluations' list")
    if ledger_path(ledger).exists() and doc.get("ledger_sha256") != ledger_sha256(ledger):
        raise ClaimsError(
            f"{path} is stale: the claims ledger changed after notebook 05 ran "
            "(rerun: civcomp reproduce --only 05_report)"
        )
    return doc


def evaluations_frame(evaluations: list[dict[str, Any]]):
    """The evaluations as a DataFrame with display-ready text columns (for tables and the report)."""
    import pandas as pd

    rows = []
    for e in evaluations:
        rows.append(
            {
                "status": e["status"],
                "evidence": e.get("evidence"),
                "id": e["id"],
                "paper": e["paper"],
                "where": e["where"],
                "kind": e["kind"],
                "statement": e["statement"],
                "published": e["published"],
                "expected": _fmt(e["expected"]),
                "recomputed": _fmt(e["recomputed"]),
                "difference": None if e["difference"] is None else round(e["difference"], 6),
                "tolerance": e["tolerance"],
                "tolerance_rule": e.get("tolerance_rule", ""),
                "key": e["key"],
                "data_source": e["data_source"],
                "note": e["note"],
            }
        )
    return pd.DataFrame(rows)


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
