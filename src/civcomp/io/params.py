"""Read, validate and resolve the YAML parameter files in ``params/`` — the one source of parameters.

``params/global.yaml`` holds what every step shares (seed, data source, disclosure
threshold, real-data paths); ``params/<step>.yaml`` holds one notebook's parameters.

One source
----------
A notebook's ``parameters`` cell keeps plain annotated literals (papermill's contract);
the cell after it calls :func:`resolve`, so the values come from ``params/`` however the
notebook is run:

* by the runner (``civcomp reproduce``): the runner reads the files **once** per run
  (:func:`snapshot`), validates them, and injects the values plus the sentinel
  ``_civcomp_snapshot`` (the snapshot's hash); :func:`resolve` then keeps the injected
  values and reads nothing;
* in JupyterLab, with ``jupyter nbconvert --execute`` or with papermill by hand: no
  sentinel, so :func:`resolve` reads ``params/global.yaml`` and ``params/<step>.yaml``,
  validates them with the same schema and overrides the cell's defaults. A value that
  differs from the cell's literal (set by ``papermill -p`` or edited in the cell) is
  kept and named.

Schema
------
The schema is typed once, in ``params/`` (each key's comment starts with its type), and
:mod:`civcomp.io.params_cells` (``make params``) writes it with the values into every parameters
cell; a test fails when a cell differs from what ``make params`` would write. A parameter file is
validated against the cell (its last compiled schema, so a typo in a later edit of the YAML is
caught): the annotation gives the type (``int``, ``float``, ``str``, ``bool``, ``list``,
``dict``), a comment that starts with ``a | b | c`` gives the allowed values, a comment saying
``a file in data/<dir>/`` (or ``in data/<dir>/``) makes the value a file that must exist there.
The global schema is the union of the notebooks' global keys plus ``real_data``.
:func:`validate_all` checks every file and lists every problem at once (file, key, value, and a
did-you-mean for unknown keys).

Only plain YAML is accepted: strings, numbers, booleans, null, lists and maps. Tags such
as ``!!binary``, ``!!set``, ``!!python/...`` and implicit timestamps are refused before any
value is built, so no parameter can smuggle code into a notebook.

Examples
--------
>>> from civcomp.io import params
>>> params.loads_plain("a: 1\\nb: [x, 2.5]", "demo.yaml")
{'a': 1, 'b': ['x', 2.5]}
>>> params.loads_plain("a: !!binary aGk=", "demo.yaml")
Traceback (most recent call last):
...
civcomp.io.yaml_safe.YamlError: demo.yaml, line 1: tag !!binary is not allowed in a parameter file (plain strings, numbers, booleans, lists and maps only)

Size: one job, reading the parameter files and checking them against the schema the cells carry, for the
runner and for a notebook (writing the cells from the files is :mod:`civcomp.io.params_cells`).
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import io
import json
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.errors import ParamsError
from civcomp.io import yaml_safe

GLOBAL_KEYS = ("data_source", "seed", "min_cell_size")
PARAMS_ENV = "CIVCOMP_PARAMS_DIR"  # an interactive run may read another params/ folder (tests, trials)
SENTINEL = "_civcomp_snapshot"  # injected by the runner: the hash of the parameter snapshot it used
STEPS = ("01_content_analysis", "02_digital_survey", "03_innovative_capacity", "04_appraisal_360", "05_report")
# datasets each step reads (in real mode a step runs only when its own files are present)
STEP_DATASETS = {
    "01_content_analysis": ("postings",),
    "02_digital_survey": ("digital_survey",),
    "03_innovative_capacity": ("capacity_survey",),
    "04_appraisal_360": ("capacity_survey", "appraisal_360"),
    "05_report": (),
}
REAL_DATASETS = ("postings", "postings_gold", "digital_survey", "capacity_survey", "appraisal_360")
# bounds no annotation can express
BOUNDS = {"min_cell_size": (2, None), "confidence": (0, 1), "seed": (0, None)}
# the global keys every project knows (a notebook declaring one makes it required in global.yaml)
BASE_GLOBAL = {
    "data_source": ("str", "synthetic", ("synthetic", "real")),
    "seed": ("int", 20250412, ()),
    "min_cell_size": ("int", 5, ()),
}
_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}


# --------------------------------------------------------------------------- plain YAML
def loads_plain(text: str, where: str) -> Any:
    """Parse ``text`` as plain YAML (scalars, lists, maps) with :mod:`civcomp.io.yaml_safe`'s limits.

    Raises :class:`ParamsError` (one line naming ``where`` and the line): a tag, a repeated key, nesting
    deeper than ``yaml_safe.MAX_DEPTH``, aliases that expand beyond ``yaml_safe.MAX_VALUES``.
    """
    return yaml_safe.loads(text, where)


def read_yaml(path: Path) -> dict[str, Any]:
    """Return the mapping stored in ``path`` (plain YAML, :mod:`civcomp.io.yaml_safe`); raise :class:`ParamsError`."""
    try:
        data = yaml_safe.load(path)
    except FileNotFoundError:
        raise ParamsError(f"{path}: parameter file not found") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of names to values, got {type(data).__name__}")
    return data


def read_params_file(path: Path) -> dict[str, Any]:
    """A parameter file as a mapping, plain YAML only; raise :class:`ParamsError` naming the file."""
    try:
        data = yaml_safe.load(path, _rel(path))
    except FileNotFoundError:
        raise ParamsError(f"{_rel(path)}: parameter file not found") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{_rel(path)}: expected a mapping of names to values, got {type(data).__name__}")
    return data


def _rel(path: Path) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return f"{p.parent.name}/{p.name}" if p.parent.name == "params" else str(p)


def load_global(params_dir: Path | None = None) -> dict[str, Any]:
    """Parameters shared by every step (``params/global.yaml``), plain YAML, not validated."""
    return read_params_file((params_dir or paths.PARAMS) / "global.yaml")


def load_step(step: str, params_dir: Path | None = None) -> dict[str, Any]:
    """Parameters of one notebook step (``params/<step>.yaml``), references followed; empty if the file is absent."""
    path = (params_dir or paths.PARAMS) / f"{step}.yaml"
    return follow_references(read_params_file(path), path) if path.exists() else {}


REFERENCE = ("from", "key")  # a value {from: <file in params/>, key: <dotted key>} is that file's value


def follow_references(values: dict[str, Any], path: Path) -> dict[str, Any]:
    """``values`` (read from ``path``) with every reference ``{from: FILE, key: a.b}`` replaced by the value it names.

    ``FILE`` is relative to the folder of ``path``; the reference gives a value shared with another parameter file
    (e.g. an assumption of the synthetic twin) one home.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "twin.yaml").write_text("regional: {weights: {a: 1.5, b: 2.0}}")
    >>> follow_references({"w": {"from": "twin.yaml", "key": "regional.weights"}, "k": 3}, d / "step.yaml")
    {'w': {'a': 1.5, 'b': 2.0}, 'k': 3}
    >>> follow_references({"w": {"from": "twin.yaml", "key": "regional.size"}}, d / "step.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    civcomp.errors.ParamsError: ...step.yaml: w: twin.yaml has no key 'regional.size'
    """
    out = {}
    for name, value in values.items():
        if isinstance(value, dict) and sorted(value) == sorted(REFERENCE):
            source = Path(path).parent / str(value["from"])
            where = f"{_rel(path)}: {name}"
            if not source.resolve().is_relative_to(Path(path).parent.resolve()) or not source.is_file():
                raise ParamsError(f"{where}: {value['from']} not found next to {Path(path).name}")
            value_at = read_params_file(source)
            for part in str(value["key"]).split("."):
                if not isinstance(value_at, dict) or part not in value_at:
                    raise ParamsError(f"{where}: {value['from']} has no key {value['key']!r}")
                value_at = value_at[part]
        else:
            value_at = value
        out[name] = value_at
    return out


def data_source(params_dir: Path | None = None) -> str:
    """``"synthetic"`` (the default twin) or ``"real"`` (the team's microdata)."""
    src = load_global(params_dir).get("data_source", "synthetic")
    if src not in ("synthetic", "real"):
        raise ParamsError(f"params/global.yaml: data_source must be 'synthetic' or 'real', got {src!r}")
    return src


# --------------------------------------------------------------------------- schema
@dataclass(frozen=True)
class Spec:
    """What one parameter may hold: type, default (the cell's literal), allowed values, a folder it names."""

    name: str
    type: str
    default: Any = None
    choices: tuple[str, ...] = ()
    folder: str = ""  # the value is a file in this folder (relative to the repository)


def _cell_lines(source: str) -> list[str]:
    lines = source.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("# %%") and "parameters" in ln), None)
    if start is None:
        raise ParamsError("no cell tagged 'parameters'")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# %%")), len(lines))
    return lines[start + 1 : end]


