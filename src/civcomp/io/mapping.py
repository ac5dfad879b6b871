"""A real file as the team exported it, mapped onto its codebook: ``params/real_mapping/<dataset>.yaml``.

The mapping is applied to the table as read (:class:`~civcomp.io.readers.RawTable`), in memory, before
validation; the file itself is never modified. Keys, applied in this order:

``filter``
    one row filter on the file's own columns and codes (:mod:`civcomp.io.rowfilter`), e.g. ``"filter_$ == 1"``;
``drop``
    source columns to ignore;
``rename``
    source column -> codebook field;
``reshape``
    wide -> long (the 360 items): ``{id: [respondent_id], pattern: '^q(?P<perspective>1[0-3])_(?P<competency>\\d+)$',
    value: score}`` turns every column matching ``pattern`` into one row per id, the named groups giving fields;
``missing``
    per field, codes that mean missing besides those the file declares (``{salary: [98, 99]}``);
``recode``
    per field, a source code or source value label -> codebook value (``{gender: {"Мужской": male}}``).

Each problem gets one line naming the mapping file, the key and the value (:class:`MappingError`, a
:class:`~civcomp.errors.ParamsError`): an unknown key or field, a recode target outside the codebook, a
``missing`` code that is also a valid value, two columns onto one field, a source column the file does not
have, a mapping for a dataset that does not exist.

Examples
--------
>>> from civcomp.io.readers import read_csv_bytes
>>> raw = read_csv_bytes("ID,q1,x\\nA,1,0\\nB,2,0\\n".encode(), "demo.csv")
>>> m = parse_mapping({"rename": {"ID": "id", "q1": "coder_a"}, "drop": ["x"], "recode": {"coder_a": {2: 0}}},
...                   "postings_gold", "demo.yaml")
>>> apply(raw, m).frame.to_dict("list")
{'id': ['A', 'B'], 'coder_a': ['1', '0']}
>>> parse_mapping({"recode": {"coder_a": {2: 7}}}, "postings_gold", "demo.yaml")
Traceback (most recent call last):
...
civcomp.io.mapping.MappingError: demo.yaml: recode.coder_a: 2 -> 7 is outside the codebook (between 0 and 1)

Size: one job, reading, checking and applying a mapping (each of its six keys checked against the codebook and
the file, with its one-line error).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.errors import ParamsError
from civcomp.io import rowfilter, yaml_safe
from civcomp.io.codebook import ALL_DATASETS, Codebook, Field, load_codebook, norm
from civcomp.io.readers import RawTable

# value labels that mean "no answer": proposed as missing codes, never as values
MISSING_WORDS = (
    "отказ от ответа",
    "затрудняюсь ответить",
    "не знаю",
    "нет ответа",
    "отказ",
    "затрудняюсь",
    "жауап беруден бас тарту",
    "білмеймін",
    "жауап жоқ",
    "жауап беру қиын",
    "refused",
    "refusal",
    "don't know",
    "dont know",
    "do not know",
    "no answer",
    "not answered",
    "difficult to answer",
    "prefer not to say",
    "missing",
)
KEYS = ("rename", "drop", "recode", "missing", "filter", "reshape")
RESHAPE_KEYS = ("id", "pattern", "value")
FOLDER = "real_mapping"


class MappingError(ParamsError):
    """A real-data mapping that cannot be applied (one line: file, key, value)."""


@dataclass(frozen=True)
class Reshape:
    id: tuple[str, ...]
    pattern: re.Pattern
    value: str


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping of one dataset (``file``: how it is named in messages)."""

    dataset: str
    file: str
    rename: dict[str, str] = dataclasses.field(default_factory=dict)
    drop: tuple[str, ...] = ()
    recode: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    missing: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    filter: rowfilter.Where | None = None
    reshape: Reshape | None = None
    sha256: str = ""


def folder(params_dir: Path | None = None) -> Path:
    return (params_dir or paths.PARAMS) / FOLDER


def mapping_path(dataset: str, params_dir: Path | None = None) -> Path:
    """``params/real_mapping/<dataset>.yaml`` (it may not exist)."""
    return folder(params_dir) / f"{dataset}.yaml"


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return f"{FOLDER}/{Path(path).name}"


