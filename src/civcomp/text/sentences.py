"""Sentences of a posting: the sentence around one position (:func:`sentence_span`), or around many at once.

A dictionary match is classified by the sentence it stands in (the cue rules of :mod:`civcomp.text.sections`)
and counted as boilerplate by that sentence's repeats (:mod:`civcomp.text.boilerplate`). Boundaries: ``. ; ! ?``
before a space, a blank line, and a line break that starts an item (the next line begins with a capital, a
digit or a bullet) or follows punctuation — so a phrase wrapped over lines stays in one sentence, and a list of
requirements is a list of sentences.

:func:`sentence_span` is the definition: a few string searches per position. :func:`sentence_spans` computes
the same spans for every match of a batch of postings with array operations over the batch's one-byte code
page (:mod:`civcomp.text.normalize`) — one pass to find the bytes a boundary can start with, then a few
vectorised steps per match — and hands the positions it cannot settle that way (very long sentences, long runs
of spaces, texts with rare line-break or space characters) to :func:`sentence_span`. A test checks that both
agree on real postings, the twin and random text over an adversarial alphabet.

Examples
--------
>>> t = "Требования: знание Excel;\\nопыт работы. Документы\\nпринимаются по почте."
>>> s, e = sentence_span(t, t.index("Excel")); t[s:e]
'Требования: знание Excel;'
>>> from civcomp.text.normalize import SEP, encode_raw
>>> joined = SEP + t
>>> at = np.array([1 + t.index("Excel"), 1 + t.index("почте")])
>>> raw = encode_raw(joined)
>>> starts, ends = sentence_spans([t], np.zeros(2, dtype=np.int64), at, raw, np.array([1]), *breaks_and_punctuation(raw))
>>> [joined[s:e] for s, e in zip(starts, ends)]
['Требования: знание Excel;', 'Документы\\nпринимаются по почте.']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from civcomp.text.normalize import LINE_BREAK_CHARS, OTHER_SYMBOL, PAGE, SEP

# sentence boundary: . ; ! ? followed by a space; a line break before an upper-case letter, bullet or digit,
# or after a line that ends with punctuation; a blank line; the text separator. Written as one character class
# followed by the alternatives (told apart by a look-behind) so that the regex engine skips to the next
# candidate character in C; equivalent to
# ``[.;!?](?=\s)|[.;:!?][ \t]*[\n\u2028]|\n[ \t]*\n|[\n\u2028](?=[ \t\u00a0]*[<item>])|\x1e``.
_ITEM = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9•\\-–*·▪●"  # what an item (a new sentence) starts with
BOUNDARY = re.compile(
    r"[.;:!?\n\u2028\x1e](?:(?<=[.;!?])(?=\s)|(?<=[.;:!?])[ \t]*[\n\u2028]|(?<=\n)[ \t]*\n"
    r"|(?<=[\n\u2028])(?=[ \t\u00a0]*[" + _ITEM + r"])|(?<=\x1e))"
)
_LINE_BREAKS = "\n\u2028\x1e"
_ITEM_START = re.compile(r"[ \t\u00a0]*(?:[" + _ITEM + r"]|$)")
_PUNCT_SPACE = re.compile(r"[.;!?](?=\s)")
WINDOW = 600


def _line_start(text: str, pos: int, lo: int) -> int:
    return max(lo, text.rfind("\n", lo, pos) + 1, text.rfind("\u2028", lo, pos) + 1, text.rfind("\x1e", lo, pos) + 1)


def sentence_span(text: str, pos: int, window: int = WINDOW, line_start: int | None = None) -> tuple[int, int]:
    """The sentence around ``text[pos]``: from after the previous boundary to the next one (inclusive).

    Looks at most ``window`` characters each way. (Searched backwards line by line, so it costs a few string
    searches, not a regex over the window; ``line_start``, the start of ``pos``'s line when the caller knows
    it, saves the first search.)

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
    m = BOUNDARY.search(text, pos, min(len(text), pos + window))
    end = m.end() if m else min(len(text), pos + window)
    while start < end and text[start].isspace():
        start += 1
    return start, end


