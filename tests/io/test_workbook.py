"""Tables people open: CSV tables carry a BOM (Excel detects UTF-8) and round-trip; outputs/tables.xlsx holds
every table, a README sheet first, and is byte-identical on rerun."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from civcomp.io import workbook
from civcomp.io.outputs import BOM, read_table_csv, write_results, write_table
from civcomp.io.workbook import sheet_names, write_workbook
from civcomp.replication import report


def test_cyrillic_table_round_trips_and_starts_with_the_bom(tmp_path):
    df = pd.DataFrame({"регион": ["Алматы", "Шымкент", "Өскемен"], "n": [12, None, 0], "доля": [0.5, None, 0.0]})
    p = write_table(df, "03_demo", "регионы", min_cell_size=5, tables_dir=tmp_path)
    data = p.read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1
    assert data[3:].decode("utf-8").splitlines()[0] == "регион,n,доля"
    back = read_table_csv(p)
    assert back.columns.tolist() == ["регион", "n", "доля"]
    assert back["регион"].tolist() == df["регион"].tolist()
    assert back["n"].isna().tolist() == [False, True, False]
    for kwargs in ({}, {"encoding": "utf-8"}, {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}):
        assert pd.read_csv(p, **kwargs).columns[0] == "регион", kwargs  # how the project's readers call it


def test_report_reads_bom_tables(tmp_path):
    tables = tmp_path / "tables"
    write_table(pd.DataFrame({"регион": ["Алматы"], "n": [7]}), "01_content_analysis", "by_region", tables_dir=tables)
    html = report.tables_section(tables, {})
    assert '<th scope="col">регион</th>' in html
    assert "\ufeff" not in html


@pytest.fixture()
def tables(tmp_path):
    t = tmp_path / "tables"
    write_table(
        pd.DataFrame({"регион": ["Алматы", "Астана"], "n": [12, None], "pct": [100.0, None]}),
        "02_digital_survey",
        "table3_responsibilities_by_position",
        tables_dir=t,
    )
    write_table(
        pd.DataFrame({"регион": ["x"], "n": [5]}),
        "02_digital_survey",
        "table3_responsibilities_by_position_x",
        tables_dir=t,
    )
    write_table(pd.DataFrame({"formula": ["=1+1"], "n": [0]}), "04_appraisal_360", "summary", tables_dir=t)
    write_results("02_digital_survey", {"a": 1}, "synthetic", results_dir=tmp_path / "results")
    write_results("04_appraisal_360", {"a": 1}, "real", results_dir=tmp_path / "results")
    return t


def test_workbook_has_readme_first_and_one_sheet_per_table(tables, tmp_path):
    p = write_workbook(tables, tmp_path / "tables.xlsx", min_cell_size=5)
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == [
        "README",
        "02_table3_responsibilities_by_p",
        "02_table3_responsibilities_by~2",
        "04_summary",
    ]
    assert all(len(n) <= 31 for n in wb.sheetnames)
    readme = [[c for c in r if c is not None] for r in wb["README"].iter_rows(values_only=True)]
    text = " ".join(str(c) for r in readme for c in r)
    assert "SYNTHETIC TWIN" in text and "REAL MICRODATA" in text and "fewer than 5" in text and "EMPTY" in text
    mapping = {r[0]: r[1:] for r in readme if len(r) == 6 and r[0] != "sheet"}
    assert mapping["04_summary"] == ["tables/04_appraisal_360__summary.csv", "04_appraisal_360", "real", 1, 2]
    assert (
        mapping["02_table3_responsibilities_by~2"][0]
        == "tables/02_digital_survey__table3_responsibilities_by_position_x.csv"
    )
    ws = wb["02_table3_responsibilities_by_p"]
    assert [c.value for c in ws[1]] == ["регион", "n", "pct"]
    assert [c.value for c in ws[2]] == ["Алматы", 12, 100]
    assert [c.value for c in ws[3]] == ["Астана", None, None]  # suppressed cells are empty
    assert wb["04_summary"]["A2"].value == "'=1+1" and wb["04_summary"]["A2"].data_type == "s"  # neutralised (OWASP)


def test_workbook_is_byte_identical_on_rerun(tables, tmp_path):
    a = write_workbook(tables, tmp_path / "a.xlsx").read_bytes()
    b = write_workbook(tables, tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_broken_table_is_named(tables, tmp_path):
    (tables / "05_x__bad.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="05_x__bad.csv"):
        write_workbook(tables, tmp_path / "t.xlsx")
    assert not (tmp_path / "t.xlsx").exists()


def test_sheet_names_are_unique_case_insensitively_and_clean():
    names = sheet_names(["01_a__Tab[1]", "01_b__tab[1]", "01_c__readme", "x"])
    assert names == {"01_a__Tab[1]": "01_Tab_1_", "01_b__tab[1]": "01_tab_1_~2", "01_c__readme": "01_readme", "x": "x"}
    assert workbook.SHEET_MAX == 31
