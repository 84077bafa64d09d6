"""Read-only SQL for analysts, enforced by the database server or file, bounded in time and memory.

SQLite: the file is opened with ``mode=ro`` (the engine refuses every write; ``immutable`` where
the folder cannot be written, so nothing is created beside it), an authorizer refuses
ATTACH/DETACH (no other file can be created or changed) and PRAGMAs that set a value, one value
may hold at most ``MAX_VALUE_BYTES``, and the query runs in a child process that is killed when
the timeout passes (SQLite's interrupt is not seen inside one long function call).

PostgreSQL: the query runs on a connection that logs in as ``READER``, a role that can only read
tracker's tables and views (``grant_reader``, run by every migration and by ``tracker db
reader``). Logging in as it, not ``SET ROLE`` inside the URL's session, is what holds: a
superuser session can take its role back (``set_config('role', 'none', true)`` inside a SELECT),
a session that logged in as the reader has nothing to take back. A reader with more than SELECT
(a superuser, a member of any role) is refused. The query runs as one statement in a READ ONLY
transaction that is always rolled back, with ``statement_timeout`` and
``idle_in_transaction_session_timeout`` set, and a timer cancels it when the timeout passes.

Rows are streamed in batches on both engines (memory flat in the result's size).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from multiprocessing.connection import Connection as Connection_
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from tracker.errors import DatabaseError, InputError, ReadOnlyError, TrackerError
from tracker.lifeline import end_with_parent

DEFAULT_TIMEOUT = 30.0
BATCH = 2_000
MAX_VALUE_BYTES = 100_000_000  # SQLite: the longest string or blob a query may build
READER = "tracker_reader"
READER_PASSWORD = "TRACKER_READER_PASSWORD"
WRITE_WORDS = ("readonly", "read-only", "read only", "not authorized", "prohibited")

Rows = Iterator[Sequence[Any]]


@contextlib.contextmanager
def open_query(
    url: URL, query: str, timeout: float = DEFAULT_TIMEOUT, limit: int | None = None,
    params: Mapping[str, str] | None = None,
) -> Iterator[tuple[list[str], Rows]]:
    """Run one read-only query: its column names and a stream of its rows (at most ``limit``),
    valid inside the ``with`` block. ``params``: values for the query's ``:name`` parameters,
    bound by the driver, never pasted into the text."""
    if not query.strip():
        raise TrackerError("the query is empty")
    opener = _sqlite if url.get_backend_name() == "sqlite" else _postgres
    with opener(url, query, timeout, dict(params or {})) as (columns, rows):
        yield columns, islice(rows, limit)


def _pyformat(query: str, params: dict[str, str]) -> str:
    """``:name`` parameters in psycopg's ``%(name)s`` form (SQLAlchemy's reading of them, which
    also doubles a literal ``%``); every name the query uses must be given."""
    from sqlalchemy import text
    from sqlalchemy.dialects.postgresql import psycopg

    compiled = text(query).compile(dialect=psycopg.dialect())
    missing = sorted(set(compiled.params) - set(params))
    if missing:
        raise InputError("param", f"the query uses :{', :'.join(missing)}: give "
                                  f"{' '.join(f'--param {m}=...' for m in missing)}")
    return str(compiled)


@contextlib.contextmanager
def _timer(timeout: float, stop: Any) -> Iterator[None]:
    """Call ``stop`` from another thread when ``timeout`` seconds pass inside the block."""
    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _timed_out(timeout: float) -> TrackerError:
    return TrackerError(f"query stopped after the {timeout:g} s timeout (--timeout)")


# PRAGMAs that take an argument and only read (PRAGMA table_info(sources) ...).
READING_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
}


def _authorize(action: int, arg1: str | None, arg2: str | None, *_rest: object) -> int:
    """Refuse ATTACH/DETACH (they touch other files) and PRAGMAs that set a value."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if (
        action == sqlite3.SQLITE_PRAGMA
        and arg2 is not None
        and (arg1 or "").lower() not in READING_PRAGMAS
    ):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def sqlite_reader_uri(path: Path) -> str:
    """The URI that opens ``path`` read-only: ``mode=ro``, and ``immutable`` when its folder
    cannot be written (no -wal or -shm can exist there for another writer, and a read-only
    connection could not create the -shm it needs)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri + ("" if os.access(path.resolve().parent, os.W_OK) else "&immutable=1")


@contextlib.contextmanager
def _sqlite(url: URL, query: str, timeout: float,
            params: dict[str, str]) -> Iterator[tuple[list[str], Rows]]:
    """The query runs in a child process, killed when the timeout passes: SQLite's interrupt
    is only seen between steps of a query, and one function call (``printf('%.*c', 900000000,
    'x')``) can run for a minute without one."""
    path = Path(url.database or "")
    if not path.is_file():
        raise DatabaseError(f"no database at {path}")
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_sqlite_child,
                            args=(path, query, params, sender, os.getpid()))
    child.start()
    sender.close()
    deadline = time.monotonic() + timeout

    def receive() -> tuple[Any, ...]:
        try:
            if receiver.poll(max(0.0, deadline - time.monotonic())):
                return receiver.recv()  # type: ignore[no-any-return]
        except EOFError:
            raise TrackerError("SQL error: the query's process ended without a result") from None
        raise _timed_out(timeout)

    def rows() -> Rows:
        while (message := receive())[0] == "rows":
            yield from message[1]
        _raise_if_error(message)

    try:
        first = receive()
        _raise_if_error(first)
        yield first[1], rows()
    finally:
        child.kill()
        child.join()
        receiver.close()


def _raise_if_error(message: tuple[Any, ...]) -> None:
    if message[0] == "refused":
        raise ReadOnlyError(message[1])
    if message[0] == "error":
        raise TrackerError(message[1])


def _sqlite_child(path: Path, query: str, params: dict[str, str], sender: Connection_,
                  parent: int) -> None:
    """Run the query and send its columns, then batches of rows, then "end" (or an error)."""
    end_with_parent(parent)
    try:
        conn = sqlite3.connect(sqlite_reader_uri(path), uri=True, timeout=30)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.set_authorizer(_authorize)
        cursor = conn.execute(query, params)
        sender.send(("columns", [d[0] for d in cursor.description or ()]))
        while batch := cursor.fetchmany(BATCH):
            sender.send(("rows", batch))
        sender.send(("end",))
    except sqlite3.Warning as exc:  # more than one statement
        sender.send(("error", f"query refused: {exc}"))
    except sqlite3.Error as exc:
        sender.send(_sqlite_error(exc))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        os._exit(0)


def _sqlite_error(exc: sqlite3.Error) -> tuple[str, str]:
    message = str(exc)
    if any(w in message.lower() for w in WRITE_WORDS):
        return "refused", f"refused: tracker sql is read-only ({message})"
    if "too big" in message:
        return "error", f"SQL error: {message} (the limit is {MAX_VALUE_BYTES:,} bytes)"
    return "error", f"SQL error: {message}"


def reader_connect_args(url: URL, timeout: float) -> dict[str, Any]:
    """libpq parameters that log in as ``READER`` to the URL's server and database, keeping its
    options (a search_path naming tracker's schema) and bounding every statement and idle wait."""
    params = url.translate_connect_args(username="user", database="dbname")
    params.pop("password", None)
    params["user"] = READER
    if os.environ.get(READER_PASSWORD):
        params["password"] = os.environ[READER_PASSWORD]
    ms = max(1, int(timeout * 1000))
    bounds = (
        f"-c statement_timeout={ms} -c idle_in_transaction_session_timeout={ms}"
        " -c default_transaction_read_only=on"
    )
    options = url.query.get("options")
    params["options"] = f"{options} {bounds}" if options else bounds
    return params


# A reader that can do more than read: it is refused, not used.
_OVERPOWERED = """
SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls
       OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
FROM pg_roles r WHERE r.rolname = session_user
"""


@contextlib.contextmanager
def _postgres(url: URL, query: str, timeout: float,
              params: dict[str, str]) -> Iterator[tuple[list[str], Rows]]:
    import psycopg

    bound = None
    if params:
        query, bound = _pyformat(query, params), params

    try:
        conn = psycopg.connect(**reader_connect_args(url, timeout))
    except psycopg.Error as exc:
        raise DatabaseError(
            f"tracker sql runs on PostgreSQL as the read-only role {READER}, which cannot log in"
            f" ({_first(exc)}): run `tracker db reader` as a role that may create roles"
            f" (a password, if the server asks for one: ~/.pgpass or {READER_PASSWORD})"
        ) from None
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION READ ONLY")
            if conn.execute(_OVERPOWERED).fetchone() != (False,):
                raise DatabaseError(
                    f"the role {READER} can do more than read (a superuser, or a member of"
                    " another role): tracker sql refuses to run as it"
                )
            with _timer(timeout, conn.cancel_safe):
                cursor = conn.cursor()
                rows = cursor.stream(query, bound, size=BATCH)  # type: ignore[arg-type]
                try:
                    first = next(rows, None)
                except psycopg.Error as exc:
                    raise _postgres_error(exc, timeout) from None
                columns = [d.name for d in cursor.description or ()]
                try:
                    yield columns, _postgres_rows(first, rows, timeout)
                finally:  # rows left unread (--limit, an error): the server stops sending them
                    conn.cancel_safe()
                    with contextlib.suppress(psycopg.Error):
                        rows.close()
    except psycopg.Error as exc:
        raise _postgres_error(exc, timeout) from None
    finally:
        conn.close()


def _postgres_rows(first: Sequence[Any] | None, rows: Rows, timeout: float) -> Rows:
    import psycopg

    if first is None:
        return
    yield first
    try:
        yield from rows
    except psycopg.Error as exc:
        raise _postgres_error(exc, timeout) from None


def _postgres_error(exc: Exception, timeout: float) -> TrackerError:
    import psycopg

    if isinstance(exc, psycopg.errors.QueryCanceled):
        return _timed_out(timeout)
    errors = psycopg.errors
    if isinstance(exc, errors.ReadOnlySqlTransaction | errors.InsufficientPrivilege):
        return ReadOnlyError(f"refused: tracker sql is read-only ({_first(exc)})")
    return TrackerError(f"SQL error: {_first(exc)}")


def _first(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def grant_reader(conn: Connection, *, create: bool) -> bool:
    """Let ``READER`` read tracker's tables and views in the connection's schema (PostgreSQL);
    the role is created (LOGIN, no password, no other right) when ``create`` and the connected
    role may create roles. Run after every migration: a view that is built anew loses its
    grants. False when the role does not exist and was not created."""
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": READER})
    if exists.first() is None:
        may = conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if not (create and may):
            return False
        conn.exec_driver_sql(  # two servers' first migrations at once: one creates it
            f"DO $$ BEGIN CREATE ROLE {READER} LOGIN NOINHERIT; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar()
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {READER}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {READER}")
    return True