def parse_parameters_cell(source: str) -> dict[str, Spec]:
    """The :class:`Spec` of every name in a jupytext parameters cell (``source``: the whole ``.py``).

    Examples
    --------
    >>> nb = '# %% tags=["parameters"]\\nrule: str = "a"  # a | b: the rule\\nk: int = 3  # count\\n# %%\\nx = 1\\n'
    >>> parse_parameters_cell(nb)["rule"].choices
    ('a', 'b')
    """
    cell = "\n".join(_cell_lines(source)) + "\n"
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(cell).readline)
        if tok.type == tokenize.COMMENT
    }
    out: dict[str, Spec] = {}
    for node in ast.parse(cell).body:
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.annotation, ast.Name)
            and node.annotation.id in _TYPES
        ):
            raise ParamsError(
                f"the parameters cell may hold only annotated literals (int, float, str, bool, list, "
                f"dict), found: {ast.unparse(node)}"
            )
        comment = comments.get(node.lineno, "")
        head = re.split(r"[:(]", comment, maxsplit=1)[0]
        parts = [p.strip() for p in head.split("|")]
        choices = tuple(parts) if len(parts) > 1 and all(re.fullmatch(r"\w+", p) for p in parts) else ()
        m = re.search(r"\bin (data/[\w/]+?)/?(?:\s|$|,|;)", comment)
        out[node.target.id] = Spec(
            node.target.id, node.annotation.id, ast.literal_eval(node.value), choices, m.group(1) if m else ""
        )
    return out