def _text(v: Any) -> str:
    """A YAML key or value as the file's text (``1`` and ``1.0`` are both ``"1"``)."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def as_number(t: str) -> float | None:
    """The number a cell text writes (a decimal comma allowed), or None."""
    try:
        return float(t.replace(",", ".")) if t.strip() else None
    except ValueError:
        return None


def _same(a: str, b: str) -> bool:
    """Two cell texts name the same code: equal text, or equal numbers (``99`` and ``99.0``)."""
    if a == b:
        return True
    x, y = as_number(a), as_number(b)
    return x is not None and x == y


def _valid_value(f: Field, cb: Codebook, text: str) -> tuple[str | None, str]:
    """(the codebook value ``text`` names, or None; the rule it breaks)."""
    if f.type == "category":
        code = cb.code_of(f.name, text)
        return code, f"not a value of {f.name} (values: {', '.join(f.values)})"
    if f.type in ("integer", "number"):
        x = as_number(text)
        lo, hi = f.minimum, f.maximum
        rng = (
            f"between {lo:g} and {hi:g}"
            if lo is not None and hi is not None
            else f"at least {lo:g}"
            if lo is not None
            else f"at most {hi:g}"
            if hi is not None
            else "a number"
        )
        ok = (
            x is not None
            and (f.type == "number" or x.is_integer())
            and (lo is None or x >= lo)
            and (hi is None or x <= hi)
        )
        return (_text(x) if ok else None), f"outside the codebook ({rng})"
    return text, ""


def reads_as_missing(label: str) -> bool:
    """Whether a value label says "refused", "don't know" or "no answer" (in Russian, Kazakh or English).

    Examples
    --------
    >>> [reads_as_missing(t) for t in ("Затрудняюсь ответить", "Білмеймін", "Don’t know", "Женский")]
    [True, True, True, False]
    """
    t = norm(str(label).replace("’", "'").replace("ё", "е")).strip(" .!?-–—()[]")
    return any(t == w or t.startswith(w + " ") or t.startswith(w + ",") or t.endswith(" " + w) for w in MISSING_WORDS)


def _unknown(where: str, key: str, known: list[str], what: str) -> MappingError:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return MappingError(f"{where}: {key!r} is {what}" + (f" (did you mean {close[0]!r}?)" if close else ""))


def parse_mapping(data: Any, dataset: str, where: str, sha256: str = "") -> Mapping:
    """Check a mapping's content against codebook ``dataset``; raise :class:`MappingError` at the first problem."""
    if dataset not in ALL_DATASETS:
        raise MappingError(f"{where}: no dataset {dataset!r} (the file name must be one of {', '.join(ALL_DATASETS)})")
    cb = load_codebook(dataset)
    fields = cb.columns
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MappingError(f"{where}: expected a mapping with keys {', '.join(KEYS)}, got {type(data).__name__}")
    for k in data:
        if k not in KEYS:
            raise _unknown(where, str(k), list(KEYS), f"not a mapping key (keys: {', '.join(KEYS)})")

    def table(key: str) -> dict:
        v = data.get(key) or {}
        if not isinstance(v, dict):
            raise MappingError(f"{where}: {key}: expected a mapping, got {type(v).__name__}")
        return v

    def field_of(key: str, name: Any) -> Field:
        if str(name) not in fields:
            raise _unknown(where, str(name), fields, f"not a field of codebook {dataset} ({key})")
        return cb.field(str(name))

    rename: dict[str, str] = {}
    onto: dict[str, str] = {}
    for src, dst in table("rename").items():
        field_of(f"rename.{src}", dst)
        if str(dst) in onto:
            raise MappingError(f"{where}: rename.{src}: {dst!r} is already the target of {onto[str(dst)]!r}")
        onto[str(dst)] = _text(src)
        rename[_text(src)] = str(dst)
    drop = data.get("drop") or []
    if not isinstance(drop, list) or not all(isinstance(d, (str, int)) for d in drop):
        raise MappingError(f"{where}: drop: expected a list of column names, got {drop!r}")
    reshape = None
    if data.get("reshape") is not None:
        rs = table("reshape")
        for k in rs:
            if k not in RESHAPE_KEYS:
                raise _unknown(where, str(k), list(RESHAPE_KEYS), "not a reshape key")
        ids = rs.get("id") or []
        ids = [ids] if isinstance(ids, str) else ids
        for i in ids:
            field_of("reshape.id", i)
        if len(str(rs.get("pattern", ""))) > 300:  # matched against column names only; bounded all the same
            raise MappingError(f"{where}: reshape.pattern: longer than 300 characters")
        try:
            pattern = re.compile(str(rs.get("pattern", "")))
        except re.error as exc:
            raise MappingError(
                f"{where}: reshape.pattern: {rs.get('pattern')!r} is not a regular expression ({exc})"
            ) from None
        if not pattern.groupindex:
            raise MappingError(f"{where}: reshape.pattern: {pattern.pattern!r} names no group (?P<field>...)")
        for g in pattern.groupindex:
            field_of("reshape.pattern", g)
        field_of("reshape.value", rs.get("value"))
        reshape = Reshape(tuple(map(str, ids)), pattern, str(rs["value"]))
    recode: dict[str, dict[str, str]] = {}
    for name, table_ in table("recode").items():
        f = field_of("recode", name)
        if not isinstance(table_, dict):
            raise MappingError(f"{where}: recode.{name}: expected {{source code or label: value}}, got {table_!r}")
        out = {}
        for src, dst in table_.items():
            value, rule = _valid_value(f, cb, _text(dst))
            if value is None:
                quote = " (YAML reads an unquoted yes/no as true/false: quote it)" if isinstance(dst, bool) else ""
                raise MappingError(f"{where}: recode.{name}: {src!r} -> {dst!r} is {rule}{quote}")
            out[_text(src)] = value
        recode[str(name)] = out
    missing: dict[str, tuple[str, ...]] = {}
    for name, codes in table("missing").items():
        f = field_of("missing", name)
        codes = codes if isinstance(codes, list) else [codes]
        for c in codes:
            if isinstance(c, (dict, list)) or c is None:
                raise MappingError(f"{where}: missing.{name}: {c!r} is not a code")
            t = _text(c)
            if _valid_value(f, cb, t)[0] is not None and f.type != "string" and t not in recode.get(str(name), {}):
                raise MappingError(
                    f"{where}: missing.{name}: {c!r} is also a valid value of {name}; "
                    "a code cannot mean both a value and missing"
                )
        missing[str(name)] = tuple(_text(c) for c in codes)
    where_ = None
    if data.get("filter") is not None:
        try:
            where_ = rowfilter.parse(data["filter"])
        except rowfilter.WhereError as exc:
            raise MappingError(f"{where}: filter: {exc}") from None
    return Mapping(dataset, where, rename, tuple(map(_text, drop)), recode, missing, where_, reshape, sha256)


