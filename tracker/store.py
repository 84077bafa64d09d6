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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
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
)
from tracker.merge import (
    NEAR_DAYS,
    RESTATED_WITHIN,
    ExistingExchange,
    ExistingTransfer,
    period,
    pick_exchange,
    pick_tally,
    pick_transfer,
)
from tracker.models import (
    CaptureTally,
    Claim,
    Exchange,
    ExchangeMediator,
    Source,
    Transfer,
)

# Statuses no person has decided: re-extraction and new versions may replace such claims.
MACHINE_STATES = ("pending", "doubtful")


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


@dataclass
class Stored:
    """The outcome of storing one source: its id, what happened, how many claims it produced."""

    source_id: int
    status: str  # "imported", "new version", "unchanged"
    claims: int = 0
    url: str | None = None


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
            "extra": json.dumps(record.extra, ensure_ascii=False) if record.extra else None,
        },
    ).one()
    status = "new version" if version > 1 else "imported"
    if status == "new version":
        supersede(db, record.url or "", source_id)
    return Stored(source_id, status, url=record.url)


def known_hashes(db: Db, hashes: Iterable[str]) -> set[str]:
    """The text hashes among ``hashes`` that the database already has (one query)."""
    wanted = list(set(hashes))
    if not wanted:
        return set()
    return set(db.execute(select(Source.text_hash).where(Source.text_hash.in_(wanted))).scalars())


def supersede(session: Db, url: str, new_source_id: int) -> None:
    old_ids = select(Source.id).where(Source.url == url, Source.id != new_source_id)
    touched = session.execute(
        update(Claim)
        .where(
            Claim.source_id.in_(old_ids),
            Claim.status.in_(MACHINE_STATES),
            Claim.method != "manual",
            Claim.edited.is_(False),
        )
        .values(status="rejected", note=f"superseded by source {new_source_id}")
        .returning(Claim.transfer_id, Claim.capture_id)
    ).all()
    recompute(session, [t for t, _ in touched if t], [c for _, c in touched if c])


def store_extraction(
    db: Db,
    source_id: int,
    found: Extraction,
    parties: dict[str, int],
    *,
    status: str = "pending",
    same_source: bool = False,
    url: str | None = None,
) -> int:
    """Store every candidate of one source as claims, merged into exchanges and tallies.

    Candidates of one source are not merged with each other's exchanges unless ``same_source``
    (manual entry: a person confirming or correcting a figure of a source already read).
    New transfers and tallies are written with their derived figures; only those that gained a
    claim from another report are recomputed."""
    writer = _Writer(db, source_id, parties, status, -1 if same_source else source_id, url)
    for exchange in found.exchanges:
        writer.exchange(exchange)
    for capture in found.captures:
        writer.capture(capture)
    writer.flush()
    return writer.count


