"""The HTML report, built from a small fake outputs folder, checked as text and in headless Chromium.

The browser test drives Chromium through the DevTools protocol (websocket-client): it records
every network request and console message while the page loads, reads the DOM, clicks a table
header, and takes a screenshot. It is skipped, with the reason, only when no Chromium is installed.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from civcomp import paths
from civcomp.io.outputs import save_figure, write_results, write_table
from civcomp.replication import claims, report
from civcomp.replication.report_html import ReportError, remote_references

CELL_ID = "cell-save-share"
MANIFEST = {
    "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": True},
    "python": "3.11.9",
    "params": {
        "global": {"seed": 7, "data_source": "synthetic", "min_cell_size": 5},
        "steps": {"01_content_analysis": {"bootstrap": 200}},
    },
    "data": {"data/synthetic/postings.synthetic.csv": "f" * 64},
    "steps": {"01_content_analysis": {"status": "ran", "seconds": 3.2}},
}


def make_outputs(root: Path, remote_script: bool = False) -> Path:
    """A tiny outputs folder: results (one claim deliberately off), a figure, a table, a notebook."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = root / "outputs"
    write_results(
        "01_content_analysis", {"n_postings": 408, "n_no_digital": 273}, "synthetic", results_dir=out / "results"
    )
    write_results("03_innovative_capacity", {"kmo": 0.90, "n_total": 10942}, "synthetic", results_dir=out / "results")
    # notebook 05 evaluates the claims once and writes them; the report only reads that file
    claims.write_evaluations(claims.evaluate(out / "results"), "synthetic", out / "results")
    write_table(
        pd.DataFrame(
            {
                "family": ["factor model"] * 3 + ["360 appraisal"] * 2,
                "claim_id": [
                    "p003_kmo",
                    "p003_kmo",
                    "p003_communality_competencies",
                    "p003_share_any_below_5",
                    "p003_share_any_below_5",
                ],
                "alternative": ["principal", "pairwise", "principal", "less than 5 (1–4)", "footnote 5: 1 to 5"],
                "checked": [True, False, True, True, False],
                "value": ["0.8401", "0.8401", "0.3990", "0.2500", "0.4577"],
                "published": [".840", ".840", ".399", "25 %", "25 %"],
                "survives": [True, True, True, True, False],
            }
        ),
        "05_report",
        "robustness",
        tables_dir=out / "tables",
    )
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["no digital", "digital"], [273, 135], color=["#4c72b0", "#dd8452"])
    save_figure(fig, "01_content_analysis", "share_bar", "synthetic", figures_dir=out / "figures")
    plt.close(fig)
    write_table(
        pd.DataFrame({"region": ["abai", "akmola", "astana_city"], "n": [12, 0, 40], "share": [0.5, 0.25, 0.75]}),
        "01_content_analysis",
        "by_region",
        min_cell_size=5,
        tables_dir=out / "tables",
    )
    png = (out / "figures" / "01_content_analysis__share_bar.png").read_bytes()
    cells = [
        nbformat.v4.new_markdown_cell(
            "# 01 content analysis\nSee [the paper](https://doi.org/10.21511/ppm.23(2).2025.40)."
        ),
        nbformat.v4.new_code_cell("x = 1\nprint(x)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell(
            'save_figure(fig, STEP, "share_bar", data_source)',
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}
                )
            ],
        ),
    ]
    if remote_script:
        cells.append(
            nbformat.v4.new_code_cell(
                "widget()",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": '<script src="https://cdn.example.org/lib.js"></script>'}
                    )
                ],
            )
        )
    for i, c in enumerate(cells):
        c["id"] = CELL_ID if i == 2 else f"cell-{i}"
    nb = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    (out / "notebooks").mkdir(parents=True)
    nbformat.write(nb, out / "notebooks" / "01_content_analysis.ipynb")
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = make_outputs(tmp_path_factory.mktemp("report"))
    return out, report.build_report(out, manifest=MANIFEST)


# --------------------------------------------------------------------------- as text
def test_page_is_self_contained(built):
    out, index = built
    page = index.read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert "http://" not in page and "https://" not in page
    nb_html = (out / "report" / "notebooks" / "01_content_analysis.html").read_text(encoding="utf-8")
    assert remote_references(nb_html, links=False) == []  # no CDN script, style, MathJax
    assert "require.js" not in nb_html and "<script src" not in nb_html