def load_mapping(dataset: str, params_dir: Path | None = None, path: Path | None = None) -> Mapping | None:
    """The mapping of ``dataset`` (``path``, else ``params/real_mapping/<dataset>.yaml``), or None when absent."""
    p = Path(path) if path is not None else mapping_path(dataset, params_dir)
    if not p.is_file():
        if path is not None:
            raise MappingError(f"{_shown(p)}: mapping file not found")
        return None
    where = _shown(p)
    data = yaml_safe.load(p, where)
    return parse_mapping(data, dataset, where, hashlib.sha256(p.read_bytes()).hexdigest())


def check_all(params_dir: Path | None = None) -> list[str]:
    """One line per problem of every file in ``params/real_mapping/`` (nothing runs while there is one)."""
    probs = []
    d = folder(params_dir)
    for p in sorted(d.glob("*")) if d.is_dir() else []:
        if p.name.startswith(".") or p.name.lower() == "readme.md":
            continue
        if p.suffix not in (".yaml", ".yml"):
            probs.append(f"{_shown(p)}: a mapping file is named <dataset>.yaml")
            continue
        try:
            load_mapping(p.stem, params_dir, path=p) if p.stem in ALL_DATASETS else parse_mapping({}, p.stem, _shown(p))
        except ParamsError as exc:
            probs.append(str(exc))
    return probs


# --------------------------------------------------------------------------------------------------------------
# applying a mapping to a table read from the file


