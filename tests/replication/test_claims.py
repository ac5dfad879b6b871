"""The claims ledger: schema, evidence classes, the printed-precision tolerance, evaluation (once, by
notebook 05, written to a file) and the --strict contract."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from civcomp import paths
from civcomp.io.ledger import expected_value, target
from civcomp.io.outputs import write_results
from civcomp.replication import claims

LOCAL_STAFF = target("p003_local_staff_headcount")  # an external figure: its one home is the ledger

# Results of a plausible run (values deliberately not equal to the published ones, but within the
# printed-precision tolerance).
GOOD = {
    "01_content_analysis": {"n_postings": 408, "n_no_digital": 273, "share_no_digital": 273 / 408, "truth_f1": None},
    "02_digital_survey": {
        "n_respondents": 200,
        "n_not_required_at_hiring": 120,
        "n_difficulty_experience_or_training": 109,
        "n_never_trained": 113,
        "barrier_share_central": 0.30,
        "barrier_share_regional": 0.41,
    },
    "03_innovative_capacity": {
        "n_total": 10942,
        "n_regional": 10629,
        "share_regional": 10629 / 10942,
        "local_staff_headcount": LOCAL_STAFF,
        "coverage_of_local_staff": 10629 / LOCAL_STAFF,
        "share_executive": 0.8301,
        "share_female": 0.6398,
        "median_age": 39.0,
        "reason_share_useful_to_state": 0.4102,
        "reason_share_financial_stability": 0.2699,
        "reason_share_professional_experience": 0.1501,
        "reason_share_career": 0.1199,
        "reason_share_other": 0.0499,
        "kmo": 0.8403,
        "bartlett_p": 0.0,
        "communality_innovative_capacity": 0.5902,
        "communality_agency_activities": 0.3518,
        "communality_salary": 0.2353,
        "communality_trust": 0.5391,
        "strong_determinants_hold": True,
        "communality_work_conditions": 0.5628,
        "communality_environment": 0.6432,
        "communality_schedule": 0.4569,
        "communality_career": 0.5541,
        "communality_competencies": 0.3992,
        "n_communalities_above_0_4": 6,
        "msa_min": 0.81,
        "n_regions_represented": 20,
        "n_regions": 20,
        "sem_cfa_cfi": 0.95,
        "sem_cfa_rmsea": 0.05,
    },
    "04_appraisal_360": {
        "perspective_mean_min": 7.5902,
        "perspective_mean_max": 7.8697,
        "share_any_below_5": 0.251,
        "reform_rating_mean": 5.861,
        "leadership_weakest_executive": True,
        "self_development_weakest_managerial": True,
    },
    "05_report": {
        "n_competencies_rated": 15,
        "digital_regions_represented": 20,
        "digital_regions_total": 20,
        "digital_region_max_min_ratio": 1.0,
    },
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
    for k in [
        "01_content_analysis.n_postings",
        "01_content_analysis.n_no_digital",
        "02_digital_survey.n_respondents",
        "02_digital_survey.n_never_trained",
        "03_innovative_capacity.kmo",
        "03_innovative_capacity.median_age",
        "03_innovative_capacity.n_communalities_above_0_4",
        "04_appraisal_360.reform_rating_mean",
    ]:
        assert k in keys
    communalities = [c for c in ledger if c.get("key", "").__str__().startswith("03_innovative_capacity.communality_")]
    assert len(communalities) == 9 and all(claims.tolerance(c) == 0.0005 for c in communalities)
    assert claims.tolerance(claims.by_id(ledger)["p003_kmo"]) == 0.0005
    kinds = {c["kind"] for c in ledger}
    assert kinds == set(claims.KINDS)
    assert {c["evidence"] for c in ledger} == set(claims.EVIDENCE)
    for new in (
        "p003_eight_items",
        "p003_n_competencies",
        "p003_survey_window",
        "p003_low_rating_definition",
        "p000_balanced_regions",
    ):
        assert new in ids
    # every quantitative statement of the audit is a claim
    for new in (
        "p003_good_fit",
        "p003_items_sufficient",
        "p003_environment_conditions_first",
        "p003_competencies_rated_highly",
        "p003_from_all_regions",
        "p003_survey_month",
        "p003_reasons_add_up",
        "p003_majority_not_interested",
        "p003_median_age_civil_service",
        "p003_figure6_positive",
        "p003_table3_requirement_vs_good_fit",
        "p003_ten_point_scale",
        "p003_five_solutions",
        "p003_fifteen_in_each_question",
    ):
        assert new in ids, new
    # what the paper does not say is not in the ledger
    assert not any("smallest group" in c["statement"] for c in ledger)
    # no locator is the line of a text file
    assert not any(re.search(r"\bline[s]? \d", c["where"]) for c in ledger)


def _papers() -> dict[str, str]:
    texts = {p: next(paths.ROOT.parent.glob(f"shared/seeds/{p}_*.txt"), None) for p in claims.PAPERS}
    if not all(texts.values()):
        pytest.skip("paper texts not available at ../shared/seeds")
    return {p: " ".join(t.read_text(encoding="utf-8").split()) for p, t in texts.items()}


def test_printed_values_are_quoted_from_the_papers():
    """Every ``printed`` text appears verbatim in the paper (catches typos in the ledger)."""
    text = _papers()
    for c in claims.load_ledger():
        pr = c.get("printed")
        for p in pr if isinstance(pr, list) else [pr] if pr else []:
            assert p in text[c["paper"]], (c["id"], p)
        if c["kind"] == "external" and isinstance(c["value"], (int, float)):
            v = c["value"]
            assert any(f in text[c["paper"]] for f in {f"{v:,}", f"{v}"}), (c["id"], v)


# Statements that cannot be found as one run of text: a table row (cells joined by " | ") or a sentence
# cut by a footnote. Each fragment between " ... " / " | " must still be verbatim.
def _fragments(statement: str) -> list[str]:
    s = statement.replace(" [sic]", "")
    return [f.strip().strip(".").strip() for f in re.split(r" \.\.\. | \| ", s) if f.strip()]


def test_statements_are_verbatim_quotes():
    """Each statement is quoted verbatim (typos kept and marked [sic]): every fragment is in the paper."""
    text = _papers()
    splits = {"p003_eight_items": "to construct the structural model"}  # the sentence runs round footnote 4
    for c in claims.load_ledger():
        for frag in _fragments(c["statement"]):
            if c["id"] in splits and splits[c["id"]] in frag:
                head, tail = frag.split(" model ", 1)
                assert head in text[c["paper"]] and ("model " + tail) in text[c["paper"]], c["id"]
                continue
            if c["id"].startswith("p003_communality_"):  # "Commonality for each variable: - Salary .235"
                head, _, row = frag.partition(" - ")
                assert head in text["003"] and row.rsplit(" ", 1)[0] in text["003"], c["id"]
                continue
            assert frag in text[c["paper"]], (c["id"], frag)


def test_sic_marks_the_papers_own_typos():
    ledger = claims.by_id(claims.load_ledger())
    assert "0.5% [sic]" in ledger["p003_kmo"]["statement"]
    assert "0.4%. [sic]" in ledger["p003_six_communalities_above_0_4"]["statement"]
    assert "compare [sic]" in ledger["p003_low_rating_definition"]["statement"]


@pytest.mark.parametrize(
    "printed, unit, base, kind, tol",
    [
        (".840", "index", None, "value", 0.0005),
        ("66.9%", "%", 408, "count", 0.204),
        ("60%", "%", 200, "count", 1.0),
        ("97%", "%", None, "value", 0.005),
        ("10,942", "respondents", None, "count", 0.5),
        ("7.59", "points", None, "value", 0.005),
        ("six", "variables", None, "count", 0.5),
        ("5.86", "points", None, "value", 0.005),
    ],
)
def test_tolerance_is_half_a_unit_of_the_printed_digit(printed, unit, base, kind, tol):
    c = {"kind": kind, "unit": unit, "printed": printed}
    if base:
        c["base"] = base
    assert claims.tolerance(c) == pytest.approx(tol)


def test_only_stated_tolerances_depart_from_the_rule():
    stated = [c["id"] for c in claims.load_ledger() if "tolerance" in c]
    assert sorted(stated) == ["p003_reasons_add_up", "p003_share_any_below_5", "p003_survey_month"]


def test_evidence_classes_follow_the_definitions():
    ledger = claims.load_ledger()
    for c in ledger:
        if c["kind"] == "arithmetic":
            assert c["evidence"] == "consistency"
        if c["kind"] == "external":
            assert c["evidence"] == "external"
        if c["evidence"] == "derived":
            assert c["derived_from"]
    derived = {c["id"] for c in ledger if c["evidence"] == "derived"}
    assert {
        "p003_personal_goals_share",
        "p003_reasons_descending",
        "p003_coverage_of_local_staff",
        "p003_bartlett_p",
        "p003_six_communalities_above_0_4",
    } <= derived


def test_result_keys_are_the_fixed_ones():
    """Keys must be among those fixed in the shared brief (HELPERS.md), so notebooks and ledger agree."""
    fixed = (
        set(GOOD["01_content_analysis"])
        | set(GOOD["02_digital_survey"])
        | set(GOOD["03_innovative_capacity"])
        | set(GOOD["04_appraisal_360"])
        | set(GOOD["05_report"])
    )
    for c in claims.load_ledger():
        keys = c.get("key") if isinstance(c.get("key"), list) else [c.get("key"), c.get("input_key")]
        keys += [n for n in re.findall(r"\{([0-9][^}]*)\}", c.get("expr", ""))]
        for k in filter(None, keys):
            assert k.split(".", 1)[1] in fixed, (c["id"], k)


@pytest.mark.parametrize(
    "claim, expected",
    [
        ({"kind": "count", "value": 66.9, "unit": "%", "base": 408}, 273),
        ({"kind": "count", "value": 60, "unit": "%", "base": 200}, 120),
        ({"kind": "count", "value": 54.5, "unit": "%", "base": 200}, 109),
        ({"kind": "count", "value": 56.5, "unit": "%", "base": 200}, 113),
        ({"kind": "count", "value": 2.5, "unit": "%", "base": 20}, 1),  # half rounds up, not to even
        ({"kind": "value", "value": 83, "unit": "%"}, 0.83),
        ({"kind": "range", "value": [7.59, 7.87], "unit": "points"}, [7.59, 7.87]),
    ],
)
def test_expected_value(claim, expected):
    assert expected_value(claim) == expected


# --------------------------------------------------------------------------- evaluation
def test_all_computable_claims_pass_on_good_results(good):
    ev = claims.evaluate(good)
    assert claims.strict_failures(ev) == []
    s = claims.summary(ev)
    # where the paper disagrees with itself: two low-rating definitions, Table 3's own requirement, 0-10 vs 10 points
    assert s["n_fail"] == len(s["consistency_failing_ids"]) == 3
    assert s["n_pass"] + s["n_fail"] + s["n_not_computable"] == s["n_claims"]
    e = by_id(ev)
    assert e["p003_kmo"]["status"] == "pass" and e["p003_kmo"]["difference"] == pytest.approx(0.0003)
    assert e["p000_no_digital_requirement"]["expected"] == 273
    assert e["p000_regional_more_barriers"]["difference"] == pytest.approx(0.11)  # regional - central
    # external figures are never judged, and show no "recomputed" value
    assert e["p003_local_staff_headcount"]["status"] == "not computable"
    assert e["p003_local_staff_headcount"]["recomputed"] is None
    assert e["p003_talent_pool_employed_share"]["status"] == "pass"
    assert e["p003_talent_pool_employed_share"]["recomputed"] == pytest.approx(263 / 350 * 100)
    assert e["p003_perspective_means_range"]["status"] == "pass"


@pytest.mark.parametrize(
    "step, key, value, claim_id",
    [
        ("03_innovative_capacity", "kmo", 0.8406, "p003_kmo"),  # just outside +-0.0005
        ("03_innovative_capacity", "communality_salary", 0.236, "p003_communality_salary"),  # .235 + 0.001
        ("02_digital_survey", "n_never_trained", 112, "p000_never_trained"),  # exact count
        ("03_innovative_capacity", "share_female", 0.6451, "p003_share_female"),  # printed rounding
        ("02_digital_survey", "n_not_required_at_hiring", 122, "p000_not_required_at_hiring"),  # 61 % of 200
        ("04_appraisal_360", "perspective_mean_max", 7.885, "p003_perspective_means_range"),
        ("02_digital_survey", "barrier_share_central", 0.45, "p000_regional_more_barriers"),
        ("04_appraisal_360", "leadership_weakest_executive", False, "p003_leadership_weakest_executive"),
    ],
)
def test_perturbing_one_result_fails_exactly_that_claim(tmp_path, step, key, value, claim_id):
    bad = copy.deepcopy(GOOD)
    bad[step][key] = value
    ev = claims.evaluate(write(tmp_path / "results", bad))
    assert claims.strict_failures(ev) == [claim_id]
    assert by_id(ev)[claim_id]["status"] == "fail"


def test_tolerance_boundary_is_inclusive(tmp_path):
    res = copy.deepcopy(GOOD)
    res["03_innovative_capacity"]["kmo"] = 0.8405  # exactly +0.0005: half a unit of ".840"
    res["02_digital_survey"]["n_not_required_at_hiring"] = 121  # 60.5 % still prints as 60 %
    e = by_id(claims.evaluate(write(tmp_path / "r", res)))
    assert e["p003_kmo"]["status"] == "pass" and e["p000_not_required_at_hiring"]["status"] == "pass"


def test_missing_or_null_results_are_not_computable(tmp_path):
    res = copy.deepcopy(GOOD)
    del res["04_appraisal_360"]
    res["03_innovative_capacity"]["kmo"] = None
    e = by_id(claims.evaluate(write(tmp_path / "r", res)))
    assert e["p003_reform_rating"]["status"] == "not computable"
    assert "04_appraisal_360.json not found" in e["p003_reform_rating"]["note"]
    assert e["p003_kmo"]["status"] == "not computable" and "null" in e["p003_kmo"]["note"]
    assert claims.strict_failures(list(e.values())) == []


def test_A5_claims_a_null_real_result_shows_as_withheld(tmp_path):
    """In real mode a null result is a value the notebook's disclosure rules withheld, and the note says so."""
    res = copy.deepcopy(GOOD)
    res["03_innovative_capacity"]["median_age"] = None
    e = by_id(claims.evaluate(write(tmp_path / "real", res, data_source="real")))["p003_median_age"]
    assert e["status"] == "not computable" and e["recomputed"] is None
    assert "withheld (disclosure control)" in e["note"] and "not available" not in e["note"]
    twin = by_id(claims.evaluate(write(tmp_path / "twin", res)))["p003_median_age"]
    assert "withheld" not in twin["note"]  # on the twin a null is not a disclosure decision


