"""``tracker export``: tables for analysts, in csv, tsv, json, jsonl, parquet or xlsx."""

from __future__ import annotations

import click

from tracker import export as writers
from tracker import export_halves, reports, workbook
from tracker.cells import counted
from tracker.cli.common import app, not_the_database


@click.command("export")
@click.argument("table", type=click.Choice([*reports.TABLES, "workbook"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(writers.FORMATS[1:])),
    help="csv, tsv, json, jsonl, parquet or xlsx [default: the one --out's extension names, "
    "else csv]",
)
@click.option(
    "--out", "-o", callback=not_the_database, default="-", show_default=True,
    help="File to write, or - for stdout.",
)
@click.option("--reviewed-only", is_flag=True, help="Accepted claims only.")
@click.option(
    "--escape-formulas/--no-escape-formulas",
    default=True,
    show_default=True,
    help="CSV: prefix text cells starting with = + - @ tab or CR with ' so that a spreadsheet "
    "shows them instead of running them as formulas.",
)
def export_command(
    table: str, fmt: str | None, out: str, reviewed_only: bool, escape_formulas: bool
) -> None:
    """Export TABLE (sources, claims, exchanges, transfers, captures, balance), or "workbook":
    every table on its own sheet of one .xlsx file (sources' text cut to 1,000 characters).

    Column names are stable and listed in the README. A file is written whole or not at all
    (an interrupted export leaves the old file), and never over the database.

    In CSV, a text cell starting with =, +, -, @, tab or CR gets a leading ' (a spreadsheet
    would run it as a formula: "=HYPERLINK(...)" in an article's title); numbers stay numbers.
    --no-escape-formulas writes the text exactly as stored. In xlsx every cell is a value,
    never a formula; JSON and parquet hold the text exactly.

    \b
    Example:
        tracker export transfers --out transfers.csv
        tracker export balance --out balance.parquet
        tracker export claims --format jsonl | jq .quote
        tracker export workbook --out tracker.xlsx
    """
    if table == "workbook":
        _workbook(fmt, out, reviewed_only)
        return
    fmt = writers.format_for(out, fmt)
    if fmt in ("parquet", "xlsx") and out == "-" and click.get_text_stream("stdout").isatty():
        raise click.UsageError(f"{fmt} is binary: give --out FILE")
    n = export_halves.export(app().database(), table, fmt, out, reviewed_only, escape_formulas)
    if out != "-":
        click.echo(f"{counted(n, 'row')} written to {out}", err=True)


def _workbook(fmt: str | None, out: str, reviewed_only: bool) -> None:
    if fmt not in (None, "xlsx"):
        raise click.UsageError("a workbook is xlsx: drop --format or give --format xlsx")
    if out == "-":
        raise click.UsageError("a workbook is a file: give --out FILE.xlsx")
    with app().database().engine.connect() as conn:
        n = workbook.save_workbook(conn, out, reviewed_only)
    click.echo(f"{counted(n, 'row')} in {len(workbook.WORKBOOK_SHEETS)} sheets written to {out}",
               err=True)


COMMANDS = [export_command]
