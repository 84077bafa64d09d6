"""What many commands share: the open database, output options, error handling."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from tracker import export
from tracker.config import database_url
from tracker.db import Database, open_database, parse_url
from tracker.errors import DatabaseError
from tracker.models import MAX_ID
from tracker.outfile import check_not_database

F = TypeVar("F", bound=Callable[..., Any])
# A record's id as typed by a user: a larger number cannot name a record on either engine.
RECORD_ID = click.IntRange(min=1, max=MAX_ID)


@dataclass
class AppContext:
    """The database URL from ``--db``; the database is opened on first use, not at start-up."""

    db_option: str | None
    _db: Database | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db_option)

    def database(self, *, write: bool = False) -> Database:
        """The database, opened for reading only unless the command ``write``s: a command that
        only reads never creates a database or changes its file."""
        if self._db is None:
            self._db = open_database(self.url, read_only=not write)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def not_the_database(ctx: click.Context, _param: click.Parameter, out: str | None) -> str | None:
    """``--out``: never the database or one of its files, refused before the database is opened
    (a read-only SQLite connection would already create its -wal and -shm)."""
    if out is not None:
        try:
            url = parse_url(app(ctx).url)
        except DatabaseError:  # a malformed URL: its own error comes when it is opened
            return out
        check_not_database(out, url)
    return out


def app(ctx: click.Context | None = None) -> AppContext:
    ctx = ctx or click.get_current_context()
    return ctx.find_object(AppContext)  # type: ignore[return-value]


def output_options(
    default: str = "table", formats: Sequence[str] = export.TEXT_FORMATS
) -> Callable[[F], F]:
    """``--format`` for every command that prints rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(formats)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def emit(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, out: str = "-",
         *, compact: bool = True) -> int:
    """Print (or write) rows: the one output path of every command that returns rows. The
    named reports fold each low/best/high triple into one cell in a table (``compact``);
    `tracker sql` shows the columns the query selected, as they are."""
    if fmt == "table" and compact:
        columns, rows = export.compact(columns, rows)
    width = None
    if fmt == "table" and out == "-" and sys.stdout.isatty():  # a pipe or a file gets it all
        width = shutil.get_terminal_size().columns
    return export.write(columns, rows, fmt, out, width=width)
