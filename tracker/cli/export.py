"""``tracker export``: tables for analysts, in csv, json, parquet or xlsx."""

from __future__ import annotations

import click

from tracker import export as writers
from tracker import reports
from tracker.cli.common import app


@click.command("export")
@click.argument("table", type=click.Choice(list(reports.TABLES)))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(writers.FORMATS[1:])),
    default="csv",
    show_default=True,
)
@click.option("--out", "-o", default="-", show_default=True, help="File to write, or - for stdout.")
@click.option("--reviewed-only", is_flag=True, help="Accepted claims only.")
def export_command(table: str, fmt: str, out: str, reviewed_only: bool) -> None:
    """Export TABLE (sources, claims, exchanges, transfers, captures, balance).

    Column names are stable and listed in the README.

    \b
    Example:
        tracker export transfers --format csv --out transfers.csv
        tracker export balance --format parquet --out balance.parquet
    """
    if fmt in ("parquet", "xlsx") and out == "-" and click.get_text_stream("stdout").isatty():
        raise click.UsageError(f"{fmt} is binary: give --out FILE")
    with app().database().engine.connect() as conn:
        columns, rows = reports.read_table(conn, table, reviewed_only)
        n = writers.write(columns, rows, fmt, out)
    if out != "-":
        click.echo(f"{n} rows written to {out}", err=True)


COMMANDS = [export_command]
