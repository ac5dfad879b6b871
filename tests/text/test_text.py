"""The digital-skills matcher: every normalisation and boundary rule, in Russian and Kazakh, the traps the
synthetic generator plants, span mapping back to the original text, the dictionary loader and the CLI."""

from __future__ import annotations

import functools
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civcomp import text
from civcomp.commands import code_postings as code_postings_cmd
from civcomp.text import DictionaryError, Matcher, dictionary_from_mapping, fold, kwic, load_dictionary, normalize
from civcomp.text.normalize import SEP, encode_raw, fold_drop


@functools.lru_cache(maxsize=1)
def _shared_matcher() -> Matcher:
    return Matcher(load_dictionary())


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return _shared_matcher()


def keywords(m: Matcher, text: str) -> list[str]:
    return [x.keyword for x in m.code_text(text).matches]


def small(terms: dict[str, list[str]], exclusions: list[str] = ()) -> Matcher:
    """A matcher over a tiny dictionary (one tier per key)."""
    d = {
        "tiers": {t: {"table1": {"ru": v}} for t, v in terms.items()},
        "exclusions": [{"context": c, "lang": "ru", "why": "test"} for c in exclusions],
    }
    return Matcher(dictionary_from_mapping(d, "test"))


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize(
    "text, folded",
    [
        ("ЕСЭДО", "есэдо"),  # case, Russian
        ("ҚАЗАҚСТАН Әділет", "қазақстан әділет"),  # case, Kazakh letters kept (not turned into к, а)
        ("Ёлка ещё", "елка еще"),  # ё -> е
        ("ЕСЭДO", "есэдо"),  # Latin O inside a Cyrillic word
        ("Exсel", "ехсеl"),  # Cyrillic с inside a Latin word
        ("Excel", "ехсеl"),  # ... folds to the same as the all-Latin word
        ("1C", "1с"),  # Latin C = Cyrillic С
        ("деректердi", "деректерді"),  # Latin i typed for Kazakh і
        ("Әə", "әә"),  # Latin schwa = Kazakh ә
        ("a\nb\tc\u00a0d\u2028e", "а в с d е"),  # every whitespace is a space (and look-alikes fold)
        ("«ПК»", '"пк"'),  # quotes fold
        ("e\u2011gov", "е-gоv"),  # non-breaking hyphen is a hyphen
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_keeps_russian_and_kazakh_letters_apart():
    # и/і, к/қ, г/ғ, н/ң, о/ө, у/ү/ұ, х/һ, а/ә are different letters, not variants
    assert len(set(fold("и і к қ г ғ н ң о ө у ү ұ х һ а ә").split())) == 17


def test_fold_unknown_alphabets_keep_word_class():
    assert fold("Straße 北京 ✓") == "sтrа\ue000е \ue000\ue000 \ue001"


@pytest.mark.parametrize(
    "text, norm",
    [
        ("владение\n\n   ПК", "владение пк"),  # runs of whitespace collapse
        ("Ex\u00adcel", "ехсеl"),  # soft hyphen dropped
        ("ЕС\u200bЭДО", "есэдо"),  # zero-width space dropped
        ("a \u00ad b", "а в"),  # space, invisible, space -> one space
        ("a \u00ad\u200b  b", "а в"),
    ],
)
def test_normalize(text, norm):
    assert normalize(text).text == norm


@given(
    st.lists(st.sampled_from(["ПК", "Ex", "сel", " ", "\n", "  ", "\u00ad", "ё", "Қ", "i", "\u200b", "."]), max_size=30)
)
@settings(max_examples=200, deadline=None)
def test_normalize_maps_every_character_back(parts):
    # reference: a character-by-character loop (fold, drop invisible characters, collapse spaces)
    text, ref, origin = "".join(parts), [], []
    for i, ch in enumerate(fold("".join(parts))):
        if ch == "\x00" or (ch == " " and ref and ref[-1] == " "):
            continue
        ref.append(ch)
        origin.append(i)
    n = normalize(text)
    assert n.text == "".join(ref)
    assert [n.to_original(k, k + 1) for k in range(len(ref))] == [(i, i + 1) for i in origin]
    if ref:
        assert n.to_original(0, len(ref)) == (origin[0], origin[-1] + 1)


# ------------------------------------------------------------------ boundaries and traps (Russian)
@pytest.mark.parametrize(
    "text",
    [
        "Обеспечивает исполнение поручений руководства",  # ИС inside исполнение
        "использует методические рекомендации; исследования",  # ... использует, исследования
        "подводит итоги работы отдела",  # ИТ inside итоги
        "развитие АПК области",  # ПК inside АПК
        "реализация государственных программ",  # программ is not программирование
        "анализ исполнения бюджета",  # анализ without данных
        "соблюдение требований ПК РК",  # excluded context: Предпринимательский кодекс
        "занятия в компьютерном классе",  # excluded context: a room
        "организует закуп компьютерной техники",  # excluded context: procurement
        "Документы направляются на электронную почту отдела кадров",  # excluded context: how to apply
        "Закона «Об электронном документе и электронной цифровой подписи»",  # excluded: a law's title
        "Excellent wordsmith; passwords; sqlite; italic",  # keywords inside longer Latin words
    ],
)
def test_no_match_russian_traps(matcher, text):
    assert not matcher.code_text(text).digital, keywords(matcher, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("работа в ИС «Е-Минфин»", ["ис"]),
        ("опыт работы ИТ-специалистом", ["ит"]),
        ("уверенный пользователь ПК", ["пк"]),
        ("Владение ПК.", ["владени* пк"]),
        ("владение\n  ПК", ["владени* пк"]),  # line break inside a phrase
        ("навыки работы с информационными   системами", ["информационн* систем*"]),
        ("навыки работы с информационными\nсистемами", ["информационн* систем*"]),
        ("знание MS\u00a0Office", ["ms office"]),  # no-break space
        ("знание Exсel", ["excel"]),  # Cyrillic с
        ("работа в ЕСЭДO", ["есэдо"]),  # Latin O
        ("ЕСЭДО и СЭД", ["есэдо", "сэд"]),  # СЭД inside ЕСЭДО is ЕСЭДО, not СЭД
        ("EXCEL, WORD", ["excel", "word"]),
        ("Ex\u00adcel", ["excel"]),  # soft hyphen
        ("знание 1С:Бухгалтерия и 1C", ["1с", "1с"]),  # Cyrillic and Latin С
        ("порталы egov.kz, e-gov и eGov", ["e-gov", "e-gov", "e-gov"]),  # hyphen optional
        ("e gov", ["e-gov"]),
        ("e-Otinish", ["e-otinish"]),
        ("компьютерная грамотность", ["компьютерн* грамотн*"]),  # longest entry wins over компьютер*
        ("владение компьютером", ["компьютер*"]),  # suffix wildcard
        ("цифровыми навыками; цифровых компетенций", ["цифров* навык*", "цифров* компетенц*"]),
        ("знание C++, C# и Java", ["c++", "c#", "java"]),
        ("знание JavaScript", ["javascript"]),
        ("навыки работы с электронной почтой", ["электронн* почт*"]),
        ("по электронной почте", []),  # ... but not in the excluded context
        ("закуп компьютерной техники; владение компьютером", ["компьютер*"]),  # exclusion is local
        ("ПК РК и ПК", ["пк"]),
    ],
)
def test_russian_matches(matcher, text, expected):
    assert keywords(matcher, text) == expected


# ------------------------------------------------------------------ Kazakh
@pytest.mark.parametrize(
    "text",
    [
        "Іс қағаздарын жүргізуді қамтамасыз етеді",  # Kazakh іс is not ИС
        "Сыбайлас жемқорлыққа қарсы іс-қимыл туралы",
        "мемлекеттік бағдарламаларды іске асыруға қатысады",  # бағдарламалар is not бағдарламалау
        "АӨК дамыту бағдарламаларының орындалуын қадағалайды",
        "компьютерлік техниканы сатып алуды ұйымдастырады",  # excluded context
        "сабақтарды компьютерлік сыныпта өткізеді",  # excluded context
        "Құжаттар электрондық поштаға жіберіледі.",  # excluded context
        "«Электрондық құжат және электрондық цифрлық қолтаңба туралы» Заңды",  # law title
        "«Мемлекеттік сатып алу туралы» Заңды",  # not the procurement portal
        "азаматтардың өтініштерін қарайды",  # өтініш alone is not e-Өтініш
    ],
)
def test_no_match_kazakh_traps(matcher, text):
    assert not matcher.code_text(text).digital, keywords(matcher, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("цифрлық сауаттылық", ["цифрлық сауаттылы*"]),
        ("цифрлық сауаттылығы", ["цифрлық сауаттылы*"]),  # қ -> ғ before a vowel: the stem stops before it
        ("компьютерлік сауаттылықтың", ["компьютерлік сауаттылы*"]),
        ("ЭҚАБЖ-да жұмыс", ["эқабж"]),  # suffix after a hyphen
        ("ЕСЭДО жүйесінде", ["есэдо"]),
        ("ЭЦҚ-мен жұмыс істеу", ["эцқ"]),
        ("e-Өтініш жүйесі", ["e-өтініш"]),
        ("е-өтініш", ["e-өтініш"]),  # Cyrillic е = Latin e
        ("ақпараттық жүйелерде", ["ақпараттық жүйе*"]),
        ("ақпараттық-коммуникациялық технологияларды", ["ақпараттық-коммуникациялық технология*"]),
        ("ақпараттық коммуникациялық технологиялар", ["ақпараттық-коммуникациялық технология*"]),
        ("деректердi талдау", ["деректерді талда*"]),  # Latin i for і
        ("ДЕРЕКТЕРДІ ТАЛДАУ", ["деректерді талда*"]),
        ("деректерді\nталдауды", ["деректерді талда*"]),
        ("бағдарламалау тілдерін білу", ["бағдарламалау*"]),
        ("кеңсе бағдарламаларымен", ["кеңсе бағдарлама*"]),
        ("электрондық поштамен жұмыс", ["электрондық пошта*"]),
        ("электрондық үкімет порталы", ["электрондық үкімет*"]),
    ],
)
def test_kazakh_matches(matcher, text, expected):
    assert keywords(matcher, text) == expected


