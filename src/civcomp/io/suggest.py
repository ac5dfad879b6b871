"""A draft mapping (:mod:`civcomp.io.mapping`) for a file as the team exported it: ``civcomp validate --suggest``.

Columns are matched to codebook fields by their name and by their SPSS variable label, against each field's
name and its English and Russian labels; codes are matched to codebook values by their value label, the same
way. Three tiers, each marked in a comment on its line: **exact** (the same text), **normalised** (equal after
case, punctuation, «ё/е» and spacing are folded) and **close** (a close spelling, :func:`difflib.SequenceMatcher`
ratio at least :data:`CLOSE`, with no rival within :data:`MARGIN`). A code whose label reads as a refusal or
"don't know" is proposed under ``missing:``. Anything else — no match, two candidates, a field claimed twice —
is a ``# TODO`` line listing the candidates: nothing is guessed silently.

Examples
--------
>>> normalised("Уровень  ГОСУДАРСТВЕННОГО органа.") == normalised("уровень государственного органа")
True
>>> normalised("Ещё") == normalised("еще")
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from civcomp.io.codebook import Codebook, Field, load_codebook
from civcomp.io.mapping import as_number, reads_as_missing
from civcomp.io.readers import RawTable

CLOSE = 0.85  # a close spelling: SequenceMatcher ratio of the normalised texts
MARGIN = 0.05  # … and no other candidate this close to it
MAX_DISTINCT = 60  # text columns with more distinct values are not treated as coded


def normalised(text: str) -> str:
    """Case, «ё»→«е», punctuation and spacing folded (``_`` counts as a space)."""
    t = unicodedata.normalize("NFKC", str(text)).casefold().replace("ё", "е").replace("_", " ")
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.split())


@dataclass(frozen=True)
class Match:
    target: str
    tier: str  # exact | normalised | close
    why: str  # what matched what


def _spellings_of_field(f: Field) -> list[tuple[str, str]]:
    return [("name", f.name)] + [(f"{lang} label", t) for lang, t in f.label.items()]


def _spellings_of_value(f: Field, code: str) -> list[tuple[str, str]]:
    return [("code", code)] + [(f"{lang} label", t) for lang, t in f.labels.get(code, {}).items()]


def best(texts: list[tuple[str, str]], targets: dict[str, list[tuple[str, str]]]) -> tuple[Match | None, list[str]]:
    """The one target whose spellings match one of ``texts`` at the highest tier, or (None, candidates)."""
    for tier in ("exact", "normalised"):
        hits: dict[str, str] = {}
        for what, t in texts:
            for target, spellings in targets.items():
                for kind, s in spellings:
                    same = t.strip() == s.strip() if tier == "exact" else normalised(t) == normalised(s)
                    if same and t.strip():
                        hits.setdefault(target, f"{what} «{t}» = {kind} «{s}»")
        if len(hits) == 1:
            ((target, why),) = hits.items()
            return Match(target, tier, why), []
        if len(hits) > 1:
            return None, sorted(hits)
    scored = []
    for target, spellings in targets.items():
        r, why = 0.0, ""
        for what, t in texts:
            for kind, s in spellings:
                x = difflib.SequenceMatcher(None, normalised(t), normalised(s)).ratio() if t.strip() else 0.0
                if x > r:
                    r, why = x, f"{what} «{t}» ~ {kind} «{s}» ({x:.2f})"
        scored.append((r, target, why))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if scored and scored[0][0] >= CLOSE and (len(scored) == 1 or scored[1][0] < scored[0][0] - MARGIN):
        return Match(scored[0][1], "close", scored[0][2]), []
    return None, [t for r, t, _ in scored[:3] if r > 0.3]


def _q(v: str) -> str:
    """A YAML scalar: quoted unless a plain word or number."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) and v.lower() not in (
        "yes",
        "no",
        "true",
        "false",
        "null",
        "on",
        "off",
    ):
        return v
    if as_number(v) is not None and re.fullmatch(r"-?\d+(\.\d+)?", v):
        return v
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _codes(raw: RawTable, column: str) -> dict[str, str]:
    """The codes of a source column with their labels (SPSS value labels, or the distinct texts themselves)."""
    labels = dict(raw.value_labels.get(column) or {})
    if labels:
        return labels
    values = [v for v in raw.frame[column].astype(str).str.strip().unique() if v]
    if len(values) <= MAX_DISTINCT and any(as_number(v) is None for v in values):
        return {v: v for v in sorted(values)}
    return {}


