"""Assemble ``postings_genres.csv`` from ``_sample.json`` (build_sample.py) and the hand labels (labels.py).

``text`` = the non-empty card fields in the source column order (title, company, region, salary, publication
date, description), joined by one blank line. The description is the card page's text exactly as the scraper
stored it (one line: the portal's own headings «Должностные обязанности», «Требования к кандидату», «Данные по
вакансии», «Контактная информация» … run on inside it). No characters altered. The second fresh part (the held-out
``test``) is added afterwards by ``build_fresh2.py``.
"""

from __future__ import annotations

import json
import os

import pandas as pd
from labels import N, P
from split import assign_split

FIELDS = ["title", "company", "region", "salary", "date", "description"]
LICENCE = "not stated (no licence file in the repository; the card texts are employers' postings on trudvsem.ru)"
SAMPLING = {
    "state_portal_public_body": "all cards of state, regional and municipal bodies and institutions (regex PUB)",
    "state_portal_card": "seeded random 70 of the other employers' cards (seed 20251205)",
}


def fresh_part(first: pd.DataFrame) -> pd.DataFrame:
    """The first fresh part (``build_fresh.py``) with the blind coder's labels (``fresh_labels.csv``), less the
    cards of employers seen while tuning (a card in dev, or among the read errors). It was held out for one run;
    its errors were then read (PROVENANCE.md), so it is now part of ``seen_test``."""
    if "TRUDVSEM_REPO" not in os.environ:
        raise SystemExit("set TRUDVSEM_REPO to the git dir of Neas1231/Trudvsem-parcer")
    from build_fresh import FRESH_N, FRESH_SEED, READ_ERRORS, fresh_cards

    cards = fresh_cards()
    seen = set(first.loc[first["split"] == "dev", "group_id"]) | set(
        first.loc[first["id"].isin(READ_ERRORS), "group_id"]
    )
    cards = cards[~cards["group_id"].isin(seen)]
    labels = pd.read_csv("fresh_labels.csv", dtype={"label": int}, keep_default_na=False).set_index("id")
    out = []
    for r in cards.to_dict("records"):
        lab = labels.loc[r["id"]]
        sent = lab["deciding_sentence"] if lab["label"] == 1 else ""
        if sent and sent not in r["text"]:
            raise SystemExit(f"{r['id']}: deciding sentence not in text: {sent!r}")
        out.append(
            {
                "id": r["id"],
                "lang": "ru",
                "genre": "state_portal_card",
                "source": "trudvsem.ru (Работа России, the Russian state job portal) via GitHub Neas1231/Trudvsem-parcer",
                "provenance": r["provenance"],
                "licence": LICENCE,
                "sampling": f"fresh part: seeded {FRESH_N} of the other employers' cards the first sample left out "
                f"(seed {FRESH_SEED}), employers seen while tuning left out; labelled blind by an independent coder",
                "text": r["text"],
                "label": int(lab["label"]),
                "deciding_sentence": sent,
                "hard_case": lab["note"],
                "group_id": r["group_id"],
                # run once as the held-out part, then read to settle the guide's open cases: seen, no longer held out
                "split": "seen_test",
            }
        )
    return pd.DataFrame(out)


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
    # the first test part was read to fix the coder's errors: reported as seen, no longer held out
    df["split"] = df["split"].replace({"test": "seen_test"})
    df = pd.concat([df, fresh_part(df)], ignore_index=True)
    df.to_csv("postings_genres.csv", index=False)
    print(df.groupby(["genre", "label", "split"]).size())


if __name__ == "__main__":
    main()
