"""Reviewing claims: listing, showing a quote in its paragraph, accepting, rejecting, editing,
undoing; by id or by a filter over the whole corpus (``ClaimFilter``).

Every change re-derives the figures of the transfers and tallies the claims belong to, and is
recorded in the audit trail (``tracker.audit``) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    column,
    func,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session

from tracker import audit, store
from tracker.entry import make_count
from tracker.errors import Conflict, InputError, NotFound
from tracker.extract.types import CATEGORIES
from tracker.models import CLAIM_KINDS, STATUSES, CaptureTally, Claim, Source, Transfer
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


# The columns of v_claims a filter or a listing reads (a typed table: dates bound as dates).
_V = table(
    "v_claims",
    *(column(name, Integer) for name in ("claim_id", "source_id", "count_low", "count_best",
                                         "count_high")),
    *(column(name, String) for name in ("kind", "party_a", "party_b", "category", "status",
                                        "doubt", "method", "quote", "outlet")),
    column("date", Date),
)
# --kind: a claim kind, or "capture" for every kind of tally (cumulative, increment, holding)
FILTER_KINDS = (*CLAIM_KINDS, "capture")


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims a listing or a decision means; each field given narrows the set.

    ``party`` is a code, name or alias, on either side; ``rule`` the claim's method as stored
    (``manual``, ``rule:transfer.each_side``), a rule's name without ``rule:``, or a family of
    rules (``transfer``: every ``rule:transfer.*``); ``outlet`` matched ignoring case; the dates
    bound the claim's date, both included. Every value is a bound parameter."""

    source: int | None = None
    outlet: str | None = None
    rule: str | None = None
    party: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None
    status: str | None = None

    def given(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def conditions(self, session: Session) -> list[ColumnElement[bool]]:
        c = _V.c
        where: list[ColumnElement[bool]] = []
        if self.status is not None:
            if self.status not in STATUSES:
                raise InputError("status", f"{self.status!r} is not one of "
                                             f"{', '.join(STATUSES)}")
            where.append(c.status == self.status)
        if self.kind is not None:
            if self.kind not in FILTER_KINDS:
                raise InputError("kind", f"{self.kind!r} is not one of "
                                           f"{', '.join(FILTER_KINDS)}")
            where.append(c.kind != "transfer" if self.kind == "capture" else c.kind == self.kind)
        if self.source is not None:
            where.append(c.source_id == self.source)
        if self.outlet is not None:
            where.append(func.lower(c.outlet) == func.lower(self.outlet.strip()))
        if self.rule is not None:
            where.append(_rule_matches(self.rule.strip()))
        if self.party is not None:
            code = find_party(session, self.party, "party").code
            where.append(or_(c.party_a == code, c.party_b == code))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("to", f"{self.date_to} is before the from date {self.date_from}")
        if self.date_from is not None:
            where.append(c.date >= self.date_from)
        if self.date_to is not None:
            where.append(c.date <= self.date_to)
        return where


def _rule_matches(rule: str) -> ColumnElement[bool]:
    method = _V.c.method
    named = rule if rule == "manual" or rule.startswith("rule:") else f"rule:{rule}"
    family = f"{named}."
    return or_(method == named,
               func.substr(method, 1, len(family)) == family)  # no LIKE: rule names hold "_"


def list_claims(
    session: Session, where: ClaimFilter | None = None, limit: int | None = None
) -> tuple[list[str], Sequence[Any]]:
    query = (select(*(_V.c[name] for name in LIST_COLUMNS))
             .where(*(where or ClaimFilter()).conditions(session))
             .order_by(_V.c.claim_id))
    if limit:
        query = query.limit(limit)
    return LIST_COLUMNS, session.execute(query).all()


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


# Claims named by id (checked to exist), or a filter over every claim.
Selection = Sequence[int] | ClaimFilter


class Decision(NamedTuple):
    """What a decision over a selection of claims does: how many change, how many already
    have the status (and note) asked for."""

    changed: int
    left_alone: int


def _chosen(session: Session, selection: Selection) -> ColumnElement[bool]:
    if isinstance(selection, ClaimFilter):
        return Claim.id.in_(select(_V.c.claim_id).where(*selection.conditions(session)))
    ids = list(selection)
    found = set(session.scalars(select(Claim.id).where(Claim.id.in_(ids))))
    missing = sorted(set(ids) - found)
    if missing:
        raise NotFound(f"no claim {', '.join(map(str, missing))}")
    return Claim.id.in_(ids)


def _changes(status: str, note: str | None) -> ColumnElement[bool]:
    """A claim a decision changes: another status, or another note than the one given."""
    if status not in STATUSES:
        raise InputError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    return or_(Claim.status != status, audit.note_differs(note))


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Claim).where(where)) or 0


