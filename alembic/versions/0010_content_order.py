"""content order: what the exchange and capture views show does not depend on ids

Merging is a function of the set of claims (``tracker.store.regroup``), so the views must not
bring arrival back: ``v_exchanges.transfers`` lists an exchange's transfers by parties,
category and then count (two transfers of one way and kind were listed in id order), and
``v_captures`` quotes the claim of the earliest published source (then by text hash and place
in the text) instead of the claim with the smallest id. ``claims.date`` is indexed: regrouping
finds the reports of compatible dates.

Downgrade restores the views of revision 0005 and drops the index.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

VIEWS = ("v_captures", "v_exchanges")
COUNTED = "IN ('pending', 'accepted')"


def _revision(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_rev_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _cut(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


def _views(dialect: str) -> list[str]:
    r2, r3, r5 = (_revision(n) for n in ("0002_analyst_views.py", "0003_fast_reads.py",
                                         "0005_doubtful_claims.py"))
    exchanges = _cut(r5._counted(r3._exchanges(dialect)),
                     "ORDER BY pf.code, pt.code, t.category)",
                     "ORDER BY pf.code, pt.code, t.category, t.count_best, t.count_low, "
                     "t.count_high, t.qualifier)")
    captures = _cut(r5._counted(r2._captures()),
                    f"""(SELECT MIN(c.id) FROM claims c
                                WHERE c.capture_id = ct.id AND c.status {COUNTED})""",
                    f"""(SELECT c.id FROM claims c JOIN sources cs ON cs.id = c.source_id
                                WHERE c.capture_id = ct.id AND c.status {COUNTED}
                                ORDER BY cs.published, cs.text_hash,
                                         COALESCE(c.span_start, -1), c.id
                                LIMIT 1)""")
    return [exchanges, captures]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    for sql in _views(dialect):
        op.execute(sql)
    op.create_index(op.f("ix_claims_date"), "claims", ["date"])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    for sql in _revision("0005_doubtful_claims.py")._views(dialect)[2:4]:
        op.execute(sql)
    op.drop_index(op.f("ix_claims_date"), table_name="claims")
