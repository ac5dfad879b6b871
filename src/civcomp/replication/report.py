"""The HTML reproduction report: one page per paper and a common page, each self-contained, and a zip.

:func:`build_report` writes, in ``outputs/report/``:

* ``index.html`` — the common page: data-source banner (read from the results files), the verdict line,
  one card per paper, every claim as notebook 05 evaluated it (``outputs/results/05_report__claims.json``,
  read, never re-evaluated here) in a table that fits the window, with filters by paper, evidence class,
  status and calibrated / free, the notebooks and the run manifest;
* ``paper-000.html`` and ``paper-003.html`` — one page per paper: its claims, the robustness readings of its
  claims (``05_report__robustness.csv``), the paper's own figures and tables (reproduced, redrawn,
  illustration or not reproducible, from the ledger's ``figures:``), every figure of its notebooks (PNG
  embedded) with the cell that saved it and its provenance (git commit, parameters, and the hashes of only
  the data files that notebook reads), and every table formatted for reading
  (:mod:`civcomp.replication.report_format`; a table checked against the paper side by side);
* the executed notebooks as HTML, with code and with code hidden (``notebooks/``), and the source of the
  functions that compute the claims (``source/``);

then the zip of all of it (:mod:`civcomp.replication.report_bundle`). Each claim's key links to the
notebook cell that wrote it and to the line of the function that computes it (the ledger's ``computed_by``).

The pages, sections, CSS and a few lines of JavaScript (sorting, filters) are package data in
``report_templates/``, rendered with Jinja2. Nothing is fetched from the network:
:func:`civcomp.replication.report_html.remote_references` checks every written page.

Size: one job, gathering what each section of the pages shows (the markup is in the templates).

Examples
--------
>>> key_link("03_x.kmo", {"03_x": "notebooks/03_x.html#cell-id=03-002"})
'<a href="notebooks/03_x.html#cell-id=03-002">03_<wbr>x.<wbr>kmo</a>'
"""

from __future__ import annotations

import base64
import html
import inspect
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.io.display import REHEARSAL_LABEL, file_line
from civcomp.io.outputs import DATA_LABELS, atomic_write, sha256_file
from civcomp.replication import report_format as fmt
from civcomp.replication.claims.evaluation import class_phrase, results_data_sources, summary, summary_line
from civcomp.replication.claims.evaluation_file import read_evaluations
from civcomp.replication.claims.schema import (
    EVIDENCE,
    PAPERS,
    STRICT_EVIDENCE,
    ClaimsError,
    computed_by_function,
    load_figures,
    load_ledger,
)
from civcomp.replication.report_bundle import BUNDLE, source_page_name, write_bundle, write_source_pages
from civcomp.replication.report_html import ReportError, remote_references
from civcomp.replication.report_notebooks import NO_INPUT, TEMPLATES, figure_cell, render_notebooks, results_cell
from civcomp.replication.report_provenance import figure_provenance

MAX_TABLE_ROWS = 300  # longer tables are cut in the page; the full CSV is linked beside
PAPER_TITLES = {
    "000": "Paper 000 — digital competencies in recruitment and training (408 job postings, survey of 200)",
    "003": "Paper 003 — innovative capacity of public servants (10,942 respondents, factor model, 360 appraisal)",
}
# which paper a notebook's outputs belong to; notebook 05's go to the paper their name declares, the rest
# (the claims, the robustness panel) to the common page; the ledger's figures: list takes precedence
STEP_PAPER = {"01_content_analysis": "000", "02_digital_survey": "000", "03_innovative_capacity": "003",
              "04_appraisal_360": "003"}  # fmt: skip
OUTPUT_PAPER = (("05_report__frameworks", "003"), ("05_report__crosswalk", "003"), ("05_report__figure2", "003"))
STATUS_ORDER = ("pass", "fail", "not computable", "not run (data absent)")
_CLASS_HINT = {
    "data": "recomputed from the data",
    "derived": "recomputed, implied by other claims",
    "consistency": "the paper's own arithmetic",
    "external": "administrative or literature figures",
}


