"""Validity of the postings coder on the real validation corpora, per genre, and its held-out errors.

Two hand-labelled corpora (``data/validation``): ``postings_real`` (Kazakhstan civil-service announcements,
hh.kz public-sector and commercial cards) and ``postings_genres`` (trudvsem.ru state job-portal cards: public
bodies and other employers, one-line cards whose headings run on inside the line). Each has a fixed, seeded
dev/test split; the coder was tuned on ``dev`` only. ``postings_genres`` has a third part: the parts whose errors
were read to tune the coder (its first test part, then its first fresh part) are ``seen_test`` (reported, no longer
held out); its held-out ``test`` part, when there is one, is a fresh draw of cards from employers not seen while
tuning, labelled blind by an independent coder with the labelling guide. This module codes both, reports accuracy,
precision, recall and F1 with intervals (:func:`civcomp.analyses.postings_validity.validity`) per corpus and genre
on a part, lists every error of a part with each match in context, its section and the rule that decided it, and
the agreement of a blind second coder (:func:`second_coder`).

Examples
--------
>>> from civcomp import text
>>> r = results(text.Matcher(text.load_dictionary()), n_boot=0)
>>> sorted(r.tables), r.values["coder_validity_postings_genres_seen_test_n"] > 0
(['validity_by_genre', 'validity_errors'], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from civcomp import paths, text
from civcomp.analyses.postings_validity import validity
from civcomp.analyses.published import Published
from civcomp.stats.agreement import cohen_kappa

CORPORA = {
    "postings_real": paths.VALIDATION / "postings_real" / "postings_real.csv",
    "postings_genres": paths.VALIDATION / "postings_genres" / "postings_genres.csv",
}
SECOND_LABELS = {"postings_genres": paths.VALIDATION / "postings_genres" / "second_labels.csv"}
# blind second labellings of a held-out part, each against that part's first blind labels (key -> corpus, file)
PART_SECOND_LABELS = {
    "fresh3": ("postings_genres", paths.VALIDATION / "postings_genres" / "fresh3_second_labels.csv"),
}
METRICS = ("accuracy", "precision", "recall", "f1")
# the parts reported: held out, and (postings_genres) the first test part, read to fix errors
REPORTED_PARTS = ("test", "seen_test")


def load_corpora() -> pd.DataFrame:
    """Both validation corpora in one frame, with a ``corpus`` column.

    Examples
    --------
    >>> df = load_corpora()
    >>> sorted(df["corpus"].unique()), sorted(df["split"].unique())
    (['postings_genres', 'postings_real'], ['dev', 'seen_test', 'test'])
    """
    parts = [pd.read_csv(p, dtype={"label": int}).assign(corpus=name) for name, p in CORPORA.items()]
    return pd.concat(parts, ignore_index=True)


def code_corpora(df: pd.DataFrame, matcher: text.Matcher) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code each corpus on its own (boilerplate is a property of a corpus): the frame with ``digital``, and the matches.

    Examples
    --------
    >>> from civcomp import text
    >>> coded, hits = code_corpora(load_corpora().head(3), text.Matcher(text.load_dictionary()))
    >>> bool(coded["digital"].isin([0, 1]).all()), set(hits.columns) >= {"id", "section", "counted"}
    (True, True)
    """
    out, hits = [], []
    for _, sub in df.groupby("corpus", sort=False):
        coded, h = text.code_postings(sub, matcher)
        out.append(sub.merge(coded[["id", "digital"]], on="id", validate="one_to_one"))
        hits.append(h)
    return pd.concat(out, ignore_index=True), pd.concat(hits, ignore_index=True)


