"""The claims' safe expressions: a small whitelist interpreter, never :func:`eval`.

A claim's ``expr`` may use ``{<step>.<key>}`` for a recomputed result, ``{@claim_id}`` for another
claim's published value (a number, a list, or a text such as a date interval), numbers, ``+ - * /``,
comparisons (chains allowed), ``and or not``, ``min max abs round``, ``len`` (of a list) and ``days`` (the
length of an ISO date interval ``YYYY-MM-DD/YYYY-MM-DD``, in days). :func:`parse` checks the text against that whitelist; :func:`evaluate_expr`
fills in the values and evaluates it.

Examples
--------
>>> claims = {"p003_talent_pool_employed": {"value": 263}, "p003_talent_pool_selected": {"value": 350}}
>>> evaluate_expr("{@p003_talent_pool_employed} / {@p003_talent_pool_selected} * 100", {}, claims)[0]
75.14285714285714
>>> evaluate_expr("{03_x.kmo} > 0.6", {"03_x": {"kmo": 0.84}}, {})
(True, 0.24, '0.84 > 0.6')
>>> placeholders("{03_x.kmo} > {@p003_kmo}")
['03_x.kmo', '@p003_kmo']
>>> evaluate_expr("days({@w})", {}, {"w": {"value": "2023-04-19/2023-05-20"}})[0]
31
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import re
from typing import Any

from civcomp.errors import CivcompError
from civcomp.io.outputs import WITHHELD

PLACEHOLDER = re.compile(r"\{(@?[A-Za-z0-9_.]+)\}")


class ExpressionError(CivcompError, ValueError):
    """An expression is not valid or uses what the whitelist does not allow; the message says what."""


class NotComputable(CivcompError):
    """A result a claim needs is missing or null."""


def is_number(x: Any) -> bool:
    """A finite int or float (not a bool).

    Examples
    --------
    >>> is_number(3), is_number(0.5), is_number(True), is_number(float("nan")), is_number("3")
    (True, True, False, False, False)
    """
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def format_value(v: Any) -> str:
    """A value as the claims show it: ``10,942``, ``0.8403``, ``true``, ``—`` for none.

    Examples
    --------
    >>> format_value(10942), format_value(0.84030), format_value(True), format_value(None), format_value([7.5, 7.9])
    ('10,942', '0.8403', 'true', '—', '[7.5, 7.9]')
    """
    if isinstance(v, bool) or v is None:
        return str(v).lower() if isinstance(v, bool) else "—"
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) >= 1000 or v == 0 else f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(v, list):
        return "[" + ", ".join(format_value(x) for x in v) + "]"
    if isinstance(v, int):
        return f"{v:,}"  # 10,942 as the papers print it
    return str(v)


def placeholders(expr: str) -> list[str]:
    """The names inside ``{...}`` of an expression, in order (``<step>.<key>`` or ``@claim_id``)."""
    return PLACEHOLDER.findall(expr)


def _substitute(expr: str) -> tuple[str, dict[str, str]]:
    """Replace each ``{name}`` by a Python identifier; return the new text and identifier -> name."""
    names: dict[str, str] = {}

    def repl(m: re.Match) -> str:
        ident = f"_v{len(names)}"
        names[ident] = m.group(1)
        return ident

    return PLACEHOLDER.sub(repl, expr), names


def parse(expr: str) -> ast.Expression:
    """Parse an expression and check it against the whitelist; raise :class:`ExpressionError` if it fails.

    Examples
    --------
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    civcomp.replication.claims.expression.ExpressionError: may call only min, max, abs, round, len, days (positional arguments)
    """
    text, _ = _substitute(expr)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"is not a valid expression ({exc.msg})") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"uses {type(node).__name__}, which is not allowed")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords
        ):
            raise ExpressionError(f"may call only {', '.join(_FUNCS)} (positional arguments)")
        if isinstance(node, ast.Name) and not (node.id in _FUNCS or node.id.startswith("_v")):
            raise ExpressionError(f"unknown name {node.id!r}: wrap results in {{...}}")
    return tree


def days(interval: str) -> int:
    """Days from the start to the end of an ISO interval ``YYYY-MM-DD/YYYY-MM-DD``.

    Examples
    --------
    >>> days("2023-04-19/2023-05-20")
    31
    """
    try:
        start, end = (dt.date.fromisoformat(x) for x in str(interval).split("/"))
    except ValueError:
        raise ExpressionError(f"days() needs an interval YYYY-MM-DD/YYYY-MM-DD, got {interval!r}") from None
    return (end - start).days


_FUNCS = {"min": min, "max": max, "abs": abs, "round": round, "len": len, "days": days}
_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_CMPOPS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    *_BINOPS,
    *_CMPOPS,
)


def _eval(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _FUNCS[node.id] if node.id in _FUNCS else env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return (not v) if isinstance(node.op, ast.Not) else (-v if isinstance(node.op, ast.USub) else +v)
    if isinstance(node, ast.BoolOp):
        vals = [_eval(v, env) for v in node.values]
        return all(vals) if isinstance(node.op, ast.And) else any(vals)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        for op, comp in zip(node.ops, node.comparators):
            right = _eval(comp, env)
            if not _CMPOPS[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        return _eval(node.func, env)(*[_eval(a, env) for a in node.args])
    raise ExpressionError(f"cannot evaluate {type(node).__name__}")  # unreachable after parse


def lookup(name: str, results: dict[str, dict], claims_by_id: dict[str, dict]) -> Any:
    """The value of one placeholder: a recomputed result (``<step>.<key>``) or a published value (``@id``).

    Raises :class:`NotComputable` if the result file or key is missing, or the value is null. In real mode a
    null is what the notebooks write for a value their disclosure rules withhold (a share or quantile that
    would give a count below ``min_cell_size`` back), and the reason says so.

    Examples
    --------
    >>> lookup("03_x.kmo", {"03_x": {"kmo": 0.84}}, {}), lookup("@p003_kmo", {}, {"p003_kmo": {"value": 0.84}})
    (0.84, 0.84)
    >>> lookup("03_x.kmo", {"03_x": {"kmo": None}}, {})
    Traceback (most recent call last):
    ...
    civcomp.replication.claims.expression.NotComputable: 03_x.kmo is null (not available for this data source)
    >>> lookup("03_x.median_age", {"03_x": {"median_age": None, "data_source": "real"}}, {})
    Traceback (most recent call last):
    ...
    civcomp.replication.claims.expression.NotComputable: 03_x.median_age: withheld (disclosure control)
    """
    if name.startswith("@"):
        return claims_by_id[name[1:]]["value"]
    step, key = name.split(".", 1)
    if step not in results:
        raise NotComputable(f"outputs/results/{step}.json not found")
    if key not in results[step]:
        raise NotComputable(f"{step}.{key} not in outputs/results/{step}.json")
    v = results[step][key]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        if results[step].get("data_source") == "real":
            raise NotComputable(f"{step}.{key}: {WITHHELD}")
        raise NotComputable(f"{step}.{key} is null (not available for this data source)")
    return v


def evaluate_expr(expr: str, results: dict[str, dict], claims_by_id: dict[str, dict]) -> tuple[Any, float | None, str]:
    """Evaluate an expression; return (value, margin, rendered).

    ``margin`` is ``left - right`` for a single numeric comparison (how far the
    relation holds), else ``None``; ``rendered`` shows the expression with the
    numbers filled in. Raises :class:`NotComputable` if a result is missing.

    Examples
    --------
    >>> evaluate_expr("{@a} + {@b}", {}, {"a": {"value": 1}, "b": {"value": 2}})
    (3, None, '1 + 2')
    """
    text, idents = _substitute(expr)
    env = {ident: lookup(name, results, claims_by_id) for ident, name in idents.items()}
    tree = parse(expr)
    value = _eval(tree, env)
    margin = None
    body = tree.body
    if isinstance(body, ast.Compare) and len(body.ops) == 1:
        left, right = _eval(body.left, env), _eval(body.comparators[0], env)
        if is_number(left) and is_number(right):
            margin = float(left) - float(right)
    rendered = PLACEHOLDER.sub(lambda m: format_value(lookup(m.group(1), results, claims_by_id)), expr)
    return value, margin, rendered
