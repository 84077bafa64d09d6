"""``tracker parties``: the sides that capture, hold, release and mediate."""

from __future__ import annotations

import click

from tracker import parties as lib
from tracker.cli.common import app, emit, output_options


@click.group("parties")
def parties_group() -> None:
    """List, add and name parties (seeded from seeds/parties.csv).

    \b
    Example:
        tracker parties list
        tracker parties add GEO "Georgia"
        tracker parties alias GEO Tbilisi
    """


@parties_group.command("list")
@output_options()
def list_(fmt: str) -> None:
    """List parties with their aliases.

    \b
    Example:
        tracker parties list --format csv
    """
    with app().database().reading() as session:
        rows = [
            (p.code, p.name, p.role, " | ".join(a.alias for a in p.aliases))
            for p in lib.list_parties(session)
        ]
    emit(["code", "name", "role", "aliases"], rows, fmt)


@parties_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["belligerent", "mediator"]),
    default="belligerent",
    show_default=True,
)
@click.option("--alias", "aliases", multiple=True, help="A word that names the party in text.")
def add(code: str, name: str, role: str, aliases: tuple[str, ...]) -> None:
    """Add a party (ISO 3166-1 alpha-3 code for a state).

    \b
    Example:
        tracker parties add GEO Georgia --alias Georgian --alias Tbilisi
    """
    with app().database(write=True).session() as session:
        party = lib.add_party(session, code, name, role)
        for alias in (name, *aliases):
            if alias != party.code:
                lib.add_alias(session, party.code, alias)
    click.echo(f"added party {party.code}")


@parties_group.command("alias")
@click.argument("party")
@click.argument("alias")
def alias(party: str, alias: str) -> None:
    """Add an ALIAS that names PARTY in text.

    \b
    Example:
        tracker parties alias UKR "Ukrainian side"
    """
    with app().database(write=True).session() as session:
        row = lib.add_alias(session, party, alias)
        code = row.party.code
    click.echo(f"{alias!r} now names {code}")


COMMANDS = [parties_group]
