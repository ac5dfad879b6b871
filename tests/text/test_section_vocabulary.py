"""The section vocabulary file: versioned, loaded and checked like the skill dictionary."""

from __future__ import annotations

import pytest
import yaml

from civcomp.errors import CivcompError
from civcomp.text import section_vocabulary as sv
from civcomp.text import sections as S


def _raw():
    return yaml.safe_load(sv.DEFAULT_SECTION_VOCABULARY.read_text(encoding="utf-8"))


def test_loads_and_feeds_the_segmenter():
    v = sv.load_section_vocabulary()
    assert v.version.count(".") == 2
    assert S.HEADINGS is S.VOCABULARY.headings and "должностные обязанности" in v.headings["duties"]
    assert set(v.unsectioned_cues) == {"requirements", "duties"}


@pytest.mark.parametrize(
    "edit, msg",
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["headings"].update(nosuch=["x"]), "unknown section"),
        (lambda d: d["headings"]["duties"].append("Обязанности"), "lower case"),
        (lambda d: d["sentence_cues"]["documents"].append("(unclosed"), "not a regular expression"),
        (lambda d: d["inline_headings"]["benefits"].append("обязанности"), "listed under"),
        (lambda d: d["sentence_cues"].pop("legal"), "lacks"),
    ],
)
def test_bad_vocabulary_is_refused_with_the_key(edit, msg):
    d = _raw()
    edit(d)
    with pytest.raises(sv.SectionVocabularyError, match=msg) as e:
        sv.section_vocabulary_from_mapping(d, "v.yaml", S.SECTIONS)
    assert isinstance(e.value, CivcompError) and "v.yaml" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(sv.SectionVocabularyError, match="not found"):
        sv.load_section_vocabulary(tmp_path / "none.yaml")