def step_schema(step: str, notebooks_dir: Path | None = None) -> dict[str, Spec]:
    """Schema of ``params/<step>.yaml`` and of the global keys the notebook declares (from its parameters cell)."""
    path = (notebooks_dir or paths.NOTEBOOKS) / f"{step}.py"
    try:
        return parse_parameters_cell(path.read_text(encoding="utf-8"))
    except ParamsError as exc:
        raise ParamsError(f"{_rel(path)}: {exc}") from None


def _check(spec: Spec, value: Any, where: str, root: Path) -> list[str]:
    """Problems of one value (empty list when it is fine)."""
    want = _TYPES[spec.type]
    shown = "null" if value is None else repr(value)
    if (
        value is None
        or isinstance(value, bool) != (want is bool)
        or not (isinstance(value, want) or (want is float and isinstance(value, int)))
    ):
        return [
            f"{where}: expected {_article(spec.type)}, got {shown}"
            + (" (YAML reads yes/no/on/off as booleans)" if isinstance(value, bool) else "")
        ]
    probs = []
    if spec.choices and value not in spec.choices:
        close = difflib.get_close_matches(str(value), spec.choices, n=1)
        probs.append(
            f"{where}: {shown} is not one of {' | '.join(spec.choices)}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
        )
    lo, hi = BOUNDS.get(spec.name, (None, None))
    if lo is not None and value < lo or hi is not None and value > hi:
        bound = f"at least {lo}" if hi is None else f"between {lo} and {hi}"
        probs.append(f"{where}: must be {bound}, got {shown}")
    if spec.name == "confidence" and value in (0, 1):
        probs.append(f"{where}: must be strictly between 0 and 1, got {shown}")
    if spec.folder and isinstance(value, str) and not (root / spec.folder / value).is_file():
        probs.append(f"{where}: {spec.folder}/{value} not found")
    if isinstance(value, (list, dict)):
        items = value.values() if isinstance(value, dict) else value
        if any(isinstance(v, (list, dict)) for v in items) and spec.name not in ():
            probs.append(f"{where}: expected a flat {spec.type} of plain values")
    return probs


