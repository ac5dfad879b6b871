"""A stand-in project of two trivial notebooks for the runner's recording tests (not collected by pytest).

``data`` → ``a`` → ``c`` → ``html_report``. Every notebook reads ``src/civcomp/mod.py`` (the stand-in's
code), writes a table and a result; ``c`` also writes a claims file, and the report step writes an index
page and one page per result. A file ``hold_<name>`` at the project root holds that notebook's kernel
twice (``started_<name>``, then ``read_<name>`` after it read the code) until ``go_started_<name>`` /
``go_read_<name>`` exist, so a test can act while the step runs.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from pathlib import Path

from civcomp.runner.graph import Project, Step

NB = textwrap.dedent("""\
    # %% tags=["parameters"]
    data_source: str = "synthetic"  # synthetic | real
    seed: int = 1  # seed
    factor: int = 2  # a multiplier

    # %%
    import json, pathlib, time
    root = pathlib.Path("..")


    def hold(stage):
        if (root / "hold_NAME").exists():
            (root / f"{stage}_NAME").touch()
            end = time.time() + 120
            while not (root / f"go_{stage}_NAME").exists() and time.time() < end:
                time.sleep(0.02)


    hold("started")
    code = (root / "src" / "civcomp" / "mod.py").read_text().strip()
    hold("read")
    for sub in ("results", "tables"):
        (root / "outputs" / sub).mkdir(parents=True, exist_ok=True)
    (root / "outputs" / "tables" / "NAME__t.csv").write_text(f"{seed},{factor}\\n")
    (root / "outputs" / "results" / "NAME.json").write_text(json.dumps({"value": factor * 21, "code": code}))
    EXTRA
    """)

CLAIMS = '(root / "outputs" / "results" / "NAME__claims.json").write_text(json.dumps({"claims": [factor]}))'

RUNNER = textwrap.dedent("""\
    import pathlib, sys
    sys.path.insert(0, {here!r})
    from standin_project import make_project
    from civcomp.commands import reproduce

    if __name__ == "__main__":  # not again in the pool's workers, which import this file
        reproduce.default_project = lambda: make_project(pathlib.Path({root!r}), fresh=False)
        sys.exit(reproduce.cli({argv!r}))
    """)


def _data(project: Project, gparams: dict) -> list[Path]:
    f = project.root / "data.txt"
    f.write_text(f"seed={gparams['seed']}\n")
    return [f]


def _html(project: Project, gparams: dict) -> Path:
    pages = project.outputs / "report"
    (pages / "notebooks").mkdir(parents=True, exist_ok=True)
    results = sorted((project.outputs / "results").glob("*.json"))
    for r in results:
        (pages / "notebooks" / f"{r.stem}.html").write_text(f"<html><body>{r.read_text()}</body></html>")
    page = pages / "index.html"
    page.write_text("<html><body><p>" + ", ".join(r.stem for r in results) + "</p></body></html>")
    return page


def make_project(root: Path, fresh: bool = True) -> Project:
    """The stand-in project at ``root`` (written there when ``fresh``)."""
    if fresh:
        for d in ("notebooks", "params", "src/civcomp"):
            (root / d).mkdir(parents=True, exist_ok=True)
        (root / "src" / "civcomp" / "mod.py").write_text("X = 1\n")
        (root / "params" / "global.yaml").write_text("seed: 1\ndata_source: synthetic\n")
        for name, extra in (("a", ""), ("c", CLAIMS)):
            (root / "notebooks" / f"{name}.py").write_text(NB.replace("EXTRA", extra).replace("NAME", name))
    steps = [
        Step("data", "data"),
        Step("a", needs=("data",), datasets=("postings",)),
        Step("c", needs=("a",)),
        Step("html_report", "html", ("data", "a", "c")),
    ]
    return Project(root, steps, data_fn=_data, html_fn=_html)


def copy_of(clean: Path, to: Path) -> Project:
    """A copy of a project that has run (outputs and cache records are relative: the copy is cached too)."""
    shutil.copytree(clean, to, symlinks=True, ignore=shutil.ignore_patterns("run.lock"))
    return make_project(to, fresh=False)


def runner_script(root: Path, argv: list[str]) -> list[str]:
    """The command that runs ``civcomp reproduce ARGV`` on the stand-in at ``root`` (a real CLI process)."""
    script = root / "reproduce_standin.py"
    script.write_text(RUNNER.format(here=str(Path(__file__).parent), root=str(root), argv=argv))
    return [sys.executable, str(script)]


def wait_for(path: Path, proc=None, timeout: float = 180.0) -> None:
    """Wait until ``path`` exists (failing when ``proc`` ended first or the time is up)."""
    end = time.time() + timeout
    while not path.exists():
        assert time.time() < end, f"{path.name} never appeared"
        assert proc is None or proc.poll() is None, f"the run ended before {path.name} appeared"
        time.sleep(0.05)