def _pages(out: Path) -> dict[str, str]:
    return {f.name: f.read_text(encoding="utf-8") for f in sorted((out / "report").glob("*.html"))}


def test_page_content(built):
    out, index = built
    pages = _pages(out)
    assert sorted(pages) == ["index.html", "paper-000.html", "paper-003.html"]
    assert [f.name for f in report.report_files(out)] == [*pages, report.BUNDLE]
    page, p000, p003 = pages["index.html"], pages["paper-000.html"], pages["paper-003.html"]
    for name, p in pages.items():  # every page: the banner, and links to the other pages
        assert 'class="banner synthetic"' in p
        assert all(f'href="{other}"' in p for other in pages if other != name)
    # the header line counts the four evidence classes apart
    s = claims.summary(claims.read_evaluations(out / "results")["evaluations"])
    assert f'<p class="headline">Claims: {claims.summary_line(s)}</p>' in page
    for ev in claims.EVIDENCE:
        assert f'class="pill ev-{ev}' in page
    # every claim on the common page, each paper's on its own page only
    assert page.count('<tr class="') >= len(claims.load_ledger())
    assert '<tr class="fail calibrated" id="claim-p003_kmo"' in page and 'id="claim-p003_kmo"' in p003
    assert 'id="claim-p003_kmo"' not in p000
    assert '<tr class="pass calibrated" id="claim-p000_n_postings"' in page and 'data-calibration="calibrated"' in page
    # robustness grid and the paper's figures on the paper's page (Figure 1 not reproducible, with its source)
    assert '<table class="robustness">' in p003 and "footnote 5: 1 to 5" in p003
    assert 'id="paperfig-p003_figure1"' in p003 and "not reproducible" in p003 and "OECD (2022)" in p003
    assert 'id="paperfig-p003_figure1"' not in p000
    # notebook 01's figure on paper 000's page, embedded, linked to the cell that saved it, with provenance
    assert 'src="data:image/png;base64,' in p000 and 'src="data:image/png;base64,' not in p003
    assert f'href="notebooks/01_content_analysis.html#cell-id={CELL_ID}"' in p000
    nb_html = (out / "report" / "notebooks" / "01_content_analysis.html").read_text(encoding="utf-8")
    assert f'id="cell-id={CELL_ID}"' in nb_html
    assert "0123456789ab (uncommitted changes)" in p000 and "bootstrap" in p000
    assert "01_content_analysis__by_region" in p000 and 'href="../tables/01_content_analysis__by_region.csv"' in p000


def test_provenance_lists_only_the_files_the_notebook_reads():
    from civcomp.replication.report_provenance import data_files_read, figure_provenance

    m = {"data": {"data/raw/postings.csv": "a" * 64, "data/raw/capacity_survey.csv": "b" * 64}}
    assert list(data_files_read("01_content_analysis", m)) == ["data/raw/postings.csv"]
    assert list(data_files_read("03_innovative_capacity", m)) == ["data/raw/capacity_survey.csv"]
    assert "capacity" not in figure_provenance("01_content_analysis", m)["data"]
    assert figure_provenance("05_report", m)["data"].startswith("none")


def test_claims_link_to_the_source_of_the_function_that_computes_them(built):
    """Beside the results cell, each claim with ``computed_by`` links to that function's file, shown as path:line."""
    import inspect
    import re

    out, index = built
    page = index.read_text(encoding="utf-8")
    row = re.search(r'<tr class="[^"]+" id="claim-p000_balanced_regions"[^>]*>.*?</tr>', page, re.S).group(0)
    fn = claims.computed_by_function(claims.by_id(claims.load_ledger())["p000_balanced_regions"]["computed_by"])
    file, (_, line) = Path(inspect.getsourcefile(fn)), inspect.getsourcelines(fn)
    shown = file.resolve().relative_to(paths.ROOT.resolve()).as_posix()
    assert f">{shown}:{line}</a>" in row.replace("<wbr>", "") and shown.startswith("src/civcomp/")
    href = re.search(r'<a class="src" href="([^"]+)"', row).group(1)
    source_page, _, anchor = href.partition("#")  # the function's file as a page in the report, at its line
    assert href.startswith("source/") and (out / "report" / source_page).is_file() and anchor
    assert page.count('<a class="src" ') == sum(bool(c.get("computed_by")) for c in claims.load_ledger())


