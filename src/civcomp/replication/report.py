"""The HTML reproduction report: one self-contained page a reviewer can open offline.

:func:`build_report` writes ``outputs/report/index.html`` and the executed notebooks
rendered as HTML in ``outputs/report/notebooks/`` (:mod:`civcomp.replication.report_notebooks`). The page holds
a data-source banner (read from the results files), the claims as notebook 05 evaluated them
(``outputs/results/05_report__claims.json``, read, never re-evaluated here) with the
four evidence classes counted apart and status colours, each claim's key linked to the notebook cell that
wrote it and to the source (file and line) of the function that computes it (the ledger's ``computed_by``),
the robustness grid (``outputs/tables/05_report__robustness.csv``), the papers' figures (reproduced,
redrawn from published numbers, or not reproducible, with the source), every figure (embedded as a PNG data
URI) with a link to the notebook cell that saved it and its provenance (git commit, parameters, data
hashes from the run manifest), every exported table as a sortable HTML table, links
to the notebooks and the manifest itself.

The page, its sections, its CSS and its few lines of sorting JavaScript are package data in
``report_templates/``, rendered with Jinja2; this module gathers what they show. Nothing is fetched from
the network: :func:`civcomp.replication.report_html.remote_references` checks every written page (a remote
script, stylesheet, image or frame raises :class:`~civcomp.replication.report_html.ReportError`).

Size: one job, gathering what each section of the page shows (the markup is in the templates).

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
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.io.display import REHEARSAL_LABEL, file_line
from civcomp.io.outputs import DATA_LABELS, atomic_write, sha256_file
from civcomp.replication.claims.evaluation import class_phrase, results_data_sources, summary, summary_line
from civcomp.replication.claims.evaluation_file import evaluations_frame, read_evaluations
from civcomp.replication.claims.schema import (
    EVIDENCE,
    STRICT_EVIDENCE,
    ClaimsError,
    computed_by_function,
    load_figures,
    load_ledger,
)
from civcomp.replication.report_html import ReportError, remote_references
from civcomp.replication.report_notebooks import TEMPLATES, figure_cell, render_notebooks, results_cell

MAX_TABLE_ROWS = 300  # longer tables are cut in the page; the full CSV is linked beside
CLAIM_COLUMNS = [
    "status",
    "evidence",
    "calibrated",
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


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def key_link(key: Any, links: dict[str, str]) -> str:
    """A claim's result key linked to the cell that wrote it (``step.key`` → that notebook's results cell)."""
    text = _breakable(_cell(key))
    step = str(key).split(".", 1)[0] if isinstance(key, str) and "." in key else None
    return f'<a href="{_e(links[step])}">{text}</a>' if step in links else text


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(e=_e, breakable=_breakable, cell=_cell)  # html.escape, as the offline check reads it
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


def _pills(s: dict) -> list[dict]:
    """The four evidence classes, counted apart (the report's header line)."""
    out = []
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


def source_links(ledger: Path | str | None, report_dir: Path) -> dict[str, dict[str, Any]]:
    """Claim id → the source of its ``computed_by`` function: ``href`` (from ``report_dir``), ``path``
    (relative to the repository), ``line`` and ``name``. Claims whose function cannot be imported are left out.

    Examples
    --------
    >>> src = source_links(None, paths.REPORT)
    >>> all(s["path"].startswith("src/civcomp/") and s["line"] > 0 for s in src.values())
    True
    """
    try:
        ledger_claims = load_ledger(ledger)
    except ClaimsError:
        return {}
    out = {}
    for c in ledger_claims:
        if not c.get("computed_by"):
            continue
        try:
            fn = inspect.unwrap(computed_by_function(c["computed_by"]))
            file = Path(inspect.getsourcefile(fn) or "").resolve()
            _, line = inspect.getsourcelines(fn)
        except (ClaimsError, OSError, TypeError):
            continue
        root = Path(paths.ROOT).resolve()
        path = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
        href = Path(os.path.relpath(file, Path(report_dir).resolve())).as_posix()
        out[c["id"]] = {"href": href, "path": path, "line": line, "name": c["computed_by"]}
    return out


def claims_section(
    evaluations: list[dict] | None,
    error: str | None,
    links: dict[str, str] | None = None,
    sources: dict[str, dict] | None = None,
) -> str:
    """The claims table: status, evidence class, published and recomputed values; each key linked to the
    cell that wrote it (``links``: step → cell URL) and to the function that computes it (``sources``)."""
    if error:
        return render("claims.html.j2", error=error)
    df = evaluations_frame(evaluations)
    rows = [r for _, r in df[CLAIM_COLUMNS + ["tolerance_rule"]].iterrows()]
    return render(
        "claims.html.j2",
        error=None,
        s=summary(evaluations),
        pills=_pills(summary(evaluations)),
        cols=CLAIM_COLUMNS,
        rows=rows,
        links=links or {},
        sources=sources or {},
    )


def robustness_section(tab_dir: Path) -> str:
    """The robustness grid: per family, claims x alternatives; each cell the recomputed value and whether
    the claim survives it (from ``05_report__robustness.csv``, written by notebook 05)."""
    csv = Path(tab_dir) / "05_report__robustness.csv"
    if not csv.exists():
        return render("robustness.html.j2", missing=True)
    try:
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return render("robustness.html.j2", missing=False, error=str(exc), csv_name=csv.name)
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


def paper_figures_section(figures: list[dict] | None, fig_dir: Path) -> str:
    """The papers' figures: reproduced, redrawn from published numbers, or not reproducible (with the source)."""
    present = {
        f["output"] for f in figures or [] if f.get("output") and (Path(fig_dir) / f"{f['output']}.png").exists()
    }
    return render("paper_figures.html.j2", figures=figures or [], present=present)


def _provenance(step: str, manifest: dict) -> dict[str, str]:
    git = manifest.get("git") or {}
    commit = git.get("commit")
    prm = manifest.get("params") or {}
    glob = {k: v for k, v in (prm.get("global") or {}).items() if k in ("seed", "data_source", "min_cell_size")}
    own = (prm.get("steps") or {}).get(step)
    data = manifest.get("data") or {}
    st = (manifest.get("steps") or {}).get(step) or {}
    return {
        "step": step,
        "commit": (commit[:12] if isinstance(commit, str) else "unknown")
        + (" (uncommitted changes)" if git.get("dirty") else ""),
        "glob": json.dumps(glob, sort_keys=True) if glob else "global: not recorded",
        "own": json.dumps(own, sort_keys=True) if own is not None else "not recorded",
        "data": "; ".join(file_line(f) for f in st["files"])
        if st.get("files")
        else "; ".join(f"{Path(f).name} {str(h)[:12]}" for f, h in sorted(data.items())) or "not recorded",
        "run": f"{st.get('status', '?')}, {st.get('seconds', '?')} s" if st else "not recorded",
    }


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
    fig_dir: Path, nb_dir: Path, rendered: dict[str, Path], manifest: dict, labels: dict[str, str] | None = None
) -> str:
    """Every figure, embedded, linked to the cell that saved it, with its provenance (and its illustration label)."""
    figures, current = [], None
    for png in sorted(Path(fig_dir).glob("*.png")):
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
                "provenance": _provenance(step, manifest),
                "label": (labels or {}).get(png.stem),
            }
        )
        current = step
    return render("figures.html.j2", figures=figures)


