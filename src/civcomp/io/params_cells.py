"""The notebooks' parameters cells, written from ``params/*.yaml`` — where every parameter is typed once.

``python -m civcomp.io.params_cells`` (``make params``) rewrites the ``parameters`` cell of each
``notebooks/NN_name.py`` and of its paired ``.ipynb``; ``--check`` only lists the cells that differ
(``tests/io/test_params_cells.py`` fails on such drift). Change a parameter in ``params/``, then run it.

What a parameter file declares
------------------------------
* One line per parameter: ``name: value  # type: description``. The value is plain YAML on that one line
  (flow style for lists and maps); the comment starts with the type, one of ``int float str bool list
  dict``. The description follows the cell's conventions, which :func:`civcomp.io.params.parse_parameters_cell`
  reads back as the schema: starting with ``a | b | c`` it lists the allowed values; containing
  ``a file in data/<dir>/`` it makes the value a file that must exist there.
* ``# global keys: data_source, seed`` names the keys of ``params/global.yaml`` the notebook takes (in
  cell order); their type, value and description come from ``global.yaml``, declared the same way.
* A value ``{from: FILE, key: a.b}`` is the value of another parameter file (relative to ``params/``), e.g.
  an assumption of the synthetic twin (:func:`civcomp.io.params.follow_references`); the cell gets the value.
* Other comment lines are for the reader of the YAML and are not copied.

The cell holds what papermill needs and nothing derived: one annotated literal per parameter, laid out
as ``ruff format`` would (one line up to 120 characters, else one element per line), with its description.
Before writing, the values are checked against the schema the new cells declare (type, allowed values,
files), so ``make params`` never writes a cell its own file would fail.

Examples
--------
>>> cell = render_cell("04_appraisal_360")
>>> cell.splitlines()[0]
'data_source: str = "synthetic"  # synthetic | real (params/global.yaml)'
>>> "zero_policy: str = " in cell
True
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civcomp import paths
from civcomp.errors import ParamsError
from civcomp.io import params

TYPES = ("int", "float", "str", "bool", "list", "dict")
GLOBAL_LINE = "# global keys:"
LINE_LENGTH = 120  # ruff's line-length of the project (pyproject.toml)
CELL_MARK = '# %% tags=["parameters"]'
NOT_IN_CELLS = ("real_data",)  # keys of params/global.yaml the runner reads, no notebook


@dataclass(frozen=True)
class Declared:
    """One parameter as its file declares it: name, type, value and the description the cell repeats."""

    name: str
    type: str
    value: Any
    description: str
    source: str = ""  # "params/FILE: key" when the value is a reference to another file's value


def trailing_comment(line: str) -> str:
    """The comment that ends a YAML line (outside quotes), without ``#``; ``""`` when there is none.

    Examples
    --------
    >>> trailing_comment("label: 'a # b'  # str: en | ru")
    'str: en | ru'
    >>> trailing_comment("n: 3")
    ''
    """
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1 :].strip()
    return ""


def declarations(path: Path) -> dict[str, Declared]:
    """Every top-level key of a parameter file with a typed comment, in file order; values with references followed.

    ``real_data`` of ``global.yaml`` is not a parameter of a cell and is left out; a key without a comment, or
    with a comment that does not start with a type, raises :class:`~civcomp.errors.ParamsError` naming file and key.

    Examples
    --------
    >>> d = declarations(paths.PARAMS / "03_innovative_capacity.yaml")["rotation"]
    >>> d.type, d.value, d.description.split(":")[0]
    ('str', 'none', 'none | varimax | oblimin | promax')
    """
    path = Path(path)
    raw = params.read_params_file(path)
    values = params.follow_references(raw, path)
    where = f"params/{path.name}" if path.parent.name == "params" else str(path)
    out: dict[str, Declared] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z_]\w*)\s*:", line)
        if not m or m.group(1) not in values or m.group(1) in NOT_IN_CELLS:
            continue
        name, comment = m.group(1), trailing_comment(line)
        kind, _, description = comment.partition(":")
        if kind.strip() not in TYPES:
            raise ParamsError(
                f"{where}: {name}: the comment must start with the type ({', '.join(TYPES)}), e.g. "
                f"'# int: what it is', got '# {comment}'"
            )
        ref = raw[name] if values[name] is not raw[name] else {}
        source = f"params/{ref['from']}: {ref['key']}" if ref else ""
        out[name] = Declared(name, kind.strip(), values[name], description.strip(), source)
    return out


def global_keys(path: Path) -> list[str]:
    """The keys of ``params/global.yaml`` a step's file names on its ``# global keys:`` line.

    Examples
    --------
    >>> global_keys(paths.PARAMS / "05_report.yaml")
    ['data_source', 'seed', 'min_cell_size']
    """
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith(GLOBAL_LINE):
            return [k.strip() for k in line[len(GLOBAL_LINE) :].split(",") if k.strip()]
    raise ParamsError(f"params/{Path(path).name}: no '{GLOBAL_LINE} ...' line naming the keys of params/global.yaml")


def literal(value: Any, kind: str | None = None) -> str:
    """Python source of a plain value, in ``ruff format``'s style (double quotes); ``kind="float"`` writes ``5.0``.

    Examples
    --------
    >>> literal({"a": [1, "x"], "b": True}), literal(5, "float"), literal("it's")
    ('{"a": [1, "x"], "b": True}', '5.0', '"it\\'s"')
    """
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def cell_line(name: str, kind: str, value: Any, comment: str) -> str:
    """One annotated literal as ``ruff format`` lays it out: one line when it fits, else one element per line.

    Examples
    --------
    >>> print(cell_line("k", "list", ["a" * 60, "b" * 60], "two"))
    k: list = [
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ]  # two
    """
    tail = f"  # {comment}" if comment else ""
    one = f"{name}: {kind} = {literal(value, kind)}{tail}"
    if len(one) <= LINE_LENGTH or not isinstance(value, (list, dict)) or not value:
        return one
    items = (
        [literal(v) for v in value]
        if isinstance(value, list)
        else [f"{literal(str(k))}: {literal(v)}" for k, v in value.items()]
    )
    opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
    return "\n".join([f"{name}: {kind} = {opening}", *(f"    {i}," for i in items), f"{closing}{tail}"])


def render_cell(step: str, params_dir: Path | None = None) -> str:
    """The source of ``step``'s parameters cell (without the ``# %%`` line), from ``params/``.

    Global keys come first, in the order of the step's ``# global keys:`` line, their description
    followed by ``(params/global.yaml)``; then the step's own keys in file order (a referenced value's
    description followed by the file and key it comes from).

    Examples
    --------
    >>> render_cell("02_digital_survey").splitlines()[-1]
    '}  # ILLUSTRATIVE assumption: relative size of the local civil service by region (params/synthetic/capacity_survey.yaml: regional.region_weights)'
    """
    params_dir = Path(params_dir or paths.PARAMS)
    own_file = params_dir / f"{step}.yaml"
    shared = declarations(params_dir / "global.yaml")
    lines = []
    for key in global_keys(own_file):
        if key not in shared:
            raise ParamsError(f"params/{own_file.name}: global key {key!r} has no typed line in params/global.yaml")
        d = shared[key]
        lines.append(_fitted(d, f"{d.description} (params/global.yaml)".strip(), "global.yaml"))
    for d in declarations(own_file).values():
        lines.append(_fitted(d, f"{d.description} ({d.source})" if d.source else d.description, own_file.name))
    return "\n".join(lines) + "\n"


def _fitted(d: Declared, comment: str, file: str) -> str:
    # ruff format would wrap a long plain value in parentheses: the description must leave it on one line
    text = cell_line(d.name, d.type, d.value, comment)
    if "\n" not in text and len(text) > LINE_LENGTH:
        raise ParamsError(
            f"params/{file}: {d.name}: its cell line would be {len(text)} characters (at most {LINE_LENGTH}): "
            "shorten the description"
        )
    return text


def check_values(step: str, cell: str, params_dir: Path | None = None, root: Path | None = None) -> list[str]:
    """Problems of ``step``'s values against the schema ``cell`` declares (as :func:`params.snapshot` will check)."""
    params_dir = Path(params_dir or paths.PARAMS)
    schema = params.parse_parameters_cell(f"{CELL_MARK}\n{cell}")
    shared = {k: v for k, v in schema.items() if k in params.GLOBAL_KEYS}
    return params.validate_global(
        {k: v for k, v in params.load_global(params_dir).items() if k in shared}, shared, root
    ) + params.validate_step(step, params.load_step(step, params_dir), schema, root)


