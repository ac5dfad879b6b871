"""The codebooks: machine-readable column contracts of every dataset, and the data README made from them.

Each dataset has one YAML file in ``data/codebooks/`` (a Frictionless-Table-Schema-like layout): its fields
with type (``string``, ``category``, ``integer``, ``number``, ``date``), allowed values or range, missing-value
codes, keys, English and Russian labels of the dataset, of every field and of every category value, and where the
data come from. Value sets shared by several datasets (regions, functional areas, positions, competencies) and
their labels live in ``_shared.yaml``. Multi-select questions expand to one 0/1 integer column per option,
named ``<prefix><option>``.

Examples
--------
>>> from civcomp.io.codebook import load_codebook
>>> cb = load_codebook("appraisal_360")
>>> cb.primary_key
('respondent_id', 'perspective', 'competency')
>>> cb.field("perspective").values
('self', 'supervisor', 'head', 'colleague')
>>> cb.code_of("perspective", "Самооценка (вопрос 10)")
'self'
>>> cb.label("competency", "leadership", lang="ru")
'Лидерство'

Size: the codebook contract and its generated README are one job (a field's rules and its documentation must not drift).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.io.outputs import atomic_write
from civcomp.io.params import ParamsError, read_yaml

DATASETS = ("postings", "digital_survey", "capacity_survey", "appraisal_360")
COMPANIONS = ("postings_truth", "postings_gold")  # keyed to postings.id
ALL_DATASETS = DATASETS + COMPANIONS
TYPES = ("string", "category", "integer", "number", "date")
LANGS = ("en", "ru")


class CodebookError(ValueError):
    """A codebook file is missing or malformed (a problem of the compendium, not of a user's data file)."""


@dataclass(frozen=True)
class Field:
    """One column of a dataset."""

    name: str
    type: str
    required: bool = False
    unique: bool = False
    values: tuple[str, ...] = ()  # category codes, in codebook order
    minimum: float | None = None
    maximum: float | None = None
    missing_codes: tuple[Any, ...] = ()  # values that mean "no answer" and load as NA
    pattern: str | None = None
    ordered: bool = False
    label: dict[str, str] = dc_field(default_factory=dict)  # {"en": ..., "ru": ...}
    labels: dict[str, dict[str, str]] = dc_field(default_factory=dict)  # value code -> {"en", "ru"}
    description: str = ""
    group: str | None = None  # multi-select prefix when the column is one option of a multi-select question


@dataclass(frozen=True)
class MultiSelect:
    """A multi-select question stored as one 0/1 column per option."""

    prefix: str
    question: str
    question_ru: str
    options: tuple[str, ...]
    labels: dict[str, dict[str, str]]

    @property
    def columns(self) -> list[str]:
        return [self.prefix + o for o in self.options]


@dataclass(frozen=True)
class ForeignKey:
    fields: str
    dataset: str
    ref_field: str


@dataclass(frozen=True)
class Codebook:
    """The contract of one dataset; ``fields`` include the expanded multi-select columns, in file order."""

    name: str
    title: str
    title_ru: str
    description: str
    source: str
    source_ru: str
    reference: str
    access: str
    synthetic_only: bool
    n_published: int | None
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    fields: tuple[Field, ...]
    multiselect: tuple[MultiSelect, ...]
    missing_values: tuple[str, ...]
    files: tuple[Path, ...]  # the YAML files it was built from (for cache keys)
    _lookups: dict[str, dict[str, str]] = dc_field(default_factory=dict, compare=False, repr=False)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"codebook {self.name} has no field {name!r}")

    def categories(self, name: str) -> list[str]:
        """Category codes of field ``name`` in codebook order."""
        return list(self.field(name).values)

    def label(self, name: str, code: Any = None, lang: str = "en") -> str:
        """Label of field ``name`` (``code=None``) or of one of its values; falls back to the code itself."""
        f = self.field(name)
        if code is None:
            return f.label.get(lang, f.name)
        return f.labels.get(str(code), {}).get(lang, str(code))

    def lookup(self, name: str) -> dict[str, str]:
        """Map every accepted spelling of a value of ``name`` (code, English or Russian label,
        compared case-insensitively) to its code."""
        if name not in self._lookups:
            self._lookups[name] = _lookup(self, name)
        return self._lookups[name]

    def code_of(self, name: str, text: str) -> str | None:
        """Code of a value written as its code or one of its labels; ``None`` if unknown."""
        return self.lookup(name).get(_norm(text))


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _lookup(cb: Codebook, name: str) -> dict[str, str]:
    f = cb.field(name)
    out: dict[str, str] = {}
    for code in f.values:
        for spelling in [code, *f.labels.get(code, {}).values()]:
            key = _norm(spelling)
            if out.get(key, code) != code:
                raise CodebookError(
                    f"codebook {cb.name}, field {name}: {spelling!r} labels both {out[key]!r} and {code!r}"
                )
            out[key] = code
    return out


