"""One Alembic history that builds the models' schema, up and down, with data, on both engines."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tests.conftest import Cli
from tests.test_cli_core import enter_sample
from tracker.db import ALEMBIC_DIR, SCHEMA_HEAD, open_database
from tracker.models import Base


def test_one_head_and_tracker_knows_it() -> None:
    assert ScriptDirectory(str(ALEMBIC_DIR)).get_heads() == [SCHEMA_HEAD]


def test_models_and_migrations_agree(engine: str) -> None:
    db = open_database(engine)
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    db.dispose()
    assert diff == []


def test_down_to_base_and_up_again_with_data(engine: str) -> None:
    enter_sample(Cli(engine))
    db = open_database(engine)
    db.downgrade("0001")
    with db.engine.connect() as conn:
        assert "v_balance" not in inspect(conn).get_view_names()
        assert conn.execute(text("SELECT COUNT(*) FROM claims")).scalar() == 3
    db.upgrade("head")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM v_transfers")).scalar() == 2
    db.downgrade("base")
    with db.engine.connect() as conn:
        assert [t for t in inspect(conn).get_table_names() if t != "alembic_version"] == []
    db.upgrade("head")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM v_balance")).scalar() == 0
    db.dispose()


@pytest.mark.parametrize("check", ["ck_claims_count_low_le_best", "ck_transfers_count_low_nonneg"])
def test_constraints_are_named_by_convention(engine: str, check: str) -> None:
    db = open_database(engine)
    with db.engine.connect() as conn:
        table = check.split("_")[1]
        names = {c["name"] for c in inspect(conn).get_check_constraints(table)}
    db.dispose()
    assert check in names


def transfer_days_agree(url: str) -> None:
    """The trigger-kept sums equal a GROUP BY over the transfers themselves."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    kept = "SELECT party_id, role, category, date, status, n, low, best, high, open FROM transfer_days"
    derived = " UNION ALL ".join(
        f"SELECT {party}, '{role}', category, date, status, COUNT(*), SUM(count_low), "
        f"SUM(count_best), COALESCE(SUM(count_high), 0), COUNT(*) - COUNT(count_high) "
        f"FROM transfers GROUP BY {party}, category, date, status"
        for role, party in (("released", "from_party_id"), ("returned", "to_party_id")))
    with engine.connect() as conn:
        got = sorted(tuple(str(v) for v in r) for r in conn.execute(text(kept)))
        want = sorted(tuple(str(v) for v in r) for r in conn.execute(text(derived)))
    engine.dispose()
    assert got == want


def test_transfer_days_follow_every_change(engine: str) -> None:
    cli = Cli(engine)
    enter_sample(cli)
    cli.ok("add", "source", "--url", "https://example.org/o", "--published", "2025-02-05",
           "--text", "-", input="Another report.")
    cli.ok("add", "exchange", "--date", "2025-02-05", "-t", "RUS:UKR:189", "-t", "UKR:RUS:5:civilian",
           "--qualifier", "more_than", "--source", "2")
    transfer_days_agree(engine)
    cli.ok("claims", "edit", "1", "--count", "140")
    cli.ok("claims", "reject", "2")
    transfer_days_agree(engine)
    cli.ok("claims", "reject", "1")
    cli.ok("claims", "accept", "2")
    transfer_days_agree(engine)
    db = open_database(engine)
    db.downgrade("0003")
    db.upgrade("head")
    db.dispose()
    transfer_days_agree(engine)


def test_transfer_days_follow_statements_of_many_rows(engine: str) -> None:
    """PostgreSQL keeps the sums once per statement (revision 0009): one UPDATE or DELETE of
    many transfers, and an UPDATE that changes nothing watched, leave them right."""
    from sqlalchemy import create_engine

    cli = Cli(engine)
    enter_sample(cli)
    cli.ok("add", "source", "--url", "https://example.org/m", "--published", "2025-02-05",
           "--text", "-", input="Another report.")
    cli.ok("add", "exchange", "--date", "2025-02-07", "-t", "RUS:UKR:20", "-t", "UKR:RUS:5:civilian",
           "-t", "UKR:RUS:7", "--qualifier", "more_than", "--source", "2")
    eng = create_engine(engine)
    for sql in ("UPDATE transfers SET status = 'accepted'",
                "UPDATE transfers SET updated_at = updated_at",
                "UPDATE transfers SET count_best = count_best + 1, count_high = NULL "
                "WHERE category = 'pow'",
                "UPDATE transfers SET date = '2025-03-01' WHERE count_best < 10",
                "DELETE FROM transfers WHERE category = 'civilian'"):
        with eng.begin() as conn:
            if sql.startswith("DELETE"):
                conn.execute(text("DELETE FROM claims WHERE transfer_id IN "
                                  "(SELECT id FROM transfers WHERE category = 'civilian')"))
            conn.execute(text(sql))
        transfer_days_agree(engine)
    eng.dispose()


def test_postgresql_sessions_run_without_jit(pg_url: str) -> None:
    """Reports run in well under a second, where JIT compilation costs more than it saves."""
    db = open_database(pg_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
    db.dispose()
