"""tracker from Python: the functions the command line calls, for a script or a notebook.

    from tracker import api

    db = api.open_db("sqlite:///tracker.db")        # built at head and seeded when new
    api.import_paths(db, ["articles/"])              # a Summary: imported, unchanged, failed
    api.balance(db, party="Ukraine", by="month")     # a pandas DataFrame, as `report balance`
    api.table(db, "transfers")                       # a DataFrame of an export table
    api.report(db, "conflicts")                      # a named report (`tracker report list`)
    api.claims(db, outlet="TASS", status="doubtful") # the claims a filter chooses
    api.decide(db, "accepted", outlet="TASS", by="olena")
    api.export(db, "transfers", "transfers.csv")     # the file `tracker export` writes

Errors are those of the command line (``tracker.errors``): ``InputError`` names the field
(``party``, ``count_low``), ``NotFound`` a record that is not there. Reads open no write lock;
``import_paths`` and ``decide`` write, each source or decision in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tracker import export_halves, reports, review
from tracker.balances import BalanceQuery
from tracker.balances import balance as balance_rows
from tracker.cells import plain
from tracker.config import database_url
from tracker.db import Database, open_database
from tracker.errors import InputError
from tracker.export import format_for
from tracker.importer import Summary, import_articles
from tracker.ingest import iter_files, read_files
from tracker.ingest.language import check_language

__all__ = ["balance", "claims", "decide", "export", "import_paths", "open_db", "report", "table"]


def open_db(url: str | None = None, *, read_only: bool = False) -> Database:
    """The database at ``url`` (default: $TRACKER_DATABASE_URL, else ./tracker.db); a new one
    is built at head and seeded unless ``read_only``."""
    return open_database(database_url(url), read_only=read_only)


def import_paths(db: Database, paths: Sequence[str | Path], *, fmt: str = "auto",
                 published: dt.date | None = None, outlet: str | None = None,
                 language: str | None = None, follow_symlinks: bool = False,
                 include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Summary:
    """Import files and folders as `tracker import` does (``language``: as --language;
    ``include``/``exclude``: glob patterns for a folder's files, as --glob/--exclude); the
    errors are in the summary."""
    code = check_language(language) if language is not None else None
    files = iter_files([Path(p) for p in paths], follow_symlinks, include, exclude)
    return import_articles(db, read_files(files, fmt, published, outlet, code))


def _frame(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    return pd.DataFrame([[plain(v) for v in row] for row in rows], columns=list(columns))


def balance(db: Database, *, party: str | None = None, category: str | None = None,
            by: str = "latest", date_from: dt.date | None = None, date_to: dt.date | None = None,
            reviewed_only: bool = False) -> pd.DataFrame:
    """The running balance, as `tracker report balance` (``by``: latest, day, month, exchange)."""
    q = BalanceQuery(by, party, category, date_from, date_to, reviewed_only)
    with db.engine.connect() as conn:
        return _frame(*balance_rows(conn, q))


def table(db: Database, name: str, reviewed_only: bool = False) -> pd.DataFrame:
    """An export table (claims, sources, exchanges, transfers, captures, balance)."""
    with db.engine.connect() as conn:
        return _frame(*reports.read_table(conn, name, reviewed_only))


def report(db: Database, name: str, **params: Any) -> pd.DataFrame:
    """A named report with its parameters (``tracker report list`` shows them)."""
    with db.engine.connect() as conn:
        return _frame(*reports.run_report(conn, name, **params))


def claims(db: Database, **filters: Any) -> pd.DataFrame:
    """The claims a filter chooses, as `tracker claims list` (``review.ClaimFilter``'s fields:
    source, outlet, rule, party, date_from, date_to, kind, status; ``status="doubtful"``
    for the figures extraction held back)."""
    with db.reading() as session:
        return _frame(*review.list_claims(session, review.ClaimFilter(**filters)))


def decide(db: Database, status: str, ids: Sequence[int] = (), *, note: str | None = None,
           by: str | None = None, **filters: Any) -> review.Decision:
    """Accept or reject claims by id or by filter (never neither: an empty filter would mean
    every claim), each change an event of its claim."""
    chosen = review.ClaimFilter(**filters)
    if bool(ids) == chosen.given():
        raise InputError("ids", "name the claims by id or by a filter, not both or neither")
    with db.session() as session:
        return review.set_status(session, list(ids) if ids else chosen, status, note, by=by)


def export(db: Database, name: str, out: str | Path, fmt: str | None = None,
           reviewed_only: bool = False, escape_formulas: bool = True) -> int:
    """Write an export table to a file as `tracker export` does; returns the number of rows.
    The format follows the file's extension unless given."""
    return export_halves.export(db, name, format_for(out, fmt), str(out), reviewed_only,
                                escape_formulas)
