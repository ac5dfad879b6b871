"""The coder's quality (civcomp.analyses.postings_validity): gold subsample, twin truth, the real corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcomp import paths, text
from civcomp.analyses import postings_validity as ps


@pytest.fixture(scope="module")
def corpus():
    df = pd.read_csv(paths.POSTINGS_REAL, dtype={"label": int})
    coded, hits = text.code_postings(df, text.Matcher(text.load_dictionary()))
    return df.merge(coded[["id", "digital"]], on="id"), hits


def test_corpus_is_complete_and_split_fixed():
    df = pd.read_csv(paths.POSTINGS_REAL)
    assert len(df) == df["id"].nunique() >= 204
    assert set(df["split"]) == {"dev", "test"} and set(df["label"]) == {0, 1}
    assert df.groupby("group_id")["split"].nunique().max() == 1  # RU/KK versions in one part
    ok = [str(s) in t for s, t in zip(df["deciding_sentence"].fillna(""), df["text"])]
    assert all(ok)


def test_held_out_accuracy_and_f1(corpus):
    df, _ = corpus
    test = df[df["split"] == "test"]
    r = ps.validity(test["label"], test["digital"], n_boot=500, seed=1)
    assert r["accuracy"] >= 0.95 and r["f1"] >= 0.93, r


def test_dev_accuracy_and_f1(corpus):
    df, _ = corpus
    dev = df[df["split"] == "dev"]
    r = ps.validity(dev["label"], dev["digital"], n_boot=0)
    assert r["accuracy"] >= 0.93 and r["f1"] >= 0.95, r


def test_every_civil_service_announcement_is_coded_as_labelled(corpus):
    df, hits = corpus
    cs = df[df["genre"] == "kz_civil_service_competition"]
    assert (cs["digital"] == cs["label"]).all()
    # their e-gov / e-mail words are found, in the submission procedure or contacts, and not counted
    h = hits[hits["id"].isin(cs["id"]) & (hits["tier"] != "excluded")]
    assert len(h) and not h["counted"].any()
    assert {"documents", "contacts"} & set(h["section"])


def test_all_text_is_worse_on_announcements(corpus):
    df, _ = corpus
    cs = df[df["genre"] == "kz_civil_service_competition"]
    coded, _ = text.code_postings(cs, text.Matcher(text.load_dictionary(), coding_sections=None))
    assert coded["digital"].all()  # the failure the sections fix: every announcement "digital"


def test_validity_counts_and_intervals():
    y = np.array([1] * 50 + [0] * 50)
    p = y.copy()
    p[:5] = 0
    p[50:52] = 1
    r = ps.validity(y, p, n_boot=1000, seed=3)
    assert (r["tp"], r["fn"], r["fp"], r["tn"]) == (45, 5, 2, 48)
    assert r["accuracy"] == pytest.approx(0.93) and r["precision"] == pytest.approx(45 / 47)
    assert r["f1"] == pytest.approx(90 / 97)
    for k in ("accuracy", "precision", "recall", "f1"):
        assert r[f"{k}_ci_low"] < r[k] < r[f"{k}_ci_high"]
    assert ps.validity(y, p, n_boot=1000, seed=3) == r  # seeded


def test_validity_empty_bases_are_nan_and_shape_checked():
    r = ps.validity([0, 0], [0, 0], n_boot=10)
    assert np.isnan(r["precision"]) and np.isnan(r["recall"]) and r["accuracy"] == 1.0
    with pytest.raises(ValueError, match="2 labels but 3"):
        ps.validity([0, 1], [0, 1, 1])


def test_validity_table_and_misclassified(corpus):
    df, hits = corpus
    t = ps.validity_table(df, n_boot=50)
    assert t["split"].tolist() == ["dev", "test", "all"] and t["n"].tolist()[-1] == len(df)
    mis = ps.misclassified(df, df.set_index("id")["text"], hits)
    wrong = set(df.loc[df["label"] != df["digital"], "id"])
    assert set(mis["id"]) == wrong and "section" in mis.columns


def test_gold_agreement_against_direct_computation():
    from civcomp.stats import agreement as rel

    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, 60)
    a, b = np.where(rng.random(60) < 0.1, 1 - t, t), np.where(rng.random(60) < 0.1, 1 - t, t)
    d = np.where(rng.random(60) < 0.05, 1 - t, t)
    ids = [f"p{i}" for i in range(60)]
    gold = pd.DataFrame({"id": ids, "coder_a": a, "coder_b": b})
    coded = pd.DataFrame({"id": ids[::-1], "digital": d[::-1]})  # order must not matter
    r = ps.gold_agreement(coded, gold, n_boot=500, seed=3)
    agree = a == b
    assert r["gold_n"] == 60 and r["gold_n_agreed"] == agree.sum()
    assert r["gold_f1"] == pytest.approx(rel.precision_recall_f1(a[agree], d[agree])["f1"])
    assert r["gold_kappa"] == pytest.approx(rel.cohen_kappa(a[agree], d[agree]))
    assert r["gold_alpha"] == pytest.approx(rel.krippendorff_alpha(np.vstack([a, b, d]).astype(float)))
    assert r["gold_alpha_ci_low"] < r["gold_alpha"] < r["gold_alpha_ci_high"]
    assert r["gold_intercoder_kappa"] == pytest.approx(rel.cohen_kappa(a, b))


def test_truth_agreement_per_tier():
    coded = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "digital": [1, 1, 0],
            "tiers": ["x", "x|y", ""],
            "tier_x": [1, 1, 0],
            "tier_y": [0, 1, 0],
        }
    )
    truth = pd.DataFrame({"id": ["a", "b", "c"], "digital": [1, 0, 1], "tiers": ["x", None, "y"]})
    t = ps.truth_agreement(coded, truth, ["x", "y"]).set_index("target")
    assert t.loc["digital", ["tp", "fp", "fn", "tn"]].tolist() == [1, 1, 1, 0]
    assert t.loc["y", ["tp", "fp", "fn"]].tolist() == [0, 1, 1]
