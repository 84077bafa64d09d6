"""When two reports are one fact: the matching rules for exchanges, transfers and tallies (pure).

Two reports describe one exchange when they involve the same parties, their dates are compatible
(the same day; within ``NEAR_DAYS`` of each other; or a month/year-precision date that contains
the other) and their counts do not contradict each other. On the same day, counts may disagree by
up to ``SAME_DAY_SPREAD`` (sides count differently: "150 for 150" against "189 came home"), and
reports that give complementary halves (one side's figure each) join; on other compatible dates at
least one transfer must agree within ``AGREE``. Candidates from one source are never merged with
each other: extraction already decided how many exchanges one article reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tracker.extract.types import (
    SAME_DAY_SPREAD,
    CaptureCandidate,
    Count,
    DateValue,
    Evidence,
    ExchangeCandidate,
    TransferCandidate,
)

NEAR_DAYS = 2
AGREE = 0.1


@dataclass
class ExistingTransfer:
    id: int
    from_party_id: int
    to_party_id: int
    category: str
    count: Count
    sources: frozenset[int]
    doubtful: bool = False  # only doubtful claims: counted nowhere, so it decides no match


@dataclass
class ExistingExchange:
    id: int
    date: DateValue
    transfers: list[ExistingTransfer]

    @property
    def sources(self) -> frozenset[int]:
        return frozenset().union(*(t.sources for t in self.transfers))


def period(d: DateValue) -> tuple[dt.date, dt.date]:
    """The first and last day a date of this precision may mean."""
    if d.precision == "year":
        return dt.date(d.value.year, 1, 1), dt.date(d.value.year, 12, 31)
    if d.precision == "month":
        first = d.value.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)
    return d.value, d.value


def date_relation(a: DateValue, b: DateValue) -> str | None:
    """'same', 'near' or 'contains' when two dates may mean one day; None when they cannot."""
    if a.precision == b.precision == "day":
        gap = abs((a.value - b.value).days)
        return "same" if gap == 0 else "near" if gap <= NEAR_DAYS else None
    (a0, a1), (b0, b1) = period(a), period(b)
    return "contains" if a0 <= b0 <= b1 <= a1 or b0 <= a0 <= a1 <= b1 else None


def categories_compatible(a: str, b: str) -> bool:
    return a == b or "mixed" in (a, b)


def distance(a: Count, b: Count) -> float:
    """0 when the ranges overlap, else the relative gap between the best figures."""
    return a.gap(b)


def _score(
    candidate: ExchangeCandidate, ex: ExistingExchange, parties: dict[str, int]
) -> tuple[int, int] | None:
    relation = date_relation(candidate.date, ex.date)
    if relation is None:
        return None
    # Other reports of one swap give its own day (or a day either side, where midnight or a
    # time zone falls between them) with the same figure; a near day with a different figure
    # is another stage of a staged swap.
    tolerance = {"same": SAME_DAY_SPREAD, "near": 0.0}.get(relation, AGREE)
    fits, shared = 0, False
    live = [e for e in ex.transfers if not e.doubtful]
    for t in candidate.transfers:
        if t.doubt:  # counted nowhere, so it neither joins nor keeps apart
            continue
        kind = [e for e in live if categories_compatible(t.category, e.category)]
        shared = shared or bool(kind)
        way = [e for e in kind
               if (parties[t.from_party], parties[t.to_party]) == (e.from_party_id, e.to_party_id)]
        if not way:
            continue
        # the closest transfer of the same way decides: an exchange may hold two of one way
        # ("175 for 175, and 22 more as a gesture")
        gap = min(distance(t.count, e.count) for e in way)
        if gap > tolerance:
            return None
        fits += gap <= min(tolerance, AGREE)
    if fits or (relation == "same" and shared):
        return fits, relation == "same"
    return None


def pick_exchange(
    candidate: ExchangeCandidate,
    existing: Sequence[ExistingExchange],
    parties: dict[str, int],
    source_id: int,
) -> ExistingExchange | None:
    """The stored exchange this candidate reports, if any (the best-fitting one)."""
    best: tuple[tuple[int, int], ExistingExchange] | None = None
    for ex in existing:
        if source_id in ex.sources:
            continue
        score = _score(candidate, ex, parties)
        if score is not None and (best is None or score > best[0]):
            best = (score, ex)
    return best[1] if best else None


def pick_transfer(
    t: TransferCandidate,
    known: Sequence[ExistingTransfer],
    parties: dict[str, int],
    source_id: int,
    tolerance: float = SAME_DAY_SPREAD,
) -> ExistingTransfer | None:
    """The transfer of a matched exchange that this transfer candidate reports, if any."""
    pair = (parties[t.from_party], parties[t.to_party])
    fitting = [
        (distance(t.count, e.count), e)
        for e in known
        if (e.from_party_id, e.to_party_id) == pair
        and source_id not in e.sources
        and categories_compatible(t.category, e.category)
    ]
    fitting = [f for f in fitting if f[0] <= tolerance]
    return min(fitting, key=lambda f: (f[0], f[1].id))[1] if fitting else None


# A tally told without a date of its own (as of the day it was published) restates the same
# figure reported up to a month before it.
RESTATED_WITHIN = dt.timedelta(days=31)


def later_restatement(undated: DateValue, stored: DateValue) -> bool:
    """True when ``undated`` (a date inferred from publication) may restate ``stored``."""
    return undated.inferred and stored.value <= undated.value <= stored.value + RESTATED_WITHIN


class StoredTally(NamedTuple):
    """One claim's view of a stored tally, as ``pick_tally`` compares it."""

    tally_id: int
    category: str
    as_of: dt.date
    precision: str
    low: int
    best: int
    high: int | None
    source_id: int  # of the claim


