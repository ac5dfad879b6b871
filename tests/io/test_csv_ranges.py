"""Byte ranges of a CSV read by several processes: the same records as pandas, or None when not provably so."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civcomp.io import csv_ranges as cr

PIECES = ["a", "Ж", "ә", ",", ";", '"', '""', "\n", " ", "\t", "x" * 30, "'", "=1", "😀", "\u2028"]
FIELD = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def _file(tmp_path, rows, header=("id", "text"), sep=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    p = tmp_path / "p.csv"
    p.write_bytes(buf.getvalue().encode("utf-8"))
    return p


def _read_all(p, lay, piece_bytes):
    cuts = cr.cuts(p, lay, p.stat().st_size, piece_bytes)
    data = p.read_bytes()
    parts = [cr.read_range(data[s:e], lay) for s, e in zip(cuts, cuts[1:])]
    return cuts, parts


def _pandas(p, sep=","):
    df = pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return df["id"].tolist(), df["text"].tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(FIELD.filter(lambda s: s.strip()), FIELD), min_size=1, max_size=40))
def test_ranges_are_the_records_pandas_reads(tmp_path_factory, rows):
    p = _file(tmp_path_factory.mktemp("r"), rows)
    lay = cr.layout(p, ",", ("id", "text"))
    want = _pandas(p)
    cuts, parts = _read_all(p, lay, 64)
    if all(x is not None for x in parts):
        assert [i for x in parts for i in x[0]] == want[0] and [t for x in parts for t in x[1]] == want[1]
    else:  # a guessed cut fell inside a field: some range says so, never a wrong record
        assert cr.read_range(p.read_bytes()[lay.start :], lay) == want


def test_a_real_file_in_many_ranges(tmp_path):
    from civcomp import paths

    df = pd.read_csv(paths.POSTINGS_REAL, dtype=str, keep_default_na=False)[["id", "text"]]
    p = tmp_path / "p.csv"
    df.to_csv(p, index=False, sep=";")
    lay = cr.layout(p, ";", ("id", "text"))
    cuts, parts = _read_all(p, lay, 20_000)
    assert len(cuts) > 20 and all(x is not None for x in parts)
    assert [t for x in parts for t in x[1]] == df["text"].tolist()


def test_a_cut_inside_a_quoted_field_is_caught(tmp_path):
    p = _file(tmp_path, [("a", "line one\nline two"), ("b", "x")])
    data = p.read_bytes()
    lay = cr.layout(p, ",", ("id", "text"))
    inside = data.index(b"line two")
    assert cr.read_range(data[lay.start : inside], lay) is None  # ends inside quotes
    assert cr.read_range(data[lay.start :], lay) == (["a", "b"], ["line one\nline two", "x"])


@pytest.mark.parametrize(
    "body",
    [
        b'a,x"y\n',  # a quote inside an unquoted field (pandas keeps it)
        b"a,x\r\nb,y\r\n",  # carriage returns
        b"a,x\n\nb,y\n",  # a blank line (pandas skips it)
        b"a,x,z\n",  # ragged
        b"a\n",  # short
        b"a,\xff\n",  # not UTF-8
        b'a,"x"y\n',  # text after a closing quote
        b"a,x\x00\n",
    ],
)
def test_not_well_formed_is_none(body):
    assert cr.read_range(body, cr.Layout(0, b",", 2, (0, 1))) is None


def test_layout_needs_one_plain_header(tmp_path):
    assert cr.layout(_file(tmp_path, [("a", "b")]), ",", ("id", "text")) == cr.Layout(8, b",", 2, (0, 1))
    assert cr.layout(_file(tmp_path, [("a", "b")], header=("id", "body")), ",", ("id", "text")) is None
    dup = cr.layout(_file(tmp_path, [("a", "b")], header=("id", "id")), ",", ("id",))
    assert dup.columns == (0,)  # pandas names the second one "id.1", as the ordinary reader does
    p = tmp_path / "q.csv"
    p.write_bytes(b'"id\nx",text\na,b\n')
    assert cr.layout(p, ",", ("text",)) is None


def test_last_record_without_line_break_and_empty_range():
    lay = cr.Layout(0, b",", 2, (1,))
    assert cr.read_range(b'a,"x ""q"""', lay) == (['x "q"'],)
    assert cr.read_range(b"", lay) == ([],)


def test_unquoted_file_is_cut_too(tmp_path):
    rows = [(f"p{i}", f"знание Excel {i}") for i in range(3000)]
    p = _file(tmp_path, rows)
    lay = cr.layout(p, ",", ("id", "text"))
    cuts, parts = _read_all(p, lay, 5_000)
    assert len(cuts) > 10 and all(x is not None for x in parts)
    assert [t for x in parts for t in x[1]] == [t for _, t in rows]


def test_a_wrong_guess_without_quotes_is_caught(tmp_path):
    """A field longer than the window, so the cut lands inside it: the range before says so."""
    p = _file(tmp_path, [("a", "x\n" * 700_000), ("b", "y")])
    lay = cr.layout(p, ",", ("id", "text"))
    cuts, parts = _read_all(p, lay, 300_000)
    assert len(cuts) > 2 and parts[0] is None
