"""``tracker sql``: read-only SQL for analysts."""

from __future__ import annotations

import click

from tracker.cli.common import app, emit, output_options
from tracker.readonly import DEFAULT_TIMEOUT, run_query


@click.command("sql")
@click.argument("query")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds before the query is stopped.",
)
@output_options(formats=("table", "csv", "json"))
def sql_command(query: str, timeout: float, fmt: str) -> None:
    """Run a read-only SQL QUERY; any write is refused by the database connection.

    The views v_balance, v_transfers, v_exchanges, v_captures and v_claims are the
    analyst's tables (see the README).

    \b
    Example:
        tracker sql "SELECT party, category, date, held_best FROM v_balance"
    """
    db = app().database()
    columns, rows = run_query(db.url, query, timeout)
    emit(columns, rows, fmt)


COMMANDS = [sql_command]
