"""An SPSS export the way a survey institute writes one, built from the capacity twin (for the rehearsal tests).

Columns ``ID``, ``q1``…``q6``, ``q7_1``…``q7_9``, ``q8``, ``q9`` and a leftover ``filter_$``; Russian variable and
value labels, some worded unlike the codebook; codes 98 «Отказ от ответа» / 99 «Затрудняюсь ответить», declared
user-missing for some variables and not for others. ``TRUTH`` is the right rename of every column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from civcomp.analyses.capacity import ITEMS
from civcomp.io import yaml_safe
from civcomp.io.codebook import load_codebook

TRUTH = {
    "ID": "respondent_id",
    "q1": "level",
    "q2": "region",
    "q3": "position_level",
    "q4": "gender",
    "q5": "age",
    "q6": "reason",
    **{f"q7_{i}": item for i, item in enumerate(ITEMS, start=1)},
    "q8": "overall_competency",
    "q9": "reform_rating",
}
MISSING_LABELS = {98.0: "Отказ от ответа", 99.0: "Затрудняюсь ответить"}
REGION_WORDING = {"astana_city": "г. Астана", "almaty_city": "г. Алматы", "shymkent_city": "г. Шымкент"}
REASON_ORDER = ["financial_stability", "useful_to_state", "career", "professional_experience", "other"]


def build(twin: pd.DataFrame, path: Path) -> tuple[Path, pd.DataFrame]:
    """Write the institute's ``.sav`` to ``path``; return it and the twin with the same cells missing (as the
    twin's own codes: 99 for the items, -9 for age), which is what the file means."""
    import pyreadstat

    cb = load_codebook("capacity_survey")
    rng = np.random.default_rng(7)
    n = len(twin)
    expected = twin.copy()
    out = pd.DataFrame({"ID": twin["respondent_id"].astype(str)})
    vlabels: dict[str, dict[float, str]] = {}
    clabels = {"ID": "Идентификатор респондента"}

    def coded(col: str, field: str, order: list[str], wording: dict[str, str] | None = None) -> None:
        out[col] = twin[field].map({v: float(i) for i, v in enumerate(order, start=1)})
        vlabels[col] = {
            float(i): (wording or {}).get(v, cb.label(field, v, lang="ru")) for i, v in enumerate(order, start=1)
        }

    coded("q1", "level", ["central", "regional"])
    clabels["q1"] = "Уровень государственного органа"
    coded("q2", "region", list(cb.field("region").values), REGION_WORDING)
    clabels["q2"] = "Регион"
    coded("q3", "position_level", ["executive", "managerial"], {"managerial": "руководящий  уровень"})
    clabels["q3"] = "Уровень должности"
    coded("q4", "gender", ["male", "female"])
    clabels["q4"] = "Пол"
    age = twin["age"].astype(float)
    gone = rng.random(n) < 0.01  # «Затрудняюсь ответить», not declared missing
    out["q5"] = np.where(gone, 99.0, age)
    expected.loc[gone, "age"] = -9
    vlabels["q5"] = dict(MISSING_LABELS)
    clabels["q5"] = "Возраст"
    coded("q6", "reason", REASON_ORDER, {"other": "Другое"})
    clabels["q6"] = "Основная причина поступления на государственную службу"
    for i, item in enumerate(ITEMS, start=1):
        col = f"q7_{i}"
        out[col] = twin[item].astype(float)
        vlabels[col] = dict(MISSING_LABELS)
        clabels[col] = cb.label(item, lang="ru")
    clabels["q7_5"] = "Условия  труда."  # spacing and punctuation
    for col, item, code in (("q7_3", "salary", 99.0), ("q7_4", "trust", 98.0)):
        gone = rng.random(n) < 0.012
        out.loc[gone, col] = code
        expected.loc[gone, item] = 99
    out["q8"] = twin["overall_competency"].astype(float)
    clabels["q8"] = "Общий уровень собственных компетенций"
    out["q9"] = twin["reform_rating"].astype(float)
    clabels["q9"] = "Оценка текущего уровня реформы госслужбы"
    vlabels["q8"] = vlabels["q9"] = dict(MISSING_LABELS)
    out["filter_$"] = 1.0
    clabels["filter_$"] = "level = 2 (FILTER)"
    pyreadstat.write_sav(
        out,
        str(path),
        column_labels=[clabels.get(c, "") for c in out.columns],
        variable_value_labels=vlabels,
        missing_ranges={"q7_4": [98.0, 99.0]},  # declared for trust only
    )
    return path, expected


def complete(draft: str) -> dict:
    """What the analyst does with the draft: resolve the TODO lines (the builder's own knowledge of the file)."""
    m = yaml_safe.loads(draft, "draft")
    m["rename"]["q5"] = "age"
    m["drop"] = ["filter_$"]
    m["recode"]["region"].update({18: "astana_city", 19: "almaty_city", 20: "shymkent_city"})
    m["recode"]["reason"][5] = "other"
    m["missing"]["age"] = [98, 99]
    return m
