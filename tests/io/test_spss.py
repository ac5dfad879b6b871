"""The twin in the formats people use: the Frictionless Data Package validates every twin file (and rejects a
corrupted copy), and the SPSS twin rehearses real mode (validates, and reads back the same typed values as the CSV).
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pyreadstat
import pytest

from civcomp.io import datapackage
from civcomp.io.codebook import ALL_DATASETS, load_codebook
from civcomp.io.sources import synthetic_path
from civcomp.io.spss import FIXED_DATE, SURVEYS, russian_syntax, write_sav
from civcomp.io.validate import validate_file


def _frictionless():
    return pytest.importorskip("frictionless", reason="frictionless is not installed (not in requirements.lock yet)")


@pytest.fixture(scope="module")
def twin(fresh_twin):
    """A package folder: datapackage.json beside synthetic/ holding a freshly written twin (the session's)."""
    root, hashes = fresh_twin
    datapackage.write_datapackage(root / "datapackage.json")
    return root, hashes


def _errors(report) -> list:
    return [e for task in report.tasks for e in task.errors] + list(report.errors)


def test_every_twin_file_is_valid_against_the_datapackage(twin):
    frictionless = _frictionless()
    root, _ = twin
    report = frictionless.validate(str(root / "datapackage.json"))
    assert report.valid, [e.message for e in _errors(report)][:10]
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert set(rows) == set(ALL_DATASETS)
    assert rows["appraisal_360"] == 656_520 and rows["capacity_survey"] == 10_942


def _corrupt(root, dest, name, column, row, value):
    df = pd.read_csv(synthetic_path(name, root / "synthetic"), dtype=str, keep_default_na=False)
    df.loc[row - 1, column] = value
    out = dest / "synthetic" / f"{name}.synthetic.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out, index=False, lineterminator="\n")


def test_a_corrupted_copy_fails_naming_row_field_and_value(twin, tmp_path):
    frictionless = _frictionless()
    root, _ = twin
    _corrupt(root, tmp_path, "capacity_survey", "salary", 7, "11")  # out of range 1-10
    _corrupt(root, tmp_path, "digital_survey", "region", 3, "atlantis")  # unknown category
    _corrupt(root, tmp_path, "postings_gold", "id", 2, "P9999")  # foreign key to postings.id
    shutil.copy(synthetic_path("postings", root / "synthetic"), tmp_path / "synthetic")
    pkg = datapackage.build_datapackage()
    pkg["resources"] = [
        r for r in pkg["resources"] if r["name"] in ("capacity_survey", "digital_survey", "postings", "postings_gold")
    ]
    (tmp_path / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    found = {
        (e.type, getattr(e, "row_number", None), getattr(e, "field_name", None), getattr(e, "cell", None))
        for e in _errors(report)
    }
    # frictionless numbers rows from the header (row 1), so data row 7 is its row 8
    assert ("constraint-error", 8, "salary", "11") in found
    assert ("constraint-error", 4, "region", "atlantis") in found
    assert any(t == "foreign-key" and r == 3 for t, r, *_ in found), found
    assert len(found) == 3


def test_twin_csv_bytes_are_what_they_were(twin):
    # the formats add files; the CSV twin is unchanged by them (hashes of the seed's twin, item nonresponse included)
    _, hashes = twin
    assert hashes["digital_survey.synthetic.csv"].startswith("d693542cb3a4")
    assert hashes["capacity_survey.synthetic.csv"].startswith("70892de50b3f")
    assert hashes["appraisal_360.synthetic.csv"].startswith("8dd3dc54341a")


# ------------------------------------------------------------------------------------------------ SPSS twin


def test_survey_twins_are_written_as_labelled_sav(twin):
    root, hashes = twin
    for name in SURVEYS:
        sav = root / "synthetic" / f"{name}.synthetic.sav"
        assert hashlib.sha256(sav.read_bytes()).hexdigest() == hashes[sav.name]
        assert sav.read_bytes()[92:101] == FIXED_DATE  # no wall-clock timestamp in the header
        assert (root / "synthetic" / f"{name}.synthetic.ru.sps").read_text(encoding="utf-8") == russian_syntax(
            load_codebook(name), sav.name
        )
    _, meta = pyreadstat.read_sav(
        str(root / "synthetic" / "digital_survey.synthetic.sav"), metadataonly=True, user_missing=True
    )
    assert meta.column_names_to_labels["formal_training"] == "Formal digital-skills training after hiring"
    assert meta.variable_value_labels["formal_training"] == {1.0: "Never", 2.0: "Once", 3.0: "Several times"}
    assert meta.variable_value_labels["tenure_years"] == {-9.0: "No answer"}
    assert meta.missing_ranges["tenure_years"] == [{"lo": -9.0, "hi": -9.0}]
    assert meta.variable_measure["region"] == "nominal"
    assert not any(n.endswith(".synthetic.sav") for n in hashes if n.startswith(("postings",)))


def test_sav_is_byte_identical_on_rewrite(twin, tmp_path):
    root, hashes = twin
    df = pd.read_csv(synthetic_path("capacity_survey", root / "synthetic"), keep_default_na=False, dtype=str)
    df = df.replace("", None)
    for c in df.columns:
        if load_codebook("capacity_survey").field(c).type == "integer":
            df[c] = pd.to_numeric(df[c])
    p = write_sav(df, load_codebook("capacity_survey"), tmp_path / "capacity_survey.synthetic.sav")
    assert hashlib.sha256(p.read_bytes()).hexdigest() == hashes["capacity_survey.synthetic.sav"]


def test_real_mode_rehearsal_on_the_sav_twin(twin, tmp_path):
    """The .sav twin copied as if it were data/raw/*.sav: valid, and the same typed frame as the CSV twin."""
    root, _ = twin
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for name in SURVEYS:
        shutil.copy(root / "synthetic" / f"{name}.synthetic.sav", raw / f"{name}.sav")
    for name in SURVEYS:
        refs = {fk.dataset: raw / f"{fk.dataset}.sav" for fk in load_codebook(name).foreign_keys}
        report = validate_file(name, raw / f"{name}.sav", refs=refs)
        assert report.ok, report.format(limit=10)
        assert report.raw.format == "sav" and not report.notes
        from_csv = validate_file(
            name,
            synthetic_path(name, root / "synthetic"),
            refs={
                fk.dataset: synthetic_path(fk.dataset, root / "synthetic") for fk in load_codebook(name).foreign_keys
            },
        )
        pd.testing.assert_frame_equal(report.frame, from_csv.frame)


def test_a_bad_category_is_named_not_a_traceback(tmp_path):
    from civcomp.io.spss import SpssWriteError

    df = pd.DataFrame(
        {
            "respondent_id": ["R1", "R2"],
            "perspective": ["self", "boss"],
            "competency": ["leadership"] * 2,
            "score": [3, 4],
        }
    )
    with pytest.raises(SpssWriteError, match=r"row 2, column 'perspective', value 'boss'"):
        write_sav(df, load_codebook("appraisal_360"), tmp_path / "x.sav")
    df["perspective"], df["score"] = "self", [3, "seven"]
    with pytest.raises(SpssWriteError, match=r"row 2, column 'score', value 'seven': not a number"):
        write_sav(df, load_codebook("appraisal_360"), tmp_path / "x.sav")
    with pytest.raises(SpssWriteError, match=r"columns \['score'\] of codebook appraisal_360 are absent"):
        write_sav(df.drop(columns="score"), load_codebook("appraisal_360"), tmp_path / "x.sav")
    assert not (tmp_path / "x.sav").exists()
