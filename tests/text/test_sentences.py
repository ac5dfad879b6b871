"""Sentences (civcomp.text.sentences): the vectorised spans equal the one-at-a-time definition."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from civcomp import paths
from civcomp.text import sentences as T
from civcomp.text.normalize import LINE_TABLE, SEP, SEP_CODE, encode_raw

# every character the rules treat specially, and some they must not: line breaks the headings see but the
# sentence rules do not (U+2029, \v), spaces and a bullet outside the code page (U+2000, ·), the separator,
# a character outside the code page that is neither (₸), upper- and lower-case letters, digits, bullets
ALPHABET = list("aбвКДЁ  \t\t\n\n\n\u2028\u2028..;;::!?\r\u00a0\u00a0-–•*·▪●19XzЖ,\u2029\x0b\u2000\x1e₸") + [
    "  ",
    "\n\n",
    ". ",
    ":\n",
    " \n",
]


def _batch(texts: list[str]):
    raw = encode_raw(SEP + SEP.join(texts))
    lengths = np.array([len(t) + 1 for t in texts], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths + 1
    line_breaks, punctuation = T.breaks_and_punctuation(raw)
    return raw, starts, line_breaks, punctuation


def _disagreements(texts: list[str], step: int = 1, window: int = T.WINDOW) -> list:
    """Positions (every ``step``-th of each text) where sentence_spans and sentence_span disagree."""
    raw, starts, line_breaks, punctuation = _batch(texts)
    which = np.array([k for k, t in enumerate(texts) for _ in range(0, len(t), step)], dtype=np.int64)
    pos = np.array([starts[k] + p for k, t in enumerate(texts) for p in range(0, len(t), step)], dtype=np.int64)
    got_s, got_e = T.sentence_spans(texts, which, pos, raw, starts, line_breaks, punctuation, window)
    bad = []
    for k, p, s, e in zip(which.tolist(), pos.tolist(), got_s.tolist(), got_e.tolist()):
        base = int(starts[k])
        line_start = int(line_breaks[np.searchsorted(line_breaks, p, side="right") - 1]) + 1 - base
        want = T.sentence_span(texts[k], p - base, window, line_start)
        if want != (s - base, e - base):
            bad.append((k, p - base, want, (s - base, e - base)))
    return bad


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_spans_equal_sentence_span_on_adversarial_text(seed):
    rng = random.Random(seed)
    for _ in range(60):
        texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 200))) for _ in range(rng.randint(1, 8))]
        for window in (T.WINDOW, 5, 17):  # small windows: the window's edge is reached often
            assert _disagreements(texts, window=window) == []


def test_vectorised_spans_equal_sentence_span_on_long_runs():
    # runs longer than the vectorised steps (spaces, wrapped lines, abbreviations) are handed over
    texts = [
        "Требования:" + " " * 200 + "\n" + " " * 150 + "знание Excel",
        "\n".join(["строка без точки"] * 100) + " знание SQL",
        "т.д." * 120 + " и т.п. знание ПК",
        ":" + "\t" * 100 + "\nЗнание",
    ]
    assert _disagreements(texts) == []


def test_vectorised_spans_equal_sentence_span_on_real_postings():
    texts = pd.read_csv(paths.POSTINGS_REAL)["text"].tolist()
    assert _disagreements(texts, step=3) == []


def test_boundary_regex_is_the_plain_alternation():
    # BOUNDARY is written with one leading character class for speed; it must find what the plain form finds
    plain = re.compile(
        r"[.;!?](?=\s)|[.;:!?][ \t]*[\n\u2028]|\n[ \t]*\n|[\n\u2028](?=[ \t\u00a0]*[" + T._ITEM + r"])|\x1e"
    )
    rng = random.Random(5)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(300)) for _ in range(300)]
    texts += pd.read_csv(paths.POSTINGS_REAL)["text"].tolist()
    for t in texts:
        assert [m.span() for m in T.BOUNDARY.finditer(t)] == [m.span() for m in plain.finditer(t)]
        for p in range(0, len(t), 37):
            a, b = T.BOUNDARY.search(t, p, p + 50), plain.search(t, p, p + 50)
            assert (a and a.span()) == (b and b.span())


def test_no_positions():
    none = np.zeros(0, dtype=np.int64)
    s, e = T.sentence_spans(["текст"], none, none, *_batch(["текст"]))
    assert len(s) == len(e) == 0


def test_breaks_and_punctuation_are_the_line_table_breaks_and_the_five_marks():
    rng = random.Random(9)
    t = "".join(rng.choice(ALPHABET) for _ in range(5000))
    raw = encode_raw(t)
    breaks, punct = T.breaks_and_punctuation(raw)
    assert (
        breaks.tolist() == np.flatnonzero(np.frombuffer(raw.translate(LINE_TABLE), dtype=np.uint8) == SEP_CODE).tolist()
    )
    assert punct.tolist() == [i for i, ch in enumerate(t) if ch in ".;:!?"]
