"""``civcomp validate DATASET FILE``: check a data file against its codebook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from civcomp.commands import args
from civcomp.io.codebook import ALL_DATASETS
from civcomp.io.validate import validate_file
from civcomp.io.violations import PRINT_LIMIT


def cli(argv: list[str]) -> int:
    ap = args.Parser(prog="civcomp validate", description="Check a data file against its codebook (data/codebooks/).")
    ap.add_argument("dataset", choices=ALL_DATASETS)
    ap.add_argument("file", type=Path, help="CSV (UTF-8 or Windows-1251, ',' or ';'), XLSX, SAV or Parquet")
    ap.add_argument(
        "--capacity",
        type=Path,
        help="capacity_survey file for appraisal_360's respondent_id key "
        "(default: the configured real file, if it exists)",
    )
    ap.add_argument("--postings", type=Path, help="postings file for the companions' id key")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    ap.add_argument(
        "--limit",
        type=args.integer(0, 1_000_000),
        default=PRINT_LIMIT,
        help="violations listed in text mode, 0 to 1,000,000 (default 200)",
    )
    a = ap.parse_args(argv)
    refs = {k: v for k, v in (("capacity_survey", a.capacity), ("postings", a.postings)) if v is not None}
    try:
        report = validate_file(a.dataset, a.file, refs)
    except Exception as exc:  # a bug on our side must still not end in a traceback for the user
        print(
            f"civcomp validate: unexpected error while validating {a.file}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return 1
    if a.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.format(limit=a.limit))
    if not report.ok:
        print(f"civcomp validate: {a.file}: {report.n_violations:,} violation(s)", file=sys.stderr)
        return 1
    return 0
