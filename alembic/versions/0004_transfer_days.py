"""transfer days: per-day sums of transfers kept by triggers, read by the balance views

The balance needs, per party, category and date, the sums of what the party released and
received. Summing a million transfers on every report is the slow part; the triggers below keep
those sums in ``transfer_days`` as transfers are inserted, updated and deleted (the same SQL on
both engines: an upsert of signed amounts, and removal of rows whose count falls to zero), and
the balance views read them instead.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROLES = (("released", "from_party_id"), ("returned", "to_party_id"))
WATCHED = ("from_party_id", "to_party_id", "category", "date", "status", "count_low",
           "count_best", "count_high")


def _revision(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_rev_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _apply(row: str, role: str, party: str, sign: str) -> str:
    """Add (sign '+') or take away (sign '-') one transfer ``row`` (NEW or OLD)."""
    high = f"COALESCE({row}.count_high, 0)"
    is_open = f"CASE WHEN {row}.count_high IS NULL THEN 1 ELSE 0 END"
    return f"""
    INSERT INTO transfer_days (party_id, role, category, date, status, n, low, best, high, open)
    VALUES ({row}.{party}, '{role}', {row}.category, {row}.date, {row}.status, {sign}1,
            {sign}{row}.count_low, {sign}{row}.count_best, {sign}{high}, {sign}{is_open})
    ON CONFLICT (party_id, role, category, date, status) DO UPDATE SET
        n = transfer_days.n + excluded.n, low = transfer_days.low + excluded.low,
        best = transfer_days.best + excluded.best, high = transfer_days.high + excluded.high,
        open = transfer_days.open + excluded.open;"""


def _prune(row: str, role: str, party: str) -> str:
    return f"""
    DELETE FROM transfer_days WHERE party_id = {row}.{party} AND role = '{role}'
        AND category = {row}.category AND date = {row}.date AND status = {row}.status
        AND n = 0;"""


def _body(op_name: str) -> str:
    parts = []
    if op_name in ("DELETE", "UPDATE"):
        parts += [_apply("OLD", role, party, "-") + _prune("OLD", role, party)
                  for role, party in ROLES]
    if op_name in ("INSERT", "UPDATE"):
        parts += [_apply("NEW", role, party, "") for role, party in ROLES]
    return "".join(parts)


def _create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(f"""
CREATE FUNCTION transfer_days_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN {_body("DELETE")}
  ELSIF TG_OP = 'UPDATE' THEN {_body("UPDATE")}
  ELSE {_body("INSERT")}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER transfer_days_keep AFTER INSERT OR DELETE OR UPDATE OF
            from_party_id, to_party_id, category, date, status, count_low, count_best,
            count_high ON transfers FOR EACH ROW EXECUTE FUNCTION transfer_days_keep()""")
        return
    for name, event in (("insert", "INSERT"), ("delete", "DELETE"),
                        ("update", f"UPDATE OF {', '.join(WATCHED)}")):
        op.execute(f"CREATE TRIGGER transfer_days_{name} AFTER {event} ON transfers "
                   f"FOR EACH ROW BEGIN {_body(name.upper())} END")


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS transfer_days_keep ON transfers")
        op.execute("DROP FUNCTION IF EXISTS transfer_days_keep()")
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS transfer_days_{name}")


def _balance(name: str, status: str) -> str:
    """0003's balance, with released/returned read from transfer_days."""
    sql = _revision("0003_fast_reads.py")._balance(name, status)
    for role, party in ROLES:
        old = (f"    SELECT date, {party} AS party_id, category, SUM(count_low) AS low, "
               f"SUM(count_best) AS best, SUM(count_high) AS high, COUNT(*) - COUNT(count_high)"
               f" AS open, COUNT(*) AS n\n    FROM transfers WHERE status {status} GROUP BY "
               f"{party}, category, date")
        assert old in sql, old
        sql = sql.replace(old, (
            "    SELECT date, party_id, category, SUM(low) AS low, SUM(best) AS best, "
            "SUM(high) AS high, SUM(open) AS open, SUM(n) AS n\n"
            f"    FROM transfer_days WHERE role = '{role}' AND status {status} "
            "GROUP BY party_id, category, date"))
    return sql


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "transfer_days",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=False),
        sa.Column("best", sa.BigInteger(), nullable=False),
        sa.Column("high", sa.BigInteger(), nullable=False),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('released', 'returned')", name=op.f("ck_transfer_days_role")),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"],
                                name=op.f("fk_transfer_days_party_id_parties")),
        sa.PrimaryKeyConstraint("party_id", "role", "category", "date", "status",
                                name=op.f("pk_transfer_days")),
    )
    for role, party in ROLES:
        op.execute(f"""INSERT INTO transfer_days
            (party_id, role, category, date, status, n, low, best, high, open)
            SELECT {party}, '{role}', category, date, status, COUNT(*), SUM(count_low),
                   SUM(count_best), COALESCE(SUM(count_high), 0), COUNT(*) - COUNT(count_high)
            FROM transfers GROUP BY {party}, category, date, status""")
    _create_triggers(dialect)
    for view in ("v_balance_reviewed", "v_balance"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(_balance("v_balance", "<> 'rejected'"))
    op.execute(_balance("v_balance_reviewed", "= 'accepted'"))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    previous = _revision("0003_fast_reads.py")
    for view in ("v_balance_reviewed", "v_balance"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(previous._balance("v_balance", "<> 'rejected'"))
    op.execute(previous._balance("v_balance_reviewed", "= 'accepted'"))
    _drop_triggers(dialect)
    op.drop_table("transfer_days")
