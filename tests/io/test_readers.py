"""Readers: encodings, separators, decimal comma, Excel/SPSS/Parquet twins, and a property-based CSV round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civcomp.io.codebook import load_codebook
from civcomp.io.readers import ReadError, cell_text, read_csv_bytes, read_table
from civcomp.io.validate import check, validate_file

FIX = Path(__file__).parents[1] / "fixtures" / "data"


def typed(name: str, path: Path, **kw) -> pd.DataFrame:
    report = validate_file(name, path, refs={}, **kw)
    assert report.ok, report.format()
    return report.frame


# --- the acceptance fixtures --------------------------------------------------------------------------------


def test_cp1251_semicolon_decimal_comma_loads_like_its_utf8_twin():
    raw = read_table(FIX / "capacity_cp1251.csv")
    assert (raw.encoding, raw.sep, raw.decimal) == ("cp1251", ";", ",")
    assert raw.frame.loc[1, "agency_activities"] == "6,0"  # raw text is kept for error messages
    assert raw.frame.loc[1, "region"] == "Абайская область"
    pdt.assert_frame_equal(
        typed("capacity_survey", FIX / "capacity_cp1251.csv"), typed("capacity_survey", FIX / "capacity_utf8.csv")
    )


def test_cp1251_postings_keep_commas_in_free_text():
    cp = typed("postings", FIX / "postings_cp1251.csv")
    pdt.assert_frame_equal(cp, typed("postings", FIX / "postings_utf8.csv"))
    assert "опыт не менее 1,5 года" in cp.loc[0, "text"] and "\n" in cp.loc[0, "text"]
    assert cp["published"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2024-02-05", "2024-03-11"]


@pytest.mark.parametrize(
    "fname", ["capacity_utf8_bom.csv", "capacity.xlsx", "capacity.parquet", "capacity_ru_labels.sav"]
)
def test_every_format_loads_to_the_same_frame(fname):
    pdt.assert_frame_equal(typed("capacity_survey", FIX / fname), typed("capacity_survey", FIX / "capacity_utf8.csv"))


def test_sav_with_english_value_labels_and_multiselect():
    sav = typed("digital_survey", FIX / "digital_survey_en_labels.sav")
    pdt.assert_frame_equal(sav, typed("digital_survey", FIX / "digital_survey_utf8.csv"))
    raw = read_table(FIX / "digital_survey_en_labels.sav")
    assert raw.value_labels["formal_training"]["1"] in ("Never", "Once", "Several times")


def test_sav_round_trip_with_value_labels(tmp_path):
    """Typed frame → .sav with numeric codes and Russian value labels → read back: the same frame."""
    cb = load_codebook("capacity_survey")
    df = typed("capacity_survey", FIX / "capacity_utf8.csv")
    out = df.copy()
    labels = {}
    for f in cb.fields:
        if f.type == "category":
            codes = {c: i + 1 for i, c in enumerate(f.values)}
            labels[f.name] = {float(i): f.labels[c]["ru"] for c, i in codes.items()}
            out[f.name] = df[f.name].astype(object).map(codes).astype(float)
        elif f.type == "integer":
            out[f.name] = df[f.name].astype("Float64").astype(float)
        else:
            out[f.name] = df[f.name].astype(object)
    path = tmp_path / "cap.sav"
    pyreadstat.write_sav(out, str(path), variable_value_labels=labels)
    pdt.assert_frame_equal(typed("capacity_survey", path), df)


# --- detection rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding, sep, decimal",
    [
        (b"a,b\n1,2\n", "utf-8", ",", "."),
        (b"\xef\xbb\xbfa;b\n1;2\n", "utf-8-sig", ";", ","),
        ("a;b\n1;Шымкент\n".encode("cp1251"), "cp1251", ";", ","),
        ('a,b\n1,"Шымкент"\n'.encode("cp1251"), "cp1251", ",", ","),  # cp1251 export: decimal comma
        (b"a\tb\n1\t2\n", "utf-8", "\t", "."),
        (b"sep=;\na,b;c\n1;2\n", "utf-8", ";", ","),  # Excel's separator hint line
        ("a;b\n1;2\n".encode("utf-16"), "utf-16", ";", ","),
    ],
)
def test_detection(data, encoding, sep, decimal):
    raw = read_csv_bytes(data)
    assert (raw.encoding, raw.sep, raw.decimal) == (encoding, sep, decimal)


def test_utf8_is_preferred_over_cp1251_deterministically():
    text = "id,region\n1,Алматы\n"
    assert read_csv_bytes(text.encode("utf-8")).frame.loc[1, "region"] == "Алматы"
    assert read_csv_bytes(text.encode("cp1251")).frame.loc[1, "region"] == "Алматы"


@pytest.mark.parametrize(
    "data, rule",
    [
        (b"", "empty_file"),
        (b"\r\n \n", "empty_file"),
        (b"a,b\n1,\x98\xff\n", "encoding"),  # 0x98 is undefined in cp1251 and this is not UTF-8
        (b"PK\x03\x04\x00\x00binary", "unreadable"),
    ],
)
def test_unreadable_bytes(data, rule):
    with pytest.raises(ReadError) as exc:
        read_csv_bytes(data)
    assert exc.value.rule == rule


def test_line_numbers_follow_multiline_quoted_text_and_blank_lines():
    raw = read_csv_bytes(b'id,text\nA,"two\nlines"\n\nB,x\n,,\nC,"a,b"\n')
    assert raw.frame.index.tolist() == [1, 2, 3]
    assert [raw.line_of(r) for r in (1, 2, 3)] == [2, 5, 7]


def test_ragged_rows_are_reported_not_read():
    raw = read_csv_bytes(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,\n")
    assert raw.frame.index.tolist() == [1, 4]  # row 4 had only a trailing empty field
    assert raw.ragged == [(2, 3, 2, 3), (3, 4, 4, 3)]


def test_duplicate_and_unnamed_columns():
    raw = read_csv_bytes(b"a,a,,b,\n1,2,,3,\n")
    assert list(raw.frame.columns) == ["a", "b"] and raw.duplicate_columns == ["a"]


def test_cell_text_of_typed_cells():
    assert [
        cell_text(v)
        for v in (
            3,
            3.0,
            2.5,
            np.float64(1e20),
            pd.NA,
            pd.Timestamp("2024-01-02"),
            dt.datetime(2024, 1, 2, 10, 30),
            False,
        )
    ] == ["3", "3", "2.5", "1e+20", "", "2024-01-02", "2024-01-02T10:30:00", "0"]


@pytest.mark.parametrize(
    "suffix, rule",
    [(".xlsx", "unreadable"), (".sav", "unreadable"), (".parquet", "unreadable"), (".json", "unreadable")],
)
def test_garbage_binary_files(tmp_path, suffix, rule):
    p = tmp_path / f"x{suffix}"
    p.write_bytes(b"not really a " + suffix.encode())
    with pytest.raises(ReadError) as exc:
        read_table(p)
    assert exc.value.rule == rule


# --- property: any frame written as CSV in any supported dialect reads back equal ---------------------------

DEMO = """\
dataset: demo
title: property-test table
missing_values: [""]
primary_key: id
fields:
  - {name: id, type: string, required: true, unique: true}
  - {name: cat, type: category, values: [alpha, beta, gamma], labels: {alpha: {en: Alpha, ru: Альфа}}}
  - {name: n, type: integer, min: -100000, max: 100000}
  - {name: x, type: number}
  - {name: txt, type: string}
  - {name: d, type: date}
