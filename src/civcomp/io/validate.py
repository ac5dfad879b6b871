"""Validate a data file against its codebook and report EVERY violation at once.

A violation names the file, the row, the column, the offending value (as written in the file) and the rule.
Rows are 1-based data rows: the first record after the header is row 1 (in SPSS, the case number); ``line`` is
where the record starts in the file (CSV text line, or Excel sheet row; the header is line 1).

Rules: ``unreadable``, ``encoding``, ``empty_file`` (the file as a whole); ``missing_column``, ``extra_column``,
``duplicate_column``, ``field_count`` (structure); ``mostly_invalid`` (a long CSV whose first rows are mostly
bad is refused without reading the rest); ``type``, ``range``, ``category``, ``pattern``, ``required``
(cells); ``duplicate_id``, ``duplicate_key``, ``foreign_key`` (across rows and files). Missing-value codes of the
codebook (e.g. 99, -9) and empty cells become NA and are not violations (unless the column is required).

Command line: ``civcomp validate DATASET FILE [--capacity FILE] [--postings FILE] [--json]`` exits 0 when the
file is valid and 1 with the list when it is not; it never shows a Python traceback for a user's bad file.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "gold.csv"
>>> _ = p.write_text("id,coder_a,coder_b\\nP1,1,0\\nP1,2,\\n", encoding="utf-8")
>>> for v in validate_file("postings_gold", p, refs={}).violations:
...     print(v.row, v.column, v.value, v.rule)
2 id P1 duplicate_id
2 coder_a 2 range
2 coder_b  required

Size: one job, checking a file against every rule of its codebook (how violations are reported is
:mod:`civcomp.io.violations`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.errors import DataError
from civcomp.io import mapping as mapping_mod
from civcomp.io import sources
from civcomp.io.codebook import Codebook, Field, load_codebook, norm
from civcomp.io.readers import RawTable, ReadError, read_csv_bytes, read_table
from civcomp.io.violations import CAP_PER_RULE, SUMMARISED, Report, Violation, Violations

_NUM = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def parse_number(text: str, decimal: str = ".") -> float | None:
    """Number written in ``text`` or ``None``; with ``decimal=","`` a single comma is the decimal mark.

    Examples
    --------
    >>> parse_number("7,5", ","), parse_number("7,5", "."), parse_number(" 10 "), parse_number("1e3")
    (7.5, None, 10.0, 1000.0)
    """
    t = text.strip()
    if decimal == "," and t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    if not _NUM.fullmatch(t):
        return None
    return float(t)


def parse_date(text: str) -> pd.Timestamp | None:
    """Date written as YYYY-MM-DD or DD.MM.YYYY (a midnight time part is allowed), else ``None``."""
    t = text.strip()
    for fmt in _DATE_FORMATS if t else ():
        try:
            d = pd.to_datetime(t, format=fmt)
        except (ValueError, TypeError, OverflowError):
            continue
        if not pd.isna(d):
            return pd.Timestamp(d).normalize()
    return None


def _values_hint(f: Field) -> str:
    vals = list(f.values)
    shown = ", ".join(vals[:8]) + (f", … ({len(vals)} codes)" if len(vals) > 8 else "")
    return f"not a code or label of {f.name} (codes: {shown})"


def _range_text(f: Field) -> str:
    lo, hi = f.minimum, f.maximum
    miss = f"; missing codes {', '.join(str(m) for m in f.missing_codes)}" if f.missing_codes else ""
    if lo is not None and hi is not None:
        return f"between {lo:g} and {hi:g}{miss}"
    if lo is None and hi is None:
        return "a number" + miss
    return (f"at least {lo:g}" if lo is not None else f"at most {hi:g}") + miss


class _Collector:
    """Collects violations, keeping at most ``cap`` per (rule, column) and counting all of them."""

    def __init__(self, raw: RawTable, cap: int = CAP_PER_RULE):
        self.raw, self.file, self.out, self.cap = raw, str(raw.path), [], cap
        self.totals: Counter = Counter()
        self.kept: Counter = Counter()
        self.by_value: Counter = Counter()  # (column, rule, value) -> rows, all of them

    def tally(self, rows, column, rule) -> None:
        if len(rows) and column in self.raw.frame.columns and rule in SUMMARISED:
            for value, n in self.raw.frame.loc[rows, column].astype(str).str.strip().value_counts(sort=False).items():
                self.by_value[(column, rule, value)] += int(n)

    def _room(self, rule: str, column, n: int) -> int:
        if n:
            self.totals[rule] += n
        room = max(0, min(n, self.cap - self.kept[(rule, column)]))
        self.kept[(rule, column)] += room
        return room

    def violations(self) -> Violations:
        return Violations(self.out, totals=self.totals)

    def add(self, rows, column, rule, message, values=None):
        frame = self.raw.frame
        if values is None:
            self.tally(rows, column, rule)
        room = self._room(rule, column, len(rows))
        for r in rows[:room]:
            value = (
                frame.at[r, column]
                if values is None and column in frame.columns
                else (None if values is None else values[r])
            )
            self.out.append(
                Violation(
                    self.file,
                    int(r),
                    column,
                    None if value is None else str(value),
                    rule,
                    message if isinstance(message, str) else message(r),
                    self.raw.line_of(r),
                )
            )

    def whole(self, column, rule, message, value=None):
        if not self._room(rule, column, 1):
            return
        self.out.append(Violation(self.file, None, column, value, rule, message))


def _check_field(f: Field, raw: RawTable, cb: Codebook, col: _Collector) -> pd.Series:
    # Work on the distinct values only, then map back through the factorize codes: long files repeat a lot.
    idx = raw.frame.index
    codes, uniq = pd.factorize(raw.frame[f.name].to_numpy(dtype=object), use_na_sentinel=False)
    u = np.array([str(x).strip() for x in uniq], dtype=object)
    u_na = np.isin(u, list(cb.missing_values)) | (u == "")

    def rows(u_mask: np.ndarray) -> pd.Index:
        return idx[u_mask[codes]] if len(u_mask) else idx[:0]

    def series(u_values: np.ndarray, dtype: Any) -> pd.Series:
        return pd.Series(u_values[codes] if len(u_values) else np.array([], dtype=object), index=idx, dtype=dtype)

    if f.type in ("integer", "number"):
        num = np.array([np.nan if (v := parse_number(t, raw.decimal)) is None else v for t in u], dtype=float)
        bad = ~u_na & np.isnan(num)
        col.add(
            rows(bad),
            f.name,
            "type",
            f"expected a {'whole ' if f.type == 'integer' else ''}number"
            + (" (decimal comma?)" if raw.decimal == "." and f.type == "number" else ""),
        )
        ok = ~u_na & ~bad
        if f.type == "integer":
            frac = ok & (np.nan_to_num(num) % 1 != 0)
            col.add(rows(frac), f.name, "type", "expected a whole number")
            ok &= ~frac
        missing = ok & np.isin(num, [float(m) for m in f.missing_codes])
        u_na, ok = u_na | missing, ok & ~missing
        out_of = ok & (
            ((num < f.minimum) if f.minimum is not None else False)
            | ((num > f.maximum) if f.maximum is not None else False)
        )
        if out_of.any():
            col.add(rows(out_of), f.name, "range", f"must be {_range_text(f)}")
        ok &= ~out_of
        typed = series(np.where(ok, num, np.nan), float)
        typed = typed.round().astype("Int64") if f.type == "integer" else typed.astype("Float64")
    elif f.type == "category":
        lookup = cb.lookup(f.name)
        code = np.array([lookup.get(norm(t)) for t in u], dtype=object)
        labels = raw.value_labels.get(f.name) or {}
        if labels:  # SPSS value labels name the category: prefer them over the stored value
            by_label = np.array([lookup.get(norm(labels[t])) if t in labels else None for t in u], dtype=object)
            code = np.where(pd.notna(by_label), by_label, code)
        missing = ~u_na & np.isin(u, [str(m) for m in f.missing_codes])
        u_na = u_na | missing
        bad = ~u_na & pd.isna(code)
        hint = _values_hint(f)
        u_msg = np.array([hint + (f" (value label {labels[t]!r})" if t in labels else "") for t in u], dtype=object)
        col.add(rows(bad), f.name, "category", lambda r: u_msg[codes[idx.get_loc(r)]])
        typed = pd.Series(
            pd.Categorical(
                series(np.where(u_na | bad, None, code), object), categories=list(f.values), ordered=f.ordered
            ),
            index=idx,
        )
    elif f.type == "date":
        d = np.array([parse_date(t) for t in u], dtype=object)
        bad = ~u_na & pd.isna(d)
        col.add(rows(bad), f.name, "type", "expected a date written YYYY-MM-DD or DD.MM.YYYY")
        typed = pd.to_datetime(series(np.where(u_na | bad, None, d), object)).astype("datetime64[ns]")
    else:  # string
        if f.pattern:
            rx = re.compile(f.pattern)
            bad = ~u_na & np.array([not rx.search(t) for t in u], dtype=bool)
            col.add(rows(bad), f.name, "pattern", f"does not match the pattern {f.pattern}")
        typed = series(np.where(u_na, None, u), object).astype("string")
    if f.required:
        col.add(
            rows(u_na),
            f.name,
            "required",
            "required value is empty" if not f.missing_codes else "required value is empty or a missing-value code",
        )
    return typed


def check(
    raw: RawTable, cb: Codebook, refs: dict[str, set[str]] | None = None, ref_names: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[Violation]]:
    """Type every column of ``raw`` and collect every violation of codebook ``cb``.

    Parameters
    ----------
    raw : RawTable
        The file read as strings (:func:`civcomp.io.readers.read_table`).
    cb : Codebook
        The contract.
    refs : dict, optional
        ``{"capacity_survey.respondent_id": {ids…}}`` for the foreign keys; a key that is absent is not checked.
    ref_names : dict, optional
        Same keys, the file each id set came from (quoted in the messages).

    Returns
    -------
    frame : DataFrame
        Codebook columns in codebook order (those present), typed: category (codebook order), Int64, Float64,
        datetime64, string; NA where the value was missing or invalid. Default RangeIndex.
    violations : Violations (a list of Violation)
        File-level problems first (columns), then by row, and within a row in codebook column order; at most
        :data:`CAP_PER_RULE` per rule and column are kept, ``violations.totals`` counts all of them per rule.

    Examples
    --------
    >>> from civcomp.io.readers import read_csv_bytes
    >>> raw = read_csv_bytes(b"id;coder_a;coder_b\\nP1;1;0,0\\nP2;1;99\\n", "gold.csv")
    >>> frame, violations = check(raw, load_codebook("postings_gold"))
    >>> frame["coder_b"].tolist(), [(v.row, v.column, v.value, v.rule) for v in violations]
    ([0, <NA>], [(2, 'coder_b', '99', 'range')])
    """
    col = _Collector(raw)
    present = set(raw.frame.columns)
    folded = {c.casefold(): c for c in cb.columns}
    for name in cb.columns:
        if name not in present:
            hint = next((f"; the file has {c!r}" for c in raw.frame.columns if c.casefold() == name.casefold()), "")
            col.whole(name, "missing_column", f"column required by codebook {cb.name} is absent{hint}")
    for name in raw.frame.columns:
        if name not in cb.columns:
            hint = f"; did you mean {folded[name.casefold()]!r}?" if name.casefold() in folded else ""
            col.whole(name, "extra_column", f"codebook {cb.name} has no such column{hint}")
    for name in raw.duplicate_columns:
        col.whole(name, "duplicate_column", "the column name appears more than once; only the first is read")
    n_ragged = getattr(raw, "n_ragged", len(raw.ragged))
    room = col._room("field_count", None, n_ragged)
    for row, line, n, n_header in raw.ragged[:room]:
        col.out.append(
            Violation(
                str(raw.path),
                row,
                None,
                None,
                "field_count",
                f"the record has {n} fields, the header has {n_header} (unquoted separator or line break in a value?)",
                line,
            )
        )
    typed = {f.name: _check_field(f, raw, cb, col) for f in cb.fields if f.name in present}

    unique_cols = [f.name for f in cb.fields if f.unique]
    if len(cb.primary_key) == 1 and cb.primary_key[0] not in unique_cols:
        unique_cols.append(cb.primary_key[0])
    for name in unique_cols:
        if name not in typed:
            continue
        v = typed[name].astype(object)
        dup = v.notna() & v.duplicated(keep="first")
        if dup.any():
            first = v[v.notna() & ~v.duplicated(keep="first")]
            first_row = pd.Series(first.index, index=first.values)
            col.add(v.index[dup], name, "duplicate_id", lambda r: f"id already used in row {first_row[v[r]]}")
    if len(cb.primary_key) > 1 and all(k in typed for k in cb.primary_key):
        keys = pd.DataFrame({k: typed[k].astype(object) for k in cb.primary_key})
        complete = keys.notna().all(axis=1)
        k = keys[complete]
        dup = k.duplicated(keep="first")
        if dup.any():
            joined = k.astype(str).agg("|".join, axis=1)
            first_row = pd.Series(joined[~dup].index, index=joined[~dup].values)
            cname = "+".join(cb.primary_key)
            col.add(
                joined.index[dup.values],
                cname,
                "duplicate_key",
                lambda r: f"key ({', '.join(cb.primary_key)}) already used in row {first_row[joined[r]]}",
                values=joined,
            )
    for fk in cb.foreign_keys:
        key = f"{fk.dataset}.{fk.ref_field}"
        if refs is None or key not in refs or fk.fields not in typed:
            continue
        v = typed[fk.fields].astype(object)
        orphan = v.notna() & ~v.isin(refs[key])
        src = (ref_names or {}).get(key, fk.dataset)
        col.add(v.index[orphan], fk.fields, "foreign_key", f"not found in {key} ({src})")
    frame = pd.DataFrame(typed, index=raw.frame.index).reset_index(drop=True)
    order = {c: i for i, c in enumerate(cb.columns)}
    violations = Violations(
        sorted(col.out, key=lambda v: (v.row is not None, v.row or 0, order.get(v.column or "", -1))),
        totals=col.totals,
        by_value=summarise(col.by_value, cb, raw),
    )
    return frame, violations


def summarise(by_value: Counter, cb: Codebook, raw: RawTable) -> list[dict]:
    """One entry per column, rule and value: how many rows, the value's label, what the codebook allows, a fix."""
    out = []
    for (column, rule, value), n in sorted(by_value.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][2])):
        f = cb.field(column) if column in cb.columns else None
        label = (raw.value_labels.get(column) or {}).get(value)
        if f is None:
            allowed = ""
        elif f.type == "category":
            allowed = f"not a value of {column} ({', '.join(f.values[:8])}{', …' if len(f.values) > 8 else ''})"
        elif f.minimum is not None and f.maximum is not None:
            allowed = f"not in {f.minimum:g}–{f.maximum:g}"
        else:
            allowed = f"not allowed ({rule})"
        if label is not None and mapping_mod.reads_as_missing(label) or rule == "range" and label is None:
            fix = "declare it in `missing:`" + ("" if label is not None else " if it means no answer")
        elif f is not None and f.type == "category":
            fix = "map it in `recode:`"
        else:
            fix = ""
        out.append(
            {"column": column, "rule": rule, "value": value, "rows": n, "label": label, "allowed": allowed, "fix": fix}
        )
    return out