# ------------------------------------------------------------------ spans, tiers, corpus
def test_spans_index_the_original_text(matcher):
    text = "Требования:\n  навыки  работы в ЕСЭ\u00adДO,  владение\n\n ПК и\u200b Exсel; знание ПК РК."
    c = matcher.code_text(text)
    assert [m.text for m in c.matches] == ["ЕСЭ\u00adДO", "владение\n\n ПК", "Exсel"]
    for m in c.matches + c.excluded:
        assert text[m.start : m.end] == m.text
    assert [m.text for m in c.excluded] == ["ПК РК"]
    assert c.tiers == ("basic_literacy_office", "egov_state_systems")


@given(
    st.lists(
        st.sampled_from(
            [
                "ПК",
                " ",
                "\n\n",
                "ЕСЭДO",
                "исполнение",
                "Ex\u00adcel",
                "ПК РК",
                "  ",
                "деректердi талдау",
                "\u200b",
                ",",
                "АПК",
                "1C",
                "e-gov",
            ]
        ),
        max_size=25,
    )
)
@settings(max_examples=300, deadline=None)
def test_spans_and_prefilter_agree_with_plain_regex(parts):
    m = _shared_matcher()
    text = "".join(parts)
    c = m.code_text(text)
    for x in c.matches + c.excluded:
        assert text[x.start : x.end] == x.text
        assert fold(x.text).strip() == fold(x.text)  # a match never starts or ends with a space
    norm, _ = fold_drop(encode_raw(SEP + text))
    assert m.spans(norm) == [x.span(1) for x in m.pattern.finditer(norm)]


