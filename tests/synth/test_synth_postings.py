"""Synthetic twin of the job postings (paper 000): the codebook contract, exact counts, determinism, the planted
traps and hard cases, the double-coded gold subsample, and the matcher's recovery of the ground truth."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from civcomp import paths, text
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.io.validate import validate_file
from civcomp.stats import agreement as reliability
from civcomp.synth import postings as gen
from civcomp.synth import postings_genre as genre
from civcomp.synth import to_csv_bytes
from civcomp.synth.rounding import exact_counts
from civcomp.text.normalize import SEP, _normalize_bytes, encode

SEED = int(params.load_global()["seed"])
CFG_PATH = paths.PARAMS / "synthetic" / "postings.yaml"


def _generate(seed: int = SEED, **overrides) -> dict[str, pd.DataFrame]:
    cfg = {**ledger.resolve(params.read_yaml(CFG_PATH)), **overrides}
    return gen.generate(cfg, np.random.default_rng([seed, 1]))  # stream 1 = civcomp.synth's number for postings


@pytest.fixture(scope="module")
def cfg() -> dict:
    return ledger.resolve(params.read_yaml(CFG_PATH))


@pytest.fixture(scope="module")
def out() -> dict[str, pd.DataFrame]:
    return _generate()


def _restricted(out) -> pd.DataFrame:
    """The postings with their text cut down to the truth's duty and requirement sections."""
    p, t = out["postings"], out["postings_truth"]
    return p.assign(text=[genre.section_text(x, s) for x, s in zip(p["text"], t["sections"])])


@pytest.fixture(scope="module")
def coded(out):
    """The current dictionary coder on the requirement sections only (what a section-aware coder should see)."""
    return text.code_postings(_restricted(out), text.Matcher(text.load_dictionary(), coding_sections=None))


@pytest.fixture(scope="module")
def coded_all(out):
    """The same coder on the whole announcement, every section counted (``coding_sections=None``)."""
    return text.code_postings(out["postings"], text.Matcher(text.load_dictionary(), coding_sections=None))


def test_section_aware_coder_recovers_the_calibration(out):
    """The default coder (duties + requirements, sections found from headings and cues) on the whole
    announcements finds the planted 273 of 408 and agrees with the generator's truth (F1 >= 0.97)."""
    from civcomp.stats import agreement

    coded_sec, _ = text.code_postings(out["postings"], text.Matcher(text.load_dictionary()))
    truth = out["postings_truth"].set_index("id")["digital"].reindex(coded_sec["id"]).to_numpy()
    assert int((coded_sec["digital"] == 0).sum()) == 273
    assert agreement.precision_recall_f1(truth, coded_sec["digital"].to_numpy())["f1"] >= 0.97


# ------------------------------------------------------------------ contract
@pytest.mark.parametrize("name", ["postings", "postings_truth", "postings_gold"])
def test_files_validate_against_their_codebooks(out, tmp_path, name):
    for n, df in out.items():
        (tmp_path / f"{n}.csv").write_bytes(to_csv_bytes(df))
    rep = validate_file(name, tmp_path / f"{name}.csv", refs={"postings": tmp_path / "postings.csv"})
    assert rep.ok, rep.format()
    book = params.read_yaml(paths.CODEBOOKS / f"{name}.yaml")
    assert list(out[name].columns) == [f["name"] for f in book["fields"]]


def test_text_survives_the_csv_round_trip(out, tmp_path):
    p = tmp_path / "postings.csv"
    p.write_bytes(to_csv_bytes(out["postings"]))
    back = validate_file("postings", p).frame
    assert back["text"].tolist() == out["postings"]["text"].tolist()


def test_same_seed_same_bytes_other_seed_other_corpus():
    a, b, c = _generate(), _generate(), _generate(seed=SEED + 1)
    for name in a:
        assert to_csv_bytes(a[name]) == to_csv_bytes(b[name])
    assert to_csv_bytes(a["postings"]) != to_csv_bytes(c["postings"])


