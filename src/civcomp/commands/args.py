"""What every ``civcomp`` sub-command shares on its command line: a parser whose errors are one line, and
range-checked numbers.

A bad option ends with one line on stderr (``civcomp efa: error: argument --percentile: expected a number
from 0 to 100, got '200' (see civcomp efa --help)``) and exit status 2, never a traceback or a page of
usage. Every numeric option is declared with :func:`integer` or :func:`number`, which refuse values
outside the documented range (and ``nan``/``inf``) before any work starts.

Examples
--------
>>> ap = Parser(prog="civcomp demo")
>>> _ = ap.add_argument("--seed", type=integer(0, SEED_MAX), default=1)
>>> ap.parse_args(["--seed", "7"]).seed
7
>>> number(0, 100)("100.0")
100.0
"""

from __future__ import annotations

import argparse
import errno
import math
import sys
from collections.abc import Callable

SEED_MAX = 2**63 - 1  # seeds are non-negative 64-bit integers (numpy's generators take any of them)
RESAMPLES_MAX = 10_000  # bootstrap resamples / parallel-analysis iterations (100 and 1,000 are the usual)


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose errors are one line on stderr, exit status 2."""

    def error(self, message: str):  # noqa: D102 (argparse hook)
        line = " ".join(message.split())
        sys.stderr.write(f"{self.prog}: error: {line} (see {self.prog} --help)\n")
        sys.exit(2)


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"from {lo:,} to {hi:,}"
    return f"of at least {lo:,}" if lo is not None else f"of at most {hi:,}"


def integer(lo: int | None = None, hi: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an integer within ``[lo, hi]`` (either end may be open).

    Examples
    --------
    >>> integer(0, 10)("3")
    3
    >>> integer(0, 10)("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected an integer from 0 to 10, got '-1'
    """

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            value = None
        if value is None or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(f"expected an integer {_range_text(lo, hi)}, got {text[:40]!r}")
        return value

    return parse


def number(lo: float | None = None, hi: float | None = None) -> Callable[[str], float]:
    """An argparse ``type``: a finite number within ``[lo, hi]`` (either end may be open).

    Examples
    --------
    >>> number(0, 100)("200")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number from 0 to 100, got '200'
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(f"expected a number {_range_text(lo, hi)}, got {text[:40]!r}")
        return value

    return parse


def os_error_line(exc: OSError) -> str:
    """One line for a failed read or write: the file and the system's reason.

    Examples
    --------
    >>> import errno
    >>> os_error_line(OSError(errno.ENOSPC, "No space left on device", "outputs/tables/x.csv"))
    'outputs/tables/x.csv: No space left on device (free some disk space, then run again)'
    """
    where = exc.filename if exc.filename is not None else "a file"
    why = exc.strerror or " ".join(str(exc).split())
    hint = {
        errno.ENOSPC: " (free some disk space, then run again)",
        errno.EDQUOT: " (over the disk quota: free some space, then run again)",
        errno.EROFS: " (the file system is read-only)",
        errno.EACCES: " (no permission: fix the folder's permissions)",
        errno.EPERM: " (no permission: fix the folder's permissions)",
    }.get(exc.errno, "")
    return f"{where}: {why}{hint}"
