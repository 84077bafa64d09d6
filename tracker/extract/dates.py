"""Find date expressions and resolve them against the publication date.

News reports date events relative to the day they are published: "on Wednesday" is the most
recent Wednesday on or before publication, "yesterday" the day before, "last year" the previous
calendar year (precision year), "in August" a month (precision month), "December 31" the most
recent December 31 (a day-month more than a week after publication belongs to the previous year).
Period expressions ("in the last 24 hours", "since May 16", "in six months") give the start of
the period a figure covers.

Every date found is on or before publication + 7 days (the same week's slack as for day-months):
a stated date later than that ("by 2030", "on 2 June 2031") is a plan or a typo, not the date of
a reported event, and is not read; nor is a count of days or years that reaches before year 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from dateutil.relativedelta import relativedelta

from tracker.extract.folding import folded
from tracker.extract.numbers import words_to_int
from tracker.extract.types import DateValue

Role = Literal["point", "since", "as_of", "same_month"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PREFIX = rf"(?:(?:(?:last|this|on|On|Last|This)\s+)?{_WEEKDAY},?\s*\(?\s*)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b|\s+(?P<lastyear>last year))?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month_day", re.compile(rf"{_PREFIX}\b{_MONTH}\s+{_DAY}\b{_YEAR}")),
    ("day_month", re.compile(rf"{_PREFIX}\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}")),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month", re.compile(
        rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Oo]f|[Ee]arly|[Ll]ate|[Mm]id-?|[Ll]ast|[Tt]his|[Bb]y)"
        rf"\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?![a-z])")),
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Oo]f|[Bb]y)\s+(?P<year>(?:19|20)\d\d)\b")),
    ("rel_year", re.compile(r"\b(?P<which>[Ll]ast|[Tt]his)\s+year\b")),
    ("rel_week", re.compile(r"\b(?:[Ee]arlier\s+)?(?P<which>[Ll]ast|[Tt]his)\s+week\b")),
    ("rel_month", re.compile(r"\b(?:[Ee]arlier\s+)?(?P<which>[Ll]ast|[Tt]his)\s+month\b")),
    ("holiday", re.compile(
        r"\b(?P<holiday>New Year['’]s Eve|(?:the )?eve of (?:the )?New Year|New Year['’]s Day|"
        r"Christmas Eve|Christmas Day|Orthodox Christmas)\b", re.IGNORECASE)),
    ("same_month", re.compile(r"\b(?:[Tt]hat|[Tt]he)\s+same\s+month\b")),
    ("weekday", re.compile(rf"\b(?P<last>[Ll]ast\s+)?(?P<weekday>{_WEEKDAY})\b")),
    ("yesterday", re.compile(r"\b(?:[Yy]esterday|(?:the day before|the previous day|a day earlier)"
                             r"(?!\s+(?:that|the|a|an|yesterday)\b))\b")),
    ("today", re.compile(r"\b(?:[Tt]oday|[Tt]onight|[Tt]his morning|[Tt]his evening)\b")),
    ("ago", re.compile(r"\b(?P<n>\d+|[a-z]+|a)\s+(?P<unit>day|days|week|weeks)\s+ago\b")),
)


_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Words one of which each pattern needs (in lower case): a pattern is tried only when its text
# has one.
_PATTERN_CUES: dict[str, tuple[str, ...]] = {
    "month_day": _MONTH_CUES, "day_month": _MONTH_CUES, "month_year": _MONTH_CUES,
    "month": _MONTH_CUES, "year": ("19", "20"), "rel_year": ("year",), "rel_week": ("week",),
    "rel_month": ("month",), "holiday": ("new year", "christmas"), "same_month": ("same",),
    "weekday": ("day",), "yesterday": ("day",), "ago": ("ago",),
    "today": ("today", "tonight", "morning", "evening"),
}

_EXPLICIT = ("month_day", "day_month", "month_year", "month", "year", "holiday")


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression: where it stands, its value and how it is used."""

    start: int
    end: int
    value: DateValue
    role: Role = "point"
    explicit: bool = True  # written with a month name or a year, not only relative words