# ------------------------------------------------------------------ calibration
def test_exact_counts(out, cfg):
    p, t = out["postings"], out["postings_truth"]
    assert len(p) == cfg["n_postings"] == 408
    assert (t["digital"] == 0).sum() == cfg["n_no_digital"] == 273
    for level, lv in cfg["levels"].items():
        ids = p.loc[p["level"] == level, "id"]
        assert len(ids) == lv["n"]
        assert t.set_index("id").loc[ids, "digital"].sum() == lv["n_digital"]


def test_plausible_distributions(out):
    p, t = out["postings"], out["postings_truth"]
    share = t["digital"].groupby(p["level"]).mean()
    assert share["central"] > share["regional"] > share["district"]
    assert p["region"].nunique() == 20
    assert set(p.loc[p["level"] == "central", "region"]) <= {"astana_city", "almaty_city"}
    assert 0.20 <= (p["language"] == "kk").mean() <= 0.30
    assert p["functional_area"].nunique() == 8 and p["position"].nunique() == 4
    assert p["category"].str.fullmatch(r"[A-Z](-[A-Z])?-\d").all()
    assert t["digital"].groupby(p["functional_area"]).mean().idxmax() == "digital_it"
    assert p["id"].is_unique and p["published"].is_monotonic_increasing


def test_texts_are_varied_and_in_their_language(out):
    p = out["postings"]
    assert p["text"].is_unique
    folded = p["text"].map(lambda t: text.normalize(t).text)  # background noise: look-alikes, spaces
    kk, ru = folded[p["language"] == "kk"], folded[p["language"] == "ru"]
    has = lambda s, x: s.str.contains(text.normalize(x).text, regex=False).all()  # noqa: E731
    assert kk.str.contains("[әғқңөұүһі]", regex=True).all()
    assert has(ru, "Конституции Республики Казахстан") and has(ru, "«О противодействии коррупции»")
    assert has(kk, "«Сыбайлас жемқорлыққа қарсы іс-қимыл туралы»")
    assert has(ru, "корпуса «Б»") and has(kk, "«Б» корпусының")


def _sections(out) -> list[list[tuple[str, int, int]]]:
    return [genre.parse_sections(s) for s in out["postings_truth"]["sections"]]


def test_sections_tile_the_text(out):
    for txt, spans in zip(out["postings"]["text"], _sections(out)):
        names = [n for n, _, _ in spans]
        assert names[0] == "header" and len(set(names)) == len(names)
        assert {"duties", "requirements", "position"} <= set(names)
        assert spans[0][1] == 0 and spans[-1][2] == len(txt)
        for (_, a, b), (_, c, _) in zip(spans, spans[1:]):
            assert a < b <= c and txt[b:c].strip() == "" and 1 <= c - b <= 3  # only blank lines between
        for _, a, b in spans:
            assert txt[a:b] == txt[a:b].strip() != ""


def test_the_genre_varies(out):
    p, spans = out["postings"], _sections(out)
    orders = {tuple(n for n, _, _ in s) for s in spans}
    assert len(orders) >= 15  # layouts x optional sections
    present = pd.Series([n for s in spans for n, _, _ in s]).value_counts() / len(p)
    assert set(present.index) == set(genre.SECTIONS)
    assert (
        present["submission"] > 0.85 and 0.3 < present["notes"] < 0.7 and 0.2 < present["general_requirements"] < 0.45
    )
    g = genre.load_genre()
    for lang in ("ru", "kk"):  # every duties heading variant occurs; some postings have the heading inline
        txt = p.loc[p["language"] == lang, "text"]
        for h in g[lang]["headings"]["duties"]:
            assert txt.str.contains(h.rstrip(":"), regex=False).any(), h
    assert p["text"].str.contains(r"(?:обязанности|міндеттері): \w", regex=True).any()
    for pattern in (r"^• ", r"^- ", r"^\d+\) ", r"^\d+\. [А-ЯӘҒҚҢӨҰҮҺІ]"):
        assert p["text"].str.contains(pattern, regex=True, flags=re.M).any(), pattern
    lines = p["text"].map(lambda t: max(map(len, t.split("\n"))))
    assert 0.1 < (lines <= 82).mean() < 0.35  # hard-wrapped texts
    assert p["text"].str.len().quantile(0.9) > 1.4 * p["text"].str.len().quantile(0.1)


