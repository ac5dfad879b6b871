"""``civcomp validate DATASET FILE``: check a data file against its codebook, through its mapping; ``--suggest``
drafts that mapping."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from civcomp import paths
from civcomp.commands import args
from civcomp.errors import ParamsError
from civcomp.io import mapping as mapping_mod
from civcomp.io.codebook import ALL_DATASETS
from civcomp.io.readers import ReadError, read_table
from civcomp.io.suggest import suggest
from civcomp.io.validate import validate_file
from civcomp.io.violations import PRINT_LIMIT


def _mapping(a) -> mapping_mod.Mapping | None:
    """--mapping FILE; else the project's mapping of the dataset, unless the file is the synthetic twin."""
    if a.no_mapping:
        return None
    if a.mapping is not None:
        return mapping_mod.load_mapping(a.dataset, path=a.mapping)
    if paths.SYNTHETIC.resolve() in a.file.resolve().parents:
        return None
    return mapping_mod.load_mapping(a.dataset)


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
    ap.add_argument(
        "--mapping",
        type=Path,
        help="mapping of the file's columns and codes onto the codebook "
        "(default: params/real_mapping/DATASET.yaml when it exists; not for a file in data/synthetic/)",
    )
    ap.add_argument("--no-mapping", action="store_true", help="validate the file as it is, without a mapping")
    ap.add_argument(
        "--suggest", action="store_true", help="print a draft mapping (params/real_mapping/DATASET.yaml) on stdout"
    )
    ap.add_argument("--json", action="store_true", help="print the full report (every kept violation) as JSON")
    ap.add_argument(
        "--limit",
        type=args.integer(0, 1_000_000),
        default=PRINT_LIMIT,
        help="violations listed row by row in text mode, 0 to 1,000,000 (default 200)",
    )
    a = ap.parse_args(argv)
    if a.suggest:
        try:
            print(suggest(a.dataset, read_table(a.file)), end="")
        except ReadError as exc:
            print(f"civcomp validate: {a.file}: {exc.message}", file=sys.stderr)
            return 1
        return 0
    refs = {k: v for k, v in (("capacity_survey", a.capacity), ("postings", a.postings)) if v is not None}
    try:
        mapping = _mapping(a)
        report = validate_file(a.dataset, a.file, refs, mapping=mapping)
    except ParamsError as exc:  # the mapping: one line naming its file, key and value; nothing validated
        print(f"civcomp validate: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug on our side must still not end in a traceback for the user
        print(
            f"civcomp validate: unexpected error while validating {a.file}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return 1
    if a.json:
        out = report.to_dict()
        out["mapping"] = None if mapping is None else {"file": mapping.file, "sha256": mapping.sha256}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if mapping is not None:
            print(f"mapping: {mapping.file} (sha256 {mapping.sha256[:12]})")
        print(report.format(limit=a.limit))
    if not report.ok:
        print(f"civcomp validate: {a.file}: {report.n_violations:,} violation(s)", file=sys.stderr)
        return 1
    return 0
