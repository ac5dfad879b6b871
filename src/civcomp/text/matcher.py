"""The one-pass matcher: every dictionary term in every posting, with its span in the original text.

A posting *specifies a digital skill* when a term of the dictionary
(``data/dictionaries/digital_skills.yaml``) occurs outside an excluded context in its **coding unit**:
by default the duties and requirements sections (:mod:`civcomp.text.sections`), minus sentences repeated
verbatim across the corpus outside those sections (:mod:`civcomp.text.boilerplate`); ``coding_sections=None``
codes the whole text. The matcher reports, per posting, yes/no, the tiers of the counted terms, and each
match with its dictionary entry, character span in the ORIGINAL text, section and whether it counted, so a
reader can see why a posting was coded as it was (:func:`kwic`).

Sections cost little: the headings are found by one more bytes expression over the same folded text (line
breaks kept), and the sentence around each match (for the cue rules and the boilerplate key) is looked up
only for the matches, memoised by sentence.

Text is normalised for matching by :mod:`civcomp.text.normalize` (case, ``ё``, Latin/Cyrillic look-alikes,
whitespace, invisible characters, dashes and quotes); spans always refer to the original text.

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
>>> from civcomp.text import load_dictionary
>>> m = Matcher(load_dictionary())
>>> c = m.code_text("Навыки работы в ЕСЭДO и Exсel;\\nвладение\\n ПК. Знание ПК РК.")
>>> c.digital, c.tiers
(True, ('basic_literacy_office', 'egov_state_systems'))
>>> [(x.keyword, x.text, x.start, x.end) for x in c.matches]
[('есэдо', 'ЕСЭДO', 16, 21), ('excel', 'Exсel', 24, 29), ('владени* пк', 'владение\\n ПК', 31, 43)]
>>> [x.keyword for x in c.excluded]
['пк рк']

Size: compiling, the prefilter and matching are one algorithm (a test checks the prefilter equals plain ``finditer``).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from civcomp.text.boilerplate import BoilerplateModel, sentence_key
from civcomp.text.dictionary import EXCLUDED, REQUIREMENT, Dictionary, Entry
from civcomp.text.normalize import (
    _CODE,
    _FIRST_WORD,
    _FOLD_TABLE,
    _LINE_TABLE,
    _NOT_W,
    _SEP,
    _SPACE,
    _W,
    SEP,
    _encode,
    _encode_raw,
    _normalize_bytes,
)
from civcomp.text.sections import (
    DEFAULT_CODING_SECTIONS,
    SECTIONS,
    UNSECTIONED,
    Segmenter,
    _skills_start,
    classify_sentence,
    sentence_span,
)

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
                    t3[c * span : (c + 1) * span] = True
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
    """One occurrence of a dictionary entry; ``start``/``end`` index the ORIGINAL text.

    ``section`` is the posting section it stands in (:mod:`civcomp.text.sections`; ``""`` when the text is
    coded as a whole), ``counted`` whether it makes the posting "digital" (it stands in the coding unit and
    not in boilerplate), ``boilerplate`` whether its sentence recurs verbatim across the corpus
    (:mod:`civcomp.text.boilerplate`).
    """

    keyword: str
    tier: str
    start: int
    end: int
    text: str
    section: str = ""
    counted: bool = True
    boilerplate: bool = False

    def as_dict(self) -> dict:
        return {
            "keyword": self.keyword,
            "tier": self.tier,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "section": self.section,
            "counted": self.counted,
            "boilerplate": self.boilerplate,
        }


class Coding(NamedTuple):
    """The coding of one posting: digital yes/no, tiers (dictionary order), matches, excluded contexts.

    ``digital`` and ``tiers`` come from the counted matches only; ``matches`` holds every term match
    (counted or not, see :attr:`Match.counted`).
    """

    digital: bool
    tiers: tuple[str, ...]
    matches: tuple[Match, ...]
    excluded: tuple[Match, ...] = ()

    @property
    def counted(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.counted)


_EMPTY = Coding(False, (), (), ())
_PAD = bytes([_SEP]) * (_PREFIX_LEN + 1)


class Matcher:
    """The dictionary compiled into one regular expression, and the coding unit it counts in.

    Parameters
    ----------
    dictionary : Dictionary
        From :func:`load_dictionary`.
    chunk_chars : int
        Texts are processed in batches of about this many characters (bounds memory).
    coding_sections : sequence of str or None
        Sections whose matches count (:mod:`civcomp.text.sections`; default duties + requirements,
        :data:`~civcomp.text.sections.DEFAULT_CODING_SECTIONS`). ``None`` codes the whole text (every match
        counts, no segmentation: the behaviour before sections).
    fallback : bool
        Whether text under no heading (``unsectioned``: cards without headings, a card's intro) is coded,
        minus the sentences whose cues mark them as application, contacts, employer, benefits or legal text.
    boilerplate : {"corpus", None} or BoilerplateModel
        ``"corpus"``: sentences repeated verbatim across the postings of one :meth:`code` call are
        boilerplate (:mod:`civcomp.text.boilerplate`, counted over the sentences that hold a match); a fitted
        model: use its counts (streaming: fit on a first pass); ``None``: no boilerplate detection.
    boilerplate_scope : {"fallback", "all"}
        Where boilerplate is left out of coding: only in ``unsectioned`` text (default — a sentence under a
        requirements heading is a requirement however often it recurs: the general qualification
        requirements of a category are the same words in every announcement), or everywhere.
    min_words, min_postings, min_share :
        The boilerplate rule of :class:`~civcomp.text.boilerplate.BoilerplateModel` (with ``"corpus"``).

    Examples
    --------
    >>> from civcomp.text import load_dictionary
    >>> m = Matcher(load_dictionary())
    >>> [c.digital for c in m.code(["Обеспечивает исполнение поручений, развитие АПК.",
    ...                             "Іс қағаздарын жүргізу; деректердi талдау."])]
    [False, True]
    >>> c = m.code_text("Требования: знание Excel.\\nДокументы представляются посредством портала «e-gov».")
    >>> [(x.keyword, x.section, x.counted) for x in c.matches]
    [('excel', 'requirements', True), ('e-gov', 'documents', False)]
    """

    def __init__(
        self,
        dictionary: Dictionary,
        chunk_chars: int = 8_000_000,
        coding_sections: Sequence[str] | None = DEFAULT_CODING_SECTIONS,
        fallback: bool = True,
        boilerplate: str | BoilerplateModel | None = "corpus",
        boilerplate_scope: str = "fallback",
        min_words: int = 8,
        min_postings: int = 5,
        min_share: float = 0.02,
    ):
        self.dictionary = dictionary
        self.chunk_chars = int(chunk_chars)
        self._tier_rank = {t: i for i, t in enumerate(dictionary.tiers)}
        if coding_sections is not None:
            unknown = sorted(set(coding_sections) - set(SECTIONS))
            if unknown:
                raise ValueError(f"coding_sections: unknown section(s) {unknown} (known: {', '.join(SECTIONS)})")
        if boilerplate_scope not in ("fallback", "all"):
            raise ValueError(f"boilerplate_scope must be 'fallback' or 'all', got {boilerplate_scope!r}")
        if not (boilerplate is None or boilerplate == "corpus" or isinstance(boilerplate, BoilerplateModel)):
            raise ValueError(f"boilerplate must be 'corpus', None or a BoilerplateModel, got {boilerplate!r}")
        self.coding_sections = None if coding_sections is None else tuple(coding_sections)
        self._coding = frozenset(self.coding_sections or ())
        self.fallback = bool(fallback)
        self.boilerplate = boilerplate
        self.boilerplate_scope = boilerplate_scope
        self._bp_rule = dict(min_words=min_words, min_postings=min_postings, min_share=min_share)
        self.segmenter = Segmenter()
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
        self._sent_memo: dict[tuple[str, str], tuple[str, str]] = {}

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

    def code(self, texts: Iterable[Any], boilerplate: Any = "default") -> list[Coding]:
        """Code every text; ``None``/NaN is an empty text. Returns one :class:`Coding` per text.

        ``boilerplate`` overrides the matcher's setting for this call (``"corpus"``, ``None`` or a model).
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        raw: list = []
        paused = gc.isenabled()
        gc.disable()  # many small result objects, no cycles: the cyclic collector only costs time
        try:
            for i, j in self._batches(texts):
                raw.extend(self._raw_batch(texts[i:j]))
            model = self._model(raw, self.boilerplate if boilerplate == "default" else boilerplate)
            flagged = model.flagged() if model is not None else frozenset()
            return [self._assemble(r, flagged) if r else _EMPTY for r in raw]
        finally:
            if paused:
                gc.enable()

    def code_batches(self, batches: Iterable[Iterable[Any]]) -> list[Coding]:
        """Code a corpus given as batches of texts (e.g. read from a file), in ONE pass.

        Boilerplate is decided over the whole corpus (as by :meth:`code` on all texts at once), but only the
        matches are kept in memory, not the texts: the corpus is read once.
        """
        raw: list = []
        paused = gc.isenabled()
        gc.disable()
        try:
            for batch in batches:
                texts = [t if isinstance(t, str) else "" for t in batch]
                for i, j in self._batches(texts):
                    raw.extend(self._raw_batch(texts[i:j]))
            model = self._model(raw, self.boilerplate)
            flagged = model.flagged() if model is not None else frozenset()
            return [self._assemble(r, flagged) if r else _EMPTY for r in raw]
        finally:
            if paused:
                gc.enable()

    def code_text(self, text: str) -> Coding:
        """Code one text (no boilerplate detection: that needs a corpus)."""
        return self.code([text], boilerplate=None)[0]

    def sentence_keys(self, texts: Iterable[Any]) -> list[set[str]]:
        """For each text, the keys of the sentences that hold a match: a first pass for :meth:`fit_boilerplate`."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        out: list[set[str]] = []
        for i, j in self._batches(texts):
            out.extend({it[4] for it in r if it[4]} if r else set() for r in self._raw_batch(texts[i:j]))
        return out

    def new_boilerplate_model(self) -> BoilerplateModel:
        """An empty model with this matcher's boilerplate rule (fill it with :meth:`BoilerplateModel.update`)."""
        return BoilerplateModel(**self._bp_rule)

    def _model(self, raw: list, setting: Any) -> BoilerplateModel | None:
        if setting is None or self.coding_sections is None:
            return None
        if isinstance(setting, BoilerplateModel):
            return setting
        return self.new_boilerplate_model().update({it[4] for it in r if it[4]} if r else () for r in raw)

    def _counts(self, entry: Entry, section: str, boiler: bool) -> bool:
        if self.coding_sections is None:
            return True
        if boiler and (self.boilerplate_scope == "all" or section == UNSECTIONED):
            return False
        if section in self._coding:
            return True
        return section == UNSECTIONED and self.fallback and entry.context != REQUIREMENT

    def _assemble(self, items: list, flagged: frozenset) -> Coding:
        hits, exc = [], []
        for entry, so, eo, sec, key, mtext in items:
            if entry.excluded:
                exc.append(Match(entry.term, EXCLUDED, so, eo, mtext, sec, False, False))
                continue
            bp = key in flagged
            hits.append(Match(entry.term, entry.tier, so, eo, mtext, sec, self._counts(entry, sec, bp), bp))
        counted = {m.tier for m in hits if m.counted}
        tiers = tuple(sorted(counted, key=self._tier_rank.__getitem__))
        return Coding(bool(counted), tiers, tuple(hits), tuple(exc))

    def _sentence(self, text: str, pos: int, heading_section: str, line_start: int | None = None) -> tuple[str, str]:
        """(section, sentence key) of a match: sentence cues applied to its heading section, memoised."""
        s, e = sentence_span(text, pos, line_start=line_start)
        sentence = text[s:e]
        memo_key = (sentence, heading_section)
        hit = self._sent_memo.get(memo_key)
        if hit is None:
            if len(self._sent_memo) > 1_000_000:
                self._sent_memo.clear()
            hit = (classify_sentence(sentence, heading_section), sentence_key(sentence))
            self._sent_memo[memo_key] = hit
        return hit

    def _raw_batch(self, texts: list[str]) -> list:
        """Per text: None, or a list of (entry, start, end, section, sentence key, matched text) in text order."""
        joined = SEP + SEP.join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        starts = np.cumsum(lengths) - lengths + 1  # offset of each text in ``joined``
        raw = _encode_raw(joined)
        norm, removed = _normalize_bytes(raw.translate(_FOLD_TABLE))
        spans = self.spans(norm)
        out: list = [None] * len(texts)
        if not spans:
            return out
        sp = np.array(spans, dtype=np.int64)
        s, e = sp[:, 0], sp[:, 1] - 1
        if len(removed):  # back to offsets in ``joined``
            s = s + np.searchsorted(removed, s, side="right")
            e = e + np.searchsorted(removed, e, side="right")
        which = np.searchsorted(starts, s, side="right") - 1
        gs = s
        s, e = s - starts[which], e + 1 - starts[which]
        ident = self._identify
        if self.coding_sections is None:
            for (a, b), k, so, eo in zip(spans, which.tolist(), s.tolist(), e.tolist()):
                if out[k] is None:
                    out[k] = []
                out[k].append((ident(norm[a:b]), so, eo, "", None, texts[k][so:eo]))
            return out
        # heading section of every match: the last heading before it in the same text
        lines = raw.translate(_LINE_TABLE)
        lb = np.flatnonzero(np.frombuffer(lines, dtype=np.uint8) == _SEP)  # line breaks (joined starts with one)
        hp, hs = self.segmenter.headings_in(lines, lb)
        line_start = (lb[np.searchsorted(lb, gs, side="right") - 1] + 1 - starts[which]).tolist()
        if len(hp):
            h = np.searchsorted(hp, gs, side="right") - 1
            own = (h >= 0) & (hp[np.maximum(h, 0)] >= starts[which])
            hsec = [hs[x] if ok else UNSECTIONED for x, ok in zip(h.tolist(), own.tolist())]
            hpos = np.where(own, hp[np.maximum(h, 0)] - starts[which], 0).tolist()
        else:
            hsec, hpos = [UNSECTIONED] * len(spans), [0] * len(spans)
        skills: dict[int, int] = {}
        for (a, b), k, so, eo, sec, p, ls in zip(spans, which.tolist(), s.tolist(), e.tolist(), hsec, hpos, line_start):
            text = texts[k]
            if out[k] is None:
                out[k] = []
            ks = skills.get(k)
            if ks is None:
                ks = skills[k] = _skills_start(text, p)
            if 0 <= ks <= so:
                sec = "skills"
            sec, key = self._sentence(text, so, sec, ls)
            out[k].append((ident(norm[a:b]), so, eo, sec, key, text[so:eo]))
        return out


# ------------------------------------------------------------------------------------ corpus level
MATCH_COLUMNS = ["id", "keyword", "tier", "start", "end", "text", "section", "counted", "boilerplate"]


def code_postings(
    df: pd.DataFrame, matcher: Matcher, id_col: str = "id", text_col: str = "text"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code a frame of postings.

    Returns
    -------
    coded : DataFrame
        One row per posting: ``id``, ``digital`` (0/1), ``tiers`` ('|'-joined, "" if none),
        ``n_matches`` (counted matches), and one 0/1 column per tier (``tier_<code>``).
    matches : DataFrame
        One row per match: ``id``, ``keyword``, ``tier`` (``"excluded"`` for excluded contexts),
        ``start``, ``end``, ``text``, ``section``, ``counted`` (0/1), ``boilerplate`` (0/1).

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b"], "text": ["Знание Excel и SQL.", "Знание ПК РК."]})
    >>> from civcomp.text import load_dictionary
    >>> coded, hits = code_postings(df, Matcher(load_dictionary()))
    >>> coded[["id", "digital", "tiers"]].to_dict("records")
    [{'id': 'a', 'digital': 1, 'tiers': 'basic_literacy_office|data_analytics'}, {'id': 'b', 'digital': 0, 'tiers': ''}]
    >>> hits[["tier", "section", "counted"]].values.tolist()
    [['basic_literacy_office', 'unsectioned', 1], ['data_analytics', 'unsectioned', 1], ['excluded', 'unsectioned', 0]]
    """
    codes = matcher.code(df[text_col].tolist())
    ids = df[id_col].tolist()
    tiers = matcher.dictionary.tiers
    coded = pd.DataFrame(
        {
            "id": ids,
            "digital": [int(c.digital) for c in codes],
            "tiers": ["|".join(c.tiers) for c in codes],
            "n_matches": [sum(m.counted for m in c.matches) for c in codes],
            **{f"tier_{t}": [int(t in c.tiers) for c in codes] for t in tiers},
        }
    )
    rows = [
        (i, m.keyword, m.tier, m.start, m.end, m.text, m.section, int(m.counted), int(m.boilerplate))
        for i, c in zip(ids, codes)
        for m in sorted(c.matches + c.excluded, key=lambda m: m.start)
    ]
    matches = pd.DataFrame(rows, columns=MATCH_COLUMNS)
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


def kwic_table(texts: pd.Series, matches: pd.DataFrame, n: int = 40, window: int = 6, seed: int = 0) -> pd.DataFrame:
    """A reproducible random sample of ``n`` matches with their context, one row each.

    ``texts`` is indexed by posting id; ``matches`` comes from :func:`code_postings`.
    Sampling is stratified by tier (including excluded contexts) so every tier is shown. When ``matches``
    has a ``section`` column, the table shows each match's section and whether it counted.
    """
    extra = [c for c in ("section", "counted") if c in matches.columns]
    if matches.empty:
        return pd.DataFrame(columns=["id", "tier", "keyword", *extra, "left", "match", "right"])
    rng = np.random.default_rng(seed)
    groups = [g for _, g in matches.groupby("tier", sort=True)]
    per = max(1, n // len(groups))
    parts = [g.iloc[np.sort(rng.choice(len(g), size=min(per, len(g)), replace=False))] for g in groups]
    sample = pd.concat(parts)
    rows = []
    for r in sample.itertuples():
        left, mid, right = kwic(texts.loc[r.id], r.start, r.end, window)
        rows.append(
            {
                "id": r.id,
                "tier": r.tier,
                "keyword": r.keyword,
                **{c: getattr(r, c) for c in extra},
                "left": left,
                "match": mid,
                "right": right,
            }
        )
    return pd.DataFrame(rows)
