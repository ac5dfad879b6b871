"""Content analysis of job postings: a multilingual keyword dictionary and a one-pass matcher.

A posting *specifies a digital skill* when a term of the dictionary
(``data/dictionaries/digital_skills.yaml``) occurs in its text outside an excluded context.
The matcher reports, per posting, yes/no, the tiers of the terms found, and each match with
its dictionary entry and character span in the ORIGINAL text, so a reader can see why a
posting was coded as it was (:func:`kwic`).

Normalisation (for matching only; spans always refer to the original text)
---------------------------------------------------------------------------
* case folding; ``ё`` → ``е``; the Kazakh letters ``ә ғ қ ң ө ұ ү һ і`` are kept distinct;
* Latin/Cyrillic look-alikes folded to one script: ``Exсel`` with a Cyrillic ``с`` and
  ``ЕСЭДO`` with a Latin ``O`` match ``Excel`` and ``ЕСЭДО`` (Latin ``a c e o p x y k m t h b i``
  → Cyrillic ``а с е о р х у к м т н в і``; Latin ``ə ɵ`` → Kazakh ``ә ө``);
* every whitespace character (line break, tab, no-break space …) is a space, runs of spaces
  collapse to one, and invisible characters (soft hyphen, zero-width space/joiners, BOM) are
  dropped, so a phrase broken over lines still matches;
* dash variants (‐ ‑) are a hyphen; quotes («» „“ ”) are ``"``.

Word boundaries: letters (Latin, Cyrillic, Kazakh, any other alphabet), digits and ``_`` are
word characters; a term matches only where the text character before it, and after it (for a
term not ending in ``*``), is not one — ``ИС`` does not match in ``исполнение``, ``ПК`` not in
``АПК``. Term syntax (``*`` suffix wildcard, ``-`` = hyphen/space/nothing) is documented in
``data/dictionaries/README.md``.

How it is fast
--------------
Texts are joined with a record separator (a phrase cannot run from one text into the next) and
encoded in one C call to a private one-byte code page (every supported character has its own
byte, anything else a generic "other letter" or "other symbol" byte, so offsets are unchanged);
``bytes.translate`` does all the folding, into an alphabet whose word characters are one byte
range; numpy finds the bytes to drop. ONE compiled regular expression — the whole dictionary as
a trie, behind a "preceded by a non-word byte" anchor — is then applied in one left-to-right
pass over the corpus, tried only at the word starts whose next bytes begin like some entry (a
vectorised prefilter; a test checks the result equals ``pattern.finditer``). Match offsets are
mapped back to the original texts with binary searches. ``bench/bench_matcher.py`` times it.

References
----------
Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology, 4th ed. Sage
(ch. 8, dictionaries and computer-aided text analysis).
Unicode Technical Standard #39, Unicode Security Mechanisms (confusable characters).

Examples
--------
>>> m = Matcher(load_dictionary())
>>> c = m.code_text("Навыки работы в ЕСЭДO и Exсel;\\nвладение\\n ПК. Знание ПК РК.")
>>> c.digital, c.tiers
(True, ('basic_literacy_office', 'egov_state_systems'))
>>> [(x.keyword, x.text, x.start, x.end) for x in c.matches]
[('есэдо', 'ЕСЭДO', 16, 21), ('excel', 'Exсel', 24, 29), ('владени* пк', 'владение\\n ПК', 31, 43)]
>>> [x.keyword for x in c.excluded]
['пк рк']
"""
from __future__ import annotations

import argparse
import codecs
import gc
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd
import yaml

from civcomp import paths

__all__ = [
    "DictionaryError", "Entry", "Dictionary", "load_dictionary", "fold", "normalize", "Normalized",
    "Match", "Coding", "Matcher", "code_postings", "kwic", "kwic_table", "DEFAULT_DICTIONARY", "share_with_ci",
    "breakdown", "tier_shares", "tiers_by", "keyword_counts", "compare_levels", "gold_agreement", "truth_agreement",
]

DEFAULT_DICTIONARY = paths.DICTIONARIES / "digital_skills.yaml"
EXCLUDED = "excluded"  # pseudo-tier of excluded contexts

# ------------------------------------------------------------------------------------ code page
# Input code page: one byte per supported character. ASCII; Cyrillic (Russian + Kazakh); whitespace,
# invisible and typographic characters common in postings; two generic bytes for everything else.
_CYRILLIC = "".join(chr(c) for c in range(0x410, 0x450)) + "Ёё" + "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
_WS = "\u00a0\u2002\u2003\u2009\u202f\u2028\u2029\u3000\u0085"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TYPO = "«»„“”‘’‐‑–—−…№•●▪°§×" + "əƏɵƟ"
OTHER_LETTER, OTHER_SYMBOL = "\ue000", "\ue001"
SEP, DROP = "\x1e", "\x00"  # record separator between texts; marker of characters to drop
_PAGE = "".join(chr(i) for i in range(128)) + _CYRILLIC + _WS + _INVISIBLE + _TYPO + OTHER_LETTER + OTHER_SYMBOL
assert len(_PAGE) == len(set(_PAGE)) <= 256
_PAGE += "".join(chr(0xE100 + i) for i in range(256 - len(_PAGE)))  # unused slots
_ENCODING_MAP = codecs.charmap_build(_PAGE)

