"""The stand-in project of tiny notebooks for the runner's tests (not collected by pytest).

Two shapes, one template: ``data`` → ``a`` → ``c`` → ``html_report`` (the default), and with ``with_b``
``data`` → ``a``, ``b`` → ``c`` → ``html_report`` (``a`` reads postings, ``b`` the capacity survey; ``params/b.yaml``
sets ``b``'s factor to 3; ``html=False`` leaves the report step out). Every notebook reads
``src/civcomp/mod.py`` (the stand-in's code) and ``data.txt``, writes three tables (with ``pause.txt``'s seconds
between them, so that a kill can fall between two files) and a result; ``c`` also writes a claims file, and
fails in a cell when ``failing``. The report step writes an index page, a paper page and one page per result.
A file ``hold_<name>`` at the project root holds that notebook's kernel twice (``started_<name>``, then
``read_<name>`` after it read the code) until ``go_started_<name>`` / ``go_read_<name>`` exist, so a test can act
while the step runs.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from pathlib import Path

from civcomp.runner.graph import Project, Step

NB = textwrap.dedent("""\
    # %% [markdown]
    # # NAME

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
    seed_in_data = int((root / "data.txt").read_text().split("=")[1])
    pause = float((root / "pause.txt").read_text()) if (root / "pause.txt").exists() else 0.0  # set by a test
    for sub in ("results", "tables", "figures"):
        (root / "outputs" / sub).mkdir(parents=True, exist_ok=True)
    for i in range(3):  # several files, written over time: a kill can fall between them
        (root / "outputs" / "tables" / f"NAME__t{i}.csv").write_text(f"{seed},{seed_in_data},{factor},{i}\\n")
        time.sleep(pause)
    EXTRA
    (root / "outputs" / "results" / "NAME.json").write_text(
        json.dumps({"value": factor * 21, "seed": seed, "data_source": data_source, "code": code})
    )
    """)

CLAIMS = '(root / "outputs" / "results" / "NAME__claims.json").write_text(json.dumps({"claims": [factor]}))'
FAILURE = "raise ValueError('deliberate failure in NAME')"

RUNNER = textwrap.dedent("""\
    import pathlib, sys
    sys.path.insert(0, {here!r})
    from standin_project import make_project
    from civcomp.commands import reproduce

    if __name__ == "__main__":  # not again in the pool's workers, which import this file
        reproduce.default_project = lambda: make_project(pathlib.Path({root!r}), fresh=False, **{shape!r})
        sys.exit(reproduce.cli({argv!r}))
    """)


def _data(project: Project, gparams: dict) -> list[Path]:
    f = project.root / "data.txt"
    f.write_text(f"seed={gparams['seed']}\n")
    return [f]


def _html(project: Project, gparams: dict) -> list[Path]:
    pages = project.outputs / "report"
    (pages / "notebooks").mkdir(parents=True, exist_ok=True)
    results = sorted((project.outputs / "results").glob("*.json"))
    for r in results:
        (pages / "notebooks" / f"{r.stem}.html").write_text(f"<html><body>{r.read_text()}</body></html>")
    index, paper = pages / "index.html", pages / "paper-000.html"
    index.write_text("<html><body><p>" + ", ".join(r.stem for r in results) + "</p></body></html>")
    paper.write_text("<html><body><p>" + (project.outputs / "results" / "c.json").read_text() + "</p></body></html>")
    return [index, paper]


def make_project(
    root: Path, fresh: bool = True, *, with_b: bool = False, failing: bool = False, html: bool = True
) -> Project:
    """The stand-in project at ``root`` (its files written there when ``fresh``; ``failing`` rewrites ``c``)."""
    if fresh:
        for d in ("notebooks", "params", "src/civcomp"):
            (root / d).mkdir(parents=True, exist_ok=True)
        (root / "src" / "civcomp" / "mod.py").write_text("X = 1\n")
        (root / "params" / "global.yaml").write_text("seed: 1\ndata_source: synthetic\n")
        if with_b:
            (root / "params" / "b.yaml").write_text("factor: 3\n")
    if fresh or failing:
        extra = {"a": "", "b": "", "c": FAILURE if failing else CLAIMS}
        for name in ("a", "b", "c") if with_b else ("a", "c"):
            (root / "notebooks" / f"{name}.py").write_text(NB.replace("EXTRA", extra[name]).replace("NAME", name))
    if with_b:
        steps = [
            Step("data", "data"),
            Step("a", needs=("data",), datasets=("postings",)),
            Step("b", needs=("data",), datasets=("capacity_survey",)),
            Step("c", needs=("a", "b")),
        ]
    else:
        steps = [Step("data", "data"), Step("a", needs=("data",), datasets=("postings",)), Step("c", needs=("a",))]
    if html:
        steps.append(Step("html_report", "html", tuple(s.name for s in steps)))
    return Project(root, steps, data_fn=_data, html_fn=_html)


def copy_of(clean: Path, to: Path, **shape) -> Project:
    """A copy of a project that has run (outputs and cache records are relative: the copy is cached too)."""
    shutil.copytree(clean, to, symlinks=True, ignore=shutil.ignore_patterns("run.lock"), dirs_exist_ok=True)
    return make_project(to, fresh=False, **shape)


def runner_script(root: Path, argv: list[str], **shape) -> list[str]:
    """The command that runs ``civcomp reproduce ARGV`` on the stand-in at ``root`` (a real CLI process)."""
    script = root / "reproduce_standin.py"
    script.write_text(RUNNER.format(here=str(Path(__file__).parent), root=str(root), argv=argv, shape=shape))
    return [sys.executable, str(script)]


def wait_for(path: Path, proc=None, timeout: float = 180.0) -> None:
    """Wait until ``path`` exists (failing when ``proc`` ended first or the time is up)."""
    end = time.time() + timeout
    while not path.exists():
        assert time.time() < end, f"{path.name} never appeared"
        assert proc is None or proc.poll() is None, f"the run ended before {path.name} appeared"
        time.sleep(0.05)
