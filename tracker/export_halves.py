"""A large CSV export written by two processes at once, each reading half of the rows.

The rows are split at a value of the table's leading order column (never NULL), taken from a
1-in-64 sample, so the first half followed by the second is the table in order. A second process
writes the second half to a temporary file while this one writes the header and the first half;
the file is then appended. Both halves read one state of the database: on PostgreSQL the second
process takes the first one's snapshot (``pg_export_snapshot``); on SQLite writers are held off
(the write lock) until the second process has begun reading.

Small tables, other formats and one-core machines export in one pass.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from tracker import export as writers
from tracker import reports
from tracker.db import Database, open_database
from tracker.errors import TrackerError

SPLIT_FROM = 200_000  # rows (estimated from the sample) before an export is split in two
SAMPLE = 64  # one row in SAMPLE is read to find the middle


def export(db: Database, name: str, fmt: str, out: str, reviewed_only: bool = False) -> int:
    """Write table ``name`` in ``fmt`` to ``out`` (``-``: stdout); returns the number of rows."""
    t = reports.export_table(name, reviewed_only)
    middle = None
    if fmt == "csv" and t.split_key and (os.cpu_count() or 1) > 1:
        with db.engine.connect() as conn:
            middle = _middle(conn, t, reviewed_only, SPLIT_FROM)
    if middle is not None:
        try:
            return _in_halves(db, t, reviewed_only, middle, out)
        except _NoLock:  # a database this user cannot write to: one pass
            pass
    with db.engine.connect() as conn:
        return writers.write(*reports.read_table(conn, name, reviewed_only), fmt, out)


def _middle(conn: Connection, t: reports.Table, reviewed_only: bool, least: int) -> Any:
    """The split value near the middle of the rows, or None for fewer than ``least`` rows."""
    sample = t.sql(reviewed_only, where=f"{t.row_id} % {SAMPLE} = 0", select=f"{t.split_key} AS k")
    n, value = conn.execute(text(
        f"WITH s AS ({sample}) SELECT (SELECT COUNT(*) FROM s), "
        "(SELECT k FROM s ORDER BY k LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM s))"
    )).one()
    return value if n * SAMPLE >= least and value is not None else None


def _in_halves(db: Database, t: reports.Table, reviewed_only: bool, middle: Any, out: str) -> int:
    """Rows before ``middle`` written here, the rest by a second process into a temporary file
    beside the output, appended once both are done."""
    first = t.sql(reviewed_only, where=f"{t.split_key} < :middle")
    second = t.sql(reviewed_only, where=f"{t.split_key} >= :middle")
    params = {"middle": middle}
    where = Path(out).resolve().parent if out != "-" else None  # the output's disk, if it can
    if where is not None and not (where.is_dir() and os.access(where, os.W_OK)):
        where = None
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    with ExitStack() as stack:
        fh = stack.enter_context(writers.open_output(out, binary=False))
        part = stack.enter_context(
            tempfile.NamedTemporaryFile(prefix=".tracker-export-", suffix=".csv", dir=where)
        )
        conn = stack.enter_context(db.engine.connect())
        snapshot, lock = _hold(db, conn, stack)
        worker = context.Process(
            target=_second_half,
            args=(db.url.render_as_string(hide_password=False), second, params, snapshot,
                  part.name, send),
            daemon=True,
        )
        worker.start()
        stack.callback(_stop, worker)
        rows = reports.stream(conn, first, params)
        n = writers.write_csv(t.columns, _Watched(rows, receive, lock), fh)
        message = _wait(receive, worker)
        while message[0] == "started":
            lock.release()
            message = _wait(receive, worker)
        if message[0] == "failed":
            raise TrackerError(f"export: the second half failed: {message[1]}")
        fh.flush()
        with open(part.name, "rb") as src:
            shutil.copyfileobj(src, fh.buffer, 1 << 20)
        fh.buffer.flush()
        return n + message[1]


class _NoLock(Exception):
    """SQLite's write lock could not be taken (a read-only database)."""


class _WriteLock:
    """SQLite's write lock, held from before this half's read until the second half's read has
    begun (writers wait on their busy timeout meanwhile; readers never wait)."""

    def __init__(self, conn: Connection | None) -> None:
        self.transaction = conn.begin() if conn is not None else None  # BEGIN IMMEDIATE

    def release(self) -> None:
        if self.transaction is not None:
            self.transaction.rollback()
            self.transaction = None


def _hold(db: Database, conn: Connection, stack: ExitStack) -> tuple[str | None, _WriteLock]:
    """Begin this half's read; returns the snapshot the second half takes (PostgreSQL) and the
    write lock to let go once it reads (SQLite)."""
    raw: Any = conn.connection.driver_connection
    if db.dialect == "postgresql":
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return raw.execute("SELECT pg_export_snapshot()").fetchone()[0], _WriteLock(None)
    try:
        lock = _WriteLock(stack.enter_context(db.writer.connect()))
    except OperationalError as exc:
        raise _NoLock from exc
    raw.execute("BEGIN")
    raw.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # the read starts here
    return None, lock


class _Watched:
    """This half's rows; the write lock is let go as soon as the second half has begun reading."""

    def __init__(self, rows: reports.Rows, receive: Any, lock: _WriteLock) -> None:
        self.rows, self.receive, self.lock = rows, receive, lock
        self.plain = rows.plain

    def batches(self) -> Iterator[list]:
        for batch in self.rows.batches():
            if self.lock.transaction is not None and self.receive.poll():
                self.lock.release()
            yield batch


def _wait(receive: Any, worker: Any) -> tuple[Any, ...]:
    """The second half's next message (a failure if it ended without one)."""
    while not receive.poll(0.1):
        if not worker.is_alive() and not receive.poll():
            return ("failed", f"it stopped with exit code {worker.exitcode}")
    return receive.recv()


def _stop(worker: Any) -> None:
    if worker.is_alive():
        worker.terminate()
    worker.join()


_SNAPSHOT = re.compile(r"^[0-9A-F-]+$")


def _second_half(url: str, sql: str, params: dict[str, Any], snapshot: str | None, path: str,
                 send: Any) -> None:
    """In the second process: write the rows of ``sql`` to ``path`` as CSV lines (no header),
    reading the database as the first process does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the first process, which stops this
    try:
        db = open_database(url, check=False, create=False)
        with db.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if snapshot is not None:
                if not _SNAPSHOT.match(snapshot):
                    raise ValueError(f"unexpected snapshot id {snapshot!r}")
                raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                raw.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            else:
                raw.execute("BEGIN")
                raw.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()
            send.send(("started",))
            with open(path, "w", newline="", encoding="utf-8") as fh:
                n = writers.write_csv_rows(reports.stream(conn, sql, params), fh)
        db.dispose()
        send.send(("done", n))
    except Exception as exc:  # reported by the first process, which stops the export
        with suppress(Exception):
            send.send(("failed", str(exc).strip().splitlines()[0] if str(exc) else repr(exc)))
