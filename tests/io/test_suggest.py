"""civcomp.io.suggest: the drafted mapping — exact, normalised and close matches marked, refusals proposed as
missing, anything else a TODO with candidates; nothing guessed silently."""

from __future__ import annotations

from civcomp.io import yaml_safe
from civcomp.io.readers import read_csv_bytes
from civcomp.io.suggest import normalised, suggest


def _draft(text: str, dataset: str) -> tuple[str, dict]:
    d = suggest(dataset, read_csv_bytes(text.encode(), "x.csv"))
    return d, yaml_safe.loads(d, "draft")


def test_tiers_are_marked_and_ambiguity_is_a_todo():
    draft, m = _draft("ID;Coder A;coderb;coder\nP1;1;0;1\n", "postings_gold")
    assert m["rename"] == {"ID": "id", "Coder A": "coder_a", "coderb": "coder_b"}
    assert "# normalised:" in draft and "# close:" in draft
    todo = [ln for ln in draft.splitlines() if "# TODO coder" in ln]
    assert len(todo) == 1 and "coder_a" in todo[0] and "coder_b" in todo[0]  # two candidates: not guessed


def test_a_dont_know_category_is_a_value_not_missing():
    cols = "respondent_id,digital_required_at_hiring"
    draft, m = _draft(f"{cols}\nR1,Don't know\nR2,Да\nR3,Отказ от ответа\n", "digital_survey")
    recode = m["recode"]["digital_required_at_hiring"]
    assert recode["Don't know"] == "dont_know" and recode["Да"] == "yes"
    assert m["missing"] == {"digital_required_at_hiring": ["Отказ от ответа"]}


def test_normalised_folds_case_punctuation_yo_and_spacing():
    assert normalised("  Ёлка,  ГОРОД_Астана! ") == "елка город астана"