# Reports of the same fact lie on compatible dates: within NEAR_DAYS of the candidate's period,
# or on the first day of its month or year (where coarser dates are stored). Plain SQL with
# typed result columns: built once, no expression building per article.
_DATE_OK = "({col} BETWEEN :lo AND :hi OR {col} IN (:month_first, :year_first))"
# Each row also carries one live claim's figures, from which a transfer or tally that gains a
# claim is re-derived without reading its claims again.
_NEAR_EXCHANGES = text(f"""
SELECT e.id, e.date, e.date_precision, e.mediators, t.id, t.from_party_id, t.to_party_id,
       t.category, t.status, t.count_low, t.count_best, t.count_high, t.qualifier,
       c.status, c.count_low, c.count_best, c.count_high, c.qualifier, c.source_id, s.url
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
    *(column(n, String) for n in ("qualifier", "c_status")),
    *(column(n, Integer) for n in ("c_low", "c_best", "c_high")),
    column("c_qualifier", String),
    column("source_id", Integer),
    column("url", String),
)
_NEAR_TALLIES = text(f"""
SELECT ct.id, ct.category, ct.as_of, ct.as_of_precision, ct.count_low, ct.count_best,
       ct.count_high, c.source_id, c.status, c.count_low, c.count_best, c.count_high, c.qualifier
FROM capture_tallies ct JOIN claims c ON c.capture_id = ct.id
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
    ) -> None:
        self.conn = db.connection() if isinstance(db, Session) else db
        self.source_id, self.parties, self.status = source_id, parties, status
        self.merge_as = merge_as
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

    def _status(self, doubt: str | None) -> str:
        """A doubtful candidate's claim, and the fact it creates, is doubtful whoever stores it."""
        return "doubtful" if doubt else self.status

    @property
    def url(self) -> str | None:
        if self._url is None:
            found = select(Source.url).where(Source.id == self.source_id)
            self._url = (self.conn.execute(found).scalar(),)
        return self._url[0]

    def _claim(
        self,
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
            claim = row[13:]  # status, low, best, high, qualifier, source id, url
            if ex_id not in exchanges:
                exchanges[ex_id] = ExistingExchange(ex_id, DateValue(date, precision), [])
                self.mediators[ex_id] = set((mediators or "").split())
            if t_id not in transfers:
                count = Count(*figures[:3])
                transfers[t_id] = ExistingTransfer(t_id, f, t, cat, count, frozenset(),
                                                   status == "doubtful")
                exchanges[ex_id].transfers.append(transfers[t_id])
                self.stored_claims[("transfer_id", t_id)] = []
                self.figures[t_id] = dict(zip(_FIGURES, (status, *figures), strict=True))
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
        if _more_precise(date, existing.date):
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

    def _link_mediators(self, exchange_id: int, codes: set[str]) -> None:
        if codes:
            self.conn.execute(
                _INSERT_MEDIATORS,
                [{"exchange_id": exchange_id, "party_id": self.parties[m]} for m in sorted(codes)],
            )

    def exchange(self, candidate: ExchangeCandidate) -> None:
        existing = pick_exchange(
            candidate, self._near_exchanges(candidate), self.parties, self.merge_as
        )
        exchange_id = self._exchange_id(candidate, existing)
        known = existing.transfers if existing else []
        restated: list[ExistingTransfer] = []  # the target of each transfer, in order
        fresh: list[ExistingTransfer] = []  # new transfers, ids assigned by one insert
        for transfer in candidate.transfers:
            # extraction links an article's close figures of one way and kind: one transfer
            target = (restated[transfer.same_as] if transfer.same_as is not None
                      else pick_transfer(transfer, known, self.parties, self.merge_as))
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
        for target in restated:  # gained a claim besides the one it was created with
            if not any(target is f for f in fresh) or sum(t is target for t in restated) > 1:
                self.attached_transfers.add(target.id)
        date = candidate.date
        for transfer, target in zip(candidate.transfers, restated):
            self._claim(
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
            self.figures[new_id] = {k: row[k] for k in _FIGURES}

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
        tally_id = pick_tally(c, rows, self.merge_as)
        if tally_id is not None:
            self.stored_claims[("capture_id", tally_id)] = [
                (*row[8:13], row[7], None) for row in rows if row[0] == tally_id
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
        self._claim(
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
        if self.claims:
            self.conn.execute(_INSERT_CLAIMS, self.claims)
        for model, link, ids in (
            (Transfer, "transfer_id", self.attached_transfers),
            (CaptureTally, "capture_id", self.attached_tallies),
        ):
            by_target = {i: list(self.stored_claims.get((link, i), ())) for i in ids}
            for c in self.claims:
                if c[link] in by_target:
                    by_target[c[link]].append(
                        (c["status"], c["count_low"], c["count_best"], c["count_high"],
                         c["qualifier"], self.source_id, self.url)
                    )
            _derive(self.conn, model, by_target, self.figures if model is Transfer else None)


def _more_precise(a: DateValue, b: DateValue) -> bool:
    rank = {"day": 0, "month": 1, "year": 2}
    return rank[a.precision] < rank[b.precision] or (
        a.precision == b.precision and b.inferred and not a.inferred
    )


def _consensus(rows: Sequence[Sequence], sources: bool = True) -> dict[str, object]:
    """The derived figure of one transfer or tally from its claims (status, low, best, high,
    qualifier, source id, url): accepted ones if any, else pending; the spread of low/high,
    the most reported best; the number of sources and their URLs."""
    accepted = [r for r in rows if r[0] == "accepted"]
    counted = accepted or [r for r in rows if r[0] == "pending"]
    status = "accepted" if accepted else "pending"
    if not counted:  # only doubtful claims: their figure, counted nowhere
        counted, status = [r for r in rows if r[0] == "doubtful"], "doubtful"
    if not counted:
        return {"status": "rejected"}
    votes = Counter(r[2] for r in counted)
    best = max(votes, key=lambda b: (votes[b], b))
    highs = [r[3] for r in counted]
    qualifiers = {r[4] for r in counted if r[2] == best}
    live = [r for r in rows if r[0] in ("pending", "accepted")] or counted
    derived = {
        "status": status,
        "count_low": min(r[1] for r in counted),
        "count_best": best,
        "count_high": None if None in highs else max(highs),
        "qualifier": qualifiers.pop() if len(qualifiers) == 1 else "exact",
    }
    if sources:
        derived["source_count"] = len({r[5] for r in live})
        derived["source_urls"] = " ".join(sorted({r[6] for r in live if r[6]})) or None
    return derived


def recompute(
    conn: Connection | Session, transfer_ids: Iterable[int], tally_ids: Iterable[int]
) -> None:
    """Bring the figures of the given transfers and tallies in step with their claims: one
    query for the claims, one batched update per shape of change."""
    conn = conn.connection() if isinstance(conn, Session) else conn  # Core executemany
    for model, ids in ((Transfer, set(transfer_ids)), (CaptureTally, set(tally_ids))):
        if not ids:
            continue
        by_target: dict[int, list[Sequence]] = {i: [] for i in ids}
        for row in conn.execute(_CLAIMS_OF[model], {"ids": list(ids)}):
            by_target[row[0]].append(row[1:])
        _derive(conn, model, by_target)


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
        values = _consensus(rows, sources=model is Transfer)
        if stored and target in stored:
            before = stored[target]
            values = {k: v for k, v in values.items() if k not in before or before[k] != v}
            if not values:
                continue
        changes.setdefault(tuple(values), []).append({"target_id": target, **values})
    for batch in changes.values():
        conn.execute(_UPDATE_BY_ID[model], batch)


def _claims_of(link: Any) -> Select:
    return (
        select(link, Claim.status, Claim.count_low, Claim.count_best, Claim.count_high,
               Claim.qualifier, Claim.source_id, Source.url)
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


def clear_machine_claims(session: Session, source_id: int) -> None:
    """Remove a source's pending, unedited rule-made claims, and the facts left with none."""
    doomed = (
        Claim.source_id == source_id,
        Claim.status.in_(MACHINE_STATES),
        Claim.edited.is_(False),
        Claim.method != "manual",
    )
    touched = session.execute(select(Claim.transfer_id, Claim.capture_id).where(*doomed)).all()
    session.execute(Claim.__table__.delete().where(*doomed))
    transfers = {t for t, _ in touched if t}
    tallies = {c for _, c in touched if c}
    recompute(session, transfers, tallies)
    _drop_orphans(session, transfers, tallies)


def _drop_orphans(session: Session, transfers: set[int], tallies: set[int]) -> None:
    has_claim = select(Claim.id).where(Claim.transfer_id == Transfer.id).exists()
    exchanges = set(
        session.scalars(select(Transfer.exchange_id).where(Transfer.id.in_(transfers), ~has_claim))
    )
    session.execute(Transfer.__table__.delete().where(Transfer.id.in_(transfers), ~has_claim))
    has_tally_claim = select(Claim.id).where(Claim.capture_id == CaptureTally.id).exists()
    session.execute(
        CaptureTally.__table__.delete().where(CaptureTally.id.in_(tallies), ~has_tally_claim)
    )
    empty = select(Transfer.id).where(Transfer.exchange_id == Exchange.id).exists()
    gone = select(Exchange.id).where(Exchange.id.in_(exchanges), ~empty)
    session.execute(
        ExchangeMediator.__table__.delete().where(ExchangeMediator.exchange_id.in_(gone))
    )
    session.execute(Exchange.__table__.delete().where(Exchange.id.in_(exchanges), ~empty))


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
