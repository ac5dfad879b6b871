"""Notebook sources of the pipeline: jupytext reading, stable cell ids, the parameters cell, what papermill injects."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from civcomp.io import params as params_mod
from civcomp.runner.graph import Project


# --------------------------------------------------------------------------- notebook source
def notebook_source(project: Project, name: str) -> Path:
    """The jupytext ``py:percent`` source of a notebook step (the ``.ipynb`` is its pair)."""
    return project.notebooks / f"{name}.py"


def read_notebook(path: Path):
    """Read a jupytext ``.py`` (or ``.ipynb``) into an nbformat notebook."""
    import jupytext

    nb = jupytext.read(path)
    nb.metadata.pop("jupytext", None)
    stable_cell_ids(nb, Path(path).stem)
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def stable_cell_ids(nb, name: str) -> None:
    """Deterministic cell ids (jupytext draws random ones): stable anchors, reproducible notebooks."""
    for i, c in enumerate(nb.cells):
        c.id = f"{name[:2]}-{i:03d}"


def parameters_cell(nb) -> dict[str, Any]:
    """The literals of the one cell tagged ``parameters``; raises if there is not exactly one."""
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected exactly one cell tagged 'parameters', found {len(cells)}")
    out: dict[str, Any] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
        else:
            raise ValueError(f"parameters cell may hold only literal assignments, found: {ast.unparse(node)}")
    return out


def step_parameters(snap: params_mod.Snapshot, name: str) -> dict[str, Any]:
    """What papermill injects: the step's values from the run's one snapshot, plus the runner's sentinel.

    The sentinel (``_civcomp_snapshot``: the hash of these values) tells
    :func:`civcomp.io.params.resolve` in the notebook to keep the injected values.
    """
    return {**snap.steps[name], params_mod.SENTINEL: snap.digest(name)}
