#!/usr/bin/env python3
"""Strip notebook outputs, except in the cells nbval checks (a pre-commit hook; standard library only).

The committed ``notebooks/*.ipynb`` keep outputs in exactly one kind of cell: the one whose source starts with
``# NBVAL_CHECK_OUTPUT`` (``--nbval-lax`` compares only those; see README "Tests and nbval"). nbstripout can
only strip every cell, so this hook does the job: every other code cell loses its outputs and execution count,
and every cell loses the volatile ``execution`` timing metadata that Jupyter and papermill add. A notebook that
needs no change is not rewritten; a changed one is written as nbformat writes it (one-space indent, sorted keys,
UTF-8, a final newline: what ``jupytext --sync`` writes), so the two hooks never undo each other.

Usage: ``python tools/strip_nb_outputs.py NOTEBOOK.ipynb ...`` — exit 0 when nothing changed, 1 when a file was
rewritten (pre-commit then shows the change to re-stage), 2 when a file is not a readable notebook (named, with
the reason; no traceback).

Examples
--------
>>> nb = {"cells": [{"cell_type": "code", "source": "x = 1", "outputs": [{"output_type": "stream"}],
...                  "execution_count": 3, "metadata": {"execution": {"iopub.status.busy": "t"}}},
...                 {"cell_type": "code", "source": ["# NBVAL_CHECK_OUTPUT\\n", "print(1)"],
...                  "outputs": [{"output_type": "stream", "text": "1\\n"}], "execution_count": 4, "metadata": {}}],
...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
>>> strip(nb)
True
>>> [(c["outputs"], c["execution_count"], c["metadata"]) for c in nb["cells"]][0]
([], None, {})
>>> nb["cells"][1]["execution_count"], strip(nb)
(4, False)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MARK = "# NBVAL_CHECK_OUTPUT"  # = civcomp.runner.nbval.NBVAL_MARK (a test keeps them equal)
VOLATILE_METADATA = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def is_checked(cell: dict) -> bool:
    """Whether nbval checks this cell's output (its source starts with the mark, after blank space)."""
    return cell.get("cell_type") == "code" and _source(cell).lstrip().startswith(MARK)


def strip(nb: dict) -> bool:
    """Strip ``nb`` in place; return whether anything changed."""
    changed = False
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        for key in VOLATILE_METADATA:
            if key in meta:
                del meta[key]
                changed = True
        if cell.get("cell_type") != "code" or is_checked(cell):
            continue
        if cell.get("outputs"):
            cell["outputs"] = []
            changed = True
        if cell.get("execution_count") is not None:
            cell["execution_count"] = None
            changed = True
    return changed


def dumps(nb: dict) -> str:
    """Notebook JSON as ``nbformat.write`` (and so ``jupytext --sync``) lays it out, with a final newline."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False, separators=(",", ": ")) + "\n"


def process(path: Path) -> bool:
    """Strip one file; return whether it was rewritten. Raises ``ValueError`` naming the file when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path}: not a notebook (no list of cells)")
    if not strip(nb) and text == dumps(nb):
        return False
    tmp = path.with_name(f".{path.name}.strip.tmp")
    tmp.write_text(dumps(nb), encoding="utf-8")
    tmp.replace(path)
    return True


def main(argv: list[str] | None = None) -> int:
    status = 0
    for arg in sys.argv[1:] if argv is None else argv:
        try:
            if process(Path(arg)):
                print(f"stripped outputs (kept {MARK} cells): {arg}")
                status = max(status, 1)
        except ValueError as exc:
            print(f"strip_nb_outputs: {exc}", file=sys.stderr)
            status = 2
    return status


if __name__ == "__main__":
    sys.exit(main())
