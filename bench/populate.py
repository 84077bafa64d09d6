"""Fill a tracker database with synthetic facts straight in SQL (no Python loop over rows).

1,000,000 transfers in 500,000 exchanges over 1,300 days, each with its claim; 100,000 capture
tallies with their claims; 20,000 sources. Counts, categories, qualifiers and statuses vary
deterministically with the row number.

    python bench/populate.py DATABASE_URL [--transfers 1000000] [--tallies 100000]
"""

from __future__ import annotations

import argparse
import time

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.db import open_database

SOURCES = 20_000
DAYS = 1300


def _numbers(dialect: str, n: int) -> str:
    if dialect == "postgresql":
        return f"(SELECT generate_series(CAST(1 AS BIGINT), {n}) AS n) seq"
    return f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) SELECT n FROM s) seq"


def _day(dialect: str, expr: str) -> str:
    if dialect == "postgresql":
        return f"(DATE '2022-03-01' + CAST(({expr}) AS INTEGER))"
    return f"date('2022-03-01', '+' || ({expr}) || ' days')"


def _text(dialect: str, expr: str) -> str:
    return f"CAST({expr} AS TEXT)"


def populate(conn: Connection, dialect: str, transfers: int, tallies: int) -> None:
    ukr, rus = (conn.execute(text("SELECT id FROM parties WHERE code = :c"), {"c": c}).scalar_one()
                for c in ("UKR", "RUS"))
    exchanges = transfers // 2
    ex_day = _day(dialect, f"(n * 7919) % {DAYS}")
    tr_day = _day(dialect, f"(((n + 1) / 2) * 7919) % {DAYS}")
    src = f"'https://bench.example.org/source/' || {_text(dialect, f'(n % {SOURCES}) + 1')}"
    steps = [
        f"""INSERT INTO sources (id, url, version, outlet, title, published, text, text_hash, origin)
        SELECT n, 'https://bench.example.org/source/' || {_text(dialect, 'n')}, 1, 'Bench',
               'Bench source', {_day(dialect, f'n % {DAYS}')}, 'Synthetic source text.',
               'bench-' || {_text(dialect, 'n')}, 'bench' FROM {_numbers(dialect, SOURCES)}""",
        f"""INSERT INTO exchanges (id, date, date_precision, date_inferred, mediators)
        SELECT n, {ex_day}, 'day', FALSE, CASE WHEN n % 5 = 0 THEN 'ARE' END
        FROM {_numbers(dialect, exchanges)}""",
        f"""INSERT INTO transfers (id, exchange_id, from_party_id, to_party_id, category, count_low,
               count_best, count_high, qualifier, status, date, source_count, source_urls)
        SELECT n, (n + 1) / 2, CASE WHEN n % 2 = 0 THEN {ukr} ELSE {rus} END,
               CASE WHEN n % 2 = 0 THEN {rus} ELSE {ukr} END,
               CASE WHEN n % 10 < 8 THEN 'pow' WHEN n % 10 = 8 THEN 'civilian' ELSE 'body' END,
               10 + n % 300, 10 + n % 300, CASE WHEN n % 17 = 0 THEN NULL ELSE 10 + n % 300 END,
               CASE WHEN n % 17 = 0 THEN 'more_than' ELSE 'exact' END,
               CASE WHEN n % 3 = 0 THEN 'accepted' ELSE 'pending' END, {tr_day}, 1, {src}
        FROM {_numbers(dialect, transfers)}""",
        f"""INSERT INTO capture_tallies (id, captor_id, captive_id, category, kind, count_low,
               count_best, count_high, qualifier, as_of, as_of_precision, status)
        SELECT n, CASE WHEN n % 2 = 0 THEN {ukr} ELSE {rus} END,
               CASE WHEN n % 2 = 0 THEN {rus} ELSE {ukr} END,
               CASE WHEN n % 4 = 0 THEN 'civilian' ELSE 'pow' END,
               CASE WHEN n % 3 = 0 THEN 'cumulative' WHEN n % 3 = 1 THEN 'increment' ELSE 'holding' END,
               n % 5000, n % 5000, n % 5000, 'exact', {_day(dialect, f'n % {DAYS}')}, 'day',
               CASE WHEN n % 3 = 0 THEN 'accepted' ELSE 'pending' END
        FROM {_numbers(dialect, tallies)}""",
        f"""INSERT INTO claims (source_id, kind, party_a_id, party_b_id, category, count_low,
               count_best, count_high, qualifier, date, date_precision, date_inferred, quote,
               method, status, edited, transfer_id)
        SELECT (t.id % {SOURCES}) + 1, 'transfer', t.from_party_id, t.to_party_id, t.category,
               t.count_low, t.count_best, t.count_high, t.qualifier, t.date, 'day', FALSE,
               'Synthetic quote.', 'rule:bench', t.status, FALSE, t.id FROM transfers t""",
        f"""INSERT INTO claims (source_id, kind, party_a_id, party_b_id, category, count_low,
               count_best, count_high, qualifier, date, date_precision, date_inferred, quote,
               method, status, edited, capture_id)
        SELECT (c.id % {SOURCES}) + 1, c.kind, c.captor_id, c.captive_id, c.category, c.count_low,
               c.count_best, c.count_high, c.qualifier, c.as_of, 'day', FALSE, 'Synthetic quote.',
               'rule:bench', c.status, FALSE, c.id FROM capture_tallies c""",
    ]
    for sql in steps:
        conn.execute(text(sql))
    if dialect == "postgresql":
        for table in ("sources", "exchanges", "transfers", "capture_tallies", "claims"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT MAX(id) FROM {table}))"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--tallies", type=int, default=100_000)
    args = parser.parse_args()
    db = open_database(args.url)
    start = time.perf_counter()
    with db.writer.begin() as conn:
        populate(conn, db.dialect, args.transfers, args.tallies)
    # Statistics and, on PostgreSQL, the vacuum autovacuum would run after such a load (the
    # trigger-kept sums leave a dead row version per transfer until then).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if db.dialect == "postgresql" else "ANALYZE"))
    db.dispose()
    print(f"populated {args.transfers} transfers, {args.tallies} tallies in "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