def preview(session: Session, selection: Selection, status: str,
            note: str | None = None) -> Decision:
    """What ``set_status`` would do, writing nothing (for a person to confirm first)."""
    chosen = _chosen(session, selection)
    changed = _count(session, and_(chosen, _changes(status, note)))
    return Decision(changed, _count(session, chosen) - changed)


def set_status(
    session: Session, selection: Selection, status: str, note: str | None = None,
    by: str | None = None,
) -> Decision:
    """Give the selected claims ``status`` (and ``note``): each claim that changes gets its
    event (``by``: who; default $USER); claims that already have them are left alone."""
    changes = _changes(status, note)
    who = audit.reviewer(by)
    chosen = _chosen(session, selection)
    total = _count(session, chosen)
    changing = and_(chosen, changes)
    audit.record_decisions(session, changing, status, note, who)
    values: dict[str, Any] = {"status": status, "updated_at": func.now()}
    if note is not None:
        values["note"] = note
    touched = session.execute(
        update(Claim)
        .where(changing)
        .values(**values)
        .returning(Claim.transfer_id, Claim.capture_id)
        .execution_options(synchronize_session=False)
    ).all()
    transfers, tallies = [t for t, _ in touched if t], [c for _, c in touched if c]
    store.recompute(session, transfers, tallies)
    store.regroup(session, store.exchanges_of(session, transfers), tallies)
    session.expire_all()  # claims loaded before see the new status
    return Decision(len(touched), total - len(touched))


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
    by: str | None = None,
) -> int | None:
    """Correct a claim's figure; the claim is marked edited and survives re-extraction.

    A person's correction outranks the rules' reading of the same fact (``store._word``):
    the transfer or tally it belongs to takes the corrected category, parties and count, its
    exchange the corrected date; a fact that the correction makes the same as another joins
    it (``store.join_duplicates``). ``parties_of``: "transfer" or "tally", what the caller
    named the parties as (checked against the claim's kind). An edit that changes no value
    changes nothing (not even the edited mark) and records no event. Returns the event number
    (None: nothing changed)."""
    who = audit.reviewer(by)
    claim = get_claim(session, claim_id)
    before = audit.snapshot(session, claim_id)
    _correct(session, claim, count, low, high, qualifier, category, date, party_a, party_b,
             parties_of, note)
    session.flush()
    if audit.snapshot(session, claim_id) == before:
        return None
    claim.edited = True
    session.flush()
    merged = _rederive(session, claim, f"correction of claim {claim_id}")
    return audit.record(session, claim_id, "edit", before, audit.snapshot(session, claim_id),
                        by=who, note=note, joined=merged)