def per_genre_table(
    coded: pd.DataFrame, split: str = "test", alpha: float = 0.05, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Accuracy, precision, recall and F1 with intervals per corpus × genre on one part, and per corpus overall.

    Examples
    --------
    >>> d = pd.DataFrame({"corpus": "c", "genre": ["a", "a", "b", "b"], "split": "test",
    ...                   "label": [1, 0, 1, 1], "digital": [1, 0, 0, 1]})
    >>> per_genre_table(d, n_boot=0)[["genre", "n", "accuracy", "recall"]].values.tolist()
    [['a', 2, 1.0, 1.0], ['b', 2, 0.5, 0.5], ['all', 4, 0.75, 0.6666666666666666]]
    """
    part = coded[coded["split"] == split]
    rows = []
    for corpus, c in part.groupby("corpus", sort=True):
        groups = [*c.groupby("genre", sort=True), ("all", c)]
        for genre, g in groups:
            r = validity(g["label"], g["digital"], alpha=alpha, n_boot=n_boot, seed=seed)
            rows.append({"corpus": corpus, "genre": genre, "split": split, "n_label_1": int(g["label"].sum()), **r})
    return pd.DataFrame(rows)


def second_coder(corpus: str = "postings_genres", path: Any = None) -> dict[str, Any]:
    """Agreement of the blind second coder with the first labels on a sample: n, agreements, Cohen's kappa
    (``path``: the second labels, ``id, second_label``; default the corpus's :data:`SECOND_LABELS`).

    Examples
    --------
    >>> r = second_coder()
    >>> r["n"] >= 40, 0 <= r["agree"] <= r["n"]
    (True, True)
    """
    path = SECOND_LABELS[corpus] if path is None else path
    second = pd.read_csv(path, dtype={"second_label": int})
    first = pd.read_csv(CORPORA[corpus], usecols=["id", "label"])
    both = second.merge(first, on="id", how="left", validate="one_to_one")
    if both["label"].isna().any():
        raise ValueError(f"{path}: ids not in the corpus: {both.loc[both['label'].isna(), 'id'].tolist()}")
    return {
        "n": len(both),
        "agree": int((both["label"] == both["second_label"]).sum()),
        "kappa": cohen_kappa(both["label"].astype(int), both["second_label"]),
    }


def _rule(m: Any, heading: str, coded_sections: frozenset) -> str:
    """The rule that decided whether one match counted (sections: :mod:`civcomp.text.sections`)."""
    if m.tier == "excluded":
        return f"excluded context «{m.keyword}»"
    how = (
        "heading"
        if heading == m.section
        else ("no heading; sentence cues" if heading == "unsectioned" else f"sentence cues over heading '{heading}'")
    )
    if m.counted:
        return f"counted: «{m.keyword}» in {m.section} ({how})"
    if m.boilerplate and heading == "unsectioned":
        return "not counted: boilerplate sentence under no heading"
    if m.section == "unsectioned":
        return f"not counted: «{m.keyword}» counts only in a requirement or duty; sentence without their cues"
    if m.section not in coded_sections:
        return f"not counted: section '{m.section}' is not coded ({how})"
    return "not counted"


def error_table(
    coded: pd.DataFrame, hits: pd.DataFrame, matcher: text.Matcher, split: str = "test", window: int = 6
) -> pd.DataFrame:
    """Every posting of a part whose coding disagrees with its label: each match in context (KWIC), its section,
    its heading section and the rule that decided it; an error without any match gets one row. ``label_sentence``
    is the labeller's deciding sentence (for a 0, the closest tempting one), when the corpus has it.

    Examples
    --------
    >>> from civcomp import text
    >>> m = text.Matcher(text.load_dictionary())
    >>> d = pd.DataFrame({"id": ["x"], "corpus": "c", "genre": "g", "split": "test", "label": [0],
    ...                   "text": ["Требования к кандидату знание Excel. Мы предлагаем: ноутбук"]})
    >>> coded, hits = code_corpora(d, m)
    >>> error_table(coded, hits, m)[["keyword", "section", "rule"]].values.tolist()
    [['excel', 'requirements', 'counted: «excel» in requirements (heading)']]
    """
    cols = ["corpus", "genre", "id", "label", "digital", "error", "keyword", "section", "heading", "counted", "rule"]
    cols += ["left", "match", "right", "label_sentence"]
    wrong = coded[(coded["split"] == split) & (coded["label"] != coded["digital"])]
    seg = matcher.segmenter
    coded_sections = frozenset(matcher.coding_sections or ())
    rows = []
    for r in wrong.itertuples():
        base = {"corpus": r.corpus, "genre": r.genre, "id": r.id, "label": int(r.label), "digital": int(r.digital)}
        base["error"] = "false positive" if r.digital else "false negative"
        sentence = getattr(r, "deciding_sentence", "")
        base["label_sentence"] = sentence if isinstance(sentence, str) else ""
        ms = hits[hits["id"] == r.id]
        if r.digital:  # a false positive is decided by its counted matches
            ms = ms[ms["counted"] == 1]
        if ms.empty:
            rows.append(
                {
                    **base,
                    "keyword": "",
                    "section": "",
                    "heading": "",
                    "counted": np.nan,
                    "rule": "no dictionary term in the text",
                    "left": "",
                    "match": "",
                    "right": "",
                }
            )
        sections = seg.segment(r.text)
        for m in ms.itertuples():
            heading = next((s.section for s in reversed(sections) if s.start <= m.start < s.end), "unsectioned")
            left, mid, right = text.kwic(r.text, m.start, m.end, window)
            rows.append(
                {
                    **base,
                    "keyword": m.keyword,
                    "section": m.section,
                    "heading": heading,
                    "counted": int(m.counted),
                    "rule": _rule(m, heading, coded_sections),
                    "left": left,
                    "match": mid,
                    "right": right,
                }
            )
    return pd.DataFrame(rows, columns=cols)


def results(
    matcher: text.Matcher,
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
    window: int = 6,
    min_n: int = 1,
) -> Published:
    """Everything the coder-validity section publishes, as :class:`~civcomp.analyses.published.Published`:
    ``values`` (flat result keys ``coder_validity_<corpus>[_<genre>]_<part>_<metric>``, with ``_ci_low``/``_ci_high``
    and ``_n``, for the held-out ``test`` part and ``seen_test``, for each corpus that has the part; the blind second
    coder's agreement, and that of a blind second labelling of the held-out part) and ``tables`` (``validity_by_genre``: :func:`per_genre_table` of both parts;
    ``validity_errors``: :func:`error_table`, every held-out error with its KWIC, section and rule).
    A genre with fewer than ``min_n`` postings in a part, or with 1 to ``min_n - 1`` labelled 1, is left out of the
    exported table and its keys (the writers' count rule applies to every table's counts); ``parts["validity_by_genre"]``
    keeps every genre for display."""
    coded, hits = code_corpora(load_corpora(), matcher)
    per = pd.concat(
        [per_genre_table(coded, part, alpha=alpha, n_boot=n_boot, seed=seed) for part in REPORTED_PARTS],
        ignore_index=True,
    )
    values: dict[str, Any] = {}
    small = (per["genre"] != "all") & ((per["n"] < min_n) | per["n_label_1"].between(1, min_n - 1))
    for r in per[~small].itertuples():
        key = f"coder_validity_{r.corpus}" + ("" if r.genre == "all" else f"_{r.genre}") + f"_{r.split}"
        values[f"{key}_n"] = int(r.n)
        for k in METRICS:
            values[f"{key}_{k}"] = getattr(r, k)
            values[f"{key}_{k}_ci_low"], values[f"{key}_{k}_ci_high"] = (
                getattr(r, f"{k}_ci_low"),
                getattr(r, f"{k}_ci_high"),
            )
    for corpus in SECOND_LABELS:
        for k, v in second_coder(corpus).items():
            values[f"coder_validity_{corpus}_second_coder_{k}"] = v
    for part, (corpus, path) in PART_SECOND_LABELS.items():
        for k, v in second_coder(corpus, path).items():
            values[f"coder_validity_{corpus}_{part}_second_coder_{k}"] = v
    errors = error_table(coded, hits, matcher, "test", window)
    exported = per[~small].reset_index(drop=True)
    return Published(values, {"validity_by_genre": exported, "validity_errors": errors}, {"validity_by_genre": per})
