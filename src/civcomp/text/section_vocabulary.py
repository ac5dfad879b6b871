"""The vocabulary of posting sections (``data/dictionaries/posting_sections.yaml``): loading and checks.

Headings (section -> cue phrases, at the start of a line or, followed by a colon, inside one), headings
recognised inside a line without a colon, and sentence cues (regular expressions) for the application
procedure, contacts, employer self-description, benefits, legal references, and for requirements and duties
in text under no heading. :mod:`civcomp.text.sections` reads it once at import.

Examples
--------
>>> v = load_section_vocabulary()
>>> v.version, "requirements" in v.headings, v.inline_headings["conditions"]
('1.3.0', True, ('данные по вакансии',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from civcomp import paths
from civcomp.errors import CivcompError
from civcomp.text.section_names import SECTIONS

DEFAULT_SECTION_VOCABULARY = paths.DICTIONARIES / "posting_sections.yaml"
SENTENCE_CUES = ("documents", "contacts", "header", "employer", "benefits", "legal")
UNSECTIONED_CUES = ("requirements", "duties")


class SectionVocabularyError(CivcompError, ValueError):
    """The section vocabulary file is missing or malformed (the message names the file and the key)."""


@dataclass(frozen=True)
class SectionVocabulary:
    """Headings and cues of the sections of a posting (see the module docstring)."""

    version: str
    headings: dict[str, tuple[str, ...]]
    inline_headings: dict[str, tuple[str, ...]]
    sentence_cues: dict[str, tuple[str, ...]]
    application_channel: tuple[str, ...]
    application_accept: tuple[str, ...]
    overrides: dict[str, tuple[str, ...]]
    unsectioned_cues: dict[str, tuple[str, ...]]
    source: str = ""


def _words(x: Any, where: str) -> tuple[str, ...]:
    if not isinstance(x, list) or not x:
        raise SectionVocabularyError(f"{where}: must be a non-empty list of cue phrases")
    out = []
    for i, c in enumerate(x):
        if not isinstance(c, str) or not c.strip():
            raise SectionVocabularyError(f"{where}[{i}]: a cue must be a non-empty string, got {c!r}")
        if c != c.lower():
            raise SectionVocabularyError(f"{where}[{i}]: cue {c!r} must be lower case")
        out.append(" ".join(c.split()))
    return tuple(out)


def _regexes(x: Any, where: str) -> tuple[str, ...]:
    if not isinstance(x, list) or not x or not all(isinstance(c, str) and c for c in x):
        raise SectionVocabularyError(f"{where}: must be a non-empty list of regular expressions")
    out = tuple(x)
    for i, c in enumerate(out):
        try:
            re.compile(c)
        except re.error as exc:
            raise SectionVocabularyError(f"{where}[{i}]: not a regular expression: {c!r} ({exc})") from None
        if any(ch.isupper() for ch in re.sub(r"\\.", "", c)):
            raise SectionVocabularyError(f"{where}[{i}]: a cue is written in lower case: {c!r}")
    return out


def _mapping(d: dict, key: str, source: str, sections: tuple[str, ...], item) -> dict[str, tuple[str, ...]]:
    m = d.get(key)
    if not isinstance(m, dict) or not m:
        raise SectionVocabularyError(f"{source}: '{key}' must map a section to a list")
    bad = sorted(set(map(str, m)) - set(sections))
    if bad:
        raise SectionVocabularyError(f"{source}: {key}: unknown section(s) {bad} (known: {', '.join(sections)})")
    return {str(k): item(v, f"{source}: {key}.{k}") for k, v in m.items()}


def section_vocabulary_from_mapping(d: Any, source: str, sections: tuple[str, ...]) -> SectionVocabulary:
    """Build and check a :class:`SectionVocabulary` from the parsed YAML; ``sections``: the known section names."""
    if not isinstance(d, dict):
        raise SectionVocabularyError(f"{source}: must be a mapping")
    if not re.fullmatch(r"\d+\.\d+\.\d+", str(d.get("version", ""))):
        raise SectionVocabularyError(f"{source}: 'version' must be MAJOR.MINOR.PATCH, got {d.get('version')!r}")
    v = SectionVocabulary(
        version=str(d["version"]),
        headings=_mapping(d, "headings", source, sections, _words),
        inline_headings=_mapping(d, "inline_headings", source, sections, _words),
        sentence_cues=_mapping(d, "sentence_cues", source, SENTENCE_CUES, _regexes),
        application_channel=_regexes(d.get("application_channel"), f"{source}: application_channel"),
        application_accept=_regexes(d.get("application_accept"), f"{source}: application_accept"),
        overrides=_mapping(d, "overrides", source, sections, _regexes),
        unsectioned_cues=_mapping(d, "unsectioned_cues", source, UNSECTIONED_CUES, _regexes),
        source=source,
    )
    missing = sorted(set(SENTENCE_CUES) - set(v.sentence_cues))
    if missing:
        raise SectionVocabularyError(f"{source}: sentence_cues lacks {missing}")
    seen: dict[str, str] = {}
    for sec, cues in [*v.headings.items(), *v.inline_headings.items()]:
        for c in cues:
            if seen.setdefault(c, sec) != sec:
                raise SectionVocabularyError(f"{source}: heading cue {c!r} is listed under {seen[c]!r} and {sec!r}")
    return v


def load_section_vocabulary(
    path: str | Path | None = None, sections: tuple[str, ...] | None = None
) -> SectionVocabulary:
    """Read the section vocabulary (default ``data/dictionaries/posting_sections.yaml``).

    Examples
    --------
    >>> load_section_vocabulary().sentence_cues["documents"][-1]
    'арқылы\\\\s+(?:\\\\S+\\\\s+){0,4}?тапсыр'
    """
    path = Path(path) if path is not None else DEFAULT_SECTION_VOCABULARY
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SectionVocabularyError(f"{path}: section vocabulary file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SectionVocabularyError(f"{path}: not a readable YAML file ({exc})") from None
    return section_vocabulary_from_mapping(raw, str(path), SECTIONS if sections is None else sections)
