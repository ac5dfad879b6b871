"""Sections of postings (civcomp.text.sections) and section-aware coding (civcomp.text.matcher)."""

from __future__ import annotations

import pytest

from civcomp import text
from civcomp.text import sections as S

ANNOUNCEMENT_RU = """Управление цифровизации объявляет общий конкурс на занятие вакантной административной государственной должности корпуса «Б»
        Общие  квалификационные  требования к участникам конкурса:
высшее образование;
        Функциональные обязанности:   обеспечивает ведение ЕСЭДО и
контроль исполнения.
        Требования  к  участникам  конкурса:  Высшее  образование.
      Необходимые для участия в конкурсе документы:
      1) заявление по форме;
Граждане, изъявившие желание принять участие в общем конкурсе, представляют документы в электронном виде на адрес
электронной почты либо посредством портала электронного правительства «Е-gov».
"""

ANNOUNCEMENT_KK = """Басқарма «Б» корпусының бос мемлекеттік әкімшілік лауазымына орналасуға жалпы конкурс жариялайды.
      Барлық конкурс қатысушыларына арналған ортақ біліктілік талаптар, жоғары білім.
    Қызметтік міндеттері: құжаттарды қарау.
    Конкурсқа қатысушыларға  қойылатын  талаптар:  білімі  -  жоғары.
     Жалпы конкурсқа қатысу үшін қажетті құжаттар:
Конкурсқа қатысуға ниет білдірген азаматтар құжаттарды электрондық почта мекенжайына электронды түрде не "Е-gov"
электронды үкімет порталы арқылы тапсырады.
"""

CARD = """Бухгалтер

ТОО Ромашка

Мы — IT-компания, лидер рынка.

Обязанности:
Ведение учета в 1С;
Требования:
Уверенный пользователь ПК
Условия:
Корпоративная IT-платформа обучения, ноутбук

Полная занятость

График: 5/2

Excel, 1C: Бухгалтерия, Деловая переписка
"""


@pytest.fixture(scope="module")
def matcher():
    return text.Matcher(text.load_dictionary())


def _sections(matcher, t):
    return [(m.keyword, m.section, m.counted) for m in matcher.code_text(t).matches]


def test_headings_ru_announcement():
    secs = [s.section for s in S.Segmenter().segment(ANNOUNCEMENT_RU)]
    assert secs[:4] == ["general_requirements", "duties", "requirements", "documents"]


def test_headings_kk_announcement():
    secs = [s.section for s in S.Segmenter().segment(ANNOUNCEMENT_KK)]
    assert secs[:4] == ["general_requirements", "duties", "requirements", "documents"]


def test_submission_procedure_is_not_a_requirement(matcher):
    for t in (ANNOUNCEMENT_RU, ANNOUNCEMENT_KK):
        c = matcher.code_text(t)
        egov = [m for m in c.matches if m.keyword in ("e-gov", "электронн* правительств*", "электрондық үкімет*")]
        assert egov and all(m.section == "documents" and not m.counted for m in egov)
    # the RU announcement's ЕСЭДО duty counts; the KK one has no digital requirement
    assert matcher.code_text(ANNOUNCEMENT_RU).digital
    assert not matcher.code_text(ANNOUNCEMENT_KK).digital


def test_all_text_mode_counts_everything():
    m = text.Matcher(text.load_dictionary(), coding_sections=None)
    c = m.code_text(ANNOUNCEMENT_KK)
    assert c.digital and all(x.counted and x.section == "" for x in c.matches)


def test_card_sections_employer_benefits_and_key_skills(matcher):
    got = _sections(matcher, CARD)
    assert ("1с", "duties", True) in got
    assert ("пк", "requirements", True) in got
    assert all(not counted for kw, sec, counted in got if sec in ("employer", "benefits"))
    assert any(sec == "skills" and counted and kw == "excel" for kw, sec, counted in got)


def test_sentence_cue_overrides_heading(matcher):
    t = "Требования к участникам конкурса:\nЗнание законодательства.\nДокументы принимаются через портал e-qyzmet.kz."
    assert _sections(matcher, t) == [("e-qyzmet", "documents", False)]
    t = "Конкурсқа қатысушыларға қойылатын талаптар:\nҚұжаттар e-qyzmet.kz порталы арқылы қабылданады."
    assert _sections(matcher, t) == [("e-qyzmet", "documents", False)]


