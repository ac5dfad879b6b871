"""Robustness panel, paper 000's content analysis: "66.9 % of job postings do not specify digital skills" recoded
under each reading of the coding unit and the coder's settings.

The checked reading is notebook 01's coder (its coding sections, fallback and boilerplate rule, which its
results file records). Each other reading changes one setting: the whole text as the coding unit, the terms
of the paper's Table 1 alone, no fallback for text under no heading, no boilerplate detection, boilerplate
everywhere (not only in unheaded text), and the boilerplate share threshold halved and doubled. Values are
counts of postings without a digital requirement (the claim's unit); nothing posting-level is returned.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from civcomp import paths
from civcomp import text as textlib

FAMILY = "content analysis (paper 000)"
CLAIM = "p000_no_digital_requirement"
DEFAULTS = {  # notebook 01's documented defaults, used when its results do not record a setting
    "dictionary": "digital_skills.yaml",
    "coding_sections": ["general_requirements", "duties", "requirements", "skills"],
    "fallback": True,
    "boilerplate_min_words": 8,
    "boilerplate_min_postings": 5,
    "boilerplate_min_share": 0.02,
}


def coder_settings(fitted: dict[str, Any] | None) -> dict[str, Any]:
    """Notebook 01's coder settings from its results (``fitted``), else :data:`DEFAULTS`."""
    f = fitted or {}
    return {k: f.get(k, v) for k, v in DEFAULTS.items()}


def _n_no_digital(postings: pd.DataFrame, dictionary, **matcher: Any) -> int:
    coded, _ = textlib.code_postings(postings, textlib.Matcher(dictionary, **matcher))
    return int((coded["digital"] == 0).sum())


def readings(postings: pd.DataFrame, fitted: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per reading of the coding: ``claim_id, family, alternative, checked, value, survives`` (None:
    the claim's own check applies)."""
    s = coder_settings(fitted)
    dic = textlib.load_dictionary(paths.DICTIONARIES / s["dictionary"])
    base = {
        "coding_sections": s["coding_sections"],
        "fallback": s["fallback"],
        "min_words": s["boilerplate_min_words"],
        "min_postings": s["boilerplate_min_postings"],
        "min_share": s["boilerplate_min_share"],
    }
    share = float(s["boilerplate_min_share"])
    unit = ", ".join(s["coding_sections"])
    variants = [
        (
            f"sections ({unit}), fallback {'on' if s['fallback'] else 'off'}, boilerplate share ≥ {share:g}",
            dic,
            {},
            True,
        ),
        ("whole text as the coding unit", dic, {"coding_sections": None}, False),
        ("Table 1's terms alone", dic.subset(["table1"]), {}, False),
        (
            "fallback off (text under no heading not coded)" if s["fallback"] else "fallback on",
            dic,
            {"fallback": not s["fallback"]},
            False,
        ),
        ("no boilerplate detection", dic, {"boilerplate": None}, False),
        ("boilerplate left out everywhere, not only in unheaded text", dic, {"boilerplate_scope": "all"}, False),
        (f"boilerplate share threshold halved ({share / 2:g})", dic, {"min_share": share / 2}, False),
        (f"boilerplate share threshold doubled ({share * 2:g})", dic, {"min_share": share * 2}, False),
    ]
    # notebook 01 reports the checked coding, the whole text and Table 1's terms itself: reuse, do not recode
    f = fitted or {}
    known = {0: f.get("n_no_digital"), 1: f.get("n_no_digital_all_text")}
    if f.get("n_digital_table1_terms_only") is not None and f.get("n_postings") == len(postings):
        known[2] = len(postings) - int(f["n_digital_table1_terms_only"])
    rows = []
    for i, (alt, d, change, checked) in enumerate(variants):
        n = known.get(i)
        if n is None:
            n = _n_no_digital(postings, d, **{**base, **change})
        label = f"{alt}: {n / len(postings):.1%}"
        rows.append(
            {
                "claim_id": CLAIM,
                "family": FAMILY,
                "alternative": label,
                "checked": checked,
                "value": n,
                "survives": None,
            }
        )
    return rows