# --------------------------------------------------------------------------------------------------------------
# files


def _default_ref_path(dataset: str, file: Path) -> Path | None:
    """Reference file for a foreign key when none is given: the synthetic twin for a synthetic file, else the
    configured real file (``params/global.yaml`` ``real_data``)."""
    try:
        if paths.SYNTHETIC in Path(file).resolve().parents:
            return sources.synthetic_path(dataset)
        return sources.real_path(dataset)
    except DataError:
        return None


def reference_ids(dataset: str, ref_field: str, path: Path, mapping: mapping_mod.Mapping | None = None) -> set[str]:
    """Distinct stripped values of ``ref_field`` in the file ``path``, read through ``mapping`` (raises ReadError /
    KeyError / MappingError).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cap.csv"
    >>> _ = p.write_text("respondent_id,age\\n R1 ,30\\nR2,41\\n", encoding="utf-8")
    >>> sorted(reference_ids("capacity_survey", "respondent_id", p))
    ['R1', 'R2']
    """
    raw = mapping_mod.apply(read_table(path), mapping)
    if ref_field not in raw.frame.columns:
        raise KeyError(f"it has no column {ref_field!r}")
    s = raw.frame[ref_field].str.strip()
    return set(s[s != ""])


def reference_mapping(dataset: str, path: Path) -> mapping_mod.Mapping | None:
    """The project's mapping of ``dataset`` for a reference file: none for the synthetic twin."""
    if paths.SYNTHETIC.resolve() in Path(path).resolve().parents:
        return None
    return mapping_mod.load_mapping(dataset)


