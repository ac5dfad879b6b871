"""The multilingual digital-skills dictionary: entries, tiers, excluded contexts, loading and checks.

Term syntax (``*`` suffix wildcard, ``-`` = hyphen/space/nothing) is documented in
``data/dictionaries/README.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.errors import CivcompError
from civcomp.io import yaml_safe
from civcomp.text.normalize import (
    DROP,
    INVISIBLE,
    OTHER_LETTER,
    OTHER_SYMBOL,
    SEP,
    SUPPORTED,
    encode,
    is_word,
)

DEFAULT_DICTIONARY = paths.DICTIONARIES / "digital_skills.yaml"
EXCLUDED = "excluded"  # pseudo-tier of excluded contexts
REQUIREMENT = "requirement"  # an entry that counts only under a requirement or duty heading
CONTEXTS = ("", REQUIREMENT)
MAX_ENTRIES = 5_000  # terms and exclusions of one dictionary (the shipped one has 160); bounds memory and time


# ------------------------------------------------------------------------------------ dictionary
class DictionaryError(CivcompError, ValueError):
    """The dictionary file is missing or malformed (the message names the file and the entry)."""


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: a term of a tier, or an excluded context (``tier == "excluded"``)."""

    term: str  # as written in the dictionary (lower case)
    tier: str
    lang: str
    origin: str  # table1 | extension | exclusion
    why: str = ""
    context: str = ""  # "" = counts in any coded section; "requirement" = only under a requirement/duty heading
    source: str = ""  # where the term is attested (terms added for real postings)

    @property
    def excluded(self) -> bool:
        return self.tier == EXCLUDED


@dataclass(frozen=True)
class Dictionary:
    """A versioned keyword dictionary: tiers in order, their terms, and excluded contexts."""

    name: str
    version: str
    tiers: tuple[str, ...]
    entries: tuple[Entry, ...]
    labels: dict = field(default_factory=dict, compare=False)
    source: str = ""

    @property
    def terms(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.excluded)

    @property
    def exclusions(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.excluded)

    def table(self) -> pd.DataFrame:
        """One row per entry (for the notebook's dictionary table)."""
        return pd.DataFrame(
            [
                {
                    "tier": e.tier,
                    "term": e.term,
                    "lang": e.lang,
                    "origin": e.origin,
                    "why": e.why,
                    "context": e.context,
                    "source": e.source,
                }
                for e in self.entries
            ]
        )

    def subset(self, origins: Sequence[str]) -> Dictionary:
        """The same dictionary with only the terms of the given origins (excluded contexts kept).

        Examples
        --------
        >>> d = load_dictionary()
        >>> len(d.subset(["table1"]).terms) < len(d.terms)
        True
        """
        keep = tuple(e for e in self.entries if e.excluded or e.origin in origins)
        return Dictionary(self.name, self.version, self.tiers, keep, self.labels, self.source)

    def literal_terms(self) -> list[str]:
        """The fixed strings of every term (wildcards cut, hyphens kept): grep's ``-F -f`` list."""
        out = []
        for e in self.terms:
            out.append(" ".join(tok.rstrip("*") for tok in e.term.split(" ")))
        return sorted(set(out))


_TOKEN_OK = re.compile(r"^[^\s*]+\*?$")


def _check_term(term: Any, where: str) -> str:
    if not isinstance(term, str) or not term.strip():
        raise DictionaryError(f"{where}: a term must be a non-empty string, got {term!r}")
    t = unicodedata.normalize("NFC", " ".join(term.split()))
    for tok in t.split(" "):
        if not _TOKEN_OK.match(tok):
            raise DictionaryError(f"{where}: term {term!r}: '*' is allowed only at the end of a word")
        if tok.rstrip("*").strip("-") == "":
            raise DictionaryError(f"{where}: term {term!r} has an empty word")
    if not is_word(t[0]):
        raise DictionaryError(f"{where}: term {term!r} must start with a letter or digit")
    for ch in t:
        if ch not in SUPPORTED or ch in INVISIBLE or ch in (OTHER_LETTER, OTHER_SYMBOL, SEP, DROP):
            raise DictionaryError(
                f"{where}: term {term!r}: character {ch!r} (U+{ord(ch):04X}) is not supported "
                "(Latin, Russian and Kazakh letters, digits and ASCII punctuation are)"
            )
    return t


