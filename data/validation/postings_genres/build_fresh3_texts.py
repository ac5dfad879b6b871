#!/usr/bin/env python3
"""Rebuild /work/blind4/texts.csv (fresh held-out postings, issue #25) from its two sources.

Sources (see PROVENANCE.md):
  A. trudvsem.ru cards of Sept-Oct 2016, the BMSTU course data set ``data_light.json`` as committed in
     GitHub milenayahutl/labs3sem@15b81804be814c73e3a8416a6aadbe3931be7388 (10,239,058 characters).
     The file is over the 4 MiB snapshot limit, so it could only be read page by page with the search
     tool's read_file; the card fields used here were copied verbatim into
     sources/data_light_excerpt.jsonl (env DATA_LIGHT_EXCERPT).
  B. trudvsem.ru cards of Spassk-Dalny (Primorsky krai), 2026, from the aggregator GitHub
     swedxn/spassk-jobs, every committed version of data/vacancies.json (env SPASSK_REPO = bare git dir).

Only the text columns of the project's existing corpora are read (to drop employers already used); no
labels. Output is written atomically; two runs give the same bytes.
"""
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
EXCERPT = os.environ.get("DATA_LIGHT_EXCERPT", os.path.join(HERE, "sources", "data_light_excerpt.jsonl"))
SPASSK = os.environ.get("SPASSK_REPO", "/work/.mirror/swedxn+spassk-jobs/repo")
MAIN = os.environ.get("MAIN_REPO", "/work/main")
BLIND3 = os.environ.get("BLIND3_TEXTS", "/work/blind3/texts.csv")
OUT = os.path.join(HERE, "texts.csv")
SEED = 20261207

DATA_LIGHT_REPO = "milenayahutl/labs3sem"
DATA_LIGHT_COMMIT = "15b81804be814c73e3a8416a6aadbe3931be7388"

# Public bodies: state / municipal institutions and authorities (учреждения, органы), not unitary
# enterprises or joint-stock companies (same convention as postings_genres' PUB regex).
PUB = re.compile(
    r"МБОУ|МБДОУ|МАДОУ|МКДОУ|МКОУ|МАОУ|МБУ|МКУ|МАУ|ГБУ|ГКУ|ГАУ|ГБУЗ|ГАУЗ|КГБУЗ|ОГБУЗ|ГБОУ|ГБПОУ|ГБУСО|ФГБУ|ФГКУ|ФКУ|КГКУ|КГБУ|(?<![А-ЯЁ])БУ(?![А-ЯЁ])"
    r"|учреждени|УЧРЕЖДЕНИ|Учреждени"
    r"|АДМИНИСТРАЦИЯ|Администрация|администрация"
    r"|ЦРБ|ВМУЗ|МВД|МОВО|ГУФСИН|ФСИН|Росгвард",
)
NOT_PUB = re.compile(r"унитарн|УНИТАРН|акционерн|АКЦИОНЕРН|Акционерн|ООО|Общество|ОБЩЕСТВО|ИП |Индивидуальный|ПАО|ОАО|ЗАО|АО ")

KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def norm(s):
    s = unicodedata.normalize("NFKC", str(s)).lower().replace("ё", "е")
    return re.sub(r"[^0-9a-zа-я]+", " ", s).strip()


def is_public(employer):
    if NOT_PUB.search(employer) and not re.search(r"учреждени|УЧРЕЖДЕНИ|Учреждени", employer):
        return False
    return bool(PUB.search(employer))


def language(text):
    words = re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+", text)
    kk = sum(1 for w in words if set(w) & KK_LETTERS)
    ru = len(words) - kk
    if kk and kk >= ru:
        return "kk"
    if kk >= 3:
        return "mixed"
    return "ru"


