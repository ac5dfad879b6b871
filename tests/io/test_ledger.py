"""One home per published number: the twin's targets refer to the claims ledger and cannot drift from it."""

from __future__ import annotations

import re

import numpy as np
import pytest
import yaml

from civcomp import paths
from civcomp.io import ledger, params

SYNTH = sorted((paths.PARAMS / "synthetic").glob("*.yaml"))


def _refs():
    return [(p.name, *r) for p in SYNTH for r in ledger.references(params.read_yaml(p))]


def test_every_target_line_is_a_ledger_reference():
    """A line marked TARGET holds a {ledger: id} reference (or opens a block of them), never a typed number."""
    for p in SYNTH:
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code, _, comment = line.partition("#")
            if "TARGET" in comment and code.strip():
                value = code.split(":", 1)[1].strip() if ":" in code else code
                assert value == "" or "ledger:" in value, (
                    f"{p.name}:{i}: target typed as {value!r}, refer to the ledger"
                )
                assert "ledger:" in value or not re.search(r"\d", value), f"{p.name}:{i}"


def test_references_resolve_to_the_published_values():
    refs = _refs()
    assert len(refs) >= 30
    by_id = ledger.claims_by_id()
    for name, where, cid, end in refs:
        assert cid in by_id, f"{name}: {where} refers to unknown claim {cid!r}"
        assert ledger.target(cid, end) == (
            ledger.expected_value(by_id[cid])
            if end is None
            else ledger.expected_value(by_id[cid])[0 if end == "min" else 1]
        )
    cap = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml"))
    assert cap["n_total"] == 10942 and cap["factor_model"]["kmo"] == 0.84
    assert cap["factor_model"]["communalities"]["competencies"] == 0.399


def test_no_published_number_is_retyped_in_the_twin_params():
    """No plain number in params/synthetic equals a data claim's published value at its printed precision."""
    published = set()
    for c in ledger.claims_by_id().values():
        if c.get("evidence") == "data" and c["kind"] in ("value", "count") and c.get("unit") not in ("%",):
            v = ledger.expected_value(c)
            if isinstance(v, float) and 0 < v < 1:  # three-decimal indices: KMO, communalities
                published.add(round(v, 3))
    leaves = []

    def walk(node, where):
        if ledger.is_ref(node):
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")
        elif isinstance(node, float):
            leaves.append((where, node))

    for p in SYNTH:
        walk(params.read_yaml(p), p.name)
    clash = [(w, v) for w, v in leaves if round(v, 3) in published and len(str(v).split(".")[-1]) == 3]
    assert clash == [], clash


def test_changing_the_ledger_changes_the_twin_targets(tmp_path):
    """The drift test: edit a communality in a copy of the ledger and the resolved twin target follows."""
    doc = yaml.safe_load((paths.PUBLISHED / "claims.yaml").read_text(encoding="utf-8"))
    for c in doc["claims"]:
        if c["id"] == "p003_communality_salary":
            c["value"] = 0.236
    copy = tmp_path / "claims.yaml"
    copy.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    cfg = params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml")
    assert ledger.resolve(cfg, copy)["factor_model"]["communalities"]["salary"] == 0.236
    assert ledger.resolve(cfg)["factor_model"]["communalities"]["salary"] == 0.235


def test_the_committed_population_matrix_matches_the_ledger():
    """The twin's committed correlation matrix is checked against the ledger's Table 3 values."""
    from civcomp.synth import capacity

    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "capacity_survey.yaml"))
    r = capacity.read_population_corr()
    capacity.check_population_corr(
        r, [cfg["factor_model"]["communalities"][i] for i in capacity.ITEMS], cfg["factor_model"]["kmo"], tol=5e-5
    )
    assert np.allclose(np.diag(r), 1)


def test_bad_reference_names_the_claim():
    with pytest.raises(params.ParamsError, match="p003_nope"):
        ledger.resolve({"x": {"ledger": "p003_nope"}})
    with pytest.raises(params.ParamsError, match="is a range"):
        ledger.resolve({"x": {"ledger": "p003_perspective_means_range"}})
