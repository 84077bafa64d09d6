"""``tracker sql`` cannot change anything, on PostgreSQL even when the URL names a superuser (as
the test URL does); every query is bounded in time and streamed; commands that read leave the
database file as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli
from tracker import readonly
from tracker.db import open_database


@pytest.fixture
def pg(pg_url: str) -> str:
    """A migrated, seeded tracker database on PostgreSQL, reached as a superuser."""
    open_database(pg_url).dispose()
    return pg_url


def _admin(url: str):  # the URL's own (superuser) role, to look at what a query left behind
    return create_engine(url)


def test_the_test_url_is_a_superuser(pg: str) -> None:
    with _admin(pg).connect() as conn:
        role = text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert conn.execute(role).scalar() is True


# Each of these did its harm through `tracker sql` with a superuser URL before the query ran as
# the reader role.
SERVER_ATTACKS = [
    "COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
    "COPY (SELECT 1) TO '{marker}'",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_ls_dir('.')",
    "SELECT pg_create_physical_replication_slot('{slot}')",
    "DO $$BEGIN LOCK TABLE claims IN ACCESS EXCLUSIVE MODE; END$$",
    # a superuser session takes its role back inside the query: SET ROLE alone is not enough
    "SELECT set_config('role', 'none', true), pg_read_file('/etc/hostname')",
    "SELECT set_config('role', 'none', true), pg_terminate_backend({victim})",
    "SELECT set_config('session_authorization',"
    " (SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1), true)",
    "DELETE FROM claims",
]


@pytest.mark.parametrize("attack", SERVER_ATTACKS)
def test_postgres_sql_runs_as_a_role_that_can_only_read(pg: str, attack: str) -> None:
    marker = Path("/tmp") / f"tracker-test-{uuid.uuid4().hex}"  # the server's user may write here
    slot = f"s_{uuid.uuid4().hex[:10]}"
    engine = _admin(pg)
    try:
        with engine.connect() as victim:
            pid = victim.execute(text("SELECT pg_backend_pid()")).scalar()
            result = Cli(pg)("sql", attack.format(marker=marker, slot=slot, victim=pid))
            assert result.exit_code == 1
            assert result.output.startswith("Error: "), result.output
            assert result.output[-1] == "\n" and result.output.count("\n") == 1
            assert victim.execute(text("SELECT 1")).scalar() == 1  # not terminated
        with engine.connect() as conn:
            slots = text("SELECT count(*) FROM pg_replication_slots WHERE slot_name = :s")
            assert conn.execute(slots, {"s": slot}).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM claims")).scalar() is not None
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_drop_replication_slot(slot_name) FROM"
                              " pg_replication_slots WHERE slot_name = :s"), {"s": slot})
        engine.dispose()


def test_postgres_sql_still_reads_tables_views_and_catalogs(pg: str) -> None:
    cli = Cli(pg)
    assert cli.ok("sql", "SELECT count(*) AS n FROM parties WHERE code = 'UKR'",
                  "--format", "csv") == "n\n1\n"
    assert cli.ok("sql", "SELECT count(*) AS n FROM v_balance", "--format", "csv") == "n\n0\n"
    assert cli.ok("sql", "SELECT session_user AS u", "--format", "csv") == "u\ntracker_reader\n"


def test_a_reader_that_can_do_more_is_refused(pg: str, monkeypatch) -> None:
    role = f"trk_{uuid.uuid4().hex[:10]}"
    engine = _admin(pg)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"GRANT pg_signal_backend TO {role}")
    try:
        monkeypatch.setattr(readonly, "READER", role)
        result = Cli(pg)("sql", "SELECT 1")
        assert result.exit_code == 1
        assert result.output == (
            f"Error: the role {role} can do more than read (a superuser, or a member of another"
            " role): tracker sql refuses to run as it\n"
        )
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP ROLE {role}")
        engine.dispose()


def test_without_a_reader_it_refuses_to_run(pg: str, monkeypatch) -> None:
    monkeypatch.setattr(readonly, "READER", f"trk_missing_{uuid.uuid4().hex[:8]}")
    result = Cli(pg)("sql", "SELECT 1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: tracker sql runs on PostgreSQL as the read-only role")
    assert "tracker db reader" in result.output


def test_db_reader_gives_back_the_grants(pg: str) -> None:
    engine = _admin(pg)
    with engine.begin() as conn:
        conn.exec_driver_sql("REVOKE SELECT ON parties FROM tracker_reader")
    cli = Cli(pg)
    refused = cli("sql", "SELECT count(*) FROM parties")
    assert refused.exit_code == 1 and "permission denied for table parties" in refused.output
    assert "tracker_reader may read" in cli.ok("db", "reader")
    assert cli.ok("sql", "SELECT count(*) AS n FROM parties WHERE code = 'RUS'",
                  "--format", "csv") == "n\n1\n"
    engine.dispose()


def test_db_reader_on_sqlite_says_it_is_for_postgres(sqlite_url: str) -> None:
    result = Cli(sqlite_url)("db", "reader")
    assert result.exit_code == 1 and result.output.startswith("Error: tracker db reader is for")


# --- time and memory: both engines ---------------------------------------------------------

ENDLESS = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
    "postgresql": "SELECT generate_series(1, 1000000000000) AS x",
}


def _kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def test_rows_are_streamed_so_an_endless_query_gives_its_first_rows(engine: str) -> None:
    out = Cli(engine).ok("sql", ENDLESS[_kind(engine)], "--limit", "3", "--format", "csv",
                         "--timeout", "20")
    assert out == "x\n1\n2\n3\n"


def test_an_endless_query_stops_at_the_timeout(engine: str) -> None:
    query = ENDLESS[_kind(engine)].replace("SELECT x FROM c", "SELECT count(*) FROM c")
    query = query.replace("SELECT generate_series", "SELECT count(*) FROM (SELECT generate_series")
    query += ") t" if _kind(engine) == "postgresql" else ""
    result = Cli(engine)("sql", query, "--timeout", "1")
    assert result.exit_code == 1
    assert result.output == "Error: query stopped after the 1 s timeout (--timeout)\n"


def test_sqlite_timeout_holds_inside_one_long_function_call(sqlite_url: str) -> None:
    """SQLite sees an interrupt only between steps; this one call ran for a minute."""
    result = Cli(sqlite_url)("sql", "SELECT length(printf('%.*c', 2000000000, 'x')) AS n",
                             "--timeout", "1")
    assert result.exit_code == 1
    assert result.output == "Error: query stopped after the 1 s timeout (--timeout)\n"


def test_sqlite_values_are_bounded(sqlite_url: str) -> None:
    result = Cli(sqlite_url)("sql", "SELECT length(randomblob(900000000))")
    assert result.exit_code == 1
    assert result.output.startswith("Error: SQL error: string or blob too big")


def test_limit_zero_prints_the_header_only(engine: str) -> None:
    assert Cli(engine).ok("sql", "SELECT code FROM parties", "--limit", "0",
                          "--format", "csv") == "code\n"


# --- the file is not changed by commands that read -----------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_commands_leave_a_rollback_journal_database_unchanged(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    cli = Cli(sqlite_url)
    cli.ok("import", str(Path(__file__).resolve().parent.parent / "seeds"))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    (tmp_path / "out").mkdir()

    def files() -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name))

    before = files(), _digest(path)
    for command in (
        ["sql", "SELECT count(*) FROM claims"],
        ["report", "balance"],
        ["claims", "list"],
        ["parties", "list"],
        ["export", "transfers", "--out", str(tmp_path / "out" / "transfers.csv")],
    ):
        cli.ok(*command)
    assert (files(), _digest(path)) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.fixture
def read_only_mount(tmp_path: Path):
    """``tmp_path/ro``: a read-only bind mount of ``tmp_path/rw`` (needs root; else skipped)."""
    rw, ro = tmp_path / "rw", tmp_path / "ro"
    rw.mkdir()
    ro.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(rw), str(ro)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        yield rw, ro
    finally:
        subprocess.run(["umount", "--lazy", str(ro)], check=True)


def test_reads_work_on_a_read_only_mount(read_only_mount, sqlite_url: str) -> None:
    rw, ro = read_only_mount
    Path(rw, "tracker.db").write_bytes(Path(sqlite_url.removeprefix("sqlite:///")).read_bytes())
    cli = Cli(f"sqlite:///{ro / 'tracker.db'}")
    assert cli.ok("sql", "SELECT count(*) AS n FROM parties WHERE code = 'UKR'",
                  "--format", "csv") == "n\n1\n"
    cli.ok("report", "balance")
    assert "UKR" in cli.ok("parties", "list")
    assert sorted(p.name for p in rw.iterdir()) == ["tracker.db"]


def test_a_table_is_laid_out_page_by_page(monkeypatch) -> None:
    """Memory stays flat for a table too: rows are pulled a page at a time as it is printed."""
    from tracker import export

    monkeypatch.setattr(export, "TABLE_PAGE", 3)
    pulled: list[int] = []

    def rows():
        for i in range(8):
            pulled.append(i)
            yield (i, "x" * i)

    class Terminal:
        def __init__(self) -> None:
            self.seen: list[tuple[int, str]] = []

        def write(self, text: str) -> None:
            self.seen.append((len(pulled), text))

    out = Terminal()
    assert export._write_table(["n", "s"], rows(), out) == 8  # type: ignore[arg-type]
    assert [at for at, _ in out.seen] == [3, 6, 8]
    assert "".join(t for _, t in out.seen) == (
        "n  s\n-  --\n0\n1  x\n2  xx\n3  xxx\n4  xxxx\n5  xxxxx\n6  xxxxxx\n7  xxxxxxx\n"
    )
    whole = export.format_table(["n", "s"], [(i, "x" * i) for i in range(8)])
    assert whole.startswith("n  s\n-  -------\n0\n")  # laid out at once: the widest row sets it