def _text(raw: Any) -> str:
    return " ".join(str(raw).split()) if raw is not None else ""


def _labels(raw: Any, where: str) -> dict[str, dict[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: labels must map value codes to {{en, ru}}")
    out = {}
    for k, d in raw.items():
        if not isinstance(d, dict) or set(d) - set(LANGS) or not all(isinstance(v, str) for v in d.values()):
            # catches YAML flow-mapping slips: {en: Yes, because ...} splits at the comma, Yes reads as True
            raise CodebookError(f"{where}: labels of {k!r} must be {{en: text, ru: text}} with quoted text, got {d!r}")
        out[str(k)] = dict(d)
    return out


def _build_field(spec: dict, shared: dict, where: str) -> Field:
    name = spec.get("name")
    ftype = spec.get("type")
    if not name or ftype not in TYPES:
        raise CodebookError(f"{where}: every field needs a name and a type in {TYPES}, got {spec!r}")
    values: tuple[str, ...] = ()
    labels = _labels(spec.get("labels"), f"{where} field {name}")
    if ftype == "category":
        if "values_from" in spec:
            key = spec["values_from"]
            if key not in shared:
                raise CodebookError(f"{where}: field {name} values_from {key!r} is not in _shared.yaml")
            raw_values = shared[key]
            labels = {**_labels(shared.get("labels", {}).get(key), f"_shared.yaml labels.{key}"), **labels}
        else:
            raw_values = spec.get("values") or []
        for v in raw_values:
            if not isinstance(v, str):  # e.g. unquoted yes/no, which YAML 1.1 reads as booleans
                raise CodebookError(f"{where}: field {name} value {v!r} is not a string (quote it in the YAML)")
        values = tuple(raw_values)
        if not values:
            raise CodebookError(f"{where}: category field {name} has no values")
    if spec.get("pattern"):
        re.compile(spec["pattern"])
    return Field(
        name=name,
        type=ftype,
        required=bool(spec.get("required", False)),
        unique=bool(spec.get("unique", False)),
        values=values,
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        missing_codes=tuple(spec.get("missing_codes") or ()),
        pattern=spec.get("pattern"),
        ordered=bool(spec.get("ordered", False)),
        label=_labels({"_": spec.get("label") or {}}, where)["_"],
        labels=labels,
        description=_text(spec.get("description", "")),
    )


@functools.cache
def _load(name: str, directory: Path) -> Codebook:
    path = directory / f"{name}.yaml"
    shared_path = directory / "_shared.yaml"
    try:
        spec = read_yaml(path)
        shared = read_yaml(shared_path) if shared_path.exists() else {}
    except ParamsError as exc:
        raise CodebookError(str(exc).replace("parameter file", "codebook")) from None
    where = path.name
    fields = [_build_field(f, shared, where) for f in spec.get("fields") or []]
    groups = []
    ms_values = _labels(spec.get("multiselect_values"), where)
    for g in spec.get("multiselect") or []:
        ms = MultiSelect(
            prefix=g["prefix"],
            question=_text(g.get("question", "")),
            question_ru=_text(g.get("question_ru", "")),
            options=tuple(g["options"]),
            labels=_labels(g.get("labels"), where),
        )
        groups.append(ms)
        for opt in ms.options:
            lab = ms.labels.get(opt, {})
            fields.append(
                Field(
                    name=ms.prefix + opt,
                    type="integer",
                    required=True,
                    minimum=0,
                    maximum=1,
                    group=ms.prefix,
                    label={
                        lang: f"{q}: {lab.get(lang, opt)}"
                        for lang, q in (("en", ms.question), ("ru", ms.question_ru))
                        if q
                    },
                    labels=ms_values,
                )
            )
    names = [f.name for f in fields]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise CodebookError(f"{where}: duplicate column names {dup}")
    pk = spec.get("primary_key") or ()
    pk = (pk,) if isinstance(pk, str) else tuple(pk)
    fks = []
    for fk in spec.get("foreign_keys") or []:
        ds, _, ref = str(fk["reference"]).partition(".")
        fks.append(ForeignKey(fields=fk["fields"], dataset=ds, ref_field=ref))
    for col in list(pk) + [fk.fields for fk in fks]:
        if col not in names:
            raise CodebookError(f"{where}: key column {col!r} is not a field")
    files = (path, shared_path) if shared_path.exists() else (path,)
    cb = Codebook(
        name=spec.get("dataset", name),
        title=_text(spec.get("title", name)),
        title_ru=_text(spec.get("title_ru", "")),
        description=_text(spec.get("description", "")),
        source=_text(spec.get("source", "")),
        source_ru=_text(spec.get("source_ru", "")),
        reference=_text(spec.get("reference", "")),
        access=_text(spec.get("access", "")),
        synthetic_only=bool(spec.get("synthetic_only", False)),
        n_published=spec.get("n_published"),
        primary_key=pk,
        foreign_keys=tuple(fks),
        fields=tuple(fields),
        multiselect=tuple(groups),
        missing_values=tuple(str(v) for v in spec.get("missing_values", [""])),
        files=files,
    )
    for f in cb.fields:  # fail early on ambiguous labels
        if f.type == "category":
            cb.lookup(f.name)
    return cb


def load_codebook(name: str, codebooks_dir: Path | None = None) -> Codebook:
    """Read the codebook of dataset ``name`` (one of :data:`ALL_DATASETS`).

    Parameters
    ----------
    name : str
        Dataset name, e.g. ``"capacity_survey"``.
    codebooks_dir : Path, optional
        Folder of the YAML files; default ``data/codebooks/``.

    Returns
    -------
    Codebook

    References
    ----------
    Frictionless Table Schema, https://specs.frictionlessdata.io/table-schema/ (the layout this follows).

    Examples
    --------
    >>> cb = load_codebook("digital_survey")
    >>> cb.multiselect[0].columns[:2]
    ['challenge_slow_systems', 'challenge_frequent_changes']
    >>> cb.field("tenure_years").missing_codes
    (-9,)
    """
    if name not in ALL_DATASETS and codebooks_dir is None:
        raise CodebookError(f"unknown dataset {name!r}; datasets are: {', '.join(ALL_DATASETS)}")
    return _load(name, Path(codebooks_dir or paths.CODEBOOKS))


def codebook_files(codebooks_dir: Path | None = None) -> list[Path]:
    """Every codebook YAML file (their content is part of the cache key of processed data)."""
    return sorted(Path(codebooks_dir or paths.CODEBOOKS).glob("*.yaml"))


# --------------------------------------------------------------------------------------------------------------
# data/README.md


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _allowed(f: Field, shared_sets: dict[str, tuple[str, ...]]) -> str:
    if f.type == "category":
        for key, vals in shared_sets.items():
            if vals == f.values:
                return f"one of the {len(vals)} `{key}` (see Shared value sets)"
        return ", ".join(f"`{v}`" for v in f.values)
    parts = []
    if f.minimum is not None or f.maximum is not None:
        parts.append(f"{f.minimum if f.minimum is not None else '−∞'}–{f.maximum if f.maximum is not None else '∞'}")
    if f.pattern:
        parts.append(f"pattern `{f.pattern}`")
    if f.labels:
        parts.append("; ".join(f"{k} = {v.get('en', '')}" for k, v in f.labels.items()))
    return "; ".join(parts)


def _value_table(labels: dict[str, dict[str, str]], values: tuple[str, ...]) -> list[str]:
    rows = ["| code | English | Русский |", "|---|---|---|"]
    rows += [
        f"| `{v}` | {_md(labels.get(v, {}).get('en', ''))} | {_md(labels.get(v, {}).get('ru', ''))} |" for v in values
    ]
    return rows


def render_readme(codebooks_dir: Path | None = None, model_path: Path | None = None) -> str:
    """Markdown text of ``data/README.md``, generated from the codebooks (deterministic).

    The section "Synthetic generative model" takes its body from ``data/synthetic_model.md`` (if it exists)
    followed by every ``data/synthetic_model.<dataset>.md``, in dataset order.

    Examples
    --------
    >>> text = render_readme()
    >>> "## Synthetic generative model" in text and "capacity_survey" in text
    True
    """
    cdir = Path(codebooks_dir or paths.CODEBOOKS)
    shared = read_yaml(cdir / "_shared.yaml") if (cdir / "_shared.yaml").exists() else {}
    shared_sets = {k: tuple(v) for k, v in shared.items() if isinstance(v, list)}
    model_path = Path(model_path or paths.DATA / "synthetic_model.md")
    cbs = [_load(n, cdir) for n in ALL_DATASETS]

    out = [
        "# Data",
        "",
        "<!-- Generated by civcomp.io.codebook.write_readme() from data/codebooks/*.yaml; do not edit by hand. -->",
        "",
        "The microdata of the two studies are not public. **By default every notebook runs on a synthetic twin**:",
        "simulated data with exactly the columns of the real files, calibrated so that the analyses recover the",
        "published aggregates, written by `civcomp synthesize` to `data/synthetic/<name>.synthetic.csv`. The file",
        "names, notebook banners, figures and report all say when results come from the synthetic twin.",
        "",
        "The research team that holds the real files sets `data_source: real` in `params/global.yaml` and points",
        "`real_data.<name>` at its files (paths relative to the repository root). Every real file is validated against",
        "its codebook before anything runs; a failed validation stops the run with the complete list of problems.",
        "Check a file by hand with `civcomp validate <dataset> FILE [--capacity FILE] [--json]`.",
        "",
        "| folder | content |",
        "|---|---|",
        "| `data/codebooks/` | the codebooks (YAML): columns, types, allowed values, labels (en/ru), missing codes, keys, sources |",
        "| `data/synthetic/` | the synthetic twin (generated, not committed) |",
        "| `data/raw/` | the real microdata, supplied by the team; never modified, never committed |",
        "| `data/processed/` | validated, typed copies of the raw files (Parquet), keyed by the raw file's SHA-256 |",
        "",
        "## Datasets",
        "",
        "| dataset | content | rows (published) | synthetic file | real file |",
        "|---|---|---|---|---|",
    ]
    for cb in cbs:
        real = "— (synthetic only)" if cb.synthetic_only else f"`params/global.yaml` `real_data.{cb.name}`"
        n = f"{cb.n_published:,}" if cb.n_published else ""
        out.append(f"| `{cb.name}` | {_md(cb.title)} | {n} | `data/synthetic/{cb.name}.synthetic.csv` | {real} |")
    out += [
        "",
        "## Reading and validating files",
        "",
        "* Formats: CSV (`.csv`, `.tsv`, `.txt`), Excel (`.xlsx`, first sheet, header in row 1), SPSS (`.sav`) and",
        "  Parquet. Column names must be the codebook's names; the column order does not matter.",
        "* CSV encoding is detected deterministically: UTF-8 (with or without BOM) if the bytes decode as UTF-8,",
        "  otherwise Windows-1251 (the usual Russian-language Excel export). The separator (`,` `;` or tab) is",
        "  read from the header line. Numbers may use a decimal comma when the separator is `;` or the file is",
        "  Windows-1251; free-text columns are never altered. Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ) do not exist",
        "  in Windows-1251: save files with Kazakh text as UTF-8.",
        "* Category values may be written as the code or as its English or Russian label (case-insensitive); in",
        "  SPSS files the value labels are mapped back to codes the same way.",
        "* Missing-value codes listed below (e.g. 99, -9) and empty cells load as NA and are not violations.",
        "* Violations name the file, the row, the column, the offending value and the rule. **Rows are 1-based data",
        '  rows** (the first record after the header is row 1; in SPSS the case number); "line" is where the',
        "  record starts in the file (CSV text line, or the Excel sheet row, header = line 1).",
        "",
    ]
    for cb in cbs:
        out += [f"## `{cb.name}` — {cb.title}", ""]
        if cb.title_ru:
            out += [f"*{cb.title_ru}*", ""]
        if cb.description:
            out += [cb.description, ""]
        out += [f"**Source.** {cb.source}", ""]
        if cb.source_ru:
            out += [f"**Источник.** {cb.source_ru}", ""]
        if cb.reference:
            out += [f"**Reference.** {cb.reference}", ""]
        if cb.access:
            out += [f"**Access.** {cb.access}", ""]
        keys = ", ".join(f"`{k}`" for k in cb.primary_key)
        out += [
            f"**Key:** {keys} (unique)."
            + "".join(f" **Foreign key:** `{fk.fields}` → `{fk.dataset}.{fk.ref_field}`." for fk in cb.foreign_keys),
            "",
        ]
        out += [
            "| column | type | label | метка | allowed values | missing codes | required |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in cb.fields:
            if f.group:
                continue
            miss = ", ".join(str(m) for m in f.missing_codes)
            out.append(
                f"| `{f.name}` | {f.type} | {_md(f.label.get('en', ''))} | {_md(f.label.get('ru', ''))} | "
                f"{_md(_allowed(f, shared_sets))} | {miss} | {'yes' if f.required else ''} |"
            )
        out.append("")
        notes = [f for f in cb.fields if f.description and not f.group]
        if notes:
            out += [f"* `{f.name}`: {f.description}" for f in notes] + [""]
        for f in cb.fields:
            if f.type == "category" and not any(f.values == v for v in shared_sets.values()):
                out += [f"Values of `{f.name}`:", ""] + _value_table(f.labels, f.values) + [""]
        for ms in cb.multiselect:
            out += [
                f"Multi-select `{ms.prefix}*` — {ms.question} / {ms.question_ru}. One 0/1 column per option "
                "(1 = selected):",
                "",
            ]
            out += ["| column | English | Русский |", "|---|---|---|"]
            out += [
                f"| `{ms.prefix}{o}` | {_md(ms.labels.get(o, {}).get('en', ''))} | "
                f"{_md(ms.labels.get(o, {}).get('ru', ''))} |"
                for o in ms.options
            ]
            out.append("")
    out += ["## Shared value sets", ""]
    shared_labels = shared.get("labels", {})
    for key, vals in shared_sets.items():
        out += [f"`{key}`:", ""] + _value_table(_labels(shared_labels.get(key), key), vals) + [""]
    if "missing" in shared_labels:
        out += [
            "Missing-value codes: "
            + "; ".join(f"`{k}` = {v.get('en', '')} / {v.get('ru', '')}" for k, v in shared_labels["missing"].items())
            + ".",
            "",
        ]
    out += ["## Synthetic generative model", ""]
    parts = [model_path] if model_path.exists() else []
    parts += sorted(model_path.parent.glob(f"{model_path.stem}.*.md"), key=_model_order)
    for part in parts:
        out += [part.read_text(encoding="utf-8").strip(), ""]
    if not parts:
        out += [
            "*(Not yet written: this section is read from `data/synthetic_model.md` and "
            "`data/synthetic_model.<dataset>.md`.)*",
            "",
        ]
    return "\n".join(out)


def _model_order(path: Path) -> tuple[int, str]:
    # data/synthetic_model.<dataset>.md in dataset order (a prefix such as "capacity" is enough), others last
    key = path.name.split(".")[1]
    rank = next((i for i, d in enumerate(ALL_DATASETS) if d.startswith(key) or key.startswith(d)), len(ALL_DATASETS))
    return rank, key


def write_readme(path: Path | None = None, codebooks_dir: Path | None = None) -> Path:
    """Write :func:`render_readme` to ``data/README.md`` (or ``path``) and return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_readme(pathlib.Path(tempfile.mkdtemp()) / "README.md")
    >>> p.read_text(encoding="utf-8").startswith("# Data")
    True
    """
    return atomic_write(Path(path or paths.DATA / "README.md"), render_readme(codebooks_dir).encode("utf-8"))


if __name__ == "__main__":  # python -m civcomp.io.codebook  → regenerate data/README.md
    print(f"wrote {write_readme()}")
