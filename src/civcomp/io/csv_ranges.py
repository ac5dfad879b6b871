"""A large CSV read in byte ranges, each by its own process, with a proof that every range was read right.

``civcomp code-postings --jobs N`` codes a file of several GB; when one process parses the whole CSV and hands
rows out, that process is the bottleneck. Here the file is cut into ranges of about ``piece_bytes`` at record
starts, and each range is parsed where it is coded (:func:`read_range`).

A cut can fall inside a quoted field (a posting's text holds line breaks), so the cuts are only guesses
(:func:`cuts`: the quotes near a cut tell on which side of a field it lies), and every range proves itself:
:func:`read_range` accepts a range only if it is **well-formed** CSV (RFC 4180: every quote opens a field,
closes it or is doubled inside it; every record has the header's number of fields; no carriage return, NUL
byte or blank line; valid UTF-8) and ends outside a quoted field, and returns ``None`` otherwise. If the
first range starts at the first record and every range is accepted, each range ends where the next begins
at a record boundary (by induction), so the ranges together are the file parsed as one — and for well-formed
CSV that is what ``pandas.read_csv(dtype=str, keep_default_na=False)`` returns too (a test compares them on
hostile fields). Whoever gets ``None`` reads the file the ordinary way, which also names any error.

Examples
--------
>>> lay = Layout(start=8, sep=b",", n_columns=2, columns=(0, 1))
>>> read_range(b'a,"x, ""y""\\nz"\\nb,w\\n', lay)
(['a', 'b'], ['x, "y"\\nz', 'w'])
>>> read_range(b'a,x"y\\n', lay) is None  # a quote inside an unquoted field: leave it to pandas
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

_QUOTE, _LF = ord('"'), ord("\n")
WINDOW = 1 << 20  # bytes looked at around a cut


class Layout(NamedTuple):
    """Where the data records start, the separator, the header's number of fields, and the fields to read."""

    start: int
    sep: bytes
    n_columns: int
    columns: tuple[int, ...]


def layout(path: Path, sep: str, wanted: tuple[str, ...]) -> Layout | None:
    """The layout of a UTF-8 CSV whose header is one plain line naming every ``wanted`` column once; else None.

    The header is cut at its first line break and parsed by pandas alone and as the head of the file: both
    must give the same names (a header with a quoted line break does not).
    """
    with open(path, "rb") as fh:
        head = fh.read(WINDOW)
    end = head.find(b"\n")
    if end < 0 or len(sep.encode()) != 1:
        return None
    try:
        alone = pd.read_csv(io.BytesIO(head[: end + 1]), sep=sep, dtype=str, encoding="utf-8-sig", nrows=0)
        whole = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig", nrows=0)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    names = [str(c) for c in whole.columns]
    if [str(c) for c in alone.columns] != names or len(names) < 2 or any(names.count(w) != 1 for w in wanted):
        return None
    return Layout(end + 1, sep.encode(), len(names), tuple(names.index(w) for w in wanted))


def _opening(q: np.ndarray, a: np.ndarray, sep: int, first: int) -> np.ndarray:
    """Whether each quote can open a field if the quotes open and close in turn, the ``first``-th opening."""
    opening = (np.arange(len(q)) % 2) == first
    prev = a[np.maximum(q - 1, 0)]
    nxt = a[np.minimum(q + 1, len(a) - 1)]
    ok_open = (prev == sep) | (prev == _LF) | (prev == _QUOTE)
    ok_close = (nxt == sep) | (nxt == _LF) | (nxt == _QUOTE)
    return np.where(opening, ok_open, ok_close)


def cuts(path: Path, lay: Layout, size: int, piece_bytes: int) -> list[int]:
    """Offsets that start ranges of about ``piece_bytes``: ``lay.start``, guessed record starts, ``size``.

    Near each target the quotes are read twice, as if the window started outside a quoted field and as if
    inside; when exactly one reading fits the quoting rules (or there is no quote: then outside), the first
    line break outside quotes after the target is a record end (a wrong guess is caught by :func:`read_range`).
    Targets without a clear answer are skipped (the ranges around them merge).
    """
    out = [lay.start]
    sep = lay.sep[0]
    with open(path, "rb") as fh:
        for target in range(lay.start + piece_bytes, size - piece_bytes // 2, piece_bytes):
            fh.seek(target - 1)
            a = np.frombuffer(fh.read(WINDOW), dtype=np.uint8)
            q = np.flatnonzero(a == _QUOTE)
            inner = (q > 0) & (q < len(a) - 1)  # quotes whose both neighbours are in the window
            fits = [bool(_opening(q, a, sep, first)[inner].all()) for first in (0, 1)]
            if not inner.any():  # no quote: most likely no field of over a megabyte is open here
                fits = [True, False]
            if fits.count(True) != 1:
                continue
            outside_first = fits.index(True) == 0  # the window starts outside a quoted field
            lf = np.flatnonzero(a[1:] == _LF) + 1
            before = np.searchsorted(q, lf)  # quotes before each line break
            ok = lf[(before % 2 == 0) == outside_first]
            if len(ok) and ok[0] + 1 < len(a):
                cut = target + int(ok[0])
                if cut > out[-1]:
                    out.append(cut)
    out.append(size)
    return out


def read_range(data: bytes, lay: Layout, undecoded: tuple[int, ...] = ()) -> tuple[list, ...] | None:
    """The ``lay.columns`` of the records in ``data`` (bytes from a record start), or None if not well-formed.

    The columns at the positions ``undecoded`` (of ``lay.columns``) are given as UTF-8 bytes, unquoted but not
    decoded: the caller decodes them, and must treat a byte that is not UTF-8 as not well-formed.
    """
    if not data:
        return tuple([] for _ in lay.columns)
    if not data.endswith(b"\n"):  # the file's last record may lack its line break
        data += b"\n"
    if b"\r" in data or b"\x00" in data:
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    sep = lay.sep[0]
    q = np.flatnonzero(a == _QUOTE)
    if len(q) % 2 or not _opening(q, a, sep, 0).all():
        return None
    lf = np.flatnonzero(a == _LF)
    lf = lf[np.searchsorted(q, lf) % 2 == 0]  # record ends: line breaks outside quotes
    sp = np.flatnonzero(a == sep)
    sp = sp[np.searchsorted(q, sp) % 2 == 0]
    starts = np.r_[0, lf[:-1] + 1]
    if (lf == starts).any():  # a blank line (pandas skips it)
        return None
    n = len(lf)
    k = lay.n_columns - 1
    if len(sp) != n * k or (k and (np.searchsorted(lf, sp) != np.repeat(np.arange(n), k)).any()):
        return None
    sp = sp.reshape(n, k)
    bounds = np.column_stack([starts, sp + 1]), np.column_stack([sp, lf])
    out = []
    mv = memoryview(data)
    try:
        for pos, j in enumerate(lay.columns):
            s, e = bounds[0][:, j], bounds[1][:, j]
            nq = np.searchsorted(q, e) - np.searchsorted(q, s)
            col = []
            append = col.append
            text = bytes if pos in undecoded else (lambda m: str(m, "utf-8"))
            for fs, fe, fq in zip(s.tolist(), e.tolist(), nq.tolist()):
                if fq == 0:
                    append(text(mv[fs:fe]))
                elif fq == 2:
                    append(text(mv[fs + 1 : fe - 1]))
                else:
                    append(text(memoryview(bytes(mv[fs + 1 : fe - 1]).replace(b'""', b'"'))))
            out.append(col)
    except UnicodeDecodeError:
        return None
    return tuple(out)