def _correct(
    session: Session, claim: Claim, count: str | None, low: str | None, high: str | None,
    qualifier: str | None, category: str | None, date: dt.date | None, party_a: str | None,
    party_b: str | None, parties_of: str | None, note: str | None,
) -> None:
    """Set the fields an edit gives, each checked (the database sees them at the flush)."""
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
            raise InputError("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
        claim.category = category
    a_field, b_field = ("from", "to") if claim.kind == "transfer" else ("captor", "captive")
    if parties_of is not None and parties_of != ("transfer" if claim.kind == "transfer"
                                                 else "tally"):
        named = "from" if parties_of == "transfer" else "captor"
        sides = "a from and a to party" if claim.kind == "transfer" else "a captor and a captive"
        raise InputError(named, f"claim {claim.id} is a {claim.kind} claim: its parties are "
                                f"{sides}")
    if party_a is not None:
        claim.party_a_id = find_party(session, party_a, a_field).id
    if party_b is not None:
        claim.party_b_id = find_party(session, party_b, b_field).id
    if claim.party_a_id == claim.party_b_id:
        raise InputError(b_field, f"claim {claim.id} would name one party on both sides")
    if date is not None:
        claim.date, claim.date_precision, claim.date_inferred = date, "day", False
    if note is not None:
        claim.note = note


def _rederive(session: Session, claim: Claim, why: str) -> dict[str, dict[int, int]]:
    """The claim's transfer or tally (and exchange) follow its values; a fact it now makes the
    same as another joins it. Returns the facts joined."""
    transfers = [claim.transfer_id] if claim.transfer_id else []
    tallies = [claim.capture_id] if claim.capture_id else []
    store.recompute(session, transfers, tallies)
    merged = store.join_duplicates(session, transfers, tallies, why)
    # the claims regrouped as their new values make them (``store.regroup``)
    store.regroup(session, store.exchanges_of(session, [*transfers, *merged["transfer"].values()]),
                  [*tallies, *merged["capture"].values()])
    session.expire_all()
    return merged


def history(session: Session, claim_id: int) -> tuple[list[str], Sequence[Any]]:
    """A claim's events, oldest first (also of a claim re-extraction removed)."""
    if session.get(Claim, claim_id) is None and not audit.has_history(session, claim_id):
        raise NotFound(f"no claim {claim_id}")
    return audit.history(session, claim_id)


def undo(session: Session, claim_id: int, by: str | None = None) -> audit.Event:
    """Revert the claim's latest event not yet undone: its fields (status, figure, parties,
    date, note, the edited mark) and its fact's date take their old values again, the figures
    follow, and an ``undo`` event records it. Refused when a value was changed since by
    something the trail does not record, or when the event joined two facts (undo cannot
    part them again). Successive undos walk back through the claim's events."""
    who = audit.reviewer(by)
    claim = get_claim(session, claim_id)
    target = audit.undoable(session, claim_id)
    if target is None:
        raise NotFound(f"claim {claim_id} has nothing to undo")
    if audit.JOINED in target.changes:
        old, new = target.changes[audit.JOINED]
        raise Conflict(f"event {target.event} of claim {claim_id} joined {old} into {new}; "
                       "undo cannot part them again: nothing undone")
    before = audit.snapshot(session, claim_id)
    for field, (_, new) in target.changes.items():
        if field in audit.CLAIM_FIELDS and before[field] != new:
            raise Conflict(f"claim {claim_id}'s {field} is {_shown(before[field])} now, not "
                           f"{_shown(new)} as event {target.event} left it: nothing undone")
    for field, (old, _) in target.changes.items():
        if field in audit.CLAIM_FIELDS:
            _restore(session, claim, field, old)
    session.flush()
    _restore_fact(session, claim, target, before)
    merged = _rederive(session, claim, f"undo of event {target.event} of claim {claim_id}")
    audit.record(session, claim_id, "undo", before, audit.snapshot(session, claim_id), by=who,
                 undoes=target.event, joined=merged)
    session.refresh(claim)
    return target


def _shown(value: str | None) -> str:
    return "(none)" if value is None else value


def _flag(value: str | None) -> bool:
    return value == "true"


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _number(value: str | None) -> int | None:
    return None if value is None else int(value)


_READ: dict[str, Callable[[str | None], Any]] = {
    "count_low": _number, "count_best": _number, "count_high": _number, "date": _day,
    "date_inferred": _flag, "edited": _flag,
}


def _restore(session: Session, claim: Claim, field: str, value: str | None) -> None:
    """Set one recorded field of a claim back to the value the trail stores as text."""
    if field in ("party_a", "party_b"):
        assert value is not None
        setattr(claim, f"{field}_id", find_party(session, value, field).id)
    else:
        setattr(claim, field, _READ.get(field, lambda v: v)(value))


def _restore_fact(session: Session, claim: Claim, target: audit.Event,
                  now: audit.Values) -> None:
    """The exchange's or tally's date as it was before the event, where the event moved it
    and nothing moved it since (the person's rule may move it again: ``store.recompute``)."""
    back = {f: old for f, (old, new) in target.changes.items()
            if f in audit.FACT_FIELDS and now[f] == new}
    if not back:
        return
    if claim.transfer_id and any(f.startswith("exchange_") for f in back):
        exchange_id = session.scalar(select(Transfer.exchange_id)
                                     .where(Transfer.id == claim.transfer_id))
        value = {f: back.get(f, now[f]) for f in audit.FACT_FIELDS[:3]}
        store.redate_exchange(session, exchange_id, _day(value["exchange_date"]),
                              value["exchange_date_precision"],
                              _flag(value["exchange_date_inferred"]))
    if claim.capture_id and any(f.startswith("as_of") for f in back):
        session.execute(update(CaptureTally).where(CaptureTally.id == claim.capture_id).values(
            as_of=_day(back.get("as_of", now["as_of"])),
            as_of_precision=back.get("as_of_precision", now["as_of_precision"])))
