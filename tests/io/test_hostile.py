"""Hostile input and careless operation: one line, bounded work, nothing written where it must not be.

Each test is named by the finding it covers: P (parameter and other YAML files), H (command-line
numbers, large or hostile input files), C (writes: symbolic links, another filesystem, a full disk or an
unwritable folder, values set outside the params files), R (real-data paths).
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from civcomp import cli, paths
from civcomp.commands import reproduce
from civcomp.errors import ParamsError
from civcomp.io import atomic, outputs, params, readers, yaml_safe
from civcomp.runner import cache
from civcomp.runner.graph import Project, default_project
from civcomp.text.dictionary import DictionaryError, load_dictionary

HS = paths.ROOT / "tests" / "reference" / "lavaan" / "HolzingerSwineford1939.csv"
PY = sys.executable

BOMB = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)
)  # 9**10 values once expanded


def one_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{text}"
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture()
def project(tmp_path) -> Project:
    shutil.copytree(paths.PARAMS, tmp_path / "params")
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    (tmp_path / "data").symlink_to(paths.DATA)
    return Project(tmp_path, default_project().steps)


def _snapshot(project: Project) -> params.Snapshot:
    return params.snapshot(params.STEPS, project.params, project.notebooks, paths.ROOT)


def _in_subprocess(code: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=paths.ROOT)


# --------------------------------------------------------------------------- P: YAML files
def test_P1_alias_bomb_refused_in_one_line(project, tmp_path):
    (project.params / "global.yaml").write_text((project.params / "global.yaml").read_text() + BOMB)
    code = textwrap.dedent(f"""
        from pathlib import Path
        from civcomp.io import params
        try:
            params.load_global(Path({str(project.params)!r}))
        except params.ParamsError as exc:
            print(exc)
        """)
    t0 = time.perf_counter()
    try:
        out = _in_subprocess(code, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("an alias bomb in params/global.yaml was still being expanded after 30 s")
    line = one_line(out.stdout)
    assert re.match(r"params/global\.yaml, line \d+: .*more than 100,000 values", line), line
    assert time.perf_counter() - t0 < 15
    with pytest.raises(yaml_safe.YamlError, match="alias"):  # the same for every YAML the project reads
        yaml_safe.loads(BOMB, "data/published/claims.yaml")


def test_P1_self_containing_alias_refused():
    with pytest.raises(yaml_safe.YamlError, match=r"demo\.yaml, line 1: an alias refers to a value that contains it"):
        yaml_safe.loads("a: &a [1, *a]\n", "demo.yaml")


def test_P2_duplicate_key_refused_in_one_line(project, tmp_path):
    g = project.params / "global.yaml"
    g.write_text(g.read_text() + "seed: 7\n")
    with pytest.raises(ParamsError) as err:
        _snapshot(project)
    assert re.search(
        r"params/global\.yaml, line \d+: key 'seed' is repeated in one mapping \(first on line \d+\)", str(err.value)
    )
    book = tmp_path / "book.yaml"  # a codebook, the ledger, params/synthetic: the same loader
    book.write_text("name: x\nfields: []\nname: y\n")
    with pytest.raises(ParamsError, match=r"line 3: key 'name' is repeated"):
        params.read_yaml(book)


def test_P3_deep_nesting_refused_in_one_line(project):
    (project.params / "05_report.yaml").write_text("claims_file: " + "[" * 20_000 + "]" * 20_000 + "\n")
    with pytest.raises(ParamsError) as err:
        _snapshot(project)
    assert "params/05_report.yaml, line 1: nested deeper than 20 levels" in str(err.value)
    assert yaml_safe.loads("a: " + "[" * 19 + "1" + "]" * 19, "ok.yaml")  # the limit itself is accepted


def test_P3_reproduce_refuses_hostile_yaml_with_exit_2(project, monkeypatch, capsys):
    (project.params / "global.yaml").write_text((project.params / "global.yaml").read_text() + "x: " + "{a: " * 50)
    monkeypatch.setattr(reproduce, "default_project", lambda: project)
    assert reproduce.cli([]) == 2
    err = capsys.readouterr().err
    assert "params/global.yaml, line 1" in err and "Traceback" not in err


# --------------------------------------------------------------------------- H: command line, input files
@pytest.mark.parametrize(
    "argv, option",
    [
        (["efa", str(HS), "--percentile", "200"], "--percentile"),
        (["efa", str(HS), "--percentile", "nan"], "--percentile"),
        (["efa", str(HS), "--seed", "-1"], "--seed"),
        (["efa", str(HS), "--cutoff", "-0.5"], "--cutoff"),
        (["synthesize", "--seed", "-1"], "--seed"),
        (["reproduce", "--jobs", "0"], "--jobs"),
        (["validate", "capacity_survey", str(HS), "--limit", "-3"], "--limit"),
        (["code-postings", str(HS), "--chunk-rows", "-1"], "--chunk-rows"),
        (["code-postings", str(HS), "--stream-mb", "inf"], "--stream-mb"),
    ],
)
def test_H1_numeric_arguments_are_range_checked_in_one_line(argv, option, capsys):
    try:
        rc = cli.main(argv)
    except SystemExit as exc:
        rc = exc.code
    assert rc == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"civcomp {argv[0]}: error: argument {option}: expected ")


def test_H3_resamples_have_a_documented_maximum():
    for option in ("--bootstrap", "--parallel-iterations"):
        try:
            out = subprocess.run(
                [PY, "-m", "civcomp.cli", "efa", str(HS), option, "1000000000"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"efa {option} 1000000000 ran without a bound")
        assert out.returncode == 2
        assert "expected an integer from 0 to 10,000" in one_line(out.stderr)


def test_H4_a_huge_field_costs_a_bounded_multiple_of_the_file(tmp_path):
    f = tmp_path / "field.csv"
    f.write_text("id,text\n1," + "ж" * 20_000_000 + "\n2,b\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import resource
        import numpy, pandas
        from civcomp.io import readers
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        raw = readers.read_table({str(f)!r})
        assert raw.frame.loc[1, "text"].startswith("жж") and raw.n_records == 2
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024)
        """)
    extra = int(_in_subprocess(code, timeout=120).stdout.strip())
    size = f.stat().st_size
    assert extra <= readers.MEMORY_MULTIPLE * size, f"{extra / size:.1f} x the file's size"


