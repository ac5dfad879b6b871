"""civcomp.replication.summary for a one-paper team: claims of steps that did not run for lack of real data are
'not run (data absent)', counted apart — neither passes nor failures."""

from __future__ import annotations

import json

from civcomp.replication import summary as summ
from civcomp.replication.claims.evaluation import NOT_RUN, evaluate, strict_failures, summary, summary_line


def _results(tmp_path):
    (tmp_path / "03_innovative_capacity.json").write_text(json.dumps({"data_source": "real", "kmo": 0.8403}))
    return tmp_path


def test_absent_steps_only_in_real_mode(tmp_path):
    d = _results(tmp_path)
    assert summ.absent_steps("real", d) == ("01_content_analysis", "02_digital_survey", "04_appraisal_360")
    assert summ.absent_steps("synthetic", d) == ()


def test_claims_of_steps_not_run_are_counted_apart(tmp_path):
    d = _results(tmp_path)
    absent = summ.absent_steps("real", d)
    ev = {e["id"]: e for e in evaluate(d, absent_steps=absent)}
    assert ev["p003_kmo"]["status"] == "pass"
    not_run = [e for e in ev.values() if e["status"] == NOT_RUN]
    assert not_run and {e["paper"] for e in not_run} >= {"000"}
    assert all(e["evidence"] != "external" for e in not_run)  # an external figure stays not computable
    assert not set(strict_failures(list(ev.values()))) & {e["id"] for e in not_run}
    s = summary(list(ev.values()))
    assert s["n_not_run"] == len(not_run) and s["n_data_not_run"] + s["n_derived_not_run"] <= len(not_run)
    assert summary_line(s).endswith(f"; {len(not_run)} not run (data absent)")
    # without absent steps (synthetic mode) the same missing results are merely not computable
    plain = evaluate(d)
    assert not any(e["status"] == NOT_RUN for e in plain)
    assert "not run" not in summary_line(summary(plain))
