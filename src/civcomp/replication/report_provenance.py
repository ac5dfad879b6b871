"""Per-figure provenance for the HTML report: the commit, the parameters and only the data files a notebook reads.

Examples
--------
>>> m = {"data": {"data/raw/postings.csv": "a" * 64, "data/raw/survey.csv": "b" * 64}}
>>> sorted(data_files_read("01_content_analysis", m))
['data/raw/postings.csv']
"""

from __future__ import annotations

import json
from pathlib import Path

from civcomp.io.display import file_line
from civcomp.io.params import STEP_DATASETS


def data_files_read(step: str, manifest: dict) -> dict[str, str]:
    """The data files (and their SHA-256) that ``step`` reads, of the run manifest's ``data``: its datasets
    (``STEP_DATASETS``) and their companions (``postings_gold`` with ``postings``), in real mode the files
    ``real_data`` names for them."""
    names = STEP_DATASETS.get(step, ())
    real = ((manifest.get("params") or {}).get("global") or {}).get("real_data") or {}
    out = {}
    for f, h in (manifest.get("data") or {}).items():
        base = Path(f).name.split(".", 1)[0]
        owner = next((k for k, v in real.items() if v and Path(str(v)).name == Path(f).name), base)
        if any(owner == n or owner.startswith(n + "_") for n in names):
            out[f] = h
    return out


def figure_provenance(step: str, manifest: dict) -> dict[str, str]:
    """What made a notebook's figures: git commit, the global and the step's own parameters, the data files
    the step reads (with their hashes; the files the run recorded for it, in real mode) and the run's status."""
    git = manifest.get("git") or {}
    commit = git.get("commit")
    prm = manifest.get("params") or {}
    glob = {k: v for k, v in (prm.get("global") or {}).items() if k in ("seed", "data_source", "min_cell_size")}
    own = (prm.get("steps") or {}).get(step)
    st = (manifest.get("steps") or {}).get(step) or {}
    if not manifest.get("data"):
        data = "not recorded"
    else:
        read = data_files_read(step, manifest)
        data = "; ".join(f"{Path(f).name} {str(h)[:12]}" for f, h in sorted(read.items())) or (
            "none: drawn from published values and other notebooks' results"
        )
    return {
        "step": step,
        "commit": (commit[:12] if isinstance(commit, str) else "unknown")
        + (" (uncommitted changes)" if git.get("dirty") else ""),
        "glob": json.dumps(glob, sort_keys=True) if glob else "global: not recorded",
        "own": json.dumps(own, sort_keys=True) if own is not None else "not recorded",
        "data": "; ".join(file_line(f) for f in st["files"]) if st.get("files") else data,
        "run": f"{st.get('status', '?')}, {st.get('seconds', '?')} s" if st else "not recorded",
    }
