"""Calibrated vs free: which claims the twin reproduces by construction follows from params/synthetic, never a flag."""

from __future__ import annotations

import copy
import shutil

import pytest
from test_claims import GOOD, evaluated, write

from civcomp import paths
from civcomp.io import ledger, params
from civcomp.replication import claims
from civcomp.replication.claims import calibration


def test_every_declared_parameter_is_a_generator_setting():
    assert calibration.missing_parameters() == []
    effects = calibration.declared_effects()
    assert {e["claim"] for e in effects} >= {"p000_regional_more_barriers", "p003_leadership_weakest_executive"}


def test_a_declared_parameter_that_does_not_exist_is_named(tmp_path):
    folder = tmp_path / "synthetic"
    shutil.copytree(paths.PARAMS / "synthetic", folder)
    text = (folder / calibration.DECLARED).read_text(encoding="utf-8")
    (folder / calibration.DECLARED).write_text(
        text.replace("barriers.share_any", "barriers.share_none"), encoding="utf-8"
    )
    missing = calibration.missing_parameters(folder)
    assert len(missing) == 1 and "p000_regional_more_barriers" in missing[0] and "share_none" in missing[0]


def test_every_ledger_target_is_calibrated_and_the_rest_free():
    cal = calibration.calibrated_claims()
    targets = {
        cid for p in (paths.PARAMS / "synthetic").glob("*.yaml") for _, cid, _ in ledger.references(params.read_yaml(p))
    }
    assert len(targets) == 29 and targets <= set(cal)
    assert cal["p003_kmo_adequate"].startswith("derived from calibrated claims")
    for free in ("p003_good_fit", "p003_items_sufficient"):
        assert free not in cal
    recomputed = [c for c in claims.load_ledger() if c["evidence"] in claims.STRICT_EVIDENCE]
    assert set(cal) <= {c["id"] for c in recomputed}


def test_removing_a_target_makes_its_claim_free(tmp_path):
    """Derived, not flagged: a target typed as a number instead of a ledger reference is no longer calibrated."""
    folder = tmp_path / "synthetic"
    shutil.copytree(paths.PARAMS / "synthetic", folder)
    f = folder / "capacity_survey.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("{ledger: p003_kmo}", "0.84"), encoding="utf-8")
    cal = calibration.calibrated_claims(folder)
    assert "p003_kmo" not in cal and "p003_kmo_adequate" not in cal and "p003_communality_salary" in cal


def test_real_mode_has_no_calibrated_claim(tmp_path):
    ev = claims.evaluate(write(tmp_path / "r", GOOD, data_source="real"))
    flags = {e["calibrated"] for e in ev if e["evidence"] in claims.STRICT_EVIDENCE}
    assert flags == {False}
    assert {e["calibrated"] for e in ev if e["evidence"] not in claims.STRICT_EVIDENCE} == {None}
    s = claims.summary(ev)
    assert s["data_source"] == "real" and s["n_data_calibrated"] == 0 and s["n_data_free"] == s["n_data"]
    assert claims.summary_line(s).startswith(f"{s['n_data']} data checks: ")


def test_twin_flags_each_data_claim_and_counts_apart(tmp_path):
    ev = claims.evaluate(write(tmp_path / "r", GOOD))
    e = {x["id"]: x for x in ev}
    assert all(isinstance(x["calibrated"], bool) for x in ev if x["evidence"] in claims.STRICT_EVIDENCE)
    assert e["p003_kmo"]["calibrated"] and e["p003_kmo"]["calibrated_by"] == "target: capacity_survey.factor_model.kmo"
    assert e["p003_good_fit"]["calibrated"] is False and e["p003_good_fit"]["calibrated_by"] == ""
    s = claims.summary(ev)
    assert s["n_data_calibrated"] + s["n_data_free"] == s["n_data"]
    assert f"{s['n_data_calibrated']} calibrated claims reproduced (a pipeline check)" in claims.summary_line(s)


@pytest.mark.parametrize("data_source, refused", [("synthetic", []), ("real", ["p003_good_fit"])])
def test_a_free_claim_the_twin_does_not_reproduce_is_reported_not_refused(tmp_path, data_source, refused):
    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["sem_cfa_rmsea"] = 0.103  # the twin's CFA misfit
    ev = claims.evaluate(write(tmp_path / "r", bad, data_source=data_source))
    assert claims.strict_failures(ev) == refused
    s = claims.summary(ev)
    assert s["free_failing_ids"] == ["p003_good_fit"]
    if data_source == "synthetic":
        assert "1 does not" in claims.summary_line(s).split(";")[0]


def test_strict_names_a_free_failure_on_the_twin_without_refusing_it(tmp_path):
    from civcomp.commands.reproduce import check_claims

    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["sem_cfa_rmsea"] = 0.103
    lines: list[str] = []
    assert check_claims(evaluated(tmp_path / "r", bad), "synthetic", strict=True, echo=lines.append) == 0
    assert any(line.startswith("free claims the twin does not reproduce") and "p003_good_fit" in line for line in lines)
