"""Counts read from text: digits, number words, qualifiers, vague words."""

import pytest

from tracker.extract.numbers import digits_to_int, find_numbers, qualified, words_to_int
from tracker.extract.types import Count


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("nine", 9),
        ("Thirty-five", 35),
        ("one hundred and forty", 140),
        ("two thousand three hundred", 2300),
        ("a dozen", 12),
    ],
)
def test_number_words(words, value):
    assert words_to_int(words) == value


def test_digits_with_separators_and_scales():
    assert digits_to_int("6,060") == 6060
    assert digits_to_int("1.2 million") == 1_200_000
    assert digits_to_int("2.5") is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("exactly 909 men", Count(909, 909, 909, "exact")),
        ("more than 700 troops", Count(700, 700, None, "more_than")),
        ("over 50 people", Count(50, 50, None, "more_than")),
        ("at least 3,392 captives", Count(3392, 3392, None, "at_least")),
        ("about 1,000 prisoners", Count(900, 1000, 1100, "about")),
        ("some 220 soldiers", Count(198, 220, 243, "about")),
        ("up to 40 men", Count(1, 40, 40, "up_to")),
        ("nearly 1,600 men", Count(1440, 1600, 1600, "almost")),
        ("dozens of soldiers", Count(12, 12, None, "vague")),
        ("hundreds of soldiers", Count(100, 100, None, "vague")),
        ("several hundred soldiers", Count(200, 200, None, "vague")),
    ],
)
def test_qualifiers_and_vague_words(text, count):
    (mention,) = find_numbers(text)
    assert mention.count == count
    assert mention.count.vague == (count.qualifier == "vague")


def test_handed_over_is_not_more_than():
    (mention,) = find_numbers("Moscow handed over 215 detainees")
    assert mention.count == Count.exact(215)


def test_qualifier_span_starts_at_the_qualifier():
    text = "they freed more than 70 sailors"
    (mention,) = find_numbers(text)
    assert text[mention.start:mention.end] == "more than 70"


def test_counts_are_never_negative():
    assert qualified(0, "about").low == 0
