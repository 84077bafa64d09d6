"""Field helpers shared by the readers: publication dates and metadata values.

A date is accepted as ISO (``2022-03-17``, ``2022-03-17 10:23:00``, ``2022-03-17T10:23:00Z``;
the date as written, time zone ignored) or with a month name (``17 March 2022``,
``Thu, 17 Mar 2022 10:23:00 GMT``). All-numeric forms such as ``03/04/2022`` are refused:
day and month cannot be told apart. The range is ``tracker.dates.check_date``'s.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from dateutil import parser as dateparser

from tracker.dates import check_date
from tracker.errors import IngestError, InputError

_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
# Two defaults: a date missing its day, month or year parses differently with each and is refused.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))


def parse_published(value: object, field: str, origin: str) -> dt.date:
    """The date in ``value`` (a string), range-checked; an ``IngestError`` naming ``field``."""
    if not isinstance(value, str):
        raise IngestError(origin, f"{field}: {value!r} is not a date")
    try:
        return check_date(_parse(value.strip(), field), field)
    except InputError as err:
        raise IngestError(origin, str(err)) from None


def _parse(text: str, field: str) -> dt.date:
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            value = parse(text)
        except ValueError:
            continue
        return value.date() if isinstance(value, dt.datetime) else value
    if _MONTH_NAME.search(text):
        try:
            first, second = (dateparser.parse(text, default=d).date() for d in _DEFAULTS)
        except (ValueError, OverflowError):
            pass
        else:
            if first == second:
                return first
    raise InputError(field, f"{text!r} is not a date")


def as_text(value: object) -> str | None:
    """A metadata value as a stripped string; None for missing or empty values."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.strip() or None
