"""The one evaluation of the claims, on disk: ``outputs/results/05_report__claims.json``, and its display frame.

Notebook 05 evaluates the claims once and writes them with :func:`write_evaluations`; the HTML report
and ``civcomp reproduce --strict`` read that file (:func:`read_evaluations`) and never re-evaluate.
The file records the ledger's hash, so evaluations written before the ledger changed are refused as stale.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> read_evaluations(d)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
civcomp.replication.claims.schema.ClaimsError: .../05_report__claims.json not found: the claims are evaluated by notebook 05 (civcomp reproduce)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io.ledger import ledger_path, result_leaves
from civcomp.io.outputs import at_published_precision, atomic_write, jsonable
from civcomp.replication.claims.evaluation import summary
from civcomp.replication.claims.expression import format_value
from civcomp.replication.claims.schema import ClaimsError, ledger_sha256

EVALUATIONS_FILE = "05_report__claims.json"  # written once by notebook 05, read by the report and --strict


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
        "summary": at_published_precision(summary(evaluations), []),
        "evaluations": [at_printed_precision(e) for e in evaluations],
    }
    text = json.dumps(jsonable(doc), indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    return atomic_write(evaluations_path(results_dir), text.encode("utf-8"))


def at_printed_precision(evaluation: dict[str, Any]) -> dict[str, Any]:
    """One evaluation with every float at the printed precision of what it is made of: ``recomputed`` and
    ``difference`` by the results keys the claim reads (:func:`civcomp.io.ledger.result_leaves`), every
    other float by its own key (:func:`civcomp.io.outputs.at_published_precision`).

    A difference of a published value and a paper's number carries no more digits than the published value:
    written at full precision, it would (``-26.848794080290314`` is a regional count over a known headcount).

    Examples
    --------
    >>> e = {"key": "03_x.coverage_of_local_staff", "recomputed": 0.0015120587, "difference": -0.2684879412}
    >>> at_printed_precision(e)
    {'key': '03_x.coverage_of_local_staff', 'recomputed': 0.00151206, 'difference': -0.268488}
    """
    leaves = result_leaves(evaluation.get("key"))
    return {
        k: at_published_precision(v, leaves if k in ("recomputed", "difference") else [k])
        for k, v in evaluation.items()
    }


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


def calibrated_text(flag: bool | None) -> str:
    """How a row's ``calibrated`` flag reads: a calibrated pass is visibly no evidence about the paper.

    Examples
    --------
    >>> calibrated_text(True), calibrated_text(False), calibrated_text(None)
    ('calibrated: not evidence', 'free', '')
    """
    return {True: "calibrated: not evidence", False: "free"}.get(flag, "")


def evaluations_frame(evaluations: list[dict[str, Any]]):
    """The evaluations as a DataFrame with display-ready text columns (for tables and the report).

    ``calibrated`` reads ``calibrated: not evidence`` for a claim the synthetic twin reproduces by
    construction, ``free`` for another data or derived claim, empty for consistency and external claims."""
    import pandas as pd

    rows = []
    for e in evaluations:
        rows.append(
            {
                "status": e["status"],
                "evidence": e.get("evidence"),
                "calibrated": calibrated_text(e.get("calibrated")),
                "id": e["id"],
                "paper": e["paper"],
                "where": e["where"],
                "kind": e["kind"],
                "statement": e["statement"],
                "published": e["published"],
                "expected": format_value(e["expected"]),
                "recomputed": format_value(e["recomputed"]),
                "difference": None if e["difference"] is None else round(e["difference"], 6),
                "tolerance": e["tolerance"],
                "tolerance_rule": e.get("tolerance_rule", ""),
                "key": e["key"],
                "data_source": e["data_source"],
                "note": e["note"],
                "calibrated_by": e.get("calibrated_by", ""),
            }
        )
    return pd.DataFrame(rows)
