"""lasting ids: retired ids resolve, sources entered by hand are never re-extracted

``retired_ids`` remembers every claim, transfer, exchange or tally id that stopped naming a
record of its own: merged into another (``into_id``, the older record survives) or removed when
re-extraction no longer finds the fact. ``tracker report provenance transfer:8`` answers for a
retired 8 with the record it became. ``sources.extracted`` is false for a source entered with
``tracker add source``: the rules never read it and ``reextract`` leaves it alone. Upgrade
marks as such the sources that have hand-entered claims and no rule-made ones. On SQLite the
tables whose ids are cited (claims, transfers, exchanges, capture_tallies) become AUTOINCREMENT
tables: SQLite would otherwise give a new row the id of a deleted last row.

Downgrade drops both (the retired ids are forgotten; ``reextract`` would read every source).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


CITED = ("exchanges", "transfers", "capture_tallies", "claims")


def _never_reused(flag: bool) -> None:
    """Copy the cited tables with or without AUTOINCREMENT (SQLite only; a batch copy drops the
    views and triggers that read them, so they are kept aside and made again as they were)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kept = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
        "AND sql IS NOT NULL ORDER BY type DESC, rowid").all()
    for kind, name, _ in kept:
        op.execute(f"DROP {kind.upper()} IF EXISTS {name}")
    for table in CITED:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": flag}):
            pass
    for _, _, sql in kept:
        op.execute(sql)


def upgrade() -> None:
    op.create_table(
        "retired_ids",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("into_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("kind IN ('claim', 'transfer', 'exchange', 'capture')",
                           name=op.f("ck_retired_ids_kind")),
        sa.PrimaryKeyConstraint("kind", "id", name=op.f("pk_retired_ids")),
    )
    # ALTER TABLE in place on both engines: a batch copy of sources would break the SQLite
    # views that read it
    op.add_column("sources", sa.Column("extracted", sa.Boolean(), server_default=sa.true(),
                                       nullable=False))
    op.execute("""UPDATE sources SET extracted = false
        WHERE EXISTS (SELECT 1 FROM claims c WHERE c.source_id = sources.id
                      AND c.method = 'manual')
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.source_id = sources.id
                          AND c.method <> 'manual')""")
    _never_reused(True)


def downgrade() -> None:
    _never_reused(False)
    op.execute("ALTER TABLE sources DROP COLUMN extracted")  # SQLite 3.35+ does it in place
    op.drop_table("retired_ids")
