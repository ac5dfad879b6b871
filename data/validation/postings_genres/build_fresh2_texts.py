"""Rebuild /work/blind3/texts.csv from the stored sources (deterministic).

Sources
-------
1. trudvsem.ru cards (Russian state job portal) from GitHub MarBel2797-create/trudvsem-analysis,
   file trudvsem_vacancies.csv at commit 0ab4fc8efd2d1f6bf14d0b348e90148827ce6497.  The repository has no
   snapshot for `fetch`, so the selected rows were copied byte-for-byte (header + raw CSV lines) from the
   index's `read_file` view into sources/trudvsem-analysis_excerpt.csv.  Path: env TRUDVSEM_EXCERPT
   (default: sources/trudvsem-analysis_excerpt.csv next to this script).
2. hh.kz search-API items (Astana) from GitHub Zhanahmet01p/Job_analyze, a bare git mirror.  Path: env
   ZHANAHMET_REPO (default /work/.mirror/Zhanahmet01p+Job_analyze/repo).  Blobs read with `git show`:
   743de3e:data/vacancies.csv, d6bf0d2:data/vacancies.csv, d6bf0d2:backend/data/vacancies.csv.

Text of a card = the non-empty stored field values joined by one blank line, no character altered.
Run:  /work/main/.venv/bin/python build.py
"""

import ast
import csv
import io
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SEED = 20261206
TRUDVSEM_EXCERPT = Path(
    os.environ.get("TRUDVSEM_EXCERPT", HERE / "sources" / "trudvsem-analysis_excerpt.csv")
)
TRUDVSEM_REPO = "MarBel2797-create/trudvsem-analysis"
TRUDVSEM_COMMIT = "0ab4fc8efd2d1f6bf14d0b348e90148827ce6497"
TRUDVSEM_PATH = "trudvsem_vacancies.csv"
TRUDVSEM_LICENCE = "MIT (repository LICENSE, commit 555b6e17784f63545e6490a55421bafc50bdff20); card texts: employers' postings on trudvsem.ru, licence not stated"

ZH_REPO = Path(os.environ.get("ZHANAHMET_REPO", "/work/.mirror/Zhanahmet01p+Job_analyze/repo"))
ZH_NAME = "Zhanahmet01p/Job_analyze"
# newest first: an hh.kz id seen in several snapshots keeps its newest version
ZH_BLOBS = [
    ("743de3e6f415294c6860ff657351cc16442bcaf9", "data/vacancies.csv"),
    ("d6bf0d286c3d118bd963ebe659312ae4c58e3d8d", "data/vacancies.csv"),
    ("d6bf0d286c3d118bd963ebe659312ae4c58e3d8d", "backend/data/vacancies.csv"),
]
ZH_LICENCE = "not stated (no licence file); card texts: employers' postings on hh.kz"

# Russian state / municipal bodies by legal form in the employer name (trudvsem).
RU_PUB = re.compile(
    r"(^|[\s\"«(])(МБОУ|МКУ|МАУ|МБУ|ГКУ|ГБУ|ГАУ|ГУП|ГБУЗ|ГАУЗ|ГУЗ|ФГБУ|ФГКУ|ФБУЗ|ФКУ|ФГБОУ|ГБПОУ|ГАПОУ|ГАУСО|"
    r"ГБСУ|ОГКУ|СПБ ГКУ|СПБ ГБУ|МКУДО|МБУК)\b|ПЕТРОСТАТ|МАЛЫЙ БИЗНЕС МОСКВЫ|МИНИСТЕРСТВА ВНУТРЕННИХ ДЕЛ"
)
# Kazakh state bodies and state enterprises by legal form / name (hh.kz).
KZ_PUB = re.compile(
    r"\b(РГП|РГКП|ГККП|КГП|КГКП|КГУ|РГУ)\b|^ГУ |Государственн|Министерств|акимат|"
    r"Назарбаев интеллектуальные школы|Национальная компания|РЕСПУБЛИКАНСКАЯ ФИЗИКО-МАТЕМАТИЧЕСКАЯ ШКОЛА",
    re.IGNORECASE,
)
# public associations, parties and sports federations are not state bodies
NOT_PUB_KZ = re.compile(r"общественное объединение|^РОО ", re.IGNORECASE)
# employers of the first real corpus's public-sector cards (its PROVENANCE.md): their boilerplate was seen
FIRST_CORPUS_EMPLOYERS = {
    "Назарбаев интеллектуальные школы, Автономная организация образования",
    "Национальный центр экспертизы и сертификации",
}
KK_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYR = re.compile(r"[А-Яа-яЁё]")


