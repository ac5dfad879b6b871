"""The ``civcomp`` command: one entry point, one sub-command per module of :mod:`civcomp.commands`.

Each sub-command is ``cli(argv: list[str]) -> int`` in its own module, imported only when
called, so ``civcomp validate`` does not pay for papermill. Whatever a command lets through — bad
input (:class:`~civcomp.errors.CivcompError`) or a failed write (a full disk, a read-only folder) — ends
here in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

from civcomp import __version__
from civcomp.commands.args import os_error_line
from civcomp.errors import CivcompError

COMMANDS = {
    "reproduce": ("civcomp.commands.reproduce", "run the whole study: data step, notebooks, report"),
    "synthesize": ("civcomp.commands.synthesize", "write the synthetic twin of all four datasets"),
    "validate": ("civcomp.commands.validate", "check a data file against its codebook"),
    "code-postings": ("civcomp.commands.code_postings", "code job postings for digital-skill requirements"),
    "efa": ("civcomp.commands.efa", "exploratory factor analysis of a data file"),
    "cfa": ("civcomp.commands.cfa", "confirmatory factor analysis / SEM of a data file (lavaan syntax)"),
}


def _usage() -> str:
    lines = ["usage: civcomp COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<14} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "civcomp COMMAND --help shows the options of one command; civcomp --version the version."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0
    if argv[0] in ("-V", "--version"):
        print(f"civcomp {__version__}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"civcomp: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])  # lazily: each command loads only what it needs
    try:
        return int(module.cli(rest) or 0)
    except CivcompError as exc:  # bad input a command did not word itself: its one-line message
        print(f"civcomp {name}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
        print(f"civcomp {name}: {os_error_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
