"""The report's offline check: every remote resource a written HTML page would load.

A reviewer opens the reproduction report offline, so nothing in it may be fetched from the network.
:func:`remote_references` parses a page (attributes, inline CSS, ``@import``, module imports in scripts)
and lists every remote URL; the report raises :class:`ReportError` when the list is not empty.

Examples
--------
>>> remote_references('<img src="https://cdn.example/x.png"><a href="https://doi.org/1">doi</a>')
['img src=https://cdn.example/x.png', 'a href=https://doi.org/1']
>>> remote_references('<a href="https://doi.org/1">doi</a>', links=False)
[]
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from civcomp.errors import CivcompError


class ReportError(CivcompError, RuntimeError):
    """The report would not be self-contained (a remote resource), or cannot be written."""


class _RefFinder(HTMLParser):
    ATTRS = ("src", "href", "srcset", "poster", "data", "action", "formaction", "background")

    def __init__(self, links: bool):
        super().__init__(convert_charrefs=True)
        self.links, self.found, self._in = links, [], None

    def handle_starttag(self, tag, attrs):
        self._in = tag if tag in ("script", "style") else None
        for name, value in attrs:
            if name == "style" and value:
                self._css(value, f"{tag} style")
            if name in self.ATTRS and value and _is_remote(value.split()[0]):
                if tag == "a" and name == "href" and not self.links:
                    continue  # a link loads nothing until someone clicks it
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self._css(data, "style")
        elif self._in == "script":
            self.found += [
                f"script {m}" for m in re.findall(r"""(?:import\s*\(?|from)\s*['"]((?:https?:)?//[^'"]+)""", data)
            ]

    def _css(self, text, where):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # URLs in CSS comments load nothing
        for m in re.findall(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", text):
            self.found.append(f"{where} url={m}")


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, flags=re.I))


def remote_references(text: str, links: bool = True) -> list[str]:
    """Remote URLs the page would load (scripts, styles, images, frames, CSS ``url()``).

    With ``links=True`` plain ``<a href>`` links to remote hosts are reported too
    (they load nothing by themselves, but the report's own page has none).

    Examples
    --------
    >>> remote_references('<style>@import "//fonts.example/a.css";</style><p style="background:url(x.png)">')
    ['style url=//fonts.example/a.css']
    """
    finder = _RefFinder(links)
    finder.feed(text)
    finder.close()
    return finder.found