_HOMOGLYPHS = dict(zip("aceopxykmthbi", "асеорхукмтнві")) | {"ə": "ә", "ɵ": "ө"}
_PUNCT = {"‐": "-", "‑": "-", "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'"}


def _is_word(ch: str) -> bool:
    return ch == OTHER_LETTER or ch.isalnum() or ch == "_"


def _fold_char(ch: str) -> str:
    """Canonical form of one supported character (the single rule behind :func:`fold`)."""
    if ch in (SEP, DROP):
        return ch
    if ch in _INVISIBLE:
        return DROP  # removed by normalize()
    if ch.isspace() or ch in _WS:
        return " "
    if ord(ch) >= 0xE100:  # unused slot
        return OTHER_SYMBOL
    low = ch.lower() if len(ch.lower()) == 1 else ch
    low = "е" if low == "ё" else low
    low = _HOMOGLYPHS.get(low, low)
    return _PUNCT.get(low, low)


# Canonical (output) alphabet: non-word characters first, word characters last, so "is a word
# byte" is one comparison (byte >= _FIRST_WORD) for numpy and one byte range for the regex.
_folded = sorted(set(map(_fold_char, _PAGE)))
_CANON = [c for c in _folded if not _is_word(c)] + [c for c in _folded if _is_word(c)]
_FIRST_WORD = sum(not _is_word(c) for c in _CANON)
_CANON_PAGE = "".join(_CANON) + "".join(chr(0xE100 + i) for i in range(256 - len(_CANON)))
_CODE = {c: i for i, c in enumerate(_CANON)}
_FOLD_TABLE = bytes(_CODE[_fold_char(ch)] for ch in _PAGE)
_SPACE, _DROP, _SEP = _CODE[" "], _CODE[DROP], _CODE[SEP]
_W = b"[\\x%02x-\\xff]" % _FIRST_WORD
_NOT_W = b"[\\x00-\\x%02x]" % (_FIRST_WORD - 1)
_SUPPORTED = frozenset(c for c in _PAGE if ord(c) < 0xE100 or c in (OTHER_LETTER, OTHER_SYMBOL))


def _encode_error(exc: UnicodeEncodeError) -> tuple[str, int]:
    # Characters outside the code page keep their class (word or not): one byte each.
    s = exc.object[exc.start:exc.end]
    return "".join(OTHER_LETTER if _is_word(c) else OTHER_SYMBOL for c in s), exc.end


codecs.register_error("civcomp_fold", _encode_error)


def _encode(text: str) -> bytes:
    """Folded one-byte-per-character form of ``text`` (same length as ``text``)."""
    return codecs.charmap_encode(text, "civcomp_fold", _ENCODING_MAP)[0].translate(_FOLD_TABLE)


def _decode(data: bytes) -> str:
    return codecs.charmap_decode(data, "strict", _CANON_PAGE)[0]


def fold(text: str) -> str:
    """Fold case, ``ё``, Latin/Cyrillic look-alikes, whitespace and quotes, keeping the length.

    Characters outside the supported alphabets (Latin, Russian, Kazakh) become ``\\ue000``
    (a letter or digit) or ``\\ue001`` (anything else); invisible characters become ``\\x00``.

    Examples
    --------
    >>> fold("ЕСЭДO Exсel\\nЁлка Қазақстан")
    'есэдо ехсеl елка қазақстан'
    >>> len(fold("Ex\\u00adcel")) == len("Ex\\u00adcel")
    True
    """
    return _decode(_encode(text))


def _double_spaces(a: np.ndarray) -> np.ndarray:
    sp = a == _SPACE
    return np.flatnonzero(sp[1:] & sp[:-1]) + 1


def _dropped(a: np.ndarray) -> np.ndarray:
    """Positions removed by normalisation: invisible characters, and every space after a space
    (once the invisible characters are gone)."""
    drop = np.flatnonzero(a == _DROP)
    if not len(drop):
        return _double_spaces(a)
    keep = np.ones(len(a), dtype=bool)
    keep[drop] = False
    q = _double_spaces(a[keep])  # in the coordinates of the text without invisible characters
    q = q + np.searchsorted(drop - np.arange(len(drop)), q, side="right")  # back to ``a``
    return np.union1d(drop, q)


