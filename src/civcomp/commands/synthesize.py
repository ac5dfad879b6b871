"""``civcomp synthesize``: write the synthetic twin of every dataset."""

from __future__ import annotations

import sys
from pathlib import Path

from civcomp import synth
from civcomp.commands import args
from civcomp.errors import ParamsError


def cli(argv: list[str]) -> int:
    ap = args.Parser(prog="civcomp synthesize", description=synth.__doc__.splitlines()[0])
    ap.add_argument(
        "--seed", type=args.integer(0, args.SEED_MAX), default=None, help="override params/global.yaml seed (>= 0)"
    )
    ap.add_argument("--out", type=Path, default=None, help="output folder (default data/synthetic/)")
    ap.add_argument(
        "--only",
        action="append",
        choices=[g[0] for g in synth.GENERATORS],
        help="generate only this dataset (and what it needs); repeatable",
    )
    a = ap.parse_args(argv)
    try:
        synth.synthesize(a.seed, out_dir=a.out, only=a.only)
    except ParamsError as exc:
        print(f"civcomp synthesize: {exc}", file=sys.stderr)
        return 1
    return 0
