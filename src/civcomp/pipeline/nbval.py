"""Recording the nbval-checked outputs into the committed notebooks.
"""
from __future__ import annotations

from pathlib import Path

from civcomp.io.outputs import atomic_write
from civcomp.pipeline.graph import Project
from civcomp.pipeline.notebooks import notebook_source, stable_cell_ids

# --------------------------------------------------------------------------- nbval
NBVAL_MARK = "# NBVAL_CHECK_OUTPUT"


def record_nbval(project: Project, name: str) -> Path:
    """Write ``notebooks/<name>.ipynb``: the jupytext source, outputs kept only in the checked cells.

    nbval (``--nbval-lax``) compares just the cells marked ``# NBVAL_CHECK_OUTPUT``
    with what is recorded here, so the committed notebook stays small and its
    diff shows exactly which headline number changed. Cell ids are deterministic.
    """
    import jupytext
    import nbformat

    src = jupytext.read(notebook_source(project, name))
    executed = nbformat.read(project.out_notebooks / f"{name}.ipynb", as_version=4)
    by_source = {c.source: c for c in executed.cells if c.cell_type == "code"}
    stable_cell_ids(src, name)
    for c in src.cells:
        if c.cell_type != "code":
            continue
        c.outputs, c.execution_count = [], None
        if c.source.lstrip().startswith(NBVAL_MARK):
            if c.source not in by_source:
                raise ValueError(f"{name}: the checked cell is not in the executed notebook; rerun it first")
            c.outputs = by_source[c.source].outputs
            c.execution_count = by_source[c.source].execution_count
    src.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    out = project.notebooks / f"{name}.ipynb"
    atomic_write(out, jupytext.writes(src, fmt="ipynb").encode("utf-8"))
    return out
