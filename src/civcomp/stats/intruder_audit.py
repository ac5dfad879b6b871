"""The whole-outputs intruder audit: every published artefact read from disk, every hidden count attacked.

Size: one job — read each artefact family an intruder can download and report, per family, what it gives away.

What it reads (an ``outputs/`` folder; nothing is written):

* **tables** — ``tables/*.csv``: the reference. A number is *published* at the precision the CSV prints it.
* **results** — ``results/*.json``: every float must carry the tables' printed precision
  (:func:`civcomp.io.outputs.published_precision` of its key). In the claims file
  (``05_report__claims.json``) a data or derived claim's ``recomputed`` and ``difference`` are judged by
  the result keys its expression reads (to 10 significant digits: float dust is not a digit).
* **figures (SVG)** — every ``<text>`` holding a number (at the precision it prints), and every
  coordinate of the plotted data (bars, lines, markers, patches of each ``axes_N`` group) mapped back
  to data units through the axis's numeric tick labels (a straight-line fit of tick position against
  label; an axis whose ticks are not numbers or not linear is not mapped). A mapped coordinate is known to
  the SVG's resolution (6 decimals of a point, times the axis scale). Colours of heatmap cells are not
  read (8-bit colour: coarser than the annotations printed on them).
* **figures (PNG)** — each must have its SVG twin (whose numbers are audited) and carry no text chunk
  but the standard ones; the pixels themselves bound a reading to about one pixel of a 150 dpi image,
  coarser than the SVG.
* **workbook** — ``tables.xlsx``: every sheet (hidden ones too) and every comment; each cell must equal
  its CSV's cell, and a cell the CSV leaves empty (suppressed) must be empty.
* **report pages** — the HTML of ``report/`` (pages and notebooks): every number in the text and the
  tables, at the precision it is printed (:mod:`civcomp.stats.intruder_pages`, which says what is not data).

A number an artefact publishes is a **leak** when no table (nor, for text, a results file) publishes it at
its printed precision: within the reading's resolution of a published number (or that number × 100).
Report pages may also quote the numbers the tables print inside text cells (a reading's label), the results
files, the papers (the claims' statements) and the run's parameters (``manifest.json``); a keyword-in-context
table's quoted posting text is not read (public text, not a number the compendium computes). Then every
table family (one notebook's tables) with hidden counts is attacked as an integer program: 04's appraisal family with :func:`civcomp.stats.intruder_joint.attack_family` and, row by
row, :func:`civcomp.stats.intruder.audit_appraisal`; every other count table with
:func:`civcomp.stats.intruder_counts.attack_counts`. Each cell is classified by
:func:`civcomp.stats.intruder_joint.classify` (pinned, narrowed to a range ≤ 3).

``python -m civcomp.stats.intruder_audit [OUTPUTS] [--min-cell-size K]`` prints the per-family table
(exit 1 when a number leaks or a cell is pinned).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.errors import CivcompError
from civcomp.io.ledger import result_leaves
from civcomp.io.outputs import published_precision, read_table_csv
from civcomp.io.workbook import sheet_names
from civcomp.stats import intruder, intruder_counts, intruder_joint
from civcomp.stats.intruder_pages import Reading, html_readings, number, text_readings

__all__ = ["Reading", "audit", "leaks", "svg_readings", "figure_leaks", "attack_family", "family_report", "main"]

SVG = "{http://www.w3.org/2000/svg}"
PNG_TEXT_OK = {b"Software", b"Title", b"Author", b"Description", b"Copyright", b"Creation Time"}
COORD = 5e-7  # half a unit of the 6th decimal matplotlib writes SVG coordinates at (points)


class AuditError(CivcompError):
    """An artefact the audit cannot read (the message names it)."""


@contextmanager
def _reading(path: Path):
    """Name the artefact in one line when it cannot be parsed."""
    try:
        yield
    except (OSError, ValueError, KeyError, ElementTree.ParseError, zipfile.BadZipFile) as e:
        raise AuditError(f"{path}: cannot be read ({type(e).__name__}: {e})") from None


def _load_json(path: Path) -> Any:
    with _reading(path):
        return json.loads(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- published numbers
def read_tables(outputs: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """Every exported table by notebook (``step``) and name."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for p in sorted((Path(outputs) / "tables").glob("*__*.csv")):
        step, name = p.stem.split("__", 1)
        with _reading(p):
            out.setdefault(step, {})[name] = read_table_csv(p)
    return out


