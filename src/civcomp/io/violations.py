"""What a validation finds and how it is reported: the rules of the data contract (``RULES``), one
violation (:class:`Violation`), the bounded list of them (:class:`Violations`) and the report that counts
them per rule and column (:class:`Report`); raised as :class:`DataValidationError`.

Examples
--------
>>> v = Violation(file="a.csv", row=3, column="age", value="x", rule="type", message="not a number")
>>> v.rule in RULES
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp.errors import DataError
from civcomp.io.readers import RawTable

RULES = {
    "unreadable": "the file cannot be read",
    "encoding": "the bytes are neither UTF-8 nor Windows-1251",
    "empty_file": "the file has no data rows",
    "missing_column": "a codebook column is absent",
    "extra_column": "a column the codebook does not define",
    "duplicate_column": "a column name appears twice",
    "field_count": "a CSV record has a different number of fields than the header",
    "type": "the value is not of the column's type",
    "range": "the number is outside the allowed range",
    "category": "the value is not a code or label of the column's categories",
    "pattern": "the text does not match the required pattern",
    "required": "a required cell is empty (or holds a missing-value code)",
    "duplicate_id": "an id that must be unique appears again",
    "duplicate_key": "a primary-key combination appears again",
    "foreign_key": "a key not found in the referenced dataset",
    "mostly_invalid": "the first rows of a long file are mostly invalid: it was refused without reading it all",
}
PRINT_LIMIT = 200
MAPPING_HINT = (
    "the file's columns are not the codebook's: `civcomp validate {dataset} {file} --suggest` drafts "
    "params/real_mapping/{dataset}.yaml"
)
SUMMARY_LIMIT = 200  # lines of the per-column-and-value summary in text reports
SUMMARISED = ("type", "range", "category", "pattern", "required")  # cell rules, summarised per column and value
CAP_PER_RULE = 100  # violations kept per rule and column; the rest are only counted (bounded memory)


class Violations(list):
    """The violations kept (at most :data:`CAP_PER_RULE` per rule and column) plus ``totals``:
    how many of each rule were found, kept or not."""

    def __init__(self, items=(), totals: dict[str, int] | None = None, by_value: list[dict] | None = None):
        super().__init__(items)
        self.totals = dict(totals) if totals is not None else dict(Counter(v.rule for v in self))
        self.by_value = list(by_value or [])  # cell violations per column, rule and value (all rows counted)

    def summary_lines(self, limit: int | None = None, others: bool = True) -> list[str]:
        """One line per column and value, e.g. ``column salary: 1,313 rows have 99 (label «…») — not in 1–10; …``;
        then (``others``) one line per other kind of violation (columns, keys, the file), without the file name."""
        lines = []
        for e in self.by_value:
            label = f" (label «{e['label']}»)" if e.get("label") else ""
            value = f"{e['value']!r}" if e["value"] != "" else "an empty cell"
            tail = "; ".join(x for x in (e["allowed"], e["fix"]) if x)
            lines.append(
                f"column {e['column']}: {e['rows']:,} row{'s' if e['rows'] != 1 else ''} "
                f"{'have' if e['rows'] != 1 else 'has'} {value}{label}" + (f" — {tail}" if tail else f" — {e['rule']}")
            )
        covered = {(e["column"], e["rule"]) for e in self.by_value}
        for v in self if others else ():
            if (v.column, v.rule) not in covered:
                text = str(v)
                lines.append(text[len(v.file) + 2 :] if text.startswith(v.file + ", ") else text)
                covered |= {(v.column, v.rule)} if v.row is not None else set()
        return lines if limit is None else lines[:limit]

    @property
    def n_total(self) -> int:
        return int(sum(self.totals.values()))


ROW_CONVENTION = (
    "rows are 1-based data rows (the first record after the header is row 1; SPSS: case number); "
    "'line' is where the record starts in the file (header = line 1)"
)


class DataValidationError(DataError):
    """One or more data files violate their codebooks; ``str()`` is the full violation list."""

    def __init__(self, violations: list[Violation], header: str = "", limit: int = PRINT_LIMIT):
        self.violations = violations if isinstance(violations, Violations) else Violations(violations)
        totals = self.violations.totals
        shown = self.violations[:limit]
        body = "\n".join(str(v) for v in shown)
        rest = self.violations.n_total - len(shown)
        if rest > 0:
            body += f"\n... and {rest:,} more (run `civcomp validate` with --json for the kept list)"
        counts = ", ".join(f"{k} {n:,}" for k, n in sorted(totals.items()))
        super().__init__(
            f"{header or 'data validation failed'}: {self.violations.n_total:,} violation(s) "
            f"({counts}); {ROW_CONVENTION}\n{body}"
        )


@dataclass(frozen=True)
class Violation:
    """One problem of one file; ``row``/``line``/``column``/``value`` are ``None`` when they do not apply."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line})" if self.line is not None else ""))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            v = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where.append(f"value {v!r}")
        return ", ".join(where) + f" — {self.rule}: {self.message}"