def validate_raw(
    name: str, raw: RawTable, refs: dict[str, Path | None] | None = None, implicit_refs: bool = True
) -> Report:
    """Validate an already read table; ``refs`` maps referenced datasets (e.g. ``capacity_survey``) to files,
    each read through the project's mapping of that dataset (``params/real_mapping/``) unless it is the twin.

    Examples
    --------
    >>> from civcomp.io.readers import read_csv_bytes
    >>> raw = read_csv_bytes(b"respondent_id,perspective,competency,score\\nR1,self,leadership,7\\n")
    >>> validate_raw("appraisal_360", raw, implicit_refs=False).notes[0][:35]
    'foreign key respondent_id → capacit'
    """
    cb = load_codebook(name)
    refs = dict(refs or {})
    id_sets, ref_names, notes, extra = {}, {}, [], []
    for fk in cb.foreign_keys:
        key = f"{fk.dataset}.{fk.ref_field}"
        explicit = fk.dataset in refs
        path = (
            refs.get(fk.dataset) if explicit else (_default_ref_path(fk.dataset, raw.path) if implicit_refs else None)
        )
        if path is None or (not explicit and not Path(path).exists()):
            notes.append(
                f"foreign key {fk.fields} → {key} not checked: no {fk.dataset} file "
                f"(pass --{fk.dataset.split('_')[0]} FILE)"
            )
            continue
        try:
            id_sets[key] = reference_ids(
                fk.dataset, fk.ref_field, Path(path), reference_mapping(fk.dataset, Path(path))
            )
            ref_names[key] = str(path)
        except (ReadError, KeyError, OSError, mapping_mod.MappingError) as exc:
            msg = exc.message if isinstance(exc, ReadError) else str(exc).strip("'\"")
            extra.append(
                Violation(
                    str(raw.path),
                    None,
                    fk.fields,
                    None,
                    "foreign_key",
                    f"cannot check {key}: reference file {path}: {msg}",
                )
            )
    frame, violations = check(raw, cb, id_sets, ref_names)
    totals = Counter(violations.totals) + Counter(v.rule for v in extra)
    kept = Violations([*violations, *extra], totals=dict(totals), by_value=violations.by_value)
    return Report(name, raw.path, kept, frame, raw, notes)


