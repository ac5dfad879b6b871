"""The report's zip: every page and what it links to, the same bytes on every build."""

import zipfile
from pathlib import Path

from civcomp.replication import report, report_bundle


def _unzip(out: Path, dest: Path) -> Path:
    with zipfile.ZipFile(out / report_bundle.BUNDLE) as z:
        z.extractall(dest)
    return dest / report_bundle.FOLDER


def test_relative_links():
    page = '<a href="paper-000.html#x">a</a><img src="data:image/png;base64,AA"><a href="https://e.org/">r</a>'
    page += '<link href="../tables/t.csv"><a href="#top">t</a>'
    assert report_bundle.relative_links(page) == ["paper-000.html", "../tables/t.csv"]


def test_bundle_is_complete_offline_and_deterministic(tmp_path):
    out = tmp_path / "outputs"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "01_content_analysis__by_region.csv").write_text("region,n\nnorth,12\n", encoding="utf-8")
    report.build_report(out, manifest={"git": {"commit": "abc", "dirty": False}})
    first = (out / report_bundle.BUNDLE).read_bytes()
    report.build_report(out, manifest={"git": {"commit": "abc", "dirty": False}})
    assert (out / report_bundle.BUNDLE).read_bytes() == first

    root = _unzip(out, tmp_path / "unzipped")
    pages = sorted(root.rglob("*.html"))
    assert {"index.html", "paper-000.html", "paper-003.html"} <= {p.name for p in (root / "report").glob("*.html")}
    assert (root / "tables" / "01_content_analysis__by_region.csv").is_file()  # the CSV the page links to
    n_links = 0
    for page in pages:
        for link in report_bundle.relative_links(page.read_text(encoding="utf-8")):
            assert (page.parent / link).resolve().is_file(), f"{page.relative_to(root)} links to missing {link}"
            n_links += 1
    assert n_links > 10


def test_bundle_leaves_out_what_no_page_links_to(tmp_path):
    out = tmp_path / "outputs"
    (out / "results").mkdir(parents=True)
    (out / "results" / "private_note.txt").write_text("not linked", encoding="utf-8")
    report.build_report(out)
    names = zipfile.ZipFile(out / report_bundle.BUNDLE).namelist()
    assert names == sorted(names) and not any("private_note" in n for n in names)
