"""A large CSV export written by two processes at once, each reading half of the rows.

The rows are split at a value of the table's leading order column (never NULL), taken from a
1-in-64 sample, so the first half followed by the second is the table in order. A second process
writes the second half to a temporary file while this one writes the header and the first half;
the file is then appended, and the whole renamed into place (``tracker.outfile``).

Both halves show one state of the database, and neither waits for a writer (a read never takes
the write lock). On PostgreSQL the second process takes the first one's snapshot
(``pg_export_snapshot``). SQLite cannot share a snapshot between processes, so it is checked
instead: ``PRAGMA data_version`` of a third connection is read before the first half's read
begins and again once the second half's read has begun; SQLite changes it whenever another
connection commits, so equal values mean no commit came between the two reads' starts, and both
read the same state. Otherwise (a writer committed in that fraction of a second) the second
process is stopped and this one writes the second half too, from its own read: one state, one
pass.

The second process dies with this one (``tracker.lifeline``), and its temporary file loses its
name as soon as it is open, so even a killed export leaves no part of it behind.

Small tables, other formats and one-core machines export in one pass.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from tracker import export as writers
from tracker import reports
from tracker.db import Database, open_database
from tracker.errors import OutputError, TrackerError
from tracker.lifeline import end_with_parent
from tracker.outfile import FULL, part_file, replacing

SPLIT_FROM = 200_000  # rows (estimated from the sample) before an export is split in two
SAMPLE = 64  # one row in SAMPLE is read to find the middle


def export(
    db: Database,
    name: str,
    fmt: str,
    out: str,
    reviewed_only: bool = False,
    escape_formulas: bool = True,
) -> int:
    """Write table ``name`` in ``fmt`` to ``out`` (``-``: stdout); returns the number of rows.
    ``escape_formulas``: see ``tracker.export.write``."""
    t = reports.export_table(name, reviewed_only)
    middle = None
    if fmt == "csv" and t.split_key and (os.cpu_count() or 1) > 1:
        with db.engine.connect() as conn:
            middle = _middle(conn, t, reviewed_only, SPLIT_FROM)
    if middle is not None:
        return _in_halves(db, t, reviewed_only, middle, out, escape_formulas)
    with db.engine.connect() as conn:
        return writers.write(*reports.read_table(conn, name, reviewed_only), fmt, out,
                             escape_formulas=escape_formulas, database=db.url)


def _middle(conn: Connection, t: reports.Table, reviewed_only: bool, least: int) -> Any:
    """The split value near the middle of the rows, or None for fewer than ``least`` rows."""
    sample = t.sql(reviewed_only, where=f"{t.row_id} % {SAMPLE} = 0", select=f"{t.split_key} AS k")
    n, value = conn.execute(text(
        f"WITH s AS ({sample}) SELECT (SELECT COUNT(*) FROM s), "
        "(SELECT k FROM s ORDER BY k LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM s))"
    )).one()
    return value if n * SAMPLE >= least and value is not None else None


def _in_halves(db: Database, t: reports.Table, reviewed_only: bool, middle: Any, out: str,
               escape_formulas: bool = True) -> int:
    """Rows before ``middle`` written here, the rest by a second process into a temporary file
    beside the output, appended once both are done."""
    first = t.sql(reviewed_only, where=f"{t.split_key} < :middle")
    second = t.sql(reviewed_only, where=f"{t.split_key} >= :middle")
    params = {"middle": middle}
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    with ExitStack() as stack:
        fh = stack.enter_context(replacing(out, binary=False, database=db.url))
        part = part_file(out)
        stack.callback(_remove, part)
        reader = stack.enter_context(open(part, "rb"))
        same_state = _SameState(db, stack)
        conn = stack.enter_context(db.engine.connect())
        snapshot = _begin_read(db, conn)
        worker = context.Process(
            target=_second_half,
            args=(db.url.render_as_string(hide_password=False), second, params, snapshot,
                  str(part), send, os.getpid(), escape_formulas),
            daemon=True,
        )
        worker.start()
        stack.callback(_stop, worker)
        watched = _Watched(reports.stream(conn, first, params), receive,
                           lambda: _started(part, same_state, worker))
        n = writers.write_csv(t.columns, watched, fh, escape_formulas)
        message = watched.message or _wait(receive, worker)
        if message[0] == "started":
            watched.consistent = _started(part, same_state, worker)
            message = _wait(receive, worker) if watched.consistent else message
        if not watched.consistent:  # a writer committed between the two reads' starts
            return n + writers.write_csv_rows(reports.stream(conn, second, params), fh,
                                              escape_formulas)
        if message[0] == "failed":
            if message[2] in FULL:
                raise OutputError(out, "no space left on the disk (or the file is over the size "
                                  "limit)")
            raise TrackerError(f"export: the second half failed: {message[1]}")
        fh.flush()
        shutil.copyfileobj(reader, fh.buffer, 1 << 20)
        fh.buffer.flush()
        return n + message[1]


def _remove(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _started(part: Path, same_state: _SameState, worker: Any) -> bool:
    """The second half has begun reading (and opened its file, which now loses its name):
    whether both halves read one state; if not, the second process is stopped."""
    _remove(part)
    if same_state.holds():
        return True
    _stop(worker)
    return False


class _SameState:
    """On SQLite: whether any connection has committed since this was made (see the module's
    docstring). PostgreSQL shares the snapshot itself: always true."""

    def __init__(self, db: Database, stack: ExitStack) -> None:
        self.raw: Any = None
        if db.dialect == "sqlite":
            self.raw = stack.enter_context(db.engine.connect()).connection.driver_connection
            self.version = self._version()

    def _version(self) -> int:
        return self.raw.execute("PRAGMA data_version").fetchone()[0]

    def holds(self) -> bool:
        return self.raw is None or self._version() == self.version


def _begin_read(db: Database, conn: Connection) -> str | None:
    """Begin this half's read; returns the snapshot the second half takes (PostgreSQL)."""
    raw: Any = conn.connection.driver_connection
    if db.dialect == "postgresql":
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
    _begin_sqlite_read(raw)
    return None


