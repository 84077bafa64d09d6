"""Reports and export tables as data: a name, a title, a description and the SQL over the views.

Column names are part of the interface (analysts' spreadsheets depend on them): they are listed
here once, and the README documents them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import suppress
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
    split_key: str | None = None  # the leading order column, never NULL: large exports split at it

    @property
    def row_id(self) -> str:
        """The unique integer column that ends the order."""
        return self.order.split(",")[-1].strip()

    def sql(
        self, reviewed_only: bool = False, where: str = "", select: str | None = None
    ) -> str:
        """The query of the table (``select``: other columns, unordered)."""
        conditions = [
            c
            for c in (where, "status = 'accepted'" if reviewed_only and self.has_status else "")
            if c
        ]
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        if select is not None:
            return f"SELECT {select} FROM {self.source} t{clause}"
        return (
            f"SELECT {', '.join(self.columns)} FROM {self.source} t{clause} ORDER BY {self.order}"
        )


def _sources(text_expr: str = "s.text") -> str:
    return f"""(SELECT s.id AS source_id, s.url, s.version, s.outlet, s.title, s.published,
    s.language, s.text_hash, s.origin, s.imported_at,
    (SELECT COUNT(*) FROM claims c WHERE c.source_id = s.id) AS claim_count, {text_expr} AS text
    FROM sources s)"""


_SOURCES = _sources()
WORKBOOK_TEXT_CHARS = 1000  # a source's text in the workbook: its first 1,000 characters
SOURCES_SHORT = _sources(
    f"CASE WHEN LENGTH(s.text) > {WORKBOOK_TEXT_CHARS} "
    f"THEN SUBSTR(s.text, 1, {WORKBOOK_TEXT_CHARS}) || ' […]' ELSE s.text END"
)

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
            split_key="source_id",
        ),
        Table(
            "claims",
            "Claims: every figure as one source states it",
            "v_claims",
            CLAIM_COLUMNS,
            "claim_id",
            split_key="claim_id",
        ),
        Table(
            "exchanges",
            "Exchanges: one row per swap, with its transfers",
            "v_exchanges",
            EXCHANGE_COLUMNS,
            "date, exchange_id",
            split_key="date",
        ),
        Table(
            "transfers",
            "Transfers: people of one category handed from one party to another",
            "v_transfers",
            TRANSFER_COLUMNS,
            "date, exchange_id, transfer_id",
            split_key="date",
        ),
        Table(
            "captures",
            "Capture tallies: captured (cumulative, increment) or held",
            "v_captures",
            CAPTURE_COLUMNS,
            "as_of, capture_id",
            split_key="as_of",
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


STREAM_BATCH = 1_000  # rows per fetch: small batches stay in the processor's cache


class Rows:
    """Rows of a query, fetched in batches straight from the driver's cursor (a server-side
    cursor on PostgreSQL): a million-row export never sits in memory and pays no per-row
    wrapping. Iterate for rows, or call ``batches()``; ``plain`` is True when the driver only
    returns str/int/float/None (SQLite), so writers need not look at the values."""

    def __init__(self, conn: Connection, sql: str, params: dict[str, Any] | None = None) -> None:
        self.conn, self.sql, self.params = conn, sql, params or {}
        self.plain = conn.dialect.name == "sqlite"

    def batches(self) -> Iterator[list[Sequence[Any]]]:
        compiled = text(self.sql).bindparams(**self.params).compile(dialect=self.conn.dialect)
        values: Any = compiled.params
        if self.conn.dialect.paramstyle == "qmark":
            values = tuple(values[name] for name in compiled.positiontup or ())
        raw = self.conn.connection.driver_connection
        postgres = self.conn.dialect.name == "postgresql"
        cursor = raw.cursor(name="tracker_rows") if postgres else raw.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(str(compiled), values)
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield batch
        finally:
            with suppress(Exception):  # a reader that stopped early may outlive its connection
                cursor.close()

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for batch in self.batches():
            yield from batch


def stream(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> Rows:
    """The rows of ``sql`` (``:name`` parameters), streamed."""
    return Rows(conn, sql, params)


def export_table(name: str, reviewed_only: bool = False) -> Table:
    """The table ``name`` as exported (the reviewed balance reads its own view)."""
    t = table(name)
    if name == "balance" and reviewed_only:
        t = Table(t.name, t.title, "v_balance_reviewed", t.columns, t.order, has_status=False)
    return t


def read_table(
    conn: Connection, name: str, reviewed_only: bool = False
) -> tuple[list[str], Rows]:
    t = export_table(name, reviewed_only)
    return t.columns, stream(conn, t.sql(reviewed_only))


# --- Named reports: a name, a title, a description and SQL with :named parameters ---------------

# A claim counts when it is not rejected; with :reviewed_only = 1, only when it is accepted. The
# same predicate chooses transfers and tallies (their status follows their claims).
_COUNTED = "({t}.status = 'accepted' OR ({t}.status = 'pending' AND :reviewed_only = 0))"

PROVENANCE_COLUMNS = [
    "figure",
    "role",
    "figure_date",
    "figure_low",
    "figure_best",
    "figure_high",
    "claim_id",
    "kind",
    "party_a",
    "party_b",
    "category",
    "count_low",
    "count_best",
    "count_high",
    "qualifier",
    "date",
    "claimant",
    "outlet",
    "published",
    "title",
    "source_id",
    "source_url",
    "source_origin",
    "source_hash",
    "quote",
    "status",
    "method",
]
CONFLICT_COLUMNS = [
    "figure",
    "date",
    "party_a",
    "party_b",
    "category",
    "spread_low",
    "spread_best",
    "spread_high",
    "claim_id",
    "count_low",
    "count_best",
    "count_high",
    "qualifier",
    "claimant",
    "outlet",
    "published",
    "source_url",
    "status",
]
SOURCES_REPORT_COLUMNS = [
    "outlet",
    "sources",
    "claims",
    "accepted",
    "rejected",
    "pending",
    "first_published",
    "last_published",
]


@dataclass(frozen=True)
class Report:
    """A named query over the views: ``tracker report list`` shows them, ``run_report`` runs one."""

    name: str
    title: str
    description: str
    sql: str
    columns: list[str]
    params: tuple[str, ...] = ()


def _by_link(select: str) -> str:
    """``select`` (with ``{link}``) once for transfer claims, once for tally claims: two joins
    the indexes on ``claims.transfer_id`` / ``claims.capture_id`` serve, not one OR join."""
    both = " UNION ALL ".join(select.format(link=link) for link in ("transfer_id", "capture_id"))
    return f"SELECT * FROM ({both}) u"


def _figures_sql(figures: str) -> str:
    """Claims behind a set of figures: ``figures`` is a CTE body giving figure, role, figure_date,
    figure_low/best/high, transfer_id and capture_id."""
    select = f"""