def test_A2_claims_json_floats_at_printed_precision_in_both_modes(tmp_path):
    """A small real sample: 59 regional respondents over the known headcount. The difference to the paper's 27 %
    written at full precision gives the count back to a reader who knows the headcount; every float of the
    claims file is at the printed precision of the results it is made of, as the audit judges it."""
    from civcomp.stats.intruder_audit import json_leaks

    for mode in ("synthetic", "real"):
        res = copy.deepcopy(GOOD)
        res["03_innovative_capacity"].update(n_regional=59, coverage_of_local_staff=59 / LOCAL_STAFF)
        folder = write(tmp_path / mode, res, data_source=mode)
        ev = claims.evaluate(folder)
        assert by_id(ev)["p003_coverage_of_local_staff"]["difference"] != round(
            by_id(ev)["p003_coverage_of_local_staff"]["difference"], 6
        ), "the evaluation carries full precision, or this could not fail"
        path = claims.write_evaluations(ev, mode, folder)
        assert json_leaks(path) == [], mode
        written = by_id(json.loads(path.read_text(encoding="utf-8"))["evaluations"])
        six = float(
            f"{59 / LOCAL_STAFF - expected_value(claims.by_id(claims.load_ledger())['p003_coverage_of_local_staff']):.6g}"
        )
        assert written["p003_coverage_of_local_staff"]["difference"] == six
        assert written["p003_kmo"]["status"] == by_id(ev)["p003_kmo"]["status"]