def pick_tally(c: CaptureCandidate, rows: Sequence[StoredTally], source_id: int) -> int | None:
    """The stored tally this capture candidate reports: same parties and kind (the caller's
    query), compatible category and date, agreeing counts, not already reported by this source.
    """
    by_tally: dict[int, tuple[StoredTally, set[int]]] = {}
    for row in rows:
        by_tally.setdefault(row.tally_id, (row, set()))[1].add(row.source_id)
    best: tuple[float, int] | None = None
    for tally_id, (row, sources) in by_tally.items():
        if source_id in sources or not categories_compatible(c.category, row.category):
            continue
        stored = DateValue(row.as_of, row.precision)  # type: ignore[arg-type]
        gap = distance(c.count, Count(row.low, row.best, row.high))
        if date_relation(c.as_of, stored) is None and not (
                gap == 0 and later_restatement(c.as_of, stored)):
            continue
        if gap <= AGREE and (best is None or (gap, tally_id) < best):
            best = (gap, tally_id)
    return best[1] if best else None


def more_precise(a: DateValue, b: DateValue) -> bool:
    """``a`` dates a day better than ``b``: a finer precision, or the same one stated."""
    rank = {"day": 0, "month": 1, "year": 2}
    return rank[a.precision] < rank[b.precision] or (
        a.precision == b.precision and b.inferred and not a.inferred
    )


# Clustering: the facts as a function of the set of claims, not of the order they arrived in.
# Units (the claims of one source on one exchange, or on one tally) are matched one by one in a
# canonical order of their content, each against the facts built so far, in memory.

_NO_EVIDENCE = Evidence(0, 0, "", "cluster")


@dataclass(frozen=True)
class Piece:
    """The claims of one unit on one transfer (extraction linked them as one figure)."""

    claims: tuple  # opaque to the rules: the caller's claim rows
    key: tuple  # content: parties, category, counts


@dataclass(frozen=True)
class Unit:
    """The claims of one source on one exchange (``pieces``) or one tally (one piece)."""

    source_id: int
    date: DateValue
    key: tuple  # the canonical order: content only (dates, parties, counts, source)
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Figure:
    """What the rules compare of a group of claims (their derived figure)."""

    from_party_id: int
    to_party_id: int
    category: str
    count: Count
    doubtful: bool


