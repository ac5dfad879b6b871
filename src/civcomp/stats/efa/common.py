"""Constants and exceptions shared by the EFA modules."""

from __future__ import annotations

from typing import Any

from civcomp.errors import CivcompError

METHODS = ("principal", "minres", "pa", "ml")
ROTATIONS = ("none", "varimax", "oblimin", "promax")
OBLIQUE = ("oblimin", "promax")
MISSING = ("listwise", "pairwise")
RULES = ("kaiser", "scree", "parallel")
LOWER_BOUND = 0.005  # psych's and factor_analyzer's lower bound on uniquenesses (minres, ml)


class EFAError(CivcompError, ValueError):
    """The data cannot be factor-analysed as asked; the message says why and where.

    ``column``, ``row`` (1-based data row) and ``value`` are set when one cell is to blame.
    """

    def __init__(self, message: str, column: str | None = None, row: int | None = None, value: Any = None):
        super().__init__(message)
        self.column, self.row, self.value = column, row, value


class HeywoodWarning(UserWarning):
    """A communality reached 1 (Heywood) or exceeded it (ultra-Heywood)."""
