"""The whole-outputs intruder audit (civcomp.stats.intruder_audit): every artefact read from disk.

* On the twin's outputs (the session's copy of ``outputs/``, read only): 0 hidden cells pinned in every
  table family (04's joint attack included: it holds on the twin today), and no leak in the results
  files, notebook 01's figures, the PNGs and the workbook. ``pytest -s`` prints the per-family table.
* On a small, deliberately leaky outputs folder built in a temporary directory: each reader finds the leak
  planted in its artefact, and the generic integer attack pins a cell left recoverable — so each
  assertion above can fail.
"""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from civcomp import paths  # noqa: E402
from civcomp.io import params  # noqa: E402
from civcomp.io.outputs import save_figure, write_table  # noqa: E402
from civcomp.io.workbook import write_workbook  # noqa: E402
from civcomp.stats import intruder_audit as ia  # noqa: E402

K = 5
CLEAN = ("results/", "figures/*.png", "tables.xlsx")


@pytest.fixture(scope="module")
def twin_audit():
    if not (paths.TABLES.is_dir() and any(paths.TABLES.glob("04_appraisal_360__*.csv"))):
        pytest.skip("no exported tables in outputs/ (run civcomp reproduce)")
    k = int(params.load_global()["min_cell_size"])
    res = ia.audit(paths.OUTPUTS, k, rows=False)  # 04's row attacks on these tables: tests/stats/test_intruder.py
    print("\nwhole-outputs intruder audit on the twin:\n" + res["report"].to_string(index=False))
    return res


def test_audit_twin_pins_no_hidden_cell_in_any_family(twin_audit):
    rep = twin_audit["report"]
    attacked = rep[rep["artefact"].str.startswith("tables:")]
    assert attacked["cells_attacked"].sum() > 0
    assert set(attacked["family"]) >= {"01_content_analysis", "02_digital_survey", "04_appraisal_360"}
    bad = {k: f[f["pinned"]] for k, f in twin_audit["attacks"].items() if f["pinned"].any()}
    assert not bad, {k: v.head(10).to_dict("records") for k, v in bad.items()}


def test_audit_twin_results_pngs_workbook_and_01_figures_leak_nothing(twin_audit):
    rep = twin_audit["report"]
    clean = rep[
        rep["artefact"].str.startswith(CLEAN) & ~rep["artefact"].str.contains("claims")
        | ((rep["family"] == "01_content_analysis") & (rep["artefact"] == "figures/*.svg"))
    ]
    assert len(clean) >= 6 and (clean["numbers_read"] > 0).all()
    assert (clean["leaks"] == 0).all(), clean.to_string()
    assert twin_audit["png"] == []


def test_A2_audit_twin_03_04_figures_and_every_report_page_leak_nothing(twin_audit):
    rep = twin_audit["report"]
    figs = rep[
        rep["family"].isin(["03_innovative_capacity", "04_appraisal_360"]) & (rep["artefact"] == "figures/*.svg")
    ]
    pages = rep[rep["artefact"] == "report/*.html"]
    if pages.empty:
        pytest.skip("no report pages in outputs/ (run civcomp reproduce)")
    assert len(figs) == 2 and (figs["numbers_read"] > 0).all() and (pages["numbers_read"] > 0).all()
    assert (figs["leaks"] == 0).all(), [r for r in twin_audit["leaks"] if r.artefact.startswith(("03_", "04_"))][:20]
    # every page, notebook 01's included: what is not data is left unread by the audit itself (tested in
    # tests/stats/test_intruder_pages.py), never here
    bad = [r for r in twin_audit["leaks"] if r.artefact.endswith(".html")]
    assert bad == [], "\n".join(f"{r.artefact} {r.where!r}: {r.value!r}" for r in bad[:40])


# --- a deliberately leaky outputs folder ------------------------------------------------------------------------
def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {"group": ["a", "b", "c"], "n": [30, 40, 50], "n_yes": [12, 15, 20], "n_no": [18, 25, 30]}
    ).assign(share_yes=lambda t: t["n_yes"] / t["n"])


def _outputs(root, table: pd.DataFrame) -> None:
    write_table(table, "01_demo", "by_group", K, root / "tables")
    write_table(_counts().rename(columns={"group": "level"}), "01_demo", "by_level", K, root / "tables")
    (root / "results").mkdir()
    (root / "figures").mkdir()


