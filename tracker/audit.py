"""The audit trail of review: what a person changed on a claim, when, by whom and why.

``tracker.review`` writes it in the transaction of the change it records, so a decision and its
event are committed together or not at all. One row per changed field (``claim_events``, see
``models.ClaimEvent``); an unchanged value records nothing. Values are stored as text as a
person reads them, and read back by ``tracker.review.undo``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    case,
    false,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session

from tracker.errors import InputError
from tracker.models import Claim, ClaimEvent

# The claim's own fields an event records, then what it did to the claim's fact.
CLAIM_FIELDS = ("status", "category", "count_low", "count_best", "count_high", "qualifier",
                "date", "date_precision", "date_inferred", "party_a", "party_b", "note",
                "edited")
FACT_FIELDS = ("exchange_date", "exchange_date_precision", "exchange_date_inferred", "as_of",
               "as_of_precision")
JOINED = "joined"  # facts a correction made one: old "transfer:8", new "transfer:7"
ACTION_OF_STATUS = {"accepted": "accept", "rejected": "reject", "pending": "reopen",
                    "doubtful": "reopen"}
HISTORY_COLUMNS = ["claim_id", "event", "at", "by", "action", "field", "old_value", "new_value",
                   "note", "undoes"]
MAX_NAME = 200

Values = dict[str, str | None]


def reviewer(name: str | None) -> str:
    """Who decides: the name given, else the login name ($USER), else "unknown"."""
    if name is None:
        return os.environ.get("USER", "").strip()[:MAX_NAME] or "unknown"
    if not name.strip():
        raise InputError("by", "a name is needed (or leave --by out: $USER is taken)")
    if len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise InputError("by", f"a name of up to {MAX_NAME} printable characters")
    return name.strip()


def encode(value: Any) -> str | None:
    """A value as the trail stores it: text a person reads (and ``review`` reads back)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# One claim's recorded fields as they are now, its fact's date included (a correction moves it).
_SNAPSHOT = text("""
SELECT c.status, c.category, c.count_low, c.count_best, c.count_high, c.qualifier,
       c.date, c.date_precision, c.date_inferred, pa.code, pb.code, c.note, c.edited,
       e.date, e.date_precision, e.date_inferred, ct.as_of, ct.as_of_precision
FROM claims c
JOIN parties pa ON pa.id = c.party_a_id
JOIN parties pb ON pb.id = c.party_b_id
LEFT JOIN transfers t ON t.id = c.transfer_id
LEFT JOIN exchanges e ON e.id = t.exchange_id
LEFT JOIN capture_tallies ct ON ct.id = c.capture_id
WHERE c.id = :id
""")


def snapshot(session: Session, claim_id: int) -> Values:
    """The fields an event records, of one claim as the database has it now."""
    row = session.execute(_SNAPSHOT, {"id": claim_id}).one()
    flags = {"date_inferred", "edited", "exchange_date_inferred"}
    return {
        name: encode(bool(value) if name in flags and value is not None else value)
        for name, value in zip((*CLAIM_FIELDS, *FACT_FIELDS), row, strict=True)
    }


def next_event(session: Session, claim_id: int) -> int:
    latest = session.scalar(select(func.max(ClaimEvent.event))
                            .where(ClaimEvent.claim_id == claim_id))
    return (latest or 0) + 1


def record(
    session: Session,
    claim_id: int,
    action: str,
    before: Mapping[str, str | None],
    after: Mapping[str, str | None],
    *,
    by: str,
    note: str | None = None,
    undoes: int | None = None,
    joined: Mapping[str, Mapping[int, int]] | None = None,
) -> int | None:
    """Write one event of a claim: a row per field that differs between ``before`` and
    ``after`` (and one for facts joined); None, and nothing written, when nothing changed."""
    rows = [(field, before[field], after[field]) for field in (*CLAIM_FIELDS, *FACT_FIELDS)
            if before.get(field) != after.get(field)]
    for kind, merged in (joined or {}).items():
        if merged:
            gone = " ".join(f"{kind}:{old}" for old in sorted(merged))
            rows.append((JOINED, gone, " ".join(sorted({f"{kind}:{new}"
                                                         for new in merged.values()}))))
    if not rows:
        return None
    event = next_event(session, claim_id)
    session.execute(insert(ClaimEvent), [
        {"claim_id": claim_id, "event": event, "action": action, "field": field,
         "old_value": old, "new_value": new, "note": note, "undoes": undoes, "by": by}
        for field, old, new in rows
    ])
    return event


