"""The report as one zip a reviewer can be sent, and the source pages its claims link to.

:func:`write_bundle` writes ``outputs/civcomp-report.zip``: the report's pages (``report/``), every file
they link to inside ``outputs/`` (tables' CSVs, SVG figures, the workbook) and a top-level
``index.html`` that opens the report, under one folder ``civcomp-report/`` that mirrors ``outputs/``, so
every relative link works once unzipped, offline. The zip is byte-identical for identical pages (fixed
timestamps, sorted entries). :func:`write_source_pages` renders the source files that compute the claims
as plain HTML pages with one anchor per line (``report/source/<file>.html#L42``), so that a claim's link
to its function works in the bundle too, without the repository.

Examples
--------
>>> relative_links('<a href="paper-003.html#claims">x</a><img src="data:image/png;base64,AA"><a href="#top">')
['paper-003.html']
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from civcomp.io.outputs import atomic_write

BUNDLE = "civcomp-report.zip"
FOLDER = "civcomp-report"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest time: the same bytes on every run

_OPENER = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="0; url=report/index.html"><title>civcomp — reproduction report</title>'
    '</head><body><p><a href="report/index.html">Open the reproduction report</a></p></body></html>\n'
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def relative_links(text: str) -> list[str]:
    """The files a page links to or loads by a relative address (fragments, ``data:`` and remote left out)."""
    parser = _Links()
    parser.feed(text)
    out = []
    for v in parser.found:
        target = v.split("#", 1)[0].split("?", 1)[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("//"):
            continue
        out.append(target)
    return list(dict.fromkeys(out))


def bundle_files(outputs_dir: Path) -> list[Path]:
    """Every page of ``outputs/report/`` and every file inside ``outputs/`` a page links to, sorted."""
    out = Path(outputs_dir).resolve()
    pages = sorted(p for p in (out / "report").rglob("*.html") if p.is_file())
    keep = set(pages)
    for page in pages:
        for link in relative_links(page.read_text(encoding="utf-8")):
            target = (page.parent / link).resolve()
            if target.is_file() and target.is_relative_to(out):
                keep.add(target)
    return sorted(keep)


def write_bundle(outputs_dir: Path) -> Path:
    """Write ``<outputs_dir>/civcomp-report.zip`` (see the module); return its path."""
    out = Path(outputs_dir).resolve()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        entries = [(f"{FOLDER}/index.html", _OPENER.encode("utf-8"))]
        entries += [(f"{FOLDER}/{f.relative_to(out).as_posix()}", f.read_bytes()) for f in bundle_files(out)]
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return atomic_write(out / BUNDLE, buf.getvalue())


def source_page_name(repo_path: str) -> str:
    """Where a source file's page goes, relative to the report: ``source/civcomp.analyses.postings.py.html``.

    Examples
    --------
    >>> source_page_name("src/civcomp/analyses/postings.py")
    'source/civcomp.analyses.postings.py.html'
    """
    parts = PurePosixPath(repo_path).parts
    parts = parts[1:] if parts and parts[0] == "src" else parts
    return "source/" + ".".join(parts) + ".html"


def write_source_pages(files: dict[str, Path], report_dir: Path) -> list[Path]:
    """Render each source file (``repo path -> file``) as ``report_dir/source/<name>.html`` with line anchors
    ``#L<n>``; remove pages of files no longer linked; return the pages written."""
    folder = Path(report_dir) / "source"
    written = []
    for repo_path, file in sorted(files.items()):
        lines = Path(file).read_text(encoding="utf-8").splitlines()
        body = "\n".join(
            f'<span id="L{i}"><a href="#L{i}">{i:>4}</a>  {html.escape(line)}</span>' for i, line in enumerate(lines, 1)
        )
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(repo_path)}</title>'
            "<style>body{margin:0;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace}"
            "header{font:14px system-ui,sans-serif;padding:.6rem 1rem;background:#eef1f4}"
            "pre{margin:0;padding:.5rem 1rem}pre a{color:#8c959f;text-decoration:none}"
            "span:target{background:#fff8c5;display:inline-block;width:100%}</style></head><body>"
            f'<header><a href="../index.html">&larr; reproduction report</a> · <code>{html.escape(repo_path)}</code>'
            f"</header><pre>{body}</pre></body></html>\n"
        )
        written.append(atomic_write(Path(report_dir) / source_page_name(repo_path), page.encode("utf-8")))
    names = {p.resolve() for p in written}
    for stale in folder.glob("*.html") if folder.exists() else []:
        if stale.resolve() not in names:
            stale.unlink()
    return written
