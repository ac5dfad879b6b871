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
``legal`` (legal references) and ``unsectioned`` (text under no heading).

Rules
-----
1. **Headings.** A heading is a cue phrase at the start of a line (after spaces, a bullet or a list number);
   the words of a cue may be separated by any whitespace (text extracted from ``.doc`` files keeps doubled
   spaces). A one-word cue (``Требования``, ``Обязанности``, ``Условия`` …) is a heading only when a colon
   follows within 60 characters on the same line, or nothing else does; a cue of several words needs no colon.
   A heading opens its section, which runs to the next heading.
2. **Sentence cues.** A sentence (see :func:`sentence_span`) that tells candidates how to apply — documents
   are accepted / sent / submitted, «изъявившие желание», «для участия в конкурсе», «құжаттар …
   қабылданады» — is ``documents`` wherever it stands, even under a requirements heading.
3. **Fallback** (text under no heading, e.g. short cards, and the intro of a card before its first heading):
   a sentence is classified by its cues — application, the announcing sentence (``header``), contacts (an e-mail address, a phone), employer
   self-description («мы — …», «наша компания», «объявляет конкурс»), benefits («предлагаем»), legal
   references («в соответствии с приказом», «зарегистрирован в Министерстве юстиции») — and otherwise stays
   ``unsectioned``, which is coded (``fallback=True``): a posting without headings is coded on its whole
   text minus those sentences.

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

Size: the headings, the sentence cues and the segmenter are one instrument, tuned together on the
development part of the real corpus; splitting them would separate a rule from the cases it decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from civcomp.text.normalize import _CODE, _DROP, _SEP, _SPACE, SEP, _encode, _encode_lines
from civcomp.text.normalize import _W as _WORD_BYTE

SECTIONS = (
    "header",
    "general_requirements",
    "duties",
    "requirements",
    "skills",
    "documents",
    "employer",
    "benefits",
    "conditions",
    "contacts",
    "legal",
    "notes",
    "unsectioned",
)
DEFAULT_CODING_SECTIONS = ("general_requirements", "duties", "requirements", "skills")
UNSECTIONED = "unsectioned"

