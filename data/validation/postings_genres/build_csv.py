"""Assemble ``postings_genres.csv`` from ``_sample.json`` (build_sample.py) and the hand labels (labels.py).

``text`` = the non-empty card fields in the source column order (title, company, region, salary, publication
date, description), joined by one blank line. The description is the card page's text exactly as the scraper
stored it (one line: the portal's own headings «Должностные обязанности», «Требования к кандидату», «Данные по
вакансии», «Контактная информация» … run on inside it). No characters altered.
"""

from __future__ import annotations

import json

import pandas as pd
from labels import N, P
from split import assign_split

FIELDS = ["title", "company", "region", "salary", "date", "description"]
LICENCE = "not stated (no licence file in the repository; the card texts are employers' postings on trudvsem.ru)"
SAMPLING = {
    "state_portal_public_body": "all cards of state, regional and municipal bodies and institutions (regex PUB)",
    "state_portal_card": "seeded random 70 of the other employers' cards (seed 20251205)",
}


def main() -> None:
    sample = json.load(open("_sample.json", encoding="utf-8"))
    rows = []
    for i, r in enumerate(sample):
        text = "\n\n".join(str(r[f]) for f in FIELDS if r.get(f) not in (None, "", "nan"))
        label, (sent, hard) = (1, P[i]) if i in P else (0, N.get(i, ("", "")))
        if sent and sent not in text:
            raise SystemExit(f"sample {i}: deciding sentence not in text: {sent!r}")
        rows.append(
            {
                "id": f"gen_{i + 1:04d}",
                "lang": "ru",
                "genre": r["genre"],
                "source": "trudvsem.ru (Работа России, the Russian state job portal) via GitHub Neas1231/Trudvsem-parcer",
                "provenance": r["provenance"],
                "licence": LICENCE,
                "sampling": SAMPLING[r["genre"]],
                "text": text,
                "label": label,
                "deciding_sentence": sent,
                "hard_case": hard,
                "group_id": "emp:" + str(r["company"]).strip(),
            }
        )
    df = assign_split(pd.DataFrame(rows))
    df.to_csv("postings_genres.csv", index=False)
    print(df.groupby(["genre", "label", "split"]).size())


if __name__ == "__main__":
    main()
