"""Properties of the number parser and the date resolver, checked on generated text (no database).

Numbers: nothing raises; every count returned is read from the text it points at (digits, with
thousands separators; number words; a documented vague word); low <= best <= high, never
negative. Dates: nothing raises; every date is on or before publication + 7 days (the module's
slack for a day-month) and has a valid precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.extract.dates import day_month, find_dates, period_start
from tracker.extract.numbers import MAX_COUNT, NumberMention, find_numbers, words_to_int
from tracker.extract.types import PRECISIONS

# ---------------------------------------------------------------------------------------------
# Generated text: free text, and mixtures of the pieces the parsers look for.

PIECES = [
    # number words
    "a", "an", "and", "one", "two", "five", "six", "nine", "ten", "twelve", "nineteen", "twenty",
    "forty", "ninety", "hundred", "thousand", "million", "dozen", "a dozen", "zero",
    "twenty-one", "Thirty-five",
    # digits and digit-like notation
    "1", "3", "10", "150", "909", "2024", "6,060", "1,000", "1 000", "12,000,00", "1,2,3",
    "10^6", "1e6", "2.5", "1.2 million", "3rd", "0", "-5", "٣٠٠", "１２",
    # qualifiers and vague words
    "more than", "over", "about", "some", "handsome", "up to", "nearly", "at least", "almost",
    "dozens", "hundreds", "several hundred", "tens of thousands", "thousands",
    # dates
    "January", "February", "29", "31", "Feb.", "May", "Sept", "Monday", "Wednesday", "last",
    "this", "year", "week", "month", "last year", "since", "in", "on", "as of", "ago", "days",
    "weeks", "months", "years", "yesterday", "today", "Christmas Eve", "New Year's Eve",
    "in the last 24 hours", "the same month", "the day before", "1900", "2999", "2030",
    # filler
    "prisoners", "handed", "Ukraine", "the", "of", ",", ".", "(", ")",
]
SEPARATORS = [" ", " ", " ", "", ", ", "-", "\n", "\u00a0"]

mixtures = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=14
).map(lambda parts: "".join(p + s for p, s in parts))
any_text = st.one_of(st.text(max_size=80), mixtures)
published_dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date.today())

# ---------------------------------------------------------------------------------------------
# An independent reading of a number span, to check the parser against.

UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# The vague-word convention documented in numbers.py (ACLED's, conservative).
VAGUE = {
    "dozens": 12, "several dozen": 24, "several dozens": 24, "a few dozen": 24,
    "hundreds": 100, "several hundred": 200, "several hundreds": 200, "a few hundred": 200,
    "thousands": 1000, "several thousand": 2000, "a few thousand": 2000,
    "tens of thousands": 10_000,
}
QUALIFIER_WORDS = {
    "more_than": {"more than", "over", "upwards of", "in excess of", "just over"},
    "at_least": {"at least", "no fewer than", "no less than", "a minimum of"},
    "about": {"about", "around", "some", "roughly", "approximately", "approx.", "an estimated",
              "estimated"},
    "up_to": {"up to", "as many as"},
    "almost": {"almost", "nearly", "close to", "just under", "fewer than", "less than"},
}


def below_hundred(words: list[str]) -> int | None:
    """"nine", "nineteen", "ninety", "ninety nine"; anything else is not one number."""
    if len(words) == 1 and words[0] in UNITS:
        return UNITS.index(words[0])
    if words and words[0] in TENS and len(words) <= 2:
        tail = UNITS.index(words[1]) if len(words) == 2 and words[1] in UNITS[1:10] else 0
        if len(words) == 2 and not tail:
            return None
        return 20 + 10 * TENS.index(words[0]) + tail
    return None


def split_at(words: list[str], scale: str, size: int, rest) -> int | None:
    """``[multiplier] scale [rest]`` (an empty multiplier is one), else ``rest`` of all."""
    if scale not in words:
        return rest(words) if words else None
    i = words.index(scale)
    left = reference_words(words[:i]) if words[:i] else 1
    right = rest(words[i + 1:]) if words[i + 1:] else 0
    return None if left is None or right is None else left * size + right


def reference_words(words: list[str]) -> int | None:
    """The value of number words, read by splitting at the scales, largest first."""
    if words and words[-1] == "dozen":
        head = reference_words(words[:-1]) if words[:-1] else 1
        return None if head is None else head * 12
    return split_at(words, "million", 1_000_000, lambda w: split_at(
        w, "thousand", 1000, lambda v: split_at(v, "hundred", 100, below_hundred)))


def words_of(span: str) -> list[str]:
    words = span.casefold().replace("-", " ").split()
    words = [w for w in words if w != "and"]
    return ["one" if i == 0 and w in ("a", "an") else w for i, w in enumerate(words)]


def reference_digits(span: str) -> int | None:
    """The value of a digit figure: "6,060", "1 000", "2.5 thousand" (any decimal digits)."""
    m = re.fullmatch(
        r"(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:\.\d+)?)"
        r"(?:\s+(thousand|million))?", span, re.IGNORECASE)
    if not m:
        return None
    plain = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in m.group(1))
    whole, _, fraction = re.sub(r"[, \u00a0\u202f]", "", plain).partition(".")
    scale = {"thousand": 1000, "million": 1_000_000}.get((m.group(2) or "").lower(), 1)
    value = int(whole) * scale + int(fraction or "0") * scale // 10 ** len(fraction or "0")
    exact = int(fraction or "0") * scale % 10 ** len(fraction or "0") == 0
    return value if exact else None


def assert_read_from_text(text: str, n: NumberMention) -> None:
    """The count of ``n`` is the number written at its span, and its qualifier the words before."""
    span = text[n.number_start:n.end]
    count = n.count
    if count.vague:
        assert VAGUE[" ".join(span.casefold().split())] == count.best, span
    elif any(c.isdecimal() for c in span):
        assert reference_digits(span) == count.best, span
    else:
        assert reference_words(words_of(span)) == count.best, span
    before = text[n.start:n.number_start]
    if count.qualifier in QUALIFIER_WORDS:
        assert " ".join(before.casefold().split()) in QUALIFIER_WORDS[count.qualifier], before
        assert n.start == 0 or not text[n.start - 1].isalnum(), "qualifier inside a word"
    else:
        assert before == "", before


def assert_sound_count(n: NumberMention) -> None:
    low, best, high = n.count.low, n.count.best, n.count.high
    assert 0 <= low <= best <= MAX_COUNT
    assert high is None or best <= high


# ---------------------------------------------------------------------------------------------
# Numbers


@settings(max_examples=600, deadline=None)
@given(any_text)
@example("Russia handed over 1,2,3 and 10^6 prisoners")  # no 1, 10 or 6
@example("between five and six prisoners")  # 5 and 6, not 11
@example("nineteen ninety")  # 19 and 90, not 109
@example("one million million")  # not 2,000,000
@example("a thousand million")  # not 1,001,000
@example("released 1,000.5 and 1,23 and 12,000,00 men")  # fractions and bad groups: nothing
@example("handsome 50 men")  # "some" inside a word is no qualifier
@example("9" * 400)  # once a float overflow
@example("12345678901234567890 men")  # once read through a float: 12345678901234567168
@example("ſix hundred")  # a long s matches "s" case-insensitively
@example("the 3rd swap, 1e6 and 10² people")
@example("THOUSAND ONE DOZEN")  # 1001 and 12, not 1012
def test_numbers_are_read_from_the_text(text: str) -> None:
    for n in find_numbers(text):
        assert 0 <= n.start <= n.number_start < n.end <= len(text)
        assert_sound_count(n)
        assert_read_from_text(text, n)


def test_wrong_figures_found_by_the_properties() -> None:
    def read(text: str) -> list[tuple[str, int]]:
        return [(text[n.start:n.end], n.count.best) for n in find_numbers(text)]

    assert read("Russia handed over 1,2,3 and 10^6 prisoners") == []
    assert read("between five and six prisoners") == [("five", 5), ("six", 6)]
    assert read("one million million") == [("one million", 1_000_000), ("million", 1_000_000)]
    assert read("12345678901234567890 men") == []
    assert read("handsome 50 men") == [("50", 50)]
    assert read("some 50 men") == [("some 50", 50)]
    assert words_to_int("five and six") is None
    assert words_to_int("one hundred and five") == 105


# ---------------------------------------------------------------------------------------------
# Dates

LATEST = dt.timedelta(days=7)


def assert_sound_date(value, published: dt.date) -> None:
    assert value.precision in PRECISIONS
    assert value.value <= published + LATEST, (value, published)
    if value.precision == "month":
        assert value.value.day == 1
    if value.precision == "year":
        assert (value.value.month, value.value.day) == (1, 1)


@settings(max_examples=600, deadline=None)
@given(any_text, published_dates)
@example("on 29 February they met", dt.date(2024, 1, 10))  # once: 2023-02-29, ValueError
@example("99999999 days ago", dt.date(2024, 1, 10))  # once: OverflowError
@example("9" * 5000 + " days ago", dt.date(2024, 1, 10))  # once: int() digit limit
@example("in 99999 years", dt.date(2024, 1, 10))  # once: year out of range
@example("by 2030 they hope to swap all", dt.date(2024, 1, 10))  # future: not a date
@example("on 2 June 2999", dt.date(2024, 1, 10))
@example("on January 3", dt.date(2024, 12, 28))  # next week: this coming January
def test_dates_are_never_after_publication(text: str, published: dt.date) -> None:
    for d in find_dates(text, published):
        assert 0 <= d.start < d.end <= len(text)
        assert d.role in ("point", "since", "as_of", "same_month")
        assert_sound_date(d.value, published)
    start = period_start(text, published)
    if start is not None:
        assert_sound_date(start, published)


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 31), st.integers(1, 12), published_dates)
@example(29, 2, dt.date(2024, 1, 10))
@example(29, 2, dt.date(1905, 6, 1))
def test_a_day_month_is_the_most_recent_one(day: int, month: int, published: dt.date) -> None:
    """Rule: the publication year's day, or the year before's when that is more than a week
    after publication (29 February: the latest leap year's on that rule)."""
    value = day_month(published, month, day, None)
    text_dates = find_dates(f"on {day} {MONTH_NAMES[month - 1]} they met", published)
    try:
        dt.date(2000, month, day)  # a leap year: every real day-month exists
    except ValueError:
        assert value is None
        assert text_dates == []
        return
    assert value is not None
    assert (value.month, value.day) == (month, day)
    assert value <= published + LATEST
    later = [dt.date(y, month, day) for y in range(value.year + 1, published.year + 1)
             if calendar.isleap(y) or (month, day) != (2, 29)]
    assert all(other > published + LATEST for other in later)  # no later one in range
    assert [d.value.value for d in text_dates] == [value]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), published_dates)
def test_days_ago_counts_back(days: int, published: dt.date) -> None:
    found = find_dates(f"{days} days ago the sides met", published)
    if published.toordinal() - days >= 1:
        assert [d.value.value for d in found] == [published - dt.timedelta(days=days)]
    else:
        assert found == []