# ------------------------------------------------------------------------------------ headings
# section -> cue phrases (lower case; a space = any whitespace). Longer cues are tried first.
HEADINGS: dict[str, tuple[str, ...]] = {
    "general_requirements": (
        "общие квалификационные требования",
        "общие требования к участникам конкурса",
        "квалификационные требования",
        "для категории",
        "конкурсқа қатысушыларға қойылатын жалпы біліктілік талаптары",
        "барлық конкурс қатысушыларына арналған",
        "ортақ біліктілік талаптар",
        "жалпы біліктілік талаптар",
        "біліктілік талаптары",
        "біліктілік талаптар",
    ),
    "duties": (
        "основные функциональные обязанности",
        "функциональные обязанности",
        "должностные обязанности",
        "основные обязанности",
        "обязанности",
        "основные задачи",
        "ключевые задачи",
        "ваши задачи",
        "задачи",
        "чем предстоит заниматься",
        "что нужно делать",
        "что нужно будет делать",
        "вам предстоит",
        "тебе предстоит",
        "чем тебе предстоит заниматься",
        "чем вам предстоит заниматься",
        "что ты будешь делать",
        "что вы будете делать",
        "что предстоит делать",
        "функции",
        "функционал",
        "негізгі функционалдық міндеттері",
        "функционалдық міндеттері",
        "қызметтік міндеттері",
        "лауазымдық міндеттері",
        "негізгі міндеттері",
        "міндеттері",
        "міндеттер",
    ),
    "requirements": (
        "требования к участникам конкурса",
        "требования к кандидату",
        "требования к кандидатам",
        "требования",
        "мы ожидаем от кандидата",
        "мы ожидаем",
        "что мы ожидаем",
        "наши ожидания",
        "мы ждем",
        "что мы ждем",
        "что для нас важно",
        "что важно",
        "кого мы ищем",
        "кто нам нужен",
        "у нашего идеального кандидата",
        "что нужно от тебя",
        "наш идеальный кандидат",
        "идеальный кандидат",
        "мы ищем",
        "мы ждем от тебя",
        "что мы ждем от тебя",
        "что мы ждем от кандидата",
        "будет плюсом",
        "будет преимуществом",
        "особым преимуществом",
        "преимуществом будет",
        "желательно",
        "необходимые навыки",
        "технические навыки",
        "hard skills",
        "навыки",
        "технологический стек",
        "наш стек",
        "стек",
        "знания",
        "личные качества",
        "образование",
        "опыт работы",
        "конкурсқа қатысушыларға қойылатын талаптар",
        "үміткерге қойылатын талаптар",
        "қойылатын талаптар",
        "талаптар",
    ),
    "skills": ("ключевые навыки",),
    "documents": (
        "необходимые для участия в конкурсе документы",
        "для участия в конкурсе необходимо",
        "документы для участия",
        "прилагаемые документы",
        "перечень документов",
        "документы",
        "құжаттар тізбесі",
        "қажетті құжаттар",
        "граждане, изъявившие желание",
        "как откликнуться",
        "жалпы конкурсқа қатысу үшін қажетті құжаттар",
        "конкурсқа қатысу үшін қажетті құжаттар",
        "қоса берілген құжаттар",
        "конкурсқа қатысуға ниет білдірген",
        "порядок приема документов",
        "прием документов",
        "құжаттарды қабылдау тәртібі",
        "құжаттарды қабылдау",
    ),
    "employer": (
        "о компании",
        "о нас",
        "кто мы",
        "о банке",
        "компания о себе",
        "компания",
        "біз туралы",
        "компания туралы",
    ),
    "benefits": (
        "что мы предлагаем",
        "мы предлагаем",
        "что предлагаем",
        "предлагаем",
        "условия работы",
        "дополнительные условия",
        "условия",
        "мы гарантируем",
        "наши бенефиты",
        "бенефиты",
        "социальный пакет",
        "что тебя ждет",
        "біз ұсынамыз",
        "жағдайлар",
    ),
    "conditions": (
        "должностные оклады",
        "должностной оклад",
        "график работы",
        "график",
        "рабочие часы",
        "формат работы",
        "режим работы",
        "форма найма",
        "место работы",
        "заработная плата",
        "лауазымдық жалақы",
        "лауазымдық жалақысы",
        "мемлекеттік әкімшілік қызметшілердің лауазымдық",
    ),
    "contacts": (
        "контакты",
        "телефон для справок",
        "справки по телефону",
        "телефоны",
        "адрес",
        "байланыс",
        "анықтама телефоны",
    ),
    "notes": ("дополнительная информация", "памятка кандидатам", "примечание", "қосымша ақпарат", "ескерту"),
    "legal": (
        "общий конкурс проводится",
        "конкурс проводится в соответствии",
        "участники и кандидаты имеют право",
        "конкурс қатысушылары мен кандидаттары",
        "жалпы конкурс қазақстан",
    ),
}
_SP_RUN = b"[" + re.escape(bytes([_SPACE, _DROP])) + b"]"
_COLON = re.escape(bytes([_CODE[":"]]))
_LB = re.escape(bytes([_SEP]))


def _enc(s: str) -> bytes:
    return re.escape(_encode(s))


_ONE, _MULTI, _MULTI_W = "1", "m", "w"  # trie leaves: one-word cue, several words (ending in a letter: + boundary)


def _cue_key(cue: str) -> bytes:
    return bytes([_SPACE]).join(_encode(w) for w in cue.split())


