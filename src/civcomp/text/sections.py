"""Sections of a job posting (Russian and Kazakh): which part of a posting a dictionary match stands in.

Paper 000 asks whether a posting *specifies digital skills as a requirement*. A corps-B competition
announcement of a Kazakhstan state body carries, besides the position's duties and requirements, the
standard application procedure ("documents may be submitted through the e-government portal «Е-gov»" or
"to the e-mail address"), contacts, legal references and salary tables; a job-board card carries an
employer self-description ("IT-компания") and benefits ("IT-платформа обучения"). Those words are not
requirements. This module finds the sections from their headings and cue phrases, so that only matches in
the **coding unit** (by default duties + requirements, :data:`DEFAULT_CODING_SECTIONS`) make a posting
"digital"; matches elsewhere are reported with their section.

Sections
--------
``header`` (the sentence announcing the competition: «… объявляет общий конкурс»), ``general_requirements`` (общие квалификационные
требования / ортақ біліктілік талаптар), ``duties`` (функциональные обязанности, задачи / функционалдық,
қызметтік міндеттері), ``requirements`` (требования к участникам конкурса, требования, мы ожидаем, будет
плюсом / конкурсқа қатысушыларға қойылатын талаптар), ``skills`` (a job-board card's key-skills list: the
last paragraph of a posting when it is a comma-separated list of short items), ``documents`` (documents
and submission procedure), ``employer`` (о компании, о нас), ``benefits`` (условия, мы предлагаем),
``conditions`` (salary tables and card fields: график, формат работы, должностные оклады), ``contacts``,
``legal`` (legal references), ``education`` (a sentence stating only a field of education) and ``unsectioned``
(text under no heading).

Rules
-----
1. **Headings.** A heading is a cue phrase at the start of a line (after spaces, a bullet or a list number);
   the words of a cue may be separated by any whitespace (text extracted from ``.doc`` files keeps doubled
   spaces). A one-word cue (``Требования``, ``Обязанности``, ``Условия`` …) is a heading only when a colon
   follows within 60 characters on the same line, or nothing else does; a cue of several words needs no colon.
   A heading opens its section, which runs to the next heading.
1b. **Headings inside a line.** A heading cue followed by a colon («Требования:», «Мы предлагаем:», «Условия:»,
   «Талаптар:») or a portal heading of ``inline_headings`` («Требования к кандидату», «Данные по вакансии»,
   «Контактная информация») opens a section inside a line (job-portal cards are often one line); it must start a
   word, and the words of a line-start heading up to its colon are not a second heading. A sentence never runs
   over a heading.
2. **Sentence cues.** A sentence (see :func:`civcomp.text.sentences.sentence_span`) that tells candidates how to apply — documents
   are accepted / sent / submitted, «изъявившие желание», «для участия в конкурсе», «құжаттар …
   қабылданады» — is ``documents`` wherever it stands, even under a requirements heading.
3. **Fallback** (text under no heading, e.g. short cards, and the intro of a card before its first heading):
   a sentence is classified by its cues — application, the announcing sentence (``header``), contacts (an e-mail address, a phone), employer
   self-description («мы — …», «наша компания», «объявляет конкурс»), benefits («предлагаем»), legal
   references («в соответствии с приказом», «зарегистрирован в Министерстве юстиции») — then a requirement or a
   duty by its own cues («знание», «опыт работы», «обязанности», «осуществляет» …), and otherwise stays
   ``unsectioned``, which is coded (``fallback=True``): a posting without headings is coded on its whole
   text minus those sentences. Benefit and equipment sentences («выдаём планшет», «IT-платформа обучения»)
   never count, under any heading.
4. **Field of education.** A sentence that states only a field of education («высшее по специальности:
   информационные системы …») is ``education``, under any heading, and is not coded; one that also asks for
   knowledge, a skill, use or experience is not.

The vocabulary (headings and cues) is ``data/dictionaries/posting_sections.yaml``
(:mod:`civcomp.text.section_vocabulary`).

Only the sentences that contain a match are classified by cues, so segmentation costs a scan for headings
and a few regular-expression tests per match.

References
----------
Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology, 4th ed. Sage (ch. 5, units
of analysis: recording/coding units).
Agency of the Republic of Kazakhstan for Civil Service Affairs, order No. 40 of 21 February 2017 (rules of
competitions for corps-B administrative positions: the announcement states the general qualification
requirements, the position's functional duties and requirements, the list of documents and how they are
submitted).

Examples
--------
>>> seg = Segmenter()
>>> t = ("Функциональные обязанности: ведение ЕСЭДО.\\n"
...      "Требования к участникам конкурса: высшее образование.\\n"
...      "Документы представляются посредством портала «Е-gov».")
>>> [(s.section, t[s.start:s.end][:20]) for s in seg.segment(t)]
[('duties', 'Функциональные обяза'), ('requirements', 'Требования к участни')]
>>> seg.section_at(t, t.index("ЕСЭДО")), seg.section_at(t, t.index("Е-gov"))
('duties', 'documents')

Size: one job, segmenting a posting into sections: the headings, the sentence cues and the segmenter are one instrument, tuned together on the
development part of the real corpus; splitting them would separate a rule from the cases it decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from civcomp.text.normalize import CODE, DROP_CODE, LINE_TABLE, PAGE, SEP, SEP_CODE, SPACE, encode, encode_raw
from civcomp.text.normalize import W as _WORD_BYTE
from civcomp.text.section_names import DEFAULT_CODING_SECTIONS, SECTIONS, UNSECTIONED  # noqa: F401 (re-exported)
from civcomp.text.section_vocabulary import load_section_vocabulary
from civcomp.text.sentences import MAX_STEPS, breaks_and_punctuation, sentence_span, skip_run

VOCABULARY = load_section_vocabulary()
# section -> cue phrases (lower case; a space = any whitespace). Longer cues are tried first.
HEADINGS: dict[str, tuple[str, ...]] = VOCABULARY.headings
_SP_RUN = b"[" + re.escape(bytes([SPACE, DROP_CODE])) + b"]"
_COLON_BYTE = bytes([CODE[":"]])
_COLON = re.escape(_COLON_BYTE)
_LB = re.escape(bytes([SEP_CODE]))


def _enc(s: str) -> bytes:
    return re.escape(encode(s))


_ONE, _MULTI, _MULTI_W = "1", "m", "w"  # trie leaves: one-word cue, several words (ending in a letter: + boundary)


def _cue_key(cue: str) -> bytes:
    return bytes([SPACE]).join(encode(w) for w in cue.split())


def _trie_regex(node: dict) -> bytes:
    alts = []
    for k in sorted((k for k in node if isinstance(k, int)), key=str):
        atom = _SP_RUN + b"+" if k == SPACE else re.escape(bytes([k]))
        alts.append(atom + _trie_regex(node[k]))
    for end in (_MULTI_W, _MULTI, _ONE):  # after the longer continuations: the longest cue wins
        if end in node:
            if end == _ONE:  # a one-word heading needs a colon soon, or to stand alone on its line
                alts.append(b"(?=[^" + _LB + _COLON + b"]{0,60}" + _COLON + b"|" + _SP_RUN + b"*(?:" + _LB + b"|\\Z))")
            elif end == _MULTI_W:
                alts.append(b"(?!" + _WORD_BYTE + b")")
            else:
                alts.append(b"")
    return alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"


def _headings_regex(headings: dict[str, Sequence[str]]) -> tuple[re.Pattern, dict[bytes, str]]:
    """One bytes expression over the folded text with line breaks kept (``LINE_TABLE``): a line break,
    spaces, an optional bullet or list number, then one cue (all cues as one trie); and cue -> section."""
    trie: dict = {}
    section_of: dict[bytes, str] = {}
    for sec, cues in headings.items():
        for cue in cues:
            key = _cue_key(cue.lower())
            if section_of.setdefault(key, sec) != sec:
                raise ValueError(f"heading cue {cue!r} is listed under {section_of[key]!r} and {sec!r}")
            node = trie
            for byte in key:
                node = node.setdefault(byte, {})
            node[_ONE if len(cue.split()) == 1 else (_MULTI_W if cue[-1].isalnum() else _MULTI)] = True
    bullet = (
        b"(?:["
        + b"".join(_enc(c) for c in "-–•*·▪●")
        + b"]|["
        + _enc("0")
        + b"-"
        + _enc("9")
        + b"]{1,2}["
        + _enc(".")
        + _enc(")")
        + b"])?"
    )
    return re.compile(_LB + _SP_RUN + b"*" + bullet + _SP_RUN + b"*(" + _trie_regex(trie) + b")"), section_of


_SPACES = re.compile(_SP_RUN + b"+")


def _inline_regex(
    headings: dict[str, Sequence[str]], inline: dict[str, Sequence[str]]
) -> tuple[re.Pattern, re.Pattern, dict]:
    """Headings inside a line (folded bytes, line breaks kept): a heading cue followed by a colon (group 1), or a
    cue of ``inline`` (group 2), each starting a word; the same cues anywhere (kept only where a glued word starts,
    see :func:`_glued_starts`); and cue -> section."""

    def alt(cues):
        keys = sorted({_cue_key(c) for c in cues}, key=len, reverse=True)
        return b"|".join(re.escape(k).replace(re.escape(bytes([SPACE])), _SP_RUN + b"+") for k in keys)

    section_of = {_cue_key(c): sec for d in (headings, inline) for sec, cues in d.items() for c in cues}
    colon = alt([c for d in (headings, inline) for cues in d.values() for c in cues])
    bare = alt([c for cues in inline.values() for c in cues])
    nw = b"(?<!" + _WORD_BYTE + b")"
    rx = b"(?:(" + colon + b")(?=" + _SP_RUN + b"*" + _COLON + b")|(" + bare + b")(?!" + _WORD_BYTE + b"))"
    return re.compile(nw + rx), re.compile(rx), section_of


# Over the input code page: lower- and upper-case letters (the raw bytes keep case; the folded ones do not)
_LOWER_RAW = np.array([ch.isalpha() and ch.islower() for ch in PAGE] + [False] * (256 - len(PAGE)))
_UPPER_RAW = np.array([ch.isalpha() and ch.isupper() for ch in PAGE] + [False] * (256 - len(PAGE)))


def _glued_starts(line: bytes) -> set[int]:
    """Offsets in a raw line where a capitalised word is glued onto a lower-case one («иногороднимОбязанности:»):
    a scraped card joins its list items with no separator, so a heading there still starts a word."""
    a = np.frombuffer(line, dtype=np.uint8)
    if len(a) < 2:
        return set()
    return set((np.flatnonzero(_LOWER_RAW[a[:-1]] & _UPPER_RAW[a[1:]]) + 1).tolist())


# ------------------------------------------------------------------------------------ sentence cues
# Letters that are neither ASCII nor Cyrillic: a sentence with one is searched with re.IGNORECASE (see _Cue)
_OTHER_LETTER = re.compile(r"[^\W\d_\x00-\x7f\u0400-\u04ff]")


class _Cue:
    """A sentence cue: regular expressions (lower-case), any of which may occur in a sentence, in any case.

    :meth:`search` answers as ``re.compile("|".join(alts), re.IGNORECASE).search(sentence)`` would. For a
    sentence whose letters are all ASCII or Cyrillic it searches the lower-cased sentence for each alternative
    case-sensitively instead — the same answer there (each such letter has a one-letter lower case and no other
    case-insensitive partner among them), several times faster (each alternative then starts with a literal the
    regex engine skips to, where the case-insensitive alternation is tried at every position).
    """

    def __init__(self, *alts: str):
        for a in alts:
            if any(ch.isupper() for ch in re.sub(r"\\.", "", a)):
                raise ValueError(f"a cue is written in lower case: {a!r}")
        self.pattern = re.compile("|".join(alts), re.IGNORECASE)
        self._alts = [re.compile(a) for a in alts]

    def search(self, sentence: str, lowered: str | None = None) -> bool:
        """Whether the cue occurs in ``sentence``; ``lowered``: ``sentence.lower()`` when the sentence has no letter
        other than ASCII and Cyrillic (:func:`_lowered`), else ``None``."""
        if lowered is None:
            return self.pattern.search(sentence) is not None
        return any(rx.search(lowered) for rx in self._alts)


def _lowered(sentence: str) -> str | None:
    return None if _OTHER_LETTER.search(sentence) else sentence.lower()


CUES: dict[str, _Cue] = {k: _Cue(*v) for k, v in VOCABULARY.sentence_cues.items()}
# also documents: a submission channel and an acceptance verb in one line of a sentence, in either order (two
# searches: one regex with two ``(?=.*?…)`` lookaheads rescans the line from every position, quadratic in its length)
_CHANNEL = _Cue(*VOCABULARY.application_channel)
_ACCEPT = _Cue(*VOCABULARY.application_accept)


def _is_application(sentence: str, lowered: str | None = None) -> bool:
    """Whether a sentence tells candidates how to apply (the ``documents`` cues; ``lowered`` as for
    :meth:`_Cue.search`)."""
    if CUES["documents"].search(sentence, lowered):
        return True
    if not (_CHANNEL.search(sentence, lowered) and _ACCEPT.search(sentence, lowered)):
        return False
    lines = sentence.split("\n")
    low = [None] * len(lines) if lowered is None else lowered.split("\n")
    return any(_CHANNEL.search(x, lx) and _ACCEPT.search(x, lx) for x, lx in zip(lines, low))


_FALLBACK_ORDER = ("documents", "header", "contacts", "legal", "employer", "benefits")
# Cues strong enough to end a heading's section at this sentence: real announcements often start the
# contacts or the notes without a heading of their own, right after the requirements.
OVERRIDES: dict[str, _Cue] = {k: _Cue(*v) for k, v in VOCABULARY.overrides.items()}
# in text under no heading, after the fallback cues: a requirement or a duty by its own cues
UNSECTIONED_CUES: dict[str, _Cue] = {k: _Cue(*v) for k, v in VOCABULARY.unsectioned_cues.items()}


class Section(NamedTuple):
    """A heading-defined section of a text: ``[start, end)`` in the text."""

    section: str
    start: int
    end: int


_LIST_ITEM = re.compile(r"^[^.!?;\n]{1,60}$")


def skills_start(text: str, start: int) -> int:
    """Start of the trailing key-skills paragraph (a one-line comma list of short items after a blank line,
    at or after ``start``), or -1. Looks only at the last line, so it costs little on any text."""
    end = len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    k = max(text.rfind("\n", start, end), text.rfind("\u2028", start, end))
    if k < start or text.count(",", k, end) < 1:
        return -1
    j = k - 1  # the line before must be blank
    while j >= start and text[j] in " \t\r\u00a0":
        j -= 1
    if j < start or text[j] not in "\n\u2028":
        return -1
    items = [x.strip() for x in text[k + 1 : end].split(",")]
    if all(_LIST_ITEM.match(x) for x in items if x):
        return k + 1
    return -1


_LINE_FOLD = np.frombuffer(LINE_TABLE, dtype=np.uint8)  # input code page -> folded, line breaks kept


def _raw_table(folded: Sequence[int]) -> np.ndarray:
    """Over the input code page: whether a byte folds (line breaks kept) to one of the ``folded`` bytes."""
    return np.isin(_LINE_FOLD, list(folded))


def _code3(a: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The three folded bytes at ``p`` of the input-code-page bytes ``a``, as one number."""
    f = _LINE_FOLD
    return (f[a[p]].astype(np.int64) << 16) | (f[a[p + 1]].astype(np.int64) << 8) | f[a[p + 2]]


