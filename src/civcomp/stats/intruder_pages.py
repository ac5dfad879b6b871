"""The numbers a published text prints: a figure's labels, a workbook's text cells, the report pages.

A **reading** is one printed number with half a unit of its last digit (its resolution). The whole-outputs
audit (:mod:`civcomp.stats.intruder_audit`) compares every reading with the numbers the tables and results
publish; this module only reads. Some numbers a page prints are not data, and are not read:

* a number after a word that names something (Figure 1, p. 561, the seed, a version, a step, line 12);
* a run time (``25.81 s``, the manifest's ``seconds``) and the method's name (``360-degree``);
* the quoted text of a keyword-in-context table (a public posting's own phone number or date);
* the references a page cites (:data:`NOT_DATA_CONTEXT`): a year inside an author–year citation
  (``Hu & Bentler (1999)``, ``OECD (2022)``), a DOI, a hex digest (a file's SHA-256, a commit).

Each rule is as narrow as its case, and has a test that the same number elsewhere is still read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["Reading", "number", "text_readings", "html_readings", "KWIC", "RUN_TIME"]

NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?\s?%?", re.IGNORECASE)
# a number after these words names something (Figure 1, p. 561, the seed, a run time, the report's "(first 300
# of 1080 rows)" display cap), not a published value
NOT_DATA = re.compile(
    r"(?i)(figure|fig\.|table|appendix|paper|p\.|pp\.|py:|line|seed|version|step|\d[-/]|seconds\":|\(first)\s*$"
)
NOT_DATA_AFTER = re.compile(r"\s?s\b|-degree")  # "ran, 25.81 s", "360-degree": a run time, the method's name
# a number inside these names nothing the compendium computes: a hex digest (a file's SHA-256, a commit:
# digits and a-f letters, 7 or more, standing alone), a DOI, the "256" of "SHA-256"
NOT_DATA_SPAN = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,}(?![0-9A-Za-z])"
    r"|\b10\.\d{4,9}/[^\s\"'<>]+"
    r"|(?i:\bSHA-)(?:1|224|256|384|512)\b"
)
# a year cited after its authors: "Hu & Bentler (1999)", "Hu & Bentler's (1999) criteria", "(Thomas, Hughes & Zumbo 1998)", "OECD (2022)" (two
# surnames joined by & or "and", "et al.", or an organisation's capitals), closed by ")" or followed by a comma
CITATION_BEFORE = re.compile(r"(?:[A-Z][\w'-]+\s(?:&|and)\s[A-Z][\w'-]+|[A-Z][\w'-]+\set al\.|\b[A-Z]{2,}),?\s\(?$")
CITATION_YEAR, CITATION_CLOSE = re.compile(r"(?:19|20)\d\d"), re.compile(r"[a-z]?[),;]")


@dataclass(frozen=True)
class Reading:
    """One number an artefact publishes: where, its value and its resolution (half a printed unit)."""

    artefact: str
    where: str
    value: float
    half: float


def number(text: str) -> tuple[float, float] | None:
    """A printed number and half a unit of its last digit (a percentage as a share and as printed).

    Examples
    --------
    >>> number("7.43"), number("25%"), number("3e1234")
    ((7.43, 0.005), (25.0, 0.5), None)
    """
    s = text.strip().replace("−", "-").replace(",", "").rstrip("%").strip()
    try:
        v = float(s)
    except ValueError:
        return None
    if not math.isfinite(v):
        return None
    mant = s.lower().split("e")[0]
    dec = len(mant.split(".")[1]) if "." in mant else 0
    exp = int(s.lower().split("e")[1]) if "e" in s.lower() else 0
    if abs(exp - dec) > 300:  # a hex digest's "3e1234" reads as a float, not a published number
        return None
    return v, 0.5 * 10.0 ** (exp - dec)


def _cited_year(text: str, m: re.Match) -> bool:
    return bool(
        CITATION_YEAR.fullmatch(m.group(0))
        and CITATION_CLOSE.match(text, m.end())
        and CITATION_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
    )


def text_readings(artefact: str, where: str, text: str) -> list[Reading]:
    """Every number a text prints, less those that are not data (the module's list).

    Examples
    --------
    >>> read = lambda t: [r.value for r in text_readings("page", "", t)]
    >>> read("Hu & Bentler (1999): CFI >= 0.95; OECD (2022), doi 10.1787/0ca9a3b7-en; SHA-256 349b501ca08f…")
    [0.95]
    >>> read("fit judged by Hu & Bentler's" + chr(10) + "(1999) criteria")
    []
    >>> read("Astana (2022), 1999 rows, Hu (1999); 1487 postings; 12 & Bentler (1999)")
    [2022.0, 1999.0, 1999.0, 1487.0, 12.0, 1999.0]
    """
    out = []
    spans = [m.span() for m in NOT_DATA_SPAN.finditer(text)]
    for m in NUMBER.finditer(text):
        if NOT_DATA.search(text[max(0, m.start() - 12) : m.start()]) or NOT_DATA_AFTER.match(text, m.end()):
            continue
        if any(a <= m.start() < b for a, b in spans) or _cited_year(text, m):
            continue
        got = number(m.group(0))
        if got is not None:  # a percentage is marked: it is a share, never a count
            out.append(Reading(artefact, where + ("%" if m.group(0).rstrip().endswith("%") else ""), *got))
    return out


KWIC = ("left", "match", "right")  # a keyword-in-context table's quoted text of a public posting
RUN_TIME = "seconds"  # the manifest table's column of step run times


class _Text(HTMLParser):
    """The text of a page, less scripts, styles, inline SVG and the quoted cells of a KWIC table.

    A KWIC table (its header names ``left``, ``match`` and ``right``) quotes the public postings' own text
    (a phone number, a date of the posting); those three columns are not numbers the compendium publishes.
    Every other cell of that table (``counted``, an id) is still read; so is every table but for a column of
    run times (``seconds``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._head: list[str] = []  # header cells of the current table
        self._in_head = self._in_th = False
        self._col = -1
        self._kwic = False

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "svg")
        if tag == "table":
            self._head, self._kwic = [], False
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._col = -1
        elif tag in ("th", "td"):
            self._col += 1
            self._in_th = self._in_head
            if self._in_head:
                self._head.append("")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "svg") and self._skip > 0
        if tag == "thead":
            self._in_head = False
            self._kwic = set(KWIC) <= {h.strip() for h in self._head}
        elif tag in ("th", "td"):
            self._in_th = False

    def _quoted(self) -> bool:
        head = self._head
        name = head[self._col].strip() if not self._in_head and 0 <= self._col < len(head) else ""
        return name == RUN_TIME or (self._kwic and name in KWIC)

    def handle_data(self, data):
        if self._in_th and self._head:
            self._head[-1] += data
        if not self._skip and data.strip() and not self._quoted():
            self.parts.append(data)


def html_readings(path: Path, root: Path) -> list[Reading]:
    """Every number in an HTML page's text and tables (scripts, styles and inline SVG excluded)."""
    p = _Text()
    p.feed(Path(path).read_text(encoding="utf-8", errors="replace"))
    name = Path(path).relative_to(root).as_posix()
    return [r for i, t in enumerate(p.parts) for r in text_readings(name, f"text {i}: {t.strip()[:60]}", t)]
