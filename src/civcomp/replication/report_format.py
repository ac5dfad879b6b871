"""How the report prints numbers: claims at the paper's printed precision, tables without raw dumps.

A claim's recomputed value is shown with as many decimals as the paper printed (the tolerance rule is half a
unit of that last digit, so ``2 * tolerance`` is the printed step), in the paper's style (``.840`` when the
paper drops the leading zero), percentages as percentages, ranges as ``low–high`` and a true/false check as
*holds* / *does not hold*, its verdict *agree* / *disagree* instead of a difference. Exported tables are
formatted per column: counts with thousands separators, shares and ``pct_`` columns as percentages with one
decimal, p-values as ``.014`` or ``< .001``, other numbers with the decimals the column needs (at most
three), ``True``/``False`` as yes/no, a missing or suppressed cell as a dash, and ``ci_low``/``ci_high``
joined into one ``95 % CI`` column.

Examples
--------
>>> recomputed_text({"kind": "value", "unit": "index", "published": ".840 index", "tolerance": 0.0005,
...                  "recomputed": 0.8401028})
'.840'
>>> recomputed_text({"kind": "value", "unit": "%", "published": "97%", "tolerance": 0.005, "recomputed": 0.97139})
'97 %'
>>> p_value(0.0), p_value(0.01356), p_value(0.5)
('< .001', '.014', '.500')
"""

from __future__ import annotations

import math
import re
from typing import Any

