"""Boilerplate: sentences repeated verbatim across many postings of a corpus, found without a rule per template.

Announcements of one state body, or cards of one employer, repeat the same paragraphs — the application
procedure, the company blurb, the list of benefits. A dictionary word in such a paragraph ("портал
электронного правительства", "IT-компания") says nothing about the position. This module counts, over the
corpus, in how many postings each sentence occurs (document frequency of the folded sentence: case,
look-alike letters and whitespace folded, :func:`sentence_key`) and flags a sentence as **boilerplate** when

* it has at least ``min_words`` words (short requirement items such as «Знание Excel» recur because many
  positions ask the same thing — they are not boilerplate), and
* it occurs in at least ``max(min_postings, ceil(min_share × N))`` of the ``N`` postings.

The model is corpus-level (it needs a first pass over the corpus), deterministic (plain counts, no
sampling, no randomised hashing) and fast (one dictionary of sentence keys). For coding, the matcher only
needs the frequency of the sentences that contain a dictionary match, which it counts itself
(:meth:`civcomp.text.matcher.Matcher.code`); :func:`fit` counts every sentence, for the report of how much
text is boilerplate (:func:`report`).

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents. Compression and Complexity of
Sequences, 21–29 (shingling: near-duplicate text by the frequency of its pieces).

Examples
--------
>>> texts = ["Требования: знание Excel. Документы принимаются через портал электронного правительства до 18:00 часов.",
...          "Требования: опыт работы. Документы принимаются через портал электронного правительства до 18:00 часов."]
>>> m = fit(texts, min_postings=2, min_words=5)
>>> [m.is_boilerplate(sentence_key(s)) for s in ("Документы принимаются через портал электронного правительства "
...                                              "до 18:00 часов.", "Требования: знание Excel.")]
[True, False]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

import pandas as pd

from civcomp.text.normalize import fold
from civcomp.text.sentences import BOUNDARY

_STRIP = " \t\n\u2028.,;:!?-–—•*·\"'()"


def sentence_key(sentence: str) -> str:
    """The folded form of a sentence used to count repeats: case, look-alikes and whitespace folded.

    Examples
    --------
    >>> sentence_key("  Документы  принимаются\\nпо E-mail.") == sentence_key("документы принимаются по е-маil")
    True
    """
    return " ".join(fold(sentence).split()).strip(_STRIP)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every non-blank sentence (boundaries as :func:`civcomp.text.sentences.sentence_span`).

    Examples
    --------
    >>> t = "Знание Excel; опыт работы.\\nДокументы принимаются."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Знание Excel;', 'опыт работы.', 'Документы принимаются.']
    """
    out, start = [], 0
    for m in BOUNDARY.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    res = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            res.append((s, e))
    return res


@dataclass
class BoilerplateModel:
    """Document frequency of sentence keys over a corpus, and the rule that flags boilerplate.

    Parameters
    ----------
    min_postings : int
        A sentence must occur in at least this many postings …
    min_share : float
        … and in at least this share of them.
    min_words : int
        Sentences shorter than this are never boilerplate.
    """

    min_postings: int = 5
    min_share: float = 0.02
    min_words: int = 8
    counts: dict = field(default_factory=dict, repr=False)
    n_postings: int = 0

    def update(self, keys_per_posting: Iterable[Iterable[str]]) -> BoilerplateModel:
        """Count the sentence keys of more postings (each distinct key once per posting)."""
        per_posting = [set(keys) for keys in keys_per_posting]
        self.n_postings += len(per_posting)
        counts = self.counts
        for k, c in Counter(chain.from_iterable(per_posting)).items():  # (Counter counts in C)
            counts[k] = counts.get(k, 0) + c
        return self

    @property
    def threshold(self) -> int:
        """Postings a sentence must occur in to be boilerplate."""
        return max(int(self.min_postings), math.ceil(self.min_share * self.n_postings))

    def is_boilerplate(self, key: str) -> bool:
        return self.counts.get(key, 0) >= self.threshold and key.count(" ") + 1 >= self.min_words

    def flagged(self) -> frozenset:
        """Every boilerplate sentence key (a set to test membership in)."""
        thr, mw = self.threshold, self.min_words
        return frozenset(k for k, c in self.counts.items() if c >= thr and k.count(" ") + 1 >= mw)

    def frequent(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most frequent boilerplate sentences (key, postings), most frequent first."""
        rows = sorted(((k, c) for k, c in self.counts.items() if self.is_boilerplate(k)), key=lambda x: (-x[1], x[0]))
        return pd.DataFrame(rows[:n], columns=["sentence", "n_postings"])


def fit(texts: Iterable[str], min_postings: int = 5, min_share: float = 0.02, min_words: int = 8) -> BoilerplateModel:
    """Count every sentence of every text (one pass over the corpus)."""
    model = BoilerplateModel(min_postings, min_share, min_words)
    model.update([sentence_key(t[s:e]) for s, e in split_sentences(t)] for t in texts if isinstance(t, str))
    return model


def report(texts: Iterable[str], model: BoilerplateModel, n_examples: int = 5) -> dict:
    """How much of the corpus is boilerplate: characters and sentences flagged, and the most frequent ones.

    Returns ``{"n_postings", "share_chars", "share_sentences", "n_boilerplate_sentences", "threshold",
    "examples"}`` (``examples``: a frame of the most frequent boilerplate sentences, original spelling).

    Examples
    --------
    >>> texts = ["Мы — лидер рынка и большая дружная команда профессионалов. Знание SQL."] * 3 + ["Знание 1С."]
    >>> r = report(texts, fit(texts, min_postings=3, min_words=5))
    >>> r["n_boilerplate_sentences"], round(r["share_chars"], 2), r["examples"]["n_postings"].tolist()
    (1, 0.79, [3])
    """
    n_chars = n_bp_chars = n_sent = n_bp_sent = n_post = 0
    seen: dict[str, str] = {}
    for t in texts:
        if not isinstance(t, str):
            continue
        n_post += 1
        n_chars += len(t)
        for s, e in split_sentences(t):
            n_sent += 1
            k = sentence_key(t[s:e])
            if model.is_boilerplate(k):
                n_bp_sent += 1
                n_bp_chars += e - s
                seen.setdefault(k, " ".join(t[s:e].split()))
    freq = model.frequent(n_examples)
    freq = freq[freq["sentence"].isin(seen)]
    examples = pd.DataFrame(
        {"sentence": [seen[k] for k in freq["sentence"]], "n_postings": freq["n_postings"].tolist()}
    )
    return {
        "n_postings": n_post,
        "share_chars": n_bp_chars / n_chars if n_chars else 0.0,
        "share_sentences": n_bp_sent / n_sent if n_sent else 0.0,
        "n_boilerplate_sentences": len(seen),
        "threshold": model.threshold,
        "examples": examples,
    }