def dictionary_from_mapping(d: dict, source: str = "<mapping>") -> Dictionary:
    """Build a :class:`Dictionary` from the parsed YAML (see ``data/dictionaries/README.md``)."""
    if not isinstance(d, dict) or not isinstance(d.get("tiers"), dict) or not d["tiers"]:
        raise DictionaryError(f"{source}: needs a 'tiers' mapping of tier code -> terms")
    entries: list[Entry] = []
    tiers: list[str] = []
    labels: dict = {}
    for tier, spec in d["tiers"].items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(tier)) or tier == EXCLUDED:
            raise DictionaryError(f"{source}: tier code {tier!r} must be snake_case and not {EXCLUDED!r}")
        if not isinstance(spec, dict):
            raise DictionaryError(f"{source}: tier {tier!r} must be a mapping")
        tiers.append(tier)
        labels[tier] = spec.get("label", {})
        n0 = len(entries)
        for origin in ("table1", "extension"):
            groups = spec.get(origin) or {}
            if not isinstance(groups, dict):
                raise DictionaryError(f"{source}: tiers.{tier}.{origin} must map a language to a list of terms")
            for lang, terms in groups.items():
                if not isinstance(terms, list):
                    raise DictionaryError(f"{source}: tiers.{tier}.{origin}.{lang} must be a list of terms")
                for i, term in enumerate(terms):
                    where = f"{source}: tiers.{tier}.{origin}.{lang}[{i}]"
                    context, src = "", ""
                    if isinstance(term, dict):  # {term: ..., context: requirement, source: ...}
                        unknown = set(term) - {"term", "context", "source"}
                        if unknown or "term" not in term:
                            raise DictionaryError(
                                f"{where}: a term mapping has the keys 'term', 'context', "
                                f"'source' (got {sorted(map(str, term))})"
                            )
                        context, src = str(term.get("context") or ""), str(term.get("source") or "")
                        if context not in CONTEXTS:
                            raise DictionaryError(f"{where}: context {context!r} is not one of {CONTEXTS}")
                        term = term["term"]
                    if len(entries) >= MAX_ENTRIES:
                        raise DictionaryError(f"{where}: more than {MAX_ENTRIES:,} terms (the limit of a dictionary)")
                    t = _check_term(term, where)
                    entries.append(Entry(t, tier, str(lang), origin, context=context, source=src))
        if len(entries) == n0:
            raise DictionaryError(f"{source}: tier {tier!r} has no terms")
    for i, ex in enumerate(d.get("exclusions") or []):
        where = f"{source}: exclusions[{i}]"
        if len(entries) >= MAX_ENTRIES:
            raise DictionaryError(f"{where}: more than {MAX_ENTRIES:,} terms (the limit of a dictionary)")
        if not isinstance(ex, dict) or "context" not in ex:
            raise DictionaryError(f"{where}: needs a 'context' (and 'lang', 'why')")
        entries.append(
            Entry(
                _check_term(ex["context"], where),
                EXCLUDED,
                str(ex.get("lang", "")),
                "exclusion",
                str(ex.get("why", "")),
            )
        )
    seen: dict[bytes, Entry] = {}
    for e in entries:
        key = encode(e.term)
        if key in seen:
            raise DictionaryError(
                f"{source}: term {e.term!r} ({e.tier}) duplicates {seen[key].term!r} ({seen[key].tier}) after folding"
            )
        seen[key] = e
    return Dictionary(
        str(d.get("name", "dictionary")), str(d.get("version", "")), tuple(tiers), tuple(entries), labels, source
    )


def load_dictionary(path: str | Path | None = None) -> Dictionary:
    """Read a keyword dictionary (default ``data/dictionaries/digital_skills.yaml``).

    Examples
    --------
    >>> d = load_dictionary()
    >>> d.tiers
    ('basic_literacy_office', 'egov_state_systems', 'data_analytics', 'it_programming_security')
    """
    path = Path(path) if path is not None else DEFAULT_DICTIONARY
    try:  # bounded: size, depth and alias expansion (yaml_safe); a bare date is allowed here
        raw = yaml_safe.load(path, plain=False)
    except FileNotFoundError:
        raise DictionaryError(f"{path}: dictionary file not found") from None
    except yaml_safe.YamlError as exc:
        raise DictionaryError(f"{exc} (not a readable YAML dictionary)") from None
    return dictionary_from_mapping(raw, str(path))