def test_data_source_comes_from_the_results(tmp_path):
    folder = write(tmp_path / "r", GOOD, data_source="real")
    assert set(claims.results_data_sources(folder).values()) == {"real"}
    e = by_id(claims.evaluate(folder))
    assert e["p003_kmo"]["data_source"] == "real"
    assert e["p003_personal_goals_59"]["data_source"] == "published values"


def test_strict_failures_name_the_claim(tmp_path):
    """What the runner's --strict uses: evaluate + strict_failures on a perturbed copy of the results."""
    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["communality_salary"] = 0.30
    failures = claims.strict_failures(claims.evaluate(write(tmp_path / "r", bad)))
    assert failures == ["p003_communality_salary"]


# --------------------------------------------------------------------------- schema errors
def _c(cs, cid):
    return next(c for c in cs if c["id"] == cid)


def _ledger(tmp_path, mutate) -> Path:
    doc = yaml.safe_load((paths.PUBLISHED / "claims.yaml").read_text(encoding="utf-8"))
    mutate(doc["claims"])
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda cs: cs[0].update(tolerance="abc"),
            "claim #1 (p000_n_postings): field 'tolerance' must be a number >= 0, got 'abc'",
        ),
        (lambda cs: cs[1].update(id=cs[0]["id"]), "field 'id' is not unique"),
        (lambda cs: cs[0].update(key="n_postings"), "field 'key' must look like <step>.<key>"),
        (lambda cs: cs[0].update(paper=3), "field 'paper' must be one of"),
        (lambda cs: cs[0].update(kind="guess"), "field 'kind' must be one of"),
        (
            lambda cs: _c(cs, "p000_regional_more_barriers").update(expr="__import__('os').system('true')"),
            "may call only min, max, abs, round",
        ),
        (
            lambda cs: _c(cs, "p000_regional_more_barriers").update(
                expr="{02_digital_survey.barrier_share_regional} >"
            ),
            "not a valid expression",
        ),
        (
            lambda cs: _c(cs, "p000_regional_more_barriers").update(
                expr="({02_digital_survey.barrier_share_regional}).real > 0"
            ),
            "uses Attribute",
        ),
        (lambda cs: _c(cs, "p003_kmo").pop("printed"), "field 'printed' is required"),
        (lambda cs: _c(cs, "p003_kmo").update(printed=".84O"), "cannot read a number"),
        (lambda cs: _c(cs, "p003_kmo").update(printed=".841"), "does not print the value"),
        (lambda cs: _c(cs, "p003_kmo").update(tolerance=0.01), "field 'tolerance_reason'"),
        (lambda cs: _c(cs, "p003_kmo").update(evidence="proof"), "field 'evidence' must be one of"),
        (lambda cs: _c(cs, "p003_kmo").update(evidence="external"), "is 'external' exactly when"),
        (lambda cs: _c(cs, "p003_bartlett_p").pop("derived_from"), "a derived claim lists the claims"),
        (lambda cs: _c(cs, "p003_bartlett_p").update(derived_from=["p003_nope"]), "unknown claim 'p003_nope'"),
        (
            lambda cs: next(c for c in cs if c["kind"] == "arithmetic").update(expr="{@p003_nope} + 1"),
            "unknown claim 'p003_nope'",
        ),
        (
            lambda cs: next(c for c in cs if c["kind"] == "arithmetic").update(expr="{03_innovative_capacity.kmo} + 1"),
            "arithmetic claims use published values only",
        ),
    ],
)
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