def test_fallback_without_headings(matcher):
    t = "Наша компания — лидер в сфере IT. Знание Excel обязательно. Мы предлагаем ДМС и IT-платформу обучения."
    got = _sections(matcher, t)
    assert ("excel", "requirements", True) in got  # under no heading: a requirement by its own cues
    assert all(not c for kw, sec, c in got if kw in ("it",))
    assert matcher.code_text(t).tiers == ("basic_literacy_office",)
    # without the fallback, unsectioned text does not count
    m = text.Matcher(text.load_dictionary(), fallback=False)
    assert not m.code_text(t).digital


@pytest.mark.parametrize(
    "t, digital",
    [
        ("Требования: аналитический склад ума, ит.д.", False),
        ("Требования: аналитический склад ума, ит.п.", False),
        ("Требования: знание законов и т.д.", False),
        ("Требования: опыт работы в IT-компании.", False),
        ("Адрес: ИТ-парк, Алматы.", False),
        ("Мы — IT-компания.", False),
        ("Требования: опыт работы в сфере ИТ не менее 2 лет.", True),
        ("Функциональные обязанности: участвует в цифровой трансформации отрасли.", True),
        ("Функционалдық міндеттері: цифрлық трансформация жобаларын іске асырады.", True),
        ("Требования: владение Eхcel (Cyrillic х).", True),
        ("Требования: продвинутый навык работы в Ехсеl.", True),
        ("Талаптар: Е-қызмет жүйесімен жұмыс істей білу.", True),
    ],
)
def test_tokens_real_text_breaks(matcher, t, digital):
    assert matcher.code_text(t).digital is digital


def test_requirement_only_entries_need_a_heading(matcher):
    assert not matcher.code_text("Работаем в ИТ уже 10 лет.").digital  # no heading: "ИТ" alone does not count
    assert matcher.code_text("Требования:\nРаботаем в ИТ уже 10 лет.").digital


def test_latin_schwa_in_kazakh_pdf_text():
    assert text.fold("Сəулет") == text.fold("Сәулет")


def test_unknown_coding_section_is_an_error():
    with pytest.raises(ValueError, match="unknown section"):
        text.Matcher(text.load_dictionary(), coding_sections=["duties", "dutys"])


def test_sentence_span_keeps_wrapped_lines_together():
    t = "Документы представляются в электронном виде на адрес\nэлектронной почты либо посредством портала."
    s, e = S.sentence_span(t, t.index("электронной почты"))
    assert (s, e) == (0, len(t))


def test_heading_needs_colon_or_own_line():
    seg = S.Segmenter()
    assert [x.section for x in seg.segment("Требования законодательства соблюдает всегда")] == []
    assert [x.section for x in seg.segment("Требования\nзнание Excel")] == ["requirements"]
    assert [x.section for x in seg.segment("  • Требования:  знание Excel")] == ["requirements"]


def test_batch_equals_one_by_one(matcher):
    texts = [ANNOUNCEMENT_RU, CARD, ANNOUNCEMENT_KK, "", "Знание SQL"]
    batch = matcher.code(texts, boilerplate=None)
    assert batch == [matcher.code_text(t) for t in texts]
    small = text.Matcher(text.load_dictionary(), chunk_chars=50)
    assert small.code(texts, boilerplate=None) == batch


def test_every_heading_of_the_twin_genre_is_recognised():
    """The twin's headings are modelled on real announcements: each must open the section it names."""
    import yaml

    from civcomp import paths
    from civcomp.text.sections import Segmenter

    genre = yaml.safe_load((paths.ROOT / "src" / "civcomp" / "synth" / "postings_genre.yaml").read_text("utf-8"))
    expected = {
        "duties": {"duties"},
        "requirements": {"requirements", "general_requirements"},
        "general_requirements": {"general_requirements"},
        "documents": {"documents"},
        "submission": {"documents"},
        "contacts": {"contacts"},
        "notes": {"notes"},
    }
    seg, wrong = Segmenter(), []
    for lang in ("ru", "kk"):
        for sec, headings in genre[lang]["headings"].items():
            for h in filter(None, headings):
                t = "Заголовок.\n" + h + "\nтекст раздела; ещё текст.\n"
                pos = t.index("текст раздела")
                got = {s.section for s in seg.segment(t) if s.start <= pos < s.end}
                if not got or not got <= expected[sec]:
                    wrong.append((lang, h, got))
    assert wrong == []


