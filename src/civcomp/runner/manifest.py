"""``outputs/manifest.json``: git state, versions, parameters, data hashes, step outcomes."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from civcomp.io import load as data
from civcomp.io import params as params_mod
from civcomp.io import sources
from civcomp.io.outputs import sha256_file, write_json
from civcomp.runner.graph import KEY_PACKAGES, Outcome, Project


# --------------------------------------------------------------------------- manifest
def _data_files(gparams: dict) -> list[Path]:
    try:
        return data.dataset_files(gparams.get("data_source", "synthetic"))
    except Exception:  # the data step failed or has not run; the manifest still records the steps
        return []


def git_state(root: Path) -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str]:
    out = {}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _datasets(project: Project, name: str) -> tuple[str, ...]:
    try:
        return project.step(name).datasets
    except KeyError:
        return ()


def real_files(project: Project, outcomes: list[Outcome]) -> dict[str, dict]:
    """Per real dataset the steps read: file, SHA-256, rows read, N used, rehearsal, mapping
    (:func:`civcomp.io.load.provenance`); a dataset not configured is left out."""
    out = {}
    for n in dict.fromkeys(d for o in outcomes for d in _datasets(project, o.name)):
        try:
            out[n] = data.provenance(n)
        except Exception:  # not configured: its steps say so in their own line
            continue
    return out


def write_manifest(
    project: Project, outcomes: list[Outcome], data_files: list[Path], snap: params_mod.Snapshot | None = None
) -> dict:
    """Write ``outputs/manifest.json``; parameters from the run's snapshot (else read from params/)."""
    if snap is None:
        snap = params_mod.snapshot(
            tuple(s.name for s in project.steps if s.kind == "notebook"),
            project.params,
            project.notebooks,
            project.root,
        )
    gparams = snap.global_
    step_params = {s.name: snap.steps.get(s.name, {}) for s in project.steps if s.kind == "notebook"}
    previous = {}
    mf = project.outputs / "manifest.json"
    if mf.exists():
        previous = json.loads(mf.read_text()).get("steps", {})
    steps = dict(previous)
    source = gparams.get("data_source", "synthetic")
    real = real_files(project, outcomes) if source == "real" else {}
    for o in outcomes:
        files = [real[n] for n in _datasets(project, o.name) if n in real]
        kind = source
        if files and all(f["rehearsal"] for f in files):
            kind = "rehearsal"  # a byte copy of the twin: the real-mode pipeline, not the study's data
        steps[o.name] = {
            "status": o.status,
            "seconds": round(o.seconds, 2),
            "key": o.key,
            # which data this step's outputs come from (none when it did not run)
            "data": kind if o.status in ("ran", "cached") else None,
            **({"files": files} if files else {}),
            **({"message": o.message.splitlines()[0]} if o.message else {}),
        }
    manifest = {
        "git": git_state(project.root),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": package_versions(),
        "params": {"global": sources.public_params(gparams), "steps": step_params},
        "data_source": gparams.get("data_source", "synthetic"),
        "data": {
            str(Path(f).resolve().relative_to(project.root))
            if Path(f).resolve().is_relative_to(project.root)
            else sources.display_path(f): sha256_file(Path(f))
            for f in sorted(map(Path, data_files))
            if Path(f).exists()
        },
        "mappings": {n: {"file": f["mapping"], "sha256": f["mapping_sha256"]} for n, f in real.items() if f["mapping"]},
        "steps": steps,
    }
    write_json(mf, manifest)
    return manifest