def evaluated(folder: Path, results: dict) -> Path:
    """What notebook 05 does: evaluate once and write outputs/results/05_report__claims.json."""
    write(folder, {k: v for k, v in results.items() if k != "05_report"})
    ev = claims.evaluate(
        folder, extra_results={"05_report": {"data_source": "synthetic", **results.get("05_report", {})}}
    )
    claims.write_evaluations(ev, "synthetic", folder)
    return folder


def test_runner_strict_exit_code_names_the_failing_claim(tmp_path):
    """`civcomp reproduce --strict` ends through check_claims, which reads notebook 05's evaluations file:
    exit 3 and the claim named."""
    from civcomp.commands.reproduce import check_claims

    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["kmo"] = 0.80
    lines: list[str] = []
    rc = check_claims(evaluated(tmp_path / "r", bad), "synthetic", strict=True, echo=lines.append)
    assert rc == 3
    assert "p003_kmo" in lines[-1] and "1 not: a pipeline fault" in lines[0]
    assert check_claims(evaluated(tmp_path / "ok", GOOD), "synthetic", strict=True, echo=lines.append) == 0
    assert check_claims(tmp_path / "r", "synthetic", strict=False, echo=lines.append) == 0


def test_strict_fails_when_one_communality_moves_by_0_001(tmp_path):
    """The acceptance test: one communality off by 0.001 (twice the printed precision) fails --strict, named."""
    from civcomp.commands.reproduce import check_claims

    bad = copy.deepcopy(GOOD)
    bad["03_innovative_capacity"]["communality_trust"] = 0.539 + 0.001
    lines: list[str] = []
    assert check_claims(evaluated(tmp_path / "r", bad), "synthetic", strict=True, echo=lines.append) == 3
    assert lines[-1] == "claims not reproduced: p003_communality_trust"
    # "strong determinants" is notebook 03's own computation (one definition): a result that says they do not
    # hold fails that claim alone
    bad["03_innovative_capacity"]["communality_trust"] = 0.539
    bad["03_innovative_capacity"]["communality_competencies"] = 0.399 + 0.001
    assert check_claims(evaluated(tmp_path / "c", bad), "synthetic", strict=True, echo=lines.append) == 3
    assert lines[-1] == "claims not reproduced: p003_communality_competencies"
    bad["03_innovative_capacity"]["communality_competencies"] = 0.399
    bad["03_innovative_capacity"]["strong_determinants_hold"] = False
    assert check_claims(evaluated(tmp_path / "s", bad), "synthetic", strict=True, echo=lines.append) == 3
    assert lines[-1] == "claims not reproduced: p003_strong_determinants"


