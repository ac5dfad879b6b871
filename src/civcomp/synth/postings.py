"""Synthetic twin of the job-postings corpus of paper 000 (``postings``, ``postings_truth``, ``postings_gold``).

The generative model (described in ``data/synthetic_model.postings.md``):

1. **Skeleton with exact counts.** Level (central / regional / district) and the number of
   postings with a digital-skill requirement per level are exact (``params/synthetic/postings.yaml``),
   so the corpus has 408 postings and 273 without a digital skill. Functional areas get exact
   counts per level; which postings of a level are digital is drawn without replacement with
   a propensity by functional area (digitalisation units almost always are). Language (kk
   share per level), region, position, category code and date are drawn around that.
2. **Duties and requirements from a phrase bank** (``postings_phrases.yaml``): duties, then
   requirements (education, experience, laws to know, skills, competencies). A digital posting
   gets 1–3 *mentions*, each of a tier drawn by functional area, phrased as a requirement or
   (20 %) as a duty. Mentions are planted only there.
   **The announcement around them** (:mod:`civcomp.synth.postings_genre`, ``postings_genre.yaml``):
   header, position line, salary, legal basis, contacts, general requirements, documents,
   submission procedure (e-mail, «E-gov»), notes — in varied order, wording and layout, with the
   real genre's digital words outside any requirement; their spans go to
   ``postings_truth.sections``.
3. **Traps** a naive matcher falls into: keywords inside longer words, Kazakh look-alikes,
   excluded contexts; **typing noise** in mentions (look-alike letters from the other
   script, capitals, line breaks or no-break spaces inside phrases, soft hyphens, Latin
   ``i`` for Kazakh ``і``); and a few **hard cases** on purpose: dictionary words outside
   any requirement (false positives) and requirements phrased without any dictionary word
   (false negatives), in equal numbers. On the duty and requirement sections the dictionary
   therefore still finds 273 postings without a digital skill; on the whole text it finds far
   fewer (the boilerplate's E-gov and e-mail lines) — the gap a section-aware coder closes.
4. **Ground truth** (``postings_truth``) is what the generator planted; the **gold
   subsample** (``postings_gold``) is two simulated coders who code the truth with a small
   error rate, larger on ambiguous postings.

Everything is drawn from the ``rng`` passed in, in a fixed order: same seed, same corpus.

Examples
--------
>>> import numpy as np
>>> from civcomp import paths
>>> from civcomp.io import params
>>> cfg = params.read_yaml(paths.PARAMS / "synthetic" / "postings.yaml")
>>> out = generate(cfg, np.random.default_rng(1))
>>> len(out["postings"]), int((out["postings_truth"]["digital"] == 0).sum())
(408, 273)
>>> from civcomp.synth.postings_genre import parse_sections
>>> spans = parse_sections(out["postings_truth"]["sections"][0])
>>> spans[0][:2], {"duties", "requirements"} <= {n for n, _, _ in spans}
(('header', 0), True)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp.io import ledger, yaml_safe
from civcomp.io.params import ParamsError
from civcomp.synth import postings_genre as genre
from civcomp.synth.rounding import exact_counts

COLUMNS = (
    "id",
    "published",
    "state_body",
    "level",
    "region",
    "category",
    "position",
    "functional_area",
    "language",
    "title",
    "text",
)
TRUTH_COLUMNS = ("id", "digital", "tiers", "sections")
TIERS = ("basic_literacy_office", "egov_state_systems", "data_analytics", "it_programming_security")
LEVELS = ("central", "regional", "district")
PHRASES_FILE = Path(__file__).with_name("postings_phrases.yaml")

_CYR2LAT = dict(zip("аеорсхуіАВЕКМНОРСТХІ", "aeopcxyiABEKMHOPCTXI"))
_LAT2CYR = {v: k for k, v in _CYR2LAT.items()}
_BREAKS = ("\n", "  ", "\u00a0", "\n   ", " \n")
_MARK = re.compile(r"\[\[(.+?)\]\]")


def load_phrases(path: Path | None = None) -> dict:
    """The phrase bank (``postings_phrases.yaml``)."""
    return yaml_safe.load(path or PHRASES_FILE)


def _check(cfg: dict) -> None:
    levels = cfg.get("levels") or {}
    if set(levels) != set(LEVELS):
        raise ParamsError(f"params/synthetic/postings.yaml: levels must be {LEVELS}, got {sorted(levels)}")
    n = sum(int(v["n"]) for v in levels.values())
    n_dig = sum(int(v["n_digital"]) for v in levels.values())
    if n != int(cfg["n_postings"]):
        raise ParamsError(
            f"params/synthetic/postings.yaml: levels add up to {n} postings, n_postings is {cfg['n_postings']}"
        )
    if n - n_dig != int(cfg["n_no_digital"]):
        raise ParamsError(
            f"params/synthetic/postings.yaml: levels give {n - n_dig} postings without a digital skill, "
            f"n_no_digital is {cfg['n_no_digital']}"
        )
    for lv, v in levels.items():
        if not 0 <= int(v["n_digital"]) <= int(v["n"]):
            raise ParamsError(f"params/synthetic/postings.yaml: levels.{lv}.n_digital must be between 0 and n")


def _pick(rng: np.random.Generator, items: list, k: int = 1) -> list:
    idx = rng.choice(len(items), size=min(k, len(items)), replace=False)
    return [items[i] for i in sorted(idx)]


def _for_area(items: list, area: str) -> list:
    """Phrases usable in an area: plain strings, or dicts whose ``areas`` (if any) include it."""
    out = []
    for it in items:
        if isinstance(it, str):
            out.append({"text": it})
        elif not it.get("areas") or area in it["areas"]:
            out.append(it)
    return out


def _swap_one(s: str, rng: np.random.Generator, table: dict[str, str]) -> str:
    pos = [i for i, c in enumerate(s) if c in table]
    if not pos:
        return s
    i = pos[int(rng.integers(len(pos)))]
    return s[:i] + table[s[i]] + s[i + 1 :]


def _noisy(span: str, lang: str, rng: np.random.Generator, noise: dict) -> str:
    """Typing noise inside a mention (see ``noise`` in the config)."""
    u = rng.random(6)
    if u[0] < noise["upper"]:
        span = span.upper()
    if u[1] < noise["homoglyph"]:
        table = _CYR2LAT if any(c in _CYR2LAT for c in span) and u[5] < 0.7 else _LAT2CYR
        span = _swap_one(span, rng, table)
    if u[2] < noise["break"] and " " in span:
        spaces = [i for i, c in enumerate(span) if c == " "]
        i = spaces[int(rng.integers(len(spaces)))]
        span = span[:i] + _BREAKS[int(rng.integers(len(_BREAKS)))] + span[i + 1 :]
    if u[3] < noise["soft_hyphen"]:
        inner = [m.start() + 2 for m in re.finditer(r"\w{4,}", span)]
        if inner:
            i = inner[int(rng.integers(len(inner)))]
            span = span[:i] + "\u00ad" + span[i:]
    if lang == "kk" and u[4] < noise["latin_i"]:
        span = span.replace("і", "i").replace("І", "I")
    return span


def _render(phrase: str, lang: str, rng: np.random.Generator, noise: dict) -> str:
    return _MARK.sub(lambda m: _noisy(m.group(1), lang, rng, noise), phrase)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _draw_keys(rng: np.random.Generator, weights: dict[str, float], size: int) -> list[str]:
    keys = list(weights)
    p = np.array([float(weights[k]) for k in keys])
    return [keys[i] for i in rng.choice(len(keys), size=size, p=p / p.sum())]


def _posting_content(
    lang: str, area: str, position: str, plan: dict, ph: dict, cfg: dict, rng: np.random.Generator
) -> tuple[dict, bool]:
    """Duties and requirements of one posting, and whether it is ambiguous for a human coder."""
    L = ph[lang]
    noise = cfg["noise"]
    duties = _pick(rng, L["duties"][area], int(rng.integers(2, 4))) + _pick(rng, L["duties"]["common"], 1)
    ambiguous = False
    if rng.random() < cfg["p_traps"]:
        traps = _for_area(L["traps"], area)
        for t in _pick(rng, traps, int(rng.integers(1, 3))):
            duties.insert(int(rng.integers(len(duties) + 1)), t["text"])
            ambiguous |= bool(t.get("excluded"))
    if plan["hard_negative"]:
        hn = L["hard_negatives"]
        duties.insert(int(rng.integers(len(duties) + 1)), hn[int(rng.integers(len(hn)))]["text"])
        ambiguous = True
    reqs: list[str] = []
    in_duties = []
    for tier in plan["tiers"]:
        if rng.random() < cfg["share_duty_mentions"] and L["duty_mentions"].get(tier):
            ph_ = _pick(rng, L["duty_mentions"][tier], 1)[0]
            duties.insert(int(rng.integers(len(duties) + 1)), _render(ph_, lang, rng, noise))
            in_duties.append(True)
        else:
            m = _pick(rng, _for_area(L["mentions"][tier], area), 1)[0]["text"]
            frame = L["requirement_frames"][int(rng.integers(len(L["requirement_frames"])))]
            reqs.append(_cap(frame.format(m=_render(m, lang, rng, noise))))
            in_duties.append(False)
    if plan["tiers"] and all(in_duties):
        ambiguous = True
    if plan["hard_positive"] is not None:
        reqs.append(_cap(plan["hard_positive"]))
        ambiguous = True
    exp = L["experience"]
    if position in ("specialist", "head"):  # no experience required / managerial experience required
        experience = exp[0] if position == "specialist" else exp[-1]
    else:
        experience = exp[int(rng.integers(1, len(exp)))]
    laws = [L["laws_common"]] + _pick(rng, L["laws"][area], int(rng.integers(1, 3)))
    comps = _pick(rng, L["competencies"], int(rng.integers(4, 6)))
    content = {
        "duties": duties,
        "education": L["education"][area],
        "experience": experience,
        "laws": ", ".join(laws),
        "reqs": reqs,
        "comps": comps,
        "labels": {k: L[f"{k}_label"] for k in ("education", "laws", "competencies")},
    }
    return content, ambiguous


def _background_noise(text: str, spans: list, rng: np.random.Generator, noise: dict) -> tuple[str, list]:
    """A look-alike letter in an ordinary word, a double space (the spans follow the inserted space)."""
    u = rng.random(2)
    if u[0] < noise["background_homoglyph"]:
        words = [m for m in re.finditer(r"[а-яА-Я]{6,}", text)]
        w = words[int(rng.integers(len(words)))]
        text = text[: w.start()] + _swap_one(w.group(), rng, _CYR2LAT) + text[w.end() :]
    if u[1] < noise["background_spaces"]:
        spaces = [i for i, c in enumerate(text) if c == " "]
        i = spaces[int(rng.integers(len(spaces)))]
        text = text[:i] + "  " + text[i + 1 :]
        spans = genre.insert_at(spans, i)
    return text, spans


def _dates(cfg: dict, n: int, rng: np.random.Generator) -> list[str]:
    start = dt.date.fromisoformat(str(cfg["published"]["start"]))
    end = dt.date.fromisoformat(str(cfg["published"]["end"]))
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    return [days[i].isoformat() for i in rng.integers(len(days), size=n)]


def generate(cfg: dict[str, Any], rng: np.random.Generator, **_: Any) -> dict[str, pd.DataFrame]:
    """Generate ``postings``, ``postings_truth`` and ``postings_gold`` (see the module docstring)."""
    cfg = ledger.resolve(cfg)  # targets are {ledger: id} references to data/published/claims.yaml
    _check(cfg)
    ph = load_phrases()
    gb = genre.load_genre()
    rows: list[dict] = []
    for level in LEVELS:
        lv = cfg["levels"][level]
        n, n_dig = int(lv["n"]), int(lv["n_digital"])
        areas = [a for a, k in exact_counts(cfg["areas"][level], n).items() for _ in range(k)]
        areas = [areas[i] for i in rng.permutation(n)]
        w = np.array([float(cfg["digital_propensity"][a]) for a in areas])
        digital = np.zeros(n, dtype=bool)
        digital[rng.choice(n, size=n_dig, replace=False, p=w / w.sum())] = True
        kk = np.zeros(n, dtype=bool)
        kk[rng.choice(n, size=int(round(n * float(lv["share_kk"]))), replace=False)] = True
        if level == "central":
            regions = _draw_keys(rng, cfg["central_regions"], n)
        else:
            regions = [r for r, k in exact_counts(cfg["region_weights"], n).items() for _ in range(k)]
            regions = [regions[i] for i in rng.permutation(n)]
        positions = _draw_keys(rng, cfg["positions"], n)
        for i in range(n):
            rows.append(
                {
                    "level": level,
                    "functional_area": areas[i],
                    "digital": bool(digital[i]),
                    "language": "kk" if kk[i] else "ru",
                    "region": regions[i],
                    "position": positions[i],
                }
            )
    n_all = len(rows)
    dates = _dates(cfg, n_all, rng)
    for r, d in zip(rows, dates):
        r["published"] = d
    # hard cases
    non_dig = [i for i, r in enumerate(rows) if not r["digital"]]
    dig = [i for i, r in enumerate(rows) if r["digital"]]
    hard_neg = set(rng.choice(non_dig, size=int(cfg["n_hard_negatives"]), replace=False).tolist())
    hard_pos = set(rng.choice(dig, size=int(cfg["n_hard_positives"]), replace=False).tolist())
    n_mentions = {int(k): float(v) for k, v in cfg["n_mentions"].items()}
    out_rows, truth_rows, ambiguous = [], [], []
    for i, r in enumerate(rows):
        lang, area, level = r["language"], r["functional_area"], r["level"]
        plan = {"tiers": [], "hard_negative": i in hard_neg, "hard_positive": None}
        tiers: list[str] = []
        if i in hard_pos:
            hp = ph[lang]["hard_positives"]
            pick = hp[int(rng.integers(len(hp)))]
            plan["hard_positive"] = pick["text"]
            tiers = [pick["tier"]]
        elif r["digital"]:
            k = _draw_keys(rng, {str(a): b for a, b in n_mentions.items()}, 1)[0]
            tw = cfg["tier_weights"].get(area, cfg["tier_weights"]["default"])
            plan["tiers"] = list(dict.fromkeys(_draw_keys(rng, tw, int(k))))
            tiers = plan["tiers"]
        content, amb = _posting_content(lang, area, r["position"], plan, ph, cfg, rng)
        body = ph["bodies"][level][area]
        body = body[int(rng.integers(len(body)))]
        reg = ph["regions"][r["region"]]
        dist_ru, dist_kk = reg["districts"][int(rng.integers(len(reg["districts"])))]
        fill = (
            {"reg": reg["ru"], "dist": dist_ru}
            if lang == "ru"
            else {"reg": reg["kk"] + "ның", "reg_nom": reg["kk"], "dist": dist_kk + "ның", "dist_nom": dist_kk}
        )
        state_body = body[lang].format(**fill)
        prefix = body.get("prefix", "B")
        category = f"{prefix}-{cfg['category_number'][level][r['position']]}"
        unit = ph["units"][area][int(rng.integers(len(ph["units"][area])))]
        pos_name = ph["positions"][lang][r["position"]]
        title = f"{pos_name} {unit[0]}" if lang == "ru" else f"{unit[1]} {pos_name}"
        ctx = {
            "body": state_body,
            "title": title,
            "category": category,
            "level": level,
            "area": area,
            "region": r["region"],
            "position": r["position"],
        }
        text, spans = genre.build(ctx, content, lang, gb, cfg["layout"], rng)
        text, spans = _background_noise(text, spans, rng, cfg["noise"])
        out_rows.append(
            {
                "published": r["published"],
                "state_body": state_body,
                "level": level,
                "region": r["region"],
                "category": category,
                "position": r["position"],
                "functional_area": area,
                "language": lang,
                "title": title,
                "text": text,
            }
        )
        truth_rows.append(
            {
                "digital": int(r["digital"]),
                "tiers": "|".join(t for t in TIERS if t in tiers),
                "sections": genre.format_spans(spans),
            }
        )
        ambiguous.append(amb)
    # ids in publication order (ties in generation order)
    order = sorted(range(n_all), key=lambda i: (out_rows[i]["published"], i))
    ids = {i: f"P{k + 1:04d}" for k, i in enumerate(order)}
    postings = pd.DataFrame([{"id": ids[i], **out_rows[i]} for i in order], columns=list(COLUMNS))
    truth = pd.DataFrame([{"id": ids[i], **truth_rows[i]} for i in order], columns=list(TRUTH_COLUMNS))
    # gold subsample: two coders, independent errors
    g = cfg["gold"]
    sample = sorted(rng.choice(n_all, size=int(g["n"]), replace=False).tolist(), key=lambda i: ids[i])
    gold = []
    for i in sample:
        p = float(g["p_flip_ambiguous"] if ambiguous[i] else g["p_flip_clear"])
        flips = rng.random(2) < p
        t = truth_rows[i]["digital"]
        gold.append({"id": ids[i], "coder_a": int(t ^ flips[0]), "coder_b": int(t ^ flips[1])})
    return {
        "postings": postings,
        "postings_truth": truth,
        "postings_gold": pd.DataFrame(gold, columns=["id", "coder_a", "coder_b"]),
    }