def test_texts_are_coded_independently(matcher):
    # a phrase cannot run from one posting into the next, even in one batch
    codes = matcher.code(["владение", "ПК РК", "ПК", None, float("nan"), ""])
    assert [c.digital for c in codes] == [False, False, True, False, False, False]
    assert codes[2].matches[0].start == 0


def test_small_batches_give_the_same_result():
    texts = ["знание Excel", "исполнение", "ЕСЭДО и ПК РК", "деректерді талдау"] * 5
    a = Matcher(load_dictionary()).code(texts)
    b = Matcher(load_dictionary(), chunk_chars=10).code(texts)
    assert a == b


def test_yo_is_e():
    m = small({"t": ["учет* данн*", "ещё"]})
    assert [x.keyword for x in m.code_text("ведёт учёт данных; УЧЁТ ДАННЫХ; еще").matches] == [
        "учет* данн*",
        "учет* данн*",
        "ещё",
    ]


def test_hyphen_and_wildcard_semantics():
    m = small({"t": ["e-gov", "информ* систем*"]})
    assert [
        len(m.code_text(t).matches)
        for t in (
            "egov",
            "e-gov",
            "e gov",
            "e--gov",
            "информационные системы",
            "информ систем",
            "информационныесистемы",
        )
    ] == [1, 1, 1, 0, 1, 1, 0]


def test_exclusion_beats_term_at_the_same_start():
    m = small({"t": ["пк"]}, exclusions=["пк рк"])
    assert m.code_text("ПК РК").excluded and not m.code_text("ПК РК").digital
    assert m.code_text("ПК, РК").digital


