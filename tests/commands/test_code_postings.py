"""`civcomp code-postings`: sections in the output, --all-text, columns, streaming, bad inputs, safe cells."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from civcomp.commands import code_postings as cmd

ANN = "Функциональные обязанности: работа в ЕСЭДО.\nДокументы представляются посредством портала «Е-gov»."
SUBMIT_ONLY = "Требования к участникам конкурса: высшее образование.\nДокументы представляются через портал «Е-gov»."


def _csv(tmp_path, df, name="p.csv"):
    p = tmp_path / name
    df.to_csv(p, index=False)
    return p


def test_json_has_section_and_counted(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"id": ["a", "b"], "text": [ANN, SUBMIT_ONLY]}))
    assert cmd.cli([str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["digital"] for o in out] == [True, False]
    m = {x["keyword"]: x for x in out[0]["matches"]}
    assert m["есэдо"]["section"] == "duties" and m["есэдо"]["counted"] is True
    assert m["e-gov"]["section"] == "documents" and m["e-gov"]["counted"] is False
    assert {"section", "counted", "boilerplate"} <= set(m["e-gov"])


def test_all_text_keeps_old_behaviour(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"id": ["b"], "text": [SUBMIT_ONLY]}))
    assert cmd.cli([str(p), "--json", "--all-text"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["digital"] is True and out[0]["matches"][0]["section"] == ""


def test_id_and_text_columns(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"ref": ["x"], "body": ["Требования: знание SQL"]}))
    assert cmd.cli([str(p), "--id-col", "ref", "--text-col", "body"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,digital,tiers,n_matches,keywords,not_counted" and lines[1].startswith("x,1,data_analytics")
    assert cmd.cli([str(p)]) == 1
    err = capsys.readouterr().err
    assert "missing required columns 'id', 'text'" in err and "--text-col" in err


@pytest.mark.parametrize("chunk", [["--chunk-rows", "2"], []])
def test_streaming_equals_whole(tmp_path, capsys, chunk):
    blurb = "Мы входим в большую группу компаний и все сотрудники работают в ЕСЭДО каждый день"
    texts = [f"{blurb}. Работа с клиентами {i}." for i in range(7)] + ["Требования: Excel", ANN, SUBMIT_ONLY]
    p = _csv(tmp_path, pd.DataFrame({"id": range(len(texts)), "text": texts}))
    assert cmd.cli([str(p), "--json", *chunk]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["digital"] for o in out] == [False] * 7 + [True, True, False]  # the blurb is boilerplate


def test_progress_on_stderr(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"id": ["a"], "text": ["SQL"]}))
    assert cmd.cli([str(p), "--progress", "--chunk-rows", "1"]) == 0
    err = capsys.readouterr().err
    assert "pass 1/2" in err and "pass 2/2" in err and "1 postings" in err


def _err(capsys):
    err = capsys.readouterr().err
    assert err.startswith("civcomp code-postings: ") and "Traceback" not in err and err.count("\n") == 1
    return err


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "e.csv"
    p.write_bytes(b"")
    assert cmd.cli([str(p)]) == 1
    assert "empty file" in _err(capsys)
    assert cmd.cli([str(p), "--chunk-rows", "5"]) == 1
    assert "empty file" in _err(capsys)


def test_non_utf8_streamed(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_bytes("id,text\na,знание Excel\n".encode() + b"b,\xff\xfe bad\n")
    assert cmd.cli([str(p), "--chunk-rows", "1"]) == 1
    err = _err(capsys)
    assert str(p) in err and "line 3" in err and "0xff" in err


def test_non_utf8_nor_cp1251_whole(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"id,text\na,\x98\n")  # 0x98 is undefined in Windows-1251
    assert cmd.cli([str(p)]) == 1
    err = _err(capsys)
    assert str(p) in err and "line 2" in err


def test_missing_text_column_streamed(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"id": ["a"], "body": ["x"]}))
    assert cmd.cli([str(p), "--chunk-rows", "1"]) == 1
    assert "'text'" in _err(capsys)


def test_empty_id_names_row_and_column(tmp_path, capsys):
    p = tmp_path / "p.csv"
    p.write_text("id,text\na,x\n,y\n", encoding="utf-8")
    for extra in ([], ["--chunk-rows", "1"]):
        assert cmd.cli([str(p), *extra]) == 1
        err = _err(capsys)
        assert "row 2" in err and "'id'" in err


def test_missing_file(tmp_path, capsys):
    assert cmd.cli([str(tmp_path / "none.csv")]) == 1
    assert "file not found" in _err(capsys)


def test_out_cells_neutralised(tmp_path, capsys):
    p = _csv(tmp_path, pd.DataFrame({"id": ['=HYPERLINK("x")', "-5", "@a"], "text": ["SQL", "SQL", "SQL"]}))
    out = tmp_path / "o.csv"
    assert cmd.cli([str(p), "--out", str(out)]) == 0
    ids = pd.read_csv(out, dtype=str)["id"].tolist()
    assert ids == ['\'=HYPERLINK("x")', "-5", "'@a"]


def test_safe_cell():
    assert cmd.safe_cell("+1,5") == "+1,5" and cmd.safe_cell("+a") == "'+a" and cmd.safe_cell("\rx") == "'\nx"
    assert cmd.safe_cell(None) is None


@pytest.mark.parametrize(
    "how", [["--json"], ["--out", "OUT"], ["--json", "--chunk-rows", "37"], ["--all-text", "--json"]]
)
def test_jobs_give_the_same_bytes(tmp_path, capsys, monkeypatch, how):
    """The real validation postings (repeated, with a blurb that is boilerplate only across pieces) coded with
    one process and with three: byte-identical output, several pieces of work each way."""
    from civcomp import paths

    real = pd.read_csv(paths.POSTINGS_REAL, dtype=str, keep_default_na=False)[["id", "text"]]
    blurb = "Мы входим в большую группу компаний и все сотрудники работают в ЕСЭДО каждый день."
    df = pd.concat([real, real.assign(id=real["id"] + "_b", text=blurb + " " + real["text"])], ignore_index=True)
    p = _csv(tmp_path, df)
    monkeypatch.setattr(cmd, "WORK_ROWS", 50)  # many pieces, so that workers really share the file
    got = []
    for jobs in ("1", "3"):
        argv = [str(p), *(str(tmp_path / f"out{jobs}.csv") if a == "OUT" else a for a in how), "--jobs", jobs]
        assert cmd.cli(argv) == 0
        printed = capsys.readouterr().out
        got.append((tmp_path / f"out{jobs}.csv").read_bytes() if "--out" in how else printed.encode())
    assert got[0] == got[1] and len(got[0]) > 10_000
    if "--json" in how and "--all-text" not in how:
        coded = json.loads(got[0])
        assert len(coded) == len(df) and any(m["boilerplate"] for o in coded for m in o["matches"])


def _real_with_blurb(tmp_path, sep=","):
    from civcomp import paths

    real = pd.read_csv(paths.POSTINGS_REAL, dtype=str, keep_default_na=False)[["id", "text"]]
    blurb = "Мы входим в большую группу компаний и все сотрудники работают в ЕСЭДО каждый день."
    df = pd.concat([real, real.assign(id=real["id"] + "_b", text=blurb + " " + real["text"])], ignore_index=True)
    p = tmp_path / "p.csv"
    df.to_csv(p, index=False, sep=sep)
    return p, df


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_byte_ranges_give_the_bytes_of_the_whole_file(tmp_path, capsys, monkeypatch, jobs, sep):
    """Streamed in byte ranges that the coding processes read themselves: the output of reading it whole."""
    p, _ = _real_with_blurb(tmp_path, sep)
    assert cmd.cli([str(p), "--out", str(tmp_path / "whole.csv")]) == 0
    monkeypatch.setattr(cmd, "WORK_BYTES", 40_000)  # many ranges
    assert len(cmd._ranges(p, _ns())) > 10
    assert cmd.cli([str(p), "--stream-mb", "0", "--jobs", jobs, "--out", str(tmp_path / "ranges.csv")]) == 0
    assert (tmp_path / "ranges.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    capsys.readouterr()


def _ns(**kw):
    import argparse

    return argparse.Namespace(**{"id_col": "id", "text_col": "text", **kw})


def test_not_well_formed_is_read_the_ordinary_way(tmp_path, capsys):
    p = tmp_path / "p.csv"
    p.write_bytes('id,text\r\na,Требования: знание "Excel" и SQL\r\nb,x\r\n'.encode())
    assert cmd._ranges(p, _ns()) is not None  # the header is plain: the ranges are rejected by the workers
    for jobs in ("1", "2"):
        assert cmd.cli([str(p), "--stream-mb", "0", "--jobs", jobs, "--out", str(tmp_path / f"{jobs}.csv")]) == 0
    assert cmd.cli([str(p), "--out", str(tmp_path / "whole.csv")]) == 0
    want = (tmp_path / "whole.csv").read_bytes()
    assert (tmp_path / "1.csv").read_bytes() == want == (tmp_path / "2.csv").read_bytes()
    assert b"a,1,basic_literacy_office|data_analytics,2" in want
    capsys.readouterr()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_input_in_byte_ranges_is_named_as_before(tmp_path, capsys, jobs):
    p = tmp_path / "p.csv"
    p.write_text("id,text\na,x\n,y\n", encoding="utf-8")
    assert cmd.cli([str(p), "--stream-mb", "0", "--jobs", jobs]) == 1
    assert "row 2" in _err(capsys)
    p.write_bytes("id,text\na,знание Excel\n".encode() + b"b,\xff\xfe bad\n")
    assert cmd.cli([str(p), "--stream-mb", "0", "--jobs", jobs]) == 1
    err = _err(capsys)
    assert "line 3" in err and "0xff" in err


def test_header_only_in_byte_ranges(tmp_path, capsys):
    p = tmp_path / "p.csv"
    p.write_text("id,text\n", encoding="utf-8")
    assert cmd.cli([str(p), "--stream-mb", "0", "--json"]) == 0
    assert capsys.readouterr().out == "[\n]\n"
    assert cmd.cli([str(p), "--stream-mb", "0"]) == 0
    assert capsys.readouterr().out == "id,digital,tiers,n_matches,keywords,not_counted\n"


@pytest.mark.parametrize("memo", [0, 30_000, 10**9])
def test_repeated_texts_are_matched_once_with_the_same_result(tmp_path, capsys, monkeypatch, memo):
    """Reposts: every text three times, in shuffled order; remembering none, some (cleared when full) or all of
    them gives the same bytes, boilerplate counted per posting."""
    p, df = _real_with_blurb(tmp_path)
    rep = pd.concat([df, df, df], ignore_index=True).sample(frac=1.0, random_state=3)
    rep = rep.assign(id=[f"r{i}" for i in range(len(rep))])
    rep.to_csv(p, index=False)
    monkeypatch.setattr(cmd, "WORK_ROWS", 97)
    monkeypatch.setattr(cmd, "MEMO_CHARS", 0)
    assert cmd.cli([str(p), "--json"]) == 0
    want = capsys.readouterr().out
    monkeypatch.setattr(cmd, "MEMO_CHARS", memo)
    assert cmd.cli([str(p), "--json"]) == 0
    assert capsys.readouterr().out == want
    assert any(m["boilerplate"] for o in json.loads(want) for m in o["matches"])


def test_repeated_texts_in_byte_ranges(tmp_path, capsys, monkeypatch):
    """Texts repeated across byte ranges (remembered as bytes): the bytes of the file read whole."""
    p, df = _real_with_blurb(tmp_path)
    rep = pd.concat([df, df], ignore_index=True).sample(frac=1.0, random_state=5)
    rep.assign(id=[f"r{i}" for i in range(len(rep))]).to_csv(p, index=False)
    assert cmd.cli([str(p), "--json"]) == 0
    want = capsys.readouterr().out
    monkeypatch.setattr(cmd, "WORK_BYTES", 50_000)
    assert cmd.cli([str(p), "--json", "--stream-mb", "0"]) == 0
    assert capsys.readouterr().out == want