def _article(t: str) -> str:
    return {
        "int": "an integer",
        "float": "a number",
        "str": "a string",
        "bool": "true or false",
        "list": "a list",
        "dict": "a mapping",
    }[t]


def _unknown(key: str, known: list[str], where: str, what: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"{where}: unknown key {key!r}{f' (did you mean {close[0]!r}?)' if close else ''}; {what}"


def global_schema(steps: tuple[str, ...] = STEPS, notebooks_dir: Path | None = None) -> dict[str, Spec]:
    """The global keys every notebook declares, merged (the first declaration gives type and choices)."""
    out: dict[str, Spec] = {}
    for s in steps:
        for k, spec in step_schema(s, notebooks_dir).items():
            if k in GLOBAL_KEYS and k not in out:
                out[k] = spec
    return out


def validate_global(values: dict[str, Any], schema: dict[str, Spec], root: Path | None = None) -> list[str]:
    """Every problem of ``params/global.yaml`` (missing keys, unknown keys, types, values, real_data)."""
    where = "params/global.yaml"
    probs = []
    base = {k: Spec(k, *v) for k, v in BASE_GLOBAL.items()}
    known = [*dict.fromkeys([*schema, *base]), "real_data"]
    for k in values:
        if k not in known:
            probs.append(_unknown(k, known, where, f"keys are: {', '.join(known)}"))
    for k, spec in schema.items():
        if k not in values:
            probs.append(f"{where}: missing key {k!r} ({_article(spec.type)}; e.g. {k}: {spec.default!r})")
    for k, v in values.items():
        if k in base or k in schema:
            probs += _check(schema.get(k, base.get(k)), v, f"{where}: {k}", root or paths.ROOT)
    rd = values.get("real_data", {})
    if not isinstance(rd, dict):
        probs.append(f"{where}: real_data: expected a mapping of dataset to file path, got {rd!r}")
    else:
        for k, v in rd.items():
            if k not in REAL_DATASETS:
                probs.append(
                    _unknown(k, list(REAL_DATASETS), f"{where}: real_data", f"datasets are: {', '.join(REAL_DATASETS)}")
                )
            elif not isinstance(v, str) or not v.strip():
                probs.append(
                    f"{where}: real_data.{k}: expected a file path (relative to the repository), got "
                    f"{'null' if v is None else repr(v)}"
                )
            else:
                probs += real_path_problems(f"{where}: real_data.{k}", v, root or paths.ROOT)
    return probs


def real_path_problems(where: str, value: str, root: Path) -> list[str]:
    """A real file lies under ``data/raw/`` or, given as an absolute path, outside the repository.

    A relative path that climbs out of ``data/raw/``, or any path into ``data/synthetic/``, ``outputs/`` or
    elsewhere in the repository, is refused (the twin or an output must never pass for the real data).

    Examples
    --------
    >>> real_path_problems("real_data.postings", "data/raw/postings.csv", paths.ROOT)
    []
    >>> real_path_problems("real_data.postings", "../synthetic/postings.synthetic.csv", paths.ROOT)[0]
    "real_data.postings: '../synthetic/postings.synthetic.csv' is not under data/raw/ (a real file is under data/raw/, or an absolute path outside the repository)"
    """
    root = Path(os.path.abspath(root))
    raw = root / "data" / "raw"
    given = Path(value)
    lexical = Path(os.path.normpath(given if given.is_absolute() else root / given))
    resolved = lexical.resolve()

    def within(p: Path, folder: Path) -> bool:
        return p.is_relative_to(folder) or p.is_relative_to(folder.resolve())

    for folder in ("data/synthetic", "outputs", "data/processed"):
        if within(lexical, root / folder) or within(resolved, root / folder):
            return [
                f"{where}: {value!r} points into {folder}/, which the pipeline writes; a real file is under "
                "data/raw/, or an absolute path outside the repository"
            ]
    if given.is_absolute():
        ok = not (within(lexical, root) or within(resolved, root)) or (within(lexical, raw) and within(resolved, raw))
    else:
        ok = lexical.is_relative_to(raw) and (within(resolved, raw) or not within(resolved, root))
    if ok:
        return []
    return [
        f"{where}: {value!r} is not under data/raw/ (a real file is under data/raw/, or an absolute path "
        "outside the repository)"
    ]


def validate_step(step: str, values: dict[str, Any], schema: dict[str, Spec], root: Path | None = None) -> list[str]:
    """Every problem of ``params/<step>.yaml``: unknown keys (did-you-mean), types, allowed values, files."""
    where = f"params/{step}.yaml"
    own = [k for k in schema if k not in GLOBAL_KEYS]
    probs = []
    for k, v in values.items():
        if k in GLOBAL_KEYS:
            probs.append(f"{where}: {k!r} belongs in params/global.yaml (shared by every step)")
        elif k not in schema:
            probs.append(_unknown(k, own, where, f"the notebook's parameters are: {', '.join(own) or '(none)'}"))
        else:
            probs += _check(schema[k], v, f"{where}: {k}", root or paths.ROOT)
    return probs


# --------------------------------------------------------------------------- snapshot
@dataclass(frozen=True)
class Snapshot:
    """Parameters read once: the global mapping, each step's merged values, and a hash of it all."""

    global_: dict[str, Any]
    steps: dict[str, dict[str, Any]]  # step -> every parameter of its cell (defaults, global keys, own file)

    def digest(self, step: str | None = None) -> str:
        """SHA-256 of the canonical JSON of one step's values (or of the whole snapshot)."""
        return _digest(self.steps.get(step, {}) if step else {"global": self.global_, "steps": self.steps})


def snapshot(
    steps: tuple[str, ...] = STEPS,
    params_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    root: Path | None = None,
) -> Snapshot:
    """Read and validate ``global.yaml`` and every step's YAML once; raise one :class:`ParamsError` listing all.

    Parameters
    ----------
    steps : tuple of str
        Notebook steps whose files are read (each needs ``notebooks/<step>.py``).

    Examples
    --------
    >>> snap = snapshot()
    >>> snap.steps["03_innovative_capacity"]["extraction_method"] in ("principal", "minres", "pa", "ml")
    True
    """
    params_dir = params_dir or paths.PARAMS
    root = root or params_dir.parent
    probs: list[str] = []
    schemas: dict[str, dict[str, Spec]] = {}
    for s in steps:
        try:
            schemas[s] = step_schema(s, notebooks_dir)
        except ParamsError as exc:
            probs.append(str(exc))
    gschema: dict[str, Spec] = {}
    for sc in schemas.values():
        for k, spec in sc.items():
            if k in GLOBAL_KEYS:
                gschema.setdefault(k, spec)
    try:
        gvals = load_global(params_dir)
        probs += validate_global(gvals, gschema, root)
    except ParamsError as exc:
        gvals = {}
        probs.append(str(exc))
    merged: dict[str, dict[str, Any]] = {}
    for s, sc in schemas.items():
        try:
            own = load_step(s, params_dir)
        except ParamsError as exc:
            probs.append(str(exc))
            continue
        probs += validate_step(s, own, sc, root)
        vals = {k: spec.default for k, spec in sc.items()}
        vals.update({k: gvals[k] for k in GLOBAL_KEYS if k in sc and k in gvals})
        vals.update({k: v for k, v in own.items() if k in sc and k not in GLOBAL_KEYS})
        merged[s] = {k: float(v) if sc[k].type == "float" and isinstance(v, int) else v for k, v in vals.items()}
    if probs:
        raise ParamsError(f"{len(probs)} problem(s) in the parameter files:\n  " + "\n  ".join(probs))
    return Snapshot(gvals, merged)


# --------------------------------------------------------------------------- in the notebook
def resolve(
    step: str,
    namespace: dict[str, Any],
    params_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    verbose: bool = True,
) -> dict[str, Any]:
    """Give a notebook the pipeline's parameters, however it is run; return them.

    Called in the cell after the parameters cell with ``globals()``. When the runner
    injected the values (the ``_civcomp_snapshot`` sentinel is set), they are kept — after
    checking them against the schema and checking that the sentinel is the hash of exactly
    these values (a sentinel set by hand, or a value changed after injection, is refused). Otherwise ``params/`` (or the folder named by ``$CIVCOMP_PARAMS_DIR``) is read and validated and its values replace the
    cell's defaults in ``namespace``; a value that differs from the cell's literal (set
    with ``papermill -p`` or edited by hand) is kept and named.

    Raises
    ------
    ParamsError
        A parameter file is malformed, or a value set outside it (``papermill -p``, an edit of the
        parameters cell, the runner's injection) breaks the schema — e.g. ``min_cell_size`` below 2 —
        or the sentinel does not match; the message lists every problem with its key.

    Examples
    --------
    >>> ns = {"extraction_method": "principal"}
    >>> got = resolve("03_innovative_capacity", ns, verbose=False)
    >>> ns["extraction_method"] == snapshot().steps["03_innovative_capacity"]["extraction_method"]
    True
    """
    schema = step_schema(step, notebooks_dir)
    if params_dir is None and os.environ.get(PARAMS_ENV):
        params_dir = Path(os.environ[PARAMS_ENV])
    if namespace.get(SENTINEL):
        values = {k: namespace.get(k) for k in schema}
        _refuse_bad_values(step, schema, values, "as injected")
        if _digest(values) != namespace[SENTINEL]:  # e.g. papermill -p _civcomp_snapshot x, or a value changed
            raise ParamsError(
                f"{step}: {SENTINEL} = {str(namespace[SENTINEL])[:20]!r} does not match the parameter values "
                "(the runner injects the hash of the values it validated); run civcomp reproduce, or run "
                f"without -p {SENTINEL} to read params/"
            )
        return values
    snap = snapshot((step,), params_dir, notebooks_dir, paths.ROOT)
    values = dict(snap.steps[step])
    kept = {k: namespace[k] for k, spec in schema.items() if k in namespace and namespace[k] != spec.default}
    _refuse_bad_values(step, schema, kept, "as set in this session (papermill -p or the parameters cell)")
    values.update(kept)
    namespace.update(values)
    if verbose:
        where = "params" if params_dir is None else _rel(params_dir)
        print(
            f"parameters: {where}/global.yaml + {where}/{step}.yaml"
            + (f"; kept as set in this session: {', '.join(f'{k}={v!r}' for k, v in kept.items())}" if kept else "")
        )
    return values


def _digest(values: dict[str, Any]) -> str:
    """The hash :meth:`Snapshot.digest` gives the same values (what the runner injects as the sentinel)."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _refuse_bad_values(step: str, schema: dict[str, Spec], values: dict[str, Any], how: str) -> None:
    """Values set outside the parameter files pass the same schema (types, choices, bounds such as
    ``min_cell_size`` ≥ 2, files); raise one :class:`ParamsError` listing every problem."""
    probs = [p for k, v in values.items() if k in schema for p in _check(schema[k], v, f"{step}: {k}", paths.ROOT)]
    if probs:
        raise ParamsError(f"{len(probs)} problem(s) in the values {how}:\n  " + "\n  ".join(probs))
