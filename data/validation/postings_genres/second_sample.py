"""Draw the sample an independent coder relabelled blind (``second_labels.csv``): 60 of the first 180 cards,
stratified by genre in proportion, seed 20261205, shuffled; the coder saw only ``id`` and ``text``
(``_second_texts.csv``) and the labelling guide (``../postings_real/LABELLING.md`` with this corpus's additions)."""

from __future__ import annotations

import csv
import random

N, SEED = 60, 20261205


def main() -> None:
    rows = [r for r in csv.DictReader(open("postings_genres.csv", encoding="utf-8")) if r["id"].startswith("gen_")]
    rng = random.Random(SEED)
    by: dict[str, list] = {}
    for r in rows:
        by.setdefault(r["genre"], []).append(r)
    sample = []
    for _, rs in sorted(by.items()):
        sample += rng.sample(rs, round(N * len(rs) / len(rows)))
    rng.shuffle(sample)
    with open("_second_texts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerows([r["id"], r["text"]] for r in sample)


if __name__ == "__main__":
    main()
