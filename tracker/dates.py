"""Dates given by users and files: parsing, and the range a real report can carry."""

from __future__ import annotations

import datetime as dt

from tracker.errors import InputError

# Scrapers write 1900-01-01 (and worse) as a placeholder; no report of this kind predates 1901.
MIN_DATE = dt.date(1901, 1, 1)


def today() -> dt.date:
    return dt.date.today()


def check_date(value: dt.date, field: str, *, future: bool = False) -> dt.date:
    """Refuse placeholder and future dates (a report cannot be published after today); a
    window of a query (``future``: "the balance at the end of this year") may end later."""
    if value < MIN_DATE:
        raise InputError(field, f"{value.isoformat()} is before {MIN_DATE.isoformat()}")
    if value > today() and not future:
        raise InputError(field, f"{value.isoformat()} is in the future")
    return value


def parse_date(text: str, field: str, *, future: bool = False) -> dt.date:
    """An ISO date (YYYY-MM-DD), checked for range (``future``: see ``check_date``); anything
    else is an error naming the field."""
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(field, f"{text!r} is not a date (expected YYYY-MM-DD)") from None
    return check_date(value, field, future=future)
