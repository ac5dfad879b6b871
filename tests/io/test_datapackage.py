"""data/datapackage.json is generated from the codebooks and carries their whole contract."""

from __future__ import annotations

import json

from civcomp.io import datapackage
from civcomp.io.codebook import ALL_DATASETS, load_codebook


def test_committed_datapackage_is_current():
    current = datapackage.PATH.read_text(encoding="utf-8")
    assert current == datapackage.render(), (
        "data/datapackage.json is stale: run `python -m civcomp.io.datapackage` to regenerate it"
    )


def test_cli_check_and_write(tmp_path, monkeypatch, capsys):
    assert datapackage.main(["--check"]) == 0
    monkeypatch.setattr(datapackage, "PATH", tmp_path / "datapackage.json")
    assert datapackage.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert datapackage.main([]) == 0 and datapackage.main(["--check"]) == 0
    assert datapackage.main(["--bogus"]) == 2


def test_every_codebook_rule_is_in_the_schema():
    pkg = json.loads(datapackage.render())
    assert [r["name"] for r in pkg["resources"]] == list(ALL_DATASETS)
    for res in pkg["resources"]:
        cb = load_codebook(res["name"])
        schema = res["schema"]
        assert [f["name"] for f in schema["fields"]] == cb.columns
        assert schema["primaryKey"] == list(cb.primary_key)
        fks = [
            (fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
            for fk in schema.get("foreignKeys", [])
        ]
        assert fks == [(k.fields, k.dataset, k.ref_field) for k in cb.foreign_keys]
        for f, d in zip(cb.fields, schema["fields"]):
            cons = d.get("constraints", {})
            assert cons.get("required", False) == f.required and cons.get("unique", False) == f.unique
            if f.type == "category":
                assert cons["enum"] == list(f.values)
                assert [c["value"] for c in d["categories"]] == list(f.values)
                assert set(d["civcomp:valueLabels"]) == set(f.values)
                assert all(set(v) == {"en", "ru"} for v in d["civcomp:valueLabels"].values())
            if f.minimum is not None:
                assert cons["minimum"] == f.minimum and cons["maximum"] == f.maximum
            assert d.get("missingValues", []) == ([""] + [str(m) for m in f.missing_codes] if f.missing_codes else [])
            assert d["civcomp:label"] == f.label


def test_resource_paths_point_at_the_twin():
    pkg = datapackage.build_datapackage()
    assert all(r["path"] == f"synthetic/{r['name']}.synthetic.csv" for r in pkg["resources"])
    assert datapackage.PATH.parent.name == "data"
