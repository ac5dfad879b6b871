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

``data/README.md`` is generated from these codebooks by :mod:`civcomp.io.codebook_readme`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.errors import CivcompError
from civcomp.io.params import ParamsError, read_yaml

DATASETS = ("postings", "digital_survey", "capacity_survey", "appraisal_360")
COMPANIONS = ("postings_truth", "postings_gold")  # keyed to postings.id
ALL_DATASETS = DATASETS + COMPANIONS
TYPES = ("string", "category", "integer", "number", "date")
LANGS = ("en", "ru")


class CodebookError(CivcompError, ValueError):
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
        return self.lookup(name).get(norm(text))


def norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _lookup(cb: Codebook, name: str) -> dict[str, str]:
    f = cb.field(name)
    out: dict[str, str] = {}
    for code in f.values:
        for spelling in [code, *f.labels.get(code, {}).values()]:
            key = norm(spelling)
            if out.get(key, code) != code:
                raise CodebookError(
                    f"codebook {cb.name}, field {name}: {spelling!r} labels both {out[key]!r} and {code!r}"
                )
            out[key] = code
    return out


def _text(raw: Any) -> str:
    return " ".join(str(raw).split()) if raw is not None else ""


def value_labels(raw: Any, where: str) -> dict[str, dict[str, str]]:
    """The ``{code: {en: text, ru: text}}`` labels of a codebook entry, checked; ``where`` names it in errors.

    Examples
    --------
    >>> value_labels({"self": {"en": "Self", "ru": "Самооценка"}}, "demo")["self"]["en"]
    'Self'
    >>> value_labels({"x": {"en": True}}, "demo")
    Traceback (most recent call last):
    ...
    civcomp.io.codebook.CodebookError: demo: labels of 'x' must be {en: text, ru: text} with quoted text, got {'en': True}
    """
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
    labels = value_labels(spec.get("labels"), f"{where} field {name}")
    if ftype == "category":
        if "values_from" in spec:
            key = spec["values_from"]
            if key not in shared:
                raise CodebookError(f"{where}: field {name} values_from {key!r} is not in _shared.yaml")
            raw_values = shared[key]
            labels = {**value_labels(shared.get("labels", {}).get(key), f"_shared.yaml labels.{key}"), **labels}
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
        label=value_labels({"_": spec.get("label") or {}}, where)["_"],
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
    ms_values = value_labels(spec.get("multiselect_values"), where)
    for g in spec.get("multiselect") or []:
        ms = MultiSelect(
            prefix=g["prefix"],
            question=_text(g.get("question", "")),
            question_ru=_text(g.get("question_ru", "")),
            options=tuple(g["options"]),
            labels=value_labels(g.get("labels"), where),
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
