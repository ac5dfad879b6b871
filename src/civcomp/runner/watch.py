"""Orphan watch: a process the runner started exits as soon as the process that started it is gone.

Two places use it. Each pool worker of :func:`civcomp.runner.execute.run` watches the runner (and kills its
kernel before it exits); each notebook kernel watches its worker: the runner starts every kernel with
:data:`KERNEL_ARGUMENTS` (``--IPKernelApp.exec_lines``), so the watch runs before the notebook's first cell,
whatever the notebook does. A kernel started by hand (JupyterLab, papermill, nbconvert) has no watch.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

THREAD_NAME = "civcomp-parent-watch"
# appended to the kernel's command line by the runner; __import__ binds no name in the notebook's namespace
KERNEL_ARGUMENTS = [f"--IPKernelApp.exec_lines=__import__({__name__!r}, fromlist=['_']).watch_parent()"]

_WATCHING = False


def watch_parent(
    parent: int | None = None, interval: float = 0.2, before_exit: Callable[[], None] | None = None
) -> None:
    """Start (once per process) a daemon thread that calls ``os._exit(1)`` when ``parent`` is no longer the parent.

    Parameters
    ----------
    parent : int, optional
        The pid expected as parent; default the current parent (``os.getppid()``).
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
    parent = os.getppid() if parent is None else parent

    def loop():
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                if before_exit is not None:
                    before_exit()
                os._exit(1)

    threading.Thread(target=loop, daemon=True, name=THREAD_NAME).start()