def _workbook(path: Path, sheet_xml=None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            body = src.read(i.filename)
            if i.filename == "xl/worksheets/sheet1.xml" and sheet_xml:
                body = sheet_xml(body)
            z.writestr(i.filename, body)
    return path


def test_H5_xlsx_bomb_refused_in_under_a_second(tmp_path):
    bomb = _workbook(tmp_path / "bomb.xlsx", lambda b: b.replace(b"<sheetData>", b"<sheetData>" + b" " * 60_000_000))
    wide = _workbook(
        tmp_path / "wide.xlsx", lambda b: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', b)
    )
    assert bomb.stat().st_size < 1_000_000
    for f, why in ((bomb, "zip bomb"), (wide, "1,048,576 rows x 16,384 columns")):
        t0 = time.perf_counter()
        with pytest.raises(readers.ReadError, match=why):
            readers.read_table(f)
        assert time.perf_counter() - t0 < 1.0
    assert readers.read_table(_workbook(tmp_path / "fine.xlsx")).n_records == 1


def test_H6_dictionary_alias_fanout_is_capped(tmp_path):
    terms = ", ".join(f"term{i}" for i in range(600))
    langs = "\n".join(f"        l{i}: *t" for i in range(200))
    fan = tmp_path / "fan.yaml"
    fan.write_text(f"tiers:\n  a:\n    table1:\n      ru: &t [{terms}]\n    extension:\n{langs}\n")
    t0 = time.perf_counter()
    with pytest.raises(DictionaryError, match=r"fan\.yaml, line \d+: .*more than 100,000 values"):
        load_dictionary(fan)
    assert time.perf_counter() - t0 < 1.0
    many = tmp_path / "many.yaml"  # within the YAML limits, over the dictionary's own
    rows = "\n".join(f"        - w{i}x{j}" for i in range(60) for j in range(100))
    many.write_text(f"tiers:\n  a:\n    table1:\n      ru:\n{rows}\n")
    with pytest.raises(DictionaryError, match="more than 5,000 terms"):
        load_dictionary(many)


# --------------------------------------------------------------------------- C: writes
def _tiny(tmp_path: Path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).parents[1] / "runner"))
    from standin_project import make_project

    p = make_project(tmp_path, with_b=True)
    monkeypatch.setattr(reproduce, "default_project", lambda: p)
    return p


