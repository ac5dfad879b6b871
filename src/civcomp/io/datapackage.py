"""The codebooks as a Frictionless Data Package: ``data/datapackage.json``, generated, never edited by hand.

One resource per dataset (:data:`civcomp.io.codebook.ALL_DATASETS`), pointing at its synthetic twin
``data/synthetic/<name>.synthetic.csv`` (paths are relative to ``data/``). Each resource carries a Table Schema
made from the codebook:

==================  ==============================================================================================
codebook            Table Schema
==================  ==============================================================================================
``string``          ``string``; ``pattern`` → ``constraints.pattern``
``category``        ``string`` with ``constraints.enum`` = the codes (codebook order); labels: see below
``integer``         ``integer``; ``min``/``max`` → ``constraints.minimum``/``maximum``
``number``/``date`` ``number`` / ``date`` (ISO ``YYYY-MM-DD``, the twin's format)
``required``        ``constraints.required``; ``unique`` → ``constraints.unique``
missing codes       field-level ``missingValues`` (Table Schema v2): ``""`` plus the codes, e.g. ``["", "99"]``
keys                ``primaryKey``; ``foreignKeys`` with ``reference.resource`` = the referenced dataset
labels              ``title`` (English label), ``description``; the English and Russian labels of the field in
                    ``civcomp:label``, of every value in ``civcomp:valueLabels`` (``{code: {en, ru}}``; a custom
                    property, as the spec allows); categories also get the Data Package v2 ``categories`` list
                    (``{value, label}``, English) and ``categoriesOrdered``
==================  ==============================================================================================

``frictionless validate data/datapackage.json`` (or :func:`frictionless.validate`) then checks the twin against
the same contract :mod:`civcomp.io.validate` enforces. Real files (``data/raw/``, often ``.sav``) are validated by
``civcomp validate``, which also accepts labels for codes; the descriptor describes the twin's CSV layout.

Command line: ``python -m civcomp.io.datapackage`` rewrites ``data/datapackage.json``;
``python -m civcomp.io.datapackage --check`` exits 1 when it is stale.

Examples
--------
>>> pkg = build_datapackage()
>>> [r["name"] for r in pkg["resources"]][:2]
['postings', 'digital_survey']
>>> f = field_schema(load_codebook("appraisal_360").field("score"))
>>> f["type"], f["constraints"], f["missingValues"]
('integer', {'minimum': 0, 'maximum': 10}, ['', '99'])
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from civcomp import __version__, paths
from civcomp.io.codebook import ALL_DATASETS, Codebook, Field, load_codebook
from civcomp.io.outputs import atomic_write

PATH = paths.DATA / "datapackage.json"
PROFILE = "tabular-data-package"
CC_BY = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def _num(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def field_schema(f: Field) -> dict[str, Any]:
    """Table Schema field descriptor of one codebook field.

    Parameters
    ----------
    f : Field
        A field of a :class:`~civcomp.io.codebook.Codebook`.

    Returns
    -------
    dict
        ``name``, ``type``, ``title``, ``constraints`` … (see the module docstring).

    Examples
    --------
    >>> d = field_schema(load_codebook("appraisal_360").field("perspective"))
    >>> d["type"], d["constraints"]["enum"], d["categories"][0]
    ('string', ['self', 'supervisor', 'head', 'colleague'], {'value': 'self', 'label': 'Self (Q10)'})
    """
    out: dict[str, Any] = {"name": f.name, "type": "string" if f.type == "category" else f.type}
    if f.type == "date":
        out["format"] = "default"
    if f.label.get("en"):
        out["title"] = f.label["en"]
    if f.description:
        out["description"] = f.description
    cons: dict[str, Any] = {}
    if f.required:
        cons["required"] = True
    if f.unique:
        cons["unique"] = True
    if f.type == "category":
        cons["enum"] = list(f.values)
    if f.minimum is not None:
        cons["minimum"] = _num(f.minimum)
    if f.maximum is not None:
        cons["maximum"] = _num(f.maximum)
    if f.pattern:
        cons["pattern"] = f.pattern
    if cons:
        out["constraints"] = cons
    if f.missing_codes:
        out["missingValues"] = [""] + [str(m) for m in f.missing_codes]
    if f.type == "category":
        out["categories"] = [{"value": v, "label": f.labels.get(v, {}).get("en", v)} for v in f.values]
        if f.ordered:
            out["categoriesOrdered"] = True
    if f.label:
        out["civcomp:label"] = dict(f.label)
    if f.labels:
        keys = list(f.values) if f.type == "category" else sorted(f.labels, key=_code_order)
        out["civcomp:valueLabels"] = {k: dict(f.labels[k]) for k in keys if k in f.labels}
    return out


def _code_order(code: str) -> tuple[int, Any]:
    try:
        return 0, float(code)
    except ValueError:
        return 1, code


def resource(cb: Codebook, path: str | None = None) -> dict[str, Any]:
    """Data Resource descriptor of one dataset (its synthetic twin's CSV, relative to ``data/``).

    Examples
    --------
    >>> r = resource(load_codebook("appraisal_360"))
    >>> r["path"], r["schema"]["primaryKey"], r["schema"]["foreignKeys"][0]["reference"]
    ('synthetic/appraisal_360.synthetic.csv', ['respondent_id', 'perspective', 'competency'], \
{'resource': 'capacity_survey', 'fields': 'respondent_id'})
    """
    schema: dict[str, Any] = {
        "fields": [field_schema(f) for f in cb.fields],
        "missingValues": list(cb.missing_values),
        "primaryKey": list(cb.primary_key),
    }
    if cb.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": fk.fields, "reference": {"resource": fk.dataset, "fields": fk.ref_field}}
            for fk in cb.foreign_keys
        ]
    out: dict[str, Any] = {
        "name": cb.name,
        "path": path or f"synthetic/{cb.name}.synthetic.csv",
        "profile": "tabular-data-resource",
        "title": cb.title,
        "description": cb.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
        "civcomp:title_ru": cb.title_ru,
        "civcomp:source": {"en": cb.source, "ru": cb.source_ru},
        "civcomp:syntheticOnly": cb.synthetic_only,
    }
    if cb.reference:
        out["civcomp:reference"] = cb.reference
    if cb.n_published:
        out["civcomp:nPublished"] = cb.n_published
    return out


def build_datapackage(codebooks_dir: Path | None = None) -> dict[str, Any]:
    """The whole descriptor, one resource per dataset in :data:`ALL_DATASETS` order (deterministic).

    Parameters
    ----------
    codebooks_dir : Path, optional
        Folder of the codebook YAML files; default ``data/codebooks/``.

    Returns
    -------
    dict
        A Tabular Data Package descriptor.

    Examples
    --------
    >>> pkg = build_datapackage()
    >>> pkg["profile"], len(pkg["resources"]), pkg["licenses"][0]["name"]
    ('tabular-data-package', 6, 'CC-BY-4.0')
    """
    return {
        "profile": PROFILE,
        "name": "civcomp-synthetic-twin",
        "title": "civcomp: synthetic twin of the datasets of two studies of Kazakhstan's civil servants",
        "description": (
            "Generated by `python -m civcomp.io.datapackage` from data/codebooks/*.yaml; do not edit by "
            "hand. The resources are the synthetic twin written by `civcomp synthesize` (simulated data, "
            "no information about any person). The real microdata are not public; they are validated "
            "against the same codebooks by `civcomp validate`."
        ),
        "version": __version__,
        "licenses": [CC_BY],
        "resources": [resource(load_codebook(n, codebooks_dir)) for n in ALL_DATASETS],
    }


def render(codebooks_dir: Path | None = None) -> str:
    """Canonical JSON text of :func:`build_datapackage` (two-space indent, UTF-8 text, trailing newline).

    Examples
    --------
    >>> render().startswith('{\\n  "profile": "tabular-data-package"')
    True
    """
    return json.dumps(build_datapackage(codebooks_dir), indent=2, ensure_ascii=False) + "\n"


def write_datapackage(path: Path | None = None, codebooks_dir: Path | None = None) -> Path:
    """Write :func:`render` to ``data/datapackage.json`` (or ``path``) atomically; return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_datapackage(pathlib.Path(tempfile.mkdtemp()) / "datapackage.json")
    >>> json.loads(p.read_text(encoding="utf-8"))["resources"][0]["name"]
    'postings'
    """
    return atomic_write(Path(path or PATH), render(codebooks_dir).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """``python -m civcomp.io.datapackage [--check]``: rewrite, or check, ``data/datapackage.json``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv not in ([], ["--check"]):
        print("usage: python -m civcomp.io.datapackage [--check]", file=sys.stderr)
        return 2
    if argv == ["--check"]:
        current = PATH.read_text(encoding="utf-8") if PATH.is_file() else ""
        if current != render():
            print(f"{PATH} is stale: run `python -m civcomp.io.datapackage`", file=sys.stderr)
            return 1
        print(f"{PATH} is current")
        return 0
    print(f"wrote {write_datapackage()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