def tables_section(tab_dir: Path, rendered: dict[str, Path], labels: dict[str, str] | None = None) -> str:
    """Every exported table as a sortable HTML table (the first :data:`MAX_TABLE_ROWS` rows), the CSV linked;
    a paper's table the twin illustrates carries its label (:func:`illustration_labels`)."""
    tables = []
    for csv in sorted(Path(tab_dir).glob("*.csv")):
        step = csv.stem.partition("__")[0]
        t = {"stem": csv.stem, "name": csv.name, "step": step, "rendered": step in rendered, "error": None}
        t["label"] = (labels or {}).get(csv.stem)
        try:
            df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            tables.append({**t, "error": str(exc)})
            continue
        shown = df.head(MAX_TABLE_ROWS)
        tables.append({**t, "n": len(df), "columns": list(shown.columns), "rows": shown.itertuples(index=False)})
    workbook = (Path(tab_dir).parent / "tables.xlsx").exists()
    return render("tables.html.j2", tables=tables, workbook=workbook, max_rows=MAX_TABLE_ROWS)


def notebooks_section(rendered: dict[str, Path], manifest: dict) -> str:
    """Links to the executed notebooks, with each step's status and time."""
    steps = manifest.get("steps") or {}
    notebooks = []
    for name in sorted(rendered):
        st = steps.get(name.replace(".FAILED", "")) or {}
        run = f" — {st.get('status')}, {st.get('seconds')} s" if st else ""
        notebooks.append({"name": name, "run": run, "failed": name.endswith(".FAILED")})
    return render("notebooks.html.j2", notebooks=notebooks)


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
    sources = results_data_sources(out / "results") if (out / "results").exists() else {}
    evaluations, error, figures = None, None, None
    try:  # notebook 05 evaluated the claims; the report only reads what it wrote
        evaluations = read_evaluations(out / "results", ledger)["evaluations"]
    except ClaimsError as exc:
        error = str(exc)
    try:
        figures = load_figures(ledger)
    except ClaimsError:
        figures = None
    labels = illustration_labels(figures, sources)
    git = manifest.get("git") or {}
    commit = git.get("commit")
    sub = (
        f"git {commit[:12]}{' + uncommitted changes' if git.get('dirty') else ''}"
        if isinstance(commit, str)
        else "git commit not recorded"
    )
    sections = {
        "banner": banner_section(sources, manifest),
        "claims": claims_section(evaluations, error, claim_links, source_links(ledger, report_dir)),
        "robustness": robustness_section(out / "tables"),
        "paper_figures": paper_figures_section(figures, out / "figures"),
        "figures": figures_section(out / "figures", out / "notebooks", rendered, manifest, labels),
        "tables": tables_section(out / "tables", rendered, labels),
        "notebooks": notebooks_section(rendered, manifest),
        "manifest": manifest_section(manifest),
    }
    page = render(
        "page.html.j2",
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        js=(TEMPLATES / "report.js").read_text(encoding="utf-8"),
        sub=sub,
        error=error,
        headline=summary_line(summary(evaluations)) if evaluations is not None else None,
        sections=sections,
    )
    bad = remote_references(page)
    if bad:
        raise ReportError(f"the report page would reference remote hosts: {bad[:5]}")
    return atomic_write(report_dir / "index.html", page.encode("utf-8"))