def test_code_postings_frames(matcher):
    df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Знание SQL и Python", "ПК РК", "Іс қағаздары"]})
    coded, hits = text.code_postings(df, matcher)
    assert coded["digital"].tolist() == [1, 0, 0]
    assert coded.loc[0, "tiers"] == "data_analytics|it_programming_security"
    assert coded[["tier_data_analytics", "tier_it_programming_security"]].iloc[0].tolist() == [1, 1]
    assert hits["tier"].tolist() == ["data_analytics", "it_programming_security", "excluded"]


def test_kwic():
    text = "Требования: уверенный\nпользователь ПК, знание Excel и Word."
    s = text.index("Excel")
    assert kwic(text, s, s + 5, window=2) == ("ПК, знание", "Excel", "и Word.")
    assert kwic(text, 0, 10, window=3)[0] == ""


def test_kwic_table_samples_every_tier(matcher):
    df = pd.DataFrame({"id": list("abcd"), "text": ["Знание SQL", "ЕСЭДО", "Excel; ПК РК", "Python"]})
    _, hits = text.code_postings(df, matcher)
    t = text.kwic_table(df.set_index("id")["text"], hits, n=10, seed=1)
    assert set(t["tier"]) == set(hits["tier"])
    assert text.kwic_table(df.set_index("id")["text"], hits, n=10, seed=1).equals(t)


# ------------------------------------------------------------------ dictionary
def test_shipped_dictionary_is_valid_and_versioned():
    d = load_dictionary()
    assert d.version and d.tiers == (
        "basic_literacy_office",
        "egov_state_systems",
        "data_analytics",
        "it_programming_security",
    )
    assert {e.lang for e in d.terms} == {"ru", "kk", "en"}
    assert {e.origin for e in d.terms} == {"table1", "extension"}
    assert all(e.why for e in d.exclusions)
    # every excluded context holds a term (else it would exclude nothing): code it with the terms alone
    terms_only = Matcher(
        dictionary_from_mapping(
            {"tiers": {t: {"table1": {"x": [e.term for e in d.terms if e.tier == t]}} for t in d.tiers}}, "terms"
        ),
        coding_sections=None,
    )  # the whole text: an excluded context must hold a term wherever it stands
    for e in d.exclusions:
        assert terms_only.code_text(e.term.replace("*", "")).digital, e.term


@pytest.mark.parametrize(
    "mapping, message",
    [
        ({}, "needs a 'tiers' mapping"),
        ({"tiers": {"Bad Tier": {"table1": {"ru": ["x"]}}}}, "snake_case"),
        ({"tiers": {"t": {"table1": {"ru": ["ex*cel"]}}}}, "only at the end of a word"),
        ({"tiers": {"t": {"table1": {"ru": ["北京"]}}}}, "is not supported"),
        ({"tiers": {"t": {"table1": {"ru": ["-gov"]}}}}, "must start with a letter or digit"),
        ({"tiers": {"t": {"table1": {"ru": ["Excel", "exсel"]}}}}, "duplicates"),
        ({"tiers": {"t": {"table1": {"ru": [""]}}}}, "non-empty string"),
        ({"tiers": {"t": {}}}, "has no terms"),
        ({"tiers": {"t": {"table1": {"ru": ["x"]}}}, "exclusions": ["oops"]}, "needs a 'context'"),
    ],
)
def test_dictionary_errors_name_the_entry(mapping, message):
    with pytest.raises(DictionaryError, match=re.escape(message)):
        dictionary_from_mapping(mapping, "my.yaml")