def apply(raw: RawTable, m: Mapping | None) -> RawTable:
    """``raw`` with mapping ``m`` applied (a new table; ``raw`` is untouched). Raises :class:`MappingError`."""
    if m is None:
        return raw
    frame, labels, lines = raw.frame, dict(raw.value_labels), raw.lines
    cols = list(frame.columns)

    def need(key: str, col: str) -> None:
        if col not in cols:
            folded = {c.casefold(): c for c in reversed(cols)}
            close = difflib.get_close_matches(col.casefold(), list(folded), n=1, cutoff=0.6)
            hint = f" (did you mean {folded[close[0]]!r}?)" if close else ""
            raise MappingError(f"{m.file}: {key}: {col!r} is not a column of {raw.path.name}{hint}")

    if m.filter is not None:
        need("filter", m.filter.column)
        try:
            keep = m.filter.mask(frame.replace("", None))
        except rowfilter.WhereError as exc:
            raise MappingError(f"{m.file}: filter: {exc}") from None
        frame = frame.loc[keep.to_numpy(dtype=bool)]
        if frame.empty:
            raise MappingError(f"{m.file}: filter: no row of {raw.path.name} has {m.filter}")
        lines = None if lines is None else lines.loc[frame.index]
    for d in m.drop:
        need("drop", d)
    for src, dst in m.rename.items():
        need(f"rename.{src}", src)
        if dst in cols and dst not in m.rename and dst not in m.drop:
            raise MappingError(
                f"{m.file}: rename.{src}: {dst!r} would be two columns ({src!r} and the file's own {dst!r}); "
                f"drop one of them"
            )
    frame = frame.drop(columns=list(m.drop)).rename(columns=m.rename)
    labels = {m.rename.get(c, c): v for c, v in labels.items() if c not in m.drop}
    if m.reshape is not None:
        frame, labels, lines = _reshape(raw, frame, labels, m)
    frame = frame.copy()
    for name, codes in m.missing.items():
        if name in frame.columns:
            s = frame[name]
            hit = s.map(lambda t: any(_same(str(t).strip(), c) for c in codes))
            frame[name] = s.where(~hit, "")
    for name, table in m.recode.items():
        if name not in frame.columns:
            raise MappingError(f"{m.file}: recode.{name}: the mapped file has no column {name!r}")
        lab = labels.get(name) or {}
        by_code: dict[str, str] = {}
        for src, dst in table.items():
            hits = [c for c in lab if norm(lab[c]) == norm(src)]
            uniq = {norm(u) for u in frame[name].astype(str).str.strip()}
            if hits:
                by_code.update({c: dst for c in hits})
            elif as_number(src) is not None or norm(src) in uniq:
                by_code[src] = dst
            else:
                raise MappingError(
                    f"{m.file}: recode.{name}: {src!r} is neither a code nor a value label of that column in {raw.path.name}"
                )
        s = frame[name].astype(str).str.strip()
        uniq = pd.unique(s)
        conv = {u: next((v for k, v in by_code.items() if _same(u, k) or norm(u) == norm(k)), None) for u in uniq}
        frame[name] = s.map(lambda u: conv[u] if conv[u] is not None else u)
        labels[name] = {c: t for c, t in lab.items() if not any(_same(c, k) for k in by_code)}
    return dataclasses.replace(
        raw,
        frame=frame,
        value_labels=labels,
        lines=lines,
        duplicate_columns=[m.rename.get(c, c) for c in raw.duplicate_columns if c not in m.drop],
    )  # n_records stays the file's: "rows read" (the frame's length is what is used)


def _reshape(raw: RawTable, frame: pd.DataFrame, labels: dict, m: Mapping):
    rs = m.reshape
    wide = [c for c in frame.columns if rs.pattern.fullmatch(c)]
    if not wide:
        raise MappingError(f"{m.file}: reshape.pattern: {rs.pattern.pattern!r} matches no column of {raw.path.name}")
    for i in rs.id:
        if i not in frame.columns:
            raise MappingError(f"{m.file}: reshape.id: the mapped file has no column {i!r}")
    groups = list(rs.pattern.groupindex)
    parts = []
    for c in wide:
        g = rs.pattern.fullmatch(c).groupdict()
        part = frame[list(rs.id)].copy()
        for k in groups:
            part[k] = g[k]
        part[rs.value] = frame[c]
        parts.append(part)
    long = pd.concat(parts, ignore_index=False)
    # one respondent's rows together, in the file's column order
    long["_order"] = [i for i in range(len(wide)) for _ in range(len(frame))]
    long = long.reset_index(names="_row").sort_values(["_row", "_order"], kind="stable")
    long = long.drop(columns=["_row", "_order"])
    long.index = pd.RangeIndex(1, len(long) + 1, name="row")
    value_labels = {k: v for k, v in labels.items() if k in rs.id}
    first = next((labels[c] for c in wide if c in labels), None)
    if first:
        value_labels[rs.value] = first
    return long, value_labels, None
