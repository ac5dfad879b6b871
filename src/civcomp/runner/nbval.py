"""Recording the nbval-checked outputs into the committed notebooks."""

from __future__ import annotations

from pathlib import Path

from civcomp.io.outputs import atomic_write
from civcomp.runner.graph import Project, default_project
from civcomp.runner.notebooks import notebook_source, stable_cell_ids

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


def stale_pairs(project: Project) -> list[str]:
    """Notebooks whose paired ``.ipynb`` no longer holds the cells of the ``.py`` source (nbval would test old code).

    Examples
    --------
    >>> stale_pairs(default_project())
    []
    """
    import jupytext

    out = []
    for py in sorted(project.notebooks.glob("[0-9]*.py")):
        ipynb = py.with_suffix(".ipynb")
        if not ipynb.is_file():
            out.append(f"{ipynb.relative_to(project.root)} is missing")
            continue
        strip = lambda cells: [(c.cell_type, c.source.strip()) for c in cells]  # noqa: E731
        if strip(jupytext.read(ipynb).cells) != strip(jupytext.read(py).cells):
            out.append(f"{ipynb.relative_to(project.root)} is older than {py.name}")
    return out


def main() -> int:
    """``python -m civcomp.runner.nbval``: exit 1 (naming them) when a paired .ipynb is stale."""
    stale = stale_pairs(default_project())
    for s in stale:
        print(f"nbval: {s}: run `make record` (nbval would execute the old cells, not the .py)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
