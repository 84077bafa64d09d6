"""Read counts of people from text: digits, number words, qualifiers and vague quantities.

Count conventions (every count is low / best / high plus the qualifier as written, after UCDP's
low/best/high estimates; ``high = None`` means the text leaves the upper end open):

=================================================  ============  =====================  =========
Written                                            qualifier     low / best             high
=================================================  ============  =====================  =========
"909", "1,000", "1 000", "nine", "a hundred",      exact         N / N                  N
"One hundred and forty", "two dozen" (24)
"more than N", "over N", "upwards of N",           more_than     N / N                  open
"in excess of N", "just over N"
"at least N", "no fewer than N"                    at_least      N / N                  open
"about N", "around N", "some N", "roughly N",      about         floor(0.9 N) / N       ceil(1.1 N)
"approximately N", "an estimated N"
"up to N", "as many as N"                          up_to         1 / N                  N
"almost N", "nearly N", "close to N",              almost        floor(0.9 N) / N       N
"just under N", "fewer than N"
=================================================  ============  =====================  =========

Vague quantities (flagged ``qualifier="vague"``) follow ACLED's conservative coding of vague
fatality reports, taking the smallest number the words can mean as both low and best and leaving
the top open: "dozens" → 12 (ACLED), "several dozen" → 24, "hundreds" → 100 (ACLED),
"several hundred" → 200, "thousands" → 1,000, "several thousand" → 2,000, "tens of thousands"
→ 10,000. Words without a scale ("several", "many", "a few") are not read as counts at all.
A count is never negative; text that cannot be read gives no count rather than a 0.

What is not a count: digits run into letters or notation ("3rd", "1e6", "10^6"), a list or a
decimal comma ("1,2,3", "1,23"), a fraction ("2.5", "1,000.5"), and any figure above
``MAX_COUNT`` (a billion; no report counts more people, and the database stores 32-bit counts).
Number words are read by English grammar: "five and six" and "nineteen ninety" are two numbers
each, never their sum; "a thousand million" is not read as one number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from tracker.extract.types import Count, Qualifier

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12, "dozen": 12,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    (r"more than|over|upwards of|in excess of|just over", "more_than"),
    (r"at least|no fewer than|no less than|a minimum of", "at_least"),
    (r"about|around|some|roughly|approximately|approx\.|an estimated|estimated", "about"),
    (r"up to|as many as", "up_to"),
    (r"almost|nearly|close to|just under|fewer than|less than", "almost"),
)
_VAGUE = (
    (r"tens of thousands", 10_000), (r"several thousand|a few thousand", 2000),
    (r"thousands", 1000), (r"several hundreds?|a few hundred", 200), (r"hundreds", 100),
    (r"several dozens?|a few dozen", 24), (r"dozens", 12),
)

_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORD_NUMBER = re.compile(
    rf"\b(?:an?\s+(?=hundred|thousand|dozen))?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*\b",
    re.IGNORECASE,
)
MAX_COUNT = 1_000_000_000
# A figure stands alone: not run into letters, notation ("10^6", "1e6") or more digits after a
# comma or point ("1,2,3", "1,000.5").
_NOT_BEFORE = r"(?<![\w.,^])"
_NOT_AFTER = r"(?![\w^]|[.,]\d)"
_DIGIT_NUMBER = re.compile(
    rf"{_NOT_BEFORE}\d{{1,3}}(?:,\d{{3}})+{_NOT_AFTER}"
    rf"|(?<!\d ){_NOT_BEFORE}\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?![\w,.]?\d|[\w^])"
    rf"|{_NOT_BEFORE}\d+(?:\.\d+)?(?:\s+(?:thousand|million)\b)?{_NOT_AFTER}",
    re.IGNORECASE,
)
# "over" after these verbs is a particle ("handed over 215"), not "more than".
_PARTICLE_OVER = re.compile(
    r"\b(?:hand|handed|handing|hands|turn|turned|turning|turns|pass|passed|passing|took|take|"
    r"taken|taking|carried|carry|won|win|sign|signed|gave|give)\s+over\s+$",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(r"\b(?:" + "|".join(p for p, _ in _VAGUE) + r")\b", re.IGNORECASE)
_QUALIFIER_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<q{i}>{p})" for i, (p, _) in enumerate(_QUALIFIERS)) + r")\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    """A number found in text: where the figure (with its qualifier) stands and its count."""

    start: int  # start of the qualifier when there is one, else of the number
    end: int
    number_start: int
    count: Count


_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)
_SMALL = {**_UNITS, **_TENS}
_GROUP_ENDS = ("unit", "teen", "tens")  # what may stand before "hundred", a scale or "dozen"


def words_to_int(words: str) -> int | None:
    """The value of number words ("one hundred and forty" → 140), or None unless the words are
    one number ("five and six", "nineteen ninety" are two)."""
    tokens = [t.casefold() for t in _TOKEN.findall(words)]
    value, used = _read_words(tokens)
    return value if used == len(tokens) else None


def _read_words(tokens: list[str]) -> tuple[int | None, int]:
    """The longest run of ``tokens`` from the start that is one number: (its value, its length);
    (None, 0) when none is. English grammar: "twenty one", not "one twenty"; "and" only after
    "hundred", "thousand" or "million"; scales fall ("million" never after "thousand")."""
    total, group, last, big = 0, 0, "", MAX_COUNT * 10
    best: tuple[int | None, int] = (None, 0)
    for i, tok in enumerate(tokens):
        if tok in ("a", "an"):
            if last:
                break
            group, last = 1, "a"  # only before "hundred", "thousand", "million" or "dozen"
        elif tok == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
        elif tok == "dozen":
            if last not in ("", "a", *_GROUP_ENDS) or group >= 100 or total:  # "two dozen"
                break
            group, last = max(group, 1) * 12, "dozen"
        elif tok == "zero":
            if last:
                break
            return (0, 1)
        elif tok in _SMALL:
            n = _SMALL[tok]
            if not (last in ("", "hundred", "and", "scale") or (last == "tens" and n < 10)):
                break
            if n >= 20 and group % 100:  # "five hundred twenty" yes, "twenty twenty" no
                break
            group, last = group + n, ("tens" if n >= 20 else "teen" if n >= 10 else "unit")
        elif tok == "hundred":
            if last not in ("", "a", *_GROUP_ENDS) or group >= 100:
                break
            group, last = max(group, 1) * 100, "hundred"
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if last not in ("", "a", "hundred", *_GROUP_ENDS) or scale >= big:
                break
            total, group, last, big = total + max(group, 1) * scale, 0, "scale", scale
        else:
            break
        if last not in ("a", "and"):
            best = (total + group, i + 1)
    value, used = best
    return (value, used) if value is None or value <= MAX_COUNT else (None, 0)


def digits_to_int(digits: str) -> int | None:
    """The value of a digit figure ("6,060", "1.2 million"), or None when not a whole count
    (a fraction, or more than ``MAX_COUNT``)."""
    digits = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", digits.strip())
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(thousand|million))?", digits,
                     re.IGNORECASE)
    if not m or len(m.group(1)) > 20:
        return None
    scale = _SCALES.get((m.group(2) or "").lower(), 1)
    value = Decimal(m.group(1).replace(",", "")) * scale  # exact: no float rounding
    if value != value.to_integral_value() or value > MAX_COUNT:
        return None
    return int(value)


def qualified(n: int, qualifier: Qualifier) -> Count:
    """Apply the documented band of ``qualifier`` to ``n`` (see the module docstring)."""
    if qualifier in ("more_than", "at_least", "vague"):
        return Count(n, n, None, qualifier)
    if qualifier == "about":
        return Count(math.floor(0.9 * n), n, math.ceil(1.1 * n), qualifier)
    if qualifier == "up_to":
        return Count(min(1, n), n, n, qualifier)
    if qualifier == "almost":
        return Count(math.floor(0.9 * n), n, n, qualifier)
    return Count.exact(n)


def _qualifier_before(text: str, start: int) -> tuple[int, Qualifier]:
    """The qualifier words right before a number, as (their start, qualifier code)."""
    # pos/endpos rather than a slice: "\\b" still sees the letter before ("handsome 50")
    m = _QUALIFIER_RE.search(text, max(0, start - 30), start)
    if not m or _PARTICLE_OVER.search(text, max(0, start - 40), start):
        return start, "exact"
    for i, (_, code) in enumerate(_QUALIFIERS):
        if m.group(f"q{i}"):
            return m.start(), code
    return start, "exact"


# "6,500 or so", "200-odd": about N, written after the number.
_ABOUT_AFTER = re.compile(r"(?:\s+or\s+so|-odd|\s+or\s+thereabouts)\b", re.IGNORECASE)


def _mention(text: str, start: int, end: int, value: int) -> NumberMention:
    qstart, qual = _qualifier_before(text, start)
    after = _ABOUT_AFTER.match(text, end)
    if after and qual == "exact":
        return NumberMention(qstart, after.end(), start, qualified(value, "about"))
    return NumberMention(qstart, end, start, qualified(value, qual))


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in ``text`` in order: digits, number words and vague quantities."""
    return list(_find_numbers(text))


