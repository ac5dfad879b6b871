"""Seeded, stratified, group-aware dev/test split of postings_real.csv (run ONCE, after labelling).
Strata: genre x label. Unit: group_id (RU/KK versions of one announcement share a group and land in the same split).
Within each stratum the groups are sorted, shuffled with random.Random(20251126) and the first ceil(n/2) go to dev."""

import collections
import csv
import math
import random

SEED = 20251126
rows = list(csv.DictReader(open("postings_real.csv", encoding="utf-8")))
strata = collections.defaultdict(set)
for r in rows:
    strata[(r["genre"], r["label"])].add(r["group_id"])
assign = {}
rng = random.Random(SEED)
for key in sorted(strata):
    groups = sorted(strata[key])
    rng.shuffle(groups)
    k = math.ceil(len(groups) / 2)
    for j, g in enumerate(groups):
        assign[g] = "dev" if j < k else "test"
cols = list(rows[0].keys())
if "split" not in cols:
    cols.append("split")
for r in rows:
    r["split"] = assign[r["group_id"]]
with open("postings_real.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=cols)
    w.writeheader()
    w.writerows(rows)
print(collections.Counter((r["genre"], r["label"], r["split"]) for r in rows))