def seen_corpus_text():
    """Normalised text of the existing corpora (text columns only) and their provenances."""
    texts, provs = [], []
    for rel in ("data/validation/postings_real/postings_real.csv",
                "data/validation/postings_genres/postings_genres.csv"):
        path = os.path.join(MAIN, rel)
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                texts.append(row["text"])
                provs.append(row["provenance"])
    if os.path.exists(BLIND3):
        with open(BLIND3, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                texts.append(row["text"])
                provs.append(row["provenance"])
    return " ".join(norm(t) for t in texts), "\n".join(provs)


def join_fields(values):
    out = []
    for v in values:
        if v is None:
            continue
        v = str(v)
        if not v.strip():
            continue
        out.append(v)
    return "\n\n".join(out)


def source_a():
    rows = []
    with open(EXCERPT, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            d = json.loads(line)
            text = join_fields([d.get(k) for k in (
                "job-name", "company", "location", "salary", "employment", "schedule", "education",
                "experience", "description", "duty", "qualification", "term")])
            rows.append({
                "source": "A",
                "employer": d["company"],
                "text": text,
                "url": d["url"],
                "provenance": (f"github:{DATA_LIGHT_REPO}@{DATA_LIGHT_COMMIT}:data_light.json "
                               f"(read_file page offset {d['offset']}; copied to "
                               f"sources/data_light_excerpt.jsonl line {lineno}); {d['url']}"),
                "licence": "not stated (no licence file; card texts are employers' postings on trudvsem.ru, Sept-Oct 2016)",
                "order": (0, lineno),
            })
    return rows


def git(*args):
    return subprocess.check_output(["git", "-C", SPASSK, *args])


def source_b():
    commits = git("log", "--format=%H", "--", "data/vacancies.json").decode().split()
    seen = {}
    for c in commits:  # newest first: keep the newest stored version of each card
        try:
            data = json.loads(git("show", f"{c}:data/vacancies.json"))
        except (subprocess.CalledProcessError, json.JSONDecodeError):
            continue
        for v in data.get("vacancies", []):
            if v.get("source") != "Работа России":
                continue
            if v["id"] not in seen:
                seen[v["id"]] = (c, v)
    rows = []
    for vid in sorted(seen):
        c, v = seen[vid]
        vals = [v.get("name"), v.get("employer"), v.get("address") or v.get("city"), v.get("salary")]
        for k in ("experience", "education", "schedule"):
            x = v.get(k)
            vals.append(None if x in (None, "", "Не указано") else x)
        vals.append(v.get("description"))
        rows.append({
            "source": "B",
            "employer": v.get("employer") or "",
            "text": join_fields(vals),
            "url": v.get("url") or "",
            "provenance": f"github:swedxn/spassk-jobs@{c}:data/vacancies.json id={vid}; {v.get('url')}",
            "licence": "MIT (repository LICENSE); card texts are employers' postings on trudvsem.ru, no licence stated",
            "order": (1, v.get("publishedAt") or "", vid),
        })
    rows.sort(key=lambda r: r["order"])
    return rows


def main():
    corpus, corpus_prov = seen_corpus_text()
    rows = source_a() + source_b()
    kept, emp_seen, desc_seen, dropped = [], set(), set(), []
    for r in rows:
        e = norm(r["employer"])
        body = norm(r["text"])[:300]
        if not e:
            dropped.append(("no employer", r["url"]))
            continue
        if any(e == x or (r["source"] == "B" and (e.startswith(x + " ") or x.startswith(e + " ")))
               for x in emp_seen):
            dropped.append(("employer repeated", r["url"]))
            continue
        if len(e) >= 8 and e in corpus:
            dropped.append(("employer in existing corpora", r["url"]))
            continue
        if r["url"] and r["url"] in corpus_prov:
            dropped.append(("card in existing corpora", r["url"]))
            continue
        if body in desc_seen:
            dropped.append(("duplicate text", r["url"]))
            continue
        emp_seen.add(e)
        desc_seen.add(body)
        r["genre"] = "public_body" if is_public(r["employer"]) else "state_portal_card"
        r["language"] = language(r["text"])
        kept.append(r)

    kept.sort(key=lambda r: r["order"])
    random.Random(SEED).shuffle(kept)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["idx", "genre", "language", "employer", "text", "provenance", "licence"])
    for i, r in enumerate(kept, 1):
        w.writerow([i, r["genre"], r["language"], r["employer"], r["text"], r["provenance"], r["licence"]])
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    os.replace(tmp, OUT)

    from collections import Counter
    print("kept", len(kept), file=sys.stderr)
    print(Counter((r["source"], r["genre"], r["language"]) for r in kept), file=sys.stderr)
    for reason, url in dropped:
        print("dropped:", reason, url, file=sys.stderr)


if __name__ == "__main__":
    main()
