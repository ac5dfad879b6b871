"""The announcement genre around the synthetic job postings: sections, their order, wording and layout.

A real corps-"B" competition announcement (e-qyzmet.kz or a state body's own notice) is far more than its
duties and requirements: a header (the state body announces a competition), the position line (title,
category), the salary, the legal basis (the Law «On the civil service», the order of the civil-service
agency), contacts, the general qualification requirements of the category, the standard list of documents,
the submission procedure (by e-mail or through the e-government portal «E-gov») and notes. This module wraps
the duties and requirements drawn by :mod:`civcomp.synth.postings` into such an announcement, in Russian or
Kazakh, from the bank ``postings_genre.yaml``:

* **layout** — one of three section orders (``portal``, ``classic``, ``short``; weights in the settings),
  optional sections each present with its own probability, contacts before or after the body;
* **wording** — heading variants (or no heading), inline headings (``Функциональные обязанности: …``),
  headings in capitals, several phrasings of every standard formula;
* **formatting** — lists as lines, one paragraph, dashes, bullets or numbering; blank lines between sections;
  hard line wrapping at a fixed width (as in text extracted from .doc/.pdf files); now and then two words of
  the boilerplate run together (a lost space, as in real extracted texts);
* **traps of the genre** — only outside the requirement sections: the e-mail / E-gov submission lines, the
  «E-qyzmet» information system, «электронная почта» in the contacts, an IT-park office, benefits
  (a workplace with a computer, free digital-skills courses), the e-government operator АО «Национальные
  информационные технологии», «и т.д.» / «ит.д.».

The sections and their character spans in the final text are returned, so the ground truth can record them
(``postings_truth.sections``, see :func:`format_spans`).

Examples
--------
>>> spans = [("header", 0, 12), ("duties", 14, 40)]
>>> format_spans(spans)
'header:0-12|duties:14-40'
>>> parse_sections("header:0-12|duties:14-40") == spans
True
>>> section_text("Объявление..\\n\\nФункции: ведёт ЕСЭДО........", spans, ["duties"])
'Функции: ведёт ЕСЭДО......'
>>> wrap("один два три четыре", 9)
'один два\\nтри\\nчетыре'
>>> format_list(["ведёт учёт", "готовит отчёты"], "numbered_paren")
'1) ведёт учёт;\\n2) готовит отчёты.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from civcomp.io import yaml_safe

GENRE_FILE = Path(__file__).with_name("postings_genre.yaml")
SECTIONS = (
    "header",
    "position",
    "salary",
    "legal_basis",
    "contacts",
    "general_requirements",
    "duties",
    "requirements",
    "documents",
    "submission",
    "notes",
)
REQUIREMENT_SECTIONS = ("general_requirements", "duties", "requirements")  # where a skill can be required
LIST_STYLES = ("lines", "inline", "dash", "bullet", "numbered_paren", "numbered_dot")
_SPAN = re.compile(r"([a-z_]+):(\d+)-(\d+)")


def load_genre(path: Path | None = None) -> dict:
    """The genre bank (``postings_genre.yaml``)."""
    return yaml_safe.load(path or GENRE_FILE)


# ------------------------------------------------------------------------------------ spans
def format_spans(spans: Sequence[tuple[str, int, int]]) -> str:
    """``name:start-end`` joined by ``|`` (the ``sections`` column of ``postings_truth``)."""
    return "|".join(f"{n}:{a}-{b}" for n, a, b in spans)


def parse_sections(value: str) -> list[tuple[str, int, int]]:
    """Inverse of :func:`format_spans`; raises ``ValueError`` naming the bad part."""
    out = []
    for part in str(value).split("|"):
        m = _SPAN.fullmatch(part)
        if not m or m.group(1) not in SECTIONS:
            raise ValueError(f"sections: {part!r} is not 'name:start-end' with a name in {SECTIONS}")
        out.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return out


def section_text(
    text: str,
    spans: Sequence[tuple[str, int, int]] | str,
    names: Sequence[str] = REQUIREMENT_SECTIONS,
    sep: str = "\n\n",
) -> str:
    """The text of the sections named ``names`` (in text order), joined by ``sep``."""
    if isinstance(spans, str):
        spans = parse_sections(spans)
    return sep.join(text[a:b] for n, a, b in spans if n in names)


# ------------------------------------------------------------------------------------ formatting
def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def format_list(items: Sequence[str], style: str) -> str:
    """Items of a section as lines (``;``-ended), one paragraph, dashes, bullets or numbering."""
    items = [s.rstrip(" .;") for s in items]
    if style == "lines":
        return _cap(";\n".join(items)) + "."
    if style == "inline":
        return _cap("; ".join(items)) + "."
    if style in ("dash", "bullet"):
        mark = "- " if style == "dash" else "• "
        return "\n".join(mark + s + (";" if k < len(items) - 1 else ".") for k, s in enumerate(items))
    if style == "numbered_paren":
        return "\n".join(f"{k + 1}) {s}" + (";" if k < len(items) - 1 else ".") for k, s in enumerate(items))
    if style == "numbered_dot":
        return "\n".join(f"{k + 1}. {_cap(s)}." for k, s in enumerate(items))
    raise ValueError(f"list style {style!r} is not one of {LIST_STYLES}")


def wrap(s: str, width: int) -> str:
    """Hard-wrap every line at ``width`` by turning spaces into line breaks (the length is unchanged)."""
    out = []
    for line in s.split("\n"):
        words = line.split(" ")
        cur = words[0]
        parts = []
        for w in words[1:]:
            if len(cur) + 1 + len(w) > width and cur:
                parts.append(cur)
                cur = w
            else:
                cur = cur + " " + w
        parts.append(cur)
        out.append("\n".join(parts))
    return "\n".join(out)


def _one(rng: np.random.Generator, items: Sequence):
    return items[int(rng.integers(len(items)))]


def _weighted(rng: np.random.Generator, weights: dict) -> str:
    keys = list(weights)
    p = np.array([float(weights[k]) for k in keys])
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _money(v: int, rng: np.random.Generator) -> str:
    sep = " " if rng.random() < 0.8 else "\u00a0"
    return f"{v:,}".replace(",", sep)


# ------------------------------------------------------------------------------------ the announcement
def build(
    ctx: dict, content: dict, lang: str, genre: dict, cfg: dict, rng: np.random.Generator
) -> tuple[str, list[tuple[str, int, int]]]:
    """Wrap one posting's duties and requirements into an announcement.

    Parameters
    ----------
    ctx : dict
        ``body``, ``title``, ``category``, ``level``, ``area``, ``region``, ``position`` of the posting.
    content : dict
        ``duties`` (list of str), ``education``, ``experience``, ``laws`` (str lines), ``reqs`` (skill lines),
        ``comps`` (list of competencies), ``labels`` (education / laws / competencies labels).
    lang : {"ru", "kk"}
    genre : dict
        :func:`load_genre`.
    cfg : dict
        The ``layout`` block of ``params/synthetic/postings.yaml``.
    rng : numpy.random.Generator

    Returns
    -------
    text : str
    spans : list of (section, start, end)
        Character spans of the sections in ``text``, in text order.
    """
    G, L = genre, genre[lang]
    layout = _weighted(rng, cfg["orders"])
    order = list(G["orders"][layout])
    present = {s: s not in cfg["p_section"] or rng.random() < float(cfg["p_section"][s]) for s in order}
    if layout == "portal" and rng.random() < cfg["p_contacts_first"]:
        order.remove("contacts")
        order.insert(order.index("duties"), "contacts")
    style = _weighted(rng, cfg["list_styles"])
    inline = rng.random() < cfg["p_heading_inline"]
    # place-holders
    city_ru, city_kk, index, code = G["cities"][ctx["region"]]
    digits = rng.integers(10, 100, size=3)
    sal = cfg["salary"]
    lo = float(sal["base"][ctx["position"]]) * float(sal["level"][ctx["level"]]) * (0.92 + 0.16 * rng.random())
    prefix, slug, domain = _one(rng, G["mail_prefixes"]), ctx["region"].replace("_", ""), _one(rng, G["mail_domains"])
    email = f"{prefix}@{slug}.{domain}" if domain == "gov.kz" else f"{slug}.{prefix}@{domain}"
    fill = {
        "body": ctx["body"],
        "title": ctx["title"],
        "category": ctx["category"],
        "min": _money(int(round(lo, -1)), rng),
        "max": _money(int(round(lo * float(sal["spread"]), -1)), rng),
        "city": f"г. {city_ru}" if lang == "ru" else f"{city_kk} қаласы",
        "index": index,
        "street": _one(rng, G["streets"]),
        "phone": f"8 ({code}) {digits[0]}-{digits[1]}-{digits[2]}",
        "email": email,
        "etc": _one(rng, G["etc_" + lang]),
        "portal": _one(rng, G["portal_names"] if lang == "ru" else G["portal_names_kk"]),
    }
    itpark = ctx["area"] == "digital_it" and ctx["level"] != "central" and rng.random() < cfg["p_itpark"]
    general = "general_requirements" in order
    sections: list[tuple[str, str]] = []
    for name in order:
        if not present[name]:
            continue
        heading = ""
        if name in L["headings"]:
            heading = _one(rng, L["headings"][name])
            if heading and rng.random() < cfg["p_heading_caps"]:
                heading = heading.upper()
        if name == "duties":
            body = format_list(content["duties"], style)
        elif name == "requirements":
            lines = [f"{content['labels']['education']}: {content['education']}"]
            if not general:
                lines.append(content["experience"])
            lines.append(f"{content['labels']['laws']}: {content['laws']}")
            lines += content["reqs"]
            if not general:
                lines.append(f"{content['labels']['competencies']}: " + ", ".join(content["comps"]))
            body = format_list([_cap(x) for x in lines], style)
        elif name == "general_requirements":
            body = L["general_requirements"].format(
                comps=", ".join(content["comps"]), experience=content["experience"], **fill
            )
        elif name == "documents":
            docs = L["documents"]
            docs = docs if rng.random() < cfg["p_full_documents"] else docs[:4]
            body = format_list(docs, "numbered_paren" if rng.random() < 0.7 else style)
            if rng.random() < cfg["p_extra"]:
                body += "\n" + _one(rng, L["documents_extra"]).format(**fill)
        elif name == "submission":
            body = _one(rng, L["submission"]).format(**fill)
            if rng.random() < cfg["p_extra"]:
                body += "\n" + _one(rng, L["submission_extra"]).format(**fill)
        elif name == "notes":
            notes = list(L["notes"]) + (list(L["notes_itpark"]) if itpark else [])
            k = int(rng.integers(1, 4))
            body = "\n".join(notes[i].format(**fill) for i in sorted(rng.choice(len(notes), k, replace=False)))
        elif name == "contacts":
            body = _one(rng, L["contacts_itpark"] if itpark else L["contacts"]).format(**fill)
        else:  # header, position, salary, legal_basis
            body = _one(rng, L[name]).format(**fill)
        if not heading:
            sections.append((name, body))
        elif inline and name in ("duties", "requirements") and style in ("lines", "inline"):
            sections.append((name, f"{heading.rstrip(':')}: {body}"))
        else:
            sections.append((name, f"{heading}\n{body}"))
    if rng.random() < cfg["p_glue"]:  # a lost space between two words of the boilerplate («положительногозаключения»)
        k = [i for i, (n, _) in enumerate(sections) if n not in REQUIREMENT_SECTIONS]
        n, s = sections[k[int(rng.integers(len(k)))]]
        gaps = [m.start() for m in re.finditer(r"(?<=[а-яәғқңөұүһі]) (?=[а-яәғқңөұүһі])", s)]
        if gaps:
            i = gaps[int(rng.integers(len(gaps)))]
            sections = [(m, t if m != n else s[:i] + s[i + 1 :]) for m, t in sections]
    if rng.random() < cfg["p_wrap"]:
        width = int(rng.integers(cfg["wrap_width"][0], cfg["wrap_width"][1] + 1))
        sections = [(n, wrap(s, width)) for n, s in sections]
    text, spans, pos = "", [], 0
    for k, (name, s) in enumerate(sections):
        if k:
            gap = "\n" * (1 + int(_weighted(rng, {str(b): w for b, w in cfg["blank_lines"].items()})))
            text += gap
            pos += len(gap)
        spans.append((name, pos, pos + len(s)))
        text += s
        pos += len(s)
    return text, spans


def insert_at(spans: list[tuple[str, int, int]], i: int, n: int = 1) -> list[tuple[str, int, int]]:
    """Spans after inserting ``n`` characters at offset ``i`` of the text (inside a span, it grows)."""
    return [(s, a + n if a > i else a, b + n if b > i else b) for s, a, b in spans]
