"""The package's shape: no import cycles, no internal imports hidden in functions, modules of a readable size."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from civcomp import paths

SRC = paths.ROOT / "src" / "civcomp"
MAX_LINES = 400  # a longer module says in its docstring the one job it does ("Size: one job, …")
HARD_LIMIT = 600  # no module is longer


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _internal_imports(path: Path, modules: dict[str, Path]) -> tuple[set[str], list[str]]:
    """civcomp modules imported at module level, and imports of civcomp found inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    nested: list[str] = []

    def targets(node) -> set[str]:
        out = set()
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
        return {m for m in out if m in modules}

    for node in tree.body:
        top |= targets(node)
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if targets(node):
                    nested.append(f"{path.name}:{node.lineno}")
    return top, nested


def import_graph() -> dict[str, set[str]]:
    """Module → the civcomp modules it imports at load time (a package's ``__init__`` counts as imported)."""
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        deps, _ = _internal_imports(path, mods)
        graph[name] = {d for d in deps if d != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        colour[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            # importing a.b.c first runs a/__init__ and a/b/__init__; a package never waits on its own children
            if n.startswith(m + "."):
                continue
            if colour.get(m) == 1:
                return stack[stack.index(m) :] + [m]
            if colour.get(m) is None:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        colour[n] = 2
        return None

    for n in sorted(graph):
        if colour.get(n) is None:
            found = visit(n)
            if found:
                return found
    return None


def test_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_cycle_detector_can_fail():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_internal_import_inside_functions():
    mods = _modules()
    nested = [loc for p in mods.values() for loc in _internal_imports(p, mods)[1]]
    assert nested == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_size_or_reason(name):
    path = _modules()[name]
    n = len(path.read_text(encoding="utf-8").splitlines())
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert n <= HARD_LIMIT, f"{path.relative_to(paths.ROOT)} has {n} lines (at most {HARD_LIMIT})"
    assert n <= MAX_LINES or "Size: one job" in doc, (
        f"{path.relative_to(paths.ROOT)} has {n} lines and no 'Size: one job' note"
    )


# ---------------------------------------------------------------- the declared layers
def declared_layers() -> list[tuple[str, set[str]]]:
    """The layer map of ``civcomp.__doc__``: (top-level name, the modules its description names), in order."""
    import civcomp

    rows: list[tuple[str, set[str]]] = []
    for line in civcomp.__doc__.splitlines():
        m = re.match(r"^``civcomp\.(\w+)``\s+(.*)$", line)
        if m:
            rows.append((m.group(1), set()))
            line = m.group(2)
        elif not rows or not line.startswith(" ") or line.strip().startswith("==="):
            continue
        rows[-1][1].update(re.findall(r"``(\w+)``", line))
    return rows


def layer_of(module: str, order: dict[str, int]) -> int:
    return order[module.split(".")[1]] if module.count(".") else -1


def layer_violations(graph: dict[str, set[str]], order: dict[str, int]) -> list[str]:
    """Imports that point downwards in the declared order (a layer imports only from layers above it)."""
    out = []
    for mod, deps in graph.items():
        if mod == "civcomp":
            continue
        for dep in deps:
            if dep != "civcomp" and layer_of(dep, order) > layer_of(mod, order):
                out.append(f"{mod} imports {dep}")
    return sorted(out)


def test_layer_map_matches_the_tree():
    layers = declared_layers()
    top = {
        p.stem if p.is_file() else p.name for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    top.discard("__init__")
    assert [name for name, _ in layers if name not in top] == [], "the map names what the tree does not have"
    assert sorted(top - {name for name, _ in layers}) == [], "the tree has what the map does not name"
    for name, named in layers:
        pkg = SRC / name
        if not pkg.is_dir():
            continue
        children = {p.stem for p in pkg.glob("*.py") if p.stem != "__init__"}
        children |= {p.name for p in pkg.iterdir() if p.is_dir() and p.name != "__pycache__"}
        assert named == children, (
            f"civcomp.{name}: the map names {sorted(named - children)} not in the tree, omits {sorted(children - named)}"
        )


def test_layer_order_is_kept():
    order = {name: i for i, (name, _) in enumerate(declared_layers())}
    assert layer_violations(import_graph(), order) == []


def test_layer_order_check_can_fail():
    order = {"io": 0, "stats": 1}
    assert layer_violations({"civcomp.io.x": {"civcomp.stats.y"}, "civcomp.stats.y": set()}, order) == [
        "civcomp.io.x imports civcomp.stats.y"
    ]


# ---------------------------------------------------------------- private names stay private
def private_imports(path: Path, modules: dict[str, Path]) -> list[str]:
    """Imports of another module's underscore names, and attribute reads ``mod._name`` of an imported module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _module_name(path) if SRC in path.parents else ""
    bound: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("civcomp"):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if any(part.startswith("_") and not part.startswith("__") for part in full.split(".")):
                    if node.module != own:
                        found.append(f"{path.name}:{node.lineno} from {node.module} import {a.name}")
                if full in modules:
                    bound[a.asname or a.name] = full
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("civcomp"):
                    if any(p.startswith("_") and not p.startswith("__") for p in a.name.split(".")):
                        found.append(f"{path.name}:{node.lineno} import {a.name}")
                    if a.asname:
                        bound[a.asname] = a.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def _code_files() -> list[Path]:
    roots = [SRC, paths.ROOT / "notebooks", paths.ROOT / "bench", paths.ROOT / "tools"]
    return [p for r in roots for p in sorted(r.rglob("*.py"))]


def test_no_module_imports_another_modules_private_names():
    mods = _modules()
    found = [f for p in _code_files() for f in private_imports(p, mods)]
    assert found == []


def test_private_import_check_can_fail(tmp_path):
    p = tmp_path / "x.py"
    p.write_text("from civcomp.io.params import _rel\nfrom civcomp.io import params as pm\npm._watch()\n")
    assert len(private_imports(p, {"civcomp.io.params": SRC / "io" / "params.py"})) == 2


# ---------------------------------------------------------------- errors
def test_every_error_class_derives_from_civcomp_error():
    import importlib
    import inspect

    from civcomp.errors import CivcompError

    bad = []
    for name in _modules():
        mod = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, Exception) and not issubclass(cls, (CivcompError, Warning)):
                bad.append(f"{name}.{cls_name}")
    assert bad == []


def test_no_history_notes_in_code():
    pattern = re.compile(r"\b(h[1-3]\d(-\w+)?|issue #?\d+|stop \d+|turn \d+|round \d+)\b", re.IGNORECASE)
    found = []
    for p in _code_files():
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{p.relative_to(paths.ROOT)}:{i}: {line.strip()[:80]}")
    assert found == []
