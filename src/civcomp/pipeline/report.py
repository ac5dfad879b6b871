"""The HTML reproduction report: one self-contained page a reviewer can open offline.

:func:`build_report` writes ``outputs/report/index.html`` and the executed notebooks
rendered as HTML in ``outputs/report/notebooks/``. The page holds a data-source
banner (read from the results files), the claims as notebook 05 evaluated them
(``outputs/results/05_report__claims.json``, read, never re-evaluated here) with the
four evidence classes counted apart and status colours, the robustness grid
(``outputs/tables/05_report__robustness.csv``), the papers' figures (reproduced,
redrawn from published numbers, or not reproducible, with the source), every figure (embedded as a PNG data URI) with a link
to the notebook cell that saved it and its provenance (git commit, parameters, data
hashes from the run manifest), every exported table as a sortable HTML table, links
to the notebooks and the manifest itself.

Nothing is fetched from the network: the notebooks are rendered with nbconvert's
``classic`` template with the require.js / jQuery / mermaid / MathJax CDN blocks
removed, sorting is a few lines of inline JavaScript, and :func:`remote_references`
checks every written page (a remote script, stylesheet, image or frame raises
:class:`ReportError`).

References
----------
nbconvert ``HTMLExporter`` and its ``classic`` template (nbconvert 7).

Examples
--------
>>> remote_references('<img src="https://cdn.example/x.png"><a href="https://doi.org/1">doi</a>')
['img src=https://cdn.example/x.png', 'a href=https://doi.org/1']
>>> remote_references('<a href="https://doi.org/1">doi</a>', links=False)
[]

Size: the HTML report is one self-contained page builder (sections, offline checks).
"""

from __future__ import annotations

import base64
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.io.outputs import DATA_LABELS, atomic_write, sha256_file
from civcomp.pipeline import claims as claims_mod

MAX_TABLE_ROWS = 300  # longer tables are cut in the page; the full CSV is linked beside


class ReportError(RuntimeError):
    """The report would not be self-contained (a remote resource), or cannot be written."""


# --------------------------------------------------------------------------- offline check
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
    """
    finder = _RefFinder(links)
    finder.feed(text)
    finder.close()
    return finder.found


# --------------------------------------------------------------------------- notebooks
_NB_TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- nbconvert's classic page without its CDN scripts (require.js, jQuery, mermaid) and MathJax -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block body_header %}{{ super() }}
<p style="font:14px system-ui,sans-serif"><a href="../index.html">&larr; reproduction report</a></p>
{% endblock body_header %}
"""


def _exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="classic",
        template_file="civcomp_nb.html.j2",
        extra_loaders=[DictLoader({"civcomp_nb.html.j2": _NB_TEMPLATE})],
    )


def executed_notebooks(nb_dir: Path) -> list[Path]:
    """Executed notebooks (``<step>.ipynb`` and ``<step>.FAILED.ipynb``), without partial runs."""
    return sorted(p for p in Path(nb_dir).glob("*.ipynb") if not p.name.startswith("."))