def test_deterministic_and_tolerant_of_a_bare_manifest(tmp_path):
    out = make_outputs(tmp_path)
    a = report.build_report(out, manifest={}).read_bytes()
    b = report.build_report(out, manifest={}).read_bytes()
    assert a == b
    assert b"not recorded" in a and b"No manifest" in a


def test_real_and_mixed_banners(tmp_path):
    out = make_outputs(tmp_path)
    write_results("03_innovative_capacity", {"kmo": 0.84}, "real", results_dir=out / "results")
    assert 'class="banner mixed"' in report.build_report(out).read_text(encoding="utf-8")
    write_results("01_content_analysis", {"n_postings": 408}, "real", results_dir=out / "results")
    assert 'class="banner real"' in report.build_report(out).read_text(encoding="utf-8")


def test_remote_resource_in_a_notebook_is_refused(tmp_path):
    out = make_outputs(tmp_path, remote_script=True)
    with pytest.raises(ReportError, match="cdn.example.org"):
        report.build_report(out)


def test_empty_outputs_folder(tmp_path):
    page = report.build_report(tmp_path).read_text(encoding="utf-8")
    paper = (tmp_path / "report" / "paper-003.html").read_text(encoding="utf-8")
    assert "No figures" in page and "No tables" in page and 'class="banner mixed"' in page
    assert "05_report__claims.json not found" in page and "No robustness table" in paper


def test_report_never_evaluates_the_claims(tmp_path, monkeypatch):
    out = make_outputs(tmp_path)
    for where in (claims, claims.evaluation):  # the package's name and the defining module's
        monkeypatch.setattr(where, "evaluate", lambda *a, **k: (_ for _ in ()).throw(AssertionError("re-evaluated")))
    page = report.build_report(out).read_text(encoding="utf-8")
    assert '<tr class="fail calibrated" id="claim-p003_kmo"' in page


# --------------------------------------------------------------------------- in the browser
def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


class DevTools:
    """Just enough of the Chrome DevTools protocol: send commands, collect events."""

    def __init__(self, binary: str, profile: Path):
        import websocket  # websocket-client

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--mute-audio",
                f"--user-data-dir={profile}",
                "--window-size=1400,900",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and len(port_file.read_text().split()) >= 2:
                break
            time.sleep(0.05)
        else:
            self.close()
            raise RuntimeError("chromium did not open its DevTools port")
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.n, self.events = 0, []

    def send(self, method: str, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30):
        end = time.time() + timeout
        while time.time() < end:
            if any(e.get("method") == method for e in self.events):
                return
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def load(self, url: str):
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        time.sleep(0.3)  # late console messages / requests
        self.js("1")  # drain

    def problems(self) -> dict[str, list]:
        reqs = [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]
        console = [
            e["params"]
            for e in self.events
            if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")
        ]
        exceptions = [e["params"] for e in self.events if e.get("method") == "Runtime.exceptionThrown"]
        logs = [
            e["params"]["entry"]
            for e in self.events
            if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
        ]  # browser warnings (e.g. interventions) vary by version
        return {
            "requests_leaving_the_machine": [u for u in reqs if not u.startswith(("file:", "data:"))],
            "console": console,
            "exceptions": exceptions,
            "log": logs,
            "all_requests": reqs,
        }

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = _chromium()
    if binary is None:
        pytest.skip("headless browser test needs Chromium (Debian package 'chromium'); none found on PATH")
    pytest.importorskip("websocket", reason="the DevTools client needs websocket-client")
    dt = DevTools(binary, tmp_path_factory.mktemp("chromium-profile"))
    for domain in ("Network", "Runtime", "Log", "Page"):
        dt.send(f"{domain}.enable")
    yield dt
    dt.close()


