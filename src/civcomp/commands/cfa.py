"""``civcomp cfa FILE --model "..."``: confirmatory factor analysis / structural equation model of a data file.

The model is written in lavaan syntax (``f =~ a + b + c`` measurement, ``y ~ a + b`` regression,
``a ~~ b`` covariance; statements separated by ``;`` or new lines) and fitted by maximum likelihood
with :func:`civcomp.stats.sem.fit` (semopy, reported in lavaan's conventions and checked against
R lavaan). The report gives the fit (χ², df, p, CFI, TLI, RMSEA with its 90 % CI, SRMR), the
standardized loadings and, with regressions in the model, the standardized paths with 95 % CIs and R².

Examples
--------
>>> import io, contextlib, json
>>> from civcomp import paths
>>> hs = paths.ROOT / "tests" / "reference" / "lavaan" / "HolzingerSwineford1939.csv"
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     code = cli([str(hs), "--model", "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; "
...                 "speed =~ x7 + x8 + x9", "--json"])
>>> fit = json.loads(out.getvalue())["fit"]
>>> code, round(fit["chisq"], 3), fit["df"], round(fit["cfi"], 3), round(fit["rmsea"], 3)
(0, 85.306, 24, 0.931, 0.092)
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from civcomp.commands import args
from civcomp.commands.efa import read_table
from civcomp.io.outputs import dumps_json
from civcomp.stats.efa import EFAError
from civcomp.stats.sem import SEMError, SEMResult, fit


def _f(v: float, digits: int = 3) -> str:
    return "NA" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def _p(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "NA"
    return "< .001" if v < 0.001 else f"{v:.3f}"


def _p_text(v: float) -> str:
    text = _p(v)
    return text if text.startswith("<") else f"= {text}"


def report(res: SEMResult, file: Path) -> str:
    """Human-readable report of a fitted model (fit, standardized loadings, paths, R²)."""
    f = res.fit
    lo, hi = f["rmsea_ci"]
    lines = [
        f"{file}: N = {res.n:,} complete rows ({res.extra['n_dropped']:,} dropped for a missing value)",
        "estimator ML (lavaan conventions: N-divisor covariance, fixed.x, first loading = 1)",
        "",
        "Fit",
        f"  chi2 = {_f(f['chisq'])}, df = {f['df']}, p {_p_text(f['pvalue'])}",
        f"  CFI = {_f(f['cfi'])}, TLI = {_f(f['tli'])}",
        f"  RMSEA = {_f(f['rmsea'])} (90% CI {_f(lo)}-{_f(hi)}), SRMR = {_f(f['srmr'])}",
    ]
    if len(res.loadings):
        lines += [
            "",
            "Standardized loadings (std.all)",
            _table(res.loadings, ["latent", "indicator"], ["est", "std_all", "std_se", "pvalue"]),
        ]
    if len(res.paths):
        lines += [
            "",
            "Standardized regression paths (std.all, 95% CI)",
            _table(res.paths, ["lhs", "rhs"], ["est", "std_all", "se", "ci_lower", "ci_upper", "pvalue"]),
        ]
    if res.r2:
        lines += ["", "R-squared", *[f"  {k:<24} {_f(v)}" for k, v in res.r2.items()]]
    return "\n".join(lines)


def _table(df: pd.DataFrame, keys: list[str], cols: list[str]) -> str:
    show = df[keys + cols].copy()
    for c in cols:
        show[c] = [_p(v) if c == "pvalue" else _f(v) for v in show[c]]
    return show.to_string(index=False)


def _codes(text: str) -> list[float]:
    try:
        return [float(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise SEMError(f"--missing-codes must be numbers separated by commas, got {text!r}") from None


def cli(argv: list[str]) -> int:
    """``civcomp cfa FILE --model "f =~ a + b + c; y ~ f + d" [--json]``."""
    ap = args.Parser(
        prog="civcomp cfa",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description="Confirmatory factor analysis / structural equation model of a data file, by maximum "
        "likelihood in lavaan's conventions (semopy, checked against R lavaan). Rows with a missing "
        "value on a model variable are dropped (listwise).",
        epilog='example: civcomp cfa survey.csv --model "f1 =~ a + b + c; f2 =~ d + e + f; y ~ f1 + f2" --json',
    )
    ap.add_argument("file", type=Path, help="data file: csv, tsv, sav, xlsx or parquet")
    ap.add_argument(
        "--model",
        required=True,
        default=argparse.SUPPRESS,
        help="lavaan model syntax: 'f =~ a + b + c' (factor), 'y ~ a + b' (regression), "
        "'a ~~ b' (covariance); statements separated by ';' or new lines",
    )
    ap.add_argument(
        "--missing-codes",
        default="",
        metavar="V1,V2",
        help="numeric values that mean 'missing' (e.g. 99,98), treated as empty cells; empty cells are always missing",
    )
    ap.add_argument("--estimator", choices=["ML"], default="ML", help="estimator")
    ap.add_argument(
        "--json", action="store_true", help="print the results as JSON (keys n, fit, loadings, paths, r2, model, extra)"
    )
    a = ap.parse_args(argv)
    try:
        codes = _codes(a.missing_codes)
        data, _ = read_table(a.file)
        if codes:
            data = data.apply(lambda c: c.mask(c.isin(codes)) if pd.api.types.is_numeric_dtype(c) else c)
        res = fit(data, a.model, a.estimator)
    except (EFAError, SEMError) as exc:
        msg = str(exc)
        print(f"civcomp cfa: {msg if msg.startswith(str(a.file)) else f'{a.file}: {msg}'}", file=sys.stderr)
        return 1
    if a.json:
        sys.stdout.write(dumps_json(res.to_dict()).decode("utf-8"))
    else:
        print(report(res, a.file))
    return 0
