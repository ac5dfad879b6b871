"""CITATION.cff is valid Citation File Format 1.2.0, names no placeholder person, and references both papers."""

from __future__ import annotations

import json

import yaml

from civcomp import paths

CFF = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _cff_schema() -> dict:
    """The official CFF 1.2.0 JSON schema, committed under tests/reference/cff/ (see its README)."""
    return json.loads((paths.TESTS / "reference" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))


def test_citation_validates_against_the_cff_1_2_0_schema():
    schema = _cff_schema()
    import jsonschema

    # YAML dates load as datetime.date; the schema wants the ISO string, as cffconvert validates it
    doc = json.loads(json.dumps(CFF, default=str))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(doc)
    broken = {**doc, "authors": [{"orcid": "0000-0000"}], "date-released": "26.11.2026"}
    assert len(list(validator.iter_errors(broken))) >= 2  # the check can fail


def test_citation_structure():
    assert CFF["cff-version"] == "1.2.0"
    assert CFF["type"] == "software" and CFF["message"] and CFF["title"] and CFF["abstract"]
    assert str(CFF["date-released"])[:4].isdigit()
    version = (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8").split('version = "', 1)[1].split('"')[0]
    assert str(CFF["version"]) == version
    assert set(CFF["license"]) == {"MIT", "CC-BY-4.0"}
    for person in CFF["authors"]:
        assert "name" in person or {"family-names", "given-names"} <= set(person), person
        assert "contributors" not in str(person.get("name", "")).lower()
        assert "orcid" not in person or str(person["orcid"]).startswith("https://orcid.org/")


def test_both_papers_are_referenced_with_what_is_known():
    refs = {r["title"]: r for r in CFF["references"]}
    p000 = refs[
        "Assessing the integration of digital competencies into civil service recruitment and training in Kazakhstan"
    ]
    assert (p000["doi"], p000["year"], p000["volume"], str(p000["issue"]), str(p000["start"]), str(p000["end"])) == (
        "10.21511/ppm.23(2).2025.40",
        2025,
        23,
        "2",
        "561",
        "571",
    )
    assert p000["journal"] == "Problems and Perspectives in Management"
    p003 = refs["Building Innovative Capacity of Public Servants: The Case of Kazakhstan"]
    assert [a["family-names"] for a in p003["authors"]] == ["Bokayev", "Amirova", "Kosherbayeva"]
    assert "doi" not in p003  # none is given in the source text; none is invented
    for r in CFF["references"]:
        assert r["type"] == "article" and r["authors"]