@lru_cache(maxsize=4096)
def _find_numbers(text: str) -> tuple[NumberMention, ...]:
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for m in _VAGUE_RE.finditer(text):
        value = next(v for p, v in _VAGUE if re.fullmatch(p, m.group(0), re.IGNORECASE))
        found.append(NumberMention(m.start(), m.end(), m.start(), qualified(value, "vague")))
        taken.append((m.start(), m.end()))
    spans = [(m.start(), m.end(), digits_to_int(m.group(0))) for m in _DIGIT_NUMBER.finditer(text)]
    for m in _WORD_NUMBER.finditer(text):
        spans += _word_numbers(m)
    for start, end, value in spans:
        if value is None or any(s < end and start < e for s, e in taken):
            continue
        found.append(_mention(text, start, end, value))
        taken.append((start, end))
    found.sort(key=lambda n: n.number_start)
    for m in _SAME_NUMBER.finditer(text):  # "... and handed over the same number of prisoners"
        before = [n for n in found if n.end <= m.start() and n.count.qualifier != "vague"]
        if before:
            found.append(NumberMention(m.start(), m.end(), m.start(), before[-1].count))
    return tuple(sorted(found, key=lambda n: n.number_start))


# A count given as the one stated just before it in the same clause.
_SAME_NUMBER = re.compile(r"\b(?:the same|an equal|an identical) number(?: of)?\b", re.I)


def _word_numbers(m: re.Match[str]) -> Iterator[tuple[int, int, int | None]]:
    """The numbers in a run of number words, as (start, end, value): "five and six" is two."""
    tokens = list(_TOKEN.finditer(m.group(0)))
    i = 0
    while i < len(tokens):
        value, used = _read_words([t.group(0).casefold() for t in tokens[i:]])
        if used:
            yield m.start() + tokens[i].start(), m.start() + tokens[i + used - 1].end(), value
        i += max(used, 1)
