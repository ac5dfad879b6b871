"""The README promises folders, commands and files; check they exist."""

from __future__ import annotations

import re

from civcomp import paths

README = (paths.ROOT / "README.md").read_text()


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    assert "make reproduce" in README and "make test" in README
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_folders_listed_in_readme_exist():
    table = README.split("## Contents", 1)[1].split("\n## ", 1)[0]
    first_cells = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    listed = [f for cell in first_cells for f in re.findall(r"`([A-Za-z0-9_./-]+/)`", cell)]
    assert len(listed) >= 8
    for folder in listed:
        assert (paths.ROOT / folder).is_dir() or (paths.ROOT / folder.rstrip("/")).exists(), folder


def test_files_listed_in_readme_exist():
    for name in (
        "environment.yml",
        "requirements.lock",
        "pyproject.toml",
        "CITATION.cff",
        "LICENSE",
        "Makefile",
        ".ci/run",
    ):
        assert (paths.ROOT / name).is_file(), name
