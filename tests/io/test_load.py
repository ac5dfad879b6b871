"""civcomp.io.load: typed loading of the twin and of real files (validated first, cached by SHA-256), companions."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from civcomp import paths
from civcomp.io import load as data
from civcomp.io.codebook import load_codebook
from civcomp.io.load import DataError, DataValidationError

FIX = Path(__file__).parents[1] / "fixtures" / "data"


@pytest.fixture
def synthetic_dir(tmp_path, monkeypatch):
    d = tmp_path / "synthetic"
    d.mkdir()
    monkeypatch.setattr(paths, "SYNTHETIC", d)
    for src, name in [
        ("capacity_utf8.csv", "capacity_survey"),
        ("appraisal_utf8.csv", "appraisal_360"),
        ("postings_all_utf8.csv", "postings"),
        ("digital_survey_utf8.csv", "digital_survey"),
    ]:
        shutil.copy(FIX / src, d / f"{name}.synthetic.csv")
    (d / "postings_truth.synthetic.csv").write_text(
        "id,digital,tiers,sections\nP001,1,basic|office,duties:0-9\nP002,0,,duties:0-5\n", encoding="utf-8"
    )
    (d / "postings_gold.synthetic.csv").write_text("id,coder_a,coder_b\nP001,1,1\nP003,0,1\n", encoding="utf-8")
    return d


@pytest.fixture
def real_setup(tmp_path, monkeypatch):
    """A project whose params point at copies of the fixtures in a raw folder (absolute and relative paths)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    files = {
        "postings": "postings_all_utf8.csv",
        "digital_survey": "digital_survey_en_labels.sav",
        "capacity_survey": "capacity_ru_labels.sav",
        "appraisal_360": "appraisal_utf8.csv",
    }
    real = {}
    for name, src in files.items():
        dst = raw / f"{name}{Path(src).suffix}"
        shutil.copy(FIX / src, dst)
        real[name] = str(dst)
    real["postings_gold"] = str(raw / "postings_gold.csv")  # configured, not present yet
    pdir = tmp_path / "params"
    pdir.mkdir()
    lines = ["seed: 1", "data_source: real", "real_data:"] + [f"  {k}: {v}" for k, v in real.items()]
    (pdir / "global.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS", pdir)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    return raw


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_synthetic_load_is_typed_in_codebook_order(synthetic_dir):
    cap = data.load("capacity_survey")
    cb = load_codebook("capacity_survey")
    assert list(cap.columns) == cb.columns
    assert cap["region"].cat.categories.tolist() == cb.categories("region")
    assert str(cap["age"].dtype) == "Int64" and str(cap["respondent_id"].dtype) == "string"
    assert cap["age"].isna().sum() == 1  # -9 → NA
    ds = data.load("digital_survey")
    assert all(str(ds[c].dtype) == "Int64" for c in ds.columns if c.startswith(("challenge_", "resp_", "barrier_")))
    assert ds["digital_required_at_hiring"].cat.categories.tolist() == ["yes", "no", "dont_know"]
    posts = data.load("postings")
    assert posts["published"].dtype == "datetime64[ns]" and posts["language"].tolist().count("kk") == 1
    app = data.load("appraisal_360")
    assert len(app) == 180 and app["score"].isna().sum() == 1  # 99 → NA
    assert data.load("postings_truth")["digital"].tolist() == [1, 0]
    assert data.load("postings_gold")["coder_b"].tolist() == [1, 1]


def test_synthetic_foreign_key_is_checked_against_the_twin(synthetic_dir):
    (synthetic_dir / "capacity_survey.synthetic.csv").write_text(
        (FIX / "capacity_utf8.csv").read_text(encoding="utf-8").replace("R03,", "R33,"), encoding="utf-8"
    )
    with pytest.raises(DataValidationError) as exc:
        data.load("appraisal_360")
    assert len(exc.value.violations) == 60 and {v.rule for v in exc.value.violations} == {"foreign_key"}


def test_missing_twin_says_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SYNTHETIC", tmp_path)
    with pytest.raises(DataError, match="civcomp synthesize"):
        data.load("capacity_survey")


def test_invalid_file_raises_with_the_full_list(synthetic_dir):
    shutil.copy(FIX / "broken" / "capacity_survey_broken.csv", synthetic_dir / "capacity_survey.synthetic.csv")
    with pytest.raises(DataValidationError) as exc:
        data.load("capacity_survey")
    text = str(exc.value)
    assert len(exc.value.violations) == 9 and len(text.splitlines()) == 10
    for needle in ("'thirty'", "'Mars'", "'R01'", "'weight'", "'schedule'", "row 9 (line 10)"):
        assert needle in text


