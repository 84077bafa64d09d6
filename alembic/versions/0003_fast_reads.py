"""fast reads: derived transfer columns, covering indexes for the balance, simpler views

Transfers carry their exchange's date and a summary of their claims (source_count,
source_urls), and exchanges their mediators as text; tracker.store keeps them up to date. The
balance's GROUP BY then reads two covering indexes instead of joining exchanges for every
transfer, and exports read one row per transfer without correlated subqueries. The views keep
their names and columns.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# The balance groups transfers by party, category and date: these covering indexes let it read
# them in that order without touching the table.
BALANCE_INDEX = ["category", "date", "status", "count_low", "count_best", "count_high"]


def _previous():
    """The view builders of revision 0002 (this revision rebuilds some views from them)."""
    path = Path(__file__).with_name("0002_analyst_views.py")
    spec = importlib.util.spec_from_file_location("tracker_rev_0002", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _claims() -> str:
    """0002's v_claims with booleans as 0/1 on both engines (exports need no conversion)."""
    sql = _previous()._claims()
    for col in ("date_inferred", "edited"):
        assert f"c.{col}," in sql
        sql = sql.replace(f"c.{col},", f"CAST(c.{col} AS INTEGER) AS {col},")
    return sql


def _transfers() -> str:
    return """
CREATE VIEW v_transfers AS
SELECT t.id AS transfer_id, t.exchange_id, t.date, e.date_precision,
       CAST(e.date_inferred AS INTEGER) AS date_inferred,
       pf.code AS from_party, pt.code AS to_party, t.category,
       t.count_low, t.count_best, t.count_high, t.qualifier, t.status,
       e.mediators AS mediator, t.source_count, t.source_urls
FROM transfers t
JOIN exchanges e ON e.id = t.exchange_id
JOIN parties pf ON pf.id = t.from_party_id
JOIN parties pt ON pt.id = t.to_party_id
WHERE t.status <> 'rejected'
"""


def _exchanges(dialect: str) -> str:
    agg = "string_agg" if dialect == "postgresql" else "group_concat"
    return f"""
CREATE VIEW v_exchanges AS
SELECT e.id AS exchange_id, e.date, e.date_precision,
       CAST(e.date_inferred AS INTEGER) AS date_inferred,
       e.mediators AS mediator,
       (SELECT {agg}(x.part, ' ') FROM (
            SELECT pf.code || '->' || pt.code || ':' || CAST(t.count_best AS VARCHAR(20))
                   || ':' || t.category AS part
            FROM transfers t JOIN parties pf ON pf.id = t.from_party_id
            JOIN parties pt ON pt.id = t.to_party_id
            WHERE t.exchange_id = e.id AND t.status <> 'rejected'
            ORDER BY pf.code, pt.code, t.category) x) AS transfers,
       (SELECT SUM(t.count_best) FROM transfers t
        WHERE t.exchange_id = e.id AND t.status <> 'rejected') AS people_best,
       (SELECT COUNT(DISTINCT c.source_id) FROM claims c JOIN transfers t ON t.id = c.transfer_id
        WHERE t.exchange_id = e.id AND c.status <> 'rejected') AS source_count,
       CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.exchange_id = e.id
                         AND t.status = 'pending') THEN 'pending' ELSE 'accepted' END AS status
FROM exchanges e
WHERE EXISTS (SELECT 1 FROM transfers t WHERE t.exchange_id = e.id AND t.status <> 'rejected')
"""


def _sums(count: str = "") -> str:
    extra = f", {count}" if count else ""
    return ("SUM(count_low) AS low, SUM(count_best) AS best, SUM(count_high) AS high, "
            f"COUNT(*) - COUNT(count_high) AS open{extra}")


