"""Running balances, read from the ``v_balance`` views (the rule itself is written down in the
view's migration, ``alembic/versions/0002_analyst_views.py``, and in the README).

``v_balance`` has one row per party, category and date on which anything about that party
changed; the balance at any date D is the last row on or before D. These functions only choose
rows: all sums are done by the view, in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.errors import InputError

BY = ("latest", "day", "month", "exchange")
MEASURES = ("captured", "released", "returned", "held", "reported_holding")
COLUMNS = [
    "party",
    "category",
    "date",
    *(f"{m}_{b}" for m in MEASURES for b in ("low", "best", "high")),
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
        raise InputError("--by", f"{q.by!r} is not one of {', '.join(BY)}")
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
    if q.by == "exchange":
        sql = f"""
SELECT x.exchange_id, {cols} FROM {q.view()} b
JOIN (SELECT DISTINCT exchange_id, date, from_party AS party, category FROM v_transfers
      UNION SELECT DISTINCT exchange_id, date, to_party AS party, category FROM v_transfers) x
  ON x.date = b.date AND x.party = b.party AND x.category = b.category
WHERE {where}{b_since} ORDER BY b.party, b.category, b.date, x.exchange_id"""
        return sql, params, ["exchange_id", *COLUMNS]
    period = "substr(CAST(b.date AS VARCHAR(10)), 1, 7)" if q.by == "month" else "'all'"
    sql = f"""
SELECT * FROM (
  SELECT {period} AS period, {cols},
         ROW_NUMBER() OVER (PARTITION BY b.party, b.category, {period} ORDER BY b.date DESC) AS rn
  FROM {q.view()} b WHERE {where}
) ranked WHERE rn = 1{since} {order}"""
    columns = ["month", *COLUMNS] if q.by == "month" else COLUMNS
    return sql, params, columns


def balance(conn: Connection, q: BalanceQuery) -> tuple[list[str], Sequence[Sequence[Any]]]:
    sql, params, columns = balance_sql(q)
    rows = conn.execute(text(sql), params).all()
    if q.by in ("latest", "month"):
        skip = 0 if q.by == "month" else 1
        rows = [r[skip : skip + len(columns)] for r in rows]
    return columns, rows
