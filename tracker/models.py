"""The schema as typed SQLAlchemy models. No business logic lives here.

Claims are what sources say; exchanges, transfers and capture tallies are the facts those claims
are merged into. Every transfer and tally is linked to its claims (``claims.transfer_id`` /
``claims.capture_id``), and every claim to its source. The counts on a transfer or tally are
derived from its claims by ``tracker.store`` (accepted claims if any, else pending ones).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.extract.types import CAPTURE_KINDS, CATEGORIES, PRECISIONS, QUALIFIERS

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("belligerent", "mediator", "foreign")  # foreign: nationals who are captives, not a side
CLAIM_KINDS = ("transfer", "cumulative", "increment", "holding")
# doubtful: what the rules could not settle (reason in ``claims.doubt``): listed for review,
# counted nowhere until a person accepts it
STATUSES = ("pending", "accepted", "rejected", "doubtful")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _counts_ok() -> tuple[CheckConstraint, ...]:
    """Counts are never negative and low <= best <= high (high NULL means open-ended)."""
    return (
        CheckConstraint("count_low >= 0", name="count_low_nonneg"),
        CheckConstraint("count_low <= count_best", name="count_low_le_best"),
        CheckConstraint(
            "count_high IS NULL OR count_best <= count_high", name="count_best_le_high"
        ),
        CheckConstraint(_in("qualifier", QUALIFIERS), name="qualifier"),
    )


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: a larger one names no record


def as_id(digits: str) -> int | None:
    """The id a user typed (digits), or None when no record can have it (too large for the
    database, or too long to read)."""
    if len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
        return None
    return int(digits)


# SQLite gives a new row the largest id + 1: a deleted last row's id would name the next record,
# and an id cited or retired (``retired_ids``) would point at another figure. AUTOINCREMENT
# never hands an id out twice (PostgreSQL sequences never do).
NEVER_REUSED = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class Party(Timestamped, Base):
    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="belligerent")
    aliases: Mapped[list[PartyAlias]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="PartyAlias.id"
    )


class PartyAlias(Base):
    __tablename__ = "party_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    party: Mapped[Party] = relationship(back_populates="aliases")


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("url", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    outlet: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str | None] = mapped_column(String(2000))
    # False for a source entered with ``tracker add source``: the rules never read it, and
    # ``reextract`` leaves it alone (its figures are the ones a person entered)
    extracted: Mapped[bool] = mapped_column(default=True, server_default=true())
    extra: Mapped[str | None] = mapped_column(Text)  # JSON object of unknown metadata
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Exchange(Timestamped, Base):
    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint(_in("date_precision", PRECISIONS), name="date_precision"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    date_inferred: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # derived from exchange_mediators (codes, space-separated), kept for fast exports
    mediators: Mapped[str | None] = mapped_column(String(200))
    transfers: Mapped[list[Transfer]] = relationship(back_populates="exchange")


class ExchangeMediator(Base):
    __tablename__ = "exchange_mediators"

    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True)


class Transfer(Timestamped, Base):
    """People handed from one party to another. ``date`` repeats the exchange's date, and
    ``source_count``/``source_urls`` summarise the claims: derived, kept by tracker.store, so
    that balances and exports read one table (indexes below serve the balance's GROUP BY)."""

    __tablename__ = "transfers"
    __table_args__ = (
        *_counts_ok(),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("from_party_id <> to_party_id", name="distinct_parties"),
        Index("ix_transfers_released", "from_party_id", "category", "date", "status",
              "count_low", "count_best", "count_high"),
        Index("ix_transfers_returned", "to_party_id", "category", "date", "status",
              "count_low", "count_best", "count_high"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id"), index=True)
    from_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    to_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    category: Mapped[str] = mapped_column(String(16))
    count_low: Mapped[int]
    count_best: Mapped[int]
    count_high: Mapped[int | None]
    qualifier: Mapped[str] = mapped_column(String(16), default="exact")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    date: Mapped[dt.date] = mapped_column(Date)
    source_count: Mapped[int] = mapped_column(default=0, server_default="0")
    source_urls: Mapped[str | None] = mapped_column(Text)
    exchange: Mapped[Exchange] = relationship(back_populates="transfers")


class TransferDay(Base):
    """Transfers summed per party, role, category, date and status: kept by database triggers
    on ``transfers`` (migration 0004), so the balance reads a few thousand rows, not every
    transfer. ``high`` sums the known highs; ``open`` counts the transfers whose high is open."""

    __tablename__ = "transfer_days"
    __table_args__ = (CheckConstraint("role IN ('released', 'returned')", name="role"),)

    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(8), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int]
    low: Mapped[int] = mapped_column(BigInteger)
    best: Mapped[int] = mapped_column(BigInteger)
    high: Mapped[int] = mapped_column(BigInteger)
    open: Mapped[int]


class CaptureTally(Timestamped, Base):
    __tablename__ = "capture_tallies"
    __table_args__ = (
        *_counts_ok(),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("kind", CAPTURE_KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("as_of_precision", PRECISIONS), name="as_of_precision"),
        CheckConstraint(
            "period_start_precision IS NULL OR " + _in("period_start_precision", PRECISIONS),
            name="period_start_precision",
        ),
        CheckConstraint("period_start IS NULL OR period_start <= as_of", name="period_order"),
        CheckConstraint("captor_id <> captive_id", name="distinct_parties"),
        Index(None, "captor_id", "category", "kind", "as_of"),
        Index("ix_capture_tallies_as_of", "as_of"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    captor_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    captive_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    count_low: Mapped[int]
    count_best: Mapped[int]
    count_high: Mapped[int | None]
    qualifier: Mapped[str] = mapped_column(String(16), default="exact")
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_start_precision: Mapped[str | None] = mapped_column(String(8))
    as_of: Mapped[dt.date] = mapped_column(Date)
    as_of_precision: Mapped[str] = mapped_column(String(8), default="day")
    region: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="pending")


class Claim(Timestamped, Base):
    """One figure as one source states it; ``party_a``/``party_b`` are from/to or captor/captive."""

    __tablename__ = "claims"
    __table_args__ = (
        *_counts_ok(),
        CheckConstraint(_in("kind", CLAIM_KINDS), name="kind"),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("date_precision", PRECISIONS), name="date_precision"),
        CheckConstraint(
            "period_start_precision IS NULL OR " + _in("period_start_precision", PRECISIONS),
            name="period_start_precision",
        ),
        CheckConstraint(
            "span_start IS NULL OR (span_start >= 0 AND span_start <= span_end)", name="span"
        ),
        CheckConstraint(
            "(kind = 'transfer' AND transfer_id IS NOT NULL AND capture_id IS NULL) OR "
            "(kind <> 'transfer' AND capture_id IS NOT NULL AND transfer_id IS NULL)",
            name="linked",
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    party_a_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    party_b_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    category: Mapped[str] = mapped_column(String(16))
    count_low: Mapped[int]
    count_best: Mapped[int]
    count_high: Mapped[int | None]
    qualifier: Mapped[str] = mapped_column(String(16), default="exact")
    # exchange date, or the tally's as-of date (indexed: regrouping finds reports by date)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    date_inferred: Mapped[bool] = mapped_column(default=False)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_start_precision: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(200))
    mediators: Mapped[str | None] = mapped_column(String(200))  # party codes, space-separated
    claimant: Mapped[str | None] = mapped_column(String(200))
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    quote: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(64))  # "manual" or "rule:<name>"
    status: Mapped[str] = mapped_column(String(16), default="pending")
    doubt: Mapped[str | None] = mapped_column(Text)  # why the rules could not settle it
    edited: Mapped[bool] = mapped_column(default=False)  # changed by a person after extraction
    note: Mapped[str | None] = mapped_column(Text)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture_tallies.id"), index=True)


RETIRED_KINDS = ("claim", "transfer", "exchange", "capture")


# What a person did to a claim: accept, reject, reopen (back to pending or doubtful, a status
# only the library sets), edit, undo (reverts the claim's latest event not yet undone)
EVENT_ACTIONS = ("accept", "reject", "reopen", "edit", "undo")


class ClaimEvent(Base):
    """The audit trail of review: one row per field a decision or an edit of a claim changed.

    The rows of one decision share ``event``, the claim's own event number (1, 2, ...), so a
    field's history is one ``WHERE claim_id = ? AND field = ?`` away. Values are text as a person
    reads them (counts as digits, dates ISO, parties by code, flags true/false; NULL for none).
    Besides the claim's own fields an event records what it did to its fact: the exchange's or
    tally's date it moved (``exchange_date``, ``as_of`` ...) and facts it joined (``joined``:
    ``transfer:8`` -> ``transfer:7``). Rows are only ever added. ``claim_id`` is not a foreign
    key: a claim removed by re-extraction keeps its trail (claim ids are never handed out again,
    and a figure read again keeps its id, so its history goes on)."""

    __tablename__ = "claim_events"
    __table_args__ = (
        UniqueConstraint("claim_id", "event", "field"),
        CheckConstraint(_in("action", EVENT_ACTIONS), name="action"),
        CheckConstraint("event >= 1", name="event_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int]
    event: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # why, as the person gave it
    undoes: Mapped[int | None]  # an undo: the event of the same claim it reverts
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    by: Mapped[str] = mapped_column(String(200))


class RetiredId(Base):
    """An id that no longer names a record of its own: the record was merged into ``into_id``
    (the fact its claims now belong to), or removed (``into_id`` NULL) when re-extraction no
    longer finds the fact. Citations of the old id (``transfer:8`` in a note) still resolve."""

    __tablename__ = "retired_ids"
    __table_args__ = (CheckConstraint(_in("kind", RETIRED_KINDS), name="kind"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    into_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
