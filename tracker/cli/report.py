"""``tracker report``: balances and exchanges, computed in SQL by the views."""

from __future__ import annotations

import click

from tracker import balances, provenance, reports
from tracker.cli.common import app, emit, output_options
from tracker.dates import parse_date
from tracker.extract.types import CATEGORIES


@click.group("report")
def report_group() -> None:
    """Reports over the analyst views.

    \b
    Example:
        tracker report balance
        tracker report balance --by month --party UKR --format csv
        tracker report exchanges
        tracker report provenance transfer:12
        tracker report conflicts
        tracker report sources
    """


@report_group.command("balance")
@click.option("--party", help="Party: code, name or alias, e.g. UKR or Ukraine.")
@click.option("--category", type=click.Choice(CATEGORIES, case_sensitive=False))
@click.option("--as-of", "as_of", help="Balance on this date (YYYY-MM-DD; default: today).")
@click.option("--from", "date_from", help="First date shown, with --by.")
@click.option("--to", "date_to", help="Last date shown, with --by.")
@click.option(
    "--by",
    type=click.Choice(balances.BY[1:]),
    help="A row per day with a change, per month, or per exchange (default: latest only).",
)
@click.option("--reviewed-only", is_flag=True, help="Count accepted claims only.")
@output_options()
def balance(
    party: str | None,
    category: str | None,
    as_of: str | None,
    date_from: str | None,
    date_to: str | None,
    by: str | None,
    reviewed_only: bool,
    fmt: str,
) -> None:
    """Running balance per party and category: captured, released, returned, held.

    Held is the exchange fund on the basis held_basis names: the latest reported holding
    carried forward, or captured - released on a cumulative tally; empty (no_tally,
    below_zero) rather than a figure that cannot hold.
    Counts are low/best/high; in a table, "909" is exact, "≥700" open-ended, "150 (120–189)"
    a spread between sources. --by month gives every month from a party's first change to the
    last month shown (or the month of --to), each carrying the balance of its last change
    (the date column) forward.

    \b
    Example:
        tracker report balance --as-of 2025-02-05
        tracker report balance --by month --from 2024-01-01 --format csv
    """
    if as_of and date_to:
        raise click.UsageError("give --as-of or --to, not both")
    if (date_from or date_to) and not by:
        raise click.UsageError("--from and --to choose rows over time: give --by day, month or "
                               "exchange (or --as-of for the balance on one date)")
    end = as_of or date_to
    query = balances.BalanceQuery(
        by=by or "latest",
        party=party or None,
        category=category,
        date_from=parse_date(date_from, "--from", future=True) if date_from else None,
        date_to=parse_date(end, "--as-of" if as_of else "--to", future=True) if end else None,
        reviewed_only=reviewed_only,
    )
    with app().database().engine.connect() as conn:
        columns, rows = balances.balance(conn, query)
    emit(columns, rows, fmt)
    if not rows and fmt == "table":
        click.echo("no balance rows: nothing counted matches (a rejected or doubtful claim "
                   "counts nowhere; --reviewed-only counts accepted claims only)", err=True)


@report_group.command("exchanges")
@click.option("--reviewed-only", is_flag=True, help="Accepted claims only.")
@output_options()
def exchanges(reviewed_only: bool, fmt: str) -> None:
    """Every exchange: date, mediator, transfers and the number of sources.

    \b
    Example:
        tracker report exchanges --format csv
    """
    with app().database().engine.connect() as conn:
        columns, rows = reports.read_table(conn, "exchanges", reviewed_only)
        emit(columns, list(rows), fmt)


@report_group.command("provenance")
@click.argument("figure")
@click.option("--reviewed-only", is_flag=True, help="Accepted claims only.")
@output_options(default="text", formats=("text", "csv", "json"))
def provenance_command(figure: str, reviewed_only: bool, fmt: str) -> None:
    """Every claim and source behind FIGURE, with quote, claimant, outlet and date.

    FIGURE is exchange:ID, transfer:ID, capture:ID, or balance:PARTY:CATEGORY:DATE (the
    claims behind every transfer and tally that the balance on that date counts).

    \b
    Example:
        tracker report provenance exchange:4
        tracker report provenance balance:UKR:pow:2025-02-06 --format csv
    """
    parsed = provenance.parse_figure(figure)
    with app().database().engine.connect() as conn:
        parsed, history = provenance.resolved(conn, parsed)
        columns, rows = provenance.provenance(conn, parsed, reviewed_only)
        headline = provenance.balance_line(conn, parsed, reviewed_only)
    for line in history:  # the id cited was merged: say what it is now
        click.echo(line, err=fmt != "text")
    if fmt == "text":
        click.echo(provenance.render(parsed, columns, rows, headline), nl=False)
    else:
        emit(columns, rows, fmt)


@report_group.command("conflicts")
@click.option("--reviewed-only", is_flag=True, help="Accepted claims only.")
@output_options()
def conflicts(reviewed_only: bool, fmt: str) -> None:
    """Transfers and tallies whose sources disagree, each claim beside the figure's spread.

    \b
    Example:
        tracker report conflicts
        tracker report conflicts --format csv > conflicts.csv
    """
    with app().database().engine.connect() as conn:
        columns, rows = reports.run_report(conn, "conflicts", reviewed_only=reviewed_only)
    emit(columns, rows, fmt)


@report_group.command("sources")
@output_options()
def sources(fmt: str) -> None:
    """Per outlet: how many sources and claims, and how many claims accepted/rejected/pending.

    \b
    Example:
        tracker report sources --format csv
    """
    with app().database().engine.connect() as conn:
        columns, rows = reports.run_report(conn, "sources")
    emit(columns, rows, fmt)


@report_group.command("list")
@output_options()
def list_reports(fmt: str) -> None:
    """The named reports (their SQL is in tracker/reports.py).

    \b
    Example:
        tracker report list
    """
    rows = [(r.name, r.title, r.description) for r in reports.REPORTS.values()]
    emit(["name", "title", "description"], rows, fmt)


COMMANDS = [report_group]
