"""claim events: the audit trail of review

``claim_events`` keeps one row per field that a decision (accept, reject, reopen), an edit or an
undo changed on a claim: the claim's event number (the rows of one decision share it), action,
field, old and new value as text, the note given, when and by whom. ``tracker claims history``
lists them and ``tracker claims undo`` reverts the latest one. ``claim_id`` is deliberately not
a foreign key: a claim removed by re-extraction keeps its trail.

Downgrade drops the table (the trail is forgotten; the claims keep their current values).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ACTIONS = ("accept", "reject", "reopen", "edit", "undo")


def upgrade() -> None:
    op.create_table(
        "claim_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.CheckConstraint(f"action IN ({', '.join(repr(a) for a in ACTIONS)})",
                           name=op.f("ck_claim_events_action")),
        sa.CheckConstraint("event >= 1", name=op.f("ck_claim_events_event_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_events")),
        sa.UniqueConstraint("claim_id", "event", "field",
                            name=op.f("uq_claim_events_claim_id_event_field")),
    )


def downgrade() -> None:
    op.drop_table("claim_events")