# --------------------------------------------------------------------------- rendering
def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _breakable(text: str) -> str:
    """Escaped identifier with line-break opportunities after '_' and '.' (keeps table columns narrow)."""
    return re.sub(r"([_.])", r"\1<wbr>", _e(text))


def key_link(key: Any, links: dict[str, str]) -> str:
    """A claim's result key linked to the cell that wrote it (``step.key`` → that notebook's results cell)."""
    text = _breakable("" if key is None else key)
    step = str(key).split(".", 1)[0] if isinstance(key, str) and "." in key else None
    return f'<a href="{_e(links[step])}">{text}</a>' if step in links else text


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(e=_e, breakable=_breakable, slug=fmt.status_slug)  # html.escape, as the offline check reads
    env.globals["key_link"] = key_link
    return env


def render(template: str, **context: Any) -> str:
    """One template of ``report_templates/`` rendered with ``context``.

    Examples
    --------
    >>> render("notebooks.html.j2", notebooks=[])
    '<section id="notebooks"><h2>Notebooks</h2><p>No executed notebooks in outputs/notebooks.</p></section>'
    """
    return _environment().get_template(template).render(**context)


def output_paper(stem: str, figures: list[dict] | None = None) -> str | None:
    """The paper a figure or table (``<step>__<name>``) belongs to; ``None``: the common page.

    Examples
    --------
    >>> output_paper("02_digital_survey__table2_challenges"), output_paper("05_report__robustness")
    ('000', None)
    """
    for f in figures or []:
        if f.get("output") == stem:
            return f["paper"]
    step = stem.partition("__")[0]
    return STEP_PAPER.get(step) or next((p for prefix, p in OUTPUT_PAPER if stem.startswith(prefix)), None)


# --------------------------------------------------------------------------- sections
def banner_section(sources: dict[str, str], manifest: dict) -> str:
    """Which data produced the page: synthetic twin, real data, or unclear / mixed."""
    found = sorted(set(sources.values()))
    if not found and manifest.get("data_source"):
        found = [manifest["data_source"]]
    kind = found[0] if len(found) == 1 and found[0] in ("synthetic", "real") else "mixed"
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(sources.items())) or "no results files found"
    label = DATA_LABELS.get(kind)
    steps = {k: v for k, v in (manifest.get("steps") or {}).items() if isinstance(v, dict) and v.get("files")}
    files = {f["dataset"]: file_line(f) for st in steps.values() for f in st["files"]}
    if kind == "real" and steps and all(st.get("data") == "rehearsal" for st in steps.values()):
        kind, label = "rehearsal", REHEARSAL_LABEL
    return render("banner.html.j2", kind=kind, label=label, detail=detail, files=list(files.values()))


def _count(evaluations: list[dict], **match: Any) -> int:
    return sum(all(e.get(k) == v for k, v in match.items()) for e in evaluations)


def _pills(evaluations: list[dict]) -> list[dict]:
    """The four evidence classes counted apart (data and derived: calibrated and free apart on the twin)."""
    s, out = summary(evaluations), []
    for ev in EVIDENCE:
        if ev == "external":
            txt = f"{s['n_external']} external (not recomputable)"
        elif ev == "consistency":
            txt = f"{s['n_consistency']} consistency: {s['n_consistency_pass']} hold, {s['n_consistency_fail']} do not"
        else:
            txt = class_phrase(s, ev, not_run=True)  # on the twin, calibrated (no evidence) and free apart
        # on the twin only a calibrated claim that fails is a fault (a free one is about the twin)
        part = f"n_{ev}_calibrated_fail" if s.get("data_source") == "synthetic" else f"n_{ev}_fail"
        bad = bool(ev in STRICT_EVIDENCE and s.get(part, s.get(f"n_{ev}_fail")))
        out.append({"ev": ev, "bad": bad, "hint": _CLASS_HINT[ev], "text": txt})
    return out


