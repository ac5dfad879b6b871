"""The robustness panel's 360 readings under notebook 04's disclosure rules (civcomp.analyses.robustness_appraisal)."""

from __future__ import annotations

import pandas as pd
import pytest

from civcomp.analyses import appraisal as ap
from civcomp.analyses import robustness
from civcomp.analyses.robustness_appraisal import POSITION_READINGS, appraisal_variants, appraisal_withheld

K, G = 5, 10


def _long(n: int, n_managers: int, n_low: int) -> pd.DataFrame:
    """``n`` respondents, ``n_managers`` of them managerial; the first ``n_low`` rate themselves 3 on leadership."""
    comps = ap.competencies()
    rows = [
        (f"R{i:03d}", p, c, 3 if (i < n_low and p == "self" and c == "leadership") else 6 + (i + len(c)) % 4)
        for i in range(n)
        for p in ap.PERSPECTIVES
        for c in comps
    ]
    ratings = pd.DataFrame(rows, columns=["respondent_id", "perspective", "competency", "score"])
    people = pd.DataFrame(
        {
            "respondent_id": [f"R{i:03d}" for i in range(n)],
            "level": "regional",
            "position_level": ["managerial"] * n_managers + ["executive"] * (n - n_managers),
        }
    )
    return ap.prepare(ratings, people)


@pytest.mark.parametrize(
    "n_managers, n_low, hidden",
    [
        (4, 20, set(POSITION_READINGS)),  # 4 managers: a level below 04's min_group_size
        (12, 2, {"below_lt5", "below_lt5_self", "below_lt5_zero_low", "below_1_to_5", "below_lt5_per_competency_max"}),
        (12, 20, set()),
    ],
)
def test_A5_panel_360_readings_follow_04s_rules(n_managers, n_low, hidden):
    long = _long(60, n_managers, n_low)
    assert appraisal_withheld(long, K, G) == hidden
    a = appraisal_variants(long)
    rows = robustness.appraisal_readings(a, a, 60, appraisal_withheld(long, K, G), set())
    by_key = {r["alternative"]: r for r in rows}
    shown = [r for r in rows if not r["withheld"]]
    assert all(r["value"] is None and r["survives"] is None for r in rows if r["withheld"])
    assert len(rows) - len(shown) == len(hidden) and by_key


def test_A5_panel_360_readings_on_too_few_respondents_are_all_withheld():
    long = _long(4, 1, 0)
    keys = set(appraisal_variants(long)) - {"n_competencies_rated", "below_lt5_per_competency_argmax"}
    assert appraisal_withheld(long, K, G) == keys