def render_notebooks(nb_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Render every executed notebook to ``out_dir/<name>.html``; return name -> HTML path."""
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    exporter, written = _exporter(), {}
    for nb_path in executed_notebooks(nb_dir):
        nb = nbformat.read(nb_path, as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
        bad = remote_references(body, links=False)
        if bad:
            raise ReportError(f"{nb_path}: the rendered notebook would load remote resources: {bad[:3]}")
        written[nb_path.stem] = atomic_write(out_dir / f"{nb_path.stem}.html", body.encode("utf-8"))
    for stale in out_dir.glob("*.html"):  # notebooks that no longer exist
        if stale.stem not in written:
            stale.unlink()
    return written


def figure_cell(nb_path: Path, figure_name: str) -> str | None:
    """Id of the code cell that saved ``<step>__<figure_name>``: the cell whose source names the
    figure (as a string literal), else whose output mentions it, else the only cell calling
    ``save_figure``. ``None`` if it cannot be told."""
    import nbformat

    if not nb_path.exists():
        return None
    cells = [c for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "code"]
    literal = re.compile(rf"""['"]{re.escape(figure_name)}['"]""")
    for c in cells:
        if literal.search(c.source):
            return c.get("id")
    for c in cells:
        if any(
            figure_name in json.dumps(o.get("text", "")) + json.dumps(o.get("data", {}).get("text/plain", ""))
            for o in c.get("outputs", [])
        ):
            return c.get("id")
    savers = [c for c in cells if "save_figure" in c.source or "show_figure" in c.source]
    return savers[0].get("id") if len(savers) == 1 else None


def results_cell(nb_path: Path) -> str | None:
    """Id of the code cell that wrote the notebook's results file (calls ``write_results``); ``None`` if
    there is not exactly one. A claim's recomputed value comes from that file."""
    import nbformat

    if not nb_path.exists():
        return None
    cells = [c for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "code"]
    writers = [c for c in cells if "write_results(" in c.source]
    return writers[0].get("id") if len(writers) == 1 else None


def _key_link(key: Any, links: dict[str, str]) -> str:
    """A claim's result key linked to the cell that wrote it (``step.key`` → that notebook's results cell)."""
    text = _breakable(_cell(key))
    step = str(key).split(".", 1)[0] if isinstance(key, str) and "." in key else None
    return f'<a href="{_e(links[step])}">{text}</a>' if step in links else text


# --------------------------------------------------------------------------- page pieces
def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _banner(sources: dict[str, str], manifest: dict) -> str:
    found = sorted(set(sources.values()))
    if not found and manifest.get("data_source"):
        found = [manifest["data_source"]]
    if len(found) == 1 and found[0] == "synthetic":
        return (
            f'<div class="banner synthetic"><strong>Data: {_e(DATA_LABELS["synthetic"])}.</strong> '
            "Every number below was computed from the synthetic twin, which was calibrated to the published "
            "aggregates; agreement with the papers therefore checks the pipeline, not the papers. "
            "Set <code>data_source: real</code> in <code>params/global.yaml</code> to run the actual "
            "replication on the study's microdata.</div>"
        )
    if len(found) == 1 and found[0] == "real":
        return (
            f'<div class="banner real"><strong>Data: {_e(DATA_LABELS["real"])}.</strong> '
            "This page is the replication check: each published claim is compared with the value "
            "recomputed from the study's own data.</div>"
        )
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(sources.items())) or "no results files found"
    return (
        f'<div class="banner mixed"><strong>Data source unclear or mixed</strong> ({_e(detail)}). '
        "Rerun <code>civcomp reproduce --force</code> so that every result comes from the same data.</div>"
    )


_CLASS_HINT = {
    "data": "recomputed from the data",
    "derived": "recomputed, implied by other claims",
    "consistency": "the paper's own arithmetic",
    "external": "administrative or literature figures",
}


def _class_pills(s: dict) -> str:
    """The four evidence classes, counted apart (the report's header line)."""
    out = []
    for ev in claims_mod.EVIDENCE:
        if ev == "external":
            txt = f"{s['n_external']} external (not recomputable)"
        elif ev == "consistency":
            txt = f"{s['n_consistency']} consistency: {s['n_consistency_pass']} hold, {s['n_consistency_fail']} do not"
        else:
            nc = s[f"n_{ev}_not_computable"]
            txt = f"{s[f'n_{ev}']} {ev}: {s[f'n_{ev}_pass']} pass, {s[f'n_{ev}_fail']} fail" + (
                f", {nc} not computable" if nc else ""
            )
        bad = ev in claims_mod.STRICT_EVIDENCE and s[f"n_{ev}_fail"]
        out.append(
            f'<span class="pill ev-{ev}{" has-fail" if bad else ""}" title="{_e(_CLASS_HINT[ev])}">{_e(txt)}</span>'
        )
    return " ".join(out)


