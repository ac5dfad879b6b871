"""Validation: every seeded error of every kind is reported (file, row, column, value, rule), exit codes, no
traceback, capped printing, and property-based checks (valid rows pass; one corruption → exactly that violation)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civcomp.commands.validate import cli
from civcomp.io.codebook import load_codebook
from civcomp.io.readers import read_csv_bytes
from civcomp.io.validate import SAMPLE_ROWS, validate_file, validate_raw
from civcomp.io.violations import CAP_PER_RULE, PRINT_LIMIT, DataValidationError, Violation

FIX = Path(__file__).parents[1] / "fixtures" / "data"
BROKEN = FIX / "broken"


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    rc = cli([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


def keyed(violations: list[Violation]) -> set[tuple]:
    return {(v.rule, v.row, v.column, v.value) for v in violations}


# --- one seeded error of each kind ------------------------------------------------------------------------

CAPACITY_EXPECTED = {
    ("missing_column", None, "schedule", None),
    ("extra_column", None, "weight", None),
    ("type", 2, "age", "thirty"),
    ("range", 3, "salary", "11"),
    ("category", 4, "region", "Mars"),
    ("required", 5, "gender", ""),
    ("duplicate_id", 6, "respondent_id", "R01"),
    ("type", 7, "trust", "7.5"),
    ("field_count", 9, None, None),
}


def test_broken_capacity_file_lists_every_violation(capsys):
    f = BROKEN / "capacity_survey_broken.csv"
    report = validate_file("capacity_survey", f)
    assert keyed(report.violations) == CAPACITY_EXPECTED
    by_row = {v.row: v for v in report.violations if v.row}
    assert by_row[2].line == 3 and by_row[9].line == 10 and by_row[2].file == str(f)
    rc, out, err = run_cli(capsys, "capacity_survey", f)
    assert rc == 1 and "9 violation(s)" in err
    for rule, row, column, value in CAPACITY_EXPECTED:
        line = next(ln for ln in out.splitlines() if f"— {rule}:" in ln and (column is None or repr(column) in ln))
        assert str(f) in line
        if row is not None:
            assert f"row {row} " in line
        if value is not None:
            assert repr(value) in line


def test_broken_appraisal_orphan_and_duplicate_composite_key(capsys):
    f = BROKEN / "appraisal_360_broken.csv"
    rc, out, _ = run_cli(capsys, "appraisal_360", f, "--capacity", FIX / "capacity_utf8.csv", "--json")
    assert rc == 1
    report = json.loads(out)
    got = {(v["rule"], v["row"], v["column"], v["value"]) for v in report["violations"]}
    assert got == {
        ("foreign_key", 5, "respondent_id", "R99"),
        ("duplicate_key", 10, "respondent_id+perspective+competency", "R01|self|leadership"),
        ("range", 12, "score", "12"),
        ("category", 14, "competency", "charisma"),
    }
    assert report["valid"] is False and report["counts"]["foreign_key"] == 1


def test_broken_postings_pattern_and_date():
    report = validate_file("postings", BROKEN / "postings_broken.csv")
    assert keyed(report.violations) == {("pattern", 1, "category", "В-4"), ("type", 3, "published", "2024-13-45")}
    assert [v.line for v in report.violations] == [2, 5]  # multi-line texts shift lines, not rows


@pytest.mark.parametrize(
    "fname, rule, text",
    [
        ("empty.csv", "empty_file", "the file is empty"),
        ("header_only.csv", "empty_file", "no data rows"),
        ("bad_encoding.csv", "encoding", "neither UTF-8 nor Windows-1251"),
        ("not_a_workbook.xlsx", "unreadable", "not a readable .xlsx"),
        ("capacity_survey.json", "unreadable", "unsupported file type"),
        ("does_not_exist.csv", "unreadable", "file not found"),
    ],
)
def test_whole_file_problems(capsys, fname, rule, text):
    rc, out, err = run_cli(capsys, "capacity_survey", BROKEN / fname)
    assert rc == 1 and f"— {rule}: " in out and text in out


def test_duplicate_column_and_case_hint(tmp_path):
    p = tmp_path / "gold.csv"
    p.write_text("ID,coder_a,coder_b,coder_b\nP1,1,0,0\n", encoding="utf-8")
    report = validate_file("postings_gold", p, refs={})
    assert {(v.rule, v.column) for v in report.violations} == {
        ("missing_column", "id"),
        ("extra_column", "ID"),
        ("duplicate_column", "coder_b"),
    }
    assert "did you mean 'id'" in str(report.violations[1]) or "did you mean 'id'" in str(report.violations[0])


def test_orphan_check_needs_readable_reference(capsys):
    rc, out, _ = run_cli(capsys, "appraisal_360", FIX / "appraisal_utf8.csv", "--capacity", BROKEN / "empty.csv")
    assert rc == 1 and "cannot check capacity_survey.respondent_id" in out


def test_valid_files_exit_zero(capsys):
    rc, out, _ = run_cli(capsys, "appraisal_360", FIX / "appraisal_utf8.csv", "--capacity", FIX / "capacity_utf8.csv")
    assert rc == 0 and "valid against codebook appraisal_360" in out
    rc, out, _ = run_cli(capsys, "capacity_survey", FIX / "capacity_cp1251.csv")
    assert rc == 0 and "encoding cp1251, separator ';', decimal ','" in out
    rc, out, _ = run_cli(capsys, "digital_survey", FIX / "digital_survey_en_labels.sav")
    assert rc == 0


def test_missing_codes_become_na_not_violations():
    report = validate_file("capacity_survey", FIX / "capacity_utf8.csv")
    assert report.ok
    df = report.frame
    assert df.loc[3, "age"] is __import__("pandas").NA and df.loc[3, "agency_activities"] is __import__("pandas").NA
    assert df["reform_rating"].isna().sum() == 1 and df["reason"].isna().sum() == 1


def test_violations_are_capped_per_rule_but_all_counted(tmp_path, capsys):
    p = tmp_path / "gold.csv"
    p.write_text("id,coder_a,coder_b\n" + "".join(f"P{i},7,9\n" for i in range(450)), encoding="utf-8")
    report = validate_file("postings_gold", p, refs={})
    assert len(report.violations) == 2 * CAP_PER_RULE  # kept: the cap per rule and column
    assert report.n_violations == 900 and report.counts() == {"range": 900}
    rc, out, _ = run_cli(capsys, "postings_gold", p)
    assert rc == 1 and out.count("— range:") == 200 and "... and 700 more" in out and "range 900" in out


def test_a_million_garbage_rows_are_refused_from_a_sample(tmp_path):
    """A long file whose first rows are garbage is refused after SAMPLE_ROWS rows (bounded time and memory)."""
    p = tmp_path / "appraisal.csv"
    row = "xx,yy,zz,ww\n"
    p.write_text("respondent_id,perspective,competency,score\n" + row * (SAMPLE_ROWS + 5000), encoding="utf-8")
    report = validate_file("appraisal_360", p, refs={})
    assert not report.ok and report.violations[0].rule == "mostly_invalid"
    assert report.raw is not None and len(report.raw.frame) == SAMPLE_ROWS  # the rest was never read
    assert len(report.violations) <= 1 + 3 * CAP_PER_RULE
    with pytest.raises(DataValidationError) as exc:
        raise DataValidationError(report.violations)
    assert str(exc.value).count("\n") <= PRINT_LIMIT + 2


def test_command_line_has_no_traceback():
    """The installed entry point, end to end, on a broken file."""
    exe = Path(sys.executable).with_name("civcomp")
    proc = subprocess.run(
        [str(exe), "validate", "capacity_survey", str(BROKEN / "capacity_survey_broken.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "duplicate_id" in proc.stdout


# --- properties -----------------------------------------------------------------------------------------------


def _value_strategy(f):
    if f.type == "category":
        spellings = [c for c in f.values] + [lab for c in f.values for lab in f.labels.get(c, {}).values()]
        s = st.sampled_from(spellings)
    elif f.type == "integer":
        s = st.integers(int(f.minimum), int(f.maximum)).map(str)
        if f.missing_codes:
            s = s | st.sampled_from([str(m) for m in f.missing_codes])
    elif f.type == "date":
        import datetime as dt

        s = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat())
    elif f.pattern:
        s = st.from_regex(f.pattern, fullmatch=True).filter(lambda t: t == t.strip())
    else:
        s = st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(',;"\n'),
            min_size=1,
            max_size=20,
        ).filter(lambda t: t.strip())
    return s if f.required else (s | st.just(""))


@st.composite
def valid_table(draw, name):
    cb = load_codebook(name)
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        row = {}
        for f in cb.fields:
            row[f.name] = f"ID{i:03d}" if f.unique else draw(_value_strategy(f))
        rows.append(row)
    return cb, rows


def _csv(columns, rows, sep=",") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(columns)
    w.writerows([[r.get(c, "") for c in columns] for r in rows])
    return buf.getvalue().encode("utf-8")


DATASETS = ["capacity_survey", "digital_survey", "postings", "postings_gold"]


@settings(max_examples=40, deadline=None)
@given(data=st.data(), name=st.sampled_from(DATASETS), sep=st.sampled_from([",", ";"]))
def test_valid_rows_have_no_violations(data, name, sep):
    cb, rows = data.draw(valid_table(name))
    report = validate_raw(name, read_csv_bytes(_csv(cb.columns, rows, sep), f"{name}.csv"), implicit_refs=False)
    assert report.violations == []
    assert len(report.frame) == len(rows)


def _corruptions(cb, rows):
    """Every single corruption that applies to this table: (rule, row, column, value, mutate)."""
    out = []
    for f in cb.fields:
        if f.type == "integer":
            out.append(("range", f.name, str(int(f.maximum) + 1)))
            out.append(("type", f.name, "seven"))
            out.append(("type", f.name, "7.5"))
        if f.type == "category":
            out.append(("category", f.name, "no_such_value"))
        if f.type == "date":
            out.append(("type", f.name, "31/12/2024"))
        if f.pattern:
            out.append(("pattern", f.name, "not a code"))
        if f.required:
            out.append(("required", f.name, ""))
    return out


@settings(max_examples=60, deadline=None)
@given(data=st.data(), name=st.sampled_from(DATASETS))
def test_single_corruption_is_reported_exactly(data, name):
    cb, rows = data.draw(valid_table(name))
    columns = list(cb.columns)
    kinds = ["cell", "missing_column", "extra_column"] + (["duplicate"] if len(rows) >= 2 else [])
    kind = data.draw(st.sampled_from(kinds))
    if kind == "cell":
        rule, column, value = data.draw(st.sampled_from(_corruptions(cb, rows)))
        i = data.draw(st.integers(0, len(rows) - 1))
        rows[i][column] = value
        expected = {(rule, i + 1, column, value)}
    elif kind == "duplicate":
        key = cb.primary_key[0]
        i, j = sorted(data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=2, max_size=2, unique=True)))
        rows[j][key] = rows[i][key]
        expected = {("duplicate_id", j + 1, key, rows[i][key])}
    elif kind == "missing_column":
        column = data.draw(st.sampled_from(columns))
        columns.remove(column)
        expected = {("missing_column", None, column, None)}
    else:
        columns.insert(data.draw(st.integers(0, len(columns))), "zz_extra")
        expected = {("extra_column", None, "zz_extra", None)}
    report = validate_raw(name, read_csv_bytes(_csv(columns, rows), f"{name}.csv"), implicit_refs=False)
    assert keyed(report.violations) == expected
