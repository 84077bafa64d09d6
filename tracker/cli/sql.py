"""``tracker sql``: read-only SQL for analysts."""

from __future__ import annotations

import click

from tracker.cli.common import app, emit, output_options
from tracker.readonly import DEFAULT_TIMEOUT, open_query


@click.command("sql")
@click.argument("query")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds before the query is stopped (wall clock, fetching included).",
)
@click.option(
    "--limit", type=click.IntRange(min=0), default=None, help="Print at most this many rows."
)
@output_options(formats=("table", "csv", "json"))
def sql_command(query: str, timeout: float, limit: int | None, fmt: str) -> None:
    """Run a read-only SQL QUERY; any write is refused by the database itself.

    The views v_balance, v_transfers, v_exchanges, v_captures and v_claims are the
    analyst's tables (see the README). Rows are printed as they come. On PostgreSQL
    the query runs as the role tracker_reader, which can only read tracker's tables
    (`tracker db reader` sets it up where migrations could not).

    \b
    Example:
        tracker sql "SELECT party, category, date, held_best FROM v_balance"
    """
    db = app().database()
    with open_query(db.url, query, timeout, limit) as (columns, rows):
        emit(columns, rows, fmt)


COMMANDS = [sql_command]