def _claims_section(evaluations: list[dict] | None, error: str | None, links: dict[str, str] | None = None) -> str:
    if error:
        return f'<section id="claims"><h2>Published claims</h2><p class="error">{_e(error)}</p></section>'
    s = claims_mod.summary(evaluations)
    df = claims_mod.evaluations_frame(evaluations)
    cols = [
        "status",
        "evidence",
        "id",
        "paper",
        "where",
        "statement",
        "published",
        "expected",
        "recomputed",
        "difference",
        "tolerance",
        "key",
        "note",
    ]  # data source: in the banner (and in the CSV of notebook 05)
    head = "".join(f'<th scope="col" class="c-{c}">{_e(c.replace("_", " "))}</th>' for c in cols)
    body = []
    for _, r in df[cols + ["tolerance_rule"]].iterrows():
        cells = "".join(
            f'<td class="c-{c}"'
            + (f' title="{_e(r["tolerance_rule"])}"' if c == "tolerance" else "")
            + ">"
            + (
                _key_link(r[c], links or {})
                if c == "key"
                else _breakable(_cell(r[c]))
                if c == "id"
                else _e(_cell(r[c]))
            )
            + "</td>"
            for c in cols
        )
        body.append(f'<tr class="{r["status"].replace(" ", "-")}" id="claim-{_e(r["id"])}">{cells}</tr>')
    fails = ", ".join(f'<a href="#claim-{_e(i)}">{_e(i)}</a>' for i in s["failing_ids"]) or "none"
    incons = ", ".join(f'<a href="#claim-{_e(i)}">{_e(i)}</a>' for i in s["consistency_failing_ids"]) or "none"
    return f"""<section id="claims"><h2>Published claims</h2>
<p class="summary classes">{_class_pills(s)}</p>
<p class="summary">{s["n_claims"]} claims (paper 000: {s["n_claims_paper_000"]}, paper 003: {s["n_claims_paper_003"]}).
Failing data/derived claims (what <code>--strict</code> refuses): {fails}. Where the paper disagrees with itself
(consistency): {incons}.</p>
<p class="hint">Ledger: <code>data/published/claims.yaml</code>; evaluated once, by notebook 05
(<code>outputs/results/05_report__claims.json</code>). Evidence: <em>data</em> = recomputed from the data;
<em>derived</em> = recomputed, but implied by other claims; <em>consistency</em> = the paper's own arithmetic
from its published numbers; <em>external</em> = administrative or literature figures no dataset can recompute.
Tolerance: half a unit of the last digit the paper prints, bounds inclusive, unless the claim states another
(hover a tolerance). Click a column header to sort.</p>
<div class="tablewrap"><table class="sortable claims"><thead><tr>{head}</tr></thead>
<tbody>{"".join(body)}</tbody></table></div></section>"""


