"""``civcomp code-postings FILE``: code job postings for digital-skill requirements.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from civcomp.io import readers
from civcomp.io.outputs import atomic_write, safe_frame
from civcomp.text.dictionary import DictionaryError, load_dictionary
from civcomp.text.matcher import Matcher


# ------------------------------------------------------------------------------------ CLI
def _read_postings(path: Path, id_col: str = "id", text_col: str = "text") -> pd.DataFrame:
    """The postings with their columns renamed to ``id`` and ``text``; raise naming the missing ones."""
    raw = readers.read_table(path)
    df = raw.frame
    missing = [c for c in (id_col, text_col) if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(repr(c) for c in missing)} (found: {', '.join(map(repr, df.columns))}; "
                         "choose others with --id-col / --text-col)")
    return df[[id_col, text_col]].set_axis(["id", "text"], axis=1).reset_index(drop=True)


def cli(argv: Sequence[str]) -> int:
    """``civcomp code-postings FILE [--dictionary PATH] [--json | --out PATH.csv]``."""

    ap = argparse.ArgumentParser(
        prog="civcomp code-postings",
        description="Code job postings for digital-skill requirements with a keyword dictionary. "
                    "FILE (CSV, XLSX, SAV or Parquet) needs an identifier and a text column ('id' and 'text' unless "
                    "--id-col / --text-col name others).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("file", type=Path, metavar="FILE")
    ap.add_argument("--dictionary", type=Path, default=None, metavar="PATH",
                    help="keyword dictionary YAML (default: data/dictionaries/digital_skills.yaml)")
    ap.add_argument("--id-col", default="id", metavar="NAME", help="column identifying each posting")
    ap.add_argument("--text-col", default="text", metavar="NAME", help="column holding the posting's text")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON array of {id, digital, tiers, matches}")
    out.add_argument("--out", type=Path, default=None, metavar="PATH.csv",
                     help="write one row per posting (id, digital, tiers, n_matches, keywords) to a CSV file")
    a = ap.parse_args(list(argv))
    try:
        matcher = Matcher(load_dictionary(a.dictionary))
        df = _read_postings(a.file, a.id_col, a.text_col)
    except readers.ReadError as exc:
        print(f"civcomp code-postings: {a.file}: {exc.message}", file=sys.stderr)
        return 1
    except (DictionaryError, ValueError) as exc:
        print(f"civcomp code-postings: {exc}", file=sys.stderr)
        return 1
    codes = matcher.code(df["text"].tolist())
    ids = df["id"].tolist()
    if a.json:
        payload = [{"id": i, "digital": c.digital, "tiers": list(c.tiers), "matches": [m.as_dict() for m in c.matches]}
                   for i, c in zip(ids, codes)]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return 0
    table = pd.DataFrame({
        "id": ids, "digital": [int(c.digital) for c in codes], "tiers": ["|".join(c.tiers) for c in codes],
        "n_matches": [len(c.matches) for c in codes],
        "keywords": ["|".join(dict.fromkeys(m.keyword for m in c.matches)) for c in codes],
    })
    if a.out is not None:
        try:
            atomic_write(a.out, safe_frame(table).to_csv(index=False, lineterminator="\n").encode("utf-8"))
        except OSError as exc:
            print(f"civcomp code-postings: cannot write {a.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        n = int(table["digital"].sum())
        print(f"coded {len(table)} postings: {n} specify a digital skill, {len(table) - n} do not -> {a.out}")
        return 0
    sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    return 0