def record_decisions(
    session: Session, changing: ColumnElement[bool], status: str, note: str | None, by: str
) -> None:
    """The events of a status decision on every claim ``changing`` selects, written by the
    database in two statements (a review of a whole corpus is one decision per claim): the
    status where it changes, the note where one is given and differs. Run before the claims
    are updated: it reads their old values."""
    action = ACTION_OF_STATUS[status]
    latest = (select(func.coalesce(func.max(ClaimEvent.event), 0))
              .where(ClaimEvent.claim_id == Claim.id).correlate(Claim).scalar_subquery())
    moves = Claim.status != status
    columns = ["claim_id", "event", "action", "field", "old_value", "new_value", "note", "by"]

    def rows(event: Any, field: str, old: Any, new: str, where: ColumnElement[bool]) -> Select:
        return select(Claim.id, event, literal(action), literal(field), old,
                      literal(new, Text), literal(note, Text), literal(by)).where(changing, where)

    session.execute(insert(ClaimEvent).from_select(
        columns, rows(latest + 1, "status", Claim.status, status, moves)))
    if note is not None:  # same event as the status row just written, if there is one
        event = latest + case((moves, 0), else_=1)
        session.execute(insert(ClaimEvent).from_select(
            columns, rows(event, "note", Claim.note, note, note_differs(note))))


def note_differs(note: str | None) -> ColumnElement[bool]:
    """A claim whose note a decision giving ``note`` changes (none given: no claim)."""
    if note is None:
        return false()
    return Claim.note.is_(None) | (Claim.note != note)


@dataclass(frozen=True)
class Event:
    """One event of a claim: its number, action, and per field (old, new)."""

    claim_id: int
    event: int
    action: str
    changes: dict[str, tuple[str | None, str | None]]


def undoable(session: Session, claim_id: int) -> Event | None:
    """The claim's latest event that is not an undo and that no undo reverted."""
    undone = select(ClaimEvent.undoes).where(ClaimEvent.claim_id == claim_id,
                                            ClaimEvent.undoes.is_not(None))
    event = session.scalar(select(func.max(ClaimEvent.event)).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.action != "undo",
        ClaimEvent.event.not_in(undone)))
    if event is None:
        return None
    rows = session.execute(
        select(ClaimEvent.action, ClaimEvent.field, ClaimEvent.old_value, ClaimEvent.new_value)
        .where(ClaimEvent.claim_id == claim_id, ClaimEvent.event == event)
        .order_by(ClaimEvent.id)
    ).all()
    return Event(claim_id, event, rows[0].action,
                 {r.field: (r.old_value, r.new_value) for r in rows})


def history(session: Session, claim_id: int) -> tuple[list[str], Sequence[Any]]:
    """A claim's events, oldest first, one row per field changed."""
    e = ClaimEvent
    rows = session.execute(
        select(*(getattr(e, c) for c in HISTORY_COLUMNS))
        .where(e.claim_id == claim_id).order_by(e.event, e.id)
    ).all()
    return HISTORY_COLUMNS, rows


def has_history(session: Session, claim_id: int) -> bool:
    return session.scalar(select(ClaimEvent.id).where(ClaimEvent.claim_id == claim_id)
                          .limit(1)) is not None


_VERB = {"accept": "accepted", "reject": "rejected", "reopen": "reopened", "edit": "edited",
         "undo": "undone"}


def summaries(conn: Connection | Session, claim_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Per claim with events: how many, and its latest as one line ("edited by X at T:
    count_best 160 -> 150, note ...")."""
    ids = sorted(set(claim_ids))
    found: dict[int, tuple[int, str]] = {}
    for start in range(0, len(ids), SUMMARY_BATCH):  # a balance row may rest on many claims
        found.update(_summaries(conn, ids[start:start + SUMMARY_BATCH]))
    return found


SUMMARY_BATCH = 10_000


def _summaries(conn: Connection | Session, ids: list[int]) -> dict[int, tuple[int, str]]:
    e = ClaimEvent
    counts = dict(conn.execute(
        select(e.claim_id, func.count(func.distinct(e.event)))
        .where(e.claim_id.in_(ids)).group_by(e.claim_id)).all())
    latest = (select(e.claim_id, func.max(e.event)).where(e.claim_id.in_(ids))
              .group_by(e.claim_id))
    rows = conn.execute(
        select(e.claim_id, e.event, e.action, e.field, e.old_value, e.new_value, e.note,
               e.undoes, e.by, e.at)
        .where(tuple_(e.claim_id, e.event).in_(latest)).order_by(e.claim_id, e.id)
    ).all()
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.claim_id, []).append(row)
    return {claim_id: (counts[claim_id], describe(group)) for claim_id, group in grouped.items()}


def describe(rows: Sequence[Any]) -> str:
    """One event as a line: action, who, when, what changed, the note."""
    head = rows[0]
    verb = _VERB[head.action]
    if head.undoes is not None:
        verb = f"event {head.undoes} undone"
    at = head.at.strftime("%Y-%m-%d %H:%M") if head.at else "?"
    changes = [f"{r.field} {_value(r.old_value)} -> {_value(r.new_value)}" for r in rows
               if r.field not in ("note", "edited")]
    line = f"{verb} by {head.by} at {at}"
    if changes:
        line += ": " + ", ".join(changes)
    if head.note is not None:
        line += f'{", " if changes else ": "}note "{head.note}"'
    return line


def _value(value: str | None) -> str:
    return "(none)" if value is None else value
