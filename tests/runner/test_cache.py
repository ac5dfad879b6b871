"""The cache records every file a step writes and the code it ran with (on the stand-in project).

Each test is named by the finding it covers: C1 (the report's claims file), C2 (the HTML pages),
C3 (the twin's .sav/.ru.sps exports), C10 (code edited while a step runs), and ``--only data`` followed
by a full run.
"""

from __future__ import annotations

import hashlib
import json
import threading

from standin_project import make_project, wait_for

from civcomp.runner import graph
from civcomp.runner.execute import STALE_MARK, run
from civcomp.runner.graph import Project, Step


def quiet(s):
    return None


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


def test_C1_claims_file_edited_by_hand_reruns_its_step(standin):
    claims = standin.outputs / "results" / "c__claims.json"
    before = claims.read_bytes()
    claims.write_text('{"claims": [999]}')
    (standin.outputs / "results" / "c__extra.json").write_text("{}")  # a file of the step nobody recorded
    assert statuses(run(standin, echo=quiet)) == {"data": "cached", "a": "cached", "c": "ran", "html_report": "cached"}
    assert claims.read_bytes() == before and not (standin.outputs / "results" / "c__extra.json").exists()
    page = standin.outputs / "report" / "index.html"
    assert STALE_MARK not in page.read_text()  # marked while c ran, cleared: the page is current again


def test_C2_report_page_edited_by_hand_reruns_the_report(standin):
    page = standin.outputs / "report" / "notebooks" / "a.html"
    before = page.read_bytes()
    page.write_text("<html><body>forged</body></html>")
    assert statuses(run(standin, echo=quiet))["html_report"] == "ran"
    assert page.read_bytes() == before
    (standin.outputs / "report" / "notebooks" / "planted.html").write_text("x")
    assert statuses(run(standin, echo=quiet))["html_report"] == "ran"
    assert statuses(run(standin, echo=quiet))["html_report"] == "cached"


def test_C3_twin_exports_are_recorded_and_verified(tmp_path, monkeypatch):
    """The data step records every file the twin's writer wrote, its .sav and .ru.sps exports included."""
    twin = tmp_path / "data" / "synthetic"

    def synthesize(seed, params_dir, verbose):  # the twin's writer, in miniature
        twin.mkdir(parents=True, exist_ok=True)
        written = {
            "survey.synthetic.csv": b"id\n1\n",
            "survey.synthetic.sav": b"$FL2 sav",
            "survey.synthetic.ru.sps": b"VARIABLE LABELS id 'x'.",
        }
        for name, data in written.items():
            (twin / name).write_bytes(data + str(seed).encode())
        return {name: hashlib.sha256((twin / name).read_bytes()).hexdigest() for name in written}

    monkeypatch.setattr(graph.synth, "synthesize", synthesize)
    monkeypatch.setattr(graph.data, "dataset_files", lambda source: [twin / "survey.synthetic.csv"])
    make_project(tmp_path)  # its params/
    p = Project(tmp_path, [Step("data", "data")], data_fn=graph._default_data_step)
    assert statuses(run(p, echo=quiet)) == {"data": "ran"}
    recorded = json.loads((p.cache_dir / "data.json").read_text())["files"]
    assert set(recorded) == {f"data/synthetic/survey.synthetic.{ext}" for ext in ("csv", "sav", "ru.sps")}
    assert statuses(run(p, echo=quiet)) == {"data": "cached"}
    for ext in ("sav", "ru.sps"):
        (twin / f"survey.synthetic.{ext}").write_bytes(b"edited by hand")
        assert statuses(run(p, echo=quiet)) == {"data": "ran"}, ext
        assert (twin / f"survey.synthetic.{ext}").read_bytes() != b"edited by hand"


def test_C10_code_edited_and_reverted_while_a_step_runs_is_not_recorded(standin):
    mod = standin.src / "mod.py"
    original = mod.read_text()
    (standin.root / "hold_a").touch()
    lines: list[str] = []

    def edit_while_running():
        wait_for(standin.root / "started_a")  # the kernel is running a
        mod.write_text("X = 2\n")
        (standin.root / "go_started_a").touch()
        wait_for(standin.root / "read_a")  # a has read the edited code
        mod.write_text(original)  # put back before a ends: same bytes as when the run started
        (standin.root / "go_read_a").touch()

    helper = threading.Thread(target=edit_while_running, daemon=True)
    helper.start()
    out = statuses(run(standin, only=["a"], force=True, echo=lines.append))
    helper.join(5)
    assert out["a"] == "ran"
    assert "its code changed while it ran (src/civcomp/mod.py)" in "\n".join(lines)
    assert json.loads((standin.outputs / "results" / "a.json").read_text())["code"] == "X = 2"
    (standin.root / "hold_a").unlink()
    manifest = json.loads((standin.outputs / "manifest.json").read_text())
    assert manifest["steps"]["a"]["status"] == "stale" and "outputs" not in manifest["steps"]["a"]
    assert not (standin.cache_dir / "a.json").exists()  # no record: the next run repeats a


def test_only_data_then_a_full_run_does_not_redo_data(standin):
    (standin.root / "data.txt").write_text("seed=99\n")  # the data step must run again
    assert statuses(run(standin, only=["data"], echo=quiet)) == {"data": "ran"}
    out = statuses(run(standin, echo=quiet))
    assert out == {"data": "cached", "a": "cached", "c": "cached", "html_report": "cached"}
