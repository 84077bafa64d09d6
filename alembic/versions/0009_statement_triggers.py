"""statement triggers: PostgreSQL keeps ``transfer_days`` once per statement, not once per row

Revision 0004's triggers upsert ``transfer_days`` for every transfer a statement touches: a
review decision over a whole corpus (``tracker claims accept --status pending --yes``: one
UPDATE of tens of thousands of transfers) spent most of its time in them (26,667 rows: 6.2 s of
trigger time). On PostgreSQL the same sums are now applied per statement, from its transition
tables: the signed rows of the old and new versions summed per day key, one upsert, and the
removal of keys whose count fell to zero. A row an UPDATE did not change in a watched column
adds and takes away the same amounts, so its key is not written. SQLite has no statement
triggers and keeps revision 0004's.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ROLES = (("released", "from_party_id"), ("returned", "to_party_id"))
KEY = ("party_id", "role", "category", "date", "status")
EVENTS = (("insert", "INSERT", "NEW TABLE AS new_rows"),
          ("delete", "DELETE", "OLD TABLE AS old_rows"),
          ("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"))


def _revision(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_rev_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _signed(table: str, sign: str) -> str:
    return " UNION ALL ".join(
        f"SELECT {party} AS party_id, '{role}' AS role, category, date, status, {sign}1 AS n, "
        f"{sign}count_low AS low, {sign}count_best AS best, {sign}COALESCE(count_high, 0) AS high, "
        f"{sign}(CASE WHEN count_high IS NULL THEN 1 ELSE 0 END) AS open FROM {table}"
        for role, party in ROLES)


def _apply(tables: list[tuple[str, str]]) -> str:
    """One upsert of the summed changes, then the keys left with no transfer removed."""
    moved = " UNION ALL ".join(_signed(table, sign) for table, sign in tables)
    key = ", ".join(KEY)
    upsert = f"""
    INSERT INTO transfer_days ({key}, n, low, best, high, open)
    SELECT {key}, SUM(n), SUM(low), SUM(best), SUM(high), SUM(open) FROM ({moved}) m
    GROUP BY {key}
    HAVING SUM(n) <> 0 OR SUM(low) <> 0 OR SUM(best) <> 0 OR SUM(high) <> 0 OR SUM(open) <> 0
    ON CONFLICT ({key}) DO UPDATE SET
        n = transfer_days.n + excluded.n, low = transfer_days.low + excluded.low,
        best = transfer_days.best + excluded.best, high = transfer_days.high + excluded.high,
        open = transfer_days.open + excluded.open;"""
    if not any(table == "old_rows" for table, _ in tables):
        return upsert
    return upsert + f"""
    DELETE FROM transfer_days d USING (SELECT DISTINCT {key} FROM ({_signed("old_rows", "")}) o) o
    WHERE d.n = 0 AND {" AND ".join(f"d.{k} = o.{k}" for k in KEY)};"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect != "postgresql":
        return
    _revision("0004_transfer_days.py")._drop_triggers(dialect)
    op.execute(f"""
CREATE FUNCTION transfer_days_keep_statement() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {_apply([("new_rows", "")])}
  ELSIF TG_OP = 'DELETE' THEN {_apply([("old_rows", "-")])}
  ELSE {_apply([("old_rows", "-"), ("new_rows", "")])}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    for name, event, tables in EVENTS:
        op.execute(f"CREATE TRIGGER transfer_days_{name} AFTER {event} ON transfers "
                   f"REFERENCING {tables} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION transfer_days_keep_statement()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect != "postgresql":
        return
    for name, _, _ in EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS transfer_days_{name} ON transfers")
    op.execute("DROP FUNCTION IF EXISTS transfer_days_keep_statement()")
    _revision("0004_transfer_days.py")._create_triggers(dialect)
