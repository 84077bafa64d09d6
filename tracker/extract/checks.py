"""What the database accepts, checked on candidates before they are stored.

The schema refuses a claim whose counts are out of order, whose parties are unknown or the same,
whose tally period starts after its as-of date, or whose text fields are longer than their
columns. A refused claim would fail its whole source, so every candidate passes through
``admissible`` first: a figure that cannot be stored is dropped (it could not be read right), a
field that can be made valid is (a period start after the as-of date is left out, an over-long
claimant is cut, a NUL is removed from a text), a date before 1901 or in the last year of the
calendar is not read, and nothing else changes. One place mirrors the CHECK constraints of
``tracker.models``; a property test feeds it generated candidates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tracker.dates import MIN_DATE
from tracker.extract.numbers import MAX_COUNT
from tracker.extract.types import (
    CAPTURE_KINDS,
    CATEGORIES,
    PRECISIONS,
    QUALIFIERS,
    CaptureCandidate,
    Count,
    DateValue,
    Evidence,
    ExchangeCandidate,
    Extraction,
    Lexicon,
    TransferCandidate,
)

TEXT_LIMIT = 200  # claimant, region and mediators columns are String(200)


def _count_ok(c: Count) -> bool:
    return (
        0 <= c.low <= c.best <= MAX_COUNT
        and (c.high is None or c.best <= c.high <= MAX_COUNT)
        and c.qualifier in QUALIFIERS
    )


# Dates a report can give, with room for the month either side that merging looks at.
DATES = (MIN_DATE, dt.date(9998, 12, 31))


def _date_ok(d: DateValue | None) -> bool:
    return d is None or (d.precision in PRECISIONS and DATES[0] <= d.value <= DATES[1])


def _text(value: str | None, limit: int | None = TEXT_LIMIT) -> str | None:
    """A text the database takes: no NUL (PostgreSQL refuses it), cut to the column's size."""
    return value.replace("\0", "")[:limit] if value else value


def _evidence(ev: Evidence) -> Evidence | None:
    if not (0 <= ev.start <= ev.end):
        return None
    claimant, quote = _text(ev.claimant), _text(ev.quote, None)
    if (claimant, quote) == (ev.claimant, ev.quote):
        return ev
    return replace(ev, claimant=claimant, quote=quote)


def _transfer(t: TransferCandidate, codes: set[str]) -> TransferCandidate | None:
    ev = _evidence(t.evidence)
    if ev is None or t.from_party not in codes or t.to_party not in codes:
        return None
    if t.from_party == t.to_party or t.category not in CATEGORIES or not _count_ok(t.count):
        return None
    return replace(t, evidence=ev) if ev is not t.evidence else t


def _exchange(ex: ExchangeCandidate, codes: set[str]) -> ExchangeCandidate | None:
    if not _date_ok(ex.date):
        return None
    kept: list[TransferCandidate] = []
    index: dict[int, int] = {}  # old position -> new position, for same_as
    for i, t in enumerate(ex.transfers):
        ok = _transfer(t, codes)
        if ok is None:
            continue
        same = index.get(t.same_as) if t.same_as is not None else None
        index[i] = len(kept)
        kept.append(replace(ok, same_as=same) if same != ok.same_as else ok)
    if not kept:
        return None
    mediators = [m for m in dict.fromkeys(ex.mediators) if m in codes]
    while len(" ".join(mediators)) > TEXT_LIMIT:
        mediators.pop()
    return replace(ex, transfers=kept, mediators=mediators)


def _capture(c: CaptureCandidate, codes: set[str]) -> CaptureCandidate | None:
    ev = _evidence(c.evidence)
    if ev is None or c.captor not in codes or c.captive not in codes or c.captor == c.captive:
        return None
    if c.category not in CATEGORIES or c.kind not in CAPTURE_KINDS or not _count_ok(c.count):
        return None
    if not _date_ok(c.as_of) or not _date_ok(c.period_start):
        return None
    start = c.period_start
    if start is not None and start.value > c.as_of.value:
        start = None  # "a period that starts after its as-of date" cannot be: not read
    region = _text(c.region)
    return replace(c, evidence=ev, period_start=start, region=region)


def admissible(found: Extraction, lexicon: Lexicon) -> Extraction:
    """``found`` without the candidates the database would refuse, and with fixable fields
    fixed (see the module's docstring)."""
    codes = {p.code for p in lexicon.parties}
    exchanges = [e for e in (_exchange(x, codes) for x in found.exchanges) if e is not None]
    captures = [c for c in (_capture(x, codes) for x in found.captures) if c is not None]
    return Extraction(exchanges, captures)