"""


@pytest.fixture(scope="module")
def demo_cb(tmp_path_factory):
    d = tmp_path_factory.mktemp("cb")
    (d / "demo.yaml").write_text(DEMO, encoding="utf-8")
    return load_codebook("demo", d)


CP1251_SAFE = st.sampled_from(
    list("abcXYZ019 .-_!?()«»") + list("АБВабвгдеёжзийклмнопрстуфхцчшщъыьэюяЁ") + [",", ";", '"', "\n", "\t", "'"]
)
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["alpha", "beta", "gamma", "", "Альфа", "ALPHA"]),
        st.one_of(st.none(), st.integers(-100000, 100000)),
        st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
        st.text(CP1251_SAFE, max_size=30),
        st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
        st.booleans(),  # write the integer with a ".0" / ",0" tail
        st.booleans(),  # write the date as DD.MM.YYYY
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=rows_strategy,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
    sep=st.sampled_from([",", ";"]),
    crlf=st.booleans(),
)
def test_csv_round_trip_property(demo_cb, rows, encoding, sep, crlf):
    decimal = "," if sep == ";" else "."  # the decimal comma is only promised with ';' (see readers)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n" if crlf else "\n")
    w.writerow(["id", "cat", "n", "x", "txt", "d"])
    for i, (cat, n, x, txt, d, tail, ru_date) in enumerate(rows):
        ns = "" if n is None else str(n) + ((decimal + "0") if tail else "")
        xs = "" if x is None else repr(x).replace(".", decimal)
        ds = "" if d is None else (d.strftime("%d.%m.%Y") if ru_date else d.isoformat())
        w.writerow([f"id{i}", cat, ns, xs, txt, ds])
    data = buf.getvalue().encode(encoding)
    raw = read_csv_bytes(data)
    frame, violations = check(raw, demo_cb)
    assert violations == []
    cat_code = {"alpha": "alpha", "beta": "beta", "gamma": "gamma", "": None, "Альфа": "alpha", "ALPHA": "alpha"}
    expected = pd.DataFrame(
        {
            "id": pd.Series([f"id{i}" for i in range(len(rows))], dtype="string"),
            "cat": pd.Categorical([cat_code[r[0]] for r in rows], categories=["alpha", "beta", "gamma"]),
            "n": pd.array([r[1] for r in rows], dtype="Int64"),
            "x": pd.array([r[2] for r in rows], dtype="Float64"),
            "txt": pd.Series([r[3].strip() or None for r in rows], dtype="string"),
            "d": pd.to_datetime(pd.Series([pd.NaT if r[4] is None else pd.Timestamp(r[4]) for r in rows])).astype(
                "datetime64[ns]"
            ),
        }
    )
    pdt.assert_frame_equal(frame, expected)