def test_real_mode_validates_caches_and_never_touches_raw(real_setup, monkeypatch):
    before = {p.name: _sha(p) for p in real_setup.iterdir()}
    cap = data.load("capacity_survey", "real")
    pdt.assert_frame_equal(cap, data.validate_file("capacity_survey", FIX / "capacity_utf8.csv").frame)
    cache = paths.PROCESSED / "capacity_survey.parquet"
    assert cache.is_file()
    pdt.assert_frame_equal(pd.read_parquet(cache), cap)

    def boom(*a, **k):
        raise AssertionError("validated again although the raw file did not change")

    original = data.validate_file
    monkeypatch.setattr(data, "validate_file", boom)
    pdt.assert_frame_equal(data.load("capacity_survey", "real"), cap)  # served from the cache, dtypes intact
    monkeypatch.setattr(data, "validate_file", original)
    # a changed raw file invalidates the cache
    (real_setup / "capacity_survey.sav").write_bytes((FIX / "broken" / "empty.csv").read_bytes())
    with pytest.raises(DataValidationError, match="unreadable"):
        data.load("capacity_survey", "real")
    after = {p.name: _sha(p) for p in real_setup.iterdir() if p.name in before}
    assert {k: v for k, v in after.items() if k != "capacity_survey.sav"} == {
        k: v for k, v in before.items() if k != "capacity_survey.sav"
    }


def test_real_companions(real_setup):
    with pytest.raises(DataError, match="only in the synthetic twin"):
        data.load("postings_truth", "real")
    with pytest.raises(DataError, match="optional real file"):
        data.load("postings_gold", "real")
    assert not data.available("postings_gold", "real")
    (real_setup / "postings_gold.csv").write_text("id,coder_a,coder_b\nP001,1,0\nP999,1,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:  # P999 is not a posting
        data.load("postings_gold", "real")
    assert [(v.rule, v.row, v.value) for v in exc.value.violations] == [("foreign_key", 2, "P999")]


def test_dataset_files(real_setup, synthetic_dir):
    assert [p.name for p in data.dataset_files("synthetic")] == [
        "postings.synthetic.csv",
        "digital_survey.synthetic.csv",
        "capacity_survey.synthetic.csv",
        "appraisal_360.synthetic.csv",
        "postings_truth.synthetic.csv",
        "postings_gold.synthetic.csv",
    ]
    assert [p.name for p in data.dataset_files("real")] == [
        "postings.csv",
        "digital_survey.sav",
        "capacity_survey.sav",
        "appraisal_360.csv",
    ]
    (real_setup / "postings_gold.csv").write_text("id,coder_a,coder_b\nP001,1,0\n", encoding="utf-8")
    assert data.dataset_files("real")[-1].name == "postings_gold.csv"


def test_check_real_data_reports_every_file(real_setup):
    reports = data.check_real_data()
    assert [r.dataset for r in reports] == ["postings", "digital_survey", "capacity_survey", "appraisal_360"]
    assert all(r.ok for r in reports)
    assert sorted(p.name for p in paths.PROCESSED.glob("*.parquet")) == [
        "appraisal_360.parquet",
        "capacity_survey.parquet",
        "digital_survey.parquet",
        "postings.parquet",
    ]
    posts = data.load("postings", "real")  # from the Parquet cache: types survive the round trip
    assert posts["published"].dtype == "datetime64[ns]" and str(posts["text"].dtype) == "string"
    assert posts["level"].cat.categories.tolist() == ["central", "regional", "district"]
    shutil.copy(FIX / "broken" / "appraisal_360_broken.csv", real_setup / "appraisal_360.csv")
    (real_setup / "postings.csv").write_bytes(b"")
    with pytest.raises(DataValidationError) as exc:
        data.check_real_data()
    files = {Path(v.file).name for v in exc.value.violations}
    assert files == {"postings.csv", "appraisal_360.csv"}
    # with postings unreadable, the gold/truth keys are not involved; the appraisal's orphan R99 is still found
    assert ("foreign_key", 5, "R99") in {(v.rule, v.row, v.value) for v in exc.value.violations}


def test_unconfigured_real_dataset(tmp_path, monkeypatch):
    (tmp_path / "global.yaml").write_text("seed: 1\ndata_source: real\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS", tmp_path)
    with pytest.raises(DataError, match="real_data.capacity_survey is not set"):
        data.load("capacity_survey", "real")
    with pytest.raises(DataError, match="'synthetic' or 'real'"):
        data.load("capacity_survey", "simulated")


def test_real_data_may_not_point_into_pipeline_written_folders(tmp_path, monkeypatch):
    from civcomp.io import sources

    pdir = tmp_path / "params"
    pdir.mkdir()
    (pdir / "global.yaml").write_text(
        "seed: 1\ndata_source: real\nreal_data:\n"
        "  capacity_survey: data/processed/capacity_survey.parquet\n"
        "  appraisal_360: /somewhere/else/appraisal.csv\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "PARAMS", pdir)
    with pytest.raises(DataError, match="data/processed/.*typed cache"):
        sources.real_path("capacity_survey")
    assert sources.real_path("appraisal_360") == Path("/somewhere/else/appraisal.csv")  # outside: allowed …
    shown = sources.public_params({"real_data": {"appraisal_360": "/somewhere/else/appraisal.csv"}})
    assert shown["real_data"]["appraisal_360"] == "<outside the repository>/appraisal.csv"  # … but not published
