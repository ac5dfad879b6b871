"""Every data and derived claim names the function that computes its value (``computed_by`` in the ledger),
and that function's output carries the claim's key.

Each function is called as :mod:`civcomp.analyses.published` says, ``fn(data, params) -> Published``: ``data``
maps dataset names to frames loaded (validated, typed) from a twin written here into a temporary folder,
``params`` is the step's parameter snapshot with its expensive knobs reduced. Each function is called once
per session and step; every ``<step>.<key>`` of the claim (its ``key`` and the ``{<step>.<key>}``
placeholders of its ``expr``) must be in ``.values``.

Steps listed in :data:`PENDING_STEPS` do not follow the contract yet: their claims are expected to fail
(``xfail(strict=True)``), so the list must shrink as soon as they do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from civcomp.analyses.published import Published
from civcomp.io import params as params_mod
from civcomp.io.codebook import ALL_DATASETS, load_codebook
from civcomp.io.ledger import claims_by_id
from civcomp.io.sources import synthetic_path
from civcomp.io.validate import validate_file
from civcomp.replication.claims.expression import placeholders
from civcomp.replication.claims.schema import STRICT_EVIDENCE, computed_by_function

# Steps whose claims do not carry computed_by / whose results functions do not follow fn(data, params) yet.
PENDING_STEPS: tuple[str, ...] = ()
# Resampling knobs, reduced: the test checks which keys come out, not their precision.
REDUCED = {
    "n_boot": 20,
    "n_boot_validity": 20,
    "fisher_resamples": 200,
    "parallel_iterations": 10,
    "bootstrap_resamples": 20,
}
DOTTED = re.compile(r"^civcomp(\.[A-Za-z_][A-Za-z0-9_]*){2,}$")

# read, not validated: the test names every claim without computed_by even when the schema requires it
CLAIMS = [c for c in claims_by_id().values() if c.get("evidence") in STRICT_EVIDENCE]


def result_names(claim: dict) -> list[tuple[str, str]]:
    """(step, key) of every recomputed result the claim reads: its key(s) and its expression's placeholders."""
    keys = claim.get("key")
    names = (keys if isinstance(keys, list) else [keys]) if keys else []
    names += [n for n in placeholders(claim.get("expr") or "") if not n.startswith("@")]
    return [tuple(n.split(".", 1)) for n in names]


def _param(claim: dict):
    steps = {s for s, _ in result_names(claim)}
    marks = []
    if steps & set(PENDING_STEPS):
        marks.append(pytest.mark.xfail(strict=True, reason=f"pending: {sorted(steps & set(PENDING_STEPS))}"))
    return pytest.param(claim, id=claim["id"], marks=marks)


PARAMS = [_param(c) for c in CLAIMS]


class TwinData(Mapping):
    """Dataset name -> frame, loaded from the twin's files on first use (and kept)."""

    def __init__(self, folder: Path):
        self.folder, self._frames = folder, {}

    def _path(self, name: str) -> Path:
        return synthetic_path(name, self.folder)

    def __getitem__(self, name: str):
        if name not in self._frames:
            if name not in ALL_DATASETS or not self._path(name).is_file():
                raise KeyError(name)
            refs = {fk.dataset: self._path(fk.dataset) for fk in load_codebook(name).foreign_keys}
            report = validate_file(name, self._path(name), refs=refs)
            assert report.ok, f"the twin's {name} does not match its codebook"
            self._frames[name] = report.frame
        return self._frames[name]

    def __iter__(self):
        return (n for n in ALL_DATASETS if self._path(n).is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


@pytest.fixture(scope="session")
def twin(fresh_twin) -> TwinData:
    return TwinData(fresh_twin[0] / "synthetic")


@pytest.fixture(scope="session")
def snapshot() -> params_mod.Snapshot:
    return params_mod.snapshot()


@pytest.fixture(scope="session")
def published(twin, snapshot):
    """(function path, step) -> what the function returned; each function is called once per step."""
    cache: dict[tuple[str, str], Published] = {}

    def get(path: str, step: str) -> Published:
        if (path, step) not in cache:
            params = {**snapshot.steps[step]}
            params.update({k: v for k, v in REDUCED.items() if k in params})
            cache[(path, step)] = computed_by_function(path)(twin, params)
        return cache[(path, step)]

    return get


def test_claims_are_found():
    assert len(CLAIMS) >= 40
    assert any(s == "05_report" for c in CLAIMS for s, _ in result_names(c))


@pytest.mark.parametrize("claim", PARAMS)
def test_claim_names_an_importable_function(claim):
    path = claim.get("computed_by")
    assert isinstance(path, str) and DOTTED.match(path), f"{claim['id']}: computed_by missing or not dotted: {path!r}"
    assert callable(computed_by_function(path))


@pytest.mark.parametrize("claim", PARAMS)
def test_function_output_carries_the_claims_key(claim, published):
    path = claim.get("computed_by")
    assert path, f"{claim['id']}: no computed_by"
    names = result_names(claim)
    assert names, f"{claim['id']}: a data or derived claim without a result key"
    for step, key in names:
        out = published(path, step)
        assert isinstance(out, Published), f"{path} returned {type(out).__name__}, not Published"
        assert key in out.values, f"{claim['id']}: {path}(data, params of {step}) has no value {key!r}"


def test_a_function_without_the_key_fails(published):
    """The check can fail: the 05 function does not carry a key of another step."""
    out = published("civcomp.analyses.robustness.results", "05_report")
    assert "kmo" not in out.values and "n_competencies_rated" in out.values
