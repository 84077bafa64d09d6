"""Reviewing claims: listing, showing a quote in its paragraph, accepting, rejecting, editing.

Every change re-derives the figures of the transfers and tallies the claims belong to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from tracker import store
from tracker.entry import make_count
from tracker.errors import InputError, NotFound
from tracker.extract.types import CATEGORIES
from tracker.models import STATUSES, Claim, Source
from tracker.parties import find_party

LIST_COLUMNS = [
    "claim_id",
    "source_id",
    "kind",
    "party_a",
    "party_b",
    "category",
    "count_low",
    "count_best",
    "count_high",
    "date",
    "status",
    "doubt",
    "method",
    "quote",
]


def list_claims(
    session: Session,
    status: str | None = None,
    source: int | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> tuple[list[str], Sequence[Any]]:
    where, params = ["1 = 1"], {}
    for name, value in (("status", status), ("source_id", source), ("kind", kind)):
        if value is not None:
            where.append(f"{name} = :{name}")
            params[name] = value
    columns, conditions = ", ".join(LIST_COLUMNS), " AND ".join(where)
    sql = f"SELECT {columns} FROM v_claims WHERE {conditions} ORDER BY claim_id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return LIST_COLUMNS, session.execute(text(sql), params).all()


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def paragraph(full_text: str, start: int, end: int) -> tuple[str, int, int]:
    """The paragraph around a span, and the span's offsets within it."""
    first = full_text.rfind("\n", 0, start) + 1
    last = full_text.find("\n", end)
    last = len(full_text) if last < 0 else last
    return full_text[first:last], start - first, end - first


def show_claim(session: Session, claim_id: int) -> dict[str, Any]:
    """One claim with its source and the paragraph its quote stands in."""
    row = (
        session.execute(text("SELECT * FROM v_claims WHERE claim_id = :id"), {"id": claim_id})
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    shown = dict(row)
    claim = get_claim(session, claim_id)
    if claim.span_start is not None and claim.span_end is not None:
        body = session.scalar(select(Source.text).where(Source.id == claim.source_id)) or ""
        shown["paragraph"] = paragraph(body, claim.span_start, claim.span_end)
    return shown


def set_status(
    session: Session, claim_ids: Sequence[int], status: str, note: str | None = None
) -> int:
    if status not in STATUSES:
        raise InputError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    found = set(session.scalars(select(Claim.id).where(Claim.id.in_(claim_ids))))
    missing = sorted(set(claim_ids) - found)
    if missing:
        raise NotFound(f"no claim {', '.join(map(str, missing))}")
    values: dict[str, Any] = {"status": status, "updated_at": func.now()}
    if note is not None:
        values["note"] = note
    touched = session.execute(
        update(Claim)
        .where(Claim.id.in_(claim_ids))
        .values(**values)
        .returning(Claim.transfer_id, Claim.capture_id)
    ).all()
    store.recompute(session, [t for t, _ in touched if t], [c for _, c in touched if c])
    return len(touched)


def edit_claim(
    session: Session,
    claim_id: int,
    *,
    count: str | None = None,
    low: str | None = None,
    high: str | None = None,
    qualifier: str | None = None,
    category: str | None = None,
    date: dt.date | None = None,
    party_a: str | None = None,
    party_b: str | None = None,
    parties_of: str | None = None,
    note: str | None = None,
) -> Claim:
    """Correct a claim's figure; the claim is marked edited and survives re-extraction.

    A person's correction outranks the rules' reading of the same fact (``store._word``):
    the transfer or tally it belongs to takes the corrected category, parties and count, its
    exchange the corrected date; a fact that the correction makes the same as another joins
    it (``store.join_duplicates``). ``parties_of``: "transfer" or "tally", what the caller
    named the parties as (checked against the claim's kind)."""
    claim = get_claim(session, claim_id)
    if count is not None or low is not None or high is not None or qualifier is not None:
        new = make_count(
            count if count is not None else claim.count_best,
            low if low is not None else (None if count is not None else claim.count_low),
            high if high is not None else (None if count is not None else claim.count_high),
            qualifier or claim.qualifier,
        )
        claim.count_low, claim.count_best, claim.count_high, claim.qualifier = (
            new.low,
            new.best,
            new.high,
            new.qualifier,
        )
    if category is not None:
        if category not in CATEGORIES:
            raise InputError("--category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
        claim.category = category
    a_field, b_field = ("--from", "--to") if claim.kind == "transfer" else ("--captor",
                                                                          "--captive")
    if parties_of is not None and parties_of != ("transfer" if claim.kind == "transfer"
                                                 else "tally"):
        raise InputError(a_field, f"claim {claim_id} is a {claim.kind} claim: its parties are "
                                  f"{a_field} and {b_field}")
    if party_a is not None:
        claim.party_a_id = find_party(session, party_a, a_field).id
    if party_b is not None:
        claim.party_b_id = find_party(session, party_b, b_field).id
    if claim.party_a_id == claim.party_b_id:
        raise InputError(b_field, f"claim {claim_id} would name one party on both sides")
    if date is not None:
        claim.date, claim.date_precision, claim.date_inferred = date, "day", False
    if note is not None:
        claim.note = note
    claim.edited = True
    session.flush()
    transfers = [claim.transfer_id] if claim.transfer_id else []
    tallies = [claim.capture_id] if claim.capture_id else []
    store.recompute(session, transfers, tallies)
    store.join_duplicates(session, transfers, tallies, f"correction of claim {claim_id}")
    session.refresh(claim)
    return claim
