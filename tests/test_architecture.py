"""The package's shape: no import cycles, no internal imports hidden in functions, modules of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from civcomp import paths

SRC = paths.ROOT / "src" / "civcomp"
MAX_LINES = 400  # a longer module states why in its docstring ("Size: …")


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
    assert n <= MAX_LINES or "Size:" in doc, f"{path.relative_to(paths.ROOT)} has {n} lines and no 'Size:' note"
