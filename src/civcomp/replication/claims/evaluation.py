"""Evaluating the claims: each claim of the ledger against the recomputed results, a status and a summary.

:func:`evaluate` gives each claim a status:

* ``pass`` — the recomputed value is within the tolerance (or the comparison holds);
* ``fail`` — it is not;
* ``not computable`` — no dataset can recompute it (``kind: external``: administrative
  figures, numbers quoted from the literature), or its result is missing / null
  (e.g. ``truth_f1`` in real mode);
* ``not run (data absent)`` — in real mode, the step that computes it did not run because its real
  file is absent (a team holding one paper's files): neither a pass nor a failure, counted apart.

Each data and derived claim also carries ``calibrated``: ``true`` when the synthetic twin was built to
reproduce it (:mod:`civcomp.replication.claims.calibration`), so that its pass checks the pipeline and is no
evidence; ``false`` (free) otherwise, and always in real mode; ``null`` for consistency and external claims.

``civcomp reproduce --strict`` fails only on ``data`` and ``derived`` claims (:func:`strict_failures`); on the
twin, only on calibrated ones (a free claim the twin does not reproduce is a finding about the twin, not a fault).
Claims are evaluated **once**, by notebook 05, which writes them with
:func:`civcomp.replication.claims.evaluation_file.write_evaluations`.

Examples
--------
>>> import tempfile, json, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "03_innovative_capacity.json").write_text(json.dumps({"data_source": "synthetic", "kmo": 0.8403}))
>>> s = summary(evaluate(d))
>>> s["n_data_pass"] >= 1, "p003_kmo" in s["failing_ids"]
(True, False)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io.ledger import expected_value
from civcomp.replication.claims.calibration import calibrated_claims, calibration
from civcomp.replication.claims.expression import (
    NotComputable,
    evaluate_expr,
    format_value,
    is_number,
    lookup,
    placeholders,
)
from civcomp.replication.claims.schema import (
    EVIDENCE,
    STRICT_EVIDENCE,
    ClaimsError,
    by_id,
    load_ledger,
    tolerance,
    tolerance_rule,
)

NOT_RUN = "not run (data absent)"
STATUSES = ("pass", "fail", "not computable", NOT_RUN)
_EPS = 1e-9  # float noise allowance on top of every tolerance


def published_text(claim: dict) -> str:
    """The published value as the paper prints it, e.g. ``66.9% of 408 = 273``, ``.840 index``."""
    v, unit, pr = claim.get("value"), claim.get("unit", ""), claim.get("printed")
    if claim["kind"] == "comparison":
        return "holds"
    if claim["kind"] == "range":
        lo, hi = pr if isinstance(pr, list) else (format_value(v[0]), format_value(v[1]))
        return f"{lo}–{hi} {unit}".strip()
    if isinstance(pr, str):
        text = pr if unit == "%" else f"{pr} {unit}"
    else:
        text = f"{format_value(v)} %" if unit == "%" else f"{format_value(v)} {unit}"
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
        "calibrated": None,
        "calibrated_by": "",
    }
    rec.update(kw)
    return rec


def evaluate_claim(
    claim: dict, results: dict[str, dict], claims_by_id: dict[str, dict], absent: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Evaluate one claim against the loaded results (see :func:`evaluate`); ``absent``: steps not run for
    lack of data."""
    kind = claim["kind"]
    if kind == "external":
        note = f"external figure ({claim.get('source', 'not from the study data')}): {claim.get('rule', '')}"
        rec = _record(claim, note=note.rstrip(": "))
        if "input_key" in claim:  # show what the pipeline used, but do not judge an input against itself
            try:
                rec["recomputed"] = lookup(claim["input_key"], results, claims_by_id)
                rec["note"] += f"; the pipeline uses {format_value(rec['recomputed'])} as an input"
            except NotComputable:
                pass
        return rec
    keys = claim["key"] if isinstance(claim.get("key"), list) else [claim["key"]] if claim.get("key") else []
    names = keys + [n for n in placeholders(claim.get("expr", "")) if not n.startswith("@")]
    steps = sorted({n.split(".", 1)[0] for n in names})
    sources = sorted({str(results[s]["data_source"]) for s in steps if results.get(s, {}).get("data_source")})
    data_source = "published values" if kind == "arithmetic" else ", ".join(sources) or None
    expected, tol = expected_value(claim), tolerance(claim)
    try:
        if kind in ("comparison", "arithmetic") or claim.get("expr"):
            got, margin, rendered = evaluate_expr(claim["expr"], results, claims_by_id)
        else:
            got = [lookup(k, results, claims_by_id) for k in keys]
            got, margin, rendered = (got if kind == "range" else got[0]), None, ""
    except NotComputable as exc:
        # with steps not run for lack of data, a value missing from them (or from what the report computes
        # from the data present) is a claim not run, not one no data could compute
        if absent and (set(steps) & absent or "05_report" in steps):
            gone = sorted(set(steps) & absent) or ["the data it needs"]
            return _record(claim, status=NOT_RUN, note=f"not run: {', '.join(gone)} had no real file", data_source=None)
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
    if not all(is_number(v) or isinstance(v, bool) for v in vals):
        return _record(
            claim, recomputed=got, status="fail", note=f"result is not a number: {got!r}", data_source=data_source
        )
    diffs = [float(v) - float(e) for v, e in zip(vals, exps)]
    ok = all(abs(d) <= tol + _EPS for d in diffs)
    worst = max(diffs, key=abs)
    note = claim.get("rule", "")
    if rendered:
        note = f"{rendered} = {format_value(got)}; {note}"
    return _record(
        claim, recomputed=got, difference=worst, status="pass" if ok else "fail", note=note, data_source=data_source
    )


