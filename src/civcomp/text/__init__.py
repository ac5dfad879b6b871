"""The text engine for coding job postings: normalisation, the multilingual dictionary, the one-pass matcher.

:mod:`civcomp.text.normalize` folds text for matching while keeping offsets,
:mod:`civcomp.text.dictionary` loads and checks the dictionary, and
:mod:`civcomp.text.matcher` finds every term in one pass and shows it in context (KWIC).
Paper 000's statistics on the codings are in :mod:`civcomp.analyses.postings`.
"""
from civcomp.text.dictionary import (
           DEFAULT_DICTIONARY,
           Dictionary,
           DictionaryError,
           Entry,
           dictionary_from_mapping,
           load_dictionary,
)
from civcomp.text.matcher import Coding, Match, Matcher, code_postings, kwic, kwic_table
from civcomp.text.normalize import Normalized, fold, normalize

__all__ = ["DEFAULT_DICTIONARY", "Dictionary", "DictionaryError", "Entry", "dictionary_from_mapping", "load_dictionary",
           "Coding", "Match", "Matcher", "code_postings", "kwic", "kwic_table", "Normalized", "fold", "normalize"]
