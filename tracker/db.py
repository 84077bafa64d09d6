"""The one way to open a database: engine, sessions, SQLite pragmas, the revision check."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import PROJECT_DIR
from tracker.errors import DatabaseError, InputError

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_DIR = PROJECT_DIR / "alembic"
SQLITE_BUSY_TIMEOUT_MS = 60_000
WRITE_LOCK = 7_245_001  # PostgreSQL advisory lock key held by every writing transaction
# An import transaction on PostgreSQL begins, takes the write lock and sets its commit mode in
# one round trip to the server (no parameters: the simple protocol runs the three statements).
_BEGIN_IMPORT = (
    f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}); SET LOCAL synchronous_commit = off"
)


def parse_url(url: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` means psycopg 3, the driver we install."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"malformed database URL: {url!r}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql://")
    return parsed


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    """Foreign keys on every connection; WAL so readers never wait for an importing writer.

    The driver's own transaction handling is switched off so that ``_sqlite_begin`` decides how
    a transaction starts."""
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _to_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL. Two processes opening one new file at once both try, each holding
    a shared lock: SQLite refuses one of them at once ("database is locked": a deadlock, so no
    busy timeout applies), and the file is in WAL as soon as the other's switch is done, so the
    refused one waits for that and reads it again."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _postgres_session(dbapi_conn: Any, _record: object) -> None:
    """JIT compilation off for tracker's sessions: its queries run in well under a second, where
    compiling them costs more than it saves (balance by month at 1M transfers: 0.6 s without,
    0.8 s with)."""
    dbapi_conn.execute("SET jit = off")
    dbapi_conn.commit()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock when they begin (BEGIN IMMEDIATE), so two writers queue on
    the busy timeout instead of failing with "database is locked" half-way; readers don't."""
    writing = conn.get_execution_options().get("writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _sqlite_reader(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    """A connection that only reads: no journal-mode switch, and writes refused twice over
    (the file is opened ``mode=ro``, and ``query_only`` is on)."""
    dbapi_conn.isolation_level = None
    dbapi_conn.execute("PRAGMA query_only=ON")


def make_engine(url: str | URL, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; ``read_only``: every connection refuses to write (SQLite opens
    the file read-only and changes nothing in it or beside it; PostgreSQL starts every
    transaction READ ONLY)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, read_only)
        engine = create_engine(parsed, pool_pre_ping=False, **_postgres_args(parsed, read_only))
        event.listen(engine, "connect", _postgres_session)
        return engine
    except NoSuchModuleError:
        raise DatabaseError(f"unsupported database URL: {parsed.render_as_string()}") from None


def _sqlite_engine(url: URL, read_only: bool) -> Engine:
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
    if not read_only or not url.database or url.database == ":memory:":
        engine = create_engine(url, connect_args={"timeout": timeout})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        from tracker.readonly import sqlite_reader_uri

        uri = sqlite_reader_uri(Path(url.database).expanduser())
        engine = create_engine(
            url, creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout)
        )
        event.listen(engine, "connect", _sqlite_reader)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _postgres_args(url: URL, read_only: bool) -> dict[str, Any]:
    if not read_only:
        return {}
    options = " ".join(filter(None, (url.query.get("options"), _READ_ONLY_OPTION)))
    return {"connect_args": {"options": options}}


_READ_ONLY_OPTION = "-c default_transaction_read_only=on"


def alembic_config(url: URL) -> Config:
    from alembic.config import Config

    cfg = Config(str(PROJECT_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.attributes["url"] = url
    return cfg


# The newest revision in alembic/versions, known without loading Alembic (which would add a
# tenth of a second to every command); a test holds it equal to Alembic's head.
SCHEMA_HEAD = "0010"


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(ALEMBIC_DIR)).get_current_head()
    assert head is not None
    return head


@dataclass
class Database:
    """An open database: its URL, engine and a session factory."""

    url: URL
    engine: Engine
    read_only: bool = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @functools.cached_property
    def writer(self) -> Engine:
        """The engine for transactions that write: they hold the write lock from their start."""
        return self.engine.execution_options(writer=True)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writing transaction on a plain connection (the import path: no ORM bookkeeping),
        holding the write lock like ``session``.

        On PostgreSQL its commit does not wait for the server's disk flush (synchronous_commit
        off, for this transaction only): a transaction is still all or nothing, and a server
        crash can lose at most the last fraction of a second of imported sources, which
        importing the same files again restores (SQLite's WAL with synchronous=NORMAL makes
        the same trade)."""
        if self.dialect != "postgresql":
            with self.writer.begin() as conn:
                yield conn
            return
        with self.engine.connect() as plain:
            conn = plain.execution_options(isolation_level="AUTOCOMMIT")  # we say BEGIN/COMMIT
            conn.exec_driver_sql(_BEGIN_IMPORT)
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(Exception):  # a dead connection has nothing to undo
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")

    def refresh_statistics(self, tables: Iterable[str]) -> None:
        """Bring the planner's statistics of ``tables`` up to date (PostgreSQL: autovacuum does
        it at most once a minute, and a table that grew from empty during an import would be
        read with plans made for an empty table)."""
        if self.dialect != "postgresql":
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads: no write lock, nothing to commit (rolled back at the end)."""
        with Session(self.engine) as session:
            yield session

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session in one transaction: committed on success, rolled back on error.

        On PostgreSQL it first takes a transaction-scoped advisory lock, so writers that merge
        reports into exchanges see each other's committed rows (no duplicate from a race)."""
        with sessionmaker(self.writer, expire_on_commit=False).begin() as session:
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            yield session

    def revision(self) -> str | None:
        """The schema revision Alembic recorded (None when there is no version table)."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not inspect(conn).get_table_names()

    def create_if_empty(self) -> bool:
        """Build a new database at head and load the seed parties, in one locked transaction
        (two processes opening one new database at once: one builds it, the other waits)."""
        if not self.is_empty():
            return False
        with self.migrating() as conn:
            if inspect(conn).get_table_names():
                return False
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            from alembic import command

            command.upgrade(cfg, "head")
            self._grant_reader(conn)
            # here, not at the top: parties reads extraction's types, which every command
            # opening a database would otherwise load
            from tracker.parties import load_seed_parties

            with Session(bind=conn) as session:
                load_seed_parties(session)
                session.flush()
        return True

    @contextlib.contextmanager
    def migrating(self) -> Iterator[Connection]:
        """A locked transaction for schema changes. On SQLite, foreign keys are off while batch
        migrations rebuild tables (SQLite's documented procedure) and checked before commit."""
        with self.writer.connect() as conn:
            sqlite = self.dialect == "sqlite"
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                    yield conn
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise DatabaseError("the migration would break foreign keys: rolled back")
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

    def _alembic(self, action: str, revision: str) -> None:
        with self.migrating() as conn:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            from alembic import command

            getattr(command, action)(cfg, revision)
            self._grant_reader(conn)

    def _grant_reader(self, conn: Connection, *, create: bool = True) -> bool:
        """PostgreSQL: the role ``tracker sql`` runs as may read every table and view (again:
        a migration that builds a view anew drops its grants)."""
        if self.dialect != "postgresql" or not inspect(conn).has_table("alembic_version"):
            return False
        from tracker.readonly import grant_reader

        return grant_reader(conn, create=create)

    def set_up_reader(self) -> bool:
        """``tracker db reader``: create the read-only role if need be and grant it its reads."""
        with self.migrating() as conn:
            return self._grant_reader(conn)

    def upgrade(self, revision: str = "head") -> None:
        self._alembic("upgrade", known_revision(revision))

    def downgrade(self, revision: str) -> None:
        self._alembic("downgrade", known_revision(revision))

    def dispose(self) -> None:
        self.engine.dispose()


def known_revision(revision: str) -> str:
    """``revision`` when this version of tracker has it (or it is head or base)."""
    from alembic.script import ScriptDirectory

    if revision in ("head", "base"):
        return revision
    known = {rev.revision for rev in ScriptDirectory(str(ALEMBIC_DIR)).walk_revisions()}
    if revision not in known:
        raise InputError("revision", f"{revision!r} is not a revision of this version of "
                                     f"tracker: one of base, {', '.join(sorted(known))}, head")
    return revision


def _describe(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_database(
    url: str, *, check: bool = True, create: bool = True, read_only: bool = False
) -> Database:
    """Open ``url``; a new (empty) database is built at head and seeded, an old one must be at head.

    A database behind head is never changed silently: the caller is told to run
    ``tracker db upgrade``. ``read_only``: for commands that only read, which never create a
    database and never change the file (not even its journal mode).
    """
    parsed = parse_url(url)
    _check_sqlite_path(parsed, must_exist=read_only)
    db = Database(parsed, make_engine(parsed, read_only=read_only), read_only)
    try:
        if create and not read_only:
            db.create_if_empty()
        if check:
            _check_revision(db)
    except (OperationalError, SADatabaseError) as exc:
        db.dispose()
        raise DatabaseError(_open_failure(parsed, exc)) from None
    return db


def _open_failure(url: URL, exc: Exception) -> str:
    reason = _describe(exc)
    if url.get_backend_name() == "sqlite" and "not a database" in reason:
        return f"{url.database} is not a SQLite database"
    return f"cannot open database {url.render_as_string(hide_password=True)}: {reason}"


def _check_sqlite_path(url: URL, *, must_exist: bool = False) -> None:
    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise DatabaseError(f"cannot open database {path}: folder {parent} does not exist")
    if Path(path).is_dir():
        raise DatabaseError(f"cannot open database {path}: it is a folder")
    if must_exist and not Path(path).expanduser().exists():
        raise DatabaseError(
            f"no database at {path}: `tracker db upgrade` or `tracker import` creates one"
        )


def _check_revision(db: Database) -> None:
    current = db.revision()
    if current == SCHEMA_HEAD:
        return
    head = head_revision()
    if current is None and db.is_empty():
        raise DatabaseError(
            f"no tracker database at {db.url.render_as_string(hide_password=True)}: "
            "`tracker db upgrade` or `tracker import` creates one"
        )
    if current is None:
        raise DatabaseError(
            f"{db.url.render_as_string(hide_password=True)} has tables but no tracker schema "
            "revision: it is not a tracker database"
        )
    from alembic.script import ScriptDirectory

    known = {rev.revision for rev in ScriptDirectory(str(ALEMBIC_DIR)).walk_revisions()}
    if current not in known:
        raise DatabaseError(
            f"database is at revision {current}, unknown to this version of tracker (head {head})"
        )
    raise DatabaseError(
        f"database is at revision {current}, behind this version's {head}: "
        "run `tracker db upgrade` (back it up first)"
    )
