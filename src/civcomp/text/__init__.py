"""The text engine for coding job postings: normalisation, the multilingual dictionary, the one-pass matcher.

:mod:`civcomp.text.normalize` folds text for matching while keeping offsets,
:mod:`civcomp.text.dictionary` loads and checks the dictionary,
:mod:`civcomp.text.sentences` finds the sentence around a match (one at a time, or for a whole batch at once),
:mod:`civcomp.text.sections` finds the sections of a posting (duties, requirements, application procedure …),
:mod:`civcomp.text.boilerplate` finds sentences repeated verbatim across a corpus, and
:mod:`civcomp.text.matcher` finds every term in one pass, counts those in the coding unit, and shows them in
context (KWIC).
Paper 000's statistics on the codings are in :mod:`civcomp.analyses.postings`.
"""

from civcomp.text.boilerplate import BoilerplateModel
from civcomp.text.dictionary import (
    DEFAULT_DICTIONARY,
    Dictionary,
    DictionaryError,
    Entry,
    dictionary_from_mapping,
    load_dictionary,
)
from civcomp.text.matcher import MATCH_COLUMNS, Coding, Match, Matcher, code_postings, kwic, kwic_table
from civcomp.text.normalize import Normalized, fold, normalize
from civcomp.text.sections import DEFAULT_CODING_SECTIONS, SECTIONS, Segmenter

__all__ = [
    "DEFAULT_DICTIONARY",
    "Dictionary",
    "DictionaryError",
    "Entry",
    "dictionary_from_mapping",
    "load_dictionary",
    "BoilerplateModel",
    "MATCH_COLUMNS",
    "DEFAULT_CODING_SECTIONS",
    "SECTIONS",
    "Segmenter",
    "Coding",
    "Match",
    "Matcher",
    "code_postings",
    "kwic",
    "kwic_table",
    "Normalized",
    "fold",
    "normalize",
]
