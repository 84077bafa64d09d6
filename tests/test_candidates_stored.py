"""No candidate can make the database refuse a source: generated candidates of every shape (counts
out of order, unknown or equal parties, a tally period that starts after its as-of date, long
claimants, bad spans, links to restatements that are gone) pass through
``checks.admissible`` and are stored without an error, on SQLite and PostgreSQL. What the
check keeps is stored whole: one claim per kept candidate."""

from __future__ import annotations

import datetime as dt
import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tracker.db import open_database
from tracker.extract.checks import admissible
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
from tracker.models import Claim
from tracker.parties import lexicon, party_ids
from tracker.store import SourceRecord, add_source, store_extraction

CODES = ["UKR", "RUS", "PRK", "ARE", "XXX"]  # XXX: a code the database does not know
counts = st.builds(
    Count,
    low=st.integers(-5, 3_000_000_000),
    best=st.integers(-5, 3_000_000_000),
    high=st.one_of(st.none(), st.integers(-5, 3_000_000_000)),
    qualifier=st.sampled_from([*QUALIFIERS, "roughly"]),
)
dates = st.builds(
    DateValue,
    value=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    precision=st.sampled_from([*PRECISIONS, "week"]),
    inferred=st.booleans(),
)
evidence = st.builds(
    Evidence,
    start=st.integers(-3, 500),
    end=st.integers(-3, 500),
    quote=st.text(max_size=30),
    rule=st.sampled_from(["transfer.actor", "capture.verb", "transfer.each_side"]),
    claimant=st.one_of(st.none(), st.text(max_size=300)),
)
transfers = st.builds(
    TransferCandidate,
    from_party=st.sampled_from(CODES),
    to_party=st.sampled_from(CODES),
    category=st.sampled_from([*CATEGORIES, "goods"]),
    count=counts,
    evidence=evidence,
    doubt=st.one_of(st.none(), st.just("may be a running total: 'in all'")),
    same_as=st.one_of(st.none(), st.integers(0, 3)),
)
exchanges = st.builds(
    ExchangeCandidate,
    date=dates,
    transfers=st.lists(transfers, max_size=4),
    evidence=evidence,
    mediators=st.lists(st.sampled_from(CODES), max_size=3),
)
captures = st.builds(
    CaptureCandidate,
    captor=st.sampled_from(CODES),
    captive=st.sampled_from(CODES),
    category=st.sampled_from([*CATEGORIES, "goods"]),
    kind=st.sampled_from([*CAPTURE_KINDS, "rate"]),
    count=counts,
    as_of=dates,
    evidence=evidence,
    period_start=st.one_of(st.none(), dates),
    region=st.one_of(st.none(), st.text(max_size=300)),
    doubt=st.one_of(st.none(), st.just("not done: 'might' governs the figure")),
)
extractions = st.builds(Extraction, exchanges=st.lists(exchanges, max_size=3),
                        captures=st.lists(captures, max_size=3))


def _same_as_fixed(ex: ExchangeCandidate) -> ExchangeCandidate:
    """Generated links may point forward; the extractor's point back: keep them honest."""
    for i, t in enumerate(ex.transfers):
        if t.same_as is not None and t.same_as >= i:
            t.same_as = None
    return ex


def test_generated_candidates_are_stored_without_refusal(engine: str) -> None:
    db = open_database(engine)
    with db.session() as session:
        lex, parties = lexicon(session), party_ids(session)
    seen = iter(range(10**9))

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(extractions)
    def check(found: Extraction) -> None:
        found = Extraction([_same_as_fixed(e) for e in found.exchanges], found.captures)
        kept = admissible(found, lex)
        n = next(seen)
        text = f"generated source {n}"
        record = SourceRecord(text, hashlib.sha256(text.encode()).hexdigest(), dt.date(2025, 1, 1))
        with db.session() as session:
            source_id = add_source(session, record).source_id
            stored = store_extraction(session, source_id, kept, parties)
            rows = session.scalar(select(func.count()).select_from(Claim)
                                  .where(Claim.source_id == source_id))
        assert stored == rows == sum(len(e.transfers) for e in kept.exchanges) + len(kept.captures)

    check()
    db.dispose()


def test_admissible_keeps_what_the_schema_accepts() -> None:
    """A valid candidate passes unchanged; each invalid part is dropped or fixed alone."""
    from tracker.extract import lexicon_from_rows

    lex = lexicon_from_rows([{"code": "UKR", "name": "Ukraine", "role": "belligerent"},
                             {"code": "RUS", "name": "Russia", "role": "belligerent"}])
    ev = Evidence(0, 10, "0123456789", "transfer.actor", "x" * 250)
    good = TransferCandidate("RUS", "UKR", "pow", Count.exact(90), ev)
    twisted = TransferCandidate("UKR", "UKR", "pow", Count.exact(5), ev)
    backwards = TransferCandidate("UKR", "RUS", "pow", Count(10, 5, 20), ev)
    day = DateValue(dt.date(2025, 2, 6))
    tally = CaptureCandidate("UKR", "RUS", "pow", "cumulative", Count.exact(909), day, ev,
                             period_start=DateValue(dt.date(2025, 3, 1)))
    kept = admissible(Extraction([ExchangeCandidate(day, [good, twisted, backwards], ev)],
                                 [tally]), lex)
    [exchange] = kept.exchanges
    assert [t.count.best for t in exchange.transfers] == [90]
    assert exchange.transfers[0].evidence.claimant == "x" * 200
    assert kept.captures[0].period_start is None and kept.captures[0].count.best == 909
