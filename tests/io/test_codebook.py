"""Codebooks: the column contract loads, every value is labelled in English and Russian, data/README.md is current."""

from __future__ import annotations

import pytest
import yaml

from civcomp import paths
from civcomp.io import codebook
from civcomp.io.codebook import ALL_DATASETS, CodebookError, load_codebook
from civcomp.io.codebook_readme import render_readme


@pytest.mark.parametrize("name", ALL_DATASETS)
def test_every_field_and_value_has_english_and_russian_labels(name):
    cb = load_codebook(name)
    assert cb.title and cb.source, name
    if not cb.synthetic_only:
        assert cb.title_ru and cb.source_ru, name
    for f in cb.fields:
        assert f.label.get("en") and f.label.get("ru"), f"{name}.{f.name} lacks a label"
        for code in f.values:
            lab = f.labels.get(code, {})
            assert lab.get("en") and lab.get("ru"), f"{name}.{f.name}={code} lacks a label"


@pytest.mark.parametrize("name", ALL_DATASETS)
def test_codes_and_labels_map_back_to_codes(name):
    cb = load_codebook(name)
    for f in cb.fields:
        for code in f.values:
            assert cb.code_of(f.name, code) == code
            for text in f.labels[code].values():
                assert cb.code_of(f.name, text) == code
                assert cb.code_of(f.name, f"  {text.upper()} ") == code  # case and spacing do not matter
        if f.type == "category":
            assert cb.code_of(f.name, "certainly not a value") is None


def test_contract_shapes():
    ds = load_codebook("digital_survey")
    assert ds.categories("digital_required_at_hiring") == ["yes", "no", "dont_know"]  # strings, not booleans
    assert len([f for f in ds.fields if f.group]) == 9 + 9 + 7
    assert all(f.type == "integer" and (f.minimum, f.maximum) == (0, 1) for f in ds.fields if f.group)
    cap = load_codebook("capacity_survey")
    assert len(cap.categories("region")) == 20 and cap.field("age").missing_codes == (-9,)
    app = load_codebook("appraisal_360")
    assert len(app.categories("competency")) == 15
    assert [(fk.fields, fk.dataset, fk.ref_field) for fk in app.foreign_keys] == [
        ("respondent_id", "capacity_survey", "respondent_id")
    ]
    assert load_codebook("postings_truth").synthetic_only and not load_codebook("postings_gold").synthetic_only
    assert load_codebook("postings_gold").columns == ["id", "coder_a", "coder_b"]


def _write(tmp_path, body: str, name="demo"):
    (tmp_path / f"{name}.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "_shared.yaml").write_text("regions: [a, b]\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "body, message",
    [
        ("dataset: demo\nfields:\n  - {name: q, type: category, values: [yes, no]}\n", "not a string"),
        (
            "dataset: demo\nfields:\n  - {name: q, type: category, values: [a, b], labels: {a: {en: Yes, because, ru: x}}}\n",
            "labels of 'a'",
        ),
        (
            "dataset: demo\nfields:\n  - {name: q, type: category, values: [a, b], labels: {a: {en: B}}}\n",
            "labels both",
        ),
        ("dataset: demo\nfields:\n  - {name: q, type: colour}\n", "type"),
        ("dataset: demo\nprimary_key: id\nfields:\n  - {name: q, type: string}\n", "key column 'id'"),
        ("dataset: demo\nfields:\n  - {name: q, type: category, values_from: nowhere}\n", "values_from"),
    ],
)
def test_malformed_codebooks_are_rejected_with_the_reason(tmp_path, body, message):
    d = _write(tmp_path, body)
    with pytest.raises(CodebookError, match=message):
        load_codebook("demo", d)


def test_codebook_yaml_stays_machine_readable():
    for path in codebook.codebook_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path


def test_data_readme_is_generated_from_the_codebooks():
    current = (paths.DATA / "README.md").read_text(encoding="utf-8")
    assert current == render_readme(), (
        "data/README.md is stale: run `python -m civcomp.io.codebook_readme` to regenerate it"
    )


def test_readme_includes_the_synthetic_model_section(tmp_path):
    model = tmp_path / "synthetic_model.md"
    text = render_readme(model_path=model)
    assert "## Synthetic generative model" in text and "Not yet written" in text
    model.write_text("The capacity twin draws from a calibrated correlation matrix.\n", encoding="utf-8")
    text = render_readme(model_path=model)
    assert text.split("## Synthetic generative model", 1)[1].strip().startswith("The capacity twin draws")
    (tmp_path / "synthetic_model.appraisal_360.md").write_text("### appraisal part\n", encoding="utf-8")
    (tmp_path / "synthetic_model.capacity.md").write_text("### capacity part\n", encoding="utf-8")
    section = render_readme(model_path=model).split("## Synthetic generative model", 1)[1]
    assert section.index("The capacity twin") < section.index("### capacity part") < section.index("### appraisal")
    for name in ALL_DATASETS:
        assert f"## `{name}`" in text
    assert "synthetic twin" in text and "e-qyzmet.kz" in text