@dataclass(frozen=True)
class Normalized:
    """A normalised text and the way back to the original offsets.

    ``text`` is the folded text with whitespace collapsed and invisible characters removed;
    ``removed`` holds, for each removed original character in order, its position in
    ``text`` coordinates (``D[i] - i``), so :meth:`to_original` is one binary search.
    """

    text: str
    removed: np.ndarray

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``[start, end)`` of :attr:`text` to the original text."""
        if start >= end:
            s = start + int(np.searchsorted(self.removed, start, side="right"))
            return s, s
        s = start + int(np.searchsorted(self.removed, start, side="right"))
        e = end - 1 + int(np.searchsorted(self.removed, end - 1, side="right")) + 1
        return s, e


_TWO_SPACES, _DROP_BYTE = bytes([_SPACE, _SPACE]), bytes([_DROP])


def _normalize_bytes(data: bytes) -> tuple[bytes, np.ndarray]:
    """Collapse spaces and drop invisible characters; return the bytes and the removal map."""
    if _TWO_SPACES not in data and _DROP_BYTE not in data:  # fast path (C substring search)
        return data, np.zeros(0, dtype=np.int64)
    a = np.frombuffer(data, dtype=np.uint8)
    pos = _dropped(a)
    keep = np.ones(len(a), dtype=bool)
    keep[pos] = False
    return a[keep].tobytes(), pos - np.arange(len(pos))


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching and keep the map back to the original offsets.

    Examples
    --------
    >>> n = normalize("Владение\\n\\n  MS\\u00a0Оffice")
    >>> n.text
    'владение мs оffісе'
    >>> i = n.text.index("мs")
    >>> n.to_original(i, i + 9)
    (12, 21)
    """
    data, removed = _normalize_bytes(_encode(text))
    return Normalized(_decode(data), removed)