def validate_file(
    name: str,
    path: str | Path,
    refs: dict[str, Path | None] | None = None,
    implicit_refs: bool = True,
    mapping: mapping_mod.Mapping | None = None,
) -> Report:
    """Read ``path``, apply ``mapping`` and validate it against codebook ``name``; never raises for a bad file
    (a mapping that does not fit the file raises :class:`~civcomp.io.mapping.MappingError`).

    Parameters
    ----------
    name : str
        Dataset (codebook) name, e.g. ``"appraisal_360"``.
    path : path-like
        CSV, XLSX, SAV or Parquet file.
    refs : dict, optional
        Files of referenced datasets for the foreign keys, e.g. ``{"capacity_survey": Path(...)}``. A dataset
        not given falls back to the synthetic twin (for a file in ``data/synthetic/``) or the configured real
        file, when it exists (``implicit_refs=True``); otherwise the key is not checked and a note says so.
    mapping : Mapping, optional
        How the file's columns and codes map onto the codebook (:mod:`civcomp.io.mapping`); the file is not changed.

    Returns
    -------
    Report
        ``.violations`` (all of them), ``.frame`` (typed), ``.ok``, ``.format()``, ``.to_dict()``.

    Examples
    --------
    >>> validate_file("capacity_survey", "missing.csv").violations[0].rule
    'unreadable'
    """
    path = Path(path)
    refused = _refuse_if_mostly_invalid(name, path, mapping)
    if refused is not None:
        return refused
    try:
        raw = read_table(path)
    except ReadError as exc:
        return Report(name, path, [Violation(str(path), None, None, None, exc.rule, exc.message, exc.line)])
    return validate_raw(name, mapping_mod.apply(raw, mapping), refs, implicit_refs)