# ------------------------------------------------------------------------------------ many at once
def _table(pred) -> np.ndarray:
    """A 256-entry lookup over the input code page: ``pred(character)`` for each byte value."""
    return np.array([bool(pred(ch)) for ch in PAGE], dtype=bool)


_B = {ch: PAGE.index(ch) for ch in ".;:!?\n\u2028\x1e" + OTHER_SYMBOL}
_IS_WS = _table(lambda c: re.fullmatch(r"\s", c) and c != SEP)  # the separator is the end of a text
_IS_SPTAB = _table(lambda c: c in " \t")
_IS_ITEM_LEAD = _table(lambda c: c in " \t\u00a0")
_IS_ITEM = _table(lambda c: re.fullmatch("[" + _ITEM + "]", c))
_IS_BACK = _table(lambda c: c in " \t\u00a0\r")
_IS_PUNCT4 = _table(lambda c: c in ".;!?")
_IS_PUNCT5 = _table(lambda c: c in ".;:!?")
_IS_LB3 = _table(lambda c: c in _LINE_BREAKS)
_IS_NL_LS = _table(lambda c: c in "\n\u2028")
_IS_BREAK = _table(lambda c: c in LINE_BREAK_CHARS)  # every line break the headings see, the separator included
_BREAK_OR_PUNCT = bytes((_IS_BREAK | _IS_PUNCT5).astype(np.uint8))  # a bytes.translate table: 1 at those, else 0
# line breaks the headings see but these rules do not
_IS_RARE_BREAK = _table(lambda c: c in LINE_BREAK_CHARS and c not in _LINE_BREAKS)
_UNSURE = np.iinfo(np.int64).max  # "look" of a boundary the vectorised rules leave undecided
MAX_STEPS = 64  # vectorised steps over a run of spaces, along candidates, or back over lines, before handing over