def language(text):
    """ru, kk or mixed, from the words of the card's body (not the employer name).

    kk: at least as many words with Kazakh-specific letters as Cyrillic words without them; mixed: 3+ Kazakh
    words but more Russian ones; ru: otherwise.
    """
    kk = len(KK_LETTERS.findall(text))
    if kk == 0:
        return "ru"
    # Russian-only words: Cyrillic words without any Kazakh-specific letter, 4+ letters long
    words = re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{4,}", text)
    ru_words = [w for w in words if not KK_LETTERS.search(w)]
    kk_words = [w for w in words if KK_LETTERS.search(w)]
    if len(kk_words) < 3:  # a Kazakh name or title inside Russian text
        return "ru"
    return "kk" if len(ru_words) <= len(kk_words) else "mixed"


def norm(s):
    return re.sub(r"\W+", " ", str(s).lower()).strip()


def trudvsem_rows():
    raw = TRUDVSEM_EXCERPT.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    out, seen_desc = [], set()
    for i, r in enumerate(rows, start=1):
        key = norm(r["duty"])
        if key in seen_desc:  # template duties shared by many employers
            continue
        seen_desc.add(key)
        # salary is stored only as numbers (salary_min, salary_max, currency): left out rather than
        # composed into a string the card never had
        fields = [r["name"], r["company"], r["region"], r["requirement"], r["duty"]]
        text = "\n\n".join(f for f in fields if f and f.strip())
        genre = "public_body" if RU_PUB.search(r["company"]) else "state_portal_card"
        out.append(
            dict(
                genre=genre,
                language=language(r["requirement"] + " " + r["duty"]),
                employer=r["company"],
                text=text,
                provenance=f"github {TRUDVSEM_REPO} @ {TRUDVSEM_COMMIT} : {TRUDVSEM_PATH} ; {r['url']} "
                f"(excerpt row {i})",
                licence=TRUDVSEM_LICENCE,
            )
        )
    return out


def zh_frames():
    frames = []
    for commit, path in ZH_BLOBS:
        blob = subprocess.run(
            ["git", "--git-dir", str(ZH_REPO), "show", f"{commit}:{path}"],
            check=True,
            capture_output=True,
        ).stdout
        d = pd.read_csv(io.BytesIO(blob), dtype=str, keep_default_na=False)
        d["_commit"], d["_path"] = commit, path
        d["_row"] = range(2, len(d) + 2)  # 1-based file line (header = line 1)
        frames.append(d)
    return pd.concat(frames, ignore_index=True).drop_duplicates("id", keep="first")


def lit(s):
    try:
        return ast.literal_eval(s) if s else {}
    except (ValueError, SyntaxError):
        return {}


def zh_card(r):
    emp = lit(r["employer"]).get("name", "")
    area = lit(r["area"]).get("name", "")
    sn = lit(r["snippet"])
    exp = lit(r["experience"]).get("name", "")
    empl = lit(r["employment"]).get("name", "")
    sch = lit(r["schedule"]).get("name", "")
    fields = [r["name"], emp, area, sn.get("requirement") or "", sn.get("responsibility") or "", exp, empl, sch]
    return emp, "\n\n".join(f for f in fields if f and str(f).strip())