SAMPLE_ROWS = 20_000  # a CSV longer than this is first validated on its first SAMPLE_ROWS rows
SAMPLE_BAD_RATE = 0.5  # … and refused unread when it has at least this many cell violations per row there


def _refuse_if_mostly_invalid(name: str, path: Path, mapping: mapping_mod.Mapping | None = None) -> Report | None:
    """Validate the first :data:`SAMPLE_ROWS` rows of a long CSV; a Report refusing the file if they are mostly bad.

    Reading and typing a file costs memory in proportion to its size; a file whose first rows
    are garbage (a wrong file, a wrong export) is refused after reading only those rows, so a
    million bad rows are turned away in seconds with bounded memory. Foreign keys are not
    checked on the sample. Returns None (validate the whole file) when the file is short, not a
    CSV, or its first rows are mostly fine.
    """
    from_suffix = path.suffix.lower()
    if from_suffix not in (".csv", ".tsv", ".txt") or not path.is_file():
        return None
    limit = SAMPLE_ROWS + 1
    with open(path, "rb") as fh:
        head = b"".join(itertools.islice(fh, limit))
        rest = fh.read(1)
    if not rest:
        return None  # the whole file fits in the sample: validate it normally
    head = head[: head.rfind(b"\n") + 1] if b"\n" in head else head
    try:
        raw = mapping_mod.apply(read_csv_bytes(head, path), mapping)
    except ReadError:
        return None
    cb = load_codebook(name)
    _, violations = check(raw, cb)
    n_rows = max(len(raw.frame), 1)
    row_level = sum(
        n for rule, n in violations.totals.items() if rule not in ("missing_column", "extra_column", "duplicate_column")
    )
    structural = any(r in violations.totals for r in ("missing_column",))
    if row_level / n_rows < SAMPLE_BAD_RATE and not structural:
        return None
    why = (
        f"validation stopped after the first {n_rows:,} rows: they hold {row_level:,} violation(s) "
        f"({row_level / n_rows:.1f} per row){'; codebook columns are missing' if structural else ''}. "
        "The rest of the file was not read; fix these and validate again"
    )
    note = Violation(str(path), None, None, None, "mostly_invalid", why)
    totals = dict(violations.totals)
    totals["mostly_invalid"] = 1
    return Report(name, path, Violations([note, *violations], totals=totals), None, raw, [why])
