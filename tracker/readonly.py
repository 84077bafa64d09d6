"""Read-only SQL for analysts, enforced by the database connection itself, and bounded in time.

SQLite: the file is opened with ``mode=ro`` (the engine refuses every write) and an authorizer
refuses ATTACH/DETACH (no other file can be created or changed) and PRAGMAs that set a value; a
progress handler interrupts a query that runs past its timeout. PostgreSQL: the query runs as a
single prepared statement (no second command can follow it) inside a READ ONLY transaction that
has already taken its snapshot (so it cannot be switched to read-write), with a statement
timeout, and the transaction is always rolled back.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from tracker.errors import DatabaseError, ReadOnlyError, TrackerError

DEFAULT_TIMEOUT = 30.0
WRITE_WORDS = ("readonly", "read-only", "read only", "not authorized", "prohibited")


def run_query(
    url: URL, query: str, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], list[Sequence[Any]]]:
    """Run one read-only query; returns column names and rows."""
    if not query.strip():
        raise TrackerError("the query is empty")
    if url.get_backend_name() == "sqlite":
        return _sqlite(url, query, timeout)
    return _postgres(url, query, timeout)


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


def _sqlite(url: URL, query: str, timeout: float) -> tuple[list[str], list[Sequence[Any]]]:
    path = Path(url.database or "")
    if not path.is_file():
        raise DatabaseError(f"no database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    deadline = time.monotonic() + timeout
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    conn.set_authorizer(_authorize)
    try:
        cursor = conn.execute(query)
        rows = cursor.fetchall()
        return [d[0] for d in cursor.description or ()], rows
    except sqlite3.Warning as exc:  # more than one statement
        raise TrackerError(f"query refused: {exc}") from None
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, time.monotonic() > deadline, timeout) from None
    finally:
        conn.close()


def _sqlite_error(exc: sqlite3.Error, late: bool, timeout: float) -> TrackerError:
    message = str(exc)
    if late and "interrupt" in message:
        return TrackerError(f"query stopped after the {timeout:g} s timeout (--timeout)")
    if any(w in message.lower() for w in WRITE_WORDS):
        return ReadOnlyError(f"refused: tracker sql is read-only ({message})")
    return TrackerError(f"SQL error: {message}")


def _postgres(url: URL, query: str, timeout: float) -> tuple[list[str], list[Sequence[Any]]]:
    import psycopg

    params = url.translate_connect_args(username="user", database="dbname")
    options = url.query.get("options")
    try:
        conn = psycopg.connect(**params, **({"options": options} if options else {}))
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot connect: {str(exc).strip().splitlines()[0]}") from None
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION READ ONLY")
            conn.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout * 1000))}")
            conn.execute("SELECT 1")  # takes the snapshot: the mode can no longer change
            cursor = conn.execute(query, prepare=True)  # type: ignore[arg-type]
            rows = cursor.fetchall() if cursor.description else []
            return [d.name for d in cursor.description or ()], rows
    except psycopg.errors.ReadOnlySqlTransaction as exc:
        raise ReadOnlyError(f"refused: tracker sql is read-only ({_first(exc)})") from None
    except psycopg.errors.QueryCanceled:
        raise TrackerError(f"query stopped after the {timeout:g} s timeout (--timeout)") from None
    except psycopg.Error as exc:
        raise TrackerError(f"SQL error: {_first(exc)}") from None
    finally:
        conn.close()


def _first(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
