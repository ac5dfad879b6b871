"""The ``civcomp`` command: one entry point, one sub-command per module of :mod:`civcomp.commands`.

Each sub-command is ``cli(argv: list[str]) -> int`` in its own module, imported only when
called, so ``civcomp validate`` does not pay for papermill.
"""

from __future__ import annotations

import importlib
import sys

from civcomp import __version__

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
    return int(module.cli(rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