# ------------------------------------------------------------------------------------ dictionary
class DictionaryError(ValueError):
    """The dictionary file is missing or malformed (the message names the file and the entry)."""


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: a term of a tier, or an excluded context (``tier == "excluded"``)."""

    term: str  # as written in the dictionary (lower case)
    tier: str
    lang: str
    origin: str  # table1 | extension | exclusion
    why: str = ""

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
        return pd.DataFrame([{"tier": e.tier, "term": e.term, "lang": e.lang, "origin": e.origin, "why": e.why}
                             for e in self.entries])

    def subset(self, origins: Sequence[str]) -> "Dictionary":
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
    if not _is_word(t[0]):
        raise DictionaryError(f"{where}: term {term!r} must start with a letter or digit")
    for ch in t:
        if ch not in _SUPPORTED or ch in _INVISIBLE or ch in (OTHER_LETTER, OTHER_SYMBOL, SEP, DROP):
            raise DictionaryError(f"{where}: term {term!r}: character {ch!r} (U+{ord(ch):04X}) is not supported "
                                  "(Latin, Russian and Kazakh letters, digits and ASCII punctuation are)")
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
                    t = _check_term(term, f"{source}: tiers.{tier}.{origin}.{lang}[{i}]")
                    entries.append(Entry(t, tier, str(lang), origin))
        if len(entries) == n0:
            raise DictionaryError(f"{source}: tier {tier!r} has no terms")
    for i, ex in enumerate(d.get("exclusions") or []):
        where = f"{source}: exclusions[{i}]"
        if not isinstance(ex, dict) or "context" not in ex:
            raise DictionaryError(f"{where}: needs a 'context' (and 'lang', 'why')")
        entries.append(Entry(_check_term(ex["context"], where), EXCLUDED, str(ex.get("lang", "")), "exclusion",
                             str(ex.get("why", ""))))
    seen: dict[bytes, Entry] = {}
    for e in entries:
        key = _encode(e.term)
        if key in seen:
            raise DictionaryError(f"{source}: term {e.term!r} ({e.tier}) duplicates {seen[key].term!r} "
                                  f"({seen[key].tier}) after folding")
        seen[key] = e
    return Dictionary(str(d.get("name", "dictionary")), str(d.get("version", "")), tuple(tiers), tuple(entries),
                      labels, source)


def load_dictionary(path: str | Path | None = None) -> Dictionary:
    """Read a keyword dictionary (default ``data/dictionaries/digital_skills.yaml``).

    Examples
    --------
    >>> d = load_dictionary()
    >>> d.tiers
    ('basic_literacy_office', 'egov_state_systems', 'data_analytics', 'it_programming_security')
    """
    path = Path(path) if path is not None else DEFAULT_DICTIONARY
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DictionaryError(f"{path}: dictionary file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"{path}: not a readable YAML dictionary ({exc})") from None
    return dictionary_from_mapping(raw, str(path))


# ------------------------------------------------------------------------------------ compiling
_WILD, _SP, _HY, _END = "W", "S", "H", "$"  # trie atoms besides literal bytes


def _atoms(term: str) -> list:
    """The term as a list of atoms: literal byte values, _SP, _HY, _WILD."""
    out: list = []
    for k, tok in enumerate(term.split(" ")):
        if k:
            out.append(_SP)
        wild = tok.endswith("*")
        for ch in tok.rstrip("*"):
            out.append(_HY if ch == "-" else _encode(ch)[0])
        if wild:
            out.append(_WILD)
    return out


def _atom_regex(a) -> bytes:
    if a == _SP:
        return re.escape(bytes([_SPACE]))
    if a == _HY:  # hyphen, space or nothing
        return b"[" + re.escape(bytes([_CODE["-"]])) + re.escape(bytes([_SPACE])) + b"]?"
    if a == _WILD:
        return _W + b"*"
    return re.escape(bytes([a]))


def _trie_regex(node: dict) -> bytes:
    # Longer continuations first, the end of a term last: at one start position the longest
    # entry wins, so an excluded context beats the shorter term inside it.
    alts = []
    keys = sorted((k for k in node if k != _END), key=lambda k: (k == _WILD, str(k)))
    for k in keys:
        alts.append(_atom_regex(k) + _trie_regex(node[k]))
    if _END in node:
        alts.append(b"(?!" + _W + b")")
    if len(alts) == 1:
        return alts[0]
    return b"(?:" + b"|".join(alts) + b")"


def _entry_regex(e: Entry) -> re.Pattern:
    return re.compile(b"".join(_atom_regex(a) for a in _atoms(e.term)))


# ------------------------------------------------------------------------------------ prefilter
_PREFIX_LEN = 4


def _class(b):
    """Prefilter class of canonical bytes: a word byte is itself, every non-word byte one class."""
    return np.where(b >= _FIRST_WORD, b, np.uint8(_SPACE))


def _prefix_sets(entries: Iterable[Entry]) -> list[np.ndarray]:
    """For k = 1..4, the sorted codes of the first k (class) bytes an entry can start with.

    A prefix ends early at a wildcard (anything may follow) and, for a term shorter than four
    bytes, includes the non-word byte that its end boundary requires.
    """
    sets: list[set[int]] = [set() for _ in range(_PREFIX_LEN + 1)]

    def walk(atoms: list, i: int, code: int, k: int) -> None:
        if k == _PREFIX_LEN:
            sets[k].add(code)
        elif i == len(atoms):  # end of the term: a non-word byte must follow
            sets[k + 1].add((code << 8) | _SPACE)
        elif atoms[i] == _WILD:
            sets[k].add(code)
        elif atoms[i] in (_HY, _SP):
            walk(atoms, i + 1, (code << 8) | _SPACE, k + 1)
            if atoms[i] == _HY:  # the hyphen may be absent
                walk(atoms, i + 1, code, k)
        else:
            walk(atoms, i + 1, (code << 8) | int(_class(np.int64(atoms[i]))), k + 1)

    for e in entries:
        walk(_atoms(e.term), 0, 0, 0)
    return [np.array(sorted(x), dtype=np.int64) for x in sets]


class _Prefilter:
    """Positions where the dictionary regex can match: a vectorised test of the next four bytes.

    A match starts at a non-word byte followed by a word byte (the regex's anchor). Of those
    anchors, a 16-million-entry table of three-byte prefixes keeps few, and an exact test of the
    one- to four-byte prefixes keeps only those some entry can start with.
    """

    def __init__(self, entries: Iterable[Entry]):
        self.sets = _prefix_sets(entries)
        t3 = np.zeros(1 << 24, dtype=bool)
        for k in range(1, _PREFIX_LEN + 1):
            for c in self.sets[k].tolist():
                if k >= 3:
                    t3[c >> (8 * (k - 3))] = True
                else:  # a shorter prefix: every continuation
                    span = 1 << (8 * (3 - k))
                    t3[c * span:(c + 1) * span] = True
        self.t3 = t3

    def __call__(self, padded: bytes) -> np.ndarray:
        """``padded`` ends with at least five non-word bytes (so ``st + 4`` stays inside)."""
        a = np.frombuffer(padded, dtype=np.uint8)
        w = a >= _FIRST_WORD
        st = np.flatnonzero(w[1:] > w[:-1])  # anchor = the byte before a word
        c3 = (a[1:][st].astype(np.uint32) << 16) | (_class(a[2:][st]).astype(np.uint32) << 8) | _class(a[3:][st])
        keep = self.t3[c3]
        st = st[keep]
        code = (c3[keep].astype(np.int64) << 8) | _class(a[4:][st])
        hit = np.zeros(len(st), dtype=bool)
        for k in range(1, _PREFIX_LEN + 1):
            s = self.sets[k]
            if len(s):
                key = code >> (8 * (_PREFIX_LEN - k))
                hit |= s[np.minimum(np.searchsorted(s, key), len(s) - 1)] == key
        return st[hit]


# ------------------------------------------------------------------------------------ matching
class Match(NamedTuple):
    """One occurrence of a dictionary entry; ``start``/``end`` index the ORIGINAL text."""

    keyword: str
    tier: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"keyword": self.keyword, "tier": self.tier, "start": self.start, "end": self.end, "text": self.text}


class Coding(NamedTuple):
    """The coding of one posting: digital yes/no, tiers (dictionary order), matches, excluded contexts."""

    digital: bool
    tiers: tuple[str, ...]
    matches: tuple[Match, ...]
    excluded: tuple[Match, ...] = ()


_EMPTY = Coding(False, (), (), ())
_PAD = bytes([_SEP]) * (_PREFIX_LEN + 1)


class Matcher:
    """The dictionary compiled into one regular expression.

    Parameters
    ----------
    dictionary : Dictionary
        From :func:`load_dictionary`.
    chunk_chars : int
        Texts are processed in batches of about this many characters (bounds memory).

    Examples
    --------
    >>> m = Matcher(load_dictionary())
    >>> [c.digital for c in m.code(["Обеспечивает исполнение поручений, развитие АПК.",
    ...                             "Іс қағаздарын жүргізу; деректердi талдау."])]
    [False, True]
    """

    def __init__(self, dictionary: Dictionary, chunk_chars: int = 8_000_000):
        self.dictionary = dictionary
        self.chunk_chars = int(chunk_chars)
        self._tier_rank = {t: i for i, t in enumerate(dictionary.tiers)}
        trie: dict = {}
        for e in dictionary.entries:
            node = trie
            for a in _atoms(e.term):
                node = node.setdefault(a, {})
            node[_END] = e
        self.pattern = re.compile(_NOT_W + b"(" + _trie_regex(trie) + b")")
        self._prefilter = _Prefilter(dictionary.entries)
        # the entry behind a matched string: literal entries by lookup, the others by fullmatch
        # (memoised: the same inflected forms recur across a corpus)
        self._exact: dict[bytes, Entry] = {}
        self._patterns: list[tuple[re.Pattern, Entry]] = []
        for e in dictionary.entries:
            atoms = _atoms(e.term)
            if _WILD in atoms or _HY in atoms:
                self._patterns.append((_entry_regex(e), e))
            else:
                self._exact[bytes(_SPACE if a == _SP else a for a in atoms)] = e
        self._memo: dict[bytes, Entry] = {}

    def _identify(self, matched: bytes) -> Entry:
        e = self._memo.get(matched)
        if e is None:
            cands = [self._exact[matched]] if matched in self._exact else []
            cands += [cand for rx, cand in self._patterns if rx.fullmatch(matched)]
            if not cands:  # pragma: no cover - the trie only matches strings of some entry
                raise AssertionError(f"unidentified match {matched!r}")
            e = min(cands, key=self._priority)
            self._memo[matched] = e
        return e

    @staticmethod
    def _priority(e: Entry) -> tuple:
        # an excluded context wins; otherwise the most specific entry (most literal characters)
        return (not e.excluded, -len(e.term.replace("*", "")), e.term)

    def spans(self, norm: bytes) -> list[tuple[int, int]]:
        """Spans of all leftmost, non-overlapping matches in normalised bytes.

        The same as ``[m.span(1) for m in self.pattern.finditer(norm)]`` (a test checks it),
        but the regex is tried only at the positions the prefilter keeps.
        """
        out: list[tuple[int, int]] = []
        match, end = self.pattern.match, -1
        for pos in self._prefilter(norm + _PAD).tolist():
            if pos >= end:
                m = match(norm, pos)
                if m is not None:
                    out.append(m.span(1))
                    end = m.end()
        return out

    def _batches(self, texts: list[str]) -> Iterable[tuple[int, int]]:
        i, n = 0, len(texts)
        while i < n:
            j, size = i, 0
            while j < n and (size < self.chunk_chars or j == i):
                size += len(texts[j]) + 1
                j += 1
            yield i, j
            i = j

    def code(self, texts: Iterable[Any]) -> list[Coding]:
        """Code every text; ``None``/NaN is an empty text. Returns one :class:`Coding` per text."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        out: list[Coding] = []
        paused = gc.isenabled()
        gc.disable()  # many small result objects, no cycles: the cyclic collector only costs time
        try:
            for i, j in self._batches(texts):
                out.extend(self._code_batch(texts[i:j]))
        finally:
            if paused:
                gc.enable()
        return out

    def code_text(self, text: str) -> Coding:
        """Code one text."""
        return self.code([text])[0]

    def _code_batch(self, texts: list[str]) -> list[Coding]:
        joined = SEP + SEP.join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        starts = np.cumsum(lengths) - lengths + 1  # offset of each text in ``joined``
        norm, removed = _normalize_bytes(_encode(joined))
        spans = self.spans(norm)
        out = [_EMPTY] * len(texts)
        if not spans:
            return out
        sp = np.array(spans, dtype=np.int64)
        s, e = sp[:, 0], sp[:, 1] - 1
        if len(removed):  # back to offsets in ``joined``
            s = s + np.searchsorted(removed, s, side="right")
            e = e + np.searchsorted(removed, e, side="right")
        which = np.searchsorted(starts, s, side="right") - 1
        s, e = s - starts[which], e + 1 - starts[which]
        found: dict[int, list[Match]] = {}
        ident = self._identify
        for (a, b), k, so, eo in zip(spans, which.tolist(), s.tolist(), e.tolist()):
            entry = ident(norm[a:b])
            found.setdefault(k, []).append(Match(entry.term, entry.tier, so, eo, texts[k][so:eo]))
        rank = self._tier_rank.__getitem__
        for k, ms in found.items():
            hits = tuple(m for m in ms if m.tier != EXCLUDED)
            tiers = tuple(sorted({m.tier for m in hits}, key=rank))
            out[k] = Coding(bool(hits), tiers, hits, tuple(m for m in ms if m.tier == EXCLUDED))
        return out


# ------------------------------------------------------------------------------------ corpus level
def code_postings(df: pd.DataFrame, matcher: Matcher, id_col: str = "id",
                  text_col: str = "text") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code a frame of postings.

    Returns
    -------
    coded : DataFrame
        One row per posting: ``id``, ``digital`` (0/1), ``tiers`` ('|'-joined, "" if none),
        ``n_matches``, and one 0/1 column per tier (``tier_<code>``).
    matches : DataFrame
        One row per match: ``id``, ``keyword``, ``tier`` (``"excluded"`` for excluded contexts),
        ``start``, ``end``, ``text``.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b"], "text": ["Знание Excel и SQL.", "Знание ПК РК."]})
    >>> coded, hits = code_postings(df, Matcher(load_dictionary()))
    >>> coded[["id", "digital", "tiers"]].to_dict("records")
    [{'id': 'a', 'digital': 1, 'tiers': 'basic_literacy_office|data_analytics'}, {'id': 'b', 'digital': 0, 'tiers': ''}]
    >>> hits["tier"].tolist()
    ['basic_literacy_office', 'data_analytics', 'excluded']
    """
    codes = matcher.code(df[text_col].tolist())
    ids = df[id_col].tolist()
    tiers = matcher.dictionary.tiers
    coded = pd.DataFrame({
        "id": ids,
        "digital": [int(c.digital) for c in codes],
        "tiers": ["|".join(c.tiers) for c in codes],
        "n_matches": [len(c.matches) for c in codes],
        **{f"tier_{t}": [int(t in c.tiers) for c in codes] for t in tiers},
    })
    rows = [(i, m.keyword, m.tier, m.start, m.end, m.text)
            for i, c in zip(ids, codes) for m in sorted(c.matches + c.excluded, key=lambda m: m.start)]
    matches = pd.DataFrame(rows, columns=["id", "keyword", "tier", "start", "end", "text"])
    return coded, matches


def kwic(text: str, start: int, end: int, window: int = 6) -> tuple[str, str, str]:
    """Keyword in context: up to ``window`` words left and right of ``text[start:end]``.

    Whitespace in the three parts is collapsed to single spaces.

    Examples
    --------
    >>> kwic("Требования: уверенный\\nпользователь ПК, знание Excel.", 46, 51, window=2)
    ('ПК, знание', 'Excel', '.')
    """
    left = text[:start].split()[-window:] if window else []
    right = text[end:].split()[:window] if window else []
    return " ".join(left), " ".join(text[start:end].split()), " ".join(right)


def kwic_table(texts: pd.Series, matches: pd.DataFrame, n: int = 40, window: int = 6,
               seed: int = 0) -> pd.DataFrame:
    """A reproducible random sample of ``n`` matches with their context, one row each.

    ``texts`` is indexed by posting id; ``matches`` comes from :func:`code_postings`.
    Sampling is stratified by tier (including excluded contexts) so every tier is shown.
    """
    if matches.empty:
        return pd.DataFrame(columns=["id", "tier", "keyword", "left", "match", "right"])
    rng = np.random.default_rng(seed)
    groups = [g for _, g in matches.groupby("tier", sort=True)]
    per = max(1, n // len(groups))
    parts = [g.iloc[np.sort(rng.choice(len(g), size=min(per, len(g)), replace=False))] for g in groups]
    sample = pd.concat(parts)
    rows = []
    for r in sample.itertuples():
        left, mid, right = kwic(texts.loc[r.id], r.start, r.end, window)
        rows.append({"id": r.id, "tier": r.tier, "keyword": r.keyword, "left": left, "match": mid, "right": right})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ analysis
def share_with_ci(flags: Sequence[int] | pd.Series, alpha: float = 0.05) -> dict[str, float]:
    """Count, share and Wilson interval of the 1s in a 0/1 sequence (missing values dropped).

    Examples
    --------
    >>> r = share_with_ci([1] * 273 + [0] * 135)
    >>> r["n"], r["count"], round(r["share"], 4), round(r["ci_low"], 4), round(r["ci_high"], 4)
    (408, 273, 0.6691, 0.6221, 0.713)
    """
    from civcomp.survey import proportion_ci

    x = pd.Series(flags).dropna().astype(int)
    share, lo, hi = proportion_ci(int(x.sum()), len(x), alpha)
    return {"n": len(x), "count": int(x.sum()), "share": share, "ci_low": lo, "ci_high": hi}


def breakdown(df: pd.DataFrame, by: str, min_cell_size: int, alpha: float = 0.05,
              flag: str = "digital") -> pd.DataFrame:
    """Postings with and without a digital skill per group of ``by``, with Wilson intervals, disclosure-safe.

    Counts of 1 … ``min_cell_size``-1 are hidden with secondary suppression (row and column
    totals are published: ``n`` here, the corpus totals in the headline), and the share and
    interval of a hidden count are hidden with it (:mod:`civcomp.disclosure`).

    Returns columns ``by``, ``n``, ``n_digital``, ``n_no_digital``, ``share_digital``,
    ``ci_low_digital``, ``ci_high_digital`` (one row per group present in the data).
    """
    from civcomp import disclosure
    from civcomp.survey import proportion_ci

    groups = df[by].astype(object)
    counts = pd.crosstab(groups, df[flag].astype(int)).reindex(columns=[1, 0], fill_value=0)
    counts.columns = ["n_digital", "n_no_digital"]
    raw = counts.copy()
    sup = disclosure.suppress(counts, min_cell_size, margins="both")
    out = sup.table.copy()
    out.insert(0, "n", sup.row_totals)
    ci = np.array([proportion_ci(int(d), int(d + nd), alpha) for d, nd in zip(raw["n_digital"], raw["n_no_digital"])])
    ci = np.where(np.abs(ci) < 1e-12, 0.0, ci)  # floating-point dust at a share of 0 (1e-17, not 0)
    out["share_digital"], out["ci_low_digital"], out["ci_high_digital"] = ci[:, 0], ci[:, 1], ci[:, 2]
    hidden = out["n_digital"].isna() | out["n"].isna()
    out.loc[hidden, ["share_digital", "ci_low_digital", "ci_high_digital"]] = np.nan
    out = disclosure.propagate(out)
    return out.rename_axis(by).reset_index()


def tier_shares(coded: pd.DataFrame, tiers: Sequence[str], alpha: float = 0.05) -> pd.DataFrame:
    """Share of all postings that mention each tier (a posting may mention several), with Wilson intervals."""
    rows = []
    for t in tiers:
        r = share_with_ci(coded[f"tier_{t}"], alpha)
        rows.append({"tier": t, "n": r["n"], "n_postings": r["count"], "share": r["share"],
                     "ci_low": r["ci_low"], "ci_high": r["ci_high"]})
    return pd.DataFrame(rows)


def tiers_by(coded: pd.DataFrame, by: str, tiers: Sequence[str]) -> pd.DataFrame:
    """Long table: for each group of ``by`` and tier, postings in the group, postings mentioning the tier, share."""
    rows = []
    for g, sub in coded.groupby(coded[by].astype(object), sort=False, observed=True):
        for t in tiers:
            k = int(sub[f"tier_{t}"].sum())
            rows.append({by: g, "tier": t, "n": len(sub), "n_postings": k, "share": k / len(sub)})
    return pd.DataFrame(rows)


def keyword_counts(matches: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """Matches and postings per dictionary entry (excluded contexts included), most frequent first.

    Counts below ``min_cell_size`` are hidden (no margins are published: primary suppression only).
    """
    from civcomp import disclosure

    if matches.empty:
        return pd.DataFrame(columns=["keyword", "tier", "n_matches", "n_postings"])
    g = matches.groupby(["keyword", "tier"], sort=False)
    t = pd.DataFrame({"n_matches": g.size(), "n_postings": g["id"].nunique()})
    t = t.sort_values(["n_postings", "n_matches"], ascending=False, kind="stable").reset_index()
    sup = disclosure.suppress(t[["n_matches", "n_postings"]], min_cell_size, margins="none").table
    t[["n_matches", "n_postings"]] = sup
    return t


def compare_levels(df: pd.DataFrame, a: str = "central", b: str = "regional", by: str = "level",
                   flag: str = "digital", seed: int = 0) -> dict[str, Any]:
    """Digital-skill share of level ``a`` vs level ``b``: chi-square (or Fisher) test and Cramér's V.

    Wraps :func:`civcomp.survey.association_test` on the 2 × 2 table (``a``/``b`` × yes/no).
    """
    from civcomp.survey import association_test

    sub = df[df[by].astype(object).isin([a, b])]
    table = pd.crosstab(sub[by].astype(object), sub[flag].astype(int)).reindex(index=[a, b], columns=[1, 0],
                                                                                 fill_value=0)
    res = association_test(table.to_numpy(), seed=seed)
    res["table"] = table
    res["share_a"], res["share_b"] = (table[1] / table.sum(axis=1)).tolist()
    return res


def gold_agreement(coded: pd.DataFrame, gold: pd.DataFrame, n_boot: int = 5000, seed: int = 0,
                   alpha: float = 0.05) -> dict[str, Any]:
    """The dictionary's coding against the double-coded gold subsample.

    * inter-coder reliability of the two human coders (Cohen's kappa, Krippendorff's alpha + CI);
    * the dictionary against the coders' consensus (units where they agree): precision, recall,
      F1 and Cohen's kappa;
    * Krippendorff's alpha of the dictionary as a third coder beside the two humans, with a
      percentile bootstrap interval over postings.

    Returns a flat dict (``gold_*`` keys as written to the results).
    """
    from civcomp import reliability as rel

    m = gold.merge(coded[["id", "digital"]], on="id", how="inner", validate="one_to_one")
    a, b, d = (m[c].astype(int).to_numpy() for c in ("coder_a", "coder_b", "digital"))
    agree = a == b
    prf = rel.precision_recall_f1(a[agree], d[agree])
    three = rel.alpha_bootstrap(np.vstack([a, b, d]).astype(float), n_boot=n_boot, seed=seed, ci=1 - alpha)
    two = rel.alpha_bootstrap(np.vstack([a, b]).astype(float), n_boot=n_boot, seed=seed, ci=1 - alpha)
    return {
        "gold_n": len(m), "gold_n_agreed": int(agree.sum()),
        "gold_precision": prf["precision"], "gold_recall": prf["recall"], "gold_f1": prf["f1"],
        "gold_kappa": rel.cohen_kappa(a[agree], d[agree]),
        "gold_alpha": three["alpha"], "gold_alpha_ci_low": three["ci_low"], "gold_alpha_ci_high": three["ci_high"],
        "gold_intercoder_agreement": float(agree.mean()),
        "gold_intercoder_kappa": rel.cohen_kappa(a, b),
        "gold_intercoder_alpha": two["alpha"], "gold_intercoder_alpha_ci_low": two["ci_low"],
        "gold_intercoder_alpha_ci_high": two["ci_high"], "gold_n_boot": int(n_boot),
    }


def truth_agreement(coded: pd.DataFrame, truth: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary against the generator's ground truth (synthetic twin).

    One row for "digital" (any tier) and one per tier.
    """
    from civcomp import reliability as rel

    m = truth.merge(coded, on="id", suffixes=("_truth", ""), validate="one_to_one")
    truth_tiers = m["tiers_truth"].fillna("").astype(str).str.split("|")
    rows = [{"target": "digital", **rel.precision_recall_f1(m["digital_truth"].astype(int), m["digital"].astype(int))}]
    for t in tiers:
        rows.append({"target": t, **rel.precision_recall_f1(truth_tiers.map(lambda x, t=t: int(t in x)),
                                                             m[f"tier_{t}"].astype(int))})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ CLI
def _read_postings(path: Path) -> pd.DataFrame:
    from civcomp import readers

    raw = readers.read_table(path)
    df = raw.frame
    missing = [c for c in ("id", "text") if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(repr(c) for c in missing)} (found: {', '.join(map(repr, df.columns))})")
    return df.reset_index(drop=True)


def cli(argv: Sequence[str]) -> int:
    """``civcomp code-postings FILE [--dictionary PATH] [--json | --out PATH.csv]``."""
    from civcomp import readers

    ap = argparse.ArgumentParser(
        prog="civcomp code-postings",
        description="Code job postings for digital-skill requirements with a keyword dictionary. "
                    "FILE (CSV, XLSX, SAV or Parquet) needs the columns 'id' and 'text'.")
    ap.add_argument("file", type=Path, metavar="FILE")
    ap.add_argument("--dictionary", type=Path, default=None, metavar="PATH",
                    help="keyword dictionary YAML (default: data/dictionaries/digital_skills.yaml)")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON array of {id, digital, tiers, matches}")
    out.add_argument("--out", type=Path, default=None, metavar="PATH.csv",
                     help="write one row per posting (id, digital, tiers, n_matches, keywords) to a CSV file")
    a = ap.parse_args(list(argv))
    try:
        matcher = Matcher(load_dictionary(a.dictionary))
        df = _read_postings(a.file)
    except readers.ReadError as exc:
        print(f"civcomp code-postings: {a.file}: {exc.message}", file=sys.stderr)
        return 1
    except (DictionaryError, ValueError) as exc:
        print(f"civcomp code-postings: {exc}", file=sys.stderr)
        return 1
    codes = matcher.code(df["text"].tolist())
    ids = df["id"].tolist()
    if a.json:
        payload = [{"id": i, "digital": c.digital, "tiers": list(c.tiers), "matches": [m.as_dict() for m in c.matches]}
                   for i, c in zip(ids, codes)]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return 0
    table = pd.DataFrame({
        "id": ids, "digital": [int(c.digital) for c in codes], "tiers": ["|".join(c.tiers) for c in codes],
        "n_matches": [len(c.matches) for c in codes],
        "keywords": ["|".join(dict.fromkeys(m.keyword for m in c.matches)) for c in codes],
    })
    if a.out is not None:
        from civcomp.outputs import atomic_write

        try:
            atomic_write(a.out, table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        except OSError as exc:
            print(f"civcomp code-postings: cannot write {a.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        n = int(table["digital"].sum())
        print(f"coded {len(table)} postings: {n} specify a digital skill, {len(table) - n} do not -> {a.out}")
        return 0
    sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    return 0