def source_links(ledger: Path | str | None) -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    """Claim id → the source of its ``computed_by`` function: ``href`` (the source page, relative to the report,
    with the line's anchor), ``path`` (relative to the repository), ``line`` and ``name``; and the source files
    to render (repository path → file). Claims whose function cannot be imported are left out.

    Examples
    --------
    >>> links, files = source_links(None)
    >>> all(s["path"].startswith("src/civcomp/") and s["href"].startswith("source/") for s in links.values())
    True
    """
    try:
        ledger_claims = load_ledger(ledger)
    except ClaimsError:
        return {}, {}
    out, files = {}, {}
    root = Path(paths.ROOT).resolve()
    for c in ledger_claims:
        if not c.get("computed_by"):
            continue
        try:
            fn = inspect.unwrap(computed_by_function(c["computed_by"]))
            file = Path(inspect.getsourcefile(fn) or "").resolve()
            _, line = inspect.getsourcelines(fn)
        except (ClaimsError, OSError, TypeError):
            continue
        path = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
        files[path] = file
        href = f"{source_page_name(path)}#L{line}"
        out[c["id"]] = {"href": href, "path": path, "line": line, "name": c["computed_by"]}
    return out, files


def claim_rows(evaluations: list[dict]) -> list[dict]:
    """Each evaluated claim as the table shows it (:mod:`civcomp.replication.report_format`)."""
    rows = []
    for e in evaluations:
        rows.append(
            {
                "id": e["id"],
                "paper": e["paper"],
                "where": e.get("where", ""),
                "statement": e.get("statement", ""),
                "evidence": e.get("evidence") or "",
                "status": e["status"],
                "slug": fmt.status_slug(e["status"]),
                "calibration": fmt.calibration_label(e),
                "calibrated_by": e.get("calibrated_by") or "",
                "published": e.get("published", ""),
                "recomputed": fmt.recomputed_text(e),
                "exact": fmt.exact_text(e),
                "verdict": fmt.verdict_text(e),
                "tolerance_rule": e.get("tolerance_rule", ""),
                "key": e.get("key"),
                "note": e.get("note", ""),
            }
        )
    return rows


def claims_section(
    evaluations: list[dict] | None,
    error: str | None,
    links: dict[str, str] | None = None,
    sources: dict[str, dict] | None = None,
    paper: str | None = None,
) -> str:
    """The claims table with its filters (paper, class, status, calibrated / free); ``paper``: that paper's only.
    Each key is linked to the cell that wrote it (``links``: step → cell URL) and to the function that
    computes it (``sources``)."""
    if error:
        return render("claims.html.j2", error=error)
    shown = [e for e in evaluations if paper is None or e["paper"] == paper]
    statuses = [s for s in STATUS_ORDER if any(e["status"] == s for e in shown)]
    statuses += sorted({e["status"] for e in shown} - set(statuses))
    return render(
        "claims.html.j2",
        error=None,
        paper=paper,
        n_by_paper={p: _count(evaluations, paper=p) for p in PAPERS},
        failing=[e["id"] for e in shown if e["status"] == "fail" and e.get("evidence") != "consistency"],
        inconsistent=[e["id"] for e in shown if e["status"] == "fail" and e.get("evidence") == "consistency"],
        pills=_pills(shown),
        rows=claim_rows(shown),
        papers=[p for p in PAPERS if any(e["paper"] == p for e in shown)],
        classes=[ev for ev in EVIDENCE if any(e.get("evidence") == ev for e in shown)],
        statuses=statuses,
        flagged=any(e.get("calibrated") is not None for e in shown),
        links=links or {},
        sources=sources or {},
    )