def evaluate(
    results_dir: Path | str | None = None,
    ledger: Path | str | None = None,
    extra_results: dict[str, dict] | None = None,
    absent_steps: tuple[str, ...] = (),
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
    absent_steps : tuple of str, optional
        Steps that did not run because their real files are absent: their claims get the status
        ``not run (data absent)``.

    Returns
    -------
    list of dict
        One record per claim, in ledger order: ``id, paper, where, statement, evidence, kind,
        unit, published, expected, key, recomputed, difference, tolerance, tolerance_rule,
        derived_from, readings, status, note, data_source, calibrated, calibrated_by``. ``difference`` is
        recomputed − expected (for ranges the larger end; for a comparison ``left − right``); ``calibrated``
        as the module says, ``calibrated_by`` names the target or generator setting.

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
    >>> ev["p003_kmo"]["calibrated"], ev["p003_kmo"]["calibrated_by"], ev["p003_inspections"]["calibrated"]
    (True, 'target: capacity_survey.factor_model.kmo', None)
    """
    claims = load_ledger(ledger)
    results = read_all_results(results_dir)
    for step, extra in (extra_results or {}).items():
        results[step] = {**results.get(step, {}), **extra}
    cal = calibrated_claims(ledger=ledger)
    absent = frozenset(absent_steps)
    out = []
    for c in claims:
        rec = evaluate_claim(c, results, by_id(claims), absent)
        if c["evidence"] in STRICT_EVIDENCE:
            rec["calibrated"] = calibration(c["id"], rec["data_source"], cal)
            rec["calibrated_by"] = cal[c["id"]] if rec["calibrated"] else ""
        out.append(rec)
    return out


def _refused(e: dict[str, Any]) -> bool:
    """A failing data or derived claim that ``--strict`` refuses: any in real mode, a calibrated one on the twin."""
    if e["status"] != "fail" or e.get("evidence", "data") not in STRICT_EVIDENCE:
        return False
    return not (e.get("calibrated") is False and e.get("data_source") == "synthetic")


def strict_failures(evaluations: list[dict[str, Any]]) -> list[str]:
    """Ids of the failing ``data`` and ``derived`` claims that ``civcomp reproduce --strict`` refuses.

    A ``consistency`` claim that fails is the paper disagreeing with itself, not a failed
    reproduction: it is reported, never refused. On the twin a failing *free* claim (one the twin
    was not built to reproduce) is reported too, not refused: only a calibrated one means the
    pipeline lost what the twin contains."""
    return [e["id"] for e in evaluations if _refused(e)]


def summary(evaluations: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by evidence class and status, calibrated and free apart, and the failing ids (notebook 05's headline).

    ``data_source`` is ``synthetic`` when the data and derived claims were recomputed on the twin, else
    ``real`` (or ``unknown`` when none was computed)."""
    count = {s: sum(e["status"] == s for e in evaluations) for s in STATUSES}
    recomputed = {e.get("data_source") for e in evaluations if e.get("evidence") in STRICT_EVIDENCE}
    recomputed.discard(None)
    out: dict[str, Any] = {
        "data_source": "synthetic" if recomputed == {"synthetic"} else ("real" if recomputed else "unknown"),
        "n_claims": len(evaluations),
        "n_pass": count["pass"],
        "n_fail": count["fail"],
        "n_not_computable": count["not computable"],
        "n_not_run": count[NOT_RUN],
        "n_claims_paper_000": sum(e["paper"] == "000" for e in evaluations),
        "n_claims_paper_003": sum(e["paper"] == "003" for e in evaluations),
    }
    statuses = (("pass", "pass"), ("fail", "fail"), ("not computable", "not_computable"))
    for ev in EVIDENCE:
        sel = [e for e in evaluations if e.get("evidence") == ev]
        out[f"n_{ev}"] = len(sel)
        if ev != "external":
            for s, name in statuses:
                out[f"n_{ev}_{name}"] = sum(e["status"] == s for e in sel)
        if ev in STRICT_EVIDENCE:
            for cal, part in ((True, "calibrated"), (False, "free")):
                sub = [e for e in sel if bool(e.get("calibrated")) is cal]
                out[f"n_{ev}_{part}"] = len(sub)
                for s, name in statuses:
                    out[f"n_{ev}_{part}_{name}"] = sum(e["status"] == s for e in sub)
        out[f"n_{ev}_not_run"] = sum(e["status"] == NOT_RUN for e in sel)
    out["failing_ids"] = strict_failures(evaluations)
    out["free_failing_ids"] = [
        e["id"]
        for e in evaluations
        if e.get("evidence") in STRICT_EVIDENCE and e["status"] == "fail" and not e.get("calibrated")
    ]
    out["consistency_failing_ids"] = [
        e["id"] for e in evaluations if e.get("evidence") == "consistency" and e["status"] == "fail"
    ]
    return out


def _agree(n_pass: int, n_fail: int, n_nc: int) -> str:
    """``4 agree, 1 does not`` (``agrees`` / ``do not`` as the counts need; ``, 2 not computable`` when any)."""
    text = f"{n_pass} {'agrees' if n_pass == 1 else 'agree'}, {n_fail} {'does' if n_fail == 1 else 'do'} not"
    return text + (f", {n_nc} not computable" if n_nc else "")


def class_phrase(s: dict[str, Any], ev: str, not_run: bool = False) -> str:
    """One evidence class (data or derived): on the twin calibrated and free apart, in real mode agreement only
    (with ``not_run``, the claims not run for lack of data too).

    Examples
    --------
    >>> class_phrase({"data_source": "synthetic", "n_data": 3, "n_data_calibrated": 2, "n_data_calibrated_pass": 2,
    ...               "n_data_free": 1, "n_data_free_fail": 1}, "data")
    'data: 2 calibrated claims reproduced (a pipeline check), 1 free: 0 agree, 1 does not'
    """
    g = lambda key: s.get(f"n_{ev}_{key}", 0)  # noqa: E731
    if s.get("data_source") != "synthetic":
        nr = g("not_run") if not_run else 0  # the report's pills; the closing line counts them once, at its end
        return f"{s[f'n_{ev}']} {ev} checks: {_agree(g('pass'), g('fail'), g('not_computable'))}" + (
            f", {nr} not run (data absent)" if nr else ""
        )
    n_cal, cal_fail, cal_nc = g("calibrated"), g("calibrated_fail"), g("calibrated_not_computable")
    if cal_fail or cal_nc:
        cal = (
            f"{n_cal} calibrated ({g('calibrated_pass')} reproduced, {cal_fail} not"
            + (f", {cal_nc} not computable" if cal_nc else "")
            + ": a pipeline fault)"
        )
    else:
        cal = f"{n_cal} calibrated claims reproduced (a pipeline check)"
    free = (
        f"{g('free')} free: {_agree(g('free_pass'), g('free_fail'), g('free_not_computable'))}"
        if g("free")
        else "none free"
    )
    return f"{ev}: {cal}, {free}"


def summary_line(s: dict[str, Any]) -> str:
    """The one-line summary (runner, notebook 05 and the report's header), evidence classes apart.

    On the twin, calibrated claims (reproduced by construction: a pipeline check) and free ones are counted
    apart; in real mode every claim is free.

    Examples
    --------
    >>> s = {"data_source": "synthetic", "n_data": 34, "n_data_calibrated": 29, "n_data_calibrated_pass": 29,
    ...      "n_data_free": 5, "n_data_free_pass": 4, "n_data_free_fail": 1, "n_derived": 8,
    ...      "n_derived_calibrated": 8, "n_derived_calibrated_pass": 8, "n_consistency": 8, "n_consistency_pass": 7,
    ...      "n_consistency_fail": 1, "n_external": 20}
    >>> summary_line(s)
    'on the twin — data: 29 calibrated claims reproduced (a pipeline check), 5 free: 4 agree, 1 does not; derived: 8 calibrated claims reproduced (a pipeline check), none free; 8 consistency (7 hold, 1 does not); 20 external (not recomputable)'
    >>> summary_line({**s, "data_source": "real", "n_data_pass": 33, "n_data_fail": 1, "n_derived_pass": 8})
    '34 data checks: 33 agree, 1 does not; 8 derived checks: 8 agree, 0 do not; 8 consistency (7 hold, 1 does not); 20 external (not recomputable)'
    """
    line = "; ".join(class_phrase(s, ev) for ev in STRICT_EVIDENCE)
    if s.get("data_source") == "synthetic":
        line = "on the twin — " + line
    line += (
        f"; {s['n_consistency']} consistency ({s['n_consistency_pass']} hold, "
        f"{s['n_consistency_fail']} {'does' if s['n_consistency_fail'] == 1 else 'do'} not)"
    )
    line += f"; {s['n_external']} external (not recomputable)"
    n_not_run = s.get("n_not_run", 0)
    return line + (f"; {n_not_run} not run (data absent)" if n_not_run else "")
