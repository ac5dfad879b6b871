"""Assemble postings_real.csv from (1) Kazakh civil-service competition announcements found as .doc/.pdf files in
github:dontstopbelievin/uaig_comm_calculator (text extracted verbatim with antiword / pdftotext) and (2) the seeded hh.kz
sample in _sample.json (see build_sample.py). Labels come from labels.py (hh.kz) and CS below (civil service), set by reading.
Does NOT assign the split (see split.py)."""

import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, ".")
from labels import L

UAIG = "dontstopbelievin/uaig_comm_calculator"
UAIG_COMMIT = "77c905a317096390ede938cd0dfe13f46c8e1a5b"
# (file, lang, group, note) - RU/KK versions of the same announcement share a group
CS = [
    ("obshh_konkurs_na_glavnogo_specialista_auezov.doc", "ru", "uaig_2018-06-20_auezov", ""),
    (
        "zhalpy_konkurs_bas_maman_auezov.doc",
        "kk",
        "uaig_2018-06-20_auezov",
        "Kazakh version of the same announcement as its RU pair",
    ),
    ("obshh_konkurs_na_glavnogo_specialista_apz.doc", "ru", "uaig_2018-06-20_apz", ""),
    (
        "zhalpy_konkurs_bas_maman_apz.doc",
        "kk",
        "uaig_2018-06-20_apz",
        "Kazakh version of the same announcement as its RU pair",
    ),
    ("zhalpykonkursbasmamanru.pdf", "ru", "uaig_2018-04-24_bostandyk", ""),
    (
        "zhalpykonkursbasmaman.pdf",
        "kk",
        "uaig_2018-04-24_bostandyk",
        "Kazakh version of the same announcement as its RU pair",
    ),
    (
        "zhalpykonkursbasmamanapz_2inzhru.pdf",
        "ru",
        "uaig_2018-04-24_apz2_engnet",
        "two positions in one announcement; engineering-networks duties mention entering information into the duty plan of engineering networks and forming a base of approved projects - not explicitly electronic, coded 0 (borderline)",
    ),
    (
        "zhalpykonkursbasmamanapz_2inzh.pdf",
        "kk",
        "uaig_2018-04-24_apz2_engnet",
        "Kazakh version of the same announcement as its RU pair; same engineering-networks borderline as the RU version",
    ),
]
# EXCLUDED: zhalpykonkursbasmamanbostandyk(ru).pdf - its two positions duplicate the bostandyk and engineering-networks texts above.

# a local git clone of github.com/dontstopbelievin/uaig_comm_calculator (at UAIG_COMMIT), given by the caller
MIRROR = os.environ.get("UAIG_REPO") or sys.exit(
    "set UAIG_REPO to a git clone of dontstopbelievin/uaig_comm_calculator"
)


def extract(fn):
    import tempfile

    blob = subprocess.run(
        ["git", "-C", MIRROR, "show", f"{UAIG_COMMIT}:public/docs/{fn}"], capture_output=True, check=True
    ).stdout
    tmp = tempfile.NamedTemporaryFile(suffix=fn[-4:], delete=False)
    tmp.write(blob)
    tmp.close()
    p = tmp.name
    if fn.endswith(".doc"):
        return subprocess.run(["antiword", "-m", "UTF-8.txt", p], capture_output=True, text=True, check=True).stdout
    return subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"], capture_output=True, text=True, check=True).stdout


def egov_sentence(t):
    k = t.find("Е-gov")
    a = max(t.rfind(".", 0, k), t.rfind(";", 0, k)) + 1
    b = t.find(".", k + 6) + 1
    return t[a:b].strip()


def lang_of(t):
    kk = len(re.findall(r"[әғқңөұүһі]", t.lower()))
    cyr = len(re.findall(r"[а-яё]", t.lower()))
    return "kk" if kk > 0.03 * max(cyr, 1) else "ru"


rows = []
for fn, lang, grp, note in CS:
    t = extract(fn)
    dec = egov_sentence(t)
    assert dec and dec in t
    hc = "application via the e-gov portal / e-mail appears only in the submission procedure; requirements and duties name no digital skill"
    if note:
        hc += "; " + note
    tool = "antiword 0.37" if fn.endswith(".doc") else "pdftotext (poppler 22.12)"
    rows.append(
        dict(
            lang=lang,
            genre="kz_civil_service_competition",
            source="uaig.kz (Almaty architecture & urban planning dept.) via GitHub",
            provenance=f"github:{UAIG} @ {UAIG_COMMIT} : public/docs/{fn} (text extracted with {tool})",
            licence="not stated",
            sampling="all competition announcements found in the repository (2018), RU+KK pairs kept, one overlapping pair excluded",
            text=t,
            label=0,
            deciding_sentence=dec,
            hard_case=hc,
            group_id=grp,
        )
    )

s = json.load(open("_sample.json"))
FIELDS = [
    "title",
    "company",
    "location",
    "salary",
    "description",
    "experience",
    "employment_type",
    "schedule",
    "working_hours",
    "work_format",
    "published_date",
    "skills",
]
for i, x in enumerate(s):
    if L.get(i) is None:
        continue
    lab, dec, hc = L[i]
    r = x["row"]
    # text = non-empty stored field values of the source CSV row, in source column order (link excluded), joined by blank lines
    order = [k for k in r.keys() if k != "link"]
    text = "\n\n".join(r[k] for k in order if r[k] and r[k].strip())
    assert not dec or dec in text
    lang = lang_of(r["description"])
    if lang == "kk" or (len(re.findall(r"[әғқңөұүһі]", r["description"].lower())) > 20):
        lang = "mixed"
    rows.append(
        dict(
            lang=lang,
            genre=x["genre"],
            source="hh.kz via GitHub (tsapuanq/hh-tg-vacancy-bot-db)",
            provenance=f"github:tsapuanq/hh-tg-vacancy-bot-db @ {x['rev']} : {x['path']} (row with link {x['link']})",
            licence="not stated",
            sampling=(
                "all state/quasi-state employers after dedup"
                if x["genre"] == "public_sector_card"
                else (
                    "seeded random sample, stratum non-IT job titles" + (" (batch 2)" if i >= 154 else "")
                    if (39 <= i < 114 or i >= 154)
                    else "seeded random sample, stratum IT/data job titles"
                )
            )
            + f" (build_sample.py, seed 20251126; sample index {i})",
            text=text,
            label=lab,
            deciding_sentence=dec,
            hard_case=hc,
            group_id=f"hh_{i}",
        )
    )

for n, r in enumerate(rows, 1):
    r["id"] = f"real_{n:04d}"
cols = [
    "id",
    "lang",
    "genre",
    "source",
    "provenance",
    "licence",
    "sampling",
    "text",
    "label",
    "deciding_sentence",
    "hard_case",
    "group_id",
]
with open("postings_real.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=cols, quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    [w.writerow({c: r[c] for c in cols}) for r in rows]
print(len(rows))
