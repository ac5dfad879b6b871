"""The one-pass matcher: every dictionary term in every posting, with its span in the original text.

A posting *specifies a digital skill* when a term of the dictionary
(``data/dictionaries/digital_skills.yaml``) occurs outside an excluded context in its **coding unit**:
by default the duties and requirements sections (:mod:`civcomp.text.sections`), minus sentences repeated
verbatim across the corpus outside those sections (:mod:`civcomp.text.boilerplate`); ``coding_sections=None``
codes the whole text. The matcher reports, per posting, yes/no, the tiers of the counted terms, and each
match with its dictionary entry, character span in the ORIGINAL text, section and whether it counted, so a
reader can see why a posting was coded as it was (:func:`kwic`).

Sections cost little: the headings are found by one more bytes expression over the same folded text (line
breaks kept), the sentences around all the matches of a batch (for the cue rules and the boilerplate key) by
array operations over its code page (:func:`civcomp.text.sentences.sentence_spans`), and each sentence is
classified once (memoised).

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
range; invisible characters are dropped (one C byte search finds whether there are any), while runs of
spaces are left as they are (a space in a term matches a run of spaces). ONE compiled regular expression — the whole dictionary as
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

Size: one job, finding and counting dictionary terms in sectioned text (the terms' regexes and prefilter are
:mod:`civcomp.text.patterns`).
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
    NOT_W,
    SEP,
    SEP_CODE,
    SPACE,
    encode_raw,
    fold_drop,
)
from civcomp.text.patterns import END, HY, PREFIX_LEN, SP, SPACES, WILD, Prefilter, entry_regex, term_atoms, trie_regex
from civcomp.text.sections import (
    DEFAULT_CODING_SECTIONS,
    SECTIONS,
    UNSECTIONED,
    Segmenter,
    classify_sentence,
    merge,
    skills_start,
)
from civcomp.text.sentences import breaks_and_punctuation, sentence_spans


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
_SECTION_ID = {name: i for i, name in enumerate(SECTIONS)}
_SECTION_NAMES = np.array(SECTIONS, dtype=object)
_TWO_SPACES, _RUN = bytes([SPACE, SPACE]), re.compile(SPACES)
_PAD = bytes([SEP_CODE]) * (PREFIX_LEN + 1)


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
            for a in term_atoms(e.term):
                node = node.setdefault(a, {})
            node[END] = e
        self.pattern = re.compile(NOT_W + b"(" + trie_regex(trie) + b")")
        self._prefilter = Prefilter(dictionary.entries)
        # the entry behind a matched string: literal entries by lookup, the others by fullmatch
        # (memoised: the same inflected forms recur across a corpus)
        self._exact: dict[bytes, Entry] = {}
        self._patterns: list[tuple[re.Pattern, Entry]] = []
        for e in dictionary.entries:
            atoms = term_atoms(e.term)
            if WILD in atoms or HY in atoms:
                self._patterns.append((entry_regex(e), e))
            else:
                self._exact[bytes(SPACE if a == SP else a for a in atoms)] = e
        self._memo: dict[bytes, Entry] = {}
        self._sent_memo: dict[tuple[str, str], tuple[str, str]] = {}

    def _identify(self, matched: bytes) -> Entry:
        e = self._memo.get(matched)
        if e is None and _TWO_SPACES in matched:  # a run of spaces: the entry is that of its one-space form
            e = self._memo[matched] = self._identify(_RUN.sub(bytes([SPACE]), matched))
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

    def match_texts(self, texts: Iterable[Any]) -> list:
        """:meth:`code` in two halves, for a corpus coded by several processes: first the matches of every text
        (``None``: none), boilerplate not yet decided; then :meth:`match_keys` for the boilerplate counts and
        :meth:`finish` with the corpus's flagged sentences. ``finish(match_texts(t), m.flagged())`` is
        ``code(t, boilerplate=m)``."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        raw: list = []
        for i, j in self._batches(texts):
            raw.extend(self._raw_batch(texts[i:j]))
        return raw

    @staticmethod
    def match_keys(raw: list) -> list[set[str]]:
        """Per text of :meth:`match_texts`, the keys of its sentences that hold a match (as :meth:`sentence_keys`)."""
        return [{it[4] for it in r if it[4]} if r else set() for r in raw]

    def finish(self, raw: list, flagged: frozenset = frozenset()) -> list[Coding]:
        """The codings of :meth:`match_texts`'s texts, the sentence keys in ``flagged`` being boilerplate."""
        return [self._assemble(r, flagged) if r else _EMPTY for r in raw]

    def new_boilerplate_model(self) -> BoilerplateModel:
        """An empty model with this matcher's boilerplate rule (fill it with :meth:`BoilerplateModel.update`)."""
        return BoilerplateModel(**self._bp_rule)

    def _model(self, raw: list, setting: Any) -> BoilerplateModel | None:
        if setting is None or self.coding_sections is None:
            return None
        if isinstance(setting, BoilerplateModel):
            return setting
        return self.new_boilerplate_model().update({it[4] for it in r if it[4]} if r else () for r in raw)

    def _counts(self, entry: Entry, section: str, boiler: bool, unheaded: bool) -> bool:
        """Whether a match counts; ``unheaded``: its text is under no heading (its section comes from the
        sentence's own cues, rule 3)."""
        if self.coding_sections is None:
            return True
        if boiler and (self.boilerplate_scope == "all" or unheaded):
            return False
        if unheaded and not self.fallback:
            return False
        if section in self._coding:
            return True
        return section == UNSECTIONED and entry.context != REQUIREMENT

    def _assemble(self, items: list, flagged: frozenset) -> Coding:
        hits, exc, counted = [], [], set()
        new, counts = tuple.__new__, self._counts  # (tuple.__new__: a Match without the keyword-argument binding)
        for entry, so, eo, sec, key, mtext, unheaded in items:
            if entry.excluded:
                exc.append(new(Match, (entry.term, EXCLUDED, so, eo, mtext, sec, False, False)))
                continue
            bp = key in flagged
            c = counts(entry, sec, bp, unheaded)
            if c:
                counted.add(entry.tier)
            hits.append(new(Match, (entry.term, entry.tier, so, eo, mtext, sec, c, bp)))
        tiers = tuple(sorted(counted, key=self._tier_rank.__getitem__))
        return Coding(bool(counted), tiers, tuple(hits), tuple(exc))

    def _classify(self, sentence: str, heading_section: str) -> tuple[str, str]:
        """(section, sentence key) of a match's sentence: the sentence cues applied to its heading section."""
        memo_key = (sentence, heading_section)
        hit = self._sent_memo.get(memo_key)
        if hit is None:
            if len(self._sent_memo) > 1_000_000:
                self._sent_memo.clear()
            hit = (classify_sentence(sentence, heading_section), sentence_key(sentence))
            self._sent_memo[memo_key] = hit
        return hit

    def _raw_batch(self, texts: list[str]) -> list:
        """Per text: None, or a list of (entry, start, end, section, sentence key, matched text, under no heading)
        in text order."""
        joined = SEP + SEP.join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        starts = np.cumsum(lengths) - lengths + 1  # offset of each text in ``joined``
        raw = encode_raw(joined)
        norm, removed = fold_drop(raw)
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
        known, ident = self._memo.get, self._identify
        # one flat list of matches in text order, then one slice per text
        first = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])  # each text's first match
        text_of = which.tolist()
        if self.coding_sections is None:
            flat = [
                (known(m) or ident(m), so, eo, "", None, texts[k][so:eo], False)
                for m, k, so, eo in zip((norm[a:b] for a, b in spans), text_of, s.tolist(), e.tolist())
            ]
            return self._per_text(out, flat, which, first)
        # heading section of every match: the last heading before it in the same text; then the key-skills list
        lb, punct = breaks_and_punctuation(raw)
        hp, hs = self.segmenter.headings_in(raw, lb)
        # headings inside the lines that hold a match (a line's inline headings matter only up to its end)
        ip, isec = self.segmenter.inline_in(raw, lb, np.searchsorted(lb, gs, side="right") - 1)
        hp, hs = merge(hp, hs, ip, isec)
        base = starts[which]
        sec = np.full(len(gs), _SECTION_ID[UNSECTIONED])
        hpos = np.zeros(len(gs), dtype=np.int64)
        if len(hp):
            h = np.searchsorted(hp, gs, side="right") - 1
            own = np.flatnonzero((h >= 0) & (hp[np.maximum(h, 0)] >= base))
            sec[own] = np.fromiter(map(_SECTION_ID.__getitem__, hs), dtype=np.int64, count=len(hs))[h[own]]
            hpos[own] = hp[h[own]] - base[own]
        ks = np.array([skills_start(texts[k], p) for k, p in zip(which[first].tolist(), hpos[first].tolist())])
        ks = np.repeat(ks, np.diff(np.r_[first, len(which)]))
        sec[(ks >= 0) & (ks <= s)] = _SECTION_ID["skills"]
        # the sentence of every match, classified by its cues (memoised by sentence and heading section)
        sent_s, sent_e = sentence_spans(texts, which, gs, raw, starts, lb, punct)
        if len(hp):  # a sentence does not run over a heading of its text
            h = np.searchsorted(hp, gs, side="right")
            prev = hp[np.maximum(h - 1, 0)]
            sent_s = np.where((h > 0) & (prev >= base), np.maximum(sent_s, prev), sent_s)
            nxt = np.append(hp, np.iinfo(np.int64).max)[h]
            sent_e = np.minimum(sent_e, nxt)
        memo, classify = self._sent_memo.get, self._classify
        names = _SECTION_NAMES[sec].tolist()
        flat = []
        append = flat.append
        for (a, b), k, so, eo, name, ss, se in zip(
            spans, text_of, s.tolist(), e.tolist(), names, (sent_s - base).tolist(), (sent_e - base).tolist()
        ):
            text = texts[k]
            key = (text[ss:se], name)
            hit = memo(key) or classify(*key)
            m = norm[a:b]
            append((known(m) or ident(m), so, eo, hit[0], hit[1], text[so:eo], name == UNSECTIONED))
        return self._per_text(out, flat, which, first)

    @staticmethod
    def _per_text(out: list, flat: list, which: np.ndarray, first: np.ndarray) -> list:
        """``out[k]``: the slice of ``flat`` (matches in text order) that belongs to text ``k``."""
        bounds = np.r_[first, len(flat)].tolist()
        for k, i, j in zip(which[first].tolist(), bounds, bounds[1:]):
            out[k] = flat[i:j]
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
    [['basic_literacy_office', 'requirements', 1], ['data_analytics', 'requirements', 1], ['excluded', 'requirements', 0]]
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