SELECT f.figure, f.role, f.figure_date, f.figure_low, f.figure_best, f.figure_high,
       c.claim_id, c.kind, c.party_a, c.party_b, c.category,
       c.count_low, c.count_best, c.count_high, c.qualifier, c.date, c.claimant, c.outlet,
       c.published, s.title, c.source_id, c.source_url, s.origin AS source_origin,
       s.text_hash AS source_hash, c.quote, c.status, c.method
FROM figures f
JOIN v_claims c ON c.{{link}} = f.{{link}}
JOIN sources s ON s.id = c.source_id
WHERE {_COUNTED.format(t="c")}"""
    return f"""
WITH figures AS ({figures})
{_by_link(select)}
ORDER BY figure_date, role, figure, published, claim_id"""


def _transfer_figures(where: str) -> str:
    return f"""
    SELECT 'transfer:' || CAST(t.id AS VARCHAR(20)) AS figure, '{{role}}' AS role,
           e.date AS figure_date, t.count_low AS figure_low, t.count_best AS figure_best,
           t.count_high AS figure_high, t.id AS transfer_id, CAST(NULL AS INTEGER) AS capture_id
    FROM transfers t JOIN exchanges e ON e.id = t.exchange_id
    WHERE {_COUNTED.format(t="t")} AND {where}"""


def _tally_figures(where: str) -> str:
    return f"""
    SELECT 'capture:' || CAST(ct.id AS VARCHAR(20)) AS figure, '{{role}}' AS role,
           ct.as_of AS figure_date, ct.count_low AS figure_low, ct.count_best AS figure_best,
           ct.count_high AS figure_high, CAST(NULL AS INTEGER) AS transfer_id,
           ct.id AS capture_id
    FROM capture_tallies ct
    WHERE {_COUNTED.format(t="ct")} AND {where}"""


# The balance of party :party_id, category :category at :date counts (the rule of v_balance):
# the base cumulative tally (the largest up to the date, earliest if tied), increments after the
# base, transfers from and to the party, and the latest reported holding beside it.
_TALLIES = f"""capture_tallies ct WHERE {_COUNTED.format(t="ct")} AND ct.captor_id = :party_id
          AND ct.category = :category AND ct.as_of <= :date"""
_BASE = f"""(SELECT MIN(ct.as_of) FROM {_TALLIES} AND ct.kind = 'cumulative'
          AND ct.count_best = (SELECT MAX(ct.count_best) FROM {_TALLIES}
                               AND ct.kind = 'cumulative'))"""
_BALANCE_FIGURES = " UNION ALL ".join(
    (
        _tally_figures(
            f"ct.captor_id = :party_id AND ct.category = :category AND ct.kind = 'cumulative' "
            f"AND ct.as_of = {_BASE} AND ct.count_best = (SELECT MAX(ct.count_best) "
            f"FROM {_TALLIES} AND ct.kind = 'cumulative')"
        ).replace("{role}", "captured (cumulative)"),
        _tally_figures(
            f"ct.captor_id = :party_id AND ct.category = :category AND ct.kind = 'increment' "
            f"AND ct.as_of <= :date AND NOT EXISTS (SELECT 1 FROM (SELECT {_BASE} AS as_of) b "
            f"WHERE b.as_of >= ct.as_of)"
        ).replace("{role}", "captured (increment)"),
        _transfer_figures(
            "t.from_party_id = :party_id AND t.category = :category AND e.date <= :date"
        ).replace("{role}", "released"),
        _transfer_figures(
            "t.to_party_id = :party_id AND t.category = :category AND e.date <= :date"
        ).replace("{role}", "returned"),
        _tally_figures(
            f"ct.captor_id = :party_id AND ct.category = :category AND ct.kind = 'holding' "
            f"AND ct.as_of = (SELECT MAX(ct.as_of) FROM {_TALLIES} AND ct.kind = 'holding')"
        ).replace("{role}", "reported holding"),
    )
)

_CONFLICT_ROWS = f"""
SELECT f.figure, f.date, f.party_a, f.party_b, f.category,
       f.count_low AS spread_low, f.count_best AS spread_best, f.count_high AS spread_high,
       c.claim_id, c.count_low, c.count_best, c.count_high, c.qualifier, c.claimant, c.outlet,
       c.published, c.source_url, c.status
