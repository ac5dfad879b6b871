"""Add the second fresh held-out part to ``postings_genres.csv``: new cards, labelled blind, run once.

Input: the texts (``idx, genre, language, employer, text, provenance, licence``) as rebuilt by
``build_fresh2_texts.py`` from its sources (see PROVENANCE.md, "Second fresh part"), and the blind labeller's
``fresh2_labels.csv`` (``idx, label, deciding_sentence, confidence, note``), who read only the texts and the labelling
guide (``postings_real/LABELLING.md`` with its additions). The labels were set before the coder was run on these texts.

Genres: the trudvsem.ru cards keep the corpus's names (``public_body`` -> ``state_portal_public_body``,
``state_portal_card``); every hh.kz row is ``kz_hh_snippet`` (search-result extracts, not full postings: reported
apart so that the full-posting figures stay clean).

Cards of an employer that already has a card in either validation corpus (any part: every part has been read while
tuning, or its boilerplate seen) are left out, and counted. The employer is the ``employer`` column, or else the
text's second paragraph (title, employer, ... as in both corpora), compared after folding case, quotes and legal
forms. The kept cards are the ``test`` part (ids ``fresh2_<idx>``); rows of an earlier run of this script are
replaced, every other row is left as it is.

Later fresh parts are added the same way with ``--part fresh3`` (ids ``fresh3_<idx>``, labels ``fresh3_labels.csv``).
A part whose errors have been read after its one run is listed in ``READ_PARTS``: its rows are ``seen_test``, no
longer held out (the held-out ``test`` part is the newest part not yet read). Labels changed by a later decision of
the guide are applied from ``labels.RELABEL`` (the blind labels file is kept as it was given).

Usage: ``python3 build_fresh2.py TEXTS_CSV [LABELS_CSV [CORPUS_CSV]] [--part NAME]`` (defaults: part ``fresh2``,
``<part>_labels.csv`` and ``postings_genres.csv`` next to this script). Parts are added in order (fresh2, fresh3, ...).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import RELABEL  # noqa: E402

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "postings_genres.csv"
OTHER = HERE.parent / "postings_real" / "postings_real.csv"
PREFIX = "fresh2_"
# parts whose errors were read after their one run: reported as seen_test (part -> when and why)
READ_PARTS = {"fresh2": "run once 2026-12-06 (accuracy 0.857); its 13 errors were read to tune the coder"}
LEGAL = re.compile(r"\b(?:ооо|оао|зао|пао|ао|тоо|ип|ао нк|нао|гкп|ргп|ргу|гу|llp|ltd|llc|jsc)\b")
# state, regional and municipal bodies and institutions, by the employer's name (as build_sample.PUB)
PUB = re.compile(
    r"^(?:МБУ|МАУ|МКУ|МУК|МУ\s|МДЦ|ГБУ|ГАУ|ГКУ|ГКБУ|ГУ\s|ГУК|ГБОУ|ГБПОУ|КОГБУК|ФГ|ФБУЗ|ФКУ|ФИЛИАЛ\s+Ф|ГОХРАН|МТУ|АУ\s|БУК\s|МОВО)"
    r"|МУЗЕЙ|ЗАПОВЕДНИК|ФЕДЕРАЛЬН|ГОСУДАРСТВЕНН|МУНИЦИПАЛЬН|ВОЙСК|ВНГ|ФОНД РЕНОВАЦИИ|КОМПЛЕКС \"КАТЫНЬ\"",
    re.IGNORECASE,
)
SOURCES = {  # provenance marker -> (source, sampling)
    "trudvsem-analysis": (
        "trudvsem.ru (Работа России, the Russian state job portal) via GitHub MarBel2797-create/trudvsem-analysis",
        "second fresh part: trudvsem.ru cards chosen by hand for variety, one per employer (PROVENANCE.md)",
    ),
    "labs3sem": (
        "trudvsem.ru (Работа России) open-data cards of 2016 via GitHub milenayahutl/labs3sem (data_light.json)",
        "third fresh part: every complete card of a new employer on seeded pages of the file (PROVENANCE_fresh3.md)",
    ),
    "spassk-jobs": (
        "trudvsem.ru (Работа России) cards of Spassk-Dalny, 2026, via GitHub swedxn/spassk-jobs",
        "third fresh part: every «Работа России» card of the aggregator, one per employer (PROVENANCE_fresh3.md)",
    ),
    "Job_analyze": (
        "hh.kz search-API items (Astana) via GitHub Zhanahmet01p/Job_analyze",
        "second fresh part: every Kazakhstani public body in the snapshots and a seeded 20 of the others, one per "
        "employer (PROVENANCE.md)",
    ),
}
COLUMNS = ["id", "lang", "genre", "source", "provenance", "licence", "sampling", "text", "label", "deciding_sentence"]
COLUMNS += ["hard_case", "group_id", "split"]


def employer_of(text: str) -> str:
    """The second paragraph of a card (its employer in both corpora' texts)."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return paras[1] if len(paras) > 1 else ""


def fold_employer(name: str) -> str:
    s = re.sub(r"[«»\"'“”„`.,()]", " ", str(name).casefold().replace("ё", "е"))
    return " ".join(LEGAL.sub(" ", s).split())


def main(texts_csv: str, labels_csv: Path | None = None, corpus_csv: Path = CORPUS, part: str = "fresh2") -> None:
    global PREFIX
    PREFIX = f"{part}_"
    labels_csv = HERE / f"{part}_labels.csv" if labels_csv is None else labels_csv
    texts = pd.read_csv(texts_csv, dtype=str, keep_default_na=False)
    labels = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    sent_col = next(c for c in labels.columns if c.replace(" ", "_").lower() in ("deciding_sentence", "sentence"))
    labels = labels.rename(columns={sent_col: "deciding_sentence"})
    for name, df in (("texts", texts), (labels_csv.name, labels)):
        if not df["idx"].is_unique:
            raise SystemExit(f"{name}: idx not unique: {df.loc[df['idx'].duplicated(), 'idx'].tolist()}")
    extra = sorted(set(labels["idx"]) - set(texts["idx"]))
    if extra:
        raise SystemExit(f"{labels_csv.name}: idx not among the texts: {extra}")
    both = texts.merge(labels, on="idx", how="left", validate="one_to_one", suffixes=("", "_label"))
    missing = both.loc[both["label"].isna() | (both["label"] == ""), "idx"].tolist()
    if missing:
        raise SystemExit(f"{labels_csv.name}: no label for idx {missing}")
    bad = both.loc[~both["label"].isin(["0", "1"]), ["idx", "label"]]
    if len(bad):
        raise SystemExit(f"{labels_csv.name}: label must be 0 or 1: {bad.values.tolist()}")

    corpus = pd.read_csv(corpus_csv, dtype=str, keep_default_na=False)
    corpus = corpus[~corpus["id"].str.startswith(PREFIX)]
    other = pd.read_csv(OTHER, dtype=str, keep_default_na=False)
    seen_genres = {fold_employer(t) for t in corpus["text"].map(employer_of)} - {""}
    seen_real = {fold_employer(t) for t in other["text"].map(employer_of)} - {""}

    rows, left_out = [], {"postings_genres": [], "postings_real": []}
    for r in both.to_dict("records"):
        employer = r.get("employer") or employer_of(r["text"])
        key = fold_employer(employer)
        if key in seen_genres or key in seen_real:
            left_out["postings_genres" if key in seen_genres else "postings_real"].append((r["idx"], employer))
            continue
        sent = r["deciding_sentence"]
        if sent and sent not in r["text"]:
            raise SystemExit(f"{labels_csv.name} idx {r['idx']}: deciding sentence not in the text: {sent!r}")
        marker = next((k for k in SOURCES if k in r.get("provenance", "")), None)
        if marker is None:
            raise SystemExit(f"texts idx {r['idx']}: provenance names no known source: {r.get('provenance')!r}")
        source, sampling = SOURCES[marker]
        if marker == "Job_analyze":
            genre = "kz_hh_snippet"
        elif r.get("genre"):
            genre = {"public_body": "state_portal_public_body"}.get(r["genre"], r["genre"])
        else:
            genre = "state_portal_public_body" if PUB.search(employer) else "state_portal_card"
        note = "; ".join(x for x in (r.get("note", ""), f"labeller: {r['confidence']}" if r.get("confidence") else "") if x)
        rid = f"{PREFIX}{int(r['idx']):04d}"
        if rid in RELABEL:  # a later decision of the guide (labels.py says which and why)
            lab, sent, why = RELABEL[rid]
            if sent not in r["text"]:
                raise SystemExit(f"labels.py RELABEL {rid}: deciding sentence not in the text: {sent!r}")
            r["label"], note = str(lab), f"relabelled: {why}; blind note: {note}"
        rows.append(
            {
                "id": rid,
                "lang": r.get("language") or r.get("lang") or "ru",
                "genre": genre,
                "source": source,
                "provenance": r.get("provenance", ""),
                "licence": r.get("licence", ""),
                "sampling": sampling + "; employers with a card in either validation corpus left out; labelled blind "
                "by an independent coder with the guide",
                "text": r["text"],
                "label": r["label"],
                "deciding_sentence": sent,
                "hard_case": note,
                "group_id": "emp:" + employer.strip(),
                "split": "seen_test" if part in READ_PARTS else "test",
            }
        )
    new = pd.DataFrame(rows, columns=COLUMNS)
    out = pd.concat([corpus, new], ignore_index=True)
    read = out["id"].str.match("|".join(f"{p}_" for p in READ_PARTS))
    out.loc[read, "split"] = "seen_test"
    if part not in READ_PARTS:  # one held-out part at a time: the newest
        out.loc[(out["split"] == "test") & ~out["id"].str.startswith(PREFIX), "split"] = "seen_test"
    out.to_csv(corpus_csv, index=False)
    n_g, n_r = len(left_out["postings_genres"]), len(left_out["postings_real"])
    print(f"{len(both)} cards; left out (employer seen): {n_g} in postings_genres, {n_r} in postings_real; kept {len(new)}")
    for k, v in left_out.items():
        for idx, emp in v:
            print(f"  left out idx {idx} ({k}): {emp}")
    print(new.groupby(["genre", "label"]).size())


if __name__ == "__main__":
    args = sys.argv[1:]
    part = "fresh2"
    if "--part" in args:
        i = args.index("--part")
        part = args[i + 1] if i + 1 < len(args) else ""
        del args[i : i + 2]
    if not 1 <= len(args) <= 3 or not re.fullmatch(r"fresh\d+", part):
        raise SystemExit("usage: python3 build_fresh2.py TEXTS_CSV [LABELS_CSV [CORPUS_CSV]] [--part freshN]")
    main(args[0], *map(Path, args[1:]), part=part)