@pytest.mark.parametrize(
    "pattern, section",
    [
        ("Е-gov|E-gov|egov\\.kz", "submission"),
        ("портала электронного правительства", "submission"),
        ("адрес электронной почты", "submission"),
        ("электрондық пошта мекенжайына", "submission"),
        ("электрондық үкімет порталы", "submission"),
        ("информационную систему «E-qyzmet»", "submission"),
        ("e-mail", "contacts"),
        ("электронная почта:", "contacts"),
        ("ИТ-парка|IT-парк", "contacts"),
        ("ит\\.д\\.", "documents"),
        ("и т\\.д", "documents"),
        ("оснащённое компьютером", "notes"),
        ("дербес компьютермен", "notes"),
        ("цифровым навыкам", "notes"),
        ("Национальные информационные технологии", "notes"),
        ("О государственной службе", "legal_basis"),
        ("№ 40", "legal_basis"),
        ("тенге", "salary"),
        ("заявление по форме", "documents"),
        ("наркологиялық ұйымнан анықтама", "documents"),
    ],
)
def test_genre_trap_is_planted_in_its_section(out, pattern, section):
    hits = 0
    for txt, spans in zip(out["postings"]["text"], _sections(out)):
        for n, a, b in spans:
            if n == section and re.search(pattern, txt[a:b]):
                hits += 1
    assert hits > 0, (pattern, section)


def test_truth_tiers_are_consistent(out):
    t = out["postings_truth"]
    tiers = t["tiers"].fillna("")
    assert ((tiers != "") == (t["digital"] == 1)).all()
    assert set("|".join(tiers).split("|")) - {""} <= set(gen.TIERS)
    assert set(gen.TIERS) == set(text.load_dictionary().tiers)
    assert list(t.columns) == list(gen.TRUTH_COLUMNS)
    assert set(genre.REQUIREMENT_SECTIONS) < set(genre.SECTIONS)


# ------------------------------------------------------------------ traps and noise are really planted
def _naive(texts: pd.Series) -> pd.Series:
    """What a substring matcher without folding or boundaries would say."""
    terms = [t.lower() for t in text.load_dictionary().literal_terms()]
    return texts.str.lower().apply(lambda s: any(x in s for x in terms))


def test_naive_matching_falls_into_the_traps(out):
    p, t = out["postings"], out["postings_truth"]
    naive = _naive(p["text"])
    # nearly every posting without a digital skill would be flagged by plain substring search
    assert naive[t["digital"] == 0].mean() > 0.5


@pytest.mark.parametrize(
    "pattern",
    [
        r"[а-яё][a-z]|[a-z][а-яё]",  # Latin and Cyrillic letters inside one word
        "\u00a0",
        "\u00ad",  # no-break space, soft hyphen
        r"\w\n\w",
        "  ",  # line break between words of a phrase; double spaces
        "исполнени",
        "АПК",
        "ПК РК",
        "итоги",
        "Іс қағаздарын",
        "бағдарламаларды",  # substring traps
        "компьютерн(?:ом|ый) класс",
        "компьютерлік сыныпта",
        "закуп компьютерной",
        "Об электронном документе",
        "Электрондық құжат және электрондық цифрлық",
    ],
)
def test_trap_is_planted(out, pattern):
    # traps of the duties and requirements stay inside the requirement sections
    assert _restricted(out)["text"].str.contains(pattern, regex=True, flags=re.IGNORECASE).any(), pattern


@pytest.mark.parametrize("pattern", ["на электронную почту", "электрондық поштаға"])
def test_excluded_submission_lines_are_planted(out, pattern):
    assert out["postings"]["text"].str.contains(pattern, regex=True, flags=re.IGNORECASE).any(), pattern


# ------------------------------------------------------------------ the matcher recovers the truth
def test_matcher_recovers_ground_truth(out, coded):
    # the current dictionary coder, given only the truth's duty and requirement spans, recovers the truth
    c, _ = coded
    t = out["postings_truth"]
    assert (c["id"] == t["id"]).all()
    assert (c["digital"] == 0).sum() == 273
    r = reliability.precision_recall_f1(t["digital"], c["digital"])
    assert r["f1"] >= 0.97 and r["precision"] >= 0.97 and r["recall"] >= 0.97
    # the only disagreements are the planted hard cases (n_hard_negatives + n_hard_positives)
    assert (r["fp"], r["fn"]) == (3, 3)