@pytest.mark.parametrize(
    "sentence, section",
    [
        ("Телефон для справок: 8 (7172) 92-10-95, электронная почта: ok@gov.kz.", "contacts"),
        ("Предусмотрены ежегодный трудовой отпуск и рабочее место, оснащённое компьютером.", "benefits"),
        ("Құжаттар жеті жұмыс күні ішінде (www.egov.kz) электрондық үкімет порталы арқылы қабылданады.", "documents"),
        ("Знание программ Microsoft Office, умение работать с электронной почтой.", "requirements"),
        ("Обеспечивает техническую поддержку пользователей информационных систем.", "requirements"),
    ],
)
def test_strong_cues_end_a_headed_section(sentence, section):
    from civcomp.text.sections import classify_sentence

    assert classify_sentence(sentence, "requirements") == section


def test_a_cue_of_several_words_is_found_with_doubled_spaces():
    # text extracted from .doc files keeps doubled spaces, also between the first words of a heading
    seg = S.Segmenter()
    for t in ("О  компании\nМы — интегратор.", "о   нас:\nмы растём", "Мы  предлагаем:\nДМС"):
        assert [x.section for x in seg.segment(t)] in (["employer"], ["benefits"])


def test_heading_prefilter_and_memo_find_what_the_regex_finds():
    """headings_in tries the heading regex only on lines whose first bytes can start a cue, memoised by line:
    it must find exactly what the regex finds at every line start."""
    import numpy as np
    import pandas as pd

    from civcomp import paths
    from civcomp.text.normalize import LINE_TABLE, SEP_CODE, encode_raw

    texts = pd.read_csv(paths.POSTINGS_REAL)["text"].tolist() + [ANNOUNCEMENT_RU, ANNOUNCEMENT_KK, CARD]
    texts += ["  12) " + t for t in texts[:50]] + ["\n •\u200b Требования  к участникам:", "1.Обязанности:"]
    raw = encode_raw("\x1e" + "\x1e".join(texts))
    lines = raw.translate(LINE_TABLE)
    seg = S.Segmenter()
    want = [
        (m.start(1), m.group(1))
        for m in (seg.pattern.match(lines, p) for p, b in enumerate(lines) if b == SEP_CODE)
        if m
    ]
    assert len(want) > 1000
    for _ in range(2):  # the second time from the memo
        pos, secs = seg.headings_in(raw)
        assert pos.tolist() == [p for p, _ in want]
        assert len(secs) == len(want) and np.all(pos >= 0)


@pytest.mark.parametrize("cue", [*S.CUES.values(), *S.OVERRIDES.values(), S._CHANNEL, S._ACCEPT])
def test_lowered_cue_search_equals_ignorecase_search(cue):
    import pandas as pd

    from civcomp import paths
    from civcomp.text.boilerplate import split_sentences

    texts = pd.read_csv(paths.POSTINGS_REAL)["text"].tolist()
    sentences = [t[s:e] for t in texts for s, e in split_sentences(t)]
    sentences += [s.upper() for s in sentences[::5]]
    # letters with case-insensitive partners outside ASCII and Cyrillic (ſ ~ s, K ~ k, ᲃ ~ с, İ ~ i) are searched
    # with re.IGNORECASE
    sentences += [
        "ſ@x.kz",
        "ТЕЛЕФОН 8 (7172) 55",
        "\u212a@b.kz",
        "ᲃкидка",
        "İT-КОМПАНИЯ",
        "Почта: A@B.KZ",
        "ПОРТАЛ\nПРИНЯТ",
    ]
    for s in sentences:
        assert cue.search(s, S._lowered(s)) == (cue.pattern.search(s) is not None), s


# ------------------------------------------------------------------ headings inside a line, unsectioned cues
ONE_LINE_CARD = (
    "Должностные обязанности Прием отправлений. Требования к кандидату Уверенный пользователь ПК "
    "Данные по вакансии График работы: Полный Контактная информация Электронная почта: a@b.ru"
)