def robustness_section(tab_dir: Path, paper_of: dict[str, str] | None = None, paper: str | None = None) -> str:
    """The robustness grid: per family, claims x alternatives; each cell the recomputed value and whether
    the claim survives it (from ``05_report__robustness.csv``, written by notebook 05); ``paper``: only the
    rows of that paper's claims (``paper_of``: claim id → paper)."""
    csv = Path(tab_dir) / "05_report__robustness.csv"
    if not csv.exists():
        return render("robustness.html.j2", missing=True)
    try:
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return render("robustness.html.j2", missing=False, error=str(exc), csv_name=csv.name)
    if paper is not None:
        df = df[[(paper_of or {}).get(c, c[1:4]) == paper for c in df["claim_id"]]]
    families = []
    for family, g in df.groupby("family", sort=False):
        alts = list(dict.fromkeys(g["alternative"]))
        per_claim = g.groupby("claim_id", sort=False).size()
        # claims sharing their alternatives (the factor model) get one column per alternative; claims with
        # readings of their own get one column per position (checked reading first), labelled in the cell
        shared = len(alts) <= per_claim.max() + 1
        width = len(alts) if shared else int(per_claim.max())
        columns = alts if shared else ["reading checked" if i == 0 else f"alternative {i}" for i in range(width)]
        rows = []
        for cid, gc in g.groupby("claim_id", sort=False):
            gc = gc.sort_values("checked", ascending=False, kind="stable")
            by_alt = {r["alternative"]: r for _, r in gc.iterrows()}
            found = [by_alt.get(a) for a in alts] if shared else [r for _, r in gc.iterrows()]
            cells = []
            for r in found + [None] * (0 if shared else width - len(gc)):
                if r is None:
                    cells.append(None)
                    continue
                cls, mark = {"True": ("rb-yes", "✓"), "False": ("rb-no", "✗")}.get(r["survives"], ("rb-na", "–"))
                cells.append(
                    {
                        "cls": cls,
                        "mark": mark,
                        "checked": r["checked"] == "True",
                        "label": None if shared else r["alternative"],
                        "value": r["value"],
                    }
                )
            rows.append({"claim_id": cid, "published": gc["published"].iloc[0], "cells": cells})
        families.append({"family": family, "columns": columns, "rows": rows})
    return render("robustness.html.j2", missing=False, error=None, families=families)


def is_illustration(figure: dict) -> bool:
    """A figure or table of the ledger whose cells the paper never published (drawn from the twin)."""
    return bool(figure.get("illustration")) or "illustration" in str(figure.get("status", "")).lower()


def paper_figures_section(figures: list[dict] | None, fig_dir: Path, tab_dir: Path, paper: str) -> str:
    """The paper's own figures and tables (the ledger's ``figures:``): reproduced, redrawn from published
    numbers, an illustration of the twin, or not reproducible (with the source), linked to the output."""
    shown = []
    for f in figures or []:
        if f["paper"] != paper:
            continue
        out = f.get("output")
        kind = "fig" if out and (Path(fig_dir) / f"{out}.png").exists() else "tab"
        present = bool(out) and ((Path(fig_dir) / f"{out}.png").exists() or (Path(tab_dir) / f"{out}.csv").exists())
        shown.append({**f, "anchor": f"{kind}-{out}" if present else None, "illustration": is_illustration(f)})
    return render("paper_figures.html.j2", figures=shown, paper=paper)


def illustration_labels(figures: list[dict] | None, sources: dict[str, str]) -> dict[str, str]:
    """Output or table stem -> its label, for the papers' figures and tables the ledger lists as illustrations,
    when the twin drew them (on real data they are results, with no published cell to compare).

    Examples
    --------
    >>> figs = [{"id": "p000_table2", "paper": "000", "title": "Table 2. X", "status": "illustration: the paper did not publish these cells",
    ...          "table": "02_digital_survey__table2_challenges"}]
    >>> illustration_labels(figs, {"02_digital_survey": "synthetic"})
    {'02_digital_survey__table2_challenges': "paper 000's Table 2. X — illustration: the paper did not publish these cells"}
    >>> illustration_labels(figs, {"02_digital_survey": "real"})
    {}
    """
    out = {}
    for f in figures or []:
        if not str(f.get("status", "")).startswith("illustration"):
            continue
        for stem in (f.get("output"), f.get("table")):
            if stem and sources.get(stem.partition("__")[0]) == "synthetic":
                out[stem] = f"paper {f['paper']}'s {f['title']} — {f['status']}"
    return out


