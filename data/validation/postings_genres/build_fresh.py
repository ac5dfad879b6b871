"""Draw the fresh held-out part of ``postings_genres.csv``: cards of the snapshot not in the first sample.

The first test part was read to fix the coder's errors (see PROVENANCE.md), so it is no longer held out. This
draws a seeded 80 of the 131 other-employer cards the first sample left out, for an independent coder to label
blind (``fresh_labels.csv``), before the coder was run on them. Cards of an employer that has a card in the dev
part, or among the first test part's errors, are left out: their boilerplate was seen while tuning.

Usage: ``TRUDVSEM_REPO=<git dir of Neas1231/Trudvsem-parcer> python3 build_fresh.py`` -> ``_fresh_texts.csv``
(id, text: what the blind coder read). ``build_csv.py`` then joins the labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_sample import SEED, rows

FRESH_SEED = 20261205
FRESH_N = 80
FIELDS = ["title", "company", "region", "salary", "date", "description"]
# the first test part's errors, read to fix the coder (PROVENANCE.md, "Tuning")
READ_ERRORS = ("gen_0014", "gen_0071", "gen_0101", "gen_0165")


def card_text(r: dict) -> str:
    return "\n\n".join(str(r[f]) for f in FIELDS if isinstance(r.get(f), str) and r[f] not in ("", "nan"))


def fresh_cards() -> pd.DataFrame:
    """The 80 fresh cards in draw order, with ``id`` (``fresh_0001`` …) and ``text``."""
    d = rows()
    rng = np.random.default_rng(SEED)
    other = d[~d["public"]]
    pick = np.sort(rng.choice(len(other), size=min(70, len(other)), replace=False))  # the first sample's draw
    rest = other.drop(other.index[pick])
    fresh = rest.sample(n=FRESH_N, random_state=FRESH_SEED)
    recs = fresh.to_dict("records")
    return fresh.assign(
        id=[f"fresh_{i + 1:04d}" for i in range(len(fresh))],
        text=[card_text(r) for r in recs],
        group_id=["emp:" + str(r["company"]).strip() for r in recs],
    )


def main() -> None:
    fresh_cards()[["id", "text"]].to_csv("_fresh_texts.csv", index=False)


if __name__ == "__main__":
    main()
