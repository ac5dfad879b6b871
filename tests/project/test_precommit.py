"""The pre-commit set-up: the config names the hooks in the right order, and the output stripper keeps exactly
the outputs nbval checks (tools/strip_nb_outputs.py)."""

from __future__ import annotations

import copy
import doctest
import importlib.util
import json
import subprocess
import sys

import nbformat
import pytest
import yaml

from civcomp import paths
from civcomp.runner.nbval import NBVAL_MARK

SCRIPT = paths.ROOT / "tools" / "strip_nb_outputs.py"
_spec = importlib.util.spec_from_file_location("strip_nb_outputs", SCRIPT)
strip_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strip_mod)
NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_config_hooks_and_order():
    cfg = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in cfg["repos"] for h in repo["hooks"]]
    ids = [h["id"] for h in hooks]
    assert ids == ["ruff-check", "ruff-format", "jupytext-sync", "strip-nb-outputs"]
    by_id = {h["id"]: h for h in hooks}
    assert "--sync" in by_id["jupytext-sync"]["entry"]
    assert "tools/strip_nb_outputs.py" in by_id["strip-nb-outputs"]["entry"]
    assert (paths.ROOT / by_id["strip-nb-outputs"]["entry"].split()[-1]).is_file()
    assert all(repo["repo"] == "local" for repo in cfg["repos"])  # nothing downloaded


def test_marker_is_the_one_nbval_records():
    assert strip_mod.MARK == NBVAL_MARK


def test_docstring_examples():
    failures, tried = doctest.testmod(strip_mod)
    assert tried and not failures


def _executed(nb: nbformat.NotebookNode) -> dict:
    """A copy of ``nb`` as if just run: outputs, counts and timing metadata in every code cell."""
    out = json.loads(nbformat.writes(nb))
    for i, c in enumerate(out["cells"]):
        if c["cell_type"] == "code":
            c["execution_count"] = i + 1
            c["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
            if not c["source"] or not "".join(c["source"]).lstrip().startswith(NBVAL_MARK):
                c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [f"cell {i}\n"]}]
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebooks_are_already_stripped_and_keep_the_checked_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert strip_mod.strip(copy.deepcopy(nb)) is False
    checked = [c for c in nb["cells"] if strip_mod.is_checked(c)]
    assert len(checked) == 1 and checked[0]["outputs"]


@pytest.mark.parametrize("path", NOTEBOOKS[:1], ids=[p.name for p in NOTEBOOKS[:1]])
def test_run_notebook_is_stripped_back_except_the_checked_cell(path, tmp_path):
    committed = nbformat.read(path, as_version=4)
    target = tmp_path / path.name
    target.write_text(json.dumps(_executed(committed)), encoding="utf-8")
    assert strip_mod.main([str(target)]) == 1  # changed: pre-commit shows the diff
    assert strip_mod.main([str(target)]) == 0  # idempotent
    assert target.read_text(encoding="utf-8").endswith("}\n")
    after = nbformat.reads(target.read_text(encoding="utf-8"), as_version=4)
    for before, c in zip(committed.cells, after.cells):
        if c["cell_type"] != "code":
            continue
        assert "execution" not in c["metadata"]
        if strip_mod.is_checked(c):
            assert c.outputs == before.outputs and c.execution_count is not None
        else:
            assert c["outputs"] == [] and c["execution_count"] is None


def test_a_broken_file_is_named_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCRIPT), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "bad.ipynb: not a readable notebook" in proc.stderr and "Traceback" not in proc.stderr