def test_summary_counts_evidence_classes_apart(tmp_path):
    ev = claims.read_evaluations(evaluated(tmp_path / "r", GOOD))["evaluations"]
    s = claims.summary(ev)
    assert s["n_data"] + s["n_derived"] + s["n_consistency"] + s["n_external"] == s["n_claims"]
    assert s["n_data_fail"] == s["n_derived_fail"] == 0 and s["n_data_pass"] == s["n_data"]
    # the paper's two definitions of a low rating disagree: reported, never refused by --strict
    assert s["consistency_failing_ids"] == [
        "p003_table3_requirement_vs_good_fit",
        "p003_ten_point_scale",
        "p003_low_rating_definition",
    ]
    assert s["failing_ids"] == []
    line = claims.summary_line(s)
    assert line.startswith(
        f"on the twin — data: {s['n_data_calibrated']} calibrated claims reproduced (a pipeline check)"
    )
    assert f"{s['n_data_free']} free: {s['n_data_free_pass']} agree" in line
    assert f"{s['n_external']} external" in line


def test_evaluations_file_is_the_only_evaluation(tmp_path, monkeypatch):
    """The runner never evaluates: with evaluate() broken it still reports from the file; without the file
    (or with a stale one) --strict exits 3 and says why."""
    from civcomp.commands.reproduce import check_claims

    folder = evaluated(tmp_path / "r", GOOD)
    for where in (claims, claims.evaluation):  # the package's name and the defining module's
        monkeypatch.setattr(where, "evaluate", lambda *a, **k: (_ for _ in ()).throw(AssertionError("re-evaluated")))
    lines: list[str] = []
    assert check_claims(folder, "synthetic", strict=True, echo=lines.append) == 0
    claims.evaluations_path(folder).unlink()
    assert check_claims(folder, "synthetic", strict=True, echo=lines.append) == 3
    assert "05_report__claims.json not found" in lines[-1]


