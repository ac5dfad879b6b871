"""Row filters written as text: ``column op literal`` (``level == regional``, ``age >= 30``, ``region in [astana, almaty]``).

One safe parser for every place a user writes a row filter (``civcomp efa --where``, a real-data mapping's
``filter:``): a column name, one operator of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, and a literal
(a number, a word, a quoted text, or ``[a, b, …]`` after ``in``). Nothing is evaluated: anything else — two
conditions, a function call, an attribute — is refused with one line naming the text.

Examples
--------
>>> import pandas as pd
>>> w = parse("level == regional")
>>> w.column, w.op, w.value
('level', '==', 'regional')
>>> w.mask(pd.DataFrame({"level": ["central", "regional"]})).tolist()
[False, True]
>>> parse("age >= 30").mask(pd.DataFrame({"age": [29, 30, None]})).tolist()
[False, True, False]
>>> parse("__import__('os').system('x')")
Traceback (most recent call last):
...
civcomp.io.rowfilter.WhereError: row filter "__import__('os').system('x')": write it as `column op value` with op one of ==, !=, <, <=, >, >=, in (e.g. `level == regional`)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from civcomp.errors import CivcompError

OPS = ("==", "!=", "<", "<=", ">", ">=", "in")
_EXPR = re.compile(r"^\s*([^\W\d][\w$.]*)\s*(==|!=|<=|>=|<|>|\sin\s)\s*(.+?)\s*$")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_WORD = re.compile(r"[\w.+-]+")
_QUOTED = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")


class WhereError(CivcompError, ValueError):
    """A row filter that is not ``column op literal``."""


def _literal(text: str, where: str) -> str | float:
    text = text.strip()
    m = _QUOTED.fullmatch(text)
    if m:
        return m.group(1) if m.group(1) is not None else m.group(2)
    if _NUMBER.fullmatch(text):
        return float(text)
    if _WORD.fullmatch(text):
        return text
    raise WhereError(f"row filter {where!r}: {text!r} is not a number, a word or a quoted text")


@dataclass(frozen=True)
class Where:
    """One parsed condition; :meth:`mask` applies it to a frame."""

    column: str
    op: str
    value: Any  # str | float, or a tuple of them for ``in``
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"{self.column} {self.op} {self.value}"

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean mask of the rows that satisfy the condition (a missing value never does).

        Raises :class:`WhereError` when the column is absent or an order comparison meets text.
        """
        if self.column not in frame.columns:
            raise WhereError(
                f"row filter {str(self)!r}: no column {self.column!r} (columns: {', '.join(map(str, frame.columns))})"
            )
        col = frame[self.column]
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        as_num = pd.to_numeric(col.astype(object).where(col.notna(), None), errors="coerce")
        numeric_col = bool(len(col)) and as_num.notna().sum() == col.notna().sum()
        if self.op in ("<", "<=", ">", ">="):
            if not isinstance(self.value, float) or not numeric_col:
                raise WhereError(
                    f"row filter {str(self)!r}: {self.op} compares numbers; {self.column} or the value is not"
                )
            op = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[self.op]
            return pd.Series(op(as_num.to_numpy(dtype=float), self.value), index=frame.index) & as_num.notna()
        if all(isinstance(v, float) for v in values) and numeric_col:
            hit = as_num.isin(values) & as_num.notna()
        else:
            text = col.astype(object).where(col.notna(), None).map(lambda x: None if x is None else str(x))
            wanted = {(_num_text(v) if isinstance(v, float) else v) for v in values}
            hit = text.isin(wanted) & text.notna()
        return ~hit & col.notna() if self.op == "!=" else hit


def _num_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def parse(text: str) -> Where:
    """Parse ``column op literal``; raise :class:`WhereError` (one line) for anything else."""
    if not isinstance(text, str) or len(text) > 1000:
        raise WhereError(f"row filter {str(text)[:60]!r}: expected a short text `column op value`")
    m = _EXPR.match(text)
    if not m:
        raise WhereError(
            f"row filter {text!r}: write it as `column op value` with op one of {', '.join(OPS)} (e.g. `level == regional`)"
        )
    column, op, rest = m.group(1), m.group(2).strip(), m.group(3)
    if op == "in":
        if not (rest.startswith("[") and rest.endswith("]")):
            raise WhereError(f"row filter {text!r}: `in` takes a list, e.g. `region in [astana, almaty]`")
        items = [s for s in rest[1:-1].split(",") if s.strip()]
        if not items:
            raise WhereError(f"row filter {text!r}: the list after `in` is empty")
        return Where(column, op, tuple(_literal(s, text) for s in items), text.strip())
    return Where(column, op, _literal(rest, text), text.strip())