def merge(pos: np.ndarray, secs: list[str], ip: np.ndarray, isec: list[str], shift: int = 0):
    """Line-start and inline headings in one sorted list (a position found by both kept once)."""
    if not len(ip):
        return pos + shift, secs
    keep = ~np.isin(ip, pos)
    allp = np.concatenate([pos, ip[keep]])
    alls = [*secs, *(s for s, k in zip(isec, keep.tolist()) if k)]
    order = np.argsort(allp, kind="stable")
    return allp[order] + shift, [alls[i] for i in order.tolist()]


class Segmenter:
    """Headings → sections; sentence cues → the section of one position (see the module docstring).

    Parameters
    ----------
    headings : mapping, optional
        Section → cue phrases (default :data:`HEADINGS`).
    inline : mapping, optional
        Section → cue phrases that are headings inside a line without a colon (default: the vocabulary's).
    """

    def __init__(
        self, headings: dict[str, Sequence[str]] | None = None, inline: dict[str, Sequence[str]] | None = None
    ):
        self.pattern, self._section_of = _headings_regex(HEADINGS if headings is None else headings)
        self._inline, self._inline_anywhere, self._inline_section = _inline_regex(
            HEADINGS if headings is None else headings, VOCABULARY.inline_headings if inline is None else inline
        )
        self._inline_memo: dict[bytes, tuple] = {}
        # prefilter: the first three bytes of a line after its spaces, and after a bullet or list number and spaces
        # (most lines of a posting are not headings). A cue shorter than three bytes, or with a space among them,
        # marks every continuation of its bytes up to the space (a cue's words may be separated by several spaces).
        first3 = np.zeros(1 << 24, dtype=bool)
        for key in self._section_of:
            k = key[:3]
            if SPACE in k:
                k = k[: k.index(SPACE) + 1]
            shift = 8 * (3 - len(k))
            code = int.from_bytes(k, "big") << shift
            first3[code : code + (1 << shift)] = True
        self._first3 = first3
        # over the input code page (the prefilter reads the raw bytes, folded as the headings regex sees them)
        self._space = _raw_table([SPACE, DROP_CODE])
        self._bullet = _raw_table([encode(ch)[0] for ch in "-–•*·▪●"])
        self._digit = _raw_table([encode(ch)[0] for ch in "0123456789"])
        self._closer = _raw_table([encode(ch)[0] for ch in ".)"])
        self._lead = self._space | self._bullet | self._digit
        self._line_memo: dict[bytes, tuple] = {}

    def _heading(self, m: re.Match | None) -> tuple[int, str] | tuple[()]:
        """(offset of the cue in its line, section) of a heading match, or ``()``."""
        if m is None:
            return ()
        cue = m.group(1)
        sec = self._section_of.get(cue)
        if sec is None:  # doubled spaces or a dropped character inside the cue
            sec = self._section_of[_SPACES.sub(bytes([SPACE]), cue)]
        return m.start(1), sec

    def headings(self, text: str) -> tuple[np.ndarray, list[str]]:
        """Positions and sections of the headings in ``text`` (a heading must follow a line break, a record
        separator or the start of the text)."""
        raw = encode_raw(SEP + text)
        pos, secs = self.headings_in(raw)
        lb = breaks_and_punctuation(raw)[0]
        ip, isec = self.inline_in(raw, lb, np.arange(len(lb)))
        return merge(pos, secs, ip, isec, -1)

    def inline_in(self, raw: bytes, lb: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Headings inside the lines ``lines`` (indices into the line breaks ``lb``) of a text encoded as for
        :meth:`headings_in`: a heading cue followed by a colon, or an inline cue (rule 1b)."""
        pos, secs = [], []
        ends = np.append(lb, len(raw))
        memo, finditer, section_of = self._inline_memo, self._inline.finditer, self._inline_section
        if len(memo) > 200_000:
            memo.clear()
        for k in np.unique(lines).tolist():
            p = int(lb[k])
            line = raw[p : int(ends[k + 1])]
            hit = memo.get(line)
            if hit is None:
                folded = line.translate(LINE_TABLE)
                # a line that opens with a heading: the words up to its colon are that heading («Общие
                # квалификационные требования к участникам конкурса:»), not a second one
                head = self.pattern.match(folded)
                skip = -1
                if head is not None:
                    skip = folded.find(_COLON_BYTE, head.end(1), head.end(1) + 60)
                    skip = head.end(1) if skip < 0 else skip
                found = [m for m in finditer(folded) if m.start() > skip]
                glued = _glued_starts(line)
                if glued:
                    found += [
                        m for m in self._inline_anywhere.finditer(folded) if m.start() in glued and m.start() > skip
                    ]
                    found.sort(key=lambda m: m.start())
                hit = memo[line] = tuple(
                    (m.start(), section_of.get(m.group(), None) or section_of[_SPACES.sub(bytes([SPACE]), m.group())])
                    for m in found
                )
            for off, sec in hit:
                pos.append(p + off)
                secs.append(sec)
        return np.array(pos, dtype=np.int64), secs

    def headings_in(self, raw: bytes, lb: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
        """:meth:`headings` in a text encoded in the input code page (:func:`civcomp.text.normalize.encode_raw`),
        which starts with a line break (``lb``: the offsets of its line breaks, if already known, as from
        :func:`civcomp.text.sentences.breaks_and_punctuation`)."""
        pos, secs = [], []
        a = np.frombuffer(raw + SEP.encode() * (MAX_STEPS + 4), dtype=np.uint8)
        if lb is None:
            lb = breaks_and_punctuation(raw)[0]
        # where a cue can start: at the line's start, or, on a line that starts with a space, bullet or digit, after
        # its spaces (q) or after a bullet or list number and spaces (r)
        keep = self._first3[_code3(a, lb + 1)]
        lead = np.flatnonzero(self._lead[a[lb + 1]])
        q, long_q = skip_run(a, lb[lead] + 1, self._space, 1)
        b = a[q]
        two = self._digit[b] & self._digit[a[q + 1]] & self._closer[a[q + 2]]
        one = self._digit[b] & self._closer[a[q + 1]]
        r, long_r = skip_run(a, q + np.where(self._bullet[b], 1, np.where(two, 3, np.where(one, 2, 0))), self._space, 1)
        keep[lead] |= self._first3[_code3(a, q)] | self._first3[_code3(a, r)] | long_q | long_r
        keep = np.flatnonzero(keep)
        # a line's heading depends on the line alone: memoised by its bytes (announcements repeat their headings)
        match, memo = self.pattern.match, self._line_memo
        if len(memo) > 200_000:
            memo.clear()
        ends = np.append(lb, len(raw))[keep + 1].tolist()
        for p, e in zip(lb[keep].tolist(), ends):
            line = raw[p:e]
            hit = memo.get(line)
            if hit is None:
                hit = memo[line] = self._heading(match(line.translate(LINE_TABLE)))
            if hit:
                pos.append(p + hit[0])
                secs.append(hit[1])
        return np.array(pos, dtype=np.int64), secs

    def segment(self, text: str) -> list[Section]:
        """The heading-defined sections of ``text`` in order (text before the first heading is not listed)."""
        pos, secs = self.headings(text)
        out = [Section(s, int(p), int(q)) for s, p, q in zip(secs, pos, [*pos[1:].tolist(), len(text)])]
        k = skills_start(text, int(pos[-1]) if len(pos) else 0)
        if k >= 0:
            out = [Section(s.section, s.start, min(s.end, k)) for s in out if s.start < k]
            out.append(Section("skills", k, len(text)))
        return out

    def section_at(self, text: str, pos: int, sections: list[Section] | None = None) -> str:
        """The section of the character ``text[pos]``: its heading section, then sentence cues (rules 1–3)."""
        sections = self.segment(text) if sections is None else sections
        sec, lo, hi = UNSECTIONED, 0, len(text)
        for s in sections:
            if s.start <= pos < s.end:
                sec, lo, hi = s.section, s.start, s.end
            elif s.start <= pos:
                lo = max(lo, s.end)
            else:
                hi = min(hi, s.start)
        return classify(text, pos, sec, lo, hi)


def classify(text: str, pos: int, section: str, start: int = 0, end: int | None = None) -> str:
    """Apply the sentence cues to a position whose heading section is ``section`` (rules 2 and 3); the sentence is
    cut to ``[start, end)`` (its section: a heading inside a line ends a sentence).

    Examples
    --------
    >>> classify("Мы — IT-компания. Знание SQL.", 5, "unsectioned")
    'employer'
    >>> classify("Мы — IT-компания. Знание SQL.", 25, "unsectioned")  # a requirement by its own cue
    'requirements'
    >>> classify("Клиенты довольны. Отчёт в SQL.", 25, "unsectioned")
    'unsectioned'
    """
    if section in ("documents", "skills"):
        return section
    s, e = sentence_span(text, pos)
    return classify_sentence(text[max(s, start) : e if end is None else min(e, end)], section)


def classify_sentence(sentence: str, section: str) -> str:
    """The section of a sentence found under the heading section ``section`` (rules 2 and 3).

    Examples
    --------
    >>> classify_sentence("Документы принимаются по электронной почте.", "requirements")
    'documents'
    >>> classify_sentence("Мы предлагаем ДМС и обучение.", "unsectioned")
    'benefits'
    """
    if section in ("documents", "skills"):
        return section
    lowered = _lowered(sentence)
    if _is_application(sentence, lowered):
        return "documents"
    for name, cue in OVERRIDES.items():
        if cue.search(sentence, lowered):
            return name
    if section != UNSECTIONED:
        return section
    for name in _FALLBACK_ORDER[1:]:
        if CUES[name].search(sentence, lowered):
            return name
    for name, cue in UNSECTIONED_CUES.items():
        if cue.search(sentence, lowered):
            return name
    return UNSECTIONED