def _robustness_section(tab_dir: Path) -> str:
    """The robustness grid: per family, claims x alternatives; each cell the recomputed value and whether
    the claim survives it (from ``05_report__robustness.csv``, written by notebook 05)."""
    csv = Path(tab_dir) / "05_report__robustness.csv"
    head = '<section id="robustness"><h2>Robustness: readings and method choices</h2>'
    if not csv.exists():
        return (
            head + "<p>No robustness table (outputs/tables/05_report__robustness.csv): run notebook 05.</p></section>"
        )
    try:
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return head + f'<p class="error">cannot read {_e(csv.name)}: {_e(exc)}</p></section>'
    parts = [
        head,
        '<p class="hint">Each claim whose check rests on a reading the paper leaves open or on an '
        "unstated method, recomputed under each alternative. Cell: recomputed value; ✓ the claim survives "
        "(its own check: published value ± tolerance, or the comparison), ✗ it does not, – not applicable. "
        "The outlined cell is the reading the ledger checks. Aggregate values only.</p>",
    ]
    for family, g in df.groupby("family", sort=False):
        alts = list(dict.fromkeys(g["alternative"]))
        per_claim = g.groupby("claim_id", sort=False).size()
        # claims sharing their alternatives (the factor model) get one column per alternative; claims with
        # readings of their own get one column per position (checked reading first), labelled in the cell
        shared = len(alts) <= per_claim.max() + 1
        width = len(alts) if shared else int(per_claim.max())
        th = (
            "".join(f'<th scope="col">{_e(a)}</th>' for a in alts)
            if shared
            else "".join(
                f'<th scope="col">{"reading checked" if i == 0 else f"alternative {i}"}</th>' for i in range(width)
            )
        )
        rows = []
        for cid, gc in g.groupby("claim_id", sort=False):
            gc = gc.sort_values("checked", ascending=False, kind="stable")
            by_alt = {r["alternative"]: r for _, r in gc.iterrows()}
            cells = (
                [by_alt.get(a) for a in alts] if shared else [r for _, r in gc.iterrows()] + [None] * (width - len(gc))
            )
            tds = []
            for r in cells:
                if r is None:
                    tds.append('<td class="rb-none"></td>')
                    continue
                sv = r["survives"]
                cls, mark = {"True": ("rb-yes", "✓"), "False": ("rb-no", "✗")}.get(sv, ("rb-na", "–"))
                chk = " rb-checked" if r["checked"] == "True" else ""
                label = "" if shared else f'<span class="rb-label">{_e(r["alternative"])}</span><br>'
                tds.append(f'<td class="{cls}{chk}">{label}{_e(r["value"])} {mark}</td>')
            pub = _e(gc["published"].iloc[0])
            rows.append(
                f'<tr><th scope="row"><a href="#claim-{_e(cid)}">{_breakable(cid)}</a>'
                f'<br><span class="hint">paper: {pub}</span></th>{"".join(tds)}</tr>'
            )
        parts.append(
            f'<h3>{_e(family)}</h3><div class="tablewrap"><table class="robustness">'
            f'<thead><tr><th scope="col">claim</th>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        )
    return "".join(parts) + "</section>"


def _paper_figures_section(figures: list[dict] | None, fig_dir: Path) -> str:
    """The papers' figures: reproduced, redrawn from published numbers, or not reproducible (with the source)."""
    if not figures:
        return ""
    items = []
    for f in figures:
        out = f.get("output")
        link = (
            f' — <a href="#fig-{_e(out)}">{_e(out)}</a>'
            if out and (Path(fig_dir) / f"{out}.png").exists()
            else (f" — {_e(out)} (not in this run)" if out else "")
        )
        src = f'<br><span class="hint">Source: {_e(f["source"])}</span>' if f.get("source") else ""
        note = f'<br><span class="hint">{_e(f["note"])}</span>' if f.get("note") else ""
        cls = "not-reproducible" if f["status"].startswith("not") else "reproduced"
        items.append(
            f'<li class="{cls}" id="paperfig-{_e(f["id"])}"><strong>{_e(f["title"])}</strong> (paper {_e(f["paper"])}, '
            f"{_e(f['where'])}): <em>{_e(f['status'])}</em>{link}{src}{note}</li>"
        )
    return f'<section id="paper-figures"><h2>The papers\' figures</h2><ul class="paperfigs">{"".join(items)}</ul></section>'


def _breakable(text: str) -> str:
    """Escaped identifier with line-break opportunities after '_' and '.' (keeps table columns narrow)."""
    return re.sub(r"([_.])", r"\1<wbr>", _e(text))


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _provenance(step: str, manifest: dict) -> str:
    git = manifest.get("git") or {}
    commit = git.get("commit")
    commit_txt = (commit[:12] if isinstance(commit, str) else "unknown") + (
        " (uncommitted changes)" if git.get("dirty") else ""
    )
    prm = manifest.get("params") or {}
    glob = {k: v for k, v in (prm.get("global") or {}).items() if k in ("seed", "data_source", "min_cell_size")}
    own = (prm.get("steps") or {}).get(step)
    data = manifest.get("data") or {}
    data_txt = "; ".join(f"{Path(f).name} {str(h)[:12]}" for f, h in sorted(data.items())) or "not recorded"
    st = (manifest.get("steps") or {}).get(step) or {}
    run = f"{st.get('status', '?')}, {st.get('seconds', '?')} s" if st else "not recorded"
    glob_txt = json.dumps(glob, sort_keys=True) if glob else "global: not recorded"
    return (
        '<dl class="prov">'
        f"<dt>git commit</dt><dd><code>{_e(commit_txt)}</code></dd>"
        f"<dt>parameters</dt><dd><code>{_e(glob_txt)}</code>"
        f" + <code>params/{_e(step)}.yaml</code> <code>{_e(json.dumps(own, sort_keys=True) if own is not None else 'not recorded')}</code></dd>"
        f"<dt>data (sha256)</dt><dd><code>{_e(data_txt)}</code></dd>"
        f"<dt>step run</dt><dd>{_e(run)}</dd></dl>"
    )


def _figures_section(fig_dir: Path, nb_dir: Path, rendered: dict[str, Path], manifest: dict) -> str:
    pngs = sorted(Path(fig_dir).glob("*.png"))
    if not pngs:
        return '<section id="figures"><h2>Figures</h2><p>No figures in outputs/figures.</p></section>'
    items, toc, current = [], [], None
    for png in pngs:
        step, _, name = png.stem.partition("__")
        name = name or png.stem
        if step != current:  # one heading per notebook step
            current = step
            items.append(f'<h3 id="figs-{_e(step)}">{_e(step)}</h3>')
        toc.append(f'<a href="#fig-{_e(png.stem)}">{_e(png.stem)}</a>')
        link = "<span>notebook not rendered</span>"
        if step in rendered:
            cell = figure_cell(nb_dir / f"{step}.ipynb", name)
            anchor = f"#cell-id={cell}" if cell else ""
            link = (
                f'<a href="notebooks/{_e(step)}.html{_e(anchor)}">{_e(step)}'
                f"{', cell that saved it' if cell else ' (cell not identified)'}</a>"
            )
        svg = png.with_suffix(".svg")
        svg_link = f' · <a href="../figures/{_e(svg.name)}">SVG</a>' if svg.exists() else ""
        uri = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
        items.append(f"""<figure id="fig-{_e(png.stem)}"><img src="{uri}" alt="{_e(name.replace("_", " "))}" loading="lazy">
<figcaption><strong>{_e(png.stem)}</strong> — made by {link}{svg_link}; PNG sha256 <code>{sha256_file(png)[:12]}</code>
{_provenance(step, manifest)}</figcaption></figure>""")
    return (
        f'<section id="figures"><h2>Figures ({len(pngs)})</h2><p class="hint">{" · ".join(toc)}</p>'
        + "".join(items)
        + "</section>"
    )


def _tables_section(tab_dir: Path, rendered: dict[str, Path]) -> str:
    csvs = sorted(Path(tab_dir).glob("*.csv"))
    if not csvs:
        return '<section id="tables"><h2>Tables</h2><p>No tables in outputs/tables.</p></section>'
    out, toc = [], []
    for csv in csvs:
        step = csv.stem.partition("__")[0]
        try:
            df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            out.append(
                f'<h3 id="tab-{_e(csv.stem)}">{_e(csv.stem)}</h3><p class="error">cannot read {_e(csv.name)}: {_e(exc)}</p>'
            )
            continue
        n = len(df)
        shown = df.head(MAX_TABLE_ROWS)
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in shown.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>" for r in shown.itertuples(index=False)
        )
        cut = f" (first {MAX_TABLE_ROWS} of {n} rows)" if n > MAX_TABLE_ROWS else f" ({n} rows)"
        nb = f' · made by <a href="notebooks/{_e(step)}.html">{_e(step)}</a>' if step in rendered else ""
        toc.append(f'<a href="#tab-{_e(csv.stem)}">{_e(csv.stem)}</a>')
        out.append(f"""<h3 id="tab-{_e(csv.stem)}">{_e(csv.stem)}</h3>
<p class="hint"><a href="../tables/{_e(csv.name)}">CSV</a>{cut}{nb}</p>
<div class="tablewrap"><table class="sortable"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>""")
    book = (
        (
            '<p class="hint">Every table in one Excel workbook (README sheet first): '
            '<a href="../tables.xlsx">tables.xlsx</a>. CSVs are UTF-8 with a byte-order mark, so Excel reads '
            "Cyrillic labels; a suppressed cell is empty.</p>"
        )
        if (Path(tab_dir).parent / "tables.xlsx").exists()
        else ""
    )
    return (
        f'<section id="tables"><h2>Tables ({len(csvs)})</h2>{book}<p class="hint">{" · ".join(toc)}</p>'
        + "".join(out)
        + "</section>"
    )


