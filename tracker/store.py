"""Writing claims: sources, merging reports of one exchange or tally, and the derived figures.

A claim is what one source says. Claims that report the same real-world exchange (same pair of
parties, compatible dates and counts) attach to one exchange; claims that report the same transfer
attach to one transfer, whose low/best/high is the spread of its claims. ``recompute`` keeps
those derived figures in step with the claims: accepted claims if a transfer has any, else its
pending ones; rejected and doubtful claims never count (a fact with only doubtful claims is
doubtful itself, and counts nowhere).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    bindparam,
    column,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from tracker.extract.types import (
    CaptureCandidate,
    Count,
    DateValue,
    Evidence,
    ExchangeCandidate,
    Extraction,
    TransferCandidate,
)
from tracker.lasting import NO_REUSE, Earlier, Reuse, earlier_claims, match, retire
from tracker.merge import (
    NEAR_DAYS,
    RESTATED_WITHIN,
    Cluster,
    ExistingExchange,
    ExistingTransfer,
    Figure,
    Piece,
    StoredTally,
    Unit,
    cluster_exchanges,
    cluster_tallies,
    date_relation,
    more_precise,
    period,
    pick_exchange,
    pick_tally,
    pick_transfer,
)
from tracker.models import (
    MAX_ID,
    CaptureTally,
    Claim,
    Exchange,
    ExchangeMediator,
    Party,
    Source,
    Transfer,
)

# Statuses no person has decided: re-extraction and new versions may replace such claims.
MACHINE_STATES = ("pending", "doubtful")
LIVE = ("pending", "accepted", "doubtful")  # claims that still speak for their fact


@dataclass(frozen=True)
class SourceRecord:
    """What the store needs of an article to keep it as a source."""

    text: str
    text_hash: str
    published: dt.date
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    origin: str | None = None
    extra: dict[str, str] | None = None
    extracted: bool = True  # False: entered by hand, never read by the rules


@dataclass
class Stored:
    """The outcome of storing one source: its id, what happened, how many claims it produced."""

    source_id: int
    status: str  # "imported", "new version", "unchanged"
    claims: int = 0
    url: str | None = None
    # a new version: the earlier version's claims it set aside, whose facts it may take over
    earlier: list[Earlier] = field(default_factory=list)

    def reuse(self, found: Extraction, parties: dict[str, int]) -> Reuse:
        return match(found, self.earlier, parties, by_place=False) if self.earlier else NO_REUSE


Db = Session | Connection  # the store runs on an ORM session or a plain connection alike


def add_source(db: Db, record: SourceRecord, *, checked: bool = False) -> Stored:
    """Keep a source; the same text again changes nothing, a changed text at a known URL is a
    new version (the old version's pending machine claims are set aside as superseded).

    ``checked``: the caller already looked the hash up; the unique constraint on the hash still
    decides a race (the insert fails, and the caller treats the source as unchanged)."""
    if not checked:
        existing = db.execute(
            select(Source.id).where(Source.text_hash == record.text_hash)
        ).scalar()
        if existing is not None:
            return Stored(existing, "unchanged")
    source_id, version = db.execute(
        _INSERT_SOURCE,
        {
            "url": record.url,
            "same_url": record.url,
            "outlet": record.outlet,
            "title": record.title,
            "published": record.published,
            "language": record.language,
            "text": record.text,
            "text_hash": record.text_hash,
            "origin": record.origin,
            "extracted": record.extracted,
            "extra": json.dumps(record.extra, ensure_ascii=False) if record.extra else None,
        },
    ).one()
    status = "new version" if version > 1 else "imported"
    stored = Stored(source_id, status, url=record.url)
    if status == "new version":
        stored.earlier = supersede(db, record.url or "", source_id)
    return stored


def known_hashes(db: Db, hashes: Iterable[str]) -> set[str]:
    """The text hashes among ``hashes`` that the database already has (one query)."""
    wanted = list(set(hashes))
    if not wanted:
        return set()
    return set(db.execute(select(Source.text_hash).where(Source.text_hash.in_(wanted))).scalars())


def supersede(session: Db, url: str, new_source_id: int) -> list[Earlier]:
    """Set aside the earlier versions' undecided machine claims; returns them (the new
    version's figures that restate one keep its transfer or tally)."""
    old_ids = select(Source.id).where(Source.url == url, Source.id != new_source_id)
    doomed = (
        Claim.source_id.in_(old_ids),
        Claim.status.in_(MACHINE_STATES),
        Claim.method != "manual",
        Claim.edited.is_(False),
    )
    earlier = earlier_claims(session, doomed)
    touched = session.execute(
        update(Claim)
        .where(*doomed)
        .values(status="rejected", note=f"superseded by source {new_source_id}")
        .returning(Claim.transfer_id, Claim.capture_id)
    ).all()
    transfers, tallies = [t for t, _ in touched if t], [c for _, c in touched if c]
    recompute(session, transfers, tallies)
    regroup(session, exchanges_of(session, transfers), tallies)
    return earlier


def store_extraction(
    db: Db,
    source_id: int,
    found: Extraction,
    parties: dict[str, int],
    *,
    status: str = "pending",
    same_source: bool = False,
    url: str | None = None,
    reuse: Reuse = NO_REUSE,
) -> int:
    """Store every candidate of one source as claims, merged into exchanges and tallies.

    Candidates of one source are not merged with each other's exchanges unless ``same_source``
    (manual entry: a person confirming or correcting a figure of a source already read).
    New transfers and tallies are written with their derived figures; only those that gained a
    claim from another report are recomputed. ``reuse``: the earlier claims the candidates
    restate (``tracker.lasting``), whose ids they keep."""
    writer = _Writer(db, source_id, parties, status, -1 if same_source else source_id, url,
                     reuse)
    for exchange in found.exchanges:
        writer.exchange(exchange)
    for capture in found.captures:
        writer.capture(capture)
    writer.flush()
    regroup(db, writer.exchanges, writer.tallies)
    return writer.count


class Said(NamedTuple):
    """One claim as the derived figures of its fact read it."""

    status: str
    low: int
    best: int
    high: int | None
    qualifier: str
    source_id: int
    url: str | None
    person: bool  # corrected by a person (edited): outranks every report's reading
    category: str
    a: int
    b: int
    id: int
    changed: dt.datetime
    date: dt.date
    precision: str
    published: dt.date  # the earliest published source has the first word (then its hash)
    text_hash: str
    start: int | None  # where in the text (manual entries: nowhere)


_SAID = ("c.status, c.count_low, c.count_best, c.count_high, c.qualifier, c.source_id, s.url, "
         "CASE WHEN c.edited THEN 1 ELSE 0 END, c.category, "
         "c.party_a_id, c.party_b_id, c.id, c.updated_at, c.date, c.date_precision, s.published, "
         "s.text_hash, c.span_start")
_SAID_TYPES = (String, Integer, Integer, Integer, String, Integer, String, Integer, String,
               Integer, Integer, Integer, DateTime, Date, String, Date, String, Integer)


def _said_columns(prefix: str) -> list:
    return [column(f"{prefix}{name}", kind) for name, kind in zip(Said._fields, _SAID_TYPES,
                                                                    strict=True)]
NEWEST = dt.datetime.max  # claims written in this transaction: the latest word

# Reports of the same fact lie on compatible dates: within NEAR_DAYS of the candidate's period,
# or on the first day of its month or year (where coarser dates are stored). Plain SQL with
# typed result columns: built once, no expression building per article.
_DATE_OK = "({col} BETWEEN :lo AND :hi OR {col} IN (:month_first, :year_first))"
# Each row also carries one live claim's figures, from which a transfer or tally that gains a
# claim is re-derived without reading its claims again.
_NEAR_EXCHANGES = text(f"""
SELECT e.id, e.date, e.date_precision, e.mediators, t.id, t.from_party_id, t.to_party_id,
       t.category, t.status, t.count_low, t.count_best, t.count_high, t.qualifier,
       {_SAID}
FROM exchanges e JOIN transfers t ON t.exchange_id = e.id JOIN claims c ON c.transfer_id = t.id
JOIN sources s ON s.id = c.source_id
WHERE {_DATE_OK.format(col="e.date")} AND c.status <> 'rejected'
""").columns(
    column("e_id", Integer),
    column("date", Date),
    *(column(n, String) for n in ("precision", "mediators")),
    *(column(n, Integer) for n in ("t_id", "from", "to")),
    *(column(n, String) for n in ("category", "status")),
    *(column(n, Integer) for n in ("low", "best", "high")),
    column("qualifier", String),
    *_said_columns("c_"),
)
_NEAR_TALLIES = text(f"""
SELECT ct.id, ct.category, ct.as_of, ct.as_of_precision, ct.count_low, ct.count_best,
       ct.count_high, c.source_id, c.status, c.count_low, c.count_best, c.count_high, c.qualifier,
       {_SAID}
FROM capture_tallies ct JOIN claims c ON c.capture_id = ct.id
JOIN sources s ON s.id = c.source_id
WHERE {_DATE_OK.format(col="ct.as_of")} AND ct.captor_id = :captor
  AND ct.captive_id = :captive AND ct.kind = :kind AND c.status <> 'rejected'
""").columns(
    column("id", Integer),
    column("cat", String),
    column("as_of", Date),
    column("precision", String),
    *(column(n, Integer) for n in ("l", "b", "h", "s")),
    column("c_status", String),
    *(column(n, Integer) for n in ("c_low", "c_best", "c_high")),
    column("c_qualifier", String),
    *_said_columns("s_"),
)


def _date_params(d: DateValue) -> dict[str, dt.date]:
    first, last = period(d)
    near = dt.timedelta(days=NEAR_DAYS)
    return {
        "lo": first - near,
        "hi": last + near,
        "month_first": first.replace(day=1),
        "year_first": first.replace(month=1, day=1),
    }


# The statements of the import path, built once (no expression building per article).
_NEXT_VERSION = (  # the next version of a URL's text; 1 for a new URL or none
    select(func.coalesce(func.max(Source.version), 0) + 1)
    .where(Source.url == bindparam("same_url"))
    .scalar_subquery()
)
_INSERT_SOURCE = insert(Source).values(version=_NEXT_VERSION).returning(Source.id, Source.version)
_INSERT_EXCHANGE = insert(Exchange).returning(Exchange.id)
_INSERT_TRANSFERS = insert(Transfer).returning(Transfer.id, sort_by_parameter_order=True)
_INSERT_TALLY = insert(CaptureTally).returning(CaptureTally.id)
_INSERT_CLAIMS = insert(Claim)
_INSERT_MEDIATORS = insert(ExchangeMediator)
_REDATE_EXCHANGE = update(Exchange).where(Exchange.id == bindparam("e_id"))
_REDATE_TRANSFERS = update(Transfer).where(Transfer.exchange_id == bindparam("e_id"))
_SET_MEDIATORS = update(Exchange).where(Exchange.id == bindparam("e_id"))


class _Writer:
    """Writes the candidates of one source: one statement per lookup, rows in batches."""

    def __init__(
        self,
        db: Db,
        source_id: int,
        parties: dict[str, int],
        status: str,
        merge_as: int,
        url: str | None = None,
        reuse: Reuse = NO_REUSE,
    ) -> None:
        self.conn = db.connection() if isinstance(db, Session) else db
        self.source_id, self.parties, self.status = source_id, parties, status
        self.merge_as = merge_as
        self.reuse = reuse
        self.claims: list[dict[str, object]] = []
        self.attached_transfers: set[int] = set()
        self.attached_tallies: set[int] = set()
        # the live claims already stored for the transfers and tallies found nearby, as
        # _consensus reads them: (status, low, best, high, qualifier, source id, url)
        self.stored_claims: dict[tuple[str, int], list[tuple]] = {}
        self.mediators: dict[int, set[str]] = {}  # codes of the nearby exchanges' mediators
        self.figures: dict[int, dict[str, object]] = {}  # the stored transfers' derived figures
        self.count = 0
        self._url = (url,) if url is not None else None
        # the facts this source's claims went to: its other candidates never join them (one
        # source's reports are one fact only where extraction linked them), and ``regroup``
        # starts from them
        self.exchanges: set[int] = set()
        self.tallies: set[int] = set()

    def _status(self, doubt: str | None) -> str:
        """A doubtful candidate's claim, and the fact it creates, is doubtful whoever stores it."""
        return "doubtful" if doubt else self.status

    @property
    def url(self) -> str | None:
        if self._url is None:
            found = select(Source.url).where(Source.id == self.source_id)
            self._url = (self.conn.execute(found).scalar(),)
        return self._url[0]

    @property
    def source(self) -> tuple[str | None, dt.date, str]:
        """The source's URL, published date and text hash (the order of its word)."""
        found = select(Source.published, Source.text_hash).where(Source.id == self.source_id)
        return (self.url, *self.conn.execute(found).one())

    def _claim(
        self,
        candidate: object,
        kind: str,
        a: str,
        b: str,
        category: str,
        count: Count,
        evidence: Evidence,
        doubt: str | None,
        **extra: object,
    ) -> None:
        manual = evidence.rule == "manual"
        self.claims.append(
            {
                "id": self.reuse.claim_id(candidate),
                "source_id": self.source_id,
                "kind": kind,
                "party_a_id": self.parties[a],
                "party_b_id": self.parties[b],
                "category": category,
                "count_low": count.low,
                "count_best": count.best,
                "count_high": count.high,
                "qualifier": count.qualifier,
                "claimant": evidence.claimant,
                "span_start": None if manual else evidence.start,
                "span_end": None if manual else evidence.end,
                "quote": evidence.quote or None,
                "method": "manual" if manual else f"rule:{evidence.rule}",
                "status": self._status(doubt),
                "doubt": doubt,
                "transfer_id": None,
                "capture_id": None,
                "period_start": None,
                "period_start_precision": None,
                "region": None,
                "mediators": None,
                **extra,
            }
        )
        self.count += 1

    def _near_exchanges(self, candidate: ExchangeCandidate) -> list[ExistingExchange]:
        rows = self.conn.execute(_NEAR_EXCHANGES, _date_params(candidate.date)).all()
        exchanges: dict[int, ExistingExchange] = {}
        transfers: dict[int, ExistingTransfer] = {}
        for row in rows:
            ex_id, date, precision, mediators, t_id, f, t, cat, status, *figures = row[:13]
            claim = Said(*row[13:])
            if ex_id not in exchanges:
                exchanges[ex_id] = ExistingExchange(ex_id, DateValue(date, precision), [])
                self.mediators[ex_id] = set((mediators or "").split())
            if t_id not in transfers:
                count = Count(*figures[:3])
                transfers[t_id] = ExistingTransfer(t_id, f, t, cat, count, frozenset(),
                                                   status == "doubtful")
                exchanges[ex_id].transfers.append(transfers[t_id])
                self.stored_claims[("transfer_id", t_id)] = []
                self.figures[t_id] = dict(zip(_FIGURES, (status, *figures), strict=True),
                                          category=cat, from_party_id=f, to_party_id=t)
            self.stored_claims[("transfer_id", t_id)].append(claim)
        for t_id, transfer in transfers.items():
            transfer.sources = frozenset(c[5] for c in self.stored_claims[("transfer_id", t_id)])
        return list(exchanges.values())

    def _exchange_id(self, candidate: ExchangeCandidate, existing: ExistingExchange | None) -> int:
        """The exchange to attach to: a new one, or the matched one (its date made more precise
        when this report dates it better)."""
        date = candidate.date
        named = {m for m in candidate.mediators if m in self.parties}
        if existing is None:
            new_id = self.conn.execute(
                _INSERT_EXCHANGE,
                [
                    {
                        "date": date.value,
                        "date_precision": date.precision,
                        "date_inferred": date.inferred,
                        "mediators": " ".join(sorted(named)) or None,
                    }
                ],
            ).scalar_one()
            self._link_mediators(new_id, named)
            return new_id
        if more_precise(date, existing.date):
            self.conn.execute(
                _REDATE_EXCHANGE,
                {"e_id": existing.id, "date": date.value, "date_precision": date.precision,
                 "date_inferred": date.inferred},
            )
            self.conn.execute(_REDATE_TRANSFERS, {"e_id": existing.id, "date": date.value})
        have = self.mediators.get(existing.id, set())
        if named - have:
            self._link_mediators(existing.id, named - have)
            self.conn.execute(
                _SET_MEDIATORS, {"e_id": existing.id, "mediators": " ".join(sorted(have | named))}
            )
        return existing.id

    def _unclaimed(self, link: str, fact_id: int | None) -> bool:
        """The fact exists and no live claim names it (its earlier claims were just cleared or
        set aside): a candidate restating one of them may take it over."""
        if fact_id is None:
            return False
        if link == "exchange_id":
            exists = select(Exchange.id).where(Exchange.id == fact_id)
            live = (select(Claim.id).join(Transfer, Transfer.id == Claim.transfer_id)
                    .where(Transfer.exchange_id == fact_id))
        else:
            model = Transfer if link == "transfer_id" else CaptureTally
            exists = select(model.id).where(model.id == fact_id)
            live = select(Claim.id).where(getattr(Claim, link) == fact_id)
        live = live.where(Claim.status.in_(LIVE)).limit(1)
        return (self.conn.execute(exists).first() is not None
                and self.conn.execute(live).first() is None)

    def _take_over_exchange(self, candidate: ExchangeCandidate) -> int | None:
        """The earlier exchange of this candidate's figures, re-dated as this report dates it."""
        for transfer in candidate.transfers:
            ex_id = self.reuse.exchange(transfer)
            if ex_id is None or ("exchange_id", ex_id) in self.reuse.taken:
                continue
            if not self._unclaimed("exchange_id", ex_id):
                continue
            self.reuse.taken.add(("exchange_id", ex_id))
            date = candidate.date
            named = {m for m in candidate.mediators if m in self.parties}
            self.conn.execute(
                _REDATE_EXCHANGE,
                {"e_id": ex_id, "date": date.value, "date_precision": date.precision,
                 "date_inferred": date.inferred},
            )
            self.conn.execute(_REDATE_TRANSFERS, {"e_id": ex_id, "date": date.value})
            self.conn.execute(ExchangeMediator.__table__.delete().where(
                ExchangeMediator.exchange_id == ex_id))
            self._link_mediators(ex_id, named)
            self.conn.execute(
                _SET_MEDIATORS, {"e_id": ex_id, "mediators": " ".join(sorted(named)) or None}
            )
            self.mediators[ex_id] = named
            return ex_id
        return None

    def _take_over_transfer(
        self, transfer: TransferCandidate, exchange_id: int
    ) -> ExistingTransfer | None:
        """The earlier transfer of this figure, when it is in the exchange the figure joins."""
        old = self.reuse.fact(transfer, "transfer_id")
        if not self._unclaimed("transfer_id", old):
            return None
        row = self.conn.execute(
            select(Transfer.exchange_id, Transfer.from_party_id, Transfer.to_party_id,
                   Transfer.category, *(getattr(Transfer, f) for f in _FIGURES))
            .where(Transfer.id == old)
        ).one()
        if row[0] != exchange_id:
            return None
        assert old is not None
        self.stored_claims[("transfer_id", old)] = []
        self.figures[old] = dict(zip(_FIGURES, row[4:], strict=True), category=row[3],
                                 from_party_id=row[1], to_party_id=row[2])
        return ExistingTransfer(old, row[1], row[2], row[3], Count(*row[5:8]), frozenset(),
                                row[4] == "doubtful")

    def _take_over_tally(self, c: CaptureCandidate) -> int | None:
        """The earlier tally of this figure, dated and placed as this report states it."""
        old = self.reuse.fact(c, "capture_id")
        if not self._unclaimed("capture_id", old):
            return None
        start = c.period_start
        self.conn.execute(
            update(CaptureTally).where(CaptureTally.id == old).values(
                as_of=c.as_of.value, as_of_precision=c.as_of.precision, region=c.region,
                period_start=start.value if start else None,
                period_start_precision=start.precision if start else None,
            )
        )
        self.attached_tallies.add(old)  # type: ignore[arg-type]
        return old

    def _link_mediators(self, exchange_id: int, codes: set[str]) -> None:
        if codes:
            self.conn.execute(
                _INSERT_MEDIATORS,
                [{"exchange_id": exchange_id, "party_id": self.parties[m]} for m in sorted(codes)],
            )

    def exchange(self, candidate: ExchangeCandidate) -> None:
        near = self._near_exchanges(candidate)
        if self.merge_as != -1:
            near = [e for e in near if e.id not in self.exchanges]
        existing = pick_exchange(candidate, near, self.parties, self.merge_as)
        taken = None if existing else self._take_over_exchange(candidate)
        exchange_id = taken or self._exchange_id(candidate, existing)
        known = existing.transfers if existing else []
        restated: list[ExistingTransfer] = []  # the target of each transfer, in order
        fresh: list[ExistingTransfer] = []  # new transfers, ids assigned by one insert
        for transfer in candidate.transfers:
            # extraction links an article's close figures of one way and kind: one transfer
            free = [k for k in known if all(k is not r for r in restated)]
            target = (restated[transfer.same_as] if transfer.same_as is not None
                      else pick_transfer(transfer, free, self.parties, self.merge_as))
            if target is None:
                target = self._take_over_transfer(transfer, exchange_id)
            if target is None:
                target = ExistingTransfer(
                    0,
                    self.parties[transfer.from_party],
                    self.parties[transfer.to_party],
                    transfer.category,
                    transfer.count,
                    frozenset(),
                    doubtful=bool(transfer.doubt),
                )
                fresh.append(target)
            restated.append(target)
        self._insert_transfers(exchange_id, candidate.date, fresh)
        self.exchanges.add(exchange_id)
        for target in restated:  # gained a claim besides the one it was created with
            if not any(target is f for f in fresh) or sum(t is target for t in restated) > 1:
                self.attached_transfers.add(target.id)
        date = candidate.date
        for transfer, target in zip(candidate.transfers, restated):
            self._claim(
                transfer,
                "transfer",
                transfer.from_party,
                transfer.to_party,
                transfer.category,
                transfer.count,
                transfer.evidence,
                transfer.doubt,
                date=date.value,
                date_precision=date.precision,
                date_inferred=date.inferred,
                transfer_id=target.id,
                mediators=" ".join(candidate.mediators) or None,
            )

    def _insert_transfers(
        self, exchange_id: int, date: DateValue, fresh: list[ExistingTransfer]
    ) -> None:
        if not fresh:
            return
        rows = [
            {
                "exchange_id": exchange_id,
                "from_party_id": t.from_party_id,
                "to_party_id": t.to_party_id,
                "category": t.category,
                "count_low": t.count.low,
                "count_best": t.count.best,
                "count_high": t.count.high,
                "qualifier": t.count.qualifier,
                "status": "doubtful" if t.doubtful else self.status,
                "date": date.value,
                "source_count": 1,
                "source_urls": self.url,
            }
            for t in fresh
        ]
        ids = self.conn.execute(_INSERT_TRANSFERS, rows).scalars().all()
        for target, new_id, row in zip(fresh, ids, rows, strict=True):
            target.id = new_id
            self.figures[new_id] = {k: row[k] for k in (*_FIGURES, "category", "from_party_id",
                                                         "to_party_id")}

    def capture(self, c: CaptureCandidate) -> None:
        window = _date_params(c.as_of)
        if c.as_of.inferred:  # it may restate a tally dated up to a month before
            window["lo"] = min(window["lo"], c.as_of.value - RESTATED_WITHIN)
        rows = self.conn.execute(
            _NEAR_TALLIES,
            {
                **window,
                "captor": self.parties[c.captor],
                "captive": self.parties[c.captive],
                "kind": c.kind,
            },
        ).all()
        if self.merge_as != -1:
            rows = [r for r in rows if r[0] not in self.tallies]
        tally_id = pick_tally(c, [StoredTally(*r[:8]) for r in rows], self.merge_as)
        if tally_id is None and (tally_id := self._take_over_tally(c)) is not None:
            self.stored_claims[("capture_id", tally_id)] = []
        elif tally_id is not None:
            self.stored_claims[("capture_id", tally_id)] = [
                Said(*row[13:]) for row in rows if row[0] == tally_id
            ]
        start = c.period_start
        if tally_id is None:
            tally_id = self.conn.execute(
                _INSERT_TALLY,
                [
                    {
                        "captor_id": self.parties[c.captor],
                        "captive_id": self.parties[c.captive],
                        "category": c.category,
                        "kind": c.kind,
                        "count_low": c.count.low,
                        "count_best": c.count.best,
                        "count_high": c.count.high,
                        "qualifier": c.count.qualifier,
                        "as_of": c.as_of.value,
                        "as_of_precision": c.as_of.precision,
                        "region": c.region,
                        "status": self._status(c.doubt),
                        "period_start": start.value if start else None,
                        "period_start_precision": start.precision if start else None,
                    }
                ],
            ).scalar_one()
        else:
            self.attached_tallies.add(tally_id)
        self.tallies.add(tally_id)
        self._claim(
            c,
            c.kind,
            c.captor,
            c.captive,
            c.category,
            c.count,
            c.evidence,
            c.doubt,
            date=c.as_of.value,
            date_precision=c.as_of.precision,
            date_inferred=c.as_of.inferred,
            region=c.region,
            capture_id=tally_id,
            period_start=start.value if start else None,
            period_start_precision=start.precision if start else None,
        )

    def flush(self) -> None:
        """Write the claims in one batch, then re-derive the facts that gained a claim from
        their stored claims (read with them) and the new ones."""
        for kept in (True, False):  # claims keeping an earlier id, then new ones
            batch = [c for c in self.claims if (c["id"] is not None) == kept]
            if not kept:
                batch = [{k: v for k, v in c.items() if k != "id"} for c in batch]
            if batch:
                self.conn.execute(_INSERT_CLAIMS, batch)
        said_of_source = self.source[1:] if self.attached_transfers or self.attached_tallies else ()
        for model, link, ids in (
            (Transfer, "transfer_id", self.attached_transfers),
            (CaptureTally, "capture_id", self.attached_tallies),
        ):
            by_target = {i: list(self.stored_claims.get((link, i), ())) for i in ids}
            for order, c in enumerate(self.claims):
                if c[link] in by_target:
                    by_target[c[link]].append(Said(
                        c["status"], c["count_low"], c["count_best"], c["count_high"],
                        c["qualifier"], self.source_id, self.url, False,
                        c["category"], c["party_a_id"], c["party_b_id"],
                        c["id"] or MAX_ID + 1 + order, NEWEST, c["date"], c["date_precision"],
                        *said_of_source, c["span_start"],
                    ))
            _derive(self.conn, model, by_target, self.figures if model is Transfer else None)


def _word(counted: Sequence[Said]) -> Said:
    """The claim whose reading names the fact: the latest a person corrected, else the report
    of the earliest published source (then by text hash and place in the text: content, never
    arrival). A correction outranks every report's reading; reports do not outvote it."""
    people = [r for r in counted if r.person]
    if people:
        return max(people, key=lambda r: (r.changed, r.id))
    return min(counted, key=_first_word)


def _first_word(r: Said) -> tuple:
    return r.published, r.text_hash, r.start if r.start is not None else -1, r.id


def _consensus(
    rows: Sequence[Said], model: type[Transfer] | type[CaptureTally]
) -> dict[str, object]:
    """The derived figure of one transfer or tally from its claims: accepted ones if any, else
    pending; the spread of low/high; the best most reported (among the corrected claims, when a
    person corrected one); the category and parties of the deciding claim (``_word``); a
    tally's date where a person corrected it; for transfers the number of sources and URLs."""
    accepted = [r for r in rows if r.status == "accepted"]
    counted = accepted or [r for r in rows if r.status == "pending"]
    status = "accepted" if accepted else "pending"
    if not counted:  # only doubtful claims: their figure, counted nowhere
        counted, status = [r for r in rows if r.status == "doubtful"], "doubtful"
    if not counted:
        return {"status": "rejected"}
    voters = [r for r in counted if r.person] or counted
    votes = Counter(r.best for r in voters)
    word = _word(counted)
    best = max(votes, key=lambda b: (votes[b], word.person and b == word.best, b))
    highs = [r.high for r in counted]
    qualifiers = {r.qualifier for r in voters if r.best == best}
    derived: dict[str, object] = {
        "status": status,
        "count_low": min(r.low for r in counted),
        "count_best": best,
        "count_high": None if None in highs else max(highs),
        "qualifier": qualifiers.pop() if len(qualifiers) == 1 else "exact",
        "category": word.category,
    }
    if model is Transfer:
        live = [r for r in rows if r.status in ("pending", "accepted")] or counted
        derived["from_party_id"], derived["to_party_id"] = word.a, word.b
        derived["source_count"] = len({r.source_id for r in live})
        derived["source_urls"] = " ".join(sorted({r.url for r in live if r.url})) or None
    else:
        derived["captor_id"], derived["captive_id"] = word.a, word.b
        if word.person:
            derived["as_of"], derived["as_of_precision"] = word.date, word.precision
    return derived


# Facts re-derived per query: an id list stays far below PostgreSQL's 65,535 parameters.
RECOMPUTE_BATCH = 10_000


def recompute(
    conn: Connection | Session, transfer_ids: Iterable[int], tally_ids: Iterable[int]
) -> None:
    """Bring the figures of the given transfers and tallies in step with their claims: one
    query for the claims, one batched update per shape of change."""
    conn = conn.connection() if isinstance(conn, Session) else conn  # Core executemany
    for model, all_ids in ((Transfer, set(transfer_ids)), (CaptureTally, set(tally_ids))):
        ordered = sorted(all_ids)
        for start in range(0, len(ordered), RECOMPUTE_BATCH):  # a corpus-wide review: in parts
            ids = ordered[start:start + RECOMPUTE_BATCH]
            by_target: dict[int, list[Said]] = {i: [] for i in ids}
            for row in conn.execute(_CLAIMS_OF[model], {"ids": ids}):
                by_target[row[0]].append(Said(*row[1:]))
            _derive(conn, model, by_target)
            if model is Transfer:
                redate_by_people(conn, ids)



# The dates people gave the claims of the exchanges of some transfers, deciding tier first
# (accepted, then pending), the latest change first.
_PEOPLE_DATES = text("""
SELECT t.exchange_id, c.date, c.date_precision, e.date, e.date_precision
FROM claims c JOIN transfers t ON t.id = c.transfer_id JOIN exchanges e ON e.id = t.exchange_id
WHERE t.exchange_id IN (SELECT exchange_id FROM transfers WHERE id IN :ids)
  AND c.edited AND c.status IN ('pending', 'accepted')
ORDER BY t.exchange_id, CASE WHEN c.status = 'accepted' THEN 0 ELSE 1 END,
         c.updated_at DESC, c.id DESC
""").bindparams(bindparam("ids", expanding=True)).columns(
    column("exchange_id", Integer), column("day", Date), column("precision", String),
    column("now", Date), column("now_precision", String))


def redate_by_people(conn: Connection, transfer_ids: Iterable[int]) -> None:
    """An exchange is dated as the person who last corrected one of its claims' dates says;
    otherwise as its reports dated it when they merged."""
    ids = list(transfer_ids)
    if not ids:
        return
    seen: set[int] = set()
    for ex_id, day, precision, now, now_precision in conn.execute(_PEOPLE_DATES, {"ids": ids}):
        if ex_id in seen:
            continue
        seen.add(ex_id)
        if (day, precision) != (now, now_precision):
            conn.execute(_REDATE_EXCHANGE, {"e_id": ex_id, "date": day,
                                            "date_precision": precision, "date_inferred": False})
            conn.execute(_REDATE_TRANSFERS, {"e_id": ex_id, "date": day})


def redate_exchange(conn: Connection | Session, exchange_id: int, date: dt.date,
                    precision: str, inferred: bool) -> None:
    """Date an exchange and its transfers (a swap happens on one day)."""
    conn.execute(_REDATE_EXCHANGE, {"e_id": exchange_id, "date": date,
                                    "date_precision": precision, "date_inferred": inferred})
    conn.execute(_REDATE_TRANSFERS, {"e_id": exchange_id, "date": date})


def join_duplicates(session: Session, transfer_ids: Iterable[int],
                    tally_ids: Iterable[int], why: str) -> dict[str, dict[int, int]]:
    """After a correction changed the parties, category or date of some facts: a fact now the
    same as another (a transfer of the same parties and category in the same exchange, a tally
    of the same parties, kind, category and date) is one fact. The older id survives, the
    other's claims move to it, and the other id is retired pointing at it."""
    merged: dict[str, dict[int, int]] = {"transfer": {}, "capture": {}}
    t_ids, c_ids = list(transfer_ids), list(tally_ids)
    for kind, model, link, ids, same in (
        ("transfer", Transfer, Claim.transfer_id, t_ids,
         (Transfer.exchange_id, Transfer.from_party_id, Transfer.to_party_id, Transfer.category)),
        ("capture", CaptureTally, Claim.capture_id, c_ids,
         (CaptureTally.captor_id, CaptureTally.captive_id, CaptureTally.kind,
          CaptureTally.category, CaptureTally.as_of)),
    ):
        if not ids:
            continue
        keys = session.execute(select(*same).where(model.id.in_(ids))).all()
        for key in set(keys):
            twins = sorted(session.scalars(select(model.id).where(
                *(col == value for col, value in zip(same, key, strict=True)),
                model.status != "rejected")))
            for gone in twins[1:]:
                session.execute(update(Claim).where(link == gone).values({link.key: twins[0]}))
                merged[kind][gone] = twins[0]
        if merged[kind]:
            keep = set(merged[kind].values())
            recompute(session, *((keep, ()) if kind == "transfer" else ((), keep)))
            session.execute(model.__table__.delete().where(model.id.in_(merged[kind])))
            retire(session, kind, dict(merged[kind]), why)
    return merged


_FIGURES = ("status", "count_low", "count_best", "count_high", "qualifier")


def _derive(
    conn: Connection,
    model: type[Transfer] | type[CaptureTally],
    by_target: dict[int, list],
    stored: dict[int, dict[str, object]] | None = None,
) -> None:
    """Write each target's figures derived from its claims: one statement per shape of change.

    With the ``stored`` figures of the targets, only the columns that change are written (the
    per-day sums are kept by triggers on the figures: a new source that agrees fires none)."""
    changes: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for target, rows in by_target.items():
        values = _consensus(rows, model)
        if stored and target in stored:
            before = stored[target]
            values = {k: v for k, v in values.items() if k not in before or before[k] != v}
            if not values:
                continue
        changes.setdefault(tuple(values), []).append({"target_id": target, **values})
    for columns, batch in changes.items():
        if conn.dialect.name != "postgresql":
            conn.execute(_UPDATE_BY_ID[model], batch)
            continue
        for start in range(0, len(batch), SET_ROWS):
            _update_set(conn, model, columns, batch[start:start + SET_ROWS])


SET_ROWS = 50_000  # rows of one UPDATE ... FROM unnest(arrays)


def _update_set(conn: Connection, model: type[Transfer] | type[CaptureTally],
                columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    """One UPDATE for many rows (PostgreSQL), each column's values passed as one array: the
    statement triggers that keep the per-day sums then run once, where one UPDATE per row ran
    them once per row."""
    table = model.__table__
    names = ("target_id", *columns)
    types = ["BIGINT", *(table.c[c].type.compile(conn.dialect) for c in columns)]
    arrays = ", ".join(f"CAST(:{c} AS {t}[])" for c, t in zip(names, types, strict=True))
    sets = ", ".join(f"{c} = v.{c}" for c in columns)
    conn.execute(text(f"UPDATE {table.name} SET {sets} FROM unnest({arrays}) "
                      f"AS v({', '.join(names)}) WHERE {table.name}.id = v.target_id"),
                 {c: [row[c] for row in rows] for c in names})


def _claims_of(link: Any) -> Select:
    return (
        select(link, Claim.status, Claim.count_low, Claim.count_best, Claim.count_high,
               Claim.qualifier, Claim.source_id, Source.url,
               Claim.edited, Claim.category,
               Claim.party_a_id, Claim.party_b_id, Claim.id, Claim.updated_at, Claim.date,
               Claim.date_precision, Source.published, Source.text_hash, Claim.span_start)
        .join(Source, Source.id == Claim.source_id)
        .where(link.in_(bindparam("ids", expanding=True)))
    )


_CLAIMS_OF = {Transfer: _claims_of(Claim.transfer_id), CaptureTally: _claims_of(Claim.capture_id)}
_UPDATE_BY_ID = {
    model: update(model).where(model.id == bindparam("target_id"))
    for model in (Transfer, CaptureTally)
}


@dataclass(frozen=True)
class Decided:
    """A claim a person decided on: a candidate with the same parties and the same figure, or
    stated at an overlapping place in the text, is that claim again."""

    kind: str
    a: int
    b: int
    best: int
    date: dt.date
    start: int | None
    end: int | None

    def covers(self, kind: str, a: int, b: int, best: int, date: dt.date, ev: Evidence) -> bool:
        if (kind, a, b) != (self.kind, self.a, self.b):
            return False
        same_place = (
            self.start is not None
            and self.end is not None
            and (ev.start < self.end and self.start < ev.end)
        )
        return same_place or (best, date) == (self.best, self.date)


def human_decisions(session: Session, source_id: int) -> list[Decided]:
    """The claims of a source that a person decided on (accepted, rejected, edited or entered
    by hand): re-extraction must not write them again."""
    rows = session.execute(
        select(
            Claim.kind,
            Claim.party_a_id,
            Claim.party_b_id,
            Claim.count_best,
            Claim.date,
            Claim.span_start,
            Claim.span_end,
        ).where(
            Claim.source_id == source_id,
            or_(Claim.status.not_in(MACHINE_STATES), Claim.edited.is_(True),
                Claim.method == "manual"),
        )
    ).all()
    return [Decided(*row) for row in rows]


_MACHINE_MADE = (Claim.status.in_(MACHINE_STATES), Claim.edited.is_(False),
                 Claim.method != "manual")


def machine_claims(session: Session, source_id: int) -> list[Earlier]:
    """A source's undecided, unedited rule-made claims: what re-extraction replaces."""
    return earlier_claims(session, (Claim.source_id == source_id, *_MACHINE_MADE))


def clear_machine_claims(session: Session, source_id: int) -> tuple[set[int], set[int]]:
    """Remove a source's undecided, unedited rule-made claims; returns the transfers and tallies
    they belonged to (kept until ``settle``: the new reading may take them over)."""
    doomed = (Claim.source_id == source_id, *_MACHINE_MADE)
    touched = session.execute(select(Claim.transfer_id, Claim.capture_id).where(*doomed)).all()
    session.execute(Claim.__table__.delete().where(*doomed))
    transfers = {t for t, _ in touched if t}
    tallies = {c for _, c in touched if c}
    recompute(session, transfers, tallies)
    regroup(session, exchanges_of(session, transfers), tallies)
    return transfers, tallies


def settle(
    session: Session, earlier: Sequence[Earlier], transfers: set[int], tallies: set[int],
    reason: str,
) -> None:
    """After a source was read again: remove the facts left with no claim and retire every id
    that no longer names a record, pointing it at what its figure became."""
    now = {row[0]: row[1:] for row in session.execute(
        select(Claim.id, Claim.transfer_id, Claim.capture_id, Transfer.exchange_id)
        .outerjoin(Transfer, Transfer.id == Claim.transfer_id)
        .where(Claim.id.in_([e.id for e in earlier]))
    )}
    gone_transfers, gone_tallies, gone_exchanges = _drop_orphans(session, transfers, tallies)
    into: dict[str, dict[int, int | None]] = {"transfer": {}, "capture": {}, "exchange": {}}
    for e in earlier:
        after = now.get(e.id)
        for kind, old, gone, new in (
            ("transfer", e.transfer_id, gone_transfers, after and after[0]),
            ("capture", e.capture_id, gone_tallies, after and after[1]),
            ("exchange", e.exchange_id, gone_exchanges, after and after[2]),
        ):
            if old in gone and (into[kind].get(old) is None):
                into[kind][old] = new or None
    retire(session, "claim", {e.id: None for e in earlier if e.id not in now}, reason)
    for kind, ids in into.items():
        retire(session, kind, ids, reason)


def _drop_orphans(
    session: Session, transfers: set[int], tallies: set[int]
) -> tuple[set[int], set[int], set[int]]:
    """Delete the given transfers and tallies that have no claim, and the exchanges left with no
    transfer; returns the ids deleted (transfers, tallies, exchanges)."""
    has_claim = select(Claim.id).where(Claim.transfer_id == Transfer.id).exists()
    orphans = set(session.scalars(
        select(Transfer.id).where(Transfer.id.in_(transfers), ~has_claim)))
    exchanges = set(
        session.scalars(select(Transfer.exchange_id).where(Transfer.id.in_(orphans)))
    )
    session.execute(Transfer.__table__.delete().where(Transfer.id.in_(orphans)))
    has_tally_claim = select(Claim.id).where(Claim.capture_id == CaptureTally.id).exists()
    lone_tallies = set(session.scalars(
        select(CaptureTally.id).where(CaptureTally.id.in_(tallies), ~has_tally_claim)))
    session.execute(CaptureTally.__table__.delete().where(CaptureTally.id.in_(lone_tallies)))
    empty = select(Transfer.id).where(Transfer.exchange_id == Exchange.id).exists()
    gone = set(session.scalars(select(Exchange.id).where(Exchange.id.in_(exchanges), ~empty)))
    session.execute(
        ExchangeMediator.__table__.delete().where(ExchangeMediator.exchange_id.in_(gone))
    )
    session.execute(Exchange.__table__.delete().where(Exchange.id.in_(gone)))
    return orphans, lone_tallies, gone


def without_decided(
    found: Extraction, decided: list[Decided], parties: dict[str, int]
) -> Extraction:
    """Drop candidates a person already decided on."""

    def known(kind: str, a: str, b: str, best: int, date: dt.date, ev: Evidence) -> bool:
        return any(d.covers(kind, parties[a], parties[b], best, date, ev) for d in decided)

    exchanges = []
    for ex in found.exchanges:
        kept = [
            t
            for t in ex.transfers
            if not known(
                "transfer", t.from_party, t.to_party, t.count.best, ex.date.value, t.evidence
            )
        ]
        if kept:
            exchanges.append(replace(ex, transfers=kept))
    captures = [
        c
        for c in found.captures
        if not known(c.kind, c.captor, c.captive, c.count.best, c.as_of.value, c.evidence)
    ]
    return Extraction(exchanges, captures)


# Regrouping: the exchanges, transfers and tallies of a neighbourhood rebuilt from its claims.
# The neighbourhood of some facts is every fact whose live claims lie on a date compatible with
# one of theirs, transitively: nothing outside it could join anything inside, so the grouping
# there is the grouping the whole set of claims gives, whatever order the claims came in.

_UNIT_COLUMNS = (column("fact", Integer), column("part", Integer), column("inferred", Boolean),
                 column("extra", String), *_said_columns("c_"))
# each claim row also carries its fact as stored, so that only what changes is written
_EXCHANGE_CLAIMS = text(f"""
SELECT t.exchange_id, c.transfer_id, c.date_inferred, c.mediators, {_SAID},
       e.date, e.date_precision, e.date_inferred, e.mediators, t.date
FROM claims c JOIN transfers t ON t.id = c.transfer_id JOIN exchanges e ON e.id = t.exchange_id
JOIN sources s ON s.id = c.source_id
WHERE t.exchange_id IN :ids AND c.status <> 'rejected'
""").bindparams(bindparam("ids", expanding=True)).columns(
    *_UNIT_COLUMNS, column("e_date", Date), column("e_precision", String),
    column("e_inferred", Boolean), column("e_mediators", String), column("t_date", Date))
_TALLY_CLAIMS = text(f"""
SELECT c.capture_id, c.capture_id, c.date_inferred, c.region, {_SAID},
       ct.as_of, ct.as_of_precision, ct.region, ct.period_start, ct.period_start_precision,
       c.period_start, c.period_start_precision, ct.kind
FROM claims c JOIN capture_tallies ct ON ct.id = c.capture_id JOIN sources s ON s.id = c.source_id
WHERE c.capture_id IN :ids AND c.status <> 'rejected'
""").bindparams(bindparam("ids", expanding=True)).columns(
    *_UNIT_COLUMNS, column("ct_as_of", Date), column("ct_precision", String),
    column("ct_region", String), column("ct_start", Date), column("ct_start_precision", String),
    column("start", Date), column("start_precision", String), column("kind", String))
_DATED_EXCHANGES = text(f"""
SELECT DISTINCT t.exchange_id, c.date, c.date_precision
FROM claims c JOIN transfers t ON t.id = c.transfer_id
WHERE {_DATE_OK.format(col="c.date")} AND c.status <> 'rejected'
""").columns(column("fact", Integer), column("day", Date), column("precision", String))
_DATED_TALLIES = text(f"""
SELECT DISTINCT ct.id, c.date, c.date_precision
FROM claims c JOIN capture_tallies ct ON ct.id = c.capture_id
WHERE {_DATE_OK.format(col="c.date")} AND c.status <> 'rejected'
  AND ct.captor_id = :captor AND ct.captive_id = :captive AND ct.kind = :kind
""").columns(column("fact", Integer), column("day", Date), column("precision", String))
_MOVE_CLAIM = {
    "transfer": text("UPDATE claims SET transfer_id = :into WHERE id = :claim"),
    "capture": text("UPDATE claims SET capture_id = :into WHERE id = :claim"),
}
_MOVE_ALL = {
    "transfer": text("UPDATE claims SET transfer_id = :into WHERE transfer_id = :old"),
    "capture": text("UPDATE claims SET capture_id = :into WHERE capture_id = :old"),
}


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """Ids in parts that stay far below PostgreSQL's 65,535 parameters."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), RECOMPUTE_BATCH):
        yield ordered[start:start + RECOMPUTE_BATCH]


def exchanges_of(db: Db, transfer_ids: Iterable[int]) -> set[int]:
    """The exchanges of some transfers."""
    return {e for ids in _batches(transfer_ids) for e in db.execute(
        select(Transfer.exchange_id).where(Transfer.id.in_(ids))).scalars()}


def regroup(db: Db, exchange_ids: Iterable[int], tally_ids: Iterable[int]) -> None:
    """Rebuild the facts of the neighbourhood of these exchanges and tallies from its claims
    (``merge.cluster_exchanges``, ``merge.cluster_tallies``) and write what changed: claims
    moved, facts created, emptied facts removed, their ids retired into what took them over."""
    conn = db.connection() if isinstance(db, Session) else db
    parties = {code: pid for pid, code in conn.execute(select(Party.id, Party.code))}
    if exchange_ids:
        rows = _neighbourhood(conn, set(exchange_ids), _EXCHANGE_CLAIMS, _DATED_EXCHANGES, {})
        clusters = cluster_exchanges(_units(rows), _figure, parties.values())
        _write_exchanges(conn, clusters, rows, parties)
    groups: dict[tuple[int, int, str], set[int]] = {}
    for ids in _batches(tally_ids):
        for tally, *group in conn.execute(
                select(CaptureTally.id, CaptureTally.captor_id, CaptureTally.captive_id,
                       CaptureTally.kind).where(CaptureTally.id.in_(ids))):
            groups.setdefault(tuple(group), set()).add(tally)  # type: ignore[arg-type]
    for (captor, captive, kind), seeds in sorted(groups.items()):
        group = {"captor": captor, "captive": captive, "kind": kind}
        rows = _neighbourhood(conn, seeds, _TALLY_CLAIMS, _DATED_TALLIES, group)
        _write_tallies(conn, cluster_tallies(_units(rows), _figure, kind), rows)


def _neighbourhood(conn: Connection, seeds: set[int], claims: Any, dated: Any,
                   group: dict[str, object]) -> dict[int, list]:
    """The live claims of every fact reachable from ``seeds`` by compatible claim dates (a
    tally also by a restatement up to a month apart), by fact."""
    by_fact: dict[int, list] = {}
    frontier, seen_dates = set(seeds), set()
    while frontier:
        fresh = sorted(frontier - by_fact.keys())
        for ids in _batches(fresh):
            for row in conn.execute(claims, {"ids": ids}):
                by_fact.setdefault(row.fact, []).append(row)
        dates = {(r.c_date, r.c_precision) for f in fresh for r in by_fact.get(f, ())}
        frontier = set()
        for day, precision in dates - seen_dates:
            d = DateValue(day, precision)
            window = _date_params(d)
            if group:  # tallies: an undated restatement may lie a month either way
                window["lo"] -= RESTATED_WITHIN
                window["hi"] += RESTATED_WITHIN
            for fact, other, other_precision in conn.execute(dated, {**window, **group}):
                o = DateValue(other, other_precision)
                restated = bool(group) and abs((d.value - o.value).days) <= RESTATED_WITHIN.days
                if fact not in by_fact and (date_relation(d, o) or restated):
                    frontier.add(fact)
        seen_dates |= dates
    return by_fact


_RANK = {"day": 0, "month": 1, "year": 2}


def _units(by_fact: dict[int, list]) -> list[Unit]:
    """One unit per source and fact; one piece per transfer of it; keys of content only."""
    grouped: dict[tuple[int, int], dict[int, list]] = {}
    for fact, rows in by_fact.items():
        for row in rows:
            grouped.setdefault((fact, row.c_source_id), {}).setdefault(row.part, []).append(row)
    units = []
    for (_, source_id), parts in grouped.items():
        pieces = sorted((Piece(tuple(_said(r) for r in rows), _piece_key(rows))
                         for rows in parts.values()), key=lambda p: p.key)
        everything = [r for rows in parts.values() for r in rows]
        said = _word([_said(r) for r in everything])
        inferred = next(r.inferred for r in everything if r.c_id == said.id)
        date = DateValue(said.date, said.precision, bool(inferred))  # type: ignore[arg-type]
        first = min(r.c_start if r.c_start is not None else -1 for r in everything)
        key = (date.value, _RANK[date.precision], date.inferred, tuple(p.key for p in pieces),
               said.published, said.text_hash, first)
        units.append(Unit(source_id, date, key, tuple(pieces)))
    return units


def _said(row: Any) -> Said:
    return Said(*row[4:4 + len(Said._fields)])


def _piece_key(rows: Sequence) -> tuple:
    return tuple(sorted((r.c_a, r.c_b, r.c_category, r.c_low, r.c_best,
                         MAX_ID if r.c_high is None else r.c_high, r.c_status,
                         r.c_start if r.c_start is not None else -1) for r in rows))


def _figure(claims: Sequence) -> Figure:
    d = _consensus(claims, Transfer)
    count = Count(d["count_low"], d["count_best"], d["count_high"], d["qualifier"])  # type: ignore[arg-type]
    return Figure(d["from_party_id"], d["to_party_id"], d["category"], count,  # type: ignore[arg-type]
                  d["status"] == "doubtful")


def _holders(clusters: Sequence[Cluster], fact_of: Any) -> dict[int, tuple[int, Any]]:
    """Each stored id's oldest claim, and where that claim went: (claim id, place)."""
    held: dict[int, tuple[int, Any]] = {}
    for ci, cluster in enumerate(clusters):
        for ti, pieces in enumerate(cluster.transfers):
            for piece in pieces:
                for claim in piece.claims:
                    for old, place in fact_of(claim, ci, ti):
                        if old not in held or claim.id < held[old][0]:
                            held[old] = (claim.id, place)
    return held


def _kept(held: dict[int, tuple[int, Any]]) -> dict[Any, int]:
    """The id each place keeps: the oldest of the ids whose oldest claim it holds."""
    kept: dict[Any, int] = {}
    for old, (_, place) in sorted(held.items()):
        kept.setdefault(place, old)
    return kept


def _write_exchanges(conn: Connection, clusters: list[Cluster], rows: dict[int, list],
                     parties: dict[str, int]) -> None:
    """Write the regrouped exchanges and transfers; only what changed is written, and only the
    transfers whose claims or date changed are derived again."""
    now = {r.c_id: (r.part, r.fact) for rs in rows.values() for r in rs}  # transfer, exchange
    stored = {r.fact: (r.e_date, r.e_precision, bool(r.e_inferred), r.e_mediators)
              for rs in rows.values() for r in rs}
    held_ex = _holders(clusters, lambda c, ci, ti: [(now[c.id][1], ci)])
    held_t = _holders(clusters, lambda c, ci, ti: [(now[c.id][0], (ci, ti))])
    keep_ex, keep_t = _kept(held_ex), _kept(held_t)
    mediators = _mediators_of(clusters, rows)
    final_ex: dict[int, int] = {}
    redated: set[int] = set()
    for ci, cluster in enumerate(clusters):
        named = {m for m in mediators.get(ci, set()) if m in parties}
        values = {"date": cluster.date.value, "date_precision": cluster.date.precision,
                  "date_inferred": cluster.date.inferred,
                  "mediators": " ".join(sorted(named)) or None}
        if ci in keep_ex:
            final_ex[ci] = keep_ex[ci]
            before = stored[keep_ex[ci]]
            if before == tuple(values.values()):
                continue
            conn.execute(update(Exchange).where(Exchange.id == keep_ex[ci]).values(values))
            if before[:3] != tuple(values.values())[:3]:
                redated.add(ci)
            if before[3] == values["mediators"]:
                continue
        else:
            final_ex[ci] = conn.execute(_INSERT_EXCHANGE, [values]).scalar_one()
        conn.execute(ExchangeMediator.__table__.delete().where(
            ExchangeMediator.exchange_id == final_ex[ci]))
        if named:
            conn.execute(_INSERT_MEDIATORS, [{"exchange_id": final_ex[ci], "party_id": parties[m]}
                                             for m in sorted(named)])
    final_t: dict[tuple[int, int], int] = {}
    moves, derive = [], set()
    for ci, cluster in enumerate(clusters):
        for ti, pieces in enumerate(cluster.transfers):
            place = (ci, ti)
            claims = [c for p in pieces for c in p.claims]
            if place in keep_t:
                final_t[place] = keep_t[place]
                moved_ex = any(now[c.id][0] == keep_t[place] and now[c.id][1] != final_ex[ci]
                               for c in claims)
                if moved_ex or ci in redated:
                    conn.execute(update(Transfer).where(Transfer.id == keep_t[place])
                                 .values(exchange_id=final_ex[ci], date=cluster.date.value))
                    derive.add(final_t[place])
            else:
                f = _figure(claims)
                final_t[place] = conn.execute(_INSERT_TRANSFERS, [{
                    "exchange_id": final_ex[ci], "from_party_id": f.from_party_id,
                    "to_party_id": f.to_party_id, "category": f.category,
                    "count_low": f.count.low, "count_best": f.count.best,
                    "count_high": f.count.high, "qualifier": f.count.qualifier,
                    "status": "doubtful" if f.doubtful else "pending",
                    "date": cluster.date.value, "source_count": 1,
                }]).scalar_one()
            move = [{"into": final_t[place], "claim": c.id} for c in claims
                    if now[c.id][0] != final_t[place]]
            if move or place not in keep_t:
                derive.add(final_t[place])
            moves += move
    if moves:
        conn.execute(_MOVE_CLAIM["transfer"], moves)
    lost = {now[m["claim"]][0] for m in moves}  # transfers a claim left
    gone_t = {old: final_t[place] for old, (_, place) in held_t.items()
              if keep_t.get(place) != old}
    gone_ex = {old: final_ex[ci] for old, (_, ci) in held_ex.items() if keep_ex.get(ci) != old}
    for old, into in gone_t.items():  # its rejected claims follow the figure
        conn.execute(_MOVE_ALL["transfer"], {"into": into, "old": old})
    for ids in _batches(gone_t):
        conn.execute(Transfer.__table__.delete().where(Transfer.id.in_(ids)))
    for old, into in gone_ex.items():  # transfers of rejected claims only follow it too
        conn.execute(update(Transfer).where(Transfer.exchange_id == old)
                     .values(exchange_id=into))
    for ids in _batches(gone_ex):
        conn.execute(ExchangeMediator.__table__.delete().where(
            ExchangeMediator.exchange_id.in_(ids)))
        conn.execute(Exchange.__table__.delete().where(Exchange.id.in_(ids)))
    retire(conn, "transfer", dict(gone_t), "regrouped")  # type: ignore[arg-type]
    retire(conn, "exchange", dict(gone_ex), "regrouped")  # type: ignore[arg-type]
    recompute(conn, derive | (lost - gone_t.keys()), ())


def _mediators_of(clusters: list[Cluster], rows: dict[int, list]) -> dict[int, set[str]]:
    """The mediators each cluster's claims name (codes)."""
    of_claim = {r.c_id: r.extra for rs in rows.values() for r in rs}
    return {ci: {m for ps in cl.transfers for p in ps for c in p.claims
                 for m in (of_claim.get(c.id) or "").split()}
            for ci, cl in enumerate(clusters)}


def _write_tallies(conn: Connection, clusters: list[Cluster], rows: dict[int, list]) -> None:
    """Write the regrouped tallies: dated and placed as their first unit states it."""
    now = {r.c_id: r for rs in rows.values() for r in rs}
    held = _holders(clusters, lambda c, ci, ti: [(now[c.id].fact, ci)])
    keep = _kept(held)
    final: dict[int, int] = {}
    moves, derive = [], set()
    for ci, cluster in enumerate(clusters):
        claims = [c for p in cluster.transfers[0] for c in p.claims]
        lead = now[min(cluster.units[0].pieces[0].claims, key=_first_word).id]
        values = {"as_of": cluster.date.value, "as_of_precision": cluster.date.precision,
                  "region": lead.extra, "period_start": lead.start,
                  "period_start_precision": lead.start_precision}
        if ci in keep:
            final[ci] = keep[ci]
            r = next(now[c.id] for c in claims if now[c.id].fact == keep[ci])
            if (r.ct_as_of, r.ct_precision, r.ct_region, r.ct_start,
                    r.ct_start_precision) != tuple(values.values()):
                conn.execute(update(CaptureTally).where(CaptureTally.id == keep[ci])
                             .values(values))
                derive.add(final[ci])  # a person's date outranks it again
        else:
            f = _figure(claims)
            final[ci] = conn.execute(_INSERT_TALLY, [{
                **values, "captor_id": f.from_party_id, "captive_id": f.to_party_id,
                "category": f.category, "kind": lead.kind, "count_low": f.count.low,
                "count_best": f.count.best, "count_high": f.count.high,
                "qualifier": f.count.qualifier,
                "status": "doubtful" if f.doubtful else "pending"}]).scalar_one()
            derive.add(final[ci])
        move = [{"into": final[ci], "claim": c.id} for c in claims if now[c.id].fact != final[ci]]
        if move:
            derive.add(final[ci])
        moves += move
    if moves:
        conn.execute(_MOVE_CLAIM["capture"], moves)
    lost = {now[m["claim"]].fact for m in moves}
    gone = {old: final[ci] for old, (_, ci) in held.items() if keep.get(ci) != old}
    for old, into in gone.items():
        conn.execute(_MOVE_ALL["capture"], {"into": into, "old": old})
    for ids in _batches(gone):
        conn.execute(CaptureTally.__table__.delete().where(CaptureTally.id.in_(ids)))
    retire(conn, "capture", dict(gone), "regrouped")  # type: ignore[arg-type]
    recompute(conn, (), derive | (lost - gone.keys()))