def test_C13_run_lock_symlink_refused_in_one_line(tmp_path, monkeypatch, capsys):
    p = _tiny(tmp_path / "proj", monkeypatch)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    p.cache_dir.mkdir(parents=True)
    (p.cache_dir / "run.lock").symlink_to(victim)
    assert reproduce.cli([]) == 2
    line = one_line(capsys.readouterr().err)
    assert "outputs/.cache/run.lock is a symbolic link" in line
    assert victim.read_text() == "precious\n"


def test_C13_linked_outputs_subfolder_and_kernel_log_are_not_written_through(tmp_path, monkeypatch, capsys):
    p = _tiny(tmp_path / "proj", monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    p.outputs.mkdir()
    (p.outputs / "tables").symlink_to(elsewhere, target_is_directory=True)
    atomic.protect(p.outputs)
    with pytest.raises(atomic.UnsafePathError, match=r"outputs/tables is a symbolic link"):
        outputs.write_table(pd.DataFrame({"n": [5]}), "a", "t", tables_dir=p.outputs / "tables")
    assert list(elsewhere.iterdir()) == []
    (p.outputs / "tables").unlink()
    victim = tmp_path / "victim.log"
    victim.write_text("precious\n")
    p.failed_dir.mkdir(parents=True)
    (p.failed_dir / ".a.kernel.log").symlink_to(victim)
    reproduce.cli(["--only", "a"])
    out = capsys.readouterr().out
    assert "build/failed/.a.kernel.log is a symbolic link" in out
    assert victim.read_text() == "precious\n"


def test_C14_outputs_on_another_filesystem(tmp_path, monkeypatch):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second filesystem to put outputs/ on")
    p = _tiny(tmp_path / "proj", monkeypatch)
    other = Path(tempfile.mkdtemp(dir=shm, prefix="civcomp-outputs-"))
    try:
        p.outputs.symlink_to(other, target_is_directory=True)  # outputs/ itself may be a link or a mount
        assert reproduce.cli(["--only", "a"]) == 0
        assert (other / "notebooks" / "a.ipynb").is_file() and (other / "results" / "a.json").is_file()
    finally:
        shutil.rmtree(other, ignore_errors=True)


def test_C15_full_disk_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert cli.main(["synthesize", "--only", "postings", "--out", str(tmp_path / "twin")]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith("civcomp synthesize: ") and "No space left on device" in line
    assert not list((tmp_path / "twin").glob(".*.tmp"))  # no temporary file left behind


def test_C15_full_disk_stops_the_runner_in_one_line(tmp_path, monkeypatch, capsys):
    _tiny(tmp_path / "proj", monkeypatch)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert reproduce.cli([]) == 2
    line = one_line(capsys.readouterr().err)
    assert "not writable (No space left on device)" in line


def test_C16_unwritable_outputs_subfolder_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    p = _tiny(tmp_path / "proj", monkeypatch)
    (p.cache_dir / "data.json").mkdir(parents=True)  # the data step's cache record cannot be written
    (p.cache_dir / "data.json" / "keep").write_text("x")
    assert reproduce.cli([]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith("civcomp reproduce: stopped — ") and "data.json" in line
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert cli.main(["synthesize", "--only", "postings", "--out", str(blocker / "twin")]) == 2
    assert "not-a-folder" in one_line(capsys.readouterr().err)


# --------------------------------------------------------------------------- C11: values set outside params/
def test_C11_papermill_value_passes_the_schema(project):
    step = "04_appraisal_360"
    kw = dict(params_dir=project.params, notebooks_dir=project.notebooks, verbose=False)
    with pytest.raises(ParamsError, match=rf"{step}: min_cell_size: must be at least 2, got 1"):
        params.resolve(step, {"min_cell_size": 1}, **kw)  # papermill -p min_cell_size 1 (or the cell edited)


def test_C11_sentinel_must_match_the_values(project):
    step = "04_appraisal_360"
    kw = dict(params_dir=project.params, notebooks_dir=project.notebooks, verbose=False)
    snap = _snapshot(project)
    good = {**snap.steps[step], params.SENTINEL: snap.digest(step)}
    assert params.resolve(step, dict(good), **kw)["min_cell_size"] >= 2
    with pytest.raises(ParamsError, match="does not match the parameter values"):
        params.resolve(step, {**good, params.SENTINEL: "x"}, **kw)  # -p _civcomp_snapshot x
    with pytest.raises(ParamsError, match="does not match the parameter values"):
        params.resolve(step, {**good, "min_cell_size": 3}, **kw)  # a value changed after injection
    forged = {**snap.steps[step], "min_cell_size": 1}
    forged[params.SENTINEL] = params.Snapshot({}, {step: forged}).digest(step)
    with pytest.raises(ParamsError, match="min_cell_size: must be at least 2"):
        params.resolve(step, forged, **kw)  # a hash computed by hand does not skip the schema


def test_C11_writers_refuse_a_threshold_below_the_floor(tmp_path):
    with pytest.raises(ValueError, match="min_cell_size must be an integer of at least 2"):
        outputs.write_table(pd.DataFrame({"n": [2]}), "04_x", "t", min_cell_size=1, tables_dir=tmp_path)
    with pytest.raises(ValueError, match="min_cell_size must be an integer of at least 2"):
        outputs.write_results("04_x", {"n_a": 2}, "synthetic", results_dir=tmp_path, min_cell_size=1)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- R: real-data paths
def test_R1_cache_record_keeps_no_absolute_path(tmp_path):
    p = Project(tmp_path / "proj", [])
    p.root.mkdir()
    secure = tmp_path / "secure-drive" / "capacity_survey.sav"
    secure.parent.mkdir()
    secure.write_bytes(b"data")
    rec = cache.file_hashes(p, [secure])
    text = json.dumps(rec)
    assert str(tmp_path) not in text and "secure-drive" not in text
    assert list(rec) == ["<outside the repository>/capacity_survey.sav"]


@pytest.mark.parametrize(
    "value, said",
    [
        ("../synthetic/capacity_survey.synthetic.csv", "is not under data/raw/"),
        ("data/synthetic/capacity_survey.synthetic.csv", "points into data/synthetic/"),
        ("data/raw/../../outputs/results/x.csv", "points into outputs/"),
        ("params/global.yaml", "is not under data/raw/"),
    ],
)
def test_R2_real_path_outside_data_raw_refused(project, monkeypatch, capsys, value, said):
    g = project.params / "global.yaml"
    g.write_text(re.sub(r"capacity_survey: \S+", f"capacity_survey: {value}", g.read_text()))
    with pytest.raises(ParamsError) as err:
        _snapshot(project)
    assert f"params/global.yaml: real_data.capacity_survey: {value!r} {said}" in str(err.value)
    monkeypatch.setattr(reproduce, "default_project", lambda: project)
    assert reproduce.cli([]) == 2
    assert "real_data.capacity_survey" in capsys.readouterr().err
    assert not (project.root / "outputs").exists()