def skip_run(
    a: np.ndarray, p: np.ndarray, table: np.ndarray, step: int, end: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Move each position ``p`` by ``step`` while ``table[a[p]]`` (and, with ``end``, while ``p < end``); returns the
    positions and which are unsettled (still in a run after :data:`MAX_STEPS` steps). ``a`` is padded so no step
    leaves it."""
    p = p.copy()

    def going(i: np.ndarray) -> np.ndarray:
        return table[a[p[i]]] if end is None else (p[i] < end[i]) & table[a[p[i]]]

    todo = np.flatnonzero(going(np.arange(len(p))))
    for _ in range(MAX_STEPS):
        if not len(todo):
            break
        p[todo] += step
        todo = todo[going(todo)]
    unsettled = np.zeros(len(p), dtype=bool)
    unsettled[todo] = True
    return p, unsettled


def _boundary_at(a: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether ``BOUNDARY`` matches at each position ``c`` (a byte it can start with), the end of the match, and
    how far it looked (``_UNSURE`` when the vectorised rules leave it undecided)."""
    b = a[c]
    ok = _IS_PUNCT4[b] & _IS_WS[a[c + 1]]  # [.;!?](?=\s)
    mend, look = c + 1, c + 2
    # [.;:!?][ \t]*[\n\u2028]: only ":" can get here (after . ; ! ? a space or line break matched the first rule)
    colon = np.flatnonzero(b == _B[":"])
    p, uns = skip_run(a, c[colon] + 1, _IS_SPTAB, 1)
    ok[colon] = _IS_NL_LS[a[p]] | uns
    mend[colon] = look[colon] = np.where(uns, _UNSURE, p + 1)
    # \n[ \t]*\n, then [\n\u2028](?=[ \t\u00a0]*[item])
    brk = np.flatnonzero(_IS_NL_LS[b])
    newline = b[brk] == _B["\n"]
    p, uns = skip_run(a, c[brk] + 1, _IS_SPTAB, 1)
    uns &= newline
    blank = newline & (a[p] == _B["\n"]) & ~uns
    q, uns_q = skip_run(a, c[brk] + 1, _IS_ITEM_LEAD, 1)
    unsure = uns | (~blank & uns_q)
    ok[brk] = blank | _IS_ITEM[a[q]] | unsure
    mend[brk] = np.where(blank, p + 1, c[brk] + 1)
    look[brk] = np.where(unsure, _UNSURE, np.where(blank, p + 1, q + 1))
    return ok, mend, look


def _first_boundary(a: np.ndarray, cand: np.ndarray, pos: np.ndarray, endpos: np.ndarray):
    """For each position, the first of the sorted candidates at or after it, before ``endpos``, where
    ``BOUNDARY`` matches: (its start, or ``_UNSURE`` if none; the match end; whether it is undecided)."""
    n = len(pos)
    at, end, unsure = np.full(n, _UNSURE), endpos.copy(), np.zeros(n, dtype=bool)
    j = np.searchsorted(cand, pos)
    todo = np.arange(n)
    for _ in range(MAX_STEPS):
        jj = j[todo]
        c = cand[np.minimum(jj, len(cand) - 1)] if len(cand) else jj
        inside = (jj < len(cand)) & (c < endpos[todo])
        todo, c = todo[inside], c[inside]
        if not len(todo):
            break
        ok, mend, look = _boundary_at(a, c)
        hit = todo[ok]
        at[hit], end[hit], unsure[hit] = c[ok], mend[ok], look[ok] > endpos[hit]
        todo = todo[~ok]
        j[todo] += 1
    else:  # still walking along candidates: undecided from the last one looked at
        at[todo], unsure[todo] = cand[j[todo] - 1], True
    return at, end, unsure


def breaks_and_punctuation(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The offsets of the line breaks (every character of :data:`civcomp.text.normalize.LINE_BREAK_CHARS`, the
    separator included: the lines the headings are found in) and of the characters ``. ; : ! ?`` in text
    encoded in the input code page: one ``bytes.translate`` and one scan.

    Examples
    --------
    >>> from civcomp.text.normalize import encode_raw
    >>> [x.tolist() for x in breaks_and_punctuation(encode_raw("\\x1eА: б.\\nв"))]
    [[0, 6], [2, 5]]
    """
    at = np.flatnonzero(np.frombuffer(raw.translate(_BREAK_OR_PUNCT), dtype=np.bool_))
    brk = _IS_BREAK[np.frombuffer(raw, dtype=np.uint8)[at]]
    return at[brk], at[~brk]


def _rare_texts(texts: Sequence[str], starts: np.ndarray, raw: bytes, line_breaks: np.ndarray) -> np.ndarray:
    """Which texts hold a character the vectorised rules do not model: a line break the headings see but
    :func:`sentence_span` does not, a separator inside the text, or a character outside the code page that is a
    space or the bullet ``·`` (found by one C byte search; a Python step only per such character)."""
    out = np.zeros(len(texts), dtype=bool)
    b = np.frombuffer(raw, dtype=np.uint8)[line_breaks]
    odd = _IS_RARE_BREAK[b]
    sep = b == _B["\x1e"]
    if np.count_nonzero(sep) > len(texts):  # more separators than the ones before each text
        odd |= sep & ~np.isin(line_breaks, starts - 1)
    out[np.searchsorted(starts, line_breaks[odd], side="right") - 1] = True
    other, i = bytes([_B[OTHER_SYMBOL]]), raw.find(bytes([_B[OTHER_SYMBOL]]))
    while i >= 0:
        k = int(np.searchsorted(starts, i, side="right")) - 1
        ch = texts[k][i - int(starts[k])]
        if ch.isspace() or ch == "·":
            out[k] = True
            i = raw.find(other, int(starts[k]) + len(texts[k]))
        else:
            i = raw.find(other, i + 1)
    return out


def sentence_spans(
    texts: Sequence[str],
    which: np.ndarray,
    pos: np.ndarray,
    raw: bytes,
    starts: np.ndarray,
    line_breaks: np.ndarray,
    punctuation: np.ndarray,
    window: int = WINDOW,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sentence_span` for many positions in a batch of texts at once.

    The batch is ``SEP + SEP.join(texts)`` (the matcher's form); ``raw`` is it in the input code page
    (:func:`civcomp.text.normalize.encode_raw`), ``starts[k]`` the offset of ``texts[k]`` in it, and
    ``line_breaks`` and ``punctuation`` come from :func:`breaks_and_punctuation`. For each position ``pos[i]``
    (an offset in the batch, inside ``texts[which[i]]``) returns the sentence's start and end as offsets in the
    batch: ``sentence_span(texts[k], pos[i] - starts[k], window, line_start)`` shifted by ``starts[k]``, where
    ``line_start`` is after the last line break before ``pos[i]``.
    """
    n = len(pos)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    t0 = starts[which]
    t1 = t0 + np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))[which]
    a = np.frombuffer(raw + SEP.encode() * (MAX_STEPS + 2), dtype=np.uint8)
    line_start = line_breaks[np.searchsorted(line_breaks, pos, side="right") - 1] + 1
    hand_over = _rare_texts(texts, starts, raw, line_breaks)[which]

    # forwards: the first boundary at or after pos, within the window (one starts at . ; : ! ?, one at a line break)
    endpos = np.minimum(t1, pos + window)
    at_p, end_p, uns_p = _first_boundary(a, punctuation, pos, endpos)
    at_l, end_l, uns_l = _first_boundary(a, line_breaks, pos, endpos)
    first_p = at_p < at_l
    end = np.where(first_p, end_p, end_l)
    hand_over |= np.where(first_p, uns_p, uns_l)

    # backwards: the line, then the lines it continues
    lo = np.maximum(t0, pos - window)
    start = np.maximum(lo, line_start)
    active = np.flatnonzero(start > lo)
    for _ in range(MAX_STEPS):
        if not len(active):
            break
        s = start[active]
        q, unsure = skip_run(a, s, _IS_ITEM_LEAD, 1)
        jb, uns_j = skip_run(a, s - 2, _IS_BACK, -1)
        before_lo = jb < lo[active]
        at_end = (q >= t1[active]) | ((q == t1[active] - 1) & (a[q] == _B["\n"]))  # the ``$`` of _ITEM_START
        stop = (a[s - 1] == _B["\x1e"]) | _IS_ITEM[a[q]] | at_end | before_lo | _IS_PUNCT5[a[jb]] | _IS_LB3[a[jb]]
        unsure |= uns_j & ~before_lo  # (skipping back past ``lo`` settles it: sentence_span stops there)
        hand_over[active[unsure]] = True
        go = active[~stop & ~unsure]
        k = np.searchsorted(line_breaks, start[go] - 1) - 1
        prev = np.where(k >= 0, line_breaks[np.maximum(k, 0)], -1)
        start[go] = np.maximum(lo[go], prev + 1)
        active = go[start[go] > lo[go]]
    hand_over[active] = True
    # then after the last [.;!?] before a space, before pos
    k = np.searchsorted(punctuation, pos - 1) - 1
    todo = np.arange(n)
    for _ in range(MAX_STEPS):
        kk = k[todo]
        q = punctuation[np.maximum(kk, 0)] if len(punctuation) else kk
        inside = (kk >= 0) & (q >= start[todo])
        todo, q = todo[inside], q[inside]
        if not len(todo):
            break
        ok = _IS_PUNCT4[a[q]] & _IS_WS[a[q + 1]]
        start[todo[ok]] = q[ok] + 1
        todo = todo[~ok]
        k[todo] -= 1
    hand_over[todo] = True
    start, unsure = skip_run(a, start, _IS_WS, 1, end)  # past white space, not beyond the end
    hand_over |= unsure

    for i in np.flatnonzero(hand_over).tolist():
        k, base = int(which[i]), int(starts[which[i]])
        s, e = sentence_span(texts[k], int(pos[i]) - base, window, int(line_start[i]) - base)
        start[i], end[i] = s + base, e + base
    return start, end
