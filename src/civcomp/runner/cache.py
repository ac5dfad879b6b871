"""Content-hash cache of the pipeline: step keys, the outputs each step recorded, verification.

A cache record (``outputs/.cache/<step>.json``) holds the step's key and the SHA-256 of
every file the step wrote. :func:`cached` accepts a record only when the key matches,
every recorded file is present with its recorded hash, and (for a notebook) no other
file carries the step's prefix — so an output rewritten by hand, by a JupyterLab run,
or by a run that was killed, never passes as cached.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from civcomp.io.ledger import LEDGER
from civcomp.io.outputs import dumps_json, sha256_file
from civcomp.io.params import Snapshot
from civcomp.replication.claims.schema import published_values
from civcomp.runner.graph import Project, Step, real_file
from civcomp.runner.notebooks import notebook_source


# --------------------------------------------------------------------------- hashing
def tree_hash(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """Hash of every file below ``folder`` (names and bytes), ignoring caches."""
    h = hashlib.sha256()
    if folder.exists():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes):
                h.update(str(p.relative_to(folder)).encode())
                h.update(sha256_file(p).encode())
    return h.hexdigest()


def step_key(
    project: Project, step: Step, upstream: dict[str, str], src_hash: str, snap: Snapshot | None = None
) -> str:
    """The cache key of a step: what it reads, hashed (parameter values from the run's one snapshot)."""
    h = hashlib.sha256()
    h.update(f"step={step.name};kind={step.kind}".encode())
    h.update(src_hash.encode())
    gparams = snap.global_ if snap else {}
    if snap is not None:
        h.update(
            (
                snap.digest(step.name)
                if step.kind == "notebook"
                else hashlib.sha256(dumps_json(snap.global_)).hexdigest()
            ).encode()
        )
    if step.kind == "notebook":
        h.update(sha256_file(notebook_source(project, step.name)).encode())
        for folder in ("dictionaries", "codebooks", "validation"):  # versioned inputs notebooks read
            h.update(tree_hash(project.root / "data" / folder).encode())
        if step.reads_ledger:  # the report evaluates the whole ledger
            h.update(tree_hash(project.root / "data" / "published").encode())
        else:  # an analysis shows only the paper's values beside its own: a tolerance edit must not rerun it
            ledger = project.root / "data" / "published" / LEDGER
            h.update(dumps_json(published_values(step.name, ledger)) if ledger.exists() else b"no ledger")
    if step.kind == "data":
        h.update(tree_hash(project.params / "synthetic").encode())
        h.update(tree_hash(project.root / "data" / "codebooks").encode())
        h.update(",".join(project.needed_datasets).encode())
        if gparams.get("data_source") == "real":  # the real files themselves
            for name in sorted(gparams.get("real_data") or {}):
                p = real_file(project, gparams, name)
                h.update(name.encode() + (sha256_file(p).encode() if p and p.is_file() else b"missing"))
            h.update(tree_hash(project.params / "real_mapping").encode())  # how the files are read
    if step.kind == "html":
        h.update(tree_hash(project.root / "data" / "published").encode())
    for dep in step.needs:
        h.update(f"{dep}={upstream.get(dep, '')}".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- outputs
def step_outputs(project: Project, step: Step) -> list[Path]:
    """The files a notebook step owns in outputs/: its results, tables, figures and executed notebook."""
    if step.kind != "notebook":
        return []
    o = project.outputs
    files = [o / "results" / f"{step.name}.json", project.out_notebooks / f"{step.name}.ipynb"]
    files += sorted((o / "tables").glob(f"{step.name}__*")) + sorted((o / "figures").glob(f"{step.name}__*"))
    return [f for f in files if f.is_file()]


OUTSIDE = "<outside the repository>/"  # how a file outside the repository is named in a record: no machine path


def _rel(project: Project, f: Path) -> str:
    p = Path(f).resolve()
    return (
        p.relative_to(project.root.resolve()).as_posix()
        if p.is_relative_to(project.root.resolve())
        else OUTSIDE + p.name
    )


def file_hashes(project: Project, files: list[Path]) -> dict[str, str]:
    return {_rel(project, f): sha256_file(Path(f)) for f in files if Path(f).is_file()}


def output_hash(hashes: dict[str, str]) -> str:
    """What downstream steps see of a step: its outputs' hashes (the executed notebook's timings excluded)."""
    keep = {k: v for k, v in hashes.items() if not k.endswith(".ipynb")}
    return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()


def cache_file(project: Project, name: str) -> Path:
    return project.cache_dir / f"{name}.json"


def cached(project: Project, step: Step, key: str) -> dict | None:
    """The step's cache record when it can be trusted (key, files and hashes all check); else None."""
    f = cache_file(project, step.name)
    try:
        rec = json.loads(f.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("key") != key or not isinstance(rec.get("files"), dict):
        return None
    recorded: dict[str, str] = rec["files"]
    if step.kind == "notebook":
        if f"{_rel(project, project.out_notebooks / (step.name + '.ipynb'))}" not in recorded:
            return None
        present = {_rel(project, p) for p in step_outputs(project, step)}
        if present != set(recorded):  # a file added or removed behind the runner's back
            return None
    for rel, digest in recorded.items():
        if rel.startswith(OUTSIDE):  # a real file on a secure drive: its bytes are in the key already
            continue
        p = project.root / rel
        if not p.is_file() or sha256_file(p) != digest:
            return None
    return rec


def forget(project: Project, name: str) -> None:
    """Drop a step's cache record (before it runs: a killed run must not leave a record that still matches)."""
    cache_file(project, name).unlink(missing_ok=True)
