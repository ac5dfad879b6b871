"""What notebook 01 says beside its numbers: Markdown sentences written from :func:`civcomp.analyses.postings.results`.

Every number in a sentence is read from the :class:`~civcomp.analyses.published.Published` the notebook
displays, so the text cannot drift from the results file; the paper's values come from the claims ledger
(``published``, as :func:`civcomp.replication.claims.published_values` returns them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from civcomp.analyses.published import Published
from civcomp.io.display import pct

HEADLINE_KEYS = (  # what notebook 01's checked cell prints
    "n_postings",
    "n_no_digital",
    "n_digital",
    "share_no_digital",
    "share_no_digital_ci_low",
    "share_no_digital_ci_high",
    "central_vs_regional_p",
    "central_vs_regional_cramers_v",
    "gold_kappa",
    "gold_alpha",
    "gold_alpha_ci_low",
    "gold_alpha_ci_high",
    "truth_precision",
    "truth_recall",
    "truth_f1",
)


def narrate_dictionary(pub: Published) -> str:
    """The dictionary's name, version and size.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> d = N(name="digital_skills", version="1.0", terms=[1, 2], tiers=("a",), exclusions=[3])
    >>> narrate_dictionary(Published({}, parts={"coder": N(dictionary=d)}))
    'Dictionary **digital_skills 1.0**: 2 terms in 1 tiers and 1 excluded contexts.'
    """
    dic = pub.parts["coder"].dictionary
    return (
        f"Dictionary **{dic.name} {dic.version}**: {len(dic.terms)} terms in {len(dic.tiers)} tiers "
        f"and {len(dic.exclusions)} excluded contexts."
    )


def narrate_boilerplate(pub: Published) -> str:
    """How much of the corpus is boilerplate and how many matches do not count.

    Examples
    --------
    >>> bp = {"n_boilerplate_sentences": 4, "threshold": 5, "share_chars": 0.25, "share_sentences": 0.125}
    >>> narrate_boilerplate(Published({"n_matches_not_counted": 7}, parts={"boilerplate": bp}))[:60]
    'Boilerplate: 4 distinct sentences recur in ≥ 5 postings; the'
    """
    bp, v = pub.parts["boilerplate"], pub.values
    return (
        f"Boilerplate: {bp['n_boilerplate_sentences']} distinct sentences recur in ≥ {bp['threshold']} postings; "
        f"they make {pct(bp['share_chars'])} of the corpus' characters ({pct(bp['share_sentences'])} of its "
        f"sentences). {v['n_matches_not_counted']} dictionary matches stand outside the coding unit or in "
        "boilerplate and are not counted. Most frequent boilerplate sentences:"
    )


def narrate_table1(pub: Published) -> str:
    """What the reconstructed Table 1 terms alone code, against the full dictionary; excluded contexts found.

    Examples
    --------
    >>> import pandas as pd
    >>> hits = pd.DataFrame({"id": [1, 1, 2], "tier": ["excluded", "excluded", "a"]})
    >>> narrate_table1(Published({"n_digital_table1_terms_only": 3, "n_digital": 5}, parts={"matches": hits}))
    'The reconstructed Table 1 terms alone code **3** postings as specifying a digital skill; the full dictionary codes **5**. 2 excluded contexts were found in 1 postings.'
    """
    hits, v = pub.parts["matches"], pub.values
    excluded = hits[hits["tier"] == "excluded"]
    return (
        f"The reconstructed Table 1 terms alone code **{v['n_digital_table1_terms_only']}** postings as specifying "
        f"a digital skill; the full dictionary codes **{v['n_digital']}**. {len(excluded)} excluded contexts were "
        f"found in {excluded['id'].nunique()} postings."
    )


def narrate_headline(
    values: Mapping[str, Any], published: Mapping[str, Any], confidence: float, data_source: str | None = None
) -> str:
    """The headline share with its interval, and the paper's count beside it (when the ledger has it); on the
    twin, that the count is a calibration target.

    Examples
    --------
    >>> v = {"n_no_digital": 273, "n_postings": 408, "share_no_digital": 273 / 408,
    ...      "share_no_digital_ci_low": 0.62, "share_no_digital_ci_high": 0.71}
    >>> narrate_headline(v, {"n_no_digital": 273, "n_postings": 408}, 0.95)
    '**273 of 408 postings (66.9 %, 95% CI 62.0 %–71.0 %) specify no digital skill.** The paper reports 273 of 408 (66.9 %).'
    """
    paper_n, paper_of = published.get("n_no_digital"), published.get("n_postings")
    paper = "" if paper_n is None else f"The paper reports {paper_n} of {paper_of} ({pct(paper_n / paper_of)})."
    return (
        f"**{values['n_no_digital']} of {values['n_postings']} postings ({pct(values['share_no_digital'])}, "
        f"{confidence:.0%} CI {pct(values['share_no_digital_ci_low'])}–{pct(values['share_no_digital_ci_high'])}) "
        "specify no digital skill.** " + paper
    ) + (
        " *On the synthetic twin the headline count is a calibration target (`params/synthetic/postings.yaml`): the "
        "agreement checks the coder and the pipeline, not the paper.*"
        if data_source == "synthetic"
        else ""
    )


def narrate_levels(pub: Published, data_source: str | None = None) -> str:
    """Central vs regional bodies: shares, test and effect size; then with district bodies counted as regional.

    Examples
    --------
    >>> c = {"share_a": 0.5, "share_b": 0.25, "test": "chi2", "statistic": 3.0, "df": 1, "p": 0.08, "cramers_v": 0.2}
    >>> print(narrate_levels(Published({}, parts={"levels": c, "levels_district_as_regional": c})))
    Central bodies: 50.0 % of postings specify a digital skill, regional bodies 25.0 %; chi2 test, χ² = 3.00 (df 1), p = 0.0800, Cramér's V = 0.200.
    <BLANKLINE>
    With district bodies counted as regional: p = 0.0800, V = 0.200.
    """
    cmp, three = pub.parts["levels"], pub.parts["levels_district_as_regional"]
    return (
        f"Central bodies: {pct(cmp['share_a'])} of postings specify a digital skill, regional bodies "
        f"{pct(cmp['share_b'])}; {cmp['test']} test, χ² = {cmp['statistic']:.2f} (df {cmp['df']}), "
        f"p = {cmp['p']:.4f}, Cramér's V = {cmp['cramers_v']:.3f}.\n\n"
        f"With district bodies counted as regional: p = {three['p']:.4f}, V = {three['cramers_v']:.3f}."
    ) + (
        " *On the synthetic twin the digital postings per level are typed into the generator "
        "(`params/synthetic/postings.yaml`, levels): the test describes the twin, not the paper.*"
        if data_source == "synthetic"
        else ""
    )


def narrate_gold(values: Mapping[str, Any], confidence: float) -> str:
    """Inter-coder agreement on the gold subsample and the dictionary against the coders (or why there is none).

    Examples
    --------
    >>> narrate_gold({"gold_kappa": None}, 0.95)
    'No gold subsample for these data (`real_data.postings_gold` is not configured).'
    """
    if "gold_n" not in values:
        return "No gold subsample for these data (`real_data.postings_gold` is not configured)."
    g = values
    return (
        f"The coders agree on {g['gold_n_agreed']} of {g['gold_n']} postings (κ = {g['gold_intercoder_kappa']:.3f}). "
        f"Against their consensus the dictionary has precision {g['gold_precision']:.3f}, recall "
        f"{g['gold_recall']:.3f}, F1 {g['gold_f1']:.3f}, κ = {g['gold_kappa']:.3f}; Krippendorff's α of the "
        f"three codings is {g['gold_alpha']:.3f} ({confidence:.0%} bootstrap CI {g['gold_alpha_ci_low']:.3f}–"
        f"{g['gold_alpha_ci_high']:.3f}, {g['gold_n_boot']:,} replicates)."
    )


def narrate_truth(values: Mapping[str, Any]) -> str:
    """The dictionary against the twin generator's planted truth.

    Examples
    --------
    >>> narrate_truth({"truth_precision": 1.0, "truth_recall": 0.9, "truth_f1": 0.947,
    ...                "truth_n_false_positives": 0, "truth_n_false_negatives": 3})
    "Against the generator's truth: precision 1.000, recall 0.900, F1 0.947 (0 false positives, 3 false negatives)."
    """
    v = values
    return (
        f"Against the generator's truth: precision {v['truth_precision']:.3f}, recall {v['truth_recall']:.3f}, "
        f"F1 {v['truth_f1']:.3f} ({v['truth_n_false_positives']} false positives, "
        f"{v['truth_n_false_negatives']} false negatives)."
    )


def narrate_validity(values: Mapping[str, Any], confidence: float) -> str:
    """The coder on the held-out test part of the real validation corpus, with intervals.

    Examples
    --------
    >>> v = {f"real_test_{k}{e}": x for k in ("accuracy", "precision", "recall", "f1")
    ...      for e, x in (("", 0.9), ("_ci_low", 0.8), ("_ci_high", 0.95))}
    >>> narrate_validity({**v, "real_test_n": 60, "real_test_f1_all_text": 0.7}, 0.95)[:63]
    'Held-out test part (60 postings): accuracy 0.900 (95% CI 0.800–'
    """
    t = {k[len("real_test_") :]: x for k, x in values.items() if k.startswith("real_test_")}
    return (
        f"Held-out test part ({t['n']} postings): accuracy {t['accuracy']:.3f} ({confidence:.0%} CI "
        f"{t['accuracy_ci_low']:.3f}–{t['accuracy_ci_high']:.3f}), precision {t['precision']:.3f}, recall "
        f"{t['recall']:.3f}, F1 {t['f1']:.3f} (bootstrap CI {t['f1_ci_low']:.3f}–{t['f1_ci_high']:.3f}). "
        f"Coding the whole text instead gives F1 {t['f1_all_text']:.3f}."
    )


def narrate_genres(values: Mapping[str, Any], confidence: float) -> str:
    """The coder on the second corpus (state job-portal cards): the held-out part, the part read to fix errors,
    and the blind second coder.

    Examples
    --------
    >>> v = {f"coder_validity_postings_genres_{p}_{k}{e}": x for p in ("test", "seen_test")
    ...      for k in ("accuracy", "precision", "recall", "f1")
    ...      for e, x in (("", 0.9), ("_ci_low", 0.8), ("_ci_high", 0.95))}
    >>> v |= {"coder_validity_postings_genres_test_n": 58, "coder_validity_postings_genres_seen_test_n": 84}
    >>> v |= {f"coder_validity_postings_genres_second_coder_{k}": x for k, x in (("n", 60), ("agree", 60),
    ...                                                                          ("kappa", 1.0))}
    >>> narrate_genres(v, 0.95)[:78]
    'Job-portal cards, held-out part (58 cards, fresh, labelled blind): accuracy 0.'
    >>> narrate_genres({k: x for k, x in v.items() if "_test_" not in k or "seen_test" in k}, 0.95)[:40]
    'Job-portal cards: no held-out part yet ('
    """
    p = "coder_validity_postings_genres_"

    def part(name: str) -> str:
        t = {k[len(p + name) + 1 :]: x for k, x in values.items() if k.startswith(f"{p}{name}_")}
        return (
            f"accuracy {t['accuracy']:.3f} ({confidence:.0%} CI {t['accuracy_ci_low']:.3f}–"
            f"{t['accuracy_ci_high']:.3f}), precision {t['precision']:.3f}, recall {t['recall']:.3f}, "
            f"F1 {t['f1']:.3f}"
        )

    s = {k: values[f"{p}second_coder_{k}"] for k in ("n", "agree", "kappa")}
    held = (
        f"Job-portal cards, held-out part ({values[p + 'test_n']} cards, fresh, labelled blind): {part('test')}. "
        if p + "test_n" in values
        else "Job-portal cards: no held-out part yet (every part so far has been read to tune the coder). "
    )
    parts = sorted(
        {k[len(p) : -len("_second_coder_n")] for k in values if k.startswith(p) and k.endswith("_second_coder_n")}
    )
    again = "".join(
        f" A second independent coder labelled {values[f'{p}{q}_second_coder_n']} cards of the held-out part ({q}) blind: "
        f"{values[f'{p}{q}_second_coder_agree']} agree with the first blind labels, Cohen's κ = "
        f"{values[f'{p}{q}_second_coder_kappa']:.2f}."
        for q in parts
        if q
    )
    return (
        f"{held}The parts whose errors were read to tune the coder ({values[p + 'seen_test_n']} cards), "
        f"therefore no longer held out: {part('seen_test')}. An independent coder relabelled "
        f"{s['n']} cards blind: {s['agree']} of {s['n']} agree, Cohen's κ = {s['kappa']:.2f}.{again}"
    )


def narrate_withheld_genres(shown: pd.DataFrame, exported: pd.DataFrame, min_cell_size: int) -> str:
    """The genre rows of the coder-validity table left out of the exported table by the count rule, named in
    one line (empty when none is), so that the notebook shows exactly what is published and says what is not.

    Examples
    --------
    >>> every = pd.DataFrame({"corpus": "c", "genre": ["a", "b", "all"], "split": "test", "n": [44, 60, 104]})
    >>> narrate_withheld_genres(every, every.iloc[1:], 5)
    'Not exported (a genre with fewer than 5 cards in a part, or 1 to 4 of them labelled 1: the count rule of every published table): a, test part (44 cards).'
    >>> narrate_withheld_genres(every, every, 5)
    ''
    """
    keys = ["corpus", "genre", "split"]
    gone = shown.merge(exported[keys], on=keys, how="left", indicator=True).query("_merge == 'left_only'")
    if gone.empty:
        return ""
    rows = "; ".join(f"{r.genre}, {r.split.replace('_', ' ')} part ({r.n} cards)" for r in gone.itertuples())
    return (
        f"Not exported (a genre with fewer than {min_cell_size} cards in a part, or 1 to {min_cell_size - 1} of them "
        f"labelled 1: the count rule of every published table): {rows}."
    )
