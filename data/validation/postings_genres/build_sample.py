"""Draw the sample of state job-portal cards (trudvsem.ru, «Работа России») from the source snapshot.

Usage: ``TRUDVSEM_REPO=<git dir of Neas1231/Trudvsem-parcer> python3 build_sample.py`` -> ``_sample.json``.
The source rows are the spreadsheets the scraper committed (``v0/parced_data.xlsx`` and ``v1/parced_data.xlsx``,
every stored version); see PROVENANCE.md. Needs pandas and openpyxl.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess

import numpy as np
import pandas as pd

REPO = os.environ["TRUDVSEM_REPO"]
SEED = 20251205
# blob -> (commit, path) where it was found
BLOBS = {
    "c553d2be500241674c6daf0d1b7fb6a970da4ec5": ("5dda4558b5bee2401a355426ef35deb69fb5e898", "v1/parced_data.xlsx"),
    "eeee053518bbc0d8e6d41b4c37207c6f3229014f": ("322f9a3f14a6334c9286b0f6c779bf29918e1489", "v0/parced_data.xlsx"),
}
COLS = ["title", "description", "salary", "date", "region", "company", "requirements", "experience", "schedule"]
# state, regional and municipal bodies and institutions (by the employer's name as the portal shows it)
PUB = re.compile(
    r"^(?:МБУ|МАУ|МКУ|МУК|МУ\s|МДЦ|ГБУ|ГАУ|ГКУ|ГКБУ|ГУ\s|ГУК|ГБОУ|ГБПОУ|КОГБУК|ФГ|ФБУЗ|ФКУ|ФИЛИАЛ\s+Ф|ГОХРАН|МТУ|АУ\s|БУК\s|МОВО)"
    r"|МУЗЕЙ|ЗАПОВЕДНИК|ФЕДЕРАЛЬН|ГОСУДАРСТВЕНН|МУНИЦИПАЛЬН|ВОЙСК|ВНГ|ФОНД РЕНОВАЦИИ|КОМПЛЕКС \"КАТЫНЬ\"",
    re.IGNORECASE,
)


def rows() -> pd.DataFrame:
    out = []
    for blob, (commit, path) in BLOBS.items():
        raw = subprocess.run(["git", "-C", REPO, "cat-file", "-p", blob], capture_output=True, check=True).stdout
        d = pd.read_excel(io.BytesIO(raw), header=None, names=COLS, dtype=str)
        d["provenance"] = [f"github:Neas1231/Trudvsem-parcer@{commit}:{path} row {i + 1}" for i in range(len(d))]
        out.append(d)
    d = pd.concat(out, ignore_index=True)
    d = d[d["description"].notna()]
    d = d.drop_duplicates(subset=["description"])
    d = d.drop_duplicates(subset=["company", "title"])
    d = d[~d["description"].str.slice(0, 200).duplicated()]
    d["public"] = d["company"].fillna("").str.contains(PUB)
    return d.reset_index(drop=True)


def main() -> None:
    d = rows()
    rng = np.random.default_rng(SEED)
    pub = d[d["public"]]
    other = d[~d["public"]]
    pick = np.sort(rng.choice(len(other), size=min(70, len(other)), replace=False))
    sample = pd.concat([pub, other.iloc[pick]])
    sample = sample.assign(genre=np.where(sample["public"], "state_portal_public_body", "state_portal_card"))
    recs = sample.drop(columns=["public"]).to_dict("records")
    with open("_sample.json", "w", encoding="utf-8") as f:
        json.dump(recs, f, ensure_ascii=False, indent=0)
    print(len(d), "distinct cards;", len(pub), "public bodies;", len(pick), "others drawn")


if __name__ == "__main__":
    main()