@dataclass
class Report:
    """Outcome of validating one file: every violation, the typed frame (NA where invalid), notes."""

    dataset: str
    file: Path
    violations: list[Violation]
    frame: pd.DataFrame | None = None
    raw: RawTable | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def counts(self) -> dict[str, int]:
        """Violations found per rule (all of them, also those beyond the per-rule cap)."""
        totals = getattr(self.violations, "totals", None) or Counter(v.rule for v in self.violations)
        return dict(sorted((k, n) for k, n in totals.items() if n))

    @property
    def n_violations(self) -> int:
        return int(sum(self.counts().values()))

    def describe_file(self) -> str:
        if self.raw is None:
            return ""
        r = self.raw
        bits = [f"{len(r.frame):,} rows × {r.frame.shape[1]} columns", r.format.upper()]
        if r.format == "csv":
            bits.append(f"encoding {r.encoding}, separator {r.sep!r}, decimal {r.decimal!r}")
        return "; ".join(bits)

    def format(self, limit: int | None = PRINT_LIMIT) -> str:
        """Human-readable report; at most ``limit`` violations listed, then counts per rule."""
        if self.ok:
            lines = [f"{self.file}: valid against codebook {self.dataset} ({self.describe_file()})"]
        else:
            lines = [
                f"{self.file}: NOT valid against codebook {self.dataset} — {self.n_violations:,} "
                f"violation(s)" + (f" ({self.describe_file()})" if self.raw is not None else ""),
                f"({ROW_CONVENTION})",
            ]
            by = self.violations.summary_lines(others=False) if isinstance(self.violations, Violations) else []
            if by:  # per column and value first: what to fix; then the first rows
                lines.append("by column and value:")
                lines += [f"  {s}" for s in by[:SUMMARY_LIMIT]]
                if len(by) > SUMMARY_LIMIT:
                    lines.append(f"  ... and {len(by) - SUMMARY_LIMIT:,} more lines (--json: by_value)")
                lines.append("row by row:")
            shown = self.violations if limit is None else self.violations[:limit]
            lines += [f"  {v}" for v in shown]
            if len(shown) < self.n_violations:
                kept = len(self.violations)
                lines.append(
                    f"  ... and {self.n_violations - len(shown):,} more"
                    + (
                        f" (--json lists {kept:,}: at most {CAP_PER_RULE} per rule and column are kept)"
                        if kept < self.n_violations
                        else " (use --json for the full list)"
                    )
                )
            lines.append("violations by rule: " + ", ".join(f"{k} {n:,}" for k, n in self.counts().items()))
            if {"missing_column", "extra_column"} & set(self.counts()):
                lines.append(f"hint: {MAPPING_HINT.format(dataset=self.dataset, file=self.file)}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        r = self.raw
        return {
            "dataset": self.dataset,
            "file": str(self.file),
            "valid": self.ok,
            "n_rows": None if r is None else len(r.frame),
            "n_columns": None if r is None else r.frame.shape[1],
            "format": None if r is None else r.format,
            "encoding": None if r is None else r.encoding,
            "separator": None if r is None else r.sep,
            "decimal": None if r is None else r.decimal,
            "row_convention": ROW_CONVENTION,
            "counts": self.counts(),
            "n_violations": self.n_violations,
            "cap_per_rule_and_column": CAP_PER_RULE,
            "notes": self.notes,
            "by_value": list(getattr(self.violations, "by_value", [])),
            "violations": [asdict(v) for v in self.violations],
        }


# --------------------------------------------------------------------------------------------------------------
# cell parsing: done once per distinct value, then mapped (fast on 600k-row long files)