def suggest(dataset: str, raw: RawTable) -> str:
    """The draft mapping of ``raw`` onto codebook ``dataset``, as YAML text with a comment on every line.

    Examples
    --------
    >>> from civcomp.io.readers import read_csv_bytes
    >>> raw = read_csv_bytes("ID;Coder A;coderb\\nP1;1;0\\n".encode(), "gold.csv")
    >>> print(*suggest("postings_gold", raw).splitlines()[3:], sep=chr(10))
    rename:
      ID: id  # normalised: name «ID» = name «id»
      "Coder A": coder_a  # normalised: name «Coder A» = name «coder_a»
      coderb: coder_b  # close: name «coderb» ~ name «coder_b» (0.92)
    drop: []
    recode: {}
    missing: {}
    """
    cb = load_codebook(dataset)
    fields = {f.name: _spellings_of_field(f) for f in cb.fields}
    matches: dict[str, Match] = {}
    todo: dict[str, list[str]] = {}
    for col in raw.frame.columns:
        texts = [("name", str(col))] + (
            [("variable label", raw.variable_labels[col])] if col in raw.variable_labels else []
        )
        m, cands = best(texts, fields)
        if m is None:
            todo[col] = cands
        else:
            matches[col] = m
    claimed: dict[str, list[str]] = {}
    for col, m in matches.items():
        claimed.setdefault(m.target, []).append(col)
    for target, cols in claimed.items():
        if len(cols) > 1:  # two columns onto one field: the user decides
            for c in cols:
                todo[c] = [target]
                matches.pop(c)
    lines = [
        f"# Draft mapping of {raw.path.name} onto codebook {dataset}, written by `civcomp validate --suggest`.",
        "# Every line says how it was matched (exact / normalised / close); check the close ones,",
        "# resolve every TODO, then save as params/real_mapping/" + f"{dataset}.yaml and run `civcomp validate`.",
        "rename:",
    ]
    for col in raw.frame.columns:
        if col in matches and matches[col].target != col:
            m = matches[col]
            lines.append(f"  {_q(col)}: {_q(m.target)}  # {m.tier}: {m.why}")
        elif col in matches:
            lines.append(f"  # {col}: already the codebook's name")
        else:
            label = f" (variable label «{raw.variable_labels[col]}»)" if col in raw.variable_labels else ""
            cand = ", ".join(todo[col]) if todo[col] else "none close"
            lines.append(f"  # TODO {col}{label}: no single match; candidates: {cand}; rename it or list it under drop")
    lines.append("drop: []")
    recode_lines: list[str] = []
    missing_lines: list[str] = []
    for col in raw.frame.columns:
        target = matches[col].target if col in matches else None
        if target is None:
            continue
        f = cb.field(target)
        codes = _codes(raw, col) if f.type != "string" else {}
        if not codes:
            continue
        entries, miss = [], []
        for code, label in codes.items():
            values = {v: _spellings_of_value(f, v) for v in f.values}
            as_value = best([("value label", label)], values)[0] if f.type == "category" else None
            if reads_as_missing(label) and as_value is None:  # "Don't know" may be a codebook value itself
                if not _already_missing(f, cb, code):
                    miss.append((code, label))
                continue
            if f.type != "category":
                if as_number(code) is None or not _in_range(f, as_number(code)):
                    entries.append(
                        f"    # TODO {_q(code)} «{label}»: not a value of {target}; recode it or declare it missing"
                    )
                continue
            m, cands = best([("value label", label)], values)
            if m is None and code != label:
                m2, _ = best([("code", code)], {v: _spellings_of_value(f, v) for v in f.values})
                m = m2 if m2 is not None and m2.tier == "exact" else None
            if m is None:
                cand = ", ".join(cands) if cands else ", ".join(f.values[:6])
                entries.append(f"    # TODO {_q(code)} «{label}»: candidates: {cand}")
            else:
                entries.append(f"    {_q(code)}: {_q(m.target)}  # {m.tier}: {m.why}")
        if entries:
            recode_lines += [f"  {target}:", *entries]
        if miss:
            shown = ", ".join(f"{c} «{lab}»" for c, lab in miss)
            missing_lines.append(
                f"  {target}: [{', '.join(_q(c) for c in miss_codes(miss))}]  # labels read as no answer: {shown}"
            )
    lines += ["recode:" + ("" if recode_lines else " {}"), *recode_lines]
    lines += ["missing:" + ("" if missing_lines else " {}"), *missing_lines]
    return "\n".join(lines) + "\n"


def miss_codes(miss: list[tuple[str, str]]) -> list[str]:
    return [c for c, _ in miss]


def _in_range(f: Field, x: float) -> bool:
    return (f.minimum is None or x >= f.minimum) and (f.maximum is None or x <= f.maximum)


def _already_missing(f: Field, cb: Codebook, code: str) -> bool:
    x = as_number(code)
    return code in cb.missing_values or any(
        str(m) == code or (x is not None and as_number(str(m)) == x) for m in f.missing_codes
    )