def test_inline_headings_split_a_one_line_card():
    seg = S.Segmenter()
    secs = [s.section for s in seg.segment(ONE_LINE_CARD)]
    assert secs == ["duties", "requirements", "conditions", "conditions", "contacts"]
    assert seg.section_at(ONE_LINE_CARD, ONE_LINE_CARD.index("ПК")) == "requirements"
    assert seg.section_at(ONE_LINE_CARD, ONE_LINE_CARD.index("Электронная")) == "contacts"


def test_colon_heading_inside_a_line(matcher):
    t = "Требования: знание Excel. Мы предлагаем: корпоративное обучение Excel. Условия: ДМС"
    got = _sections(matcher, t)
    assert got[0] == ("excel", "requirements", True) and got[1][1] == "benefits" and not got[1][2]


def test_long_heading_is_not_split_at_its_own_words():
    t = "Общие квалификационные требования к участникам конкурса: высшее образование"
    assert [s.section for s in S.Segmenter().segment(t)] == ["general_requirements"]


def test_a_cue_glued_to_a_word_is_a_heading_only_where_a_capital_starts_it():
    # a scraped card joins its list items with no separator: «…иногороднимОбязанности: Работа с компьютерной кассой»
    seg = S.Segmenter().segment("Общежитие иногороднимОбязанности: работа")
    assert [(s.section, s.start) for s in seg] == [("duties", 21)]
    assert S.Segmenter().segment("иногороднимобязанности: работа") == []


def test_one_line_card_codes_its_requirement_not_its_contact(matcher):
    c = matcher.code_text(ONE_LINE_CARD)
    assert c.digital and [(m.keyword, m.section, m.counted) for m in c.matches] == [
        ("пк", "requirements", True),
        ("электронн* почт*", "contacts", False),
    ]


@pytest.mark.parametrize(
    "t, digital",
    [
        ("Опыт работы от года. Знание ИТ-систем и IT на уровне пользователя.", True),  # requirement cues
        ("Осуществляет сопровождение ИТ в учреждении.", True),  # duty cues
        ("Работаем в ИТ уже 10 лет.", False),  # neither: IT alone does not count
        ("Мы предоставляем ноутбук и планшет для работы.", False),  # equipment never counts
        ("Требования к кандидату: опыт. Выдаем планшет и смартфон.", False),  # ... even under a heading
    ],
)
def test_unsectioned_sentences_by_their_cues(matcher, t, digital):
    assert matcher.code_text(t).digital is digital


@pytest.mark.parametrize(
    ("posting", "digital"),
    [
        ("Кассир\n\nООО Компьютерный мир\n\nг. Москва\n\nДолжностные обязанности работа с кассой", False),
        ('Продавец\n\nТОО "Цифровые технологии"\n\nАлматы\n\nОбязанности: выкладка товара', False),
        # a sentence that starts with the employer's name and goes on (more than five words) is not a name line
        ("ООО Ромашка ищет бухгалтера со знанием 1С.", True),
        ("ООО Ромашка ищет бухгалтера со знанием 1С", True),
    ],
)
def test_an_employer_name_line_under_no_heading_is_the_employer(posting, digital):
    assert text.Matcher(text.load_dictionary()).code_text(posting).digital is digital


@pytest.mark.parametrize(
    ("sentence", "section", "expected"),
    [
        ("Уровень образования: высшее по специальности: информационные системы.", "requirements", "education"),
        ("Среднее специальное образование, предпочтительно в области программирования.", "requirements", "education"),
        ("Высшее образование по специальности, знание 1С.", "requirements", "requirements"),
        ("Высшее образование в области ИТ, опыт работы с SQL.", "unsectioned", "requirements"),
        ("Координация: схемы структуры предлагаемой системы.", "unsectioned", "unsectioned"),
        ("Мы предлагаем ДМС.", "unsectioned", "benefits"),
        ("Управлять жизненным циклом проектов.", "unsectioned", "duties"),
        ("Организует работу отдела.", "unsectioned", "duties"),
    ],
)
def test_education_field_participles_and_opening_verbs(sentence, section, expected):
    from civcomp.text.sections import classify_sentence

    assert classify_sentence(sentence, section) == expected
