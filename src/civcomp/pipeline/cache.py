"""Content-hash cache of the pipeline: step keys, output digests, cache records.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from civcomp.io import params as params_mod
from civcomp.io.outputs import dumps_json, sha256_file
from civcomp.pipeline import claims
from civcomp.pipeline.graph import Project, Step
from civcomp.pipeline.notebooks import notebook_source


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


def step_key(project: Project, step: Step, upstream: dict[str, str], src_hash: str) -> str:
    """The cache key of a step: what it reads, hashed."""
    h = hashlib.sha256()
    h.update(f"step={step.name};kind={step.kind}".encode())
    h.update(src_hash.encode())
    for f in [project.params / "global.yaml", project.params / f"{step.name}.yaml"]:
        h.update(f.name.encode() + (sha256_file(f).encode() if f.exists() else b"-"))
    if step.kind == "notebook":
        h.update(sha256_file(notebook_source(project, step.name)).encode())
        for folder in ("dictionaries", "codebooks", "validation"):  # versioned inputs notebooks read
            h.update(tree_hash(project.root / "data" / folder).encode())
        if step.reads_ledger:  # the report evaluates the whole ledger
            h.update(tree_hash(project.root / "data" / "published").encode())
        else:  # an analysis shows only the paper's values beside its own: a tolerance edit must not rerun it
            ledger = project.root / "data" / "published" / claims.LEDGER
            h.update(dumps_json(claims.published_values(step.name, ledger)) if ledger.exists() else b"no ledger")
    if step.kind == "data":
        h.update(tree_hash(project.params / "synthetic").encode())
        h.update(tree_hash(project.root / "data" / "codebooks").encode())
        gp = params_mod.load_global(project.params)
        if gp.get("data_source") == "real":  # the real files themselves
            for rel in sorted((gp.get("real_data") or {}).values()):
                p = project.root / rel
                h.update(rel.encode() + (sha256_file(p).encode() if p.exists() else b"missing"))
    for dep in step.needs:
        h.update(f"{dep}={upstream.get(dep, '')}".encode())
    return h.hexdigest()




def _output_hash(project: Project, step: Step, files: list[Path] | None = None) -> str:
    """A digest of what a step produced, so a downstream key changes when it does."""
    h = hashlib.sha256()
    if step.kind == "notebook":
        res = project.outputs / "results" / f"{step.name}.json"
        h.update(sha256_file(res).encode() if res.exists() else b"no-results")
        for t in sorted((project.outputs / "tables").glob(f"{step.name}__*.csv")):
            h.update(sha256_file(t).encode())
    for f in files or []:
        if Path(f).exists():
            h.update(sha256_file(Path(f)).encode())
    return h.hexdigest()


def _cache_file(project: Project, name: str) -> Path:
    return project.cache_dir / f"{name}.json"


def _cached(project: Project, step: Step, key: str) -> dict | None:
    f = _cache_file(project, step.name)
    if not f.exists():
        return None
    rec = json.loads(f.read_text())
    if rec.get("key") != key:
        return None
    if step.kind == "notebook" and not (project.out_notebooks / f"{step.name}.ipynb").exists():
        return None
    if any(not (project.root / p).exists() for p in rec.get("files", [])):
        return None
    return rec
