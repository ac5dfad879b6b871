"""Paper 003's qualitative tables as data: Table 1 (six foreign competency frameworks), Table 2
(Singapore vs Kazakhstan case study) and our crosswalk of Table 1 to the 15 Kazakh 360 competencies.

The tables are transcribed verbatim in ``data/published/frameworks.yaml``; the crosswalk
there maps each Table 1 item to the competency codes of ``data/codebooks/_shared.yaml``
with a match strength (``direct`` / ``partial``) and a one-line justification.
:func:`load` checks that every Table 1 item is mapped exactly once and every code exists.

References
----------
Bokayev, B., Amirova, A. & Kosherbayeva, A. Building Innovative Capacity of Public
Servants: The Case of Kazakhstan, Tables 1-2 and Appendix A.

Examples
--------
>>> from civcomp.analyses import frameworks
>>> fw = frameworks.load()
>>> frameworks.table1_frame(fw).groupby("country", sort=False).size().to_dict()["Germany"]
7
>>> m = frameworks.crosswalk_matrix(fw)
>>> m.shape, int(m.loc["Germany", "stress_resistance"])
((6, 15), 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.analyses.published import Published
from civcomp.errors import CivcompError
from civcomp.io.params import ParamsError, read_yaml

COUNTRIES = ("United Kingdom", "Canada", "USA", "South Korea", "Estonia", "Germany")
MATCHES = ("direct", "partial")
SHORT_LABELS = {"consumer_orientation": "Consumer orientation", "collaboration": "Collaboration"}  # axis labels


class FrameworksError(CivcompError, ValueError):
    """frameworks.yaml is malformed; the message names the file and the entry."""


def competency_codes() -> tuple[list[str], dict[str, str]]:
    """The 15 Kazakh competency codes (codebook order) and their English labels."""
    shared = read_yaml(paths.CODEBOOKS / "_shared.yaml")
    codes = list(shared["competencies"])
    labels = (shared.get("labels") or {}).get("competencies") or {}
    return codes, {c: (labels.get(c) or {}).get("en", c.replace("_", " ").capitalize()) for c in codes}


def load(path: Path | str | None = None) -> dict[str, Any]:
    """Read ``frameworks.yaml`` and validate it; raise :class:`FrameworksError` listing every problem."""
    path = Path(path or paths.PUBLISHED / "frameworks.yaml")
    try:
        fw = read_yaml(path)
    except ParamsError as exc:
        raise FrameworksError(str(exc).replace("parameter file", "frameworks file")) from None
    codes, _ = competency_codes()
    errors: list[str] = []
    t1 = {c.get("country"): c.get("competencies") or [] for c in (fw.get("table1") or {}).get("countries", [])}
    if tuple(t1) != COUNTRIES:
        errors.append(f"table1: countries must be {list(COUNTRIES)} in the paper's order, got {list(t1)}")
    rows = (fw.get("table2") or {}).get("rows") or []
    for i, r in enumerate(rows, start=1):
        for col in ["parameter", *(fw["table2"].get("columns") or [])]:
            if not str(r.get(col) or "").strip():
                errors.append(f"table2: row {i} ({r.get('parameter')}): column {col!r} is empty")
    if not rows:
        errors.append("table2: no rows")
    cw = fw.get("crosswalk") or {}
    for country, items in t1.items():
        mapped = [e.get("item") for e in cw.get(country) or []]
        if mapped != list(items):
            missing = sorted(set(items) - set(mapped))
            extra = sorted(set(mapped) - set(items))
            errors.append(
                f"crosswalk: {country}: items must match Table 1 in order"
                + (f"; unmapped: {missing}" if missing else "")
                + (f"; not in Table 1: {extra}" if extra else "")
            )
        for e in cw.get(country) or []:
            where = f"crosswalk: {country}: item {e.get('item')!r}"
            targets = e.get("to")
            if not isinstance(targets, list):
                errors.append(f"{where}: 'to' must be a list (empty when nothing matches)")
                continue
            if not targets and not str(e.get("why") or "").strip():
                errors.append(f"{where}: an unmapped item needs a 'why'")
            seen = [t.get("competency") for t in targets]
            if len(seen) != len(set(seen)):
                errors.append(f"{where}: a competency is listed twice")
            for t in targets:
                if t.get("competency") not in codes:
                    errors.append(f"{where}: unknown competency code {t.get('competency')!r}")
                if t.get("match") not in MATCHES:
                    errors.append(f"{where}: match must be one of {MATCHES}, got {t.get('match')!r}")
                if not str(t.get("why") or "").strip():
                    errors.append(f"{where} -> {t.get('competency')}: justification 'why' is empty")
    extra_countries = sorted(set(cw) - set(t1))
    if extra_countries:
        errors.append(f"crosswalk: countries not in Table 1: {extra_countries}")
    if errors:
        raise FrameworksError(f"{path}: {len(errors)} problem(s):\n  " + "\n  ".join(errors))
    return fw


def table1_frame(fw: dict[str, Any]) -> pd.DataFrame:
    """Table 1 in long form: country, item_no (1-based, the paper's order), competency."""
    return pd.DataFrame(
        [
            {"country": c["country"], "item_no": i, "competency": item}
            for c in fw["table1"]["countries"]
            for i, item in enumerate(c["competencies"], start=1)
        ]
    )


def table1_wide(table1: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as printed: one row per item number, one column per country in the paper's order."""
    return table1.pivot(index="item_no", columns="country", values="competency")[list(COUNTRIES)].fillna("")


def table2_frame(fw: dict[str, Any]) -> pd.DataFrame:
    """Table 2 as printed: one row per parameter, one column per country."""
    cols = ["parameter", *fw["table2"]["columns"]]
    return pd.DataFrame([{c: r[c] for c in cols} for r in fw["table2"]["rows"]], columns=cols)


def crosswalk_frame(fw: dict[str, Any]) -> pd.DataFrame:
    """The crosswalk in long form: country, item, kazakh_competency (code or empty), label, match, why."""
    _, labels = competency_codes()
    rows = []
    for country, items in fw["crosswalk"].items():
        for e in items:
            for t in e["to"] or [{"competency": None, "match": "none", "why": e.get("why", "")}]:
                rows.append(
                    {
                        "country": country,
                        "item": e["item"],
                        "kazakh_competency": t["competency"],
                        "kazakh_label": labels.get(t["competency"]) if t["competency"] else None,
                        "match": t["match"],
                        "why": t["why"],
                    }
                )
    return pd.DataFrame(rows)


def crosswalk_matrix(fw: dict[str, Any]) -> pd.DataFrame:
    """Countries x 15 Kazakh competencies: how many of the country's Table 1 items map to each."""
    codes, _ = competency_codes()
    long = crosswalk_frame(fw).dropna(subset=["kazakh_competency"])
    m = pd.crosstab(long["country"], long["kazakh_competency"])
    return m.reindex(index=list(COUNTRIES), columns=codes, fill_value=0).astype(int)


def coverage_text(matrix: pd.DataFrame, crosswalk: pd.DataFrame) -> str:
    """One Markdown sentence on the crosswalk: the most widely shared competencies, the rare ones, unmapped items.

    Examples
    --------
    >>> fw = load()
    >>> coverage_text(crosswalk_matrix(fw), crosswalk_frame(fw)).startswith("Most widely shared: ")
    True
    """
    coverage = matrix.astype(bool).sum()
    _, labels = competency_codes()
    rare = [labels[c] for c in coverage.index if coverage[c] <= 1]
    common = [labels[c] for c in coverage.index if coverage[c] == coverage.max()]
    unmapped = crosswalk[crosswalk["kazakh_competency"].isna()]
    return (
        f"Most widely shared: {', '.join(common)} ({coverage.max()} of {len(matrix)} countries). "
        f"In at most one foreign framework: {', '.join(rare)}. "
        f"Table 1 items without a Kazakh counterpart: "
        + (", ".join(f"{r.item} ({r.country})" for r in unmapped.itertuples()) or "none")
        + "."
    )


def results(data: dict[str, pd.DataFrame], params: dict[str, Any]) -> Published:
    """What notebook 05 publishes of Tables 1-2 and the crosswalk (no dataset is read: ``data`` may be empty).

    Parameters
    ----------
    data : dict of str to DataFrame
        Unused: the tables are transcribed from the paper.
    params : dict
        ``frameworks_file``: the transcription, in ``data/published/``.

    Returns
    -------
    Published
        ``values``: ``n_framework_items`` (Table 1's items), ``n_crosswalk_links`` (item → Kazakh competency
        links); ``tables``: ``frameworks_table1``, ``frameworks_table2``, ``crosswalk``, ``crosswalk_matrix``;
        ``parts``: ``matrix`` (countries x competencies, for the heatmap) and ``coverage`` (:func:`coverage_text`).

    Examples
    --------
    >>> r = results({}, {"frameworks_file": "frameworks.yaml"})
    >>> list(r.tables), r.values["n_framework_items"] == len(r.tables["frameworks_table1"])
    (['frameworks_table1', 'frameworks_table2', 'crosswalk', 'crosswalk_matrix'], True)
    """
    fw = load(paths.PUBLISHED / params["frameworks_file"])
    t1, cw, matrix = table1_frame(fw), crosswalk_frame(fw), crosswalk_matrix(fw)
    tables = {
        "frameworks_table1": t1,
        "frameworks_table2": table2_frame(fw),
        "crosswalk": cw,
        "crosswalk_matrix": matrix.reset_index().rename(columns={"index": "country"}),
    }
    values = {"n_framework_items": len(t1), "n_crosswalk_links": int(matrix.to_numpy().sum())}
    return Published(values=values, tables=tables, parts={"matrix": matrix, "coverage": coverage_text(matrix, cw)})
