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
    type=click.Choice(["belligerent", "mediator", "foreign"]),
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
    names = {a.strip().lower(): a.strip() for a in (name, *aliases) if a.strip()}
    with app().database(write=True).session() as session:
        party = lib.add_party(session, code, name, role)
        for alias in names.values():  # the name once, however often it is given
            if alias.upper() != party.code:
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


@parties_group.command("unalias")
@click.argument("party")
@click.argument("alias")
def unalias(party: str, alias: str) -> None:
    """Remove an ALIAS of PARTY (extraction reads the change from the next import, or after
    `tracker reextract`).

    \b
    Example:
        tracker parties unalias UKR "Ukrainian side"
    """
    with app().database(write=True).session() as session:
        code = lib.remove_alias(session, party, alias)
    click.echo(f"{alias.strip()!r} no longer names {code}")


@parties_group.command("rename")
@click.argument("party")
@click.argument("name")
def rename(party: str, name: str) -> None:
    """Give PARTY a new display NAME (its code stays; add the name as an alias to match it in
    text).

    \b
    Example:
        tracker parties rename ARE "United Arab Emirates"
    """
    with app().database(write=True).session() as session:
        code = lib.rename_party(session, party, name).code
    click.echo(f"{code} is now named {name.strip()!r}")


COMMANDS = [parties_group]
