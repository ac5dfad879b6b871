"""The compendium's exceptions: one base module, imported by every layer (no import cycles).

Each is raised with a message that names the file, row, column/key and value at fault,
so the command-line tools print it as it is, never a traceback.
"""

from __future__ import annotations


class CivcompError(Exception):
    """Base of every error the compendium raises for bad input."""


class ParamsError(CivcompError, ValueError):
    """A parameter file is missing or malformed."""


class DataError(CivcompError):
    """A dataset cannot be provided (not configured, not generated, synthetic-only …)."""
