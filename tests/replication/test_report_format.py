"""Values in the report as the paper prints them."""

from civcomp.replication import report_format as fmt


def test_numbers_at_the_papers_precision():
    assert fmt.fixed(10629, 0) == "10,629"
    assert fmt.fixed(0.8401, 3, leading_zero=False) == ".840"
    assert fmt.fixed(0.8406, 2) == "0.84"
    assert fmt.decimals_of_step(0.001) == 3


def test_p_values():
    assert fmt.p_value(0.0002) == "< .001"
    assert fmt.p_value(0.001) == ".001"
    assert fmt.p_value(0.0456) == ".046"


def test_booleans_read_agree_or_disagree():
    assert fmt.verdict_text({"kind": "comparison", "expected": True, "recomputed": True}) == "agree"
    assert fmt.verdict_text({"kind": "comparison", "expected": True, "recomputed": False}) == "disagree"
    assert fmt.recomputed_text({"kind": "comparison", "recomputed": False}) == "does not hold"


def test_difference_in_the_papers_unit():
    e = {"kind": "value", "unit": "%", "tolerance": 0.005, "difference": 0.0014, "published": "97%"}
    assert fmt.verdict_text(e) == "+0.1 pts (±0.5)"
    e = {"kind": "count", "unit": "postings", "tolerance": 0.5, "difference": 0.0, "published": "408"}
    assert fmt.verdict_text(e) == "0 (exact)"


def test_table_joins_the_interval_and_prints_p():
    cols, rows = fmt.format_table(
        ["measure", "result", "ci_low", "ci_high", "meets"],
        [["KMO", "0.840103", "0.830701", "0.847467", "True"], ["Bartlett (p)", "0.00001", "", "", "True"]],
    )
    assert cols == ["measure", "result", "95 % CI", "meets"]
    assert rows == [["KMO", "0.840", "[0.831, 0.847]", "yes"], ["Bartlett (p)", "< .001", "–", "yes"]]
