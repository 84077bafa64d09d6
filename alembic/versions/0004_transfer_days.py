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


def _sums() -> str:
    return ("SUM(count_low) AS low, SUM(count_best) AS best, SUM(count_high) AS high, "
            "COUNT(*) - COUNT(count_high) AS open")


def _balance(name: str, status: str) -> str:
    """The balance rule of revision 0002, computed from ``transfer_days`` and with window
    functions only (no self-joins, which PostgreSQL planned badly): the base cumulative tally's
    as-of increments and the latest reported holding are read with FIRST_VALUE over groups that
    start at the row where they were set."""
    key = "x.date = tl.date AND x.party_id = tl.party_id AND x.category = tl.category"
    on = {alias: key.replace("x.", f"{alias}.") for alias in ("rl", "rt", "cu", "inc", "hd")}
    win = "PARTITION BY tl.party_id, tl.category ORDER BY tl.date ROWS UNBOUNDED PRECEDING"
    days = ("SELECT date, party_id, category, SUM(low) AS low, SUM(best) AS best, "
            "SUM(high) AS high, SUM(open) AS open, SUM(n) AS n FROM transfer_days "
            "WHERE role = '{role}' AND status " + status + " GROUP BY party_id, category, date")
    first = "FIRST_VALUE({col}) OVER (PARTITION BY party_id, category, {grp} ORDER BY date)"
    return f"""
CREATE VIEW {name} AS
WITH released AS ({days.format(role="released")}),
returned AS ({days.format(role="returned")}),
tallies AS (
    SELECT as_of AS date, captor_id AS party_id, category, kind,
           count_low, count_best, count_high
    FROM capture_tallies WHERE status {status}
),
cumulative AS (
    SELECT date, party_id, category, MAX(count_best) AS best
    FROM tallies WHERE kind = 'cumulative' GROUP BY date, party_id, category
),
increments AS (
    SELECT date, party_id, category, {_sums()}
    FROM tallies WHERE kind = 'increment' GROUP BY date, party_id, category
),
holdings AS (
    SELECT date, party_id, category, MIN(count_low) AS low, MAX(count_best) AS best,
           MAX(count_high) AS high, COUNT(*) - COUNT(count_high) AS open
    FROM tallies WHERE kind = 'holding' GROUP BY date, party_id, category
),
base_tally AS (
    SELECT date, party_id, category, count_best AS best, MIN(count_low) AS low,
           MAX(count_high) AS high, COUNT(*) - COUNT(count_high) AS open
    FROM tallies WHERE kind = 'cumulative' GROUP BY date, party_id, category, count_best
),
timeline AS (
    SELECT date, party_id, category FROM released
    UNION SELECT date, party_id, category FROM returned
    UNION SELECT date, party_id, category FROM tallies
),
running AS (
    SELECT tl.date, tl.party_id, tl.category,
           SUM(COALESCE(rl.low, 0)) OVER w AS released_low,
           SUM(COALESCE(rl.best, 0)) OVER w AS released_best,
           SUM(COALESCE(rl.high, 0)) OVER w AS released_high,
           SUM(COALESCE(rl.open, 0)) OVER w AS released_open,
           SUM(COALESCE(rt.low, 0)) OVER w AS returned_low,
           SUM(COALESCE(rt.best, 0)) OVER w AS returned_best,
           SUM(COALESCE(rt.high, 0)) OVER w AS returned_high,
           SUM(COALESCE(rt.open, 0)) OVER w AS returned_open,
           MAX(cu.best) OVER w AS cum_best,
           SUM(COALESCE(inc.low, 0)) OVER w AS inc_low,
           SUM(COALESCE(inc.best, 0)) OVER w AS inc_best,
           SUM(COALESCE(inc.high, 0)) OVER w AS inc_high,
           SUM(COALESCE(inc.open, 0)) OVER w AS inc_open,
           COUNT(inc.best) OVER w AS inc_count,
           COUNT(hd.best) OVER w AS holding_group,
           hd.low AS hd_low, hd.best AS hd_best, hd.high AS hd_high, hd.open AS hd_open,
           CASE WHEN hd.best IS NOT NULL THEN tl.date END AS hd_date,
           COALESCE(rl.n, 0) + COALESCE(rt.n, 0) AS transfer_count
    FROM timeline tl
    LEFT JOIN released rl ON {on["rl"]}
    LEFT JOIN returned rt ON {on["rt"]}
    LEFT JOIN cumulative cu ON {on["cu"]}
    LEFT JOIN increments inc ON {on["inc"]}
    LEFT JOIN holdings hd ON {on["hd"]}
    WINDOW w AS ({win})
),
based AS (
    SELECT r.*,
           CASE WHEN r.cum_best IS NOT NULL THEN {first.format(col="date", grp="cum_best")}
           END AS base_as_of,
           {first.format(col="inc_low", grp="cum_best")} AS base_inc_low,
           {first.format(col="inc_best", grp="cum_best")} AS base_inc_best,
           {first.format(col="inc_high", grp="cum_best")} AS base_inc_high,
           {first.format(col="inc_open", grp="cum_best")} AS base_inc_open,
           {first.format(col="hd_date", grp="holding_group")} AS reported_holding_as_of,
           {first.format(col="hd_low", grp="holding_group")} AS reported_holding_low,
           {first.format(col="hd_best", grp="holding_group")} AS reported_holding_best,
           {first.format(col="hd_high", grp="holding_group")} AS reported_holding_high,
           {first.format(col="hd_open", grp="holding_group")} AS reported_holding_open
    FROM running r
),
captured AS (
    SELECT b.*,
           CASE WHEN b.cum_best IS NULL AND b.inc_count = 0 THEN 0 ELSE 1 END AS known,
           CASE WHEN b.cum_best IS NULL THEN 0 ELSE 1 END AS has_base,
           COALESCE(bt.low, 0) AS base_low, COALESCE(bt.best, 0) AS base_best,
           COALESCE(bt.high, 0) AS base_high, COALESCE(bt.open, 0) AS base_open
    FROM based b
    LEFT JOIN base_tally bt ON bt.party_id = b.party_id AND bt.category = b.category
         AND bt.date = b.base_as_of AND bt.best = b.cum_best
),
final AS (
    SELECT c.party_id, c.category, c.date, c.known,
           c.base_low + c.inc_low - c.has_base * c.base_inc_low AS cap_low,
           c.base_best + c.inc_best - c.has_base * c.base_inc_best AS cap_best,
           c.base_high + c.inc_high - c.has_base * c.base_inc_high AS cap_high,
           c.base_open + c.inc_open - c.has_base * c.base_inc_open AS cap_open,
           c.released_low, c.released_best, c.released_high, c.released_open,
           c.returned_low, c.returned_best, c.returned_high, c.returned_open,
           c.reported_holding_low, c.reported_holding_best, c.reported_holding_high,
           c.reported_holding_open, c.reported_holding_as_of, c.transfer_count
    FROM captured c
),
shown AS (
    SELECT f.party_id, f.category, f.date,
           CASE WHEN f.known = 1 THEN f.cap_low END AS captured_low,
           CASE WHEN f.known = 1 THEN f.cap_best END AS captured_best,
           CASE WHEN f.known = 1 AND f.cap_open = 0 THEN f.cap_high END AS captured_high,
           f.released_low, f.released_best,
           CASE WHEN f.released_open = 0 THEN f.released_high END AS released_high,
           f.returned_low, f.returned_best,
           CASE WHEN f.returned_open = 0 THEN f.returned_high END AS returned_high,
           f.reported_holding_low, f.reported_holding_best,
           CASE WHEN f.reported_holding_open = 0 THEN f.reported_holding_high
           END AS reported_holding_high,
           f.reported_holding_as_of, f.transfer_count
    FROM final f
)
SELECT p.code AS party, s.category, s.date,
       s.captured_low, s.captured_best, s.captured_high,
       s.released_low, s.released_best, s.released_high,
       s.returned_low, s.returned_best, s.returned_high,
       s.captured_low - s.released_high AS held_low,
       s.captured_best - s.released_best AS held_best,
       s.captured_high - s.released_low AS held_high,
       s.reported_holding_low, s.reported_holding_best, s.reported_holding_high,
       s.reported_holding_as_of,
       (s.captured_best - s.released_best) - s.reported_holding_best AS held_minus_reported,
       s.transfer_count
FROM shown s JOIN parties p ON p.id = s.party_id
"""


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
