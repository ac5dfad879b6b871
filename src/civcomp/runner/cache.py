"""Content-hash cache of the pipeline: step keys, the outputs each step recorded, verification.

A cache record (``outputs/.cache/<step>.json``) holds the step's key and the SHA-256 of
every file the step wrote. :func:`cached` accepts a record only when the key matches,
every recorded file is present with its recorded hash, and no file the step owns is
unrecorded (a notebook: every file carrying its prefix, its claims JSON included; the HTML
report: everything under ``outputs/report/``) — so an output rewritten by hand, by a
JupyterLab run, or by a run that was killed, never passes as cached.

The code a step runs (``src/civcomp/`` and its notebook) is stamped when the step starts
(:func:`code_state`) and again when it ends: a step whose code changed meanwhile — even an
edit since reverted — is not recorded.
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


CodeStamp = tuple[tuple[str, int, int, int], ...]
_SRC_HASHES: dict[tuple[str, CodeStamp], str] = {}  # src/ stamp -> content hash: a no-op run hashes src/ once


def _stamp(files: list[Path]) -> CodeStamp:
    out = []
    for p in files:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:  # removed meanwhile: a change too
            out.append((str(p), -1, -1, -1))
    return tuple(out)


def _src_files(project: Project) -> list[Path]:
    if not project.src.exists():
        return []
    return sorted(p for p in project.src.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def code_state(project: Project, step: Step) -> tuple[str, CodeStamp]:
    """The hash of ``src/civcomp/`` and the stamp (path, mtime, size, inode) of every file of the step's code.

    Taken when the step starts and compared with :func:`code_stamp` when it ends: a file written in
    between changes the stamp, even when its bytes were put back.
    """
    src = _stamp(_src_files(project))
    key = (str(project.src), src)
    if key not in _SRC_HASHES:
        digest = tree_hash(project.src)
        if _stamp(_src_files(project)) == src:  # remember it only when nothing moved while it was read
            _SRC_HASHES[key] = digest
    else:
        digest = _SRC_HASHES[key]
    return digest, src + _stamp([notebook_source(project, step.name)] if step.kind == "notebook" else [])


def code_stamp(project: Project, step: Step) -> CodeStamp:
    """The stamp of the step's code now (see :func:`code_state`)."""
    return _stamp(_src_files(project) + ([notebook_source(project, step.name)] if step.kind == "notebook" else []))


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
        if gparams.get("data_source") == "real":  # which real files are validated, and their bytes
            h.update(",".join(sorted(project.needed_datasets)).encode())
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
    """The files a step owns in outputs/.

    A notebook: its results (``NN.json`` and every ``NN__*.json``, e.g. the report's claims), tables,
    figures and executed notebook. The HTML report: every page under ``outputs/report/``. The data
    step's files are what its function returns.
    """
    o = project.outputs
    if step.kind == "html":
        pages = o / "report"
        return (
            sorted(p for p in pages.rglob("*") if p.is_file() and not p.name.startswith(".")) if pages.is_dir() else []
        )
    if step.kind != "notebook":
        return []
    files = [o / "results" / f"{step.name}.json", project.out_notebooks / f"{step.name}.ipynb"]
    for sub in ("results", "tables", "figures"):
        files += sorted((o / sub).glob(f"{step.name}__*"))
    return [f for f in files if f.is_file()]


OUTSIDE = "<outside the repository>/"  # how a file outside the repository is named in a record: no machine path


def rel_name(project: Project, f: Path) -> str:
    """How a record names ``f``: relative to the repository (a file outside it: by name only)."""
    p = Path(f).resolve()
    return (
        p.relative_to(project.root.resolve()).as_posix()
        if p.is_relative_to(project.root.resolve())
        else OUTSIDE + p.name
    )


def file_hashes(project: Project, files: list[Path]) -> dict[str, str]:
    return {rel_name(project, f): sha256_file(Path(f)) for f in files if Path(f).is_file()}


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
    if step.kind == "notebook" and rel_name(project, project.out_notebooks / f"{step.name}.ipynb") not in recorded:
        return None
    if not {rel_name(project, p) for p in step_outputs(project, step)} <= set(recorded):  # a file added behind its back
        return None
    for rel, digest in recorded.items():
        if rel.startswith(OUTSIDE):  # a real file on a secure drive: its bytes are in the key already
            continue
        p = project.root / rel
        if not p.is_file() or sha256_file(p) != digest:
            return None
    return rec


def record(project: Project, name: str) -> dict | None:
    """The step's cache record as written (unverified), or None."""
    try:
        rec = json.loads(cache_file(project, name).read_text())
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and isinstance(rec.get("files"), dict) else None


def forget(project: Project, name: str) -> None:
    """Drop a step's cache record (before it runs: a killed run must not leave a record that still matches)."""
    cache_file(project, name).unlink(missing_ok=True)
