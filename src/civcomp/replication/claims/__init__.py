"""The claims ledger: every published number of the two papers, checked against the recomputed results.

One module per job:

* :mod:`~civcomp.replication.claims.schema` — reading and validating ``data/published/claims.yaml``,
  the evidence classes and the printed-precision tolerance rule;
* :mod:`~civcomp.replication.claims.expression` — the safe-expression interpreter of ``expr``;
* :mod:`~civcomp.replication.claims.calibration` — which data and derived claims the synthetic twin
  reproduces by construction (calibrated) and which are free, derived from ``params/synthetic``;
* :mod:`~civcomp.replication.claims.evaluation` — each claim's status against ``outputs/results/*.json``,
  the summary and what ``--strict`` refuses;
* :mod:`~civcomp.replication.claims.evaluation_file` — the one evaluation on disk
  (``outputs/results/05_report__claims.json``) and its display frame.

The package re-exports their public names, so ``claims.load_ledger`` and ``claims.evaluate`` read as
one vocabulary; each is defined once, in the module above.

Examples
--------
>>> from civcomp.replication import claims
>>> claims.load_ledger is claims.schema.load_ledger
True
"""

from civcomp.replication.claims.calibration import calibrated_claims
from civcomp.replication.claims.evaluation import (
    STATUSES,
    evaluate,
    evaluate_claim,
    published_text,
    read_all_results,
    results_data_sources,
    strict_failures,
    summary,
    summary_line,
)
from civcomp.replication.claims.evaluation_file import (
    EVALUATIONS_FILE,
    evaluations_frame,
    evaluations_path,
    read_evaluations,
    write_evaluations,
)
from civcomp.replication.claims.expression import ExpressionError, NotComputable, evaluate_expr
from civcomp.replication.claims.schema import (
    COMPUTED_BY_REQUIRED,
    EVIDENCE,
    KINDS,
    PAPERS,
    STRICT_EVIDENCE,
    ClaimsError,
    by_id,
    computed_by_function,
    half_unit,
    ledger_sha256,
    load_figures,
    load_ledger,
    published_values,
    tolerance,
    tolerance_rule,
    validate,
)

__all__ = [
    "COMPUTED_BY_REQUIRED",
    "EVALUATIONS_FILE",
    "EVIDENCE",
    "KINDS",
    "PAPERS",
    "STATUSES",
    "STRICT_EVIDENCE",
    "ClaimsError",
    "ExpressionError",
    "NotComputable",
    "by_id",
    "calibrated_claims",
    "computed_by_function",
    "evaluate",
    "evaluate_claim",
    "evaluate_expr",
    "evaluations_frame",
    "evaluations_path",
    "half_unit",
    "ledger_sha256",
    "load_figures",
    "load_ledger",
    "published_text",
    "published_values",
    "read_all_results",
    "read_evaluations",
    "results_data_sources",
    "strict_failures",
    "summary",
    "summary_line",
    "tolerance",
    "tolerance_rule",
    "validate",
    "write_evaluations",
]
