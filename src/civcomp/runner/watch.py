"""Orphan watch: a process the runner started exits as soon as the process that started it is gone.

Two places use it. Each pool worker of :func:`civcomp.runner.execute.run` watches the runner (and kills its
kernel before it exits); each notebook kernel watches its worker: the runner starts every kernel with
:data:`KERNEL_ARGUMENTS` (``--IPKernelApp.exec_lines``), so the watch runs before the notebook's first cell,
whatever the notebook does. A kernel started by hand (JupyterLab, papermill, nbconvert) has no watch.

The worker processes themselves (the runner's pool, the postings coder's processes) come from
:func:`worker_context`: a fork server, so that each worker starts from a fresh interpreter's state without
paying the imports again.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence

THREAD_NAME = "civcomp-parent-watch"
# appended to the kernel's command line by the runner; __import__ binds no name in the notebook's namespace
KERNEL_ARGUMENTS = [f"--IPKernelApp.exec_lines=__import__({__name__!r}, fromlist=['_']).watch_parent()"]

_WATCHING = False


def watch_parent(
    parent: int | None = None, interval: float = 0.2, before_exit: Callable[[], None] | None = None
) -> None:
    """Start (once per process) a daemon thread that calls ``os._exit(1)`` as soon as ``parent`` is gone.

    Parameters
    ----------
    parent : int, optional
        The pid of the process to outlive by at most ``interval``; default the current parent. Gone as
        :func:`parent_gone` says.
    interval : float
        Seconds between two checks.
    before_exit : callable, optional
        Called just before exiting (a worker kills its kernel with it).

    Examples
    --------
    >>> watch_parent()
    >>> import threading
    >>> THREAD_NAME in [t.name for t in threading.enumerate()]
    True
    """
    global _WATCHING
    if _WATCHING:
        return
    _WATCHING = True
    gone = parent_gone(parent)

    def loop():
        while True:
            time.sleep(interval)
            if gone():
                if before_exit is not None:
                    before_exit()
                os._exit(1)

    threading.Thread(target=loop, daemon=True, name=THREAD_NAME).start()


def parent_gone(parent: int | None = None) -> Callable[[], bool]:
    """A check, true once ``parent`` is gone: no longer this process's parent when it was (the default), else
    exited, a zombie or its pid taken by another process (a worker's parent is the fork server, so it watches
    its caller by pid).

    Examples
    --------
    >>> import subprocess, sys
    >>> p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    >>> gone = parent_gone(p.pid)
    >>> gone()
    False
    >>> p.kill(); _ = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)  # dead, not reaped: a zombie
    >>> gone()
    True
    >>> _ = p.wait()
    >>> gone(), parent_gone(p.pid)()
    (True, True)
    >>> parent_gone()()
    False
    """
    if parent is None or parent == os.getppid():
        parent = os.getppid()
        return lambda: os.getppid() != parent
    import psutil

    try:
        watched = psutil.Process(parent)
    except psutil.NoSuchProcess:
        return lambda: True

    def gone() -> bool:
        try:  # is_running() compares the start time too: a pid taken by another process is not the one watched
            return watched.status() == psutil.STATUS_ZOMBIE or not watched.is_running()
        except psutil.NoSuchProcess:
            return True

    return gone


def worker_context(preload: Sequence[str]) -> mp.context.BaseContext:
    """The start method of the worker processes: a fork server that imported ``preload``.

    The server is one single-threaded process started (once per process that asks, on first use) from a fresh
    interpreter; it imports ``preload`` and then forks each worker. A worker therefore holds nothing of the
    caller — no threads, kernels or open files, as with ``spawn`` — but does not import papermill, pandas and
    civcomp again (about 0.7 s of CPU per worker with ``spawn``). A worker starts with :func:`start_worker`
    given :func:`caller`: the server's environment is the caller's when the server started, and the server
    exits only once its workers are gone (they hold its lifeline), so a worker takes the caller's current
    environment and watches the caller by pid. ``preload`` is the first caller's when two ask.

    Examples
    --------
    >>> worker_context(["json"]).get_start_method()
    'forkserver'
    """
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")  # Windows: spawn
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    return ctx


def forkserver_pid() -> int | None:
    """The pid of this process's fork server, or None when none has started.

    Examples
    --------
    >>> worker = worker_context(["json"]).Process(target=int)
    >>> worker.start(); worker.join()
    >>> forkserver_pid() in [p.pid for p in __import__("psutil").Process().children()]
    True
    """
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None)


def caller() -> tuple[int, dict[str, str]]:
    """What a worker of :func:`worker_context` needs of the process starting it: its pid and environment."""
    return os.getpid(), dict(os.environ)


def start_worker(
    of: tuple[int, dict[str, str]], interval: float, before_exit: Callable[[], None] | None = None
) -> None:
    """In a worker, first: the environment of ``of`` (:func:`caller`), and exit within ``interval`` once it is
    gone (:func:`watch_parent`)."""
    adopt_environment(of[1])
    watch_parent(of[0], interval, before_exit)


def adopt_environment(environ: Mapping[str, str]) -> None:
    """In a worker: make ``os.environ`` the caller's (the fork server's may be older), before anything reads it.

    Examples
    --------
    >>> saved = dict(os.environ)
    >>> adopt_environment({**saved, "CIVCOMP_EXAMPLE": "1"})
    >>> os.environ["CIVCOMP_EXAMPLE"]
    '1'
    >>> adopt_environment(saved)
    >>> "CIVCOMP_EXAMPLE" in os.environ
    False
    """
    os.environ.clear()
    os.environ.update(environ)