def _notebooks_section(rendered: dict[str, Path], manifest: dict) -> str:
    if not rendered:
        return '<section id="notebooks"><h2>Notebooks</h2><p>No executed notebooks in outputs/notebooks.</p></section>'
    steps = manifest.get("steps") or {}
    items = []
    for name in sorted(rendered):
        st = steps.get(name.replace(".FAILED", "")) or {}
        flag = ' — <strong class="failtext">FAILED run (partial notebook)</strong>' if name.endswith(".FAILED") else ""
        run = f" — {st.get('status')}, {st.get('seconds')} s" if st else ""
        items.append(f'<li><a href="notebooks/{_e(name)}.html">{_e(name)}</a>{_e(run)}{flag}</li>')
    return f'<section id="notebooks"><h2>Executed notebooks</h2><ul>{"".join(items)}</ul></section>'


def _manifest_section(manifest: dict) -> str:
    if not manifest:
        return '<section id="manifest"><h2>Run manifest</h2><p>No manifest (outputs/manifest.json) was given.</p></section>'
    git = manifest.get("git") or {}
    rows = [
        ("git commit", git.get("commit")),
        ("uncommitted changes", git.get("dirty")),
        ("python", manifest.get("python")),
        ("platform", manifest.get("platform")),
        ("data source", manifest.get("data_source")),
    ]
    kv = "".join(f'<tr><th scope="row">{_e(k)}</th><td><code>{_e(v)}</code></td></tr>' for k, v in rows)
    steps = manifest.get("steps") or {}
    st = "".join(
        f"<tr><td>{_e(k)}</td><td>{_e((v or {}).get('status'))}</td><td>{_e((v or {}).get('seconds'))}</td></tr>"
        for k, v in sorted(steps.items())
    )
    pretty = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return f"""<section id="manifest"><h2>Run manifest</h2>
<table class="kv">{kv}</table>
<h3>Steps</h3><div class="tablewrap"><table class="sortable"><thead><tr><th>step</th><th>status</th><th>seconds</th></tr></thead>
<tbody>{st}</tbody></table></div>
<details><summary>Full manifest (outputs/manifest.json)</summary><pre>{_e(pretty)}</pre></details></section>"""


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f6f7f9}
main{max-width:1240px;margin:0 auto;padding:0 1.25rem 4rem}
header{padding:1.2rem 0 .4rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:2rem 0 .6rem;padding-top:.6rem;border-top:2px solid #d0d7de}
h3{font-size:1.05rem;margin:1.4rem 0 .3rem}
nav{position:sticky;top:0;background:#f6f7f9;padding:.4rem 0;border-bottom:1px solid #d0d7de;z-index:2}
nav a{margin-right:1rem}
a{color:#0550ae}
code{font-size:.88em;background:#eaeef2;padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
.banner{padding:.8rem 1rem;border-radius:6px;margin:.6rem 0;border:1px solid}
.banner.synthetic{background:#fff8c5;border-color:#d4a72c}
.banner.real{background:#dafbe1;border-color:#4ac26b}
.banner.mixed{background:#ffebe9;border-color:#ff8182}
.pill{display:inline-block;padding:.05rem .6rem;border-radius:1rem;font-weight:600}
.pill.pass,tr.pass td.c-status{background:#aceebb}
.pill.fail,tr.fail td.c-status{background:#ff8182}
.pill.not-computable,tr.not-computable td.c-status{background:#d0d7de}
tr.pass{background:#f0fff4} tr.fail{background:#fff0f0} tr.not-computable{background:#f6f8fa;color:#57606a}
.tablewrap{overflow:auto;max-height:75vh;border:1px solid #d0d7de;border-radius:6px;background:#fff}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eaeef2;padding:4px 7px;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{position:sticky;top:0;background:#eef1f4;cursor:pointer;white-space:nowrap;z-index:1}
thead th[aria-sort=ascending]::after{content:" \\25B2"} thead th[aria-sort=descending]::after{content:" \\25BC"}
td.c-statement{min-width:16rem} td.c-note{min-width:13rem} td.c-where{min-width:6rem} td.c-status{font-weight:600;min-width:5.5rem}
td.c-id,td.c-key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
table.kv{width:auto} table.kv th{cursor:default}
figure{margin:1rem 0;padding:.8rem;background:#fff;border:1px solid #d0d7de;border-radius:6px}
figure img{max-width:100%;max-height:620px;width:auto;height:auto;display:block;margin:0 auto}
figcaption{font-size:13px;margin-top:.5rem}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0 0}
dl.prov dt{color:#57606a} dl.prov dd{margin:0}
.hint{color:#57606a;font-size:13px}
.headline{font-weight:600;margin:.3rem 0}
.pill.ev-data{background:#aceebb}.pill.ev-derived{background:#d8f3dc}.pill.ev-consistency{background:#ddf4ff}
.pill.ev-external{background:#d0d7de}.pill.has-fail{background:#ff8182}
table.robustness{width:auto;min-width:60%} table.robustness th[scope=row]{font-weight:400;min-width:14rem}
table.robustness thead th{cursor:default;white-space:normal;min-width:7rem}
td.rb-yes{background:#f0fff4} td.rb-no{background:#fff0f0;color:#a40e26} td.rb-na{color:#57606a}
td.rb-checked{outline:2px solid #0550ae;outline-offset:-2px;font-weight:600}
span.rb-label{font-size:12px;color:#57606a;font-weight:400}
ul.paperfigs li{margin:.4rem 0} ul.paperfigs li.not-reproducible strong{color:#57606a}
.error,.failtext{color:#cf222e}
pre{background:#fff;border:1px solid #d0d7de;padding:.6rem;overflow:auto;max-height:60vh;font-size:12px}
"""

# Sorting without any library: numbers (also "12 %", "1,234") sort numerically, the rest as text.
_JS = """
(function(){
  function key(row, i){
    var c = row.cells[i], t = c ? c.textContent.trim() : "";
    var s = t.replace(/[%\\s,]/g, "");
    return (s !== "" && !isNaN(s) && isFinite(s)) ? [0, parseFloat(s)] : [1, t.toLowerCase()];
  }
  document.querySelectorAll("table.sortable thead th").forEach(function(th){
    th.addEventListener("click", function(){
      var table = th.closest("table"), body = table.tBodies[0];
      var i = Array.prototype.indexOf.call(th.parentNode.children, th);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function(h){ h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = key(a, i), y = key(b, i);
        var r = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
        return asc ? r : -r;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
})();
"""


# --------------------------------------------------------------------------- the page
def build_report(
    outputs_dir: Path | str = paths.OUTPUTS, manifest: dict | None = None, ledger: Path | str | None = None
) -> Path:
    """Write ``<outputs_dir>/report/index.html`` and the notebooks as HTML; return the index path.

    Parameters
    ----------
    outputs_dir : path
        The outputs folder holding ``results/``, ``figures/``, ``tables/`` and ``notebooks/``.
    manifest : dict, optional
        The run manifest (``outputs/manifest.json``): ``git{commit,dirty}``, ``params``,
        ``data{file: sha256}``, ``steps{name: {status, seconds}}``; missing keys are shown as
        "not recorded".
    ledger : path, optional
        Claims ledger (default ``data/published/claims.yaml``).

    Raises
    ------
    ReportError
        If a written page would load anything from a remote host.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> page = build_report(out, manifest={"git": {"commit": "abc", "dirty": False}})
    >>> page.name, remote_references(page.read_text(encoding="utf-8"))
    ('index.html', [])
    """
    out = Path(outputs_dir)
    report_dir = out / "report"
    manifest = manifest or {}
    rendered = render_notebooks(out / "notebooks", report_dir / "notebooks")
    claim_links = {}  # a claim's key -> the cell that wrote its results file, in the rendered notebook
    for step in rendered:
        cell = results_cell(out / "notebooks" / f"{step}.ipynb")
        claim_links[step] = f"notebooks/{step}.html" + (f"#cell-id={cell}" if cell else "")
    sources = claims_mod.results_data_sources(out / "results") if (out / "results").exists() else {}
    evaluations, error, figures = None, None, None
    try:  # notebook 05 evaluated the claims; the report only reads what it wrote
        evaluations = claims_mod.read_evaluations(out / "results", ledger)["evaluations"]
    except claims_mod.ClaimsError as exc:
        error = str(exc)
    try:
        figures = claims_mod.load_figures(ledger)
    except claims_mod.ClaimsError:
        figures = None
    headline = (
        f'<p class="headline">Claims: {_e(claims_mod.summary_line(claims_mod.summary(evaluations)))}</p>'
        if evaluations is not None
        else f'<p class="headline error">Claims: {_e(error)}</p>'
    )
    git = manifest.get("git") or {}
    commit = git.get("commit")
    sub = (
        f"git {commit[:12]}{' + uncommitted changes' if git.get('dirty') else ''}"
        if isinstance(commit, str)
        else "git commit not recorded"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>civcomp — reproduction report</title><style>{_CSS}</style></head>
<body><main>
<header><h1>Reproduction report — civil servants' digital competencies and innovative capacity (Kazakhstan)</h1>
<p class="hint">Papers 000 (digital competencies: 408 job postings, survey of 200) and 003 (innovative capacity:
10,942 respondents, factor model, 360-degree appraisal) · {_e(sub)}</p>
{headline}</header>
{_banner(sources, manifest)}
<nav><a href="#claims">Claims</a><a href="#robustness">Robustness</a><a href="#paper-figures">Papers' figures</a>
<a href="#figures">Figures</a><a href="#tables">Tables</a><a href="#notebooks">Notebooks</a><a href="#manifest">Manifest</a></nav>
{_claims_section(evaluations, error, claim_links)}
{_robustness_section(out / "tables")}
{_paper_figures_section(figures, out / "figures")}
{_figures_section(out / "figures", out / "notebooks", rendered, manifest)}
{_tables_section(out / "tables", rendered)}
{_notebooks_section(rendered, manifest)}
{_manifest_section(manifest)}
</main><script>{_JS}</script></body></html>
"""
    bad = remote_references(page)
    if bad:
        raise ReportError(f"the report page would reference remote hosts: {bad[:5]}")
    return atomic_write(report_dir / "index.html", page.encode("utf-8"))
