"""Ids that last: what a re-read source's figures were before, so they keep their ids.

Re-extraction replaces a source's machine claims, and a new version of a URL replaces the old
version's; without care every claim, transfer, exchange and tally they touched would be born
again under a new id, and ``transfer:8`` cited in a note would name another figure or nothing.
So before the old claims go, their identity is read (``earlier_claims``); each new candidate
that restates one (``match``) takes over its claim id (same source only) and its fact, when the
fact names the same thing (same kind, parties and category). Ids nobody took over are retired
(``retire``): merged into the fact their figure now belongs to, or removed, and recorded in
``retired_ids`` so an old citation still answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from tracker.extract.types import Extraction, TransferCandidate
from tracker.models import Claim, RetiredId, Transfer


@dataclass(frozen=True)
class Earlier:
    """One claim as it was before its source was read again."""

    id: int
    kind: str
    a: int
    b: int
    category: str
    best: int
    date: dt.date
    start: int | None
    end: int | None
    transfer_id: int | None
    capture_id: int | None
    exchange_id: int | None


@dataclass
class Reuse:
    """Per candidate (by object identity): the earlier claim it restates, if any."""

    claims: dict[int, Earlier] = field(default_factory=dict)
    same_source: bool = True  # the earlier claims are this source's: their claim ids carry over
    taken: set[tuple[str, int]] = field(default_factory=set)  # facts already taken over

    def claim_id(self, candidate: object) -> int | None:
        found = self.claims.get(id(candidate))
        return found.id if found and self.same_source else None

    def fact(self, candidate: object, link: str) -> int | None:
        """The earlier fact (transfer or tally) this candidate may take over, once."""
        found = self.claims.get(id(candidate))
        fact = getattr(found, link) if found else None
        if fact is None or (link, fact) in self.taken:
            return None
        self.taken.add((link, fact))
        return fact

    def exchange(self, candidate: TransferCandidate) -> int | None:
        found = self.claims.get(id(candidate))
        return found.exchange_id if found else None


NO_REUSE = Reuse()


def earlier_claims(session: Session | Connection, where: Iterable) -> list[Earlier]:
    """The identity of the claims selected by ``where`` (SQLAlchemy conditions on Claim)."""
    rows = session.execute(
        select(Claim.id, Claim.kind, Claim.party_a_id, Claim.party_b_id, Claim.category,
               Claim.count_best, Claim.date, Claim.span_start, Claim.span_end,
               Claim.transfer_id, Claim.capture_id, Transfer.exchange_id)
        .outerjoin(Transfer, Transfer.id == Claim.transfer_id)
        .where(*where)
        .order_by(Claim.id)
    ).all()
    return [Earlier(*row) for row in rows]


def match(
    found: Extraction, earlier: Sequence[Earlier], parties: dict[str, int], *, by_place: bool
) -> Reuse:
    """Pair each candidate with the earlier claim it restates: the same kind and place in the
    text (``by_place``: the same text read again), else the same kind, parties, category,
    figure and date. Each earlier claim is taken once, in text order."""
    reuse = Reuse(same_source=by_place)
    free = list(earlier)

    def take(candidate: object, kind: str, a: str, b: str, category: str, best: int,
             date: dt.date, start: int, end: int) -> None:
        ids = (parties[a], parties[b])
        tests = []
        if by_place:
            tests.append(lambda e: e.kind == kind and (e.start, e.end) == (start, end))
        tests.append(lambda e: (e.kind, e.a, e.b, e.category, e.best, e.date)
                     == (kind, *ids, category, best, date))
        for test in tests:
            hit = next((e for e in free if test(e)), None)
            if hit is not None:
                free.remove(hit)
                if (hit.kind, hit.a, hit.b, hit.category) == (kind, *ids, category):
                    reuse.claims[id(candidate)] = hit
                elif by_place:  # the same figure read otherwise: its claim id, a new fact
                    reuse.claims[id(candidate)] = Earlier(
                        hit.id, kind, *ids, category, best, date, start, end, None, None, None)
                return

    for ex in found.exchanges:
        for t in ex.transfers:
            take(t, "transfer", t.from_party, t.to_party, t.category, t.count.best,
                 ex.date.value, t.evidence.start, t.evidence.end)
    for c in found.captures:
        take(c, c.kind, c.captor, c.captive, c.category, c.count.best, c.as_of.value,
             c.evidence.start, c.evidence.end)
    return reuse


def retire(session: Session, kind: str, ids: dict[int, int | None], reason: str) -> None:
    """Record ids that no longer name a record of their own: ``{old: into or None}``."""
    if ids:
        session.execute(insert(RetiredId), [
            {"kind": kind, "id": old, "into_id": into,
             "reason": reason if into is None else f"{reason}: merged into {kind} {into}"}
            for old, into in sorted(ids.items())
        ])


def resolve(session_or_conn, kind: str, record_id: int) -> tuple[int | None, list[str]]:
    """The record an id names now (following merges), and what happened to it on the way;
    (None, reasons) when it was removed."""
    seen: list[str] = []
    current: int | None = record_id
    while current is not None and len(seen) < 100:
        row = session_or_conn.execute(
            select(RetiredId.into_id, RetiredId.reason, RetiredId.retired_at)
            .where(RetiredId.kind == kind, RetiredId.id == current)
        ).first()
        if row is None:
            return current, seen
        seen.append(f"{kind} {current}: {row.reason} ({row.retired_at:%Y-%m-%d %H:%M})")
        current = row.into_id
    return current, seen

