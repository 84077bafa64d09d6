"""Reports and export tables as data: a name, a title, a description and the SQL over the views.

Column names are part of the interface (analysts' spreadsheets depend on them): they are listed
here once, and the README documents them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.balances import COLUMNS as BALANCE_COLUMNS
from tracker.errors import InputError

SOURCE_COLUMNS = [
    "source_id",
    "url",
    "version",
    "outlet",
    "title",
    "published",
    "language",
    "text_hash",
    "origin",
    "imported_at",
    "claim_count",
    "text",
]
CLAIM_COLUMNS = [
    "claim_id",
    "source_id",
    "source_url",
    "outlet",
    "published",
    "kind",
    "from_party",
    "to_party",
    "captor",
    "captive",
    "category",
    "count_low",
    "count_best",
    "count_high",
    "qualifier",
    "date",
    "date_precision",
    "date_inferred",
    "period_start",
    "region",
    "mediators",
    "claimant",
    "span_start",
    "span_end",
    "quote",
    "method",
    "status",
    "edited",
    "exchange_id",
    "transfer_id",
    "capture_id",
]
EXCHANGE_COLUMNS = [
    "exchange_id",
    "date",
    "date_precision",
    "date_inferred",
    "mediator",
    "transfers",
    "people_best",
    "source_count",
    "status",
]
TRANSFER_COLUMNS = [
    "transfer_id",
    "exchange_id",
    "date",
    "date_precision",
    "from_party",
    "to_party",
    "category",
    "count_low",
    "count_best",
    "count_high",
    "qualifier",
    "mediator",
    "source_count",
    "source_urls",
    "status",
]
CAPTURE_COLUMNS = [
    "capture_id",
    "captor",
    "captive",
    "category",
    "kind",
    "count_low",
    "count_best",
    "count_high",
    "qualifier",
    "period_start",
    "as_of",
    "as_of_precision",
    "region",
    "claimant",
    "source_url",
    "quote",
    "source_count",
    "status",
]


@dataclass(frozen=True)
class Table:
    """An exportable table: the SQL that reads it and its stable columns."""

    name: str
    title: str
    source: str  # a view or a subquery
    columns: list[str]
    order: str
    has_status: bool = True

    def sql(self, reviewed_only: bool = False, where: str = "") -> str:
        conditions = [
            c
            for c in (where, "status = 'accepted'" if reviewed_only and self.has_status else "")
            if c
        ]
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return (
            f"SELECT {', '.join(self.columns)} FROM {self.source} t{clause} ORDER BY {self.order}"
        )


_SOURCES = """(SELECT s.id AS source_id, s.url, s.version, s.outlet, s.title, s.published,
    s.language, s.text_hash, s.origin, s.imported_at,
    (SELECT COUNT(*) FROM claims c WHERE c.source_id = s.id) AS claim_count, s.text
    FROM sources s)"""

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "sources",
            "Sources: one row per imported or entered document",
            _SOURCES,
            SOURCE_COLUMNS,
            "source_id",
            has_status=False,
        ),
        Table(
            "claims",
            "Claims: every figure as one source states it",
            "v_claims",
            CLAIM_COLUMNS,
            "claim_id",
        ),
        Table(
            "exchanges",
            "Exchanges: one row per swap, with its transfers",
            "v_exchanges",
            EXCHANGE_COLUMNS,
            "date, exchange_id",
        ),
        Table(
            "transfers",
            "Transfers: people of one category handed from one party to another",
            "v_transfers",
            TRANSFER_COLUMNS,
            "date, exchange_id, transfer_id",
        ),
        Table(
            "captures",
            "Capture tallies: captured (cumulative, increment) or held",
            "v_captures",
            CAPTURE_COLUMNS,
            "as_of, capture_id",
        ),
        Table(
            "balance",
            "Running balance per party, category and date",
            "v_balance",
            BALANCE_COLUMNS,
            "party, category, date",
            has_status=False,
        ),
    )
}


def table(name: str) -> Table:
    if name not in TABLES:
        raise InputError("TABLE", f"{name!r} is not one of {', '.join(TABLES)}")
    return TABLES[name]


def stream(
    conn: Connection, sql: str, params: dict[str, Any] | None = None
) -> Iterator[Sequence[Any]]:
    """Rows of a query, fetched in batches (server-side cursor where the driver has one)."""
    result = conn.execution_options(stream_results=True, yield_per=10_000).execute(
        text(sql), params or {}
    )
    yield from result


def read_table(
    conn: Connection, name: str, reviewed_only: bool = False
) -> tuple[list[str], Iterator[Sequence[Any]]]:
    t = table(name)
    if name == "balance" and reviewed_only:
        t = Table(t.name, t.title, "v_balance_reviewed", t.columns, t.order, has_status=False)
    return t.columns, stream(conn, t.sql(reviewed_only))
