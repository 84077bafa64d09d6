"""Running balances, read from the ``v_balance`` views (the rule itself is written down in the
view's migrations, ``alembic/versions/0002_analyst_views.py`` and ``0003_fast_reads.py``,
and in the README).

``v_balance`` has one row per party, category and date on which anything about that party
changed; the balance at any date D is the last row on or before D. These functions only choose
rows: all sums are done by the view, in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.errors import InputError
from tracker.parties import resolve_party

BY = ("latest", "day", "month", "exchange")
MEASURES = ("captured", "released", "returned", "held", "reported_holding")
COLUMNS = [
    "party",
    "category",
    "date",
    *(f"{m}_{b}" for m in MEASURES[:4] for b in ("low", "best", "high")),
    "held_basis",
    "held_anchor_as_of",
    "held_anchor_days",
    *(f"reported_holding_{b}" for b in ("low", "best", "high")),
    "reported_holding_as_of",
    "held_minus_reported",
]


@dataclass(frozen=True)
class BalanceQuery:
    """Which balance rows to show."""

    by: str = "latest"
    party: str | None = None
    category: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # --to, or --as-of
    reviewed_only: bool = False

    def view(self) -> str:
        return "v_balance_reviewed" if self.reviewed_only else "v_balance"


def _filters(q: BalanceQuery) -> tuple[str, dict[str, Any]]:
    where, params = ["1 = 1"], {}
    if q.party:
        where.append("b.party = :party")
        params["party"] = q.party
    if q.category:
        where.append("b.category = :category")
        params["category"] = q.category
    if q.date_to:
        where.append("b.date <= :date_to")
        params["date_to"] = q.date_to.isoformat()
    return " AND ".join(where), params


def balance_sql(q: BalanceQuery) -> tuple[str, dict[str, Any], list[str]]:
    """The SQL, its parameters and its columns for one balance query."""
    if q.by not in BY:
        raise InputError("by", f"{q.by!r} is not one of {', '.join(BY)}")
    where, params = _filters(q)
    cols = ", ".join(f"b.{c}" for c in COLUMNS)
    since = b_since = ""
    if q.date_from:
        since, b_since = " AND date >= :date_from", " AND b.date >= :date_from"
        params["date_from"] = q.date_from.isoformat()
    order = "ORDER BY party, category, date"
    if q.by == "day":
        sql = f"SELECT {cols} FROM {q.view()} b WHERE {where}{b_since} {order}"
        return sql, params, COLUMNS
    if q.by == "exchange":  # the balance after each day with a transfer from or to the party
        sql = (f"SELECT {cols}, b.transfer_count FROM {q.view()} b "
               f"WHERE {where}{b_since} AND b.transfer_count > 0 {order}")
        return sql, params, [*COLUMNS, "transfers_that_day"]
    if q.by == "month":
        return _monthly_sql(q, where, params, cols)
    sql = f"""
SELECT * FROM (
  SELECT {cols},
         ROW_NUMBER() OVER (PARTITION BY b.party, b.category ORDER BY b.date DESC) AS rn
  FROM {q.view()} b WHERE {where}
) ranked WHERE rn = 1{since} {order}"""
    return sql, params, COLUMNS


def _month_number(column: str) -> str:
    """year * 12 + month - 1 of a date column, in SQL both engines run."""
    iso = f"CAST({column} AS VARCHAR(10))"
    return (
        f"(CAST(substr({iso}, 1, 4) AS INTEGER) * 12 + CAST(substr({iso}, 6, 2) AS INTEGER) - 1)"
    )


def _month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


_MONTH_LABEL = (
    "CAST(mo.m / 12 AS VARCHAR(4)) || '-' || CASE WHEN mo.m % 12 < 9 THEN '0' ELSE '' END"
    " || CAST(mo.m % 12 + 1 AS VARCHAR(2))"
)


def _monthly_sql(
    q: BalanceQuery, where: str, params: dict[str, Any], cols: str
) -> tuple[str, dict[str, Any], list[str]]:
    """One row per party, category and month, from the party's first change to the last month
    of the result (or of --to), each month carrying the balance of its last change forward."""
    last = "(SELECT MAX(m) FROM b)"
    if q.date_to:
        last, params["to_m"] = ":to_m", _month_of(q.date_to)
    since = ""
    if q.date_from:
        since, params["from_m"] = " AND r.m >= :from_m", _month_of(q.date_from)
    bare = cols.replace("b.", "")
    picked = cols.replace("b.", "l.")
    sql = f"""
WITH RECURSIVE b AS (
  SELECT {cols}, {_month_number("b.date")} AS m FROM {q.view()} b WHERE {where}
),
month_end AS (
  SELECT * FROM (
    SELECT b.*, ROW_NUMBER() OVER (PARTITION BY party, category, m ORDER BY date DESC) AS rn
    FROM b) x
  WHERE rn = 1
),
months (party, category, m) AS (
  SELECT party, category, MIN(m) FROM month_end GROUP BY party, category
  UNION ALL
  SELECT party, category, m + 1 FROM months WHERE m < {last.replace("FROM b", "FROM month_end")}
),
r AS (
  SELECT mo.m, {_MONTH_LABEL} AS month, {picked},
         ROW_NUMBER() OVER (PARTITION BY mo.party, mo.category, mo.m ORDER BY l.m DESC) AS rn
  FROM months mo JOIN month_end l ON l.party = mo.party AND l.category = mo.category
       AND l.m <= mo.m
)
SELECT month, {bare} FROM r WHERE rn = 1{since} ORDER BY party, category, month"""
    return sql, params, ["month", *COLUMNS]


def with_party_code(conn: Connection, q: BalanceQuery) -> BalanceQuery:
    """``q`` with its party (a code, name or alias) as the code the views use; an unknown
    party is an error, not an empty report."""
    if not q.party:
        return q
    return replace(q, party=resolve_party(conn, q.party, "party")[1])


def balance(conn: Connection, q: BalanceQuery) -> tuple[list[str], Sequence[Sequence[Any]]]:
    q = with_party_code(conn, q)
    sql, params, columns = balance_sql(q)
    rows = conn.execute(text(sql), params).all()
    if q.by == "latest":
        rows = [r[: len(columns)] for r in rows]
    return columns, rows