def _known(frames: Iterable[pd.DataFrame], extra: Iterable[float] = ()) -> np.ndarray:
    vals: list[float] = list(extra)
    for t in frames:
        num = t.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan).ravel()
        vals.extend(num[np.isfinite(num)].tolist())
    v = np.asarray(vals, dtype=float)
    return np.unique(np.concatenate([v, v * 100.0, [0.0]]))


def _table_text_numbers(frames: Iterable[pd.DataFrame]) -> list[float]:
    """Numbers a table prints inside its text cells (a reading's label "pairwise Pearson (N ≥ 9,359 per pair)"):
    published by that table, so a report page may quote them."""
    out: list[float] = []
    for t in frames:
        for col in t.columns:
            if t[col].dtype == object or pd.api.types.is_string_dtype(t[col]):
                for v in t[col].dropna().unique():
                    if isinstance(v, str):
                        out += [r.value for r in text_readings("", "", v)]
    return out


def leaks(readings: Iterable[Reading], known: np.ndarray) -> list[Reading]:
    """The readings no published number explains: none within the reading's resolution.

    Examples
    --------
    >>> k = _known([pd.DataFrame({"mean": [7.43], "share": [0.25]})])
    >>> [r.value for r in leaks([Reading("f", "a", 7.431234, 1e-6), Reading("f", "b", 25.0, 0.5)], k)]
    [7.431234]
    """
    out = []
    for r in readings:
        tol = r.half + 1e-9 * max(1.0, abs(r.value))
        i = np.searchsorted(known, r.value - tol)
        if not (i < len(known) and known[i] <= r.value + tol):
            out.append(r)
    return out


