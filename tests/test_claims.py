"""The claims ledger: schema, expected values, evaluation, and the --strict contract."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from civcomp import paths
from civcomp.pipeline import claims
from civcomp.io.outputs import write_results

# Results of a plausible run (values deliberately not equal to the published ones, but within tolerance).
GOOD = {
    "01_content_analysis": {"n_postings": 408, "n_no_digital": 273, "share_no_digital": 273 / 408,
                            "truth_f1": None},
    "02_digital_survey": {"n_respondents": 200, "n_not_required_at_hiring": 120,
                          "n_difficulty_experience_or_training": 109, "n_never_trained": 113,
                          "barrier_share_central": 0.30, "barrier_share_regional": 0.41},
    "03_innovative_capacity": {
        "n_total": 10942, "n_regional": 10629, "share_regional": 10629 / 10942, "local_staff_headcount": 39681,
        "coverage_of_local_staff": 10629 / 39681, "share_executive": 0.8301, "share_female": 0.6398,
        "median_age": 39.0, "reason_share_useful_to_state": 0.4102, "reason_share_financial_stability": 0.2699,
        "reason_share_professional_experience": 0.1501, "reason_share_career": 0.1199, "reason_share_other": 0.0499,
        "kmo": 0.8412, "bartlett_p": 0.0, "communality_innovative_capacity": 0.588,
        "communality_agency_activities": 0.355, "communality_salary": 0.231, "communality_trust": 0.541,
        "communality_work_conditions": 0.566, "communality_environment": 0.640, "communality_schedule": 0.455,
        "communality_career": 0.557, "communality_competencies": 0.397, "n_communalities_above_0_4": 6},
    "04_appraisal_360": {"perspective_mean_min": 7.5902, "perspective_mean_max": 7.8697, "share_any_below_5": 0.251,
                         "reform_rating_mean": 5.861, "leadership_weakest_executive": True,
                         "self_development_weakest_managerial": True},
}


def write(folder: Path, results: dict, data_source: str = "synthetic") -> Path:
    for step, res in results.items():
        write_results(step, res, data_source, results_dir=folder)
    return folder


@pytest.fixture
def good(tmp_path):
    return write(tmp_path / "results", GOOD)


def by_id(evals):
    return {e["id"]: e for e in evals}


# --------------------------------------------------------------------------- the ledger itself
def test_ledger_loads_and_covers_the_brief():
    ledger = claims.load_ledger()
    ids = {c["id"] for c in ledger}
    assert len(ids) == len(ledger) >= 60
    keys = {c.get("key") for c in ledger if isinstance(c.get("key"), str)}
    for k in ["01_content_analysis.n_postings", "01_content_analysis.n_no_digital", "02_digital_survey.n_respondents",
              "02_digital_survey.n_never_trained", "03_innovative_capacity.kmo", "03_innovative_capacity.median_age",
              "03_innovative_capacity.n_communalities_above_0_4", "04_appraisal_360.reform_rating_mean"]:
        assert k in keys
    communalities = [c for c in ledger if c.get("key", "").__str__().startswith("03_innovative_capacity.communality_")]
    assert len(communalities) == 9 and all(c["tolerance"] == 0.01 for c in communalities)
    kinds = {c["kind"] for c in ledger}
    assert kinds == set(claims.KINDS)


def test_ledger_values_are_quoted_from_the_papers():
    """Every number of a statement in quotes must appear in the paper's text (catches typos in the ledger)."""
    texts = {p: next(paths.ROOT.parent.glob(f"shared/seeds/{p}_*.txt"), None) for p in claims.PAPERS}
    if not all(texts.values()):
        pytest.skip("paper texts not available at ../shared/seeds")
    text = {p: t.read_text(encoding="utf-8") for p, t in texts.items()}
    for c in claims.load_ledger():
        if c["kind"] in ("value", "count", "external") and isinstance(c["value"], (int, float)):
            v = c["value"]
            printed = {f"{v:,}", f"{v}", f"{v:g}", f"{v:.3f}".lstrip("0"), f"{v:.2f}"}
            assert any(p in text[c["paper"]] for p in printed), (c["id"], v)