def replace_cell(source: str, cell: str) -> str:
    """``source`` (a jupytext ``.py``) with the body of its parameters cell replaced by ``cell``."""
    lines = source.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.startswith("# %%") and "parameters" in ln), None)
    if start is None:
        raise ParamsError("no cell tagged 'parameters'")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# %%")), len(lines))
    return "".join(lines[: start + 1]) + cell + ("\n" if end < len(lines) else "") + "".join(lines[end:])


def _replace_ipynb_cell(text: str, cell: str) -> str:
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    found = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(found) != 1:
        raise ParamsError(f"expected one cell tagged 'parameters', found {len(found)}")
    found[0].source = cell.rstrip("\n")
    return nbformat.writes(nb)


def write_cells(
    steps: tuple[str, ...] = params.STEPS,
    params_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    check: bool = False,
) -> list[Path]:
    """Write every step's parameters cell into ``notebooks/<step>.py`` and ``.ipynb``; return the files that changed.

    With ``check=True`` nothing is written: the return value lists the files that would change. Every problem
    of the values (against the schema the new cells declare) raises one :class:`~civcomp.errors.ParamsError`
    before anything is written.
    """
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS)
    params_dir = Path(params_dir or paths.PARAMS)
    new: dict[Path, str] = {}
    probs: list[str] = []
    for step in steps:
        cell = render_cell(step, params_dir)
        probs += check_values(step, cell, params_dir, params_dir.parent)
        py = notebooks_dir / f"{step}.py"
        new[py] = replace_cell(py.read_text(encoding="utf-8"), cell)
        ipynb = py.with_suffix(".ipynb")
        if ipynb.is_file():
            new[ipynb] = _replace_ipynb_cell(ipynb.read_text(encoding="utf-8"), cell)
    if probs:
        raise ParamsError(f"{len(probs)} problem(s) in the parameter files:\n  " + "\n  ".join(dict.fromkeys(probs)))
    changed = [p for p, text in new.items() if p.read_text(encoding="utf-8") != text]
    if not check:
        for p in changed:
            p.write_text(new[p], encoding="utf-8")
    return changed


def cell_values(cell: str) -> dict[str, Any]:
    """The literal of every name a generated cell assigns (what papermill would replace).

    Examples
    --------
    >>> cell_values('k: int = 3  # count\\nw: dict = {"a": 1.5}\\n')
    {'k': 3, 'w': {'a': 1.5}}
    """
    return {n.target.id: ast.literal_eval(n.value) for n in ast.parse(cell).body if isinstance(n, ast.AnnAssign)}


def main(argv: list[str] | None = None) -> int:
    """``python -m civcomp.io.params_cells [--check]``: write (or check) the cells; 1 when ``--check`` finds drift."""
    ap = argparse.ArgumentParser(prog="python -m civcomp.io.params_cells", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; list the notebooks whose cell differs")
    args = ap.parse_args(argv)
    try:
        changed = write_cells(check=args.check)
    except ParamsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in changed:
        rel = p.relative_to(paths.ROOT)
        print(f"{'differs from params/' if args.check else 'wrote'}: {rel}")
    if args.check and changed:
        print("run `make params` to write the cells from params/", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
