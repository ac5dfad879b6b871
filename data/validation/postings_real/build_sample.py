"""Reproducible sampling of hh.kz vacancies from tsapuanq/hh-tg-vacancy-bot-db (all commits, data/raw/*.csv + data/main.csv).
Dedup: first occurrence per link (commits in `git rev-list --all` order), then one per (company,title) and per normalised description prefix.
Language filter: Cyrillic letters >= 2x Latin letters. Strata: public-sector employers (all), commercial non-IT titles (n=75), commercial IT/data titles (n=40). Seed 20251126."""

import csv
import io
import json
import os
import pickle
import random
import re
import subprocess
import sys

# a local git clone of github.com/tsapuanq/hh-tg-vacancy-bot-db, given by the caller
MIRROR = os.environ.get("HHKZ_REPO") or sys.exit("set HHKZ_REPO to a git clone of tsapuanq/hh-tg-vacancy-bot-db")
if not os.path.exists("_hhkz_rows.pkl"):
    # every distinct blob of data/raw/*.csv and data/main.csv over all commits (git rev-list --all order, newest first);
    # a vacancy (keyed by its hh.kz link) is taken from the first blob in which it appears
    revs = subprocess.run(["git", "-C", MIRROR, "rev-list", "--all"], capture_output=True, text=True).stdout.split()
    seen = {}
    for r in revs:
        for line in subprocess.run(
            ["git", "-C", MIRROR, "ls-tree", "-r", r], capture_output=True, text=True
        ).stdout.splitlines():
            meta, path = line.split("\t")
            if (path.endswith(".csv") and "raw" in path) or path == "data/main.csv":
                blob = meta.split()[2]
                if blob not in seen:
                    seen[blob] = (r, path)
    allrows = {}
    for blob, (r, path) in seen.items():
        txt = subprocess.run(["git", "-C", MIRROR, "cat-file", "-p", blob], capture_output=True).stdout.decode(
            "utf-8-sig", "replace"
        )
        for row in csv.DictReader(io.StringIO(txt)):
            link = row.get("link") or row.get("url")
            if link and link not in allrows:
                allrows[link] = (r, path, blob, row)
    pickle.dump(allrows, open("_hhkz_rows.pkl", "wb"))
rows = pickle.load(open("_hhkz_rows.pkl", "rb"))
PUB = re.compile(
    r"РГП|ГКП|Агентство Республики Казахстан|Центр обеспечения деятельности НБРК|Банковское сервисное бюро Национального Банка|Astana International Financial Centre Authority|ЕНПФ|Фонд социального медицинского страхования|Назарбаев интеллектуальные школы|Центр развития города Алматы|Национальные информационные технологии|Қазақстан темір жолы|Банк Развития Казахстана|Отбасы банк|Аграрная кредитная корпорация|Ситуационно-аналитический центр|Центральный депозитарий|Национальный центр экспертизы"
)
IT = re.compile(
    r"data|ml|devops|engineer|developer|разработчик|программист|analyst|аналитик|scien|python|java|\.net|sql|qa|bi |it |ит |sap|1с|1c|cto|mlops|nlp|vision|software|инженер данных|системн",
    re.I,
)
seen_ct = set()
seen_d = set()
items = []
for link, (rev, path, blob, row) in rows.items():
    ct = (row["company"].strip(), row["title"].strip().lower())
    d = re.sub(r"\W+", "", row["description"].lower())[:400]
    txt = row["description"]
    cyr = len(re.findall(r"[а-яёәғқңөұүһі]", txt, re.I))
    lat = len(re.findall(r"[a-z]", txt, re.I))
    if cyr < 2 * lat:
        continue  # keep Russian/Kazakh postings only (Cyrillic letters >= 2x Latin letters)
    if ct in seen_ct or d in seen_d or len(row["description"].strip()) < 200:
        continue
    seen_ct.add(ct)
    seen_d.add(d)
    items.append(dict(link=link, rev=rev, path=path, blob=blob, row=row))
pub = [i for i in items if PUB.search(i["row"]["company"])]
rest = [i for i in items if not PUB.search(i["row"]["company"])]
nonit = [i for i in rest if not IT.search(i["row"]["title"])]
itr = [i for i in rest if IT.search(i["row"]["title"])]
rng = random.Random(20251126)
for L in (pub, nonit, itr):
    L.sort(key=lambda i: i["link"])
sel = (
    [("public_sector_card", i) for i in pub]
    + [("commercial_card", i) for i in rng.sample(nonit, 75)]
    + [("commercial_card", i) for i in rng.sample(itr, 40)]
)
print(len(items), len(pub), len(nonit), len(itr), len(sel))
json.dump([dict(genre=g, **i) for g, i in sel], open("_sample.json", "w"), ensure_ascii=False)

# Batch 2 (added after batch 1 was labelled, to enlarge the non-IT stratum): 45 more non-IT-title postings,
# drawn with a separate seeded generator from the non-IT postings not drawn in batch 1.
drawn = {i["link"] for g, i in sel}
rest2 = [i for i in nonit if i["link"] not in drawn]
rng2 = random.Random(20251126 + 1)
sel2 = [("commercial_card", i) for i in rng2.sample(rest2, 45)]
json.dump([dict(genre=g, **i) for g, i in sel + sel2], open("_sample.json", "w"), ensure_ascii=False)
print("with batch 2:", len(sel + sel2))
