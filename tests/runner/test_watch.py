"""The orphan watch: a kernel the runner starts watches its worker from before its first cell, and a watched
process exits within a fraction of a second once its parent is SIGKILLed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

from civcomp.runner.execute import run
from civcomp.runner.graph import Project, Step
from civcomp.runner.watch import THREAD_NAME

NB = textwrap.dedent("""\
    # %% tags=["parameters"]
    data_source: str = "synthetic"  # synthetic | real

    # %%
    import json, pathlib, threading
    out = pathlib.Path("..") / "outputs" / "results"
    out.mkdir(parents=True, exist_ok=True)
    names = [t.name for t in threading.enumerate()]
    (out / "a.json").write_text(json.dumps({"threads": names, "user_names": sorted(k for k in globals() if k[0] != "_")}))
    """)


def test_the_runner_starts_each_kernel_with_the_watch(tmp_path):
    for d in ("notebooks", "params", "src/civcomp"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "params" / "global.yaml").write_text("data_source: synthetic\n")
    (tmp_path / "notebooks" / "a.py").write_text(NB)
    outcomes = run(Project(tmp_path, [Step("a")]), jobs=1, echo=lambda *a: None)
    assert [o.status for o in outcomes] == ["ran"], outcomes
    got = json.loads((tmp_path / "outputs" / "results" / "a.json").read_text())
    assert THREAD_NAME in got["threads"]
    assert "civcomp" not in got["user_names"]  # the watch binds no name in the notebook's namespace


PARENT = textwrap.dedent("""\
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", {child!r}])
    print(child.pid, flush=True)
    time.sleep(60)
    """)
CHILD = "from civcomp.runner.watch import watch_parent; import time; watch_parent(interval=0.05); time.sleep(60)"


def test_a_watched_process_exits_when_its_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(child=CHILD)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    child = psutil.Process(int(parent.stdout.readline()))
    time.sleep(1.0)  # the child has imported civcomp and started its watch
    assert child.is_running()
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            if not child.is_running() or child.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.05)
    child.kill()
    raise AssertionError("the watched child outlived its killed parent")


WATCHER = "from civcomp.runner.watch import watch_parent; import sys, time; watch_parent({pid}, 0.05); time.sleep(60)"


def test_a_process_watched_by_pid_is_outlived_by_a_moment_even_as_a_zombie():
    """A pool worker's parent is the fork server, so it watches the runner by pid: once the runner is killed
    (a zombie until reaped) the worker exits; a pid already gone makes it exit at once."""
    runner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    worker = subprocess.Popen([sys.executable, "-c", WATCHER.format(pid=runner.pid)], cwd=Path.cwd())
    try:
        time.sleep(1.0)  # the worker has imported civcomp and started its watch
        assert worker.poll() is None
        os.kill(runner.pid, signal.SIGKILL)  # not reaped yet: a zombie still holds the pid
        assert worker.wait(timeout=5) == 1
        runner.wait()
        gone = subprocess.Popen([sys.executable, "-c", WATCHER.format(pid=runner.pid)], cwd=Path.cwd())
        assert gone.wait(timeout=30) == 1
    finally:
        for p in (runner, worker):
            p.kill()
            p.wait()
