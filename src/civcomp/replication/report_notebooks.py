"""The executed notebooks as offline HTML pages (nbconvert), and the cells the report links to.

:func:`render_notebooks` renders every executed notebook with nbconvert's ``classic`` template, less
its require.js / jQuery / mermaid / MathJax CDN blocks (``report_templates/notebook.html.j2``), and
refuses a page that would load anything remote. :func:`figure_cell` and :func:`results_cell` find
the code cell that saved a figure or wrote the results file, for the report's links.

References
----------
nbconvert ``HTMLExporter`` and its ``classic`` template (nbconvert 7).

Examples
--------
>>> import tempfile, pathlib
>>> executed_notebooks(pathlib.Path(tempfile.mkdtemp()))
[]
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

from civcomp.io.outputs import atomic_write
from civcomp.replication.report_html import ReportError, remote_references

TEMPLATES = files("civcomp.replication") / "report_templates"


NO_INPUT = ".no-input"  # suffix of the code-hidden page: ``<step>.no-input.html``


def _exporter(no_input: bool = False):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    template = (TEMPLATES / "notebook.html.j2").read_text(encoding="utf-8")
    return HTMLExporter(
        template_name="classic",
        template_file="civcomp_nb.html.j2",
        extra_loaders=[DictLoader({"civcomp_nb.html.j2": template})],
        exclude_input=no_input,  # what `jupyter nbconvert --no-input` sets
        exclude_input_prompt=no_input,
        exclude_output_prompt=no_input,
    )


def executed_notebooks(nb_dir: Path) -> list[Path]:
    """Executed notebooks (``<step>.ipynb`` and ``<step>.FAILED.ipynb``), without partial runs."""
    return sorted(p for p in Path(nb_dir).glob("*.ipynb") if not p.name.startswith("."))


def render_notebooks(nb_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Render every executed notebook to ``out_dir/<name>.html``, and with its code hidden (nbconvert's
    ``--no-input``) to ``out_dir/<name>.no-input.html``; return name -> HTML path (the page with code).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> render_notebooks(d, d / "html")
    {}
    """
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    exporters, written, pages = {"": _exporter(), NO_INPUT: _exporter(no_input=True)}, {}, set()
    for nb_path in executed_notebooks(nb_dir):
        nb = nbformat.read(nb_path, as_version=4)
        for suffix, exporter in exporters.items():
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
            bad = remote_references(body, links=False)
            if bad:
                raise ReportError(f"{nb_path}: the rendered notebook would load remote resources: {bad[:3]}")
            page = atomic_write(out_dir / f"{nb_path.stem}{suffix}.html", body.encode("utf-8"))
            pages.add(page.name)
        written[nb_path.stem] = out_dir / f"{nb_path.stem}.html"
    for stale in out_dir.glob("*.html"):  # notebooks that no longer exist
        if stale.name not in pages:
            stale.unlink()
    return written


def figure_cell(nb_path: Path, figure_name: str) -> str | None:
    """Id of the code cell that saved ``<step>__<figure_name>``: the cell whose source names the
    figure (as a string literal), else whose output mentions it, else the only cell calling
    ``save_figure``. ``None`` if it cannot be told.

    Examples
    --------
    >>> figure_cell(Path("no_such.ipynb"), "x") is None
    True
    """
    import nbformat

    if not nb_path.exists():
        return None
    cells = [c for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "code"]
    literal = re.compile(rf"""['"]{re.escape(figure_name)}['"]""")
    for c in cells:
        if literal.search(c.source):
            return c.get("id")
    for c in cells:
        if any(
            figure_name in json.dumps(o.get("text", "")) + json.dumps(o.get("data", {}).get("text/plain", ""))
            for o in c.get("outputs", [])
        ):
            return c.get("id")
    savers = [c for c in cells if "save_figure" in c.source or "show_figure" in c.source]
    return savers[0].get("id") if len(savers) == 1 else None


def results_cell(nb_path: Path) -> str | None:
    """Id of the code cell that wrote the notebook's results file (calls ``write_results``); ``None`` if
    there is not exactly one. A claim's recomputed value comes from that file.

    Examples
    --------
    >>> results_cell(Path("no_such.ipynb")) is None
    True
    """
    import nbformat

    if not nb_path.exists():
        return None
    cells = [c for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "code"]
    writers = [c for c in cells if "write_results(" in c.source]
    return writers[0].get("id") if len(writers) == 1 else None