def zh_rows(exclude_ids, n_other=20):
    d = zh_frames()
    d = d[~d["id"].isin(exclude_ids)]
    cards = []
    for _, r in d.iterrows():
        emp, text = zh_card(r)
        sn = lit(r["snippet"])
        body = (sn.get("requirement") or "") + (sn.get("responsibility") or "")
        if len(body) < 120:
            continue
        if len(CYR.findall(text)) < 2 * len(re.findall(r"[A-Za-z]", text)):
            continue  # English-language cards
        cards.append((r["id"], emp, text, r["_commit"], r["_path"], r["_row"], r["alternate_url"], body))
    cards.sort(key=lambda c: int(c[0]))
    # one card per employer (lowest hh id), and dedup by normalised snippet
    by_emp, seen = {}, set()
    for c in cards:
        k = norm(c[2].split("\n\n", 3)[-1])[:200]
        if c[1] in by_emp or k in seen:
            continue
        by_emp[c[1]] = c
        seen.add(k)
    by_emp = {e: c for e, c in by_emp.items() if not NOT_PUB_KZ.search(e) and e not in FIRST_CORPUS_EMPLOYERS}
    pub = [c for e, c in by_emp.items() if KZ_PUB.search(e)]
    kk = [c for e, c in by_emp.items() if not KZ_PUB.search(e) and language(c[7]) != "ru"]
    rest = sorted(
        (c for e, c in by_emp.items() if not KZ_PUB.search(e) and language(c[7]) == "ru"),
        key=lambda c: int(c[0]),
    )
    other = random.Random(SEED).sample(rest, n_other)
    out = []
    for group, genre in ((pub, "public_body"), (kk, "other"), (other, "other")):
        for cid, emp, text, commit, path, row, url, body in group:
            out.append(
                dict(
                    genre=genre,
                    language=language(body),
                    employer=emp,
                    text=text,
                    provenance=f"github {ZH_NAME} @ {commit} : {path} row {row} ; {url}",
                    licence=ZH_LICENCE,
                )
            )
    return out


def existing_hh_ids():
    """hh vacancy ids already in the first real corpus (read from its provenance column only)."""
    p = Path("/work/main/data/validation/postings_real/postings_real.csv")
    if not p.exists():
        return set()
    prov = pd.read_csv(p, usecols=["provenance"])["provenance"].astype(str)
    return set(re.findall(r"vacancy/(\d+)", " ".join(prov)))


def seen_employers(rows):
    """Employers whose name occurs in the texts of the two existing real corpora (their boilerplate was seen)."""
    texts = []
    for p in (
        "/work/main/data/validation/postings_real/postings_real.csv",
        "/work/main/data/validation/postings_genres/postings_genres.csv",
    ):
        if Path(p).exists():
            texts += pd.read_csv(p, usecols=["text"])["text"].astype(str).tolist()
    big = " ".join(texts).lower()
    return {r["employer"] for r in rows if len(r["employer"]) >= 8 and r["employer"].lower() in big}


def main():
    rows = trudvsem_rows() + zh_rows(existing_hh_ids())
    seen = seen_employers(rows)
    print(f"dropped (employer in an existing corpus): {sorted(seen)}", file=sys.stderr)
    rows = [r for r in rows if r["employer"] not in seen]
    rng = random.Random(SEED)
    order = list(range(len(rows)))
    rng.shuffle(order)
    df = pd.DataFrame([rows[i] for i in order])
    df.insert(0, "idx", range(1, len(df) + 1))
    df = df[["idx", "genre", "language", "employer", "text", "provenance", "licence"]]
    out = HERE / "texts.csv"
    tmp = out.with_suffix(".tmp")
    df.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(out)
    print(df.groupby(["genre", "language"]).size().to_string(), file=sys.stderr)
    print(f"{len(df)} rows -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
