"""``outputs/manifest.json``: git state, versions, parameters, data hashes, step outcomes.

The runner rewrites it (atomically) whenever a step starts or ends, so a run killed at any point —
SIGKILL included — leaves a manifest that claims no output it cannot vouch for: a step under way is
``running`` (``interrupted`` after Ctrl-C or SIGTERM), and a step is ``ran`` or ``cached``, with the
SHA-256 of each of its outputs, only while its cache record (written after the step, from the files
on disk) holds the same key. An entry left from an earlier run whose record is gone reads ``stale``.
"""

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
from civcomp.runner.cache import record
from civcomp.runner.graph import KEY_PACKAGES, Outcome, Project

DONE = ("ran", "cached")  # statuses that claim outputs


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


def manifest_header(project: Project, snap: params_mod.Snapshot) -> dict[str, Any]:
    """What stays the same during one run: git state, versions, parameters (computed once per run)."""
    gparams = snap.global_
    return {
        "git": git_state(project.root),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": package_versions(),
        "params": {
            "global": sources.public_params(gparams),
            "steps": {s.name: snap.steps.get(s.name, {}) for s in project.steps if s.kind == "notebook"},
        },
        "data_source": gparams.get("data_source", "synthetic"),
    }


def _vouched(project: Project, name: str, entry: dict) -> dict:
    """``entry`` with the outputs its cache record vouches for; ``stale`` when no record holds its key."""
    if entry.get("status") not in DONE:
        return {k: v for k, v in entry.items() if k != "outputs"}
    rec = record(project, name)
    if rec is None or not entry.get("key") or rec.get("key") != entry.get("key"):
        return {
            **{k: v for k, v in entry.items() if k not in ("outputs", "data", "files")},
            "status": "stale",
            "data": None,
            "message": entry.get("message") or "its outputs are not recorded as current; the next run repeats it",
        }
    return {**entry, "outputs": rec["files"]}


def write_manifest(
    project: Project,
    outcomes: list[Outcome],
    data_files: list[Path],
    snap: params_mod.Snapshot | None = None,
    unfinished: dict[str, str] | None = None,
    header: dict[str, Any] | None = None,
) -> dict:
    """Write ``outputs/manifest.json``; parameters from the run's snapshot (else read from params/).

    ``unfinished`` maps steps under way (or stopped) to the status to show (``running``, ``interrupted``,
    ``stale``); ``header`` is the run's :func:`manifest_header`, computed here when not given.
    """
    if snap is None:
        snap = params_mod.snapshot(
            tuple(s.name for s in project.steps if s.kind == "notebook"),
            project.params,
            project.notebooks,
            project.root,
        )
    gparams = snap.global_
    previous = {}
    mf = project.outputs / "manifest.json"
    try:
        previous = json.loads(mf.read_text()).get("steps", {}) if mf.exists() else {}
    except ValueError:  # a manifest cut short by hand: its entries are not trusted
        previous = {}
    steps = {k: v for k, v in previous.items() if isinstance(v, dict)}
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
            "data": kind if o.status in DONE else None,
            **({"files": files} if files else {}),
            **({"message": o.message.splitlines()[0]} if o.message else {}),
        }
    for name, status in (unfinished or {}).items():
        steps[name] = {"status": status, "seconds": None, "key": None, "data": None}
    steps = {name: _vouched(project, name, entry) for name, entry in sorted(steps.items())}
    manifest = {
        **(header or manifest_header(project, snap)),
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