def test_load_dictionary_errors(tmp_path):
    with pytest.raises(DictionaryError, match="not found"):
        load_dictionary(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("tiers: [unclosed", encoding="utf-8")
    with pytest.raises(DictionaryError, match="not a readable YAML"):
        load_dictionary(bad)


def test_literal_terms_for_grep():
    lits = load_dictionary().literal_terms()
    assert "есэдо" in lits and "цифров грамотн" in lits and all("*" not in t for t in lits)


# ------------------------------------------------------------------ CLI
def _write(tmp_path, df, name="p.csv"):
    p = tmp_path / name
    p.write_text(df.to_csv(index=False), encoding="utf-8")
    return p


def test_cli_json(tmp_path, capsys):
    p = _write(tmp_path, pd.DataFrame({"id": ["a", "b"], "text": ["Владение ПК\nи ЕСЭДO", "исполнение, АПК"]}))
    assert code_postings_cmd.cli([str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["id"] for o in out] == ["a", "b"]
    assert set(out[0]) == {"id", "digital", "tiers", "matches"}
    assert out[0]["digital"] is True and out[1]["digital"] is False
    assert out[0]["tiers"] == ["basic_literacy_office", "egov_state_systems"]
    m = out[0]["matches"][0]
    assert (m["keyword"], m["text"], m["start"], m["end"]) == ("владени* пк", "Владение ПК", 0, 11)


def test_cli_out_csv_and_custom_dictionary(tmp_path, capsys):
    p = _write(tmp_path, pd.DataFrame({"id": [1, 2], "text": ["знание SQL", "Excel"], "extra": ["x", "y"]}))
    dic = tmp_path / "d.yaml"
    dic.write_text("tiers:\n  data:\n    table1:\n      en: [sql]\n", encoding="utf-8")
    out = tmp_path / "coded.csv"
    assert code_postings_cmd.cli([str(p), "--dictionary", str(dic), "--out", str(out)]) == 0
    assert "1 specify a digital skill" in capsys.readouterr().out
    res = pd.read_csv(out)
    assert res["digital"].tolist() == [1, 0] and res["tiers"].fillna("").tolist() == ["data", ""]


def test_cli_default_prints_csv(tmp_path, capsys):
    p = _write(tmp_path, pd.DataFrame({"id": ["a"], "text": ["SQL"]}))
    assert code_postings_cmd.cli([str(p)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "id,digital,tiers,n_matches,keywords,not_counted"


@pytest.mark.parametrize(
    "columns, missing", [(["id", "body"], "'text'"), (["ref", "text"], "'id'"), (["a", "b"], "'id', 'text'")]
)
def test_cli_missing_columns(tmp_path, capsys, columns, missing):
    p = _write(tmp_path, pd.DataFrame({c: ["x"] for c in columns}))
    assert code_postings_cmd.cli([str(p), "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("civcomp code-postings: ") and missing in err and str(p) in err
    assert "Traceback" not in err


def test_cli_bad_inputs(tmp_path, capsys):
    assert code_postings_cmd.cli([str(tmp_path / "none.csv")]) == 1
    assert "file not found" in capsys.readouterr().err
    p = _write(tmp_path, pd.DataFrame({"id": ["a"], "text": ["x"]}))
    bad = tmp_path / "d.yaml"
    bad.write_text("tiers: {t: {table1: {ru: ['a*b']}}}", encoding="utf-8")
    assert code_postings_cmd.cli([str(p), "--dictionary", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "only at the end of a word" in err and "Traceback" not in err


def test_cli_reads_cp1251_semicolon_csv(tmp_path, capsys):
    p = tmp_path / "p.csv"
    p.write_bytes("id;text\nx1;Знание Excel и 1С\n".encode("cp1251"))
    assert code_postings_cmd.cli([str(p), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["tiers"] == ["basic_literacy_office"]


def test_cli_via_civcomp_entry_point(tmp_path, capsys):
    from civcomp.cli import main

    p = _write(tmp_path, pd.DataFrame({"id": ["a"], "text": ["SQL"]}))
    assert main(["code-postings", str(p), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["digital"] is True


def test_cli_other_id_and_text_columns(tmp_path, capsys):
    p = _write(tmp_path, pd.DataFrame({"vacancy": ["v1", "v2"], "body": ["Владение ПК", "исполнение"]}))
    assert code_postings_cmd.cli([str(p), "--json"]) == 1
    assert "--id-col / --text-col" in capsys.readouterr().err
    assert code_postings_cmd.cli([str(p), "--json", "--id-col", "vacancy", "--text-col", "body"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["id"] for o in out] == ["v1", "v2"] and out[0]["digital"] is True


@pytest.mark.parametrize(
    ("posting", "digital"),
    [
        # the guide's decided cases (LABELLING.md, 2026-12-06): a skill or duty counts ...
        ("Требования к кандидату: умение пользоваться современными мессенджерами.", True),
        ("Обязанности: Работа в архиве музея: оцифровка документов и фотографий.", True),
        ("Обязанности: Работа с товарной и бухгалтерской базами (загрузка операций).", True),
        ("Требования к кандидату: Знание ТСД.", True),
        ("Требования к кандидату: Знание складских программ.", True),
        ("Требования: умение пользоваться поисковыми системами.", True),
        # ... a contact channel, an employer's words or a plastic do not
        ("Контактная информация: пишите в мессенджеры, WhatsApp.", False),
        ("Мы предлагаем: бесплатная оцифровка ваших фотографий в подарок.", False),
        ("Обязанности: смешивание ПП, ПК, ПС, АБС и красителя.", False),
        ("Обязанности: литьё изделий из ПК/АБС.", False),
        # «ПК» first in a list stays a computer («ПП» = программные продукты here)
        ("Требования: уверенный пользователь ПК, ПП 1С.", True),
        # the additions of 2026-12-06b: analysing or processing data counts (the instrument's data keywords and the guide agree)
        ("Обязанности: сбор, обработка и анализ данных.", True),
        ("Обязанности: обработка отчётов и ввод данных.", True),
        ("Согласие на обработку данных прилагается к резюме.", False),
        ("Обязанности: анализ данной ситуации, подготовка справок.", False),  # «данный» = this
        ("Программист 1С", True),  # a title naming a digital role
        # advertising platforms, video editors, procurement sites
        ("Требования: умение вести рекламные кампании в Google Ads, Meta Ads.", True),
        ("Умение работать с программами для монтажа (Adobe Premiere Pro, Final Cut).", True),
        ("Осуществляет мониторинг сайтов закупок.", True),
        ("Требования: опыт монтажа вентиляции.", False),
        # the system analyst's professional standard
        ("Осуществляет установку типа требования к системе и подсистеме.", True),
        ("Обязанности: изучение и описание деятельности, подлежащей автоматизации.", True),
        ("Изучает деятельность, подлежащую автоматизации.", True),
        # a field of education alone is not a skill, under a heading or none
        ("Уровень образования: высшее по специальности: информационные системы, программное обеспечение.", False),
        ("Требования: высшее образование в области информационных технологий.", False),
        ("Требования: высшее образование по специальности, уверенный пользователь ПК.", True),
        # a duty opening with a verb (no other duty cue) lets a standalone IT count
        ("Управлять полным жизненным циклом IT-проектов (сроки, бюджет).", True),
        ("Маркетолог по продвижению IT-продукта", False),
        # «предлагаемой» (proposed) is no benefit cue; «предлагаем» is
        ("Моделирование систем: схемы структуры предлагаемой системы, потребности в информационных системах", True),
        ("Мы предлагаем: IT-платформа обучения и информационные системы для сотрудников", False),
    ],
)
def test_guide_decisions_count_as_skills_not_as_contacts_benefits_or_plastics(matcher, posting, digital):
    assert matcher.code_text(posting).digital is digital


def test_every_example_a_dictionary_source_quotes_is_in_the_posting_it_names():
    """A term attested by a real posting quotes it: the «…» after "e.g." stands in the text of the id it names."""
    from civcomp.analyses.coder_validity import load_corpora

    texts = load_corpora().set_index("id")["text"].map(lambda t: " ".join(t.split()))
    table = load_dictionary().table()
    checked = 0
    for term, source in table[["term", "source"]].itertuples(index=False):
        ids = re.findall(r"\b(?:gen|fresh\d?|real)_\d{4}\b", source or "")
        quote = re.search(r"e\.g\. «(.+?)»(?:[;,)]|$| \()", source or "")
        if not ids or not quote:
            continue
        example = " ".join(quote.group(1).split())
        assert example in texts[ids[0]], f"{term}: «{example}» is not in {ids[0]}"
        checked += 1
    assert checked >= 20


def test_match_texts_then_finish_is_code(matcher):
    """The two halves used by several processes give what one ``code`` call gives, boilerplate included."""
    from civcomp import paths
    from civcomp.text.boilerplate import BoilerplateModel

    texts = pd.read_csv(paths.POSTINGS_REAL, dtype=str, keep_default_na=False)["text"].tolist()
    blurb = "Мы входим в большую группу компаний и все сотрудники работают в ЕСЭДО каждый день. "
    texts = texts + [blurb + t for t in texts] + [None, ""]
    model = matcher.new_boilerplate_model()
    halves = [matcher.match_texts(texts[:100]), matcher.match_texts(texts[100:])]
    for raw in halves:
        model.update(matcher.match_keys(raw))
    assert isinstance(model, BoilerplateModel) and model.flagged()
    got = matcher.finish(halves[0], model.flagged()) + matcher.finish(halves[1], model.flagged())
    assert got == matcher.code(texts)
    assert any(m.boilerplate for c in got for m in c.matches)
    assert matcher.finish(halves[0]) == matcher.code(texts[:100], boilerplate=None)