def _begin_sqlite_read(raw: Any) -> None:
    raw.execute("BEGIN")
    raw.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # the read starts here


class _Watched:
    """This half's rows; the second half's first message is taken as soon as it comes, and
    ``on_started`` says whether both halves read one state."""

    def __init__(self, rows: reports.Rows, receive: Any, on_started: Callable[[], bool]) -> None:
        self.rows, self.receive, self.on_started = rows, receive, on_started
        self.plain = rows.plain
        self.message: tuple[Any, ...] | None = None
        self.consistent = True

    def batches(self) -> Iterator[list]:
        for batch in self.rows.batches():
            if self.message is None and self.receive.poll():
                message = self.receive.recv()
                if message[0] == "started":
                    self.consistent = self.on_started()
                    if not self.consistent:
                        self.message = message
                else:
                    self.message = message
            yield batch


def _wait(receive: Any, worker: Any) -> tuple[Any, ...]:
    """The second half's next message (a failure if it ended without one)."""
    while not receive.poll(0.1):
        if not worker.is_alive() and not receive.poll():
            return ("failed", f"it stopped with exit code {worker.exitcode}", None)
    return receive.recv()


def _stop(worker: Any) -> None:
    if worker.is_alive():
        worker.terminate()
    worker.join()


_SNAPSHOT = re.compile(r"^[0-9A-F-]+$")


def _second_half(url: str, sql: str, params: dict[str, Any], snapshot: str | None, path: str,
                 send: Any, parent: int | None = None, escape_formulas: bool = True) -> None:
    """In the second process: write the rows of ``sql`` to ``path`` as CSV lines (no header),
    reading the database as the first process does."""
    if parent is not None:
        end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the first process, which stops this
    try:
        db = open_database(url, check=False, create=False)
        with db.engine.connect() as conn, open(path, "w", newline="", encoding="utf-8") as fh:
            _begin_second_read(conn, snapshot)
            send.send(("started",))
            n = writers.write_csv_rows(reports.stream(conn, sql, params), fh, escape_formulas)
        db.dispose()
        send.send(("done", n))
    except Exception as exc:  # reported by the first process, which stops the export
        with suppress(Exception):
            send.send(("failed", str(exc).strip().splitlines()[0] if str(exc) else repr(exc),
                       getattr(exc, "errno", None)))


def _begin_second_read(conn: Connection, snapshot: str | None) -> None:
    raw: Any = conn.connection.driver_connection
    if snapshot is None:
        _begin_sqlite_read(raw)
        return
    if not _SNAPSHOT.match(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    raw.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