def test_whole_text_adds_hits_only_outside_the_requirement_sections(out, coded, coded_all):
    # on the whole announcement the same coder finds the same matches in the requirement sections, and every
    # extra match lies in a section that states no requirement (submission, contacts, notes, the title …)
    _, hits = coded_all
    spans = dict(zip(out["postings_truth"]["id"], _sections(out)))

    def section(row) -> str:
        return next((n for n, a, b in spans[row["id"]] if a <= row["start"] < b), "gap")

    where = hits.apply(section, axis=1)
    assert (where != "gap").all()
    inside = hits[where.isin(genre.REQUIREMENT_SECTIONS)]
    key = ["id", "keyword", "tier"]
    assert inside[key].sort_values(key).values.tolist() == coded[1][key].sort_values(key).values.tolist()
    extra = hits[~where.isin(genre.REQUIREMENT_SECTIONS) & (hits["tier"] != "excluded")]
    assert len(extra) > 400 and set(where[extra.index]) >= {"submission", "contacts", "notes"}
    # … so the whole-text coding flags far more postings: the gap a section-aware coder must close
    assert (coded_all[0]["digital"] == 0).sum() < 200


def test_prefilter_finds_every_match_on_the_corpus(out):
    m = text.Matcher(text.load_dictionary())
    norm, _ = _normalize_bytes(encode(SEP + SEP.join(out["postings"]["text"])))
    spans = m.spans(norm)
    assert spans == [x.span(1) for x in m.pattern.finditer(norm)] and len(spans) > 400


def test_tiers_recovered(out, coded):
    c, _ = coded
    truth = out["postings_truth"]["tiers"].fillna("")
    assert (c["tiers"] == truth).mean() >= 0.97


def test_no_match_outside_planted_mentions(out, coded):
    # a match in a non-digital posting is either an excluded context or a planted hard negative
    c, hits = coded
    t = out["postings_truth"].set_index("id")
    non_dig = set(t.index[t["digital"] == 0])
    fp = set(c.loc[(c["digital"] == 1) & c["id"].isin(non_dig), "id"])
    assert len(fp) == 3
    texts = _restricted(out).set_index("id")["text"]
    hard = ("компьютерной техники и имущества", "портал электронного правительства", "электрондық үкімет порталы")
    assert all(any(h in texts[i] for h in hard) for i in fp)


def test_unbalanced_hard_cases_move_the_count(cfg):
    # the 273 is not hard-wired: more hard positives than negatives leave more postings uncoded
    out = _generate(n_hard_positives=6, n_hard_negatives=0)
    c, _ = text.code_postings(_restricted(out), text.Matcher(text.load_dictionary()))
    assert (out["postings_truth"]["digital"] == 0).sum() == 273
    assert (c["digital"] == 0).sum() == 279


# ------------------------------------------------------------------ gold subsample
def test_gold_subsample(out):
    g = out["postings_gold"]
    t = out["postings_truth"].set_index("id")
    assert 80 <= len(g) <= 100 and g["id"].is_unique and set(g["id"]) <= set(t.index)
    kappa = reliability.cohen_kappa(g["coder_a"], g["coder_b"])
    assert 0.6 < kappa < 0.98  # realistic, not perfect agreement
    assert (g["coder_a"] != g["coder_b"]).sum() >= 2
    for coder in ("coder_a", "coder_b"):
        assert (g[coder].to_numpy() == t.loc[g["id"], "digital"].to_numpy()).mean() > 0.85


# ------------------------------------------------------------------ bad parameters
@pytest.mark.parametrize(
    "override, message",
    [
        ({"n_no_digital": 270}, "without a digital skill"),
        ({"n_postings": 400}, "add up to 408"),
    ],
)
def test_inconsistent_parameters_are_refused(override, message):
    with pytest.raises(params.ParamsError, match=message):
        _generate(**override)


def test_largest_remainder_sums():
    assert sum(exact_counts({"a": 0.2, "b": 0.5, "c": 0.3}, 131).values()) == 131
