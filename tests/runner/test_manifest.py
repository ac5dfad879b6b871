"""The manifest claims only what is on disk, whenever the run stops; an abort prints no traceback.

On the stand-in project, a real ``civcomp reproduce`` process is stopped while notebook ``a`` runs: by
SIGKILL (C6), or by SIGTERM or Ctrl-C sent to its process group as a terminal or a job runner does (C8).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from standin_project import runner_script, wait_for

from civcomp.runner.execute import STALE_MARK, run


def honest(root: Path) -> dict:
    """The manifest's steps, after checking that every output and data file it names is on disk with its hash."""
    manifest = json.loads((root / "outputs" / "manifest.json").read_text())
    for name, entry in manifest["steps"].items():
        assert ("outputs" in entry) == (entry["status"] in ("ran", "cached")), (name, entry)
        for rel, digest in entry.get("outputs", {}).items():
            f = root / rel
            assert f.is_file() and hashlib.sha256(f.read_bytes()).hexdigest() == digest, f"{name}: {rel}"
    for rel, digest in manifest["data"].items():
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest, rel
    return manifest["steps"]


def _status(root: Path, step: str) -> str:
    return json.loads((root / "outputs" / "manifest.json").read_text())["steps"][step]["status"]


def _stop_while_a_runs(standin, sig: int, group: bool) -> subprocess.CompletedProcess:
    (standin.root / "hold_a").touch()
    (standin.src / "mod.py").write_text("X = 3\n")  # every step reruns
    err = standin.root / "stderr.txt"
    with open(err, "w") as fh:
        proc = subprocess.Popen(
            runner_script(standin.root, []),
            stdout=subprocess.DEVNULL,
            stderr=fh,
            start_new_session=True,
            # a suite started in the background (`make test &`) ignores SIGINT, and a child would inherit that:
            # the runner must meet Ctrl-C as a terminal delivers it
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        wait_for(standin.root / "started_a", proc)  # a's outputs are gone, its kernel is running
        os.killpg(proc.pid, sig) if group else os.kill(proc.pid, sig)
        rc = proc.wait(60)
    return subprocess.CompletedProcess(proc.args, rc, "", err.read_text())


def test_C6_sigkill_leaves_a_manifest_that_claims_nothing_missing_and_a_stale_report(standin):
    done = _stop_while_a_runs(standin, signal.SIGKILL, group=False)
    assert done.returncode == -signal.SIGKILL
    assert not (standin.outputs / "results" / "a.json").exists()  # removed before a started again
    assert _status(standin.root, "a") == "running"  # not the earlier run's "ran"
    steps = honest(standin.root)
    assert steps["data"]["status"] == "ran"
    assert steps["c"]["status"] == "ran" and steps["c"]["outputs"]  # the clean run's: untouched, still claimed
    assert steps["html_report"]["status"] == "stale"
    page = standin.outputs / "report" / "index.html"
    assert STALE_MARK in page.read_text()
    (standin.root / "hold_a").unlink()
    (standin.src / "mod.py").write_text("X = 1\n")
    out = {o.name: o.status for o in run(standin, echo=lambda s: None)}
    assert out["a"] == "ran" and out["html_report"] in ("ran", "cached")
    assert STALE_MARK not in page.read_text()  # a clean run clears it
    assert {e["status"] for e in honest(standin.root).values()} <= {"ran", "cached"}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "ctrl-c"])
def test_C8_sigterm_and_ctrl_c_print_no_traceback_and_mark_what_did_not_finish(standin, sig):
    done = _stop_while_a_runs(standin, sig, group=True)
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and "KeyError" not in done.stderr, done.stderr
    assert done.stderr.strip().startswith("civcomp reproduce: interrupted"), done.stderr
    assert _status(standin.root, "a") == "interrupted"
    honest(standin.root)
    assert STALE_MARK in (standin.outputs / "report" / "index.html").read_text()
