"""``civcomp efa FILE``: exploratory factor analysis of a data file."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp.commands import args
from civcomp.io import rowfilter
from civcomp.io.outputs import dumps_json
from civcomp.io.readers import ReadError
from civcomp.io.readers import read_table as read_raw
from civcomp.stats.efa import (
    METHODS,
    MISSING,
    ROTATIONS,
    RULES,
    EFAError,
    HeywoodWarning,
    efa,
)


def read_table(path: Path) -> tuple[pd.DataFrame, Any]:
    """Read a data file with :mod:`civcomp.io.readers` (csv, tsv, xlsx, sav, parquet).

    Cells arrive as text; a column becomes numeric when every non-empty cell is a
    number (decimal comma honoured), otherwise it stays text, so that asking for it
    as an item raises an error that quotes the offending cell. Empty cells are NA.
    Returns the frame (index = 1-based data row) and the reader's table (for lines).
    """
    try:
        raw = read_raw(path)
    except ReadError as exc:
        raise EFAError(f"{path}: {exc.message}") from None
    df = raw.frame.replace("", pd.NA)
    for c in df.columns:
        text = df[c].str.strip()
        if raw.decimal == ",":
            text = text.str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce")
        if not (num.isna() & df[c].notna()).any():
            df[c] = num.astype("float64")
    return df, raw


MAX_FACTORS = 1_000  # more factors than this is never a factor analysis (and needs as many items)


def _n_factors_arg(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'auto', got {text!r}") from None
    if not 1 <= k <= MAX_FACTORS:
        raise argparse.ArgumentTypeError(f"expected an integer from 1 to {MAX_FACTORS} or 'auto', got {text!r}")
    return k


def _where_arg(text: str) -> rowfilter.Where:
    try:
        return rowfilter.parse(text)
    except rowfilter.WhereError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cli(argv: list[str]) -> int:
    """``civcomp efa FILE [--columns A,B,...] [--n-factors K|auto] [--method ...] [--rotation ...]``."""
    ap = args.Parser(
        prog="civcomp efa",
        description="Exploratory factor analysis of a data file "
        "(KMO, Bartlett, eigenvalues, n factors, loadings, communalities, reliability).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    ap.add_argument("file", type=Path, help="data file: csv, tsv, sav, xlsx or parquet")
    ap.add_argument(
        "--columns",
        help="comma-separated items (default: every numeric column except ID-like ones — named like an ID "
        "or every value a distinct integer — which are listed in the report)",
    )
    ap.add_argument(
        "--where",
        type=_where_arg,
        help="analyse only the rows where `column op value` holds (op: == != < <= > >= in), "
        "e.g. 'level == regional' or 'age >= 30'",
    )
    ap.add_argument("--n-factors", type=_n_factors_arg, default="auto", help="K or auto")
    ap.add_argument("--rule", choices=RULES, default="kaiser", help="rule used by --n-factors auto")
    ap.add_argument("--method", choices=METHODS, default="principal", help="extraction (principal = SPSS's)")
    ap.add_argument("--rotation", choices=ROTATIONS, default="none", help="rotation")
    ap.add_argument("--missing", choices=MISSING, default="listwise", help="missing-data rule (never imputes)")
    ap.add_argument(
        "--parallel-iterations",
        type=args.integer(0, args.RESAMPLES_MAX),
        default=100,
        help=f"parallel-analysis resamples, 0 to {args.RESAMPLES_MAX:,}",
    )
    ap.add_argument("--percentile", type=args.number(0, 100), default=95.0, help="parallel-analysis percentile, 0-100")
    ap.add_argument(
        "--bootstrap",
        type=args.integer(0, args.RESAMPLES_MAX),
        default=0,
        metavar="B",
        help=f"bootstrap resamples, 0 (none) to {args.RESAMPLES_MAX:,}",
    )
    ap.add_argument(
        "--seed",
        type=args.integer(0, args.SEED_MAX),
        default=20250412,
        help="seed of parallel analysis and the bootstrap",
    )
    ap.add_argument("--cutoff", type=args.number(0, 1), default=0.3, help="hide loadings below this in the report, 0-1")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--include-ids", action="store_true", help="keep ID-like numeric columns in the default selection")
    a = ap.parse_args(argv)
    raw = None
    try:
        data, raw = read_table(a.file)
        n_read = len(data)
        if a.where is not None:
            try:
                data = data[a.where.mask(data).to_numpy(dtype=bool)]
            except rowfilter.WhereError as exc:
                raise EFAError(str(exc)) from None
            if data.empty:
                raise EFAError(f"no row has {a.where} (of {n_read:,} rows read)")
        cols = None if a.columns is None else [c.strip() for c in a.columns.split(",") if c.strip()]
        if cols is None and a.include_ids:
            cols = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = efa(
                data,
                cols,
                a.n_factors,
                a.method,
                a.rotation,
                a.missing,
                n_factors_rule=a.rule,
                parallel_iterations=a.parallel_iterations,
                parallel_percentile=a.percentile,
                seed=a.seed,
                bootstrap_resamples=a.bootstrap,
                loading_cutoff=a.cutoff,
            )
    except EFAError as exc:
        msg = str(exc)
        if exc.row is not None and raw is not None and raw.line_of(exc.row) is not None:
            msg += f" (line {raw.line_of(exc.row)} of the file)"
        print(f"civcomp efa: {msg if msg.startswith(str(a.file)) else f'{a.file}: {msg}'}", file=sys.stderr)
        return 1
    for w in caught:
        if issubclass(w.category, (HeywoodWarning, RuntimeWarning)):
            print(f"civcomp efa: warning: {w.message}", file=sys.stderr)
    if a.json:
        out = res.to_dict()
        if a.where is not None:
            out["where"] = {"filter": str(a.where), "rows_read": n_read, "rows_kept": len(data)}
        sys.stdout.write(dumps_json(out).decode("utf-8"))
    else:
        if a.where is not None:
            print(f"rows where {a.where}: {len(data):,} of {n_read:,}")
        print(res.report())
    return 0
