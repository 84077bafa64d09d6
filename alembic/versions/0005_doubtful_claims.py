"""doubtful claims and foreign parties

Extraction keeps a figure it cannot settle (not done, perhaps a running total) as a claim with
status ``doubtful`` and the reason in ``claims.doubt``: it is listed for review and counts in no
figure until a person accepts it. A transfer or tally whose only live claims are doubtful is
``doubtful`` itself. Every view, and the balance, now counts ``pending`` and ``accepted``
figures (``IN ('pending', 'accepted')``) instead of everything not rejected, and source counts
count only the claims that count. Parties gain the role ``foreign``: a state whose nationals
are taken captive (North Korean soldiers are captives of PRK), not a side of the war.

Downgrade: doubtful claims, transfers and tallies become ``rejected`` (they counted nowhere,
as rejected ones do; the reason is kept in the note), and foreign parties become mediators
(neither side of the war, as before).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COUNTED = "IN ('pending', 'accepted')"
OLD_STATUSES = ("pending", "accepted", "rejected")
STATUSES = (*OLD_STATUSES, "doubtful")
OLD_ROLES = ("belligerent", "mediator")
ROLES = (*OLD_ROLES, "foreign")
VIEWS = ("v_balance_reviewed", "v_balance", "v_captures", "v_exchanges", "v_transfers", "v_claims")


def _revision(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_rev_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _counted(sql: str) -> str:
    """A view of revision 0002/0003 that counts pending and accepted rows only."""
    assert "<> 'rejected'" in sql
    return sql.replace("<> 'rejected'", COUNTED)


def _views(dialect: str) -> list[str]:
    r2, r3, r4 = (_revision(n) for n in ("0002_analyst_views.py", "0003_fast_reads.py",
                                         "0004_transfer_days.py"))
    claims = r3._claims().replace("c.status,", "c.status, c.doubt,")
    assert "c.doubt," in claims
    return [claims, _counted(r3._transfers()), _counted(r3._exchanges(dialect)),
            _counted(r2._captures()), r4._balance("v_balance", COUNTED),
            r4._balance("v_balance_reviewed", "= 'accepted'")]


def _set_checks(statuses: tuple[str, ...], roles: tuple[str, ...]) -> None:
    """Replace the status and role CHECK constraints (batch mode: SQLite copies the table)."""
    for table in ("claims", "transfers", "capture_tallies"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_status"), type_="check")
            batch.create_check_constraint("status", _in("status", statuses))
    with op.batch_alter_table("parties") as batch:
        batch.drop_constraint(op.f("ck_parties_role"), type_="check")
        batch.create_check_constraint("role", _in("role", roles))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    r4 = _revision("0004_transfer_days.py")
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    r4._drop_triggers(dialect)  # SQLite's batch copy of transfers would lose them
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("doubt", sa.Text(), nullable=True))
    _set_checks(STATUSES, ROLES)
    r4._create_triggers(dialect)
    for sql in _views(dialect):
        op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    r3, r4 = _revision("0003_fast_reads.py"), _revision("0004_transfer_days.py")
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute("UPDATE claims SET status = 'rejected', note = COALESCE(note || ' ', '') || "
               "'(doubtful: ' || COALESCE(doubt, '') || ')' WHERE status = 'doubtful'")
    for table in ("transfers", "capture_tallies"):
        op.execute(f"UPDATE {table} SET status = 'rejected' WHERE status = 'doubtful'")
    op.execute("UPDATE parties SET role = 'mediator' WHERE role = 'foreign'")
    r4._drop_triggers(dialect)
    _set_checks(OLD_STATUSES, OLD_ROLES)
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("doubt")
    r4._create_triggers(dialect)
    prev = _revision("0002_analyst_views.py")
    op.execute(r3._claims())
    op.execute(r3._transfers())
    op.execute(r3._exchanges(dialect))
    op.execute(prev._captures())
    op.execute(r4._balance("v_balance", "<> 'rejected'"))
    op.execute(r4._balance("v_balance_reviewed", "= 'accepted'"))
