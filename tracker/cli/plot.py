"""``tracker plot``: the running balance and the exchanges as PNG images."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from tracker import plots
from tracker.balances import BalanceQuery
from tracker.cells import counted
from tracker.cli.common import app, not_the_database
from tracker.dates import parse_date
from tracker.extract.types import CATEGORIES


@click.group("plot")
def plot_group() -> None:
    """Draw the balance or the exchanges as a PNG image.

    \b
    Example:
        tracker plot balance --out balance.png
        tracker plot exchanges --from 2024-01-01 --out exchanges.png
    """


def _plot_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options both plots take."""
    for option in reversed(
        [
            click.option("--out", "-o", callback=not_the_database, required=True,
                         help="PNG file to write."),
            click.option("--party", help="Party: code, name or alias, e.g. UKR or Ukraine."),
            click.option("--category", type=click.Choice(CATEGORIES, case_sensitive=False)),
            click.option("--from", "date_from", help="First date shown (YYYY-MM-DD)."),
            click.option("--to", "date_to", help="Last date shown (YYYY-MM-DD)."),
            click.option("--reviewed-only", is_flag=True, help="Count accepted claims only."),
            click.option("--size", help="Image size in pixels, WIDTHxHEIGHT (default 1200x700; "
                         "the balance grows 260 pixels a panel past two)."),
        ]
    ):
        command = option(command)
    return command


def _filters(party: str | None, category: str | None, date_from: str | None,
             date_to: str | None, reviewed_only: bool) -> dict[str, Any]:
    return {
        "party": party or None,
        "category": category,
        "date_from": parse_date(date_from, "--from", future=True) if date_from else None,
        "date_to": parse_date(date_to, "--to", future=True) if date_to else None,
        "reviewed_only": reviewed_only,
    }


@plot_group.command("balance")
@_plot_options
def balance(out: str, size: str | None, **filters: Any) -> None:
    """Captured, released and held over time per party, the low–high band shaded.

    \b
    Example:
        tracker plot balance --out balance.png
        tracker plot balance --party UKR --category pow --from 2024-01-01 --out ukr.png
    """
    query = BalanceQuery(by="day", **_filters(**filters))
    with app().database().engine.connect() as conn:
        drawn = plots.plot_balance(conn, query, out,
                                   plots.PlotSize.parse(size) if size else None)
    click.echo(f"{counted(drawn.panels, 'panel')} written to {out}", err=True)
    if drawn.left_out:
        click.echo(f"not drawn, having no figure but zero or unknown: "
                   f"{', '.join(drawn.left_out)}", err=True)


@plot_group.command("exchanges")
@_plot_options
def exchanges(out: str, size: str | None, **filters: Any) -> None:
    """A timeline of exchanges per direction, markers sized by the people handed over.

    \b
    Example:
        tracker plot exchanges --out exchanges.png
        tracker plot exchanges --party UKR --reviewed-only --out exchanges.png
    """
    query = plots.ExchangeQuery(**_filters(**filters))
    with app().database().engine.connect() as conn:
        n = plots.plot_exchanges(conn, query, out, plots.PlotSize.parse(size) if size else None)
    click.echo(f"{counted(n, 'exchange')} written to {out}", err=True)


COMMANDS = [plot_group]
