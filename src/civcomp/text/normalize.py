"""Text normalisation for matching: a private one-byte code page, folding, offsets kept.

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
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import numpy as np

# ------------------------------------------------------------------------------------ code page
# Input code page: one byte per supported character. ASCII; Cyrillic (Russian + Kazakh); whitespace,
# invisible and typographic characters common in postings; two generic bytes for everything else.
_CYRILLIC = "".join(chr(c) for c in range(0x410, 0x450)) + "Ёё" + "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
_WS = "\u00a0\u2002\u2003\u2009\u202f\u2028\u2029\u3000\u0085"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TYPO = "«»„“”‘’‐‑–—−…№•●▪°§×" + "əƏɵƟ"
OTHER_LETTER, OTHER_SYMBOL = "\ue000", "\ue001"
SEP, DROP = "\x1e", "\x00"  # record separator between texts; marker of characters to drop
PAGE = "".join(chr(i) for i in range(128)) + _CYRILLIC + _WS + INVISIBLE + _TYPO + OTHER_LETTER + OTHER_SYMBOL
assert len(PAGE) == len(set(PAGE)) <= 256
PAGE += "".join(chr(0xE100 + i) for i in range(256 - len(PAGE)))  # unused slots
_ENCODING_MAP = codecs.charmap_build(PAGE)

_HOMOGLYPHS = dict(zip("aceopxykmthbi", "асеорхукмтнві")) | {"ə": "ә", "ɵ": "ө"}
_PUNCT = {"‐": "-", "‑": "-", "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'"}


def is_word(ch: str) -> bool:
    return ch == OTHER_LETTER or ch.isalnum() or ch == "_"


def _fold_char(ch: str) -> str:
    """Canonical form of one supported character (the single rule behind :func:`fold`)."""
    if ch in (SEP, DROP):
        return ch
    if ch in INVISIBLE:
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
# byte" is one comparison (byte >= FIRST_WORD) for numpy and one byte range for the regex.
_folded = sorted(set(map(_fold_char, PAGE)))
_CANON = [c for c in _folded if not is_word(c)] + [c for c in _folded if is_word(c)]
FIRST_WORD = sum(not is_word(c) for c in _CANON)
_CANON_PAGE = "".join(_CANON) + "".join(chr(0xE100 + i) for i in range(256 - len(_CANON)))
CODE = {c: i for i, c in enumerate(_CANON)}
_FOLD_TABLE = bytes(CODE[_fold_char(ch)] for ch in PAGE)
SPACE, DROP_CODE, SEP_CODE = CODE[" "], CODE[DROP], CODE[SEP]
W = b"[\\x%02x-\\xff]" % FIRST_WORD
NOT_W = b"[\\x00-\\x%02x]" % (FIRST_WORD - 1)
SUPPORTED = frozenset(c for c in PAGE if ord(c) < 0xE100 or c in (OTHER_LETTER, OTHER_SYMBOL))


def _encode_error(exc: UnicodeEncodeError) -> tuple[str, int]:
    # Characters outside the code page keep their class (word or not): one byte each.
    s = exc.object[exc.start : exc.end]
    return "".join(OTHER_LETTER if is_word(c) else OTHER_SYMBOL for c in s), exc.end


codecs.register_error("civcomp_fold", _encode_error)


def encode(text: str) -> bytes:
    """Folded one-byte-per-character form of ``text`` (same length as ``text``)."""
    return codecs.charmap_encode(text, "civcomp_fold", _ENCODING_MAP)[0].translate(_FOLD_TABLE)


# Like _FOLD_TABLE, but every line break (and the record separator) becomes the separator byte: the
# form the section headings are found in (civcomp.text.sections), which must see where lines start.
LINE_BREAK_CHARS = "\n\u2028\u2029\x0b\x0c\u0085" + SEP
LINE_TABLE = bytes(SEP_CODE if ch in LINE_BREAK_CHARS else _FOLD_TABLE[i] for i, ch in enumerate(PAGE))


def encode_raw(text: str) -> bytes:
    """``text`` in the input code page, unfolded (one byte per character)."""
    return codecs.charmap_encode(text, "civcomp_fold", _ENCODING_MAP)[0]


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
    return _decode(encode(text))


def _double_spaces(a: np.ndarray) -> np.ndarray:
    sp = a == SPACE
    return np.flatnonzero(sp[1:] & sp[:-1]) + 1


def _dropped(a: np.ndarray) -> np.ndarray:
    """Positions removed by normalisation: invisible characters, and every space after a space
    (once the invisible characters are gone)."""
    drop = np.flatnonzero(a == DROP_CODE)
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


_TWO_SPACES, _DROP_BYTE = bytes([SPACE, SPACE]), bytes([DROP_CODE])


def _normalize_bytes(data: bytes) -> tuple[bytes, np.ndarray]:
    """Collapse spaces and drop invisible characters; return the bytes and the removal map."""
    if _TWO_SPACES not in data and _DROP_BYTE not in data:  # fast path (C substring search)
        return data, np.zeros(0, dtype=np.int64)
    a = np.frombuffer(data, dtype=np.uint8)
    pos = _dropped(a)
    keep = np.ones(len(a), dtype=bool)
    keep[pos] = False
    return a[keep].tobytes(), pos - np.arange(len(pos))


_DROPPED_RAW = bytes(i for i, ch in enumerate(PAGE) if _FOLD_TABLE[i] == DROP_CODE)  # raw bytes that fold to DROP


def fold_drop(raw: bytes) -> tuple[bytes, np.ndarray]:
    """Fold text in the input code page and drop its invisible characters, in one ``bytes.translate``: the
    matcher's form (its terms match a run of spaces for a space, so runs are not collapsed). Returns the bytes
    and the removal map, as :func:`_normalize_bytes`."""
    data = raw.translate(_FOLD_TABLE, _DROPPED_RAW)
    n = len(raw) - len(data)
    if not n:
        return data, np.zeros(0, dtype=np.int64)
    if n > 10_000:
        pos = np.flatnonzero(np.isin(np.frombuffer(raw, dtype=np.uint8), np.frombuffer(_DROPPED_RAW, dtype=np.uint8)))
    else:  # invisible characters are rare: C byte searches find them
        at = []
        for byte in _DROPPED_RAW:
            b, i = bytes([byte]), raw.find(bytes([byte]))
            while i >= 0:
                at.append(i)
                i = raw.find(b, i + 1)
        pos = np.array(sorted(at), dtype=np.int64)
    return data, pos - np.arange(len(pos))


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
    data, removed = _normalize_bytes(encode(text))
    return Normalized(_decode(data), removed)
