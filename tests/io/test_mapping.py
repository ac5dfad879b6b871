"""civcomp.io.mapping: a file as exported, mapped in memory onto its codebook (filter, drop, rename, reshape,
missing, recode); every problem one line naming the mapping file, the key and the value."""

from __future__ import annotations

import pandas as pd
import pytest

from civcomp.io.codebook import load_codebook
from civcomp.io.mapping import MappingError, apply, parse_mapping, reads_as_missing
from civcomp.io.readers import read_csv_bytes
from civcomp.io.validate import validate_raw

COMPETENCIES = load_codebook("appraisal_360").field("competency").values


def _wide(n: int = 3) -> bytes:
    head = ["ID"] + [f"q{p}_{c}" for p in (10, 11, 12, 13) for c in range(1, 16)] + ["filter_$"]
    rows = [head] + [
        [f"R{i}"] + [str((i + p + c) % 11) for p in range(4) for c in range(15)] + ["1" if i != 2 else "0"]
        for i in range(1, n + 1)
    ]
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


RESHAPE = {
    "filter": "filter_$ == 1",
    "drop": ["filter_$"],
    "rename": {"ID": "respondent_id"},
    "reshape": {
        "id": ["respondent_id"],
        "pattern": r"^q(?P<perspective>1[0-3])_(?P<competency>\d+)$",
        "value": "score",
    },
    "recode": {
        "perspective": {10: "self", 11: "supervisor", 12: "head", 13: "colleague"},
        "competency": {i: c for i, c in enumerate(COMPETENCIES, start=1)},
    },
}


def test_reshape_wide_360_items_to_the_long_codebook():
    raw = read_csv_bytes(_wide(), "wide.csv")
    m = parse_mapping(RESHAPE, "appraisal_360", "params/real_mapping/appraisal_360.yaml")
    long = apply(raw, m)
    assert len(long.frame) == 2 * 60 and list(long.frame.columns) == [
        "respondent_id",
        "perspective",
        "competency",
        "score",
    ]
    rep = validate_raw("appraisal_360", long, implicit_refs=False)
    assert rep.ok, rep.format()
    f = rep.frame
    one = f[(f.respondent_id == "R3") & (f.perspective == "head") & (f.competency == COMPETENCIES[4])]
    assert one["score"].tolist() == [(3 + 2 + 4) % 11]  # q12_5 of R3
    assert set(f.respondent_id) == {"R1", "R3"}  # the filter dropped R2
    assert raw.frame.shape == (3, 62)  # the table read is untouched
    assert long.n_records == 3  # rows read: the file's; the frame holds the rows used


def test_recode_by_label_and_missing_codes():
    raw = read_csv_bytes("id,coder_a,coder_b\nP1,Да,1\nP2,нет,99\nP3,Да,98\n".encode(), "g.csv")
    m = parse_mapping(
        {"recode": {"coder_a": {"Да": 1, "Нет": 0}}, "missing": {"coder_b": [98, 99]}}, "postings_gold", "m.yaml"
    )
    out = apply(raw, m).frame
    assert out["coder_a"].tolist() == ["1", "0", "1"] and out["coder_b"].tolist() == ["1", "", ""]


@pytest.mark.parametrize(
    "content, message",
    [
        ({"rename": {"a": "nope"}}, "m.yaml: 'nope' is not a field of codebook postings_gold (rename.a)"),
        ({"recode": {"coder_a": {2: 7}}}, "m.yaml: recode.coder_a: 2 -> 7 is outside the codebook (between 0 and 1)"),
        ({"missing": {"coder_a": [1]}}, "m.yaml: missing.coder_a: 1 is also a valid value of coder_a"),
        ({"rename": {"a": "id", "b": "id"}}, "m.yaml: rename.b: 'id' is already the target of 'a'"),
        ({"rename": [1]}, "m.yaml: rename: expected a mapping, got list"),
        ({"reshape": {"id": "id", "pattern": "(", "value": "coder_a"}}, "m.yaml: reshape.pattern: '('"),
        ({"filter": "coder_a == 1 or 1"}, "m.yaml: filter: row filter"),
        ({"recod": {}}, "did you mean 'recode'"),
    ],
)
def test_static_problems_are_one_line(content, message):
    with pytest.raises(MappingError) as exc:
        parse_mapping(content, "postings_gold", "m.yaml")
    assert str(exc.value).startswith(message) or message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_problems_against_the_file():
    raw = read_csv_bytes(b"ID,id,coder_a,coder_b\nP1,P1,1,0\n", "g.csv")
    for content, message in (
        ({"drop": ["filter_$"]}, "m.yaml: drop: 'filter_$' is not a column of g.csv"),
        ({"rename": {"ID": "id"}}, "would be two columns ('ID' and the file's own 'id')"),
        ({"rename": {"coderA": "coder_a"}}, "'coderA' is not a column of g.csv (did you mean 'coder_a'?)"),
        ({"recode": {"coder_a": {"Да": 1}}}, "recode.coder_a: 'Да' is neither a code nor a value label"),
        ({"filter": "coder_a == 7"}, "m.yaml: filter: no row of g.csv has coder_a == 7"),
    ):
        with pytest.raises(MappingError, match=None) as exc:
            apply(raw, parse_mapping(content, "postings_gold", "m.yaml"))
        assert message in str(exc.value), str(exc.value)


def test_a_mapping_for_no_dataset():
    with pytest.raises(MappingError, match="no dataset 'capacity'"):
        parse_mapping({}, "capacity", "params/real_mapping/capacity.yaml")


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Отказ от ответа", True),
        ("Затрудняюсь ответить", True),
        ("Не знаю", True),
        ("Нет ответа", True),
        ("Жауап беруден бас тарту", True),
        ("Білмеймін", True),
        ("Refused", True),
        ("Don't know", True),
        ("Женский", False),
        ("Не знаю, как ответить", True),
        ("Знаю", False),
        ("Нет", False),
    ],
)
def test_refusal_labels(label, expected):
    assert reads_as_missing(label) is expected


def test_frames_are_not_modified():
    raw = read_csv_bytes(b"a,coder_a,coder_b\nP1,1,0\n", "g.csv")
    before = raw.frame.copy()
    apply(raw, parse_mapping({"rename": {"a": "id"}}, "postings_gold", "m.yaml"))
    pd.testing.assert_frame_equal(raw.frame, before)