def figures_section(
    fig_dir: Path,
    nb_dir: Path,
    rendered: dict[str, Path],
    manifest: dict,
    keep: set[str] | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """The figures (``keep``: these stems only), embedded, linked to the cell that saved them, with provenance
    (and the illustration label, :func:`illustration_labels`)."""
    figures, current = [], None
    for png in sorted(Path(fig_dir).glob("*.png")):
        if keep is not None and png.stem not in keep:
            continue
        step, _, name = png.stem.partition("__")
        svg = png.with_suffix(".svg")
        figures.append(
            {
                "stem": png.stem,
                "step": step,
                "name": name or png.stem,
                "new_step": step != current,  # one heading per notebook step
                "rendered": step in rendered,
                "cell": figure_cell(nb_dir / f"{step}.ipynb", name or png.stem) if step in rendered else None,
                "svg": svg.name if svg.exists() else None,
                "uri": "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii"),
                "sha": sha256_file(png)[:12],
                "provenance": figure_provenance(step, manifest),
                "label": (labels or {}).get(png.stem),
            }
        )
        current = step
    return render("figures.html.j2", figures=figures)


def _printed_by_key(claims: list[dict], step: str) -> dict[str, str]:
    """Result key (within ``step``) → the value as the paper printed it, from the ledger."""
    out = {}
    for c in claims:
        key = c.get("key")
        if isinstance(key, str) and key.startswith(step + ".") and isinstance(c.get("printed"), str):
            out[key.split(".", 1)[1]] = c["printed"]
    return out