def _balance(name: str, status: str) -> str:
    """0002's balance rule, with released/returned grouped straight from the transfers in the
    order of their covering indexes, and ``transfer_count`` (transfers from or to the party on
    that date: the rows of ``tracker report balance --by exchange``)."""
    sql = _previous()._balance(name, status)
    head, _, rest = sql.partition("tallies AS (")
    head = f"""
CREATE VIEW {name} AS
WITH released AS (
    SELECT date, from_party_id AS party_id, category, {_sums("COUNT(*) AS n")}
    FROM transfers WHERE status {status} GROUP BY from_party_id, category, date
),
returned AS (
    SELECT date, to_party_id AS party_id, category, {_sums("COUNT(*) AS n")}
    FROM transfers WHERE status {status} GROUP BY to_party_id, category, date
),
"""
    sql = head + "tallies AS (" + rest
    sql = sql.replace(
        "MAX(CASE WHEN hd.best IS NOT NULL THEN tl.date END) OVER w AS holding_as_of",
        "MAX(CASE WHEN hd.best IS NOT NULL THEN tl.date END) OVER w AS holding_as_of,\n"
        "           COALESCE(rl.n, 0) + COALESCE(rt.n, 0) AS transfer_count")
    sql = sql.replace("c.holding_as_of AS reported_holding_as_of",
                      "c.holding_as_of AS reported_holding_as_of, c.transfer_count")
    sql = sql.replace(
        "(f.captured_best - f.released_best) - f.reported_holding_best AS held_minus_reported",
        "(f.captured_best - f.released_best) - f.reported_holding_best AS held_minus_reported,\n"
        "       f.transfer_count")
    assert "f.transfer_count" in sql and "c.transfer_count" in sql
    return sql


def _fill_derived() -> None:
    dialect = op.get_bind().dialect.name
    agg = "string_agg" if dialect == "postgresql" else "group_concat"
    op.execute("UPDATE transfers SET date = (SELECT e.date FROM exchanges e WHERE e.id = transfers.exchange_id)")
    op.execute("""UPDATE transfers SET source_count = (
        SELECT COUNT(DISTINCT c.source_id) FROM claims c
        WHERE c.transfer_id = transfers.id AND c.status <> 'rejected')""")
    op.execute(f"""UPDATE transfers SET source_urls = (SELECT {agg}(x.url, ' ') FROM (
        SELECT DISTINCT s.url FROM claims c JOIN sources s ON s.id = c.source_id
        WHERE c.transfer_id = transfers.id AND c.status <> 'rejected' AND s.url IS NOT NULL
        ORDER BY s.url) x)""")
    op.execute(f"""UPDATE exchanges SET mediators = (SELECT {agg}(x.code, ' ') FROM (
        SELECT p.code FROM exchange_mediators m JOIN parties p ON p.id = m.party_id
        WHERE m.exchange_id = exchanges.id ORDER BY p.code) x)""")


def upgrade() -> None:
    prev = _previous()
    for view in prev.VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    with op.batch_alter_table("exchanges") as batch:
        batch.add_column(sa.Column("mediators", sa.String(200), nullable=True))
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("source_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("source_urls", sa.Text(), nullable=True))
    _fill_derived()
    with op.batch_alter_table("transfers") as batch:
        batch.alter_column("date", existing_type=sa.Date(), nullable=False)
        batch.drop_index("ix_transfers_from_party_id")
        batch.drop_index("ix_transfers_to_party_id")
        for name, party in (("released", "from_party_id"), ("returned", "to_party_id")):
            batch.create_index(f"ix_transfers_{name}", [party, *BALANCE_INDEX])
    with op.batch_alter_table("capture_tallies") as batch:
        batch.create_index("ix_capture_tallies_as_of", ["as_of"])
    dialect = op.get_bind().dialect.name
    op.execute(_claims())
    op.execute(_transfers())
    op.execute(_exchanges(dialect))
    op.execute(prev._captures())
    op.execute(_balance("v_balance", "<> 'rejected'"))
    op.execute(_balance("v_balance_reviewed", "= 'accepted'"))


def downgrade() -> None:
    prev = _previous()
    for view in prev.VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    with op.batch_alter_table("transfers") as batch:
        batch.drop_index("ix_transfers_released")
        batch.drop_index("ix_transfers_returned")
        batch.create_index("ix_transfers_from_party_id", ["from_party_id"])
        batch.create_index("ix_transfers_to_party_id", ["to_party_id"])
        batch.drop_column("source_urls")
        batch.drop_column("source_count")
        batch.drop_column("date")
    with op.batch_alter_table("exchanges") as batch:
        batch.drop_column("mediators")
    with op.batch_alter_table("capture_tallies") as batch:
        batch.drop_index("ix_capture_tallies_as_of")
    prev.upgrade()