def most_recent_weekday(published: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    """The latest date with ``weekday`` (0 = Monday) on or before publication."""
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


SLACK = dt.timedelta(days=7)  # how far after publication a date may fall


def day_month(published: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """A day and month completed with a year: the stated one (None when more than a week after
    publication), else the publication year's unless that is more than a week after publication,
    then the year before (29 February: the most recent leap year's on that rule). A day-month in
    the first week of January is not moved to the next year: year-end reviews date January
    events of the same year."""
    try:
        if year is not None:
            value = dt.date(year, month, day)
            return value if value <= published + SLACK else None
        for back in range(9):  # leap years can be eight years apart (1896 → 1904)
            try:
                value = dt.date(published.year - back, month, day)
            except ValueError:
                if month == 2 and day == 29:
                    continue
                return None
            if value <= published + SLACK:
                return value
    except (ValueError, OverflowError):
        return None
    return None


def _year(m: re.Match[str], published: dt.date) -> int | None:
    groups = m.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    if groups.get("lastyear"):
        return published.year - 1
    return None


def _month_only(published: dt.date, month: int) -> dt.date:
    """The first day of the most recent such month (the current one counts)."""
    year = published.year if month <= published.month else published.year - 1
    return dt.date(year, month, 1)


def _resolve(kind: str, m: re.Match[str], published: dt.date) -> DateValue | None:
    """Turn one pattern match into a date value (None for "same_month", resolved later)."""
    g = m.groupdict()
    month = MONTHS.get((g.get("month") or "").lower().rstrip("."))
    if kind in ("month_day", "day_month"):
        value = day_month(published, month or 0, int(g["day"]), _year(m, published))
        return DateValue(value, "day") if value else None
    if kind == "month_year":
        return _not_later(DateValue(dt.date(int(g["year"]), month or 1, 1), "month"), published)
    if kind == "month":
        return DateValue(_month_only(published, month or 1), "month")
    if kind == "year":
        return _not_later(DateValue(dt.date(int(g["year"]), 1, 1), "year"), published)
    if kind == "rel_year":
        offset = 1 if g["which"].lower() == "last" else 0
        return DateValue(dt.date(published.year - offset, 1, 1), "year")
    return _resolve_relative(kind, m, published)


def _not_later(value: DateValue, published: dt.date) -> DateValue | None:
    return value if value.value <= published + SLACK else None


def _small_int(raw: str) -> int | None:
    """A count of days, weeks ... written in digits or words (None for absurdly long digits)."""
    if raw.isdigit():
        return int(raw) if len(raw) <= 6 else None
    return words_to_int(raw)


def _resolve_relative(kind: str, m: re.Match[str], published: dt.date) -> DateValue | None:
    """Dates written only relative to publication: weekdays, yesterday, weeks."""
    g = m.groupdict()
    if kind == "weekday":
        wd = WEEKDAYS.index(g["weekday"].lower())
        return DateValue(most_recent_weekday(published, wd, bool(g.get("last"))), "day")
    if kind == "yesterday":
        return DateValue(published - dt.timedelta(days=1), "day")
    if kind == "today":
        return DateValue(published, "day")
    if kind == "ago":
        n = 1 if g["n"] == "a" else _small_int(g["n"])
        if n is None:
            return None
        days = n * (7 if g["unit"].startswith("week") else 1)
        try:
            return DateValue(published - dt.timedelta(days=days), "day")
        except OverflowError:
            return None
    if kind == "rel_month":
        first = published.replace(day=1)
        if g["which"].lower() == "last":
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return DateValue(first, "month")
    if kind == "holiday":
        name = g["holiday"].lower()
        month, day = (12, 31) if "eve" in name and "new year" in name else (
            (1, 1) if "new year" in name else (1, 7) if "orthodox" in name else
            (12, 24) if "eve" in name else (12, 25))
        value = day_month(published, month, day, None)
        return DateValue(value, "day") if value else None
    if kind == "rel_week":
        start = published - dt.timedelta(days=7 if g["which"].lower() == "last" else 0)
        return DateValue(start.replace(day=1), "month")
    return None


def _role(text: str, start: int) -> Role:
    before = text[max(0, start - 12):start].lower()
    if re.search(r"\bsince\s+$", before):
        return "since"
    if re.search(r"\bas of\s+$", before):
        return "as_of"
    return "point"


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression in ``text``, longest first where they overlap, in text order."""
    return list(_find_dates(text, published))


# Every date pattern needs a digit or one of these pieces: one cheap search first.
_CUES = folded(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week|month|year|eve|christmas|"
    r"tonight|morning|ago")


def may_name_date(text: str) -> bool:
    """A cheap test: False when ``text`` certainly holds no date expression."""
    return bool(_CUES.search(text))


@lru_cache(maxsize=4096)
def _find_dates(text: str, published: dt.date) -> tuple[DateMention, ...]:
    if not may_name_date(text):
        return ()
    low = text.lower()
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        if not any(cue in low for cue in _PATTERN_CUES[kind]):
            continue
        for m in pattern.finditer(text):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            if kind == "same_month":
                # a placeholder (the month comes from context), kept a valid month value
                value = DateValue(published.replace(day=1), "month")
                found.append(DateMention(m.start(), m.end(), value, "same_month", False))
                continue
            value = _resolve(kind, m, published)
            if value is None:
                continue
            # "the day before" names the event's day as firmly as a date does
            explicit = kind in _EXPLICIT or (
                kind == "yesterday" and not m.group(0).lower().startswith("yesterday"))
            word = re.search(r"[A-Za-z0-9]", m.group(0))
            role = _role(text, m.start() + (word.start() if word else 0))
            found.append(DateMention(m.start(), m.end(), value, role, explicit))
    return tuple(sorted(found, key=lambda d: d.start))


_PERIOD = re.compile(
    r"\b(?:in|over|during|within|for)\s+(?:the\s+)?(?:(?:last|past|first)\s+)?"
    r"(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s+(?P<unit>hours|days|weeks|months|years|hour|day|week|month|year)\b",
    re.IGNORECASE,
)
_PERIOD_ONE = re.compile(
    r"\b(?:in|over|during|within)\s+the\s+(?:last|past)\s+(?P<unit>day|week|month|year|24 hours)\b",
    re.IGNORECASE,
)


def period_start(text: str, published: dt.date) -> DateValue | None:
    """The start of the period a figure covers ("in six months", "in the last 24 hours")."""
    m = _PERIOD.search(text)
    if m:
        raw = m.group("n").lower()
        n = _small_int(raw)
        start = _go_back(published, n, m.group("unit").lower()) if n else None
        if start:
            return DateValue(start, "day", True)
    m = _PERIOD_ONE.search(text)
    if m:
        unit = m.group("unit").lower()
        start = _go_back(published, 24 if unit == "24 hours" else 1, unit)
        if start:
            return DateValue(start, "day", True)
    for d in find_dates(text, published):
        if d.role == "since":
            return d.value
    return None


def _go_back(published: dt.date, n: int, unit: str) -> dt.date | None:
    """``published`` minus ``n`` units (hours round up to whole days); None before year 1."""
    try:
        return _minus(published, n, unit)
    except (OverflowError, ValueError):
        return None


def _minus(published: dt.date, n: int, unit: str) -> dt.date:
    unit = unit.rstrip("s").split()[-1] if unit.split()[-1] != "hours" else "hour"
    if unit == "hour":
        return published - dt.timedelta(days=max(1, -(-n // 24)))
    delta = {
        "day": relativedelta(days=n), "week": relativedelta(weeks=n),
        "month": relativedelta(months=n), "year": relativedelta(years=n),
    }[unit]
    return published - delta
