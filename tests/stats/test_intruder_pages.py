"""The numbers a report page prints (civcomp.stats.intruder_pages): each rule that leaves a number unread is
narrow — the same number in a data context is still read."""

from __future__ import annotations

import pytest

from civcomp.stats.intruder_pages import text_readings


def read(text: str) -> list[float]:
    return [r.value for r in text_readings("page", "", text)]


@pytest.mark.parametrize(
    "not_data, data",
    [
        # a file's hash in the data banner, a commit, a figure's short digest
        ("(SHA-256 349b501ca08f…), 60 rows", "(1487 postings), 60 rows"),
        ('"1487d0bbc00d5c993568423a684c1d6ad1c9dcd04a408dd678a6a8448de1"', '"1487 d0"'),
        ("185ad8b35b78", "185 ad"),
        # a DOI of a cited source
        ("Source: OECD (2022), https://doi.org/10.1787/0ca9a3b7-en", "10.1787 / 3"),
        # cited years: two authors, three, an organisation, a possessive over a line break
        ("criterion of Hu & Bentler (1999): CFI", "regional (1999): CFI"),
        ("(Thomas, Hughes & Zumbo 1998); k", "(Thomas, Hughes 1998); k"),
        ("Source: OECD (2022), Innovative capacity", "Source: Astana (2022), Innovative capacity"),
        ("judged by Hu & Bentler's\n(1999) criteria", "judged by 12 & Bentler's\n(1999) criteria"),
        # the report's display cap of a long table
        ("(first 300 of 1080 rows)", "(300 of 1080 rows)"),
    ],
)
def test_A2_a_non_data_number_is_not_read_and_the_same_number_as_data_is(not_data, data):
    skipped = {1487.0, 185.0, 256.0, 10.1787, 1999.0, 1998.0, 2022.0, 300.0}
    assert not skipped & set(read(not_data)), read(not_data)
    assert skipped & set(read(data)), read(data)


def test_A2_a_hex_digest_needs_letters_and_digits_standing_alone():
    assert read("abcdef1 1234567 12345abz") == [1234567.0, 12345.0]  # no letter, or inside a word: read