# --------------------------------------------------------------------------- results files
def _flat(obj: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _flat(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _flat(v, f"{prefix}[{i}]")
    else:
        yield prefix, obj


def json_leaks(path: Path) -> list[Reading]:
    """Floats of a results file with more digits than the tables print (claims: by their result key)."""
    data = _load_json(path)
    name, out = Path(path).name, []
    evaluations = data.get("evaluations") if isinstance(data, dict) else None
    if isinstance(evaluations, list):  # the claims file: a data or derived claim, judged by its result keys
        for i, ev in enumerate(evaluations):
            if ev.get("evidence") not in ("data", "derived"):
                continue  # consistency and external claims are arithmetic on the papers' own numbers
            key = str(ev.get("key") or "")
            leaves = result_leaves(key)
            for field in ("recomputed", "difference"):
                v = ev.get(field)
                if not isinstance(v, float) or not math.isfinite(v):
                    continue
                v10 = float(f"{v:.10g}")  # float dust of arithmetic on published values is not a digit
                if abs(v10) < 1e-12:
                    continue
                if not any(published_precision(leaf, v10) == v10 for leaf in leaves):
                    out.append(Reading(name, f"evaluations[{i}].{field} ({ev.get('id')})", v, 0.0))
        return out
    for where, v in _flat(data):
        leaf = re.sub(r"\[\d+\]$", "", where).rsplit(".", 1)[-1]
        if isinstance(v, float) and math.isfinite(v) and published_precision(leaf, v) != v:
            out.append(Reading(name, where, v, 0.0))
    return out


def _json_numbers(paths_: Iterable[Path], strings: bool = False) -> list[float]:
    """Every number of the JSON files (and, with ``strings``, every number their texts quote)."""
    vals = []
    for p in paths_:
        for where, v in _flat(_load_json(p)):
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                vals.append(float(v))
            elif strings and isinstance(v, str):
                vals += [r.value for r in text_readings("", where, v)]
    return vals


# --------------------------------------------------------------------------- figures
def _path_points(d: str) -> np.ndarray:
    nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", d)]
    return np.asarray(nums[: len(nums) // 2 * 2], dtype=float).reshape(-1, 2)


def _axis_map(axis: ElementTree.Element, which: str) -> tuple[float, float, float] | None:
    """(slope, intercept, data units per point) from the numeric tick labels of one axis, or None."""
    pos, val = [], []
    for tick in axis.iter(f"{SVG}g"):
        if not re.fullmatch(rf"{which}tick_\d+", tick.get("id", "")):
            continue
        text = next((t for t in tick.iter(f"{SVG}text")), None)
        got = number("".join(text.itertext())) if text is not None else None
        if got is None:
            continue
        p = None
        for u in tick.iter(f"{SVG}use"):
            p = float(u.get("x" if which == "x" else "y"))
        if p is None:
            for path in tick.iter(f"{SVG}path"):
                pts = _path_points(path.get("d", ""))
                if len(pts):
                    p = float(pts[0, 0 if which == "x" else 1])
        if p is not None:
            pos.append(p)
            val.append(got[0])  # a percentage label as printed: the published numbers are matched × 100 too
    if len(set(pos)) < 2:
        return None
    a, b = np.polyfit(pos, val, 1)
    if np.max(np.abs(np.polyval([a, b], pos) - np.asarray(val))) > 1e-6 * max(1.0, np.max(np.abs(val))):
        return None  # not a linear axis (log, or labels that are not positions)
    return float(a), float(b), abs(float(a))


def svg_readings(path: Path) -> list[Reading]:
    """Every number an SVG figure carries: numeric texts, and data coordinates mapped through the axes."""
    name = Path(path).name
    with _reading(path):
        root = ElementTree.parse(path).getroot()
    out: list[Reading] = []
    scale = r"[xy]tick_\d+|matplotlib\.axis_\d+"  # tick and axis labels are the scale, not data
    ticks = {id(t) for g in root.iter(f"{SVG}g") if re.fullmatch(scale, g.get("id", "")) for t in g.iter()}
    owner = {
        id(t): ax.get("id")
        for ax in root.iter(f"{SVG}g")
        if re.fullmatch(r"axes_\d+", ax.get("id", ""))
        for t in ax.iter()
    }
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if re.fullmatch(r"text_\d+", gid) and id(g) not in ticks:  # tick labels are the scale, not data
            for t in g.iter(f"{SVG}text"):
                out += text_readings(name, f"{owner.get(id(g), 'figure')}/{gid}/text", "".join(t.itertext()))
    for ax in root.iter(f"{SVG}g"):
        if not re.fullmatch(r"axes_\d+", ax.get("id", "")):
            continue
        maps = {}
        for axis in ax:
            aid = axis.get("id", "")
            if aid.startswith("matplotlib.axis_"):
                which = "x" if any(g.get("id", "").startswith("xtick_") for g in axis.iter(f"{SVG}g")) else "y"
                maps[which] = _axis_map(axis, which)
        maps = {k: v for k, v in maps.items() if v is not None}
        if not maps:
            continue
        children = [c for c in ax if not c.get("id", "").startswith(("matplotlib.axis_", "legend_", "text_"))]
        frame = children[0] if children and children[0].get("id", "").startswith("patch_") else None
        limits = _path_points(frame.find(f"{SVG}path").get("d", "")) if frame is not None else np.empty((0, 2))
        for child in children[1:] if frame is not None else children:
            defs = {id(p) for d in child.iter(f"{SVG}defs") for p in d.iter()}  # marker shapes, relative to each use
            pts = [_path_points(p.get("d", "")) for p in child.iter(f"{SVG}path") if p.get("d") and id(p) not in defs]
            if child.get("id", "").startswith("PathCollection"):  # a marker drawn as its outline: its centre
                pts = [(a.min(axis=0, keepdims=True) + a.max(axis=0, keepdims=True)) / 2 for a in pts if len(a)]
            pts += [np.array([[float(u.get("x", "nan")), float(u.get("y", "nan"))]]) for u in child.iter(f"{SVG}use")]
            for which, (a, b, scale) in sorted(maps.items()):
                col = 0 if which == "x" else 1
                edge = {round(v, 4) for v in limits[:, col]} if len(limits) else set()
                for arr in pts:
                    for v in arr[:, col] if len(arr) else []:
                        if not np.isfinite(v) or round(v, 4) in edge:
                            continue  # the axes' own frame (its limits) is layout, not data
                        out.append(
                            Reading(name, f"{ax.get('id')}/{child.get('id')}/{which}", a * v + b, 4 * COORD * scale)
                        )
    return out


def figure_leaks(
    readings: list[Reading],
    tables: Mapping[str, pd.DataFrame],
    extra: Iterable[float] = (),
    settings: Iterable[float] = (),
) -> list[Reading]:
    """The figure numbers no table explains.

    A mapped coordinate is precise: it must be a number of one of the notebook's tables (or ``extra``: its
    results; or ``settings``: the run's parameters), and so must a whole-number label (a count). Other labels
    are coarse (a whole percent), so one of many table numbers could match by chance: the labels of one axes
    must all come from *one* table (or a ``settings`` level, e.g. "95% CI"); those the best-matching table
    leaves unexplained are leaks.
    """
    settings = list(settings)
    settings += [-v for v in settings]  # a threshold drawn on both sides (a gap below -1 and above 1)
    known = _known(tables.values(), [*extra, *settings])
    label = ("/text", "/text%")
    counts = [r for r in readings if not r.where.endswith(label) or r.where.endswith("/text") and r.half == 0.5]
    out = leaks(counts, known)
    groups: dict[tuple[str, str], list[Reading]] = {}
    for r in readings:
        if r.where.endswith(label) and r not in counts:
            groups.setdefault((r.artefact, r.where.split("/", 1)[0]), []).append(r)
    levels = [v for v in settings if 0 < v < 1]  # a label may name a level ("95% CI"), not a count or a size
    knowns = [_known([t], levels) for t in tables.values()] or [_known([], levels)]
    for texts in groups.values():
        out += min((leaks(texts, k) for k in knowns), key=len)
    return out


def png_problems(figures: Path) -> list[str]:
    """PNGs without their SVG twin, or carrying text chunks beyond the standard keys."""
    out = []
    for p in sorted(Path(figures).glob("*.png")):
        if not p.with_suffix(".svg").is_file():
            out.append(f"{p.name}: no SVG twin")
        data, i = p.read_bytes(), 8
        while i + 8 <= len(data):
            n, kind = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8]
            body = data[i + 8 : i + 8 + n]
            if kind in (b"tEXt", b"zTXt", b"iTXt"):
                key = body.split(b"\0", 1)[0]
                if key not in PNG_TEXT_OK:
                    out.append(f"{p.name}: text chunk {key.decode(errors='replace')!r}")
            i += 12 + n
    return out


# --------------------------------------------------------------------------- workbook and report pages
def workbook_leaks(xlsx: Path, tables_dir: Path) -> list[Reading]:
    """Workbook cells that differ from their CSV (a value where the CSV is empty, more digits), comments too."""
    from openpyxl import load_workbook  # heavy; only when a workbook is audited

    csvs = {p.stem: p for p in sorted(Path(tables_dir).glob("*__*.csv"))}
    by_sheet = {sheet: stem for stem, sheet in sheet_names(csvs).items()}
    with _reading(xlsx):
        wb = load_workbook(xlsx, read_only=False, data_only=True)
    out = []
    for ws in wb.worksheets:
        stem = by_sheet.get(ws.title)
        with _reading(csvs.get(stem, xlsx)):
            csv = read_table_csv(csvs[stem]) if stem else None
        num = csv.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan) if stem else None
        hidden = " (hidden sheet)" if ws.sheet_state != "visible" else ""
        for row in ws.iter_rows():
            for c in row:
                where = f"{ws.title}!{c.coordinate}{hidden}"
                if c.comment is not None:
                    got = text_readings(xlsx.name, f"{where} comment", c.comment.text)
                    out += got or [Reading(xlsx.name, f"{where} comment", math.nan, 0.0)]
                if c.value is None or (num is not None and c.row == 1) or ws.title == "README":
                    continue  # the README sheet holds the sheets' sizes, a header row holds names
                i, j = c.row - 2, c.column - 1
                inside = num is not None and i < num.shape[0] and j < num.shape[1]
                ref = num[i, j] if inside else math.nan
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    if not math.isfinite(ref) or abs(float(c.value) - ref) > 1e-12 * max(1.0, abs(ref)):
                        out.append(Reading(xlsx.name, where, float(c.value), 0.0))
                elif isinstance(c.value, str) and not (inside and pd.notna(csv.iat[i, j])):
                    out += text_readings(xlsx.name, where, c.value)  # a number typed as text in a suppressed cell
    return out


def attack_family(
    step: str, tables: Mapping[str, pd.DataFrame], min_cell_size: int, results: Mapping[str, Any], rows: bool = True
):
    """Every joint attack on one notebook's tables: ``{attack name: classified findings}`` (``rows``: 04's
    row attacks of :mod:`civcomp.stats.intruder` too, the slow part)."""
    out = {}
    if step.startswith("04_") and "distribution" in tables:
        out["joint (intruder_joint)"] = intruder_joint.classify(intruder_joint.attack_family(tables), min_cell_size)
        if rows:
            found = intruder.audit_appraisal(dict(tables), min_cell_size)
            out["rows (intruder)"] = intruder_joint.classify(found, min_cell_size)
        return out
    found = [intruder_counts.attack_counts(n, tables, min_cell_size, results) for n in tables]
    found = [f for f in found if len(f)]
    if found:
        out["counts (generic MILP)"] = intruder_joint.classify(pd.concat(found, ignore_index=True), min_cell_size)
    return out


# --------------------------------------------------------------------------- the audit
FAMILY_REPORT = ["family", "artefact", "numbers_read", "leaks", "cells_attacked", "pinned", "narrowed"]


def audit(outputs: Path | None = None, min_cell_size: int = 5, rows: bool = True) -> dict[str, Any]:
    """Read every artefact under ``outputs`` and attack every table family (``rows``: see :func:`attack_family`).

    Returns ``{"report": per-family frame, "leaks": [Reading], "png": [problem], "attacks": {(step, attack):
    classified findings}}``; :func:`family_report` is the frame alone.
    """
    outputs = Path(outputs or paths.OUTPUTS)
    tables = read_tables(outputs)
    res_dir, fig_dir = outputs / "results", outputs / "figures"
    results = {p.stem: _load_json(p) for p in sorted(res_dir.glob("*.json"))}
    lines, all_leaks = [], []

    def record(family, artefact, readings, bad, attacked=0, pinned=0, narrowed=0):
        lines.append(dict(zip(FAMILY_REPORT, (family, artefact, readings, len(bad), attacked, pinned, narrowed))))
        all_leaks.extend(bad)

    steps = sorted(
        set(tables) | {p.stem.split("__")[0] for p in fig_dir.glob("*.svg")} | {s.split("__")[0] for s in results}
    )
    # the report pages may also quote the papers (the claims' statements) and the run's parameters (manifest)
    quoted = [*res_dir.glob("*.json"), *[p for p in [outputs / "manifest.json"] if p.is_file()]]
    frames = [t for s in tables.values() for t in s.values()]
    # a page may say how many rows a table has: the CSV publishes its own length
    rows_of = [float(len(t)) for t in frames]
    every = _known(frames, [*_json_numbers(quoted, strings=True), *_table_text_numbers(frames), *rows_of])
    manifest = outputs / "manifest.json"
    run = _load_json(manifest).get("params", {}) if manifest.is_file() else {}
    settings = [float(v) for _, v in _flat(run) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    attacks = {}
    for step in steps:
        st = tables.get(step, {})
        for p in [res_dir / f"{step}.json", *sorted(res_dir.glob(f"{step}__*.json"))]:
            if not p.is_file():
                continue
            bad = json_leaks(p)
            record(step, f"results/{p.name}", sum(1 for _, v in _flat(results[p.stem]) if isinstance(v, float)), bad)
        svgs = sorted(fig_dir.glob(f"{step}__*.svg"))
        if svgs:
            read = [r for p in svgs for r in svg_readings(p)]
            # a figure may also draw its notebook's results and the run's parameters (a threshold line, "95% CI")
            extra = _json_numbers([res_dir / f"{step}.json"]) if (res_dir / f"{step}.json").is_file() else []
            record(step, "figures/*.svg", len(read), figure_leaks(read, st, extra, settings))
        step_res = results.get(step, {})
        for attack, found in attack_family(step, st, min_cell_size, step_res, rows).items():
            attacks[(step, attack)] = found
            record(
                step, f"tables: {attack}", 0, [], len(found), int(found["pinned"].sum()), int(found["narrowed"].sum())
            )
    pngs = png_problems(fig_dir)
    png_line = ("all", "figures/*.png (twin SVG, metadata)", len(list(fig_dir.glob("*.png"))), len(pngs), 0, 0, 0)
    lines.append(dict(zip(FAMILY_REPORT, png_line)))
    xlsx = outputs / "tables.xlsx"
    if xlsx.is_file():
        bad = workbook_leaks(xlsx, outputs / "tables")
        record("all", "tables.xlsx", sum(len(t) * t.shape[1] for s in tables.values() for t in s.values()), bad)
    report = outputs / "report"
    if report.is_dir():
        read = []
        for p in sorted(report.rglob("*.html")):
            if "source" not in p.parts:
                with _reading(p):
                    read += html_readings(p, report)
        record("all", "report/*.html", len(read), leaks(read, every))
    frame = pd.DataFrame(lines, columns=FAMILY_REPORT)
    return {"report": frame, "leaks": all_leaks, "png": pngs, "attacks": attacks}


def family_report(outputs: Path | None = None, min_cell_size: int = 5) -> pd.DataFrame:
    """The per-family table of :func:`audit`."""
    return audit(outputs, min_cell_size)["report"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m civcomp.stats.intruder_audit", description=__doc__.splitlines()[0])
    ap.add_argument("outputs", nargs="?", type=Path, default=None, help="an outputs folder (default: the project's)")
    ap.add_argument("--min-cell-size", type=int, default=5, help="the disclosure threshold (default 5)")
    ap.add_argument("--show", type=int, default=20, help="leaks and pinned cells listed (default 20)")
    a = ap.parse_args(argv)
    if a.min_cell_size < 2:
        print("--min-cell-size must be at least 2", file=sys.stderr)
        return 2
    out = a.outputs or paths.OUTPUTS
    if not (Path(out) / "tables").is_dir():
        print(f"{out}: no tables/ folder (run civcomp reproduce first)", file=sys.stderr)
        return 2
    try:
        res = audit(out, a.min_cell_size)
    except AuditError as e:
        print(e, file=sys.stderr)
        return 2
    print(res["report"].to_string(index=False))
    for r in res["leaks"][: a.show]:
        print(f"leak: {r.artefact} {r.where}: {r.value!r}")
    for p in res["png"]:
        print(f"png: {p}")
    for (step, attack), f in res["attacks"].items():
        for _, c in f[f["pinned"]].head(a.show).iterrows():
            print(f"pinned: {step} {attack} {c['table']} row {c['row']} {c['column']}: {c['lo']:g}-{c['hi']:g}")
    pinned = int(res["report"]["pinned"].sum())
    return 1 if res["leaks"] or res["png"] or pinned else 0


if __name__ == "__main__":
    raise SystemExit(main())