@dataclass
class Cluster:
    """One fact built in memory: its date, and its transfers as groups of pieces."""

    date: DateValue
    units: list[Unit]
    transfers: list[list[Piece]]


def _code(party_id: int) -> str:
    return str(party_id)


def _candidate_transfer(figure: Figure) -> TransferCandidate:
    return TransferCandidate(_code(figure.from_party_id), _code(figure.to_party_id),
                             figure.category, figure.count, _NO_EVIDENCE,  # type: ignore[arg-type]
                             "doubtful" if figure.doubtful else None)


def cluster_exchanges(
    units: Sequence[Unit], figure: Callable[[Sequence], Figure], party_ids: Iterable[int]
) -> list[Cluster]:
    """Group units into exchanges and their pieces into transfers with ``pick_exchange`` and
    ``pick_transfer``, units in canonical order (ties go to the fact built first). An exchange
    is dated by its first unit, unless a later one dates it more precisely.
    ``figure``: the derived figure of a list of claims (the store's consensus)."""
    parties = {_code(p): p for p in party_ids}
    clusters: list[Cluster] = []
    stored: list[ExistingExchange] = []
    for unit in sorted(units, key=lambda u: u.key):
        figures = [figure(p.claims) for p in unit.pieces]
        candidate = ExchangeCandidate(unit.date, [_candidate_transfer(f) for f in figures],
                                      _NO_EVIDENCE)
        match = pick_exchange(candidate, stored, parties, unit.source_id)
        if match is None:
            match = ExistingExchange(len(stored), unit.date, [])
            stored.append(match)
            clusters.append(Cluster(unit.date, [], []))
        cluster = clusters[match.id]
        cluster.units.append(unit)
        if more_precise(unit.date, cluster.date):
            cluster.date = match.date = unit.date
        taken: set[int] = set()  # one source's figures are one transfer only when linked
        for piece, t in zip(unit.pieces, candidate.transfers, strict=True):
            free = [e for e in match.transfers if e.id not in taken]
            target = pick_transfer(t, free, parties, unit.source_id)
            if target is None:
                cluster.transfers.append([])
                target = ExistingTransfer(len(match.transfers), 0, 0, "", t.count, frozenset())
                match.transfers.append(target)
            taken.add(target.id)
            cluster.transfers[target.id].append(piece)
            now = figure([c for p in cluster.transfers[target.id] for c in p.claims])
            target.from_party_id, target.to_party_id = now.from_party_id, now.to_party_id
            target.category, target.count, target.doubtful = now.category, now.count, now.doubtful
            target.sources = target.sources | {unit.source_id}
    return clusters


def cluster_tallies(
    units: Sequence[Unit], figure: Callable[[Sequence], Figure], kind: str
) -> list[Cluster]:
    """Group units of one captor, captive and kind into tallies with ``pick_tally``, in
    canonical order; a tally is dated by its first unit (each unit has one piece)."""
    clusters: list[Cluster] = []
    rows: list[list[StoredTally]] = []  # per tally: pick_tally's rows, one per source

    def rows_of(i: int) -> list[StoredTally]:
        cluster = clusters[i]
        now, d = figure([c for p in cluster.transfers[0] for c in p.claims]), cluster.date
        return [StoredTally(i, now.category, d.value, d.precision, now.count.low,
                            now.count.best, now.count.high, u.source_id) for u in cluster.units]

    for unit in sorted(units, key=lambda u: u.key):
        f = figure(unit.pieces[0].claims)
        c = CaptureCandidate(_code(f.from_party_id), _code(f.to_party_id), f.category,  # type: ignore[arg-type]
                             kind, f.count, unit.date, _NO_EVIDENCE)  # type: ignore[arg-type]
        picked = pick_tally(c, [r for tally in rows for r in tally], unit.source_id)
        if picked is None:
            clusters.append(Cluster(unit.date, [unit], [list(unit.pieces)]))
            rows.append([])
            picked = len(clusters) - 1
        else:
            clusters[picked].units.append(unit)
            clusters[picked].transfers[0].extend(unit.pieces)
        rows[picked] = rows_of(picked)
    return clusters
