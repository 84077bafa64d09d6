"""Manual entry: sources, exchanges and capture tallies typed in by a person.

Values are checked here, before anything is written; each entry is stored through the same path
as extracted figures (``tracker.store``), as claims with method ``manual``, accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import store
from tracker.dates import check_date
from tracker.errors import InputError
from tracker.extract.numbers import MAX_COUNT, qualified
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
    TransferCandidate,
)
from tracker.ingest.article import make_article
from tracker.models import Source, as_id
from tracker.parties import find_party, party_ids

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def parse_count(text: str | int | None, field: str) -> int | None:
    """A whole number >= 0; anything else is an error naming the field."""
    if text is None:
        return None
    value = str(text).strip().replace(",", "").replace("_", "")
    if not value.lstrip("-").isdigit():
        raise InputError(field, f"{text!r} is not a whole number")
    if value.startswith("-") and value.strip("-0"):
        raise InputError(field, f"{value} is negative: counts are never below 0")
    if len(value) > len(str(MAX_COUNT)) or int(value) > MAX_COUNT:  # before int() of 10^5000
        raise InputError(field, f"{value} is more than {MAX_COUNT:,}: no report counts more")
    return abs(int(value))


def make_count(
    best: str | int,
    low: str | int | None = None,
    high: str | int | None = None,
    qualifier: str = "exact",
    field: str = "count",
) -> Count:
    """low / best / high from options; low and high not given take the band the qualifier
    means, the same as in extraction ("up to 300": 1-300, "about 300": 270-330, "more than
    300": open above); low <= best <= high."""
    b = parse_count(best, field)
    assert b is not None
    if qualifier not in QUALIFIERS:
        raise InputError("qualifier", f"{qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    band = qualified(b, qualifier)  # type: ignore[arg-type]
    lo = parse_count(low, "count_low")
    hi = parse_count(high, "count_high")
    lo = band.low if lo is None else lo
    hi = band.high if hi is None else hi
    if lo > b:
        raise InputError("count_low", f"low {lo} is greater than best {b}")
    if hi is not None and hi < b:
        raise InputError("count_high", f"high {hi} is less than best {b}")
    return Count(lo, b, hi, qualifier)  # type: ignore[arg-type]


def parse_date_value(text: str, field: str, precision: str | None = None) -> DateValue:
    """YYYY-MM-DD, YYYY-MM or YYYY; the precision follows the form unless given."""
    m = _PARTIAL_DATE.match(text or "")
    if not m:
        raise InputError(field, f"{text!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise InputError(field, f"{text!r} is not a real date ({exc})") from None
    form = "day" if m[3] else "month" if m[2] else "year"
    precision = precision or form
    if precision not in PRECISIONS:
        raise InputError("precision", f"{precision!r} is not one of {', '.join(PRECISIONS)}")
    if precision == "month":
        value = value.replace(day=1)
    elif precision == "year":
        value = value.replace(month=1, day=1)
    return DateValue(check_date(value, field), precision)  # type: ignore[arg-type]


def find_source(session: Session, ref: str) -> int:
    """A source by id or URL (the newest version of that URL)."""
    ref = (ref or "").strip()
    if ref.isdigit():
        number = as_id(ref)
        query = select(Source.id).where(Source.id == number)
        found = None if number is None else session.scalar(query)
    else:
        found = session.scalar(
            select(Source.id).where(Source.url == ref).order_by(Source.version.desc()).limit(1)
        )
    if found is None:
        raise InputError("source", f"no source {ref!r} (add it with `tracker add source`)")
    return found


def add_source(
    session: Session,
    text: str,
    published: dt.date,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    origin: str = "manual",
) -> store.Stored:
    article = make_article(text, origin, published=published)
    return store.add_source(
        session,
        store.SourceRecord(
            text=article.text,
            text_hash=article.text_hash,
            published=check_date(published, "published"),
            url=url or None,
            title=title,
            outlet=outlet,
            origin=origin,
            extracted=False,
        ),
    )


@dataclass(frozen=True)
class TransferSpec:
    from_party: str
    to_party: str
    count: Count
    category: str


def parse_transfer(session: Session, spec: str, qualifier: str = "exact") -> TransferSpec:
    """FROM:TO:COUNT[:CATEGORY], e.g. ``UKR:RUS:150:pow``."""
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise InputError("transfer", f"{spec!r} is not FROM:TO:COUNT[:CATEGORY]")
    category = parts[3].strip().lower() if len(parts) == 4 else "pow"
    if category not in CATEGORIES:
        raise InputError(
            "transfer", f"category {category!r} is not one of {', '.join(CATEGORIES)}"
        )
    src, dst = (
        find_party(session, parts[0], "transfer"),
        find_party(session, parts[1], "transfer"),
    )
    if src.id == dst.id:
        raise InputError("transfer", f"{spec!r} hands a party to itself")
    best = parse_count(parts[2], "transfer count")
    assert best is not None
    return TransferSpec(
        src.code, dst.code, make_count(best, qualifier=qualifier, field="transfer"), category
    )


def _evidence(claimant: str | None, note: str | None) -> Evidence:
    return Evidence(start=0, end=0, quote=note or "", rule="manual", claimant=claimant)


def add_exchange(
    session: Session,
    source: str,
    date: DateValue,
    transfers: list[TransferSpec],
    mediators: list[str],
    claimant: str | None = None,
    quote: str | None = None,
) -> int:
    """Store a hand-entered exchange; returns the number of claims written."""
    if not transfers:
        raise InputError("transfer", "give at least one transfer FROM:TO:COUNT[:CATEGORY]")
    source_id = find_source(session, source)
    codes = [find_party(session, m, "mediator").code for m in mediators]
    evidence = _evidence(claimant, quote)
    candidate = ExchangeCandidate(
        date=date,
        evidence=evidence,
        mediators=codes,
        primary=True,
        transfers=[
            TransferCandidate(t.from_party, t.to_party, t.category, t.count, evidence)  # type: ignore[arg-type]
            for t in transfers
        ],
    )
    return store.store_extraction(
        session,
        source_id,
        Extraction(exchanges=[candidate]),
        party_ids(session),
        status="accepted",
        same_source=True,
    )


@dataclass(frozen=True)
class CaptureSpec:
    captor: str
    captive: str
    category: str
    kind: str
    count: Count
    as_of: DateValue
    period_start: DateValue | None = None
    region: str | None = None


def add_capture(
    session: Session,
    source: str,
    spec: CaptureSpec,
    claimant: str | None = None,
    quote: str | None = None,
) -> int:
    """Store a hand-entered capture tally; returns the number of claims written."""
    if spec.category not in CATEGORIES:
        raise InputError("category", f"{spec.category!r} is not one of {', '.join(CATEGORIES)}")
    if spec.kind not in CAPTURE_KINDS:
        raise InputError("kind", f"{spec.kind!r} is not one of {', '.join(CAPTURE_KINDS)}")
    captor, captive = (
        find_party(session, spec.captor, "captor"),
        find_party(session, spec.captive, "captive"),
    )
    if captor.id == captive.id:
        raise InputError("captive", "captor and captive are the same party")
    if spec.period_start and spec.period_start.value > spec.as_of.value:
        raise InputError("period_start", "is after the as-of date")
    source_id = find_source(session, source)
    candidate = CaptureCandidate(
        captor=captor.code,
        captive=captive.code,
        category=spec.category,  # type: ignore[arg-type]
        kind=spec.kind,
        count=spec.count,
        as_of=spec.as_of,
        period_start=spec.period_start,  # type: ignore[arg-type]
        region=spec.region,
        evidence=_evidence(claimant, quote),
    )
    return store.store_extraction(
        session,
        source_id,
        Extraction(captures=[candidate]),
        party_ids(session),
        status="accepted",
        same_source=True,
    )