FROM figures f
JOIN v_claims c ON c.{{link}} = f.{{link}}
WHERE {_COUNTED.format(t="c")}"""

_CONFLICTS = f"""
WITH disputed AS (
    SELECT c.transfer_id, c.capture_id FROM claims c
    WHERE {_COUNTED.format(t="c")}
    GROUP BY c.transfer_id, c.capture_id
    HAVING COUNT(DISTINCT c.count_low) > 1 OR COUNT(DISTINCT c.count_best) > 1
        OR COUNT(DISTINCT COALESCE(c.count_high, -1)) > 1
),
figures AS (
    SELECT 'transfer:' || CAST(t.transfer_id AS VARCHAR(20)) AS figure, t.date,
           t.from_party AS party_a, t.to_party AS party_b, t.category,
           t.count_low, t.count_best, t.count_high, t.transfer_id,
           CAST(NULL AS INTEGER) AS capture_id
    FROM v_transfers t JOIN disputed d ON d.transfer_id = t.transfer_id
    UNION ALL
    SELECT 'capture:' || CAST(ct.capture_id AS VARCHAR(20)), ct.as_of, ct.captor, ct.captive,
           ct.category, ct.count_low, ct.count_best, ct.count_high, NULL, ct.capture_id
    FROM v_captures ct JOIN disputed d ON d.capture_id = ct.capture_id
)
{_by_link(_CONFLICT_ROWS)}
ORDER BY date, figure, count_best, claim_id"""

_SOURCES_REPORT = """
SELECT COALESCE(s.outlet, '(no outlet)') AS outlet, COUNT(DISTINCT s.id) AS sources,
       COUNT(c.id) AS claims,
       SUM(CASE WHEN c.status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
       SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
       SUM(CASE WHEN c.status = 'pending' THEN 1 ELSE 0 END) AS pending,
       MIN(s.published) AS first_published, MAX(s.published) AS last_published
FROM sources s LEFT JOIN claims c ON c.source_id = s.id
GROUP BY COALESCE(s.outlet, '(no outlet)')
ORDER BY COUNT(c.id) DESC, COUNT(DISTINCT s.id) DESC, outlet"""

REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        Report(
            "provenance-exchange",
            "Claims behind an exchange",
            "Every claim and source behind each transfer of exchange :id.",
            _figures_sql(
                _transfer_figures("t.exchange_id = :id").replace("{role}", "transfer")
            ),
            PROVENANCE_COLUMNS,
            ("id", "reviewed_only"),
        ),
        Report(
            "provenance-transfer",
            "Claims behind a transfer",
            "Every claim and source behind transfer :id.",
            _figures_sql(_transfer_figures("t.id = :id").replace("{role}", "transfer")),
            PROVENANCE_COLUMNS,
            ("id", "reviewed_only"),
        ),
        Report(
            "provenance-capture",
            "Claims behind a capture tally",
            "Every claim and source behind capture tally :id.",
            _figures_sql(_tally_figures("ct.id = :id").replace("{role}", "tally")),
            PROVENANCE_COLUMNS,
            ("id", "reviewed_only"),
        ),
        Report(
            "provenance-balance",
            "Claims behind a balance row",
            "Every claim behind the transfers and tallies that the balance of :party_id, "
            ":category at :date counts.",
            _figures_sql(_BALANCE_FIGURES),
            PROVENANCE_COLUMNS,
            ("party_id", "category", "date", "reviewed_only"),
        ),
        Report(
            "conflicts",
            "Disagreeing sources",
            "Transfers and tallies whose claims give different counts, one row per claim, "
            "beside the figure's spread (low/best/high).",
            _CONFLICTS,
            CONFLICT_COLUMNS,
            ("reviewed_only",),
        ),
        Report(
            "sources",
            "Outlets",
            "Per outlet: sources, claims, and how many claims are accepted, rejected, pending.",
            _SOURCES_REPORT,
            SOURCES_REPORT_COLUMNS,
        ),
    )
}


def report(name: str) -> Report:
    if name not in REPORTS:
        raise InputError("REPORT", f"{name!r} is not one of {', '.join(REPORTS)}")
    return REPORTS[name]


def run_report(
    conn: Connection, name: str, **params: Any
) -> tuple[list[str], list[Sequence[Any]]]:
    """Run a named report; ``reviewed_only`` is passed as 0/1 where the report takes it."""
    r = report(name)
    given = {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    missing = [p for p in r.params if p not in given and p != "reviewed_only"]
    if missing:
        raise InputError(name, f"missing parameter {', '.join(missing)}")
    bound = {p: given.get(p, 0) for p in r.params}
    return r.columns, list(conn.execute(text(r.sql), bound).all())