def test_report_in_headless_chromium(built, browser, tmp_path_factory):
    out, index = built
    browser.load(index.resolve().as_uri())
    p = browser.problems()
    assert p["requests_leaving_the_machine"] == [], p["requests_leaving_the_machine"]
    assert p["console"] == [] and p["exceptions"] == [] and p["log"] == [], p
    assert p["all_requests"] and all(u.startswith(("file:", "data:")) for u in p["all_requests"])

    n_claims = len(claims.load_ledger())
    assert browser.js("document.querySelectorAll('table.claims tbody tr').length") == n_claims
    assert browser.js("document.querySelector('#claim-p003_kmo').className") == "fail calibrated"
    assert (
        browser.js("getComputedStyle(document.querySelector('#claim-p003_kmo td.c-status')).backgroundColor")
        == "rgb(255, 129, 130)"
    )
    # at 1,400 px neither the page nor the claims table scrolls sideways
    assert browser.js("window.innerWidth") == 1400
    assert browser.js("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert browser.js("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.claimswrap'))")

    # filters: paper, then status, then the search box narrow the rows, and the count says so
    visible = "Array.from(document.querySelectorAll('table.claims tbody tr')).filter(r => !r.hidden)"
    pick = "(s => {{ s.value = '{v}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})(document.querySelector('[data-filter={f}]'))"
    browser.js(pick.format(f="paper", v="003"))
    n003 = sum(c["paper"] == "003" for c in claims.load_ledger())
    assert browser.js(f"{visible}.length") == n003 and browser.js(f"{visible}.every(r => r.dataset.paper === '003')")
    assert browser.js("document.querySelector('output.shown').textContent") == f"{n003} of {n_claims} shown"
    browser.js(pick.format(f="status", v="fail"))
    evaluations = claims.read_evaluations(out / "results")["evaluations"]
    failing = {f"claim-{e['id']}" for e in evaluations if e["paper"] == "003" and e["status"] == "fail"}
    assert "claim-p003_kmo" in failing and set(browser.js(f"{visible}.map(r => r.id)")) == failing
    browser.js(pick.format(f="status", v=""))
    browser.js(pick.format(f="paper", v=""))
    browser.js(
        "(i => { i.value = 'p003_kmo'; i.dispatchEvent(new Event('input', {bubbles: true})); })"
        "(document.querySelector('[data-filter=text]'))"
    )
    assert "claim-p003_kmo" in browser.js(f"{visible}.map(r => r.id)")
    browser.js(
        "(i => { i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true})); })"
        "(document.querySelector('[data-filter=text]'))"
    )
    assert browser.js(f"{visible}.length") == n_claims

    # sorting: click "status" twice -> descending puts the not-computable rows first
    first = "document.querySelector('table.claims tbody tr td.c-status .status').textContent"
    browser.js("document.querySelector('table.claims th.c-status').click()")
    assert browser.js(first) == "fail"
    browser.js("document.querySelector('table.claims th.c-status').click()")
    assert browser.js(first) == "pass"  # descending: pass > not computable > fail
    assert browser.js("document.querySelectorAll('.headline').length") == 1
    assert browser.js("document.querySelectorAll('p.classes .pill').length") == 4

    # paper 003's page: the robustness grid, one row per claim, and the paper's figures
    browser.load((index.parent / "paper-003.html").resolve().as_uri())
    p = browser.problems()
    assert p["requests_leaving_the_machine"] == [] and p["exceptions"] == [] and p["console"] == [], p
    assert browser.js("document.querySelectorAll('table.robustness tbody tr').length") == 3
    assert browser.js("document.querySelectorAll('table.robustness td.rb-no').length") == 1
    assert (
        browser.js("getComputedStyle(document.querySelector('table.robustness td.rb-checked')).outlineStyle") == "solid"
    )
    assert browser.js("document.querySelector('#paperfig-p003_figure1').textContent").count("not reproducible") == 1
    assert browser.js("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # paper 000's page: the PNG decodes (images load lazily: bring the first one into view) and a table sorts
    browser.load((index.parent / "paper-000.html").resolve().as_uri())
    assert (
        browser.js(
            "new Promise(r => { const i = document.querySelector('figure img'); i.scrollIntoView();"
            " if (i.complete && i.naturalWidth) r(i.naturalWidth); else i.onload = () => r(i.naturalWidth); })"
        )
        > 100
    )
    browser.js("window.scrollTo(0, 0)")
    assert browser.js("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    numeric = (
        "Array.from(document.querySelector('#tables table').querySelectorAll('tbody tr td:nth-child(2)'))"
        ".map(td => td.textContent)"
    )
    browser.js("document.querySelector('#tables table th:nth-child(2)').click()")
    assert browser.js(numeric) == ["0", "12", "40"]

    shot = browser.send("Page.captureScreenshot", format="png")["data"]
    png = tmp_path_factory.getbasetemp() / "report_screenshot.png"
    png.write_bytes(base64.b64decode(shot))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000

    # the figure's link lands on the notebook page, which loads nothing remote either
    href = browser.js("document.querySelector('figcaption a').href")
    assert href.endswith(f"notebooks/01_content_analysis.html#cell-id={CELL_ID}")
    browser.load(href)
    p = browser.problems()
    assert p["requests_leaving_the_machine"] == [] and p["exceptions"] == [], p
    assert browser.js(f"document.getElementById('cell-id={CELL_ID}') !== null")


def test_browser_check_catches_errors_and_requests(browser, tmp_path):
    """The harness itself can fail: a page with a script error and a non-file request is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/pixel.png">'
        '<script>console.error("boom"); notDefined();</script></body></html>',
        encoding="utf-8",
    )
    browser.load(page.as_uri())
    p = browser.problems()
    assert p["requests_leaving_the_machine"] == ["http://127.0.0.1:9/pixel.png"]
    assert [c["args"][0]["value"] for c in p["console"]] == ["boom"]
    assert "notDefined" in json.dumps(p["exceptions"])


def test_claim_keys_link_to_the_cell_that_wrote_the_results(tmp_path):
    import nbformat

    from civcomp.replication.report import key_link
    from civcomp.replication.report_notebooks import results_cell

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("write_results(STEP, r, 's')")]
    nb.cells[0].id, nb.cells[1].id = "03-001", "03-002"
    nbformat.write(nb, tmp_path / "03_x.ipynb")
    assert results_cell(tmp_path / "03_x.ipynb") == "03-002"
    assert results_cell(tmp_path / "none.ipynb") is None
    html = key_link("03_x.kmo", {"03_x": "notebooks/03_x.html#cell-id=03-002"})
    assert html.startswith('<a href="notebooks/03_x.html#cell-id=03-002">') and "kmo" in html
    assert "<a " not in key_link("09_other.kmo", {"03_x": "notebooks/03_x.html"})


def test_built_report_links_claims_to_their_notebook():
    from civcomp import paths

    page = paths.REPORT / "index.html"
    if not page.exists():
        pytest.skip("no built report (run civcomp reproduce first)")
    import re

    html = page.read_text(encoding="utf-8")
    assert re.search(r'<a href="notebooks/03_innovative_capacity\.html#cell-id=[^"]+">[^<]*03', html)


def test_illustrations_are_labelled_only_on_the_twin():
    """Paper 000's Tables 2-4 and Figure 1 and 003's Figures 5-6 carry the illustration label when the twin drew them."""
    figs = claims.load_figures()
    synthetic = {s: "synthetic" for s in ("02_digital_survey", "04_appraisal_360", "03_innovative_capacity")}
    labels = report.illustration_labels(figs, synthetic)
    assert set(labels) == {
        "02_digital_survey__table2_challenges",
        "02_digital_survey__table3_responsibilities_by_position",
        "02_digital_survey__table4_responsibilities_by_area",
        "02_digital_survey__figure1_responsibilities_by_area",
        "04_appraisal_360__fig5_competency_list",
        "04_appraisal_360__fig6_heatmap",
    }
    assert all(
        "illustration: the paper did not publish these cells; values are the twin's assumptions" in v
        for v in labels.values()
    )
    assert report.illustration_labels(figs, {s: "real" for s in synthetic}) == {}


def test_zip_holds_every_page_and_everything_they_link_to(built, tmp_path):
    import zipfile

    from civcomp.replication import report_bundle

    out, _ = built
    with zipfile.ZipFile(out / report.BUNDLE) as z:
        z.extractall(tmp_path)
    root = tmp_path / report_bundle.FOLDER
    assert (root / "report" / "notebooks" / "01_content_analysis.html").is_file()
    for page in root.rglob("*.html"):
        for link in report_bundle.relative_links(page.read_text(encoding="utf-8")):
            assert (page.parent / link).resolve().is_file(), f"{page.relative_to(root)} links to missing {link}"