NA = "–"
_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------- numbers
def as_number(v: Any) -> float | None:
    """``v`` as a float when it is a number or numeric text (not a boolean); else ``None``."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    s = str(v).strip().replace(",", "")
    return float(s) if _NUM.match(s) else None


def decimals_of_step(step: float) -> int:
    """Decimals that print a step of ``step`` (1 → 0, 0.1 → 1, 0.001 → 3); at most 6.

    Examples
    --------
    >>> decimals_of_step(1.0), decimals_of_step(0.01), decimals_of_step(0.001)
    (0, 2, 3)
    """
    if not step or step <= 0 or math.isinf(step):
        return 0
    return max(0, min(6, math.ceil(-math.log10(step) - 1e-9)))


def fixed(x: float, decimals: int, leading_zero: bool = True, sign: bool = False) -> str:
    """``x`` with ``decimals`` decimals and thousands separators; ``.840`` when ``leading_zero`` is false.

    Examples
    --------
    >>> fixed(10629, 0), fixed(0.8401, 3, leading_zero=False), fixed(-0.0004, 4, sign=True)
    ('10,629', '.840', '-0.0004')
    """
    if round(x, decimals) == 0:
        x = 0.0  # no "-0.000"
    text = f"{x:{'+' if sign and x else ''},.{decimals}f}"
    if not leading_zero:
        text = re.sub(r"^([+-]?)0\.", r"\1.", text)
    return text


def p_value(p: float) -> str:
    """A p-value as a psychology table prints it: three decimals, no leading zero, ``< .001`` below."""
    return "< .001" if p < 0.001 else fixed(p, 3, leading_zero=False)


# --------------------------------------------------------------------------- claims
def _printed_decimals(e: dict) -> int:
    """Decimals the paper printed, from the tolerance (half a unit of the last printed digit)."""
    tol = e.get("tolerance")
    if not isinstance(tol, (int, float)) or tol <= 0:
        return 0
    step = 2 * tol * (100 if _as_percent(e) else 1)
    return decimals_of_step(step)


def _as_percent(e: dict) -> bool:
    """Percent claims compared as fractions (value and range kinds); arithmetic stays in printed units."""
    return e.get("unit") == "%" and e.get("kind") in ("value", "range")


def _style(e: dict) -> bool:
    """Whether the paper prints a leading zero (``.840`` does not)."""
    return not str(e.get("published", "")).lstrip().startswith(".")


def _one(e: dict, x: Any) -> str:
    n = as_number(x)
    if n is None:
        return NA if x is None else str(x)
    if _as_percent(e):
        return f"{fixed(100 * n, _printed_decimals(e))} %"
    return fixed(n, _printed_decimals(e), leading_zero=_style(e))


def recomputed_text(e: dict) -> str:
    """The recomputed value of an evaluated claim, at the paper's printed precision (``–`` when none).

    Examples
    --------
    >>> recomputed_text({"kind": "range", "unit": "points", "published": "7.59–7.87", "tolerance": 0.005,
    ...                  "recomputed": [7.590003, 7.869999]})
    '7.59–7.87'
    >>> recomputed_text({"kind": "comparison", "recomputed": False})
    'does not hold'
    """
    v = e.get("recomputed")
    if v is None:
        return NA
    if isinstance(v, bool):
        return "holds" if v else "does not hold"
    if isinstance(v, list):
        return "–".join(_one(e, x) for x in v)
    return _one(e, v)


def exact_text(e: dict) -> str:
    """The recomputed value in full (the cell's hover text): nothing is hidden by the rounding."""
    v = e.get("recomputed")
    if isinstance(v, list):
        return ", ".join(repr(x) for x in v)
    return "" if v is None else repr(v)


def verdict_text(e: dict) -> str:
    """The difference as the paper's units show it, or *agree* / *disagree* for a true/false check.

    Examples
    --------
    >>> verdict_text({"kind": "comparison", "expected": True, "recomputed": True})
    'agree'
    >>> verdict_text({"kind": "value", "unit": "%", "tolerance": 0.005, "difference": 0.0014, "published": "97%"})
    '+0.1 pts (±0.5)'
    >>> verdict_text({"kind": "count", "unit": "postings", "tolerance": 0.5, "difference": 0.0, "published": "408"})
    '0 (exact)'
    """
    got, exp = e.get("recomputed"), e.get("expected")
    if isinstance(got, bool) or isinstance(exp, bool):
        if got is None:
            return NA
        return "agree" if bool(got) == bool(exp if exp is not None else True) else "disagree"
    d, tol = as_number(e.get("difference")), e.get("tolerance")
    if d is None:
        return NA
    dec = _printed_decimals(e)
    if _as_percent(e):
        return f"{fixed(100 * d, dec + 1, sign=True)} pts (±{fixed(100 * tol, dec + 1)})"
    if isinstance(tol, (int, float)) and dec == 0 and tol == 0.5:
        return f"{fixed(d, 0, sign=True).lstrip('+')} (exact)" if d == 0 else f"{fixed(d, 1, sign=True)} (exact)"
    tol_text = f" (±{fixed(tol, dec + 1, leading_zero=_style(e))})" if isinstance(tol, (int, float)) else ""
    return f"{fixed(d, dec + 1, sign=True, leading_zero=_style(e))}{tol_text}"


def status_slug(status: str) -> str:
    """A status as a CSS class: ``not run (data absent)`` → ``not-run-data-absent``."""
    return re.sub(r"[^a-z0-9]+", "-", str(status).lower()).strip("-")


def calibration_label(e: dict) -> str:
    """``calibrated`` / ``free`` for a data or derived claim that carries the flag; ``""`` otherwise."""
    cal = e.get("calibrated")
    return "" if cal is None else ("calibrated" if cal else "free")


# --------------------------------------------------------------------------- tables
def _is_p_column(col: str) -> bool:
    c = col.lower()
    return c in ("p", "p_value", "pvalue", "p_adj") or c.endswith("_p") or (c.startswith("p_") and "method" not in c)


def _is_count_column(col: str) -> bool:
    c = col.lower()
    return c in ("n", "df", "count") or c.startswith("n_") or c.endswith("_n")


def _is_pct_column(col: str) -> bool:
    return col.lower().startswith("pct")


def _is_share_column(col: str) -> bool:
    return col.lower().startswith("share") or col.lower().endswith("_share")


def _column_decimals(values: list[float]) -> int:
    """The decimals a column needs (at most three): 7.87 → 2, 0.840103 → 3, 3079.0 → 0."""
    need = 0
    for x in values:
        for d in range(4):
            if abs(round(x, d) - x) < 1e-9 * max(1.0, abs(x)):
                break
        need = max(need, d)
    return need


def format_table(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A table's header and rows (text, as read from its CSV) formatted for reading; see the module.

    Examples
    --------
    >>> format_table(["measure", "result", "ci_low", "ci_high", "meets"],
    ...              [["KMO", "0.840103", "0.830701", "0.847467", "True"], ["Bartlett (p)", "0", "", "", "True"]])
    (['measure', 'result', '95 % CI', 'meets'], [['KMO', '0.840', '[0.831, 0.847]', 'yes'], ['Bartlett (p)', '< .001', '–', 'yes']])
    """
    nums = {c: [as_number(r[i]) for r in rows] for i, c in enumerate(columns)}
    shares = any(_is_share_column(c) for c in columns)
    label_col = 0  # a row whose label says "(p)" or is "p" holds a p-value in its numeric cells
    out_rows = []
    decimals = {c: _column_decimals([x for x in v if x is not None]) for c, v in nums.items()}
    for r_i, r in enumerate(rows):
        p_row = bool(re.search(r"(^p$|\(p\)|p-value|p value)", str(r[label_col]).strip(), flags=re.I))
        cells = []
        for i, c in enumerate(columns):
            raw, x = r[i], nums[c][r_i]
            if raw in ("True", "False"):
                cells.append("yes" if raw == "True" else "no")
            elif x is None:
                cells.append(NA if str(raw).strip() in ("", "nan", "NaN", "None") else str(raw))
            elif _is_p_column(c) or (p_row and i != label_col and not _is_count_column(c)):
                cells.append(p_value(x))
            elif _is_pct_column(c):
                cells.append(fixed(x, 1))
            elif _is_share_column(c) or (shares and c.lower() in ("ci_low", "ci_high")):
                cells.append(f"{fixed(100 * x, 1)} %")
            elif _is_count_column(c) and float(x).is_integer():
                cells.append(fixed(x, 0))
            else:
                cells.append(fixed(x, 0 if float(x).is_integer() and decimals[c] == 0 else decimals[c] or 0))
        out_rows.append(cells)
    return _join_ci(list(columns), out_rows)


def _join_ci(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """``ci_low`` and ``ci_high`` as one ``95 % CI`` column, ``[low, high]`` (a dash when absent)."""
    if "ci_low" not in columns or "ci_high" not in columns:
        return columns, rows
    lo, hi = columns.index("ci_low"), columns.index("ci_high")
    keep = [i for i in range(len(columns)) if i != hi]
    new_rows = []
    for r in rows:
        r = list(r)
        r[lo] = NA if NA in (r[lo], r[hi]) else f"[{r[lo]}, {r[hi]}]"
        new_rows.append([r[i] for i in keep])
    cols = [("95 % CI" if i == lo else columns[i]) for i in keep]
    return cols, new_rows


def _printed_style(printed: str) -> tuple[int, bool]:
    """Decimals and leading-zero style of a number as the paper prints it (``.840`` → 3, no leading zero)."""
    s = printed.strip().rstrip("%").strip()
    decimals = len(s.split(".", 1)[1]) if "." in s else 0
    return decimals, not s.startswith(".")


def side_by_side(
    columns: list[str], rows: list[list[str]], printed: dict[str, str]
) -> tuple[list[str], list[list[str]]] | None:
    """A table checked against the paper (columns ``required``, ``result``, ``key`` and optionally ``paper``,
    ``ci_low``, ``ci_high``, ``meets``) as *measure | required | paper | recomputed | 95 % CI | meets*, the
    recomputed value and its interval at the precision the paper printed (``printed``: result key → the
    ledger's printed text); ``None`` for any other table.

    Examples
    --------
    >>> cols = ["measure", "required", "result", "ci_low", "ci_high", "meets", "paper", "key"]
    >>> rows = [["KMO", "> 0.5", "0.840103", "0.830701", "0.847467", "True", "0.84", "kmo"],
    ...         ["Bartlett (p)", "< 0.05", "0", "", "", "True", "", "bartlett_p"]]
    >>> side_by_side(cols, rows, {"kmo": ".840"})[1]
    [['KMO', '> 0.5', '.840', '.840', '[.831, .847]', 'yes'], ['Bartlett (p)', '< 0.05', '–', '< .001', '–', 'yes']]
    """
    need = {"required", "result", "key"}
    if not need <= set(columns):
        return None
    at = {c: i for i, c in enumerate(columns)}
    label = columns[0]
    out = []
    for r in rows:
        key = r[at["key"]]
        paper = printed.get(key) or (r[at["paper"]] if "paper" in at else "")
        decimals, lead = _printed_style(paper) if paper else (3, True)
        p_row = bool(re.search(r"(^p$|\(p\)|p-value)", r[0].strip(), flags=re.I))

        def show(text: str, p_row: bool = p_row, decimals: int = decimals, lead: bool = lead) -> str:
            x = as_number(text)
            if x is None:
                return NA
            return p_value(x) if p_row else fixed(x, decimals, leading_zero=lead)

        lo, hi = (r[at["ci_low"]], r[at["ci_high"]]) if "ci_low" in at and "ci_high" in at else ("", "")
        ci = NA if as_number(lo) is None or as_number(hi) is None else f"[{show(lo)}, {show(hi)}]"
        meets = {"True": "yes", "False": "no"}.get(r[at["meets"]], NA) if "meets" in at else NA
        out.append([r[0], r[at["required"]], paper or NA, show(r[at["result"]]), ci, meets])
    return [label, "required", "paper", "recomputed", "95 % CI", "meets the requirement"], out