def test_result_keys_are_the_fixed_ones():
    """Keys must be among those fixed in the shared brief (HELPERS.md), so notebooks and ledger agree."""
    fixed = set(GOOD["01_content_analysis"]) | set(GOOD["02_digital_survey"]) | set(GOOD["03_innovative_capacity"]) \
        | set(GOOD["04_appraisal_360"])
    for c in claims.load_ledger():
        keys = c.get("key") if isinstance(c.get("key"), list) else [c.get("key"), c.get("input_key")]
        keys += [n for n in re.findall(r"\{([0-9][^}]*)\}", c.get("expr", ""))]
        for k in filter(None, keys):
            assert k.split(".", 1)[1] in fixed, (c["id"], k)


@pytest.mark.parametrize("claim, expected", [
    ({"kind": "count", "value": 66.9, "unit": "%", "base": 408}, 273),
    ({"kind": "count", "value": 60, "unit": "%", "base": 200}, 120),
    ({"kind": "count", "value": 54.5, "unit": "%", "base": 200}, 109),
    ({"kind": "count", "value": 56.5, "unit": "%", "base": 200}, 113),
    ({"kind": "count", "value": 2.5, "unit": "%", "base": 20}, 1),  # half rounds up, not to even
    ({"kind": "value", "value": 83, "unit": "%"}, 0.83),
    ({"kind": "range", "value": [7.59, 7.87], "unit": "points"}, [7.59, 7.87]),
])
def test_expected_value(claim, expected):
    assert claims.expected_value(claim) == expected


# --------------------------------------------------------------------------- evaluation
def test_all_computable_claims_pass_on_good_results(good):
    ev = claims.evaluate(good)
    assert claims.strict_failures(ev) == []
    s = claims.summary(ev)
    assert s["n_fail"] == 0 and s["n_pass"] + s["n_not_computable"] == s["n_claims"]
    e = by_id(ev)
    assert e["p003_kmo"]["status"] == "pass" and e["p003_kmo"]["difference"] == pytest.approx(0.0012)
    assert e["p000_no_digital_requirement"]["expected"] == 273
    assert e["p000_regional_more_barriers"]["difference"] == pytest.approx(0.11)  # regional - central
    # external figures are never judged, even when the pipeline echoes them as an input
    assert e["p003_local_staff_headcount"]["status"] == "not computable"
    assert e["p003_local_staff_headcount"]["recomputed"] == 39681
    assert e["p003_talent_pool_employed_share"]["status"] == "pass"
    assert e["p003_talent_pool_employed_share"]["recomputed"] == pytest.approx(263 / 350 * 100)
    assert e["p003_perspective_means_range"]["status"] == "pass"


@pytest.mark.parametrize("step, key, value, claim_id", [
    ("03_innovative_capacity", "kmo", 0.846, "p003_kmo"),                     # just outside +-0.005
    ("02_digital_survey", "n_never_trained", 112, "p000_never_trained"),       # exact count
    ("03_innovative_capacity", "share_female", 0.6451, "p003_share_female"),   # printed rounding
    ("04_appraisal_360", "perspective_mean_max", 7.885, "p003_perspective_means_range"),
    ("02_digital_survey", "barrier_share_central", 0.45, "p000_regional_more_barriers"),
    ("04_appraisal_360", "leadership_weakest_executive", False, "p003_leadership_weakest_executive"),
])
def test_perturbing_one_result_fails_exactly_that_claim(tmp_path, step, key, value, claim_id):
    bad = copy.deepcopy(GOOD)
    bad[step][key] = value
    ev = claims.evaluate(write(tmp_path / "results", bad))
    assert claims.strict_failures(ev) == [claim_id]
    assert by_id(ev)[claim_id]["status"] == "fail"


def test_tolerance_boundary_is_inclusive(tmp_path):
    res = copy.deepcopy(GOOD)
    res["03_innovative_capacity"]["kmo"] = 0.845  # exactly +0.005
    assert by_id(claims.evaluate(write(tmp_path / "r", res)))["p003_kmo"]["status"] == "pass"