def test_audit_finds_every_planted_leak(tmp_path):
    safe = _counts().astype({"n_yes": "Int64", "n_no": "Int64"})
    safe.loc[[0, 1], ["n_yes", "n_no"]] = pd.NA
    safe.loc[[0, 1], "share_yes"] = float("nan")
    _outputs(tmp_path, safe)
    # results: a margin at full binary precision; a share at the tables' precision is fine
    res = {"data_source": "synthetic", "weakest_competency_x_margin": 0.18105493214028545, "share_yes": 0.4}
    (tmp_path / "results" / "01_demo.json").write_text(json.dumps(res))
    # a figure drawn from an unrounded frame, and one drawn from the table as printed
    fig, ax = plt.subplots()
    ax.barh(["c"], [20 / 50 + 1.234e-4])
    save_figure(fig, "01_demo", "bars", "synthetic", tmp_path / "figures")
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.barh(["c"], [0.4])
    ax.text(0.4, 0, "40%")
    save_figure(fig, "01_demo", "clean", "synthetic", tmp_path / "figures")
    plt.close(fig)
    # a PNG without its SVG twin, carrying a text chunk
    png = (tmp_path / "figures" / "01_demo__clean.png").read_bytes()
    chunk = b"tEXt" + b"hidden\x0012"
    import zlib

    crc = zlib.crc32(chunk).to_bytes(4, "big")
    (tmp_path / "figures" / "01_demo__orphan.png").write_bytes(
        png[:33] + len(b"hidden\x0012").to_bytes(4, "big") + chunk + crc + png[33:]
    )
    # a workbook whose sheet carries a suppressed value, a comment and a hidden sheet
    write_workbook(tmp_path / "tables", tmp_path / "tables.xlsx")
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    wb = load_workbook(tmp_path / "tables.xlsx")
    ws = wb.worksheets[1]
    ws["C2"] = 12
    ws["A1"].comment = Comment("the hidden cell is 12", "intruder")
    extra = wb.create_sheet("scratch")
    extra["A1"] = 0.123456789
    extra.sheet_state = "hidden"
    wb.save(tmp_path / "tables.xlsx")
    # a report page quoting a number no table publishes
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "index.html").write_text("<p>share 0.4, and the hidden group holds 0.3713 of it</p>")

    res = ia.audit(tmp_path, K)
    rep = res["report"].set_index("artefact")
    where = {(r.artefact, r.where.split("/")[0]) for r in res["leaks"]}
    assert rep.loc["results/01_demo.json", "leaks"] == 1
    assert ("01_demo__bars.svg", "axes_1") in where and not any(a == "01_demo__clean.svg" for a, _ in where)
    assert any("no SVG twin" in p for p in res["png"]) and any("'hidden'" in p for p in res["png"])
    wb_leaks = [r.where for r in res["leaks"] if r.artefact == "tables.xlsx"]
    assert any(w.endswith("!C2") for w in wb_leaks) and any("comment" in w for w in wb_leaks)
    assert any("scratch" in w for w in wb_leaks)
    assert [r.value for r in res["leaks"] if r.artefact == "index.html"] == [0.3713]
    assert ia.main([str(tmp_path)]) == 1


def test_audit_names_an_unreadable_artefact_in_one_line(tmp_path, capsys):
    _outputs(tmp_path, _counts())
    (tmp_path / "results" / "01_demo.json").write_text("{not json")
    assert ia.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "01_demo.json: cannot be read" in err[0]
    assert ia.main([str(tmp_path / "nowhere")]) == 2


def test_audit_skips_only_the_quoted_text_of_a_kwic_table(tmp_path):
    _outputs(tmp_path, _counts())
    (tmp_path / "report").mkdir()
    head = "<thead><tr><th></th><th>id</th><th>counted</th><th>left</th><th>match</th><th>right</th></tr></thead>"
    kwic = (
        f"<table>{head}<tbody><tr><th>0</th><td>P0021</td><td>40</td>"
        "<td>Телефон: 4953802500</td><td>электронной почты</td><td>8 (72533) 59-13-72</td></tr>"
        "<tr><th>1</th><td>P0022</td><td>7777</td><td>x</td><td>y</td><td>z</td></tr></tbody></table>"
    )
    # the same words outside a KWIC table, and a table with a "left" column only, are read
    other = (
        "<table><thead><tr><th>left</th><th>n</th></tr></thead><tbody><tr><td>0.3713</td><td>12</td></tr></tbody>"
        "</table><p>Телефон: 4953802501</p>"
    )
    (tmp_path / "report" / "index.html").write_text(f"<html><body>{kwic}{other}</body></html>")
    res = ia.audit(tmp_path, K)
    got = sorted(r.value for r in res["leaks"] if r.artefact == "index.html")
    assert got == [0.3713, 1.0, 7777.0, 4953802501.0], got  # the row label 1 and counted 7777 are read too


def test_audit_skips_only_run_times_in_the_report_manifest(tmp_path):
    _outputs(tmp_path, _counts())
    (tmp_path / "report").mkdir()
    steps = (
        "<table><thead><tr><th>step</th><th>status</th><th>seconds</th></tr></thead>"
        "<tbody><tr><td>a</td><td>ran</td><td>25.81</td></tr></tbody></table>"
        '<p>a — ran, 25.82 s</p><pre>{"seconds": 25.83}</pre>'
    )
    # the same number as a result, a count of sessions, or in another column is read
    other = (
        "<table><thead><tr><th>step</th><th>mean</th></tr></thead><tbody><tr><td>a</td><td>25.84</td></tr>"
        "</tbody></table><p>25.85 sessions</p><p>the 360-degree appraisal</p>"
    )
    (tmp_path / "report" / "index.html").write_text(f"<html><body>{steps}{other}</body></html>")
    got = sorted(r.value for r in ia.audit(tmp_path, K)["leaks"] if r.artefact == "index.html")
    assert got == [25.84, 25.85], got