def _trie_regex(node: dict) -> bytes:
    alts = []
    for k in sorted((k for k in node if isinstance(k, int)), key=str):
        atom = _SP_RUN + b"+" if k == _SPACE else re.escape(bytes([k]))
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
    """One bytes expression over the folded text with line breaks kept (:func:`_encode_lines`): a line break,
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


# ------------------------------------------------------------------------------------ sentence cues
def _rx(*alts: str) -> re.Pattern:
    return re.compile("|".join(alts), re.IGNORECASE)


_W = r"[^\s.;!?]*"
_GAP = r"(?:\S+\s+){0,6}?"
CUES: dict[str, re.Pattern] = {
    "documents": _rx(
        rf"документ{_W}\s+{_GAP}(?:принима|направля|представля|пода[её]т|подаю|подать|предоставля|сда[её]т|сдаю)",
        rf"(?:принима|направля|представля|пода)\w*\s+{_GAP}документ",
        r"изъявивш\w*\s+желание",
        r"для\s+участия\s+в\s+(?:общем\s+|внутреннем\s+)?конкурсе",
        r"посредством\s+(?:портала|информационной\s+системы)",
        r"резюме\w*\s+" + _GAP + r"(?:отправ|присыл|направ)",
        r"(?:отправ|присыл|направ)\w*\s+" + _GAP + r"резюме",
        r"откликнуться",
        r"откликайтесь",
        rf"құжат{_W}\s+{_GAP}(?:қабылдан|тапсыр|жіберіл|ұсын)",
        r"ниет\s+білдірген",
        r"конкурсқа\s+қатысу\s+үшін",
        r"арқылы\s+(?:\S+\s+){0,4}?тапсыр",
        # a submission channel and an acceptance verb in one sentence, in either order
        r"(?=.*?(?:egov|e-gov|е-gov|портал|почт|пошта|e-qyzmet|е-қызмет|@))"
        r"(?=.*?(?:принима|принят|қабылдан|тапсыр|направля|подают|подаются|представляются|жібер))",
    ),
    "contacts": _rx(r"[\w.+-]+@[\w-]+\.[\w.]+", r"телефон", r"\bтел\s*[.:]", r"\bфакс", r"анықтама"),
    "header": _rx(
        r"объявляет\s+(?:\S+\s+){0,2}?конкурс",
        r"конкурс\w*\s+жариялайды",
        # the position line of an announcement: "Главный специалист отдела …, категория C-R-4"
        r"специалист\w*\s+(?:\S+\s+){0,10}?категори\w*\s+[a-zа-я]-",
        r"маман\w*\s+(?:\S+\s+){0,10}?санат",
    ),
    "employer": _rx(
        r"(?:^|\s)мы\s*[—–-]\s",
        r"\s[—–-]\s*(?:это\s|перв|крупн|ведущ|лидер|надежн|один\s+из)",
        r"наша\s+компания",
        r"нашей\s+компании",
        r"наш\s+банк",
        r"является\s+(?:\S+\s+){0,3}?"
        r"(?:компани|лидер|оператор|интегратор)",
        r"(?:it|ит)[-\s]?(?:компани|интегратор)",
        r"о\s+компании",
    ),
    "benefits": _rx(
        r"предлагаем",
        r"гарантируем",
        r"предоставляем",
        r"компенсаци",
        r"\bдмс\b",
        r"скидк",
        r"ұсынамыз",
        r"бонус",
        r"корпоративн\w+\s+(?:обучени|библиотек|жизн|мероприят)",
    ),
    "legal": _rx(
        r"в\s+соответствии\s+с\s+(?:приказом|законом|правилами|постановлением)",
        r"зарегистрирован\w*\s+в\s+(?:министерстве|реестре)",
        r"тіркелген",
        r"бұйрығ\w+\s+бекіт",
    ),
}
_FALLBACK_ORDER = ("documents", "header", "contacts", "legal", "employer", "benefits")
# Cues strong enough to end a heading's section at this sentence: real announcements often start the
# contacts or the notes without a heading of their own, right after the requirements.
OVERRIDES: dict[str, re.Pattern] = {
    "contacts": _rx(
        r"[\w.+-]+@[\w-]+\.[\w.]+",
        r"(?:телефон|тел\s*[.:]|байланыс|анықтама)\w*\W+(?:\S+\s+){0,8}?[8+(]?\s*\(?\d{3,5}\)?[\s-]*\d",
    ),
    "benefits": _rx(
        r"рабоч\w+\s+мест\w*,?\s+(?:\S+\s+){0,2}?оснащ",
        r"жұмыс\s+орн\w*\s+(?:\S+\s+){0,2}?жабдық",
        r"трудов\w+\s+отпуск",
        r"еңбек\s+демалыс",
        r"пособи\w*\s+на\s+оздоровлени",
        r"сауықтыру",
        r"бесплатн\w+\s+обучени",
        r"тегін\s+оқу",
    ),
    "notes": _rx(
        r"техническ\w+\s+поддержк\w+\s+(?:\S+\s+){0,3}?портал", r"портал\w*\s+(?:\S+\s+){0,3}?техникалық\s+қолда"
    ),
}

# sentence boundary: . ; ! ? followed by a space; a line break before an upper-case letter, bullet or digit,
# or after a line that ends with punctuation; a blank line; the text separator
_BOUNDARY = re.compile(
    r"[.;!?](?=\s)|[.;:!?][ \t]*[\n\u2028]|\n[ \t]*\n"
    r"|[\n\u2028](?=[ \t\u00a0]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9•\-–*·▪●])|\x1e"
)
# (every alternative starts with a character class, so the regex engine skips ahead fast)


_LINE_BREAKS = "\n\u2028\x1e"
_ITEM_START = re.compile(r"[ \t\u00a0]*(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9•\-–*·▪●]|$)")
_PUNCT_SPACE = re.compile(r"[.;!?](?=\s)")


def _line_start(text: str, pos: int, lo: int) -> int:
    return max(lo, text.rfind("\n", lo, pos) + 1, text.rfind("\u2028", lo, pos) + 1, text.rfind("\x1e", lo, pos) + 1)


def sentence_span(text: str, pos: int, window: int = 600, line_start: int | None = None) -> tuple[int, int]:
    """The sentence around ``text[pos]``: from after the previous boundary to the next one (inclusive).

    Boundaries: ``. ; ! ?`` before a space, a blank line, and a line break that starts an item (the next line
    begins with a capital, a digit or a bullet) or follows punctuation — so a phrase wrapped over lines stays
    in one sentence, and a list of requirements is a list of sentences. Looks at most ``window`` characters
    each way. (Searched backwards line by line, so it costs a few string searches, not a regex over the window;
    ``line_start``, the start of ``pos``'s line when the caller knows it, saves the first search.)

    Examples
    --------
    >>> t = "Требования: знание Excel;\\nопыт работы. Документы\\nпринимаются по почте."
    >>> s, e = sentence_span(t, t.index("Excel")); t[s:e]
    'Требования: знание Excel;'
    >>> s, e = sentence_span(t, t.index("принимаются")); t[s:e].split()
    ['Документы', 'принимаются', 'по', 'почте.']
    """
    lo = max(0, pos - window)
    start = _line_start(text, pos, lo) if line_start is None else max(lo, line_start)
    while start > lo:  # does the previous line run on into this one?
        if text[start - 1] == "\x1e" or _ITEM_START.match(text, start):
            break
        j = start - 2
        while j >= lo and text[j] in " \t\u00a0\r":
            j -= 1
        if j < lo or text[j] in ".;:!?" or text[j] in _LINE_BREAKS:
            break
        start = _line_start(text, start - 1, lo)
    last = None
    for last in _PUNCT_SPACE.finditer(text, start, pos):
        pass
    if last is not None:
        start = last.end()
    m = _BOUNDARY.search(text, pos, min(len(text), pos + window))
    end = m.end() if m else min(len(text), pos + window)
    while start < end and text[start].isspace():
        start += 1
    return start, end


class Section(NamedTuple):
    """A heading-defined section of a text: ``[start, end)`` in the text."""

    section: str
    start: int
    end: int


_LIST_ITEM = re.compile(r"^[^.!?;\n]{1,60}$")


def _skills_start(text: str, start: int) -> int:
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


class Segmenter:
    """Headings → sections; sentence cues → the section of one position (see the module docstring).

    Parameters
    ----------
    headings : mapping, optional
        Section → cue phrases (default :data:`HEADINGS`).
    """

    def __init__(self, headings: dict[str, Sequence[str]] | None = None):
        self.pattern, self._section_of = _headings_regex(HEADINGS if headings is None else headings)
        # prefilter: the three bytes after a line break. A line starting with a space, bullet or digit is always
        # tried, else only a line whose first three bytes begin some cue (most lines of a posting are not
        # headings; an invisible character among a cue's first three letters defeats the prefilter).
        first3 = np.zeros(1 << 24, dtype=bool)
        for key in self._section_of:
            k = (key + bytes(3))[:3]
            first3[(k[0] << 16) | (k[1] << 8) | k[2]] = True
        lead = np.zeros(256, dtype=bool)
        for ch in " -–•*·▪●0123456789":
            lead[_encode(ch)[0]] = True
        lead[_SPACE] = lead[_DROP] = True
        self._first3, self._lead = first3, lead

    def headings(self, text: str) -> tuple[np.ndarray, list[str]]:
        """Positions and sections of the headings in ``text`` (a heading must follow a line break, a record
        separator or the start of the text)."""
        pos, secs = self.headings_in(_encode_lines(SEP + text))
        return pos - 1, secs

    def headings_in(self, lines: bytes, lb: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
        """:meth:`headings` in a text already encoded by :func:`civcomp.text.normalize._encode_lines`
        (``lb``: the positions of its line-break bytes, if already known)."""
        pos, secs = [], []
        section_of, space = self._section_of, bytes([_SPACE])
        a = np.frombuffer(lines + bytes([_SEP] * 3), dtype=np.uint8)
        if lb is None:
            lb = np.flatnonzero(a[:-3] == _SEP)
        b1 = a[lb + 1]
        code = (b1.astype(np.int64) << 16) | (a[lb + 2].astype(np.int64) << 8) | a[lb + 3]
        keep = self._lead[b1] | self._first3[code]
        match = self.pattern.match
        for p in lb[keep].tolist():
            m = match(lines, p)
            if m is None:
                continue
            cue = m.group(1)
            sec = section_of.get(cue)
            if sec is None:  # doubled spaces or a dropped character inside the cue
                sec = section_of[_SPACES.sub(space, cue)]
            pos.append(m.start(1))
            secs.append(sec)
        return np.array(pos, dtype=np.int64), secs

    def segment(self, text: str) -> list[Section]:
        """The heading-defined sections of ``text`` in order (text before the first heading is not listed)."""
        pos, secs = self.headings(text)
        out = [Section(s, int(p), int(q)) for s, p, q in zip(secs, pos, [*pos[1:].tolist(), len(text)])]
        k = _skills_start(text, int(pos[-1]) if len(pos) else 0)
        if k >= 0:
            out = [Section(s.section, s.start, min(s.end, k)) for s in out if s.start < k]
            out.append(Section("skills", k, len(text)))
        return out

    def section_at(self, text: str, pos: int, sections: list[Section] | None = None) -> str:
        """The section of the character ``text[pos]``: its heading section, then sentence cues (rules 1–3)."""
        sections = self.segment(text) if sections is None else sections
        sec = UNSECTIONED
        for s in sections:
            if s.start <= pos < s.end:
                sec = s.section
        return classify(text, pos, sec)


def classify(text: str, pos: int, section: str) -> str:
    """Apply the sentence cues to a position whose heading section is ``section`` (rules 2 and 3).

    Examples
    --------
    >>> classify("Мы — IT-компания. Знание SQL.", 5, "unsectioned")
    'employer'
    >>> classify("Мы — IT-компания. Знание SQL.", 25, "unsectioned")
    'unsectioned'
    """
    if section in ("documents", "skills"):
        return section
    s, e = sentence_span(text, pos)
    return classify_sentence(text[s:e], section)


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
    if CUES["documents"].search(sentence):
        return "documents"
    for name, cue in OVERRIDES.items():
        if cue.search(sentence):
            return name
    if section != UNSECTIONED:
        return section
    for name in _FALLBACK_ORDER[1:]:
        if CUES[name].search(sentence):
            return name
    return UNSECTIONED
