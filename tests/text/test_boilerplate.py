"""Boilerplate detection (civcomp.text.boilerplate) and its use in coding."""

from __future__ import annotations

import pandas as pd
import pytest

from civcomp import text
from civcomp.text import boilerplate as B

BLURB = "Мы входим в большую группу компаний и используем современные IT решения во всех наших процессах"


def test_sentence_key_folds_case_space_lookalikes():
    assert B.sentence_key("Знание  EXCEL\nи ЕСЭДO.") == B.sentence_key("знание ехсеl и есэдо")


def test_model_threshold_and_min_words():
    m = B.BoilerplateModel(min_postings=3, min_share=0.5, min_words=3)
    m.update([{"a b c"}, {"a b c"}, {"a b c", "x y"}, {"x y"}, {"x y"}, set()])
    assert m.n_postings == 6 and m.threshold == 3
    assert m.is_boilerplate("a b c") and not m.is_boilerplate("x y")  # x y: too short
    assert m.flagged() == {"a b c"}


def test_fit_and_report_are_deterministic():
    texts = [f"{BLURB}. Требования: знание Excel номер {i}." for i in range(6)] + ["Знание SQL."]
    r1 = B.report(texts, B.fit(texts, min_postings=5, min_words=8))
    r2 = B.report(list(reversed(texts)), B.fit(list(reversed(texts)), min_postings=5, min_words=8))
    assert r1["n_boilerplate_sentences"] == 1 and r1["examples"]["n_postings"].tolist() == [6]
    assert r1["share_chars"] == pytest.approx(r2["share_chars"]) and 0.5 < r1["share_chars"] < 0.9


def test_boilerplate_left_out_of_fallback_coding():
    texts = [f"{BLURB}. Знание SQL номер {i}." if i % 2 else f"{BLURB}. Работа с клиентами {i}." for i in range(10)]
    m = text.Matcher(text.load_dictionary(), min_postings=5, min_words=8)
    codes = m.code(texts)
    # the blurb's "IT" never counts (requirement-only entry); add a counted term to the blurb to test boilerplate
    blurb2 = "Мы входим в большую группу компаний и все сотрудники работают в ЕСЭДО каждый день без выходных"
    texts2 = [f"{blurb2}. Работа с клиентами {i}." for i in range(10)]
    codes2 = m.code(texts2)
    assert not any(c.digital for c in codes2)
    assert all(x.boilerplate and x.section == "unsectioned" and not x.counted for c in codes2 for x in c.matches)
    assert [c.digital for c in codes] == [bool(i % 2) for i in range(10)]
    # with boilerplate detection off, the blurb counts
    assert all(c.digital for c in m.code(texts2, boilerplate=None))


def test_boilerplate_in_a_requirements_section_still_counts_by_default():
    req = "Требования:\nУверенное владение программами ЕСЭДО, Excel и Word на уровне опытного пользователя компьютера"
    texts = [req] * 10
    m = text.Matcher(text.load_dictionary(), min_postings=5, min_words=8)
    assert all(c.digital for c in m.code(texts))
    m_all = text.Matcher(text.load_dictionary(), min_postings=5, min_words=8, boilerplate_scope="all")
    assert not any(c.digital for c in m_all.code(texts))


def test_streaming_model_equals_one_call():
    texts = [f"{BLURB}. Работа в ЕСЭДО {i}." for i in range(8)] + ["Знание SQL."] * 3
    m = text.Matcher(text.load_dictionary(), min_postings=3, min_words=4)
    model = m.new_boilerplate_model()
    for part in (texts[:5], texts[5:]):
        model.update(m.sentence_keys(part))
    streamed = m.code(texts[:5], boilerplate=model) + m.code(texts[5:], boilerplate=model)
    assert streamed == m.code(texts)


def test_report_on_real_corpus_announcements():
    from civcomp import paths

    df = pd.read_csv(paths.POSTINGS_REAL)
    r = B.report(df["text"], B.fit(df["text"], min_postings=3, min_share=0.0, min_words=8))
    assert 0 < r["share_chars"] < 0.5 and len(r["examples"]) > 0


def test_code_batches_equals_code_on_all_texts():
    texts = [f"{BLURB}. Работа в ЕСЭДО {i}." for i in range(8)] + ["Требования: SQL."] * 3 + [None, ""]
    m = text.Matcher(text.load_dictionary(), min_postings=3, min_words=4, chunk_chars=100)
    assert m.code_batches([texts[:4], texts[4:9], texts[9:]]) == m.code(texts)
