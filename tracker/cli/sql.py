"""``tracker sql``: read-only SQL for analysts; ``tracker tables``: what there is to query."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracker.cli.common import app, emit, output_options
from tracker.readonly import DEFAULT_TIMEOUT, open_query
from tracker.schema import describe


def _param(_ctx: click.Context, _p: click.Parameter, given: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE")
        params[name.strip()] = value
    return params


@click.command("sql")
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from this file.")
@click.option("--param", "-p", "params", multiple=True, callback=_param, metavar="NAME=VALUE",
              help="A value for the query's :NAME (repeatable); bound, never pasted into the SQL.")
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
@output_options()
def sql_command(query: str | None, query_file: Path | None, params: dict[str, str],
                timeout: float, limit: int | None, fmt: str) -> None:
    """Run a read-only SQL QUERY (an argument, `-` for standard input, or --file); any write
    is refused by the database itself. Columns come back as the query named them, in every
    format.

    The views v_balance, v_transfers, v_exchanges, v_captures and v_claims are the
    analyst's tables (`tracker tables` lists them with their columns). Rows are printed as they
    come. On PostgreSQL the query runs as the role tracker_reader, which can only read
    tracker's tables (`tracker db reader` sets it up where migrations could not).

    \b
    Example:
        tracker sql "SELECT party, category, date, held_best FROM v_balance"
        tracker sql "SELECT * FROM v_transfers WHERE date >= :since" -p since=2025-01-01
        tracker sql --file monthly.sql --format csv
        echo "SELECT COUNT(*) FROM claims" | tracker sql -
    """
    if (query is None) == (query_file is None):
        raise click.UsageError("give the query as an argument, `-` (standard input) or --file")
    if query_file is not None:
        try:
            query = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"cannot read {query_file}: {exc}",
                                     param_hint="--file") from None
    elif query == "-":
        query = sys.stdin.read()
    db = app().database()
    assert query is not None
    with open_query(db.url, query, timeout, limit, params) as (columns, rows):
        emit(columns, rows, fmt, compact=False)


@click.command("tables")
@click.option("--columns", "with_columns", is_flag=True, help="One row per column.")
@output_options()
def tables_command(with_columns: bool, fmt: str) -> None:
    """List the tables and views `tracker sql` can read, what each holds and its columns.

    \b
    Example:
        tracker tables
        tracker tables --columns --format csv
    """
    with app().database().engine.connect() as conn:
        columns, rows = describe(conn, with_columns)
    emit(columns, rows, fmt, compact=False)


COMMANDS = [sql_command, tables_command]
