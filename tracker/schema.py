"""What a database holds for `tracker sql`: its tables and views, what each means, their columns.

The names and columns are read from the database itself (SQLAlchemy's inspector), so the list is
never out of date; the meanings are written here, beside the README's table of views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

MEANINGS = {
    "v_claims": "claim, with source URL, outlet, parties, quote, method, status",
    "v_transfers": "transfer (not rejected), with its exchange's date and mediator, sources",
    "v_exchanges": "exchange, its transfers summarised, sources",
    "v_captures": "capture tally (not rejected), with its first claim's claimant, URL and quote",
    "v_balance": "party x category x date on which anything changed: the balance then",
    "v_balance_reviewed": "the same, from accepted claims only",
    "sources": "an article or statement, one row per version of its text",
    "claims": "one figure one source states, with its sentence; decided by review",
    "exchanges": "one swap, on one date, with its transfers",
    "transfers": "people handed from one party to another in an exchange",
    "capture_tallies": "a count of people one party captured or holds",
    "parties": "a belligerent, mediator or foreign state",
    "party_aliases": "the names a party goes by in text",
    "exchange_mediators": "who mediated an exchange",
    "transfer_days": "per-day sums of transfers, kept by triggers for the balance",
    "retired_ids": "an id that no longer names a record of its own, and what it became",
    "claim_events": "a field a review decision, edit or undo changed on a claim",
    "alembic_version": "the schema revision",
}
COLUMN_MEANINGS = {
    "held_basis": "what held rests on: holding, cumulative, no_tally, below_zero",
    "held_anchor_as_of": "date of the holding or cumulative tally held rests on",
    "held_anchor_days": "age of that anchor, in days, on the row's date",
    "held_minus_reported": "captured - released - the reported holding, for figures of similar "
                           "date only",
    "status": "pending, accepted, rejected or doubtful",
    "date_precision": "day, month or year",
    "qualifier": "exact, about, more_than, up_to, almost, at_least, vague",
}
SUFFIX_MEANINGS = (
    ("_low", "lowest value the sources allow"),
    ("_best", "best estimate"),
    ("_high", "highest value the sources allow (empty: open-ended)"),
)
COLUMNS = ["name", "kind", "meaning", "columns"]
COLUMN_ROWS = ["name", "kind", "column", "type", "meaning"]


def _meaning(column: str) -> str:
    if column in COLUMN_MEANINGS:
        return COLUMN_MEANINGS[column]
    return next((m for suffix, m in SUFFIX_MEANINGS if column.endswith(suffix)), "")


def describe(conn: Connection, with_columns: bool = False) -> tuple[list[str], list[Sequence[Any]]]:
    """One row per table and view (views first), or with ``with_columns`` one per column."""
    inspector = inspect(conn)
    named = [(v, "view") for v in sorted(inspector.get_view_names())]
    named += [(t, "table") for t in sorted(inspector.get_table_names())]
    if not with_columns:
        return COLUMNS, [
            (name, kind, MEANINGS.get(name, ""),
             ", ".join(c["name"] for c in inspector.get_columns(name)))
            for name, kind in named
        ]
    return COLUMN_ROWS, [
        (name, kind, c["name"], str(c["type"]), _meaning(c["name"]))
        for name, kind in named
        for c in inspector.get_columns(name)
    ]