def test_stale_evaluations_are_refused(tmp_path):
    led = _ledger(tmp_path, lambda cs: None)
    folder = write(tmp_path / "r", GOOD)
    claims.write_evaluations(claims.evaluate(folder, led), "synthetic", folder, ledger=led)
    assert claims.read_evaluations(folder, led)["summary"]["n_claims"] == len(claims.load_ledger())
    led.write_text(led.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(claims.ClaimsError, match="stale"):
        claims.read_evaluations(folder, led)


def test_evaluations_file_is_not_read_as_a_step_result(tmp_path):
    folder = evaluated(tmp_path / "r", GOOD)
    assert "05_report__claims" not in claims.read_all_results(folder)


def test_computed_by_is_a_dotted_civcomp_path_on_data_and_derived_claims_only(monkeypatch):
    from civcomp.replication.claims import schema

    base = {
        "id": "p003_x",
        "paper": "003",
        "where": "l. 1",
        "statement": "s",
        "unit": "index",
        "kind": "value",
        "evidence": "data",
        "value": 0.84,
        "printed": ".84",
        "key": "03_innovative_capacity.kmo",
    }
    schema.validate([{**base, "computed_by": "civcomp.analyses.robustness.results"}])
    for bad, msg in (
        ("analyses.capacity.results", "must be a dotted path"),
        ("civcomp", "must be a dotted path"),
        (3, "must be a dotted path"),
    ):
        with pytest.raises(claims.ClaimsError, match=msg):
            schema.validate([{**base, "computed_by": bad}])
    arithmetic = {**base, "kind": "arithmetic", "evidence": "consistency", "expr": "{@p003_x} * 1"}
    arithmetic.pop("key")
    with pytest.raises(claims.ClaimsError, match="data and derived claims only"):
        schema.validate([{**arithmetic, "computed_by": "civcomp.analyses.robustness.results"}])
    monkeypatch.setattr(schema, "COMPUTED_BY_REQUIRED", True)
    with pytest.raises(claims.ClaimsError, match="'computed_by' is required"):
        schema.validate([base])
    monkeypatch.setattr(schema, "COMPUTED_BY_REQUIRED", False)
    schema.validate([base])
