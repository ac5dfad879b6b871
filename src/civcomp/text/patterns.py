"""Dictionary terms compiled into byte regexes over the matcher's code page, and the vectorised prefilter
that finds the positions where a term may start (used by :class:`civcomp.text.matcher.Matcher`).

A term is a list of atoms (literal bytes, a space run ``SP``, a hyphen ``HY``, a wildcard ``WILD``); the
terms of a dictionary share one trie, compiled to one regex; the prefilter keeps the word starts whose
first bytes begin some term.

Examples
--------
>>> len(term_atoms("excel")), term_atoms("ms excel").count(SP)
(5, 1)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from civcomp.text.dictionary import Entry
from civcomp.text.normalize import CODE, FIRST_WORD, SPACE, W, encode

WILD, SP, HY, END = "W", "S", "H", "$"  # trie atoms besides literal bytes


def term_atoms(term: str) -> list:
    """The term as a list of atoms: literal byte values, SP, HY, WILD."""
    out: list = []
    for k, tok in enumerate(term.split(" ")):
        if k:
            out.append(SP)
        wild = tok.endswith("*")
        for ch in tok.rstrip("*"):
            out.append(HY if ch == "-" else encode(ch)[0])
        if wild:
            out.append(WILD)
    return out


SPACES = re.escape(bytes([SPACE])) + b"+"  # the text's runs of spaces are not collapsed: a space matches a run


def _atom_regex(a) -> bytes:
    if a == SP:
        return SPACES
    if a == HY:  # hyphen, spaces or nothing
        return b"(?:" + re.escape(bytes([CODE["-"]])) + b"|" + SPACES + b")?"
    if a == WILD:
        return W + b"*"
    return re.escape(bytes([a]))


def trie_regex(node: dict) -> bytes:
    # Longer continuations first, the end of a term last: at one start position the longest
    # entry wins, so an excluded context beats the shorter term inside it.
    alts = []
    keys = sorted((k for k in node if k != END), key=lambda k: (k == WILD, str(k)))
    for k in keys:
        alts.append(_atom_regex(k) + trie_regex(node[k]))
    if END in node:
        alts.append(b"(?!" + W + b")")
    if len(alts) == 1:
        return alts[0]
    return b"(?:" + b"|".join(alts) + b")"


def entry_regex(e: Entry) -> re.Pattern:
    return re.compile(b"".join(_atom_regex(a) for a in term_atoms(e.term)))


# ------------------------------------------------------------------------------------ prefilter
PREFIX_LEN = 8


def _class(b):
    """Prefilter class of canonical bytes: a word byte is itself, every non-word byte one class."""
    return np.where(b >= FIRST_WORD, b, np.uint8(SPACE))


def _prefix_intervals(entries: Iterable[Entry]) -> tuple[np.ndarray, np.ndarray]:
    """The eight-byte (class) codes an entry can start with, as sorted disjoint intervals ``[lo, hi]``.

    An entry's prefix is its first eight bytes; it ends early at a wildcard (anything may follow), and
    includes the non-word byte that the term's end boundary requires. A space in a term matches a run of spaces:
    its prefix continues after one space, and also stands for any continuation after two.
    """
    prefixes: set[tuple[int, int]] = set()  # (code, length)

    def walk(atoms: list, i: int, code: int, k: int) -> None:
        if k == PREFIX_LEN or (i < len(atoms) and atoms[i] == WILD):
            prefixes.add((code, k))
        elif i == len(atoms):  # end of the term: a non-word byte must follow
            prefixes.add(((code << 8) | SPACE, k + 1))
        elif atoms[i] in (HY, SP):
            walk(atoms, i + 1, (code << 8) | SPACE, k + 1)  # one space, or the hyphen (a non-word byte)
            if k + 2 <= PREFIX_LEN:  # a run of spaces
                prefixes.add((((code << 8) | SPACE) << 8 | SPACE, k + 2))
            if atoms[i] == HY:  # the hyphen may be absent
                walk(atoms, i + 1, code, k)
        else:
            walk(atoms, i + 1, (code << 8) | int(_class(np.int64(atoms[i]))), k + 1)

    for e in entries:
        walk(term_atoms(e.term), 0, 0, 0)
    spans = sorted((c << 8 * (PREFIX_LEN - k), ((c + 1) << 8 * (PREFIX_LEN - k)) - 1) for c, k in prefixes)
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return np.array([m[0] for m in merged], dtype=np.uint64), np.array([m[1] for m in merged], dtype=np.uint64)


class Prefilter:
    """Positions where the dictionary regex can match: a vectorised test of the next eight bytes.

    A match starts at a non-word byte followed by a word byte (the regex's anchor). Of those anchors, a
    16-million-entry table of three-byte prefixes keeps few, and an exact test of the eight-byte prefixes (one
    binary search among the intervals of codes the entries start with) keeps only those some entry can start
    with.
    """

    def __init__(self, entries: Iterable[Entry]):
        self.lo, self.hi = _prefix_intervals(entries)
        t3 = np.zeros(1 << 24, dtype=bool)
        shift = np.uint64(8 * (PREFIX_LEN - 3))
        for lo, hi in zip((self.lo >> shift).tolist(), (self.hi >> shift).tolist()):
            t3[lo : hi + 1] = True
        self.t3 = t3

    def __call__(self, padded: bytes) -> np.ndarray:
        """``padded`` ends with at least nine non-word bytes (so ``st + 8`` stays inside)."""
        a = np.frombuffer(padded, dtype=np.uint8)
        w = a >= FIRST_WORD
        st = np.flatnonzero(w[1:] > w[:-1])  # anchor = the byte before a word
        c3 = (a[1:][st].astype(np.uint32) << 16) | (_class(a[2:][st]).astype(np.uint32) << 8) | _class(a[3:][st])
        keep = self.t3[c3]
        st = st[keep]
        code = c3[keep].astype(np.uint64)
        for j in range(4, PREFIX_LEN + 1):
            code = (code << np.uint64(8)) | _class(a[j:][st]).astype(np.uint64)
        i = np.searchsorted(self.lo, code, side="right") - 1
        return st[(i >= 0) & (code <= self.hi[np.maximum(i, 0)])]


# ------------------------------------------------------------------------------------ matching