def test_missing_or_null_results_are_not_computable(tmp_path):
    res = copy.deepcopy(GOOD)
    del res["04_appraisal_360"]
    res["03_innovative_capacity"]["kmo"] = None
    e = by_id(claims.evaluate(write(tmp_path / "r", res)))
    assert e["p003_reform_rating"]["status"] == "not computable"
    assert "04_appraisal_360.json not found" in e["p003_reform_rating"]["note"]
    assert e["p003_kmo"]["status"] == "not computable" and "null" in e["p003_kmo"]["note"]
    assert claims.strict_failures(list(e.values())) == []


def test_data_source_comes_from_the_results(tmp_path):
    folder = write(tmp_path / "r", GOOD, data_source="real")
    assert set(claims.results_data_sources(folder).values()) == {"real"}
    e = by_id(claims.evaluate(folder))
    assert e["p003_kmo"]["data_source"] == "real"
    assert e["p003_reasons_sum"]["data_source"] == "published values"


def test_strict_failures_name_the_claim(tmp_path):
    """What the runner's --strict uses: evaluate + strict_failures on a perturbed copy of the results."""
    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["communality_salary"] = 0.30
    failures = claims.strict_failures(claims.evaluate(write(tmp_path / "r", bad)))
    assert failures == ["p003_communality_salary"]


# --------------------------------------------------------------------------- schema errors
def _ledger(tmp_path, mutate) -> Path:
    doc = yaml.safe_load((paths.PUBLISHED / "claims.yaml").read_text(encoding="utf-8"))
    mutate(doc["claims"])
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize("mutate, message", [
    (lambda cs: cs[0].update(tolerance="abc"), "claim #1 (p000_n_postings): field 'tolerance' must be a number >= 0, got 'abc'"),
    (lambda cs: cs[1].update(id=cs[0]["id"]), "field 'id' is not unique"),
    (lambda cs: cs[0].update(key="n_postings"), "field 'key' must look like <step>.<key>"),
    (lambda cs: cs[0].update(paper=3), "field 'paper' must be one of"),
    (lambda cs: cs[0].update(kind="guess"), "field 'kind' must be one of"),
    (lambda cs: cs[6].update(expr="__import__('os').system('true')"), "may call only min, max, abs, round"),
    (lambda cs: cs[6].update(expr="{02_digital_survey.barrier_share_regional} >"), "not a valid expression"),
    (lambda cs: cs[6].update(expr="({02_digital_survey.barrier_share_regional}).real > 0"), "uses Attribute"),
    (lambda cs: next(c for c in cs if c["kind"] == "arithmetic").update(expr="{@p003_nope} + 1"), "unknown claim 'p003_nope'"),
    (lambda cs: next(c for c in cs if c["kind"] == "arithmetic").update(expr="{03_innovative_capacity.kmo} + 1"),
     "arithmetic claims use published values only"),
])
def test_bad_ledger_gives_a_clear_error(tmp_path, mutate, message):
    path = _ledger(tmp_path, mutate)
    with pytest.raises(claims.ClaimsError) as exc:
        claims.load_ledger(path)
    assert message in str(exc.value) and str(path) in str(exc.value)


def test_missing_ledger_names_the_file(tmp_path):
    with pytest.raises(claims.ClaimsError, match="claims ledger not found"):
        claims.load_ledger(tmp_path / "nope.yaml")


def test_corrupt_results_file_names_it(tmp_path):
    (tmp_path / "03_innovative_capacity.json").write_text("{not json")
    with pytest.raises(claims.ClaimsError, match="03_innovative_capacity.json: not valid JSON"):
        claims.evaluate(tmp_path)


def test_evaluation_is_json_serialisable(good):
    json.dumps(claims.evaluate(good))


def test_runner_strict_exit_code_names_the_failing_claim(tmp_path):
    """`civcomp reproduce --strict` ends through runner.check_claims: exit 3 and the claim named."""
    from civcomp.commands.reproduce import check_claims

    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["kmo"] = 0.80
    lines: list[str] = []
    rc = check_claims(write(tmp_path / "r", bad), "synthetic", strict=True, echo=lines.append)
    assert rc == 3
    assert "p003_kmo" in lines[-1] and "1 fail" in lines[0]
    assert check_claims(write(tmp_path / "ok", GOOD), "synthetic", strict=True, echo=lines.append) == 0
    assert check_claims(tmp_path / "r", "synthetic", strict=False, echo=lines.append) == 0