def tables_section(
    tab_dir: Path,
    rendered: dict[str, Path],
    keep: set[str] | None = None,
    claims: list[dict] | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """The tables (``keep``: these stems only; the first :data:`MAX_TABLE_ROWS` rows), formatted, the CSV
    linked; a table checked against the paper shown side by side at the paper's precision (``claims``: the
    ledger); ``labels``: stem → the paper's title and status for the paper's own tables."""
    tables = []
    for csv in sorted(Path(tab_dir).glob("*.csv")):
        if keep is not None and csv.stem not in keep:
            continue
        step = csv.stem.partition("__")[0]
        t = {"stem": csv.stem, "name": csv.name, "step": step, "rendered": step in rendered, "error": None}
        t["label"] = (labels or {}).get(csv.stem)
        try:
            df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            tables.append({**t, "error": str(exc)})
            continue
        head = [list(r) for r in df.head(MAX_TABLE_ROWS).itertuples(index=False)]
        columns = [str(c) for c in df.columns]
        shown = fmt.side_by_side(columns, head, _printed_by_key(claims or [], step)) or fmt.format_table(columns, head)
        tables.append({**t, "n": len(df), "columns": shown[0], "rows": shown[1]})
    workbook = (Path(tab_dir).parent / "tables.xlsx").exists()
    return render("tables.html.j2", tables=tables, workbook=workbook, max_rows=MAX_TABLE_ROWS)


def notebooks_section(rendered: dict[str, Path], manifest: dict) -> str:
    """Links to the executed notebooks (with code, and with code hidden), with each step's status and time."""
    steps = manifest.get("steps") or {}
    notebooks = []
    for name in sorted(rendered):
        st = steps.get(name.replace(".FAILED", "")) or {}
        run = f" — {st.get('status')}, {st.get('seconds')} s" if st else ""
        notebooks.append({"name": name, "run": run, "failed": name.endswith(".FAILED")})
    return render("notebooks.html.j2", notebooks=notebooks, no_input=NO_INPUT)


def manifest_section(manifest: dict) -> str:
    """The run manifest: commit, environment, steps, and the whole file."""
    git = manifest.get("git") or {}
    facts = [
        ("git commit", git.get("commit")),
        ("uncommitted changes", git.get("dirty")),
        ("python", manifest.get("python")),
        ("platform", manifest.get("platform")),
        ("data source", manifest.get("data_source")),
    ]
    steps = [(k, v or {}) for k, v in sorted((manifest.get("steps") or {}).items())]
    pretty = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return render("manifest.html.j2", manifest=manifest, facts=facts, steps=steps, pretty=pretty)


# --------------------------------------------------------------------------- the pages
def page_name(paper: str | None) -> str:
    """``index.html`` (common) or ``paper-<id>.html``."""
    return "index.html" if paper is None else f"paper-{paper}.html"


def _page(paper: str | None, sections: dict[str, str], head: dict[str, Any]) -> str:
    page = render(
        "page.html.j2",
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        js=(TEMPLATES / "report.js").read_text(encoding="utf-8"),
        paper=paper,
        title=PAPER_TITLES.get(paper, ""),
        papers=[(p, page_name(p), PAPER_TITLES[p]) for p in PAPERS],
        sections=sections,
        **head,
    )
    bad = remote_references(page)
    if bad:
        raise ReportError(f"the report page {page_name(paper)} would reference remote hosts: {bad[:5]}")
    return page


def build_report(
    outputs_dir: Path | str = paths.OUTPUTS, manifest: dict | None = None, ledger: Path | str | None = None
) -> Path:
    """Write the report's pages, notebooks and source pages in ``<outputs_dir>/report/`` and the zip
    ``<outputs_dir>/civcomp-report.zip``; return the path of ``index.html``.

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
    >>> page.name, remote_references(page.read_text(encoding="utf-8")), sorted(report_files(out))[-1].name
    ('index.html', [], 'paper-003.html')
    """
    out = Path(outputs_dir)
    report_dir = out / "report"
    manifest = manifest or {}
    rendered = render_notebooks(out / "notebooks", report_dir / "notebooks")
    claim_links = {}  # a claim's key -> the cell that wrote its results file, in the rendered notebook
    for step in rendered:
        cell = results_cell(out / "notebooks" / f"{step}.ipynb")
        claim_links[step] = f"notebooks/{step}.html" + (f"#cell-id={cell}" if cell else "")
    sources = results_data_sources(out / "results") if (out / "results").exists() else {}
    evaluations, error, figures = None, None, None
    try:  # notebook 05 evaluated the claims; the report only reads what it wrote
        evaluations = read_evaluations(out / "results", ledger)["evaluations"]
    except ClaimsError as exc:
        error = str(exc)
    try:
        figures, claims = load_figures(ledger), load_ledger(ledger)
    except ClaimsError:
        figures, claims = None, []
    illus = illustration_labels(figures, sources)
    src_links, src_files = source_links(ledger)
    write_source_pages(src_files, report_dir)
    git = manifest.get("git") or {}
    commit = git.get("commit")
    head = {
        "sub": f"git {commit[:12]}{' + uncommitted changes' if git.get('dirty') else ''}"
        if isinstance(commit, str)
        else "git commit not recorded",
        "error": error,
        "headline": summary_line(summary(evaluations)) if evaluations is not None else None,
        "banner": banner_section(sources, manifest),
    }
    stems = sorted(
        {p.stem for p in Path(out / "figures").glob("*.png")} | {p.stem for p in (out / "tables").glob("*.csv")}
    )
    owner = {s: output_paper(s, figures) for s in stems}
    # a paper's own figure or table: its title, and whether it is the twin's illustration (no published cells)
    labels = {
        stem: {**f, "illustration": stem in illus}
        for f in figures or []
        for stem in (f.get("output"), f.get("table"))
        if stem
    }
    paper_of = {c["id"]: c["paper"] for c in claims}
    pages = {}
    for paper in (None, *PAPERS):
        keep = {s for s in stems if owner[s] == paper}
        sections = {
            "claims": claims_section(evaluations, error, claim_links, src_links, paper=paper),
            "robustness": robustness_section(out / "tables", paper_of, paper) if paper else "",
            "paper_figures": paper_figures_section(figures, out / "figures", out / "tables", paper) if paper else "",
            "figures": figures_section(out / "figures", out / "notebooks", rendered, manifest, keep, illus),
            "tables": tables_section(out / "tables", rendered, keep, claims, labels),
            "notebooks": "" if paper else notebooks_section(rendered, manifest),
            "manifest": "" if paper else manifest_section(manifest),
        }
        pages[paper] = _page(paper, sections, head)
    for paper, page in pages.items():
        atomic_write(report_dir / page_name(paper), page.encode("utf-8"))
    write_bundle(out)
    return report_dir / "index.html"


def report_files(outputs_dir: Path | str = paths.OUTPUTS) -> list[Path]:
    """The files the report step writes and the runner's cache verifies: the pages and the zip."""
    out = Path(outputs_dir)
    files = [out / "report" / page_name(p) for p in (None, *PAPERS)] + [out / BUNDLE]
    return [f for f in files if f.is_file()]
