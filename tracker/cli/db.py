"""``tracker db``: the schema revision, wrapping Alembic."""

from __future__ import annotations

import sys

import click

from alembic import command
from tracker.cells import counted
from tracker.cli.common import app
from tracker.db import alembic_config, head_revision, known_revision, open_database
from tracker.errors import TrackerError
from tracker.parties import load_seed_parties
from tracker.readonly import READER, READER_PASSWORD


@click.group("db")
def db_group() -> None:
    """Schema revisions (Alembic) and seed data.

    \b
    Example:
        tracker db current
        tracker db upgrade
    """


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: head).

    \b
    Example:
        tracker --db sqlite:///old.db db upgrade
    """
    db = open_database(app().url, check=False, create=False)
    if revision == "head" and db.create_if_empty():
        click.echo(f"created a new database at {db.revision()}, with the seed parties")
        return
    before = db.revision()
    db.upgrade(revision)
    after = db.revision()
    if after == before:
        click.echo(f"already at {after or 'base'}: nothing to upgrade")
        return
    click.echo(f"upgraded {before or 'base'} -> {after}")
    if before is None and after == head_revision():  # a new schema: the seed parties too
        with app().database(write=True).session() as session:
            added = load_seed_parties(session)
        click.echo(f"{counted(added, 'seed party', 'seed parties')} added")


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask before removing every table (base).")
def downgrade(revision: str, yes: bool) -> None:
    """Downgrade the database to REVISION ("base" removes every table and all data, and asks
    first; --yes where there is no terminal to ask in).

    \b
    Example:
        tracker db downgrade 0001
    """
    db = open_database(app().url, check=False, create=False)
    before = db.revision()
    known_revision(revision)
    if revision == "base" and before is not None and not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("downgrade to base removes every table and all data: "
                                   "pass --yes to do it without a terminal to ask in")
        click.confirm(f"Remove every table of {db.url.render_as_string()} and all its data?",
                      abort=True)
    db.downgrade(revision)
    click.echo(f"downgraded {before or 'base'} -> {db.revision() or 'base'}")


@db_group.command("current")
def current() -> None:
    """Show the database's revision and this version's head.

    \b
    Example:
        tracker db current
    """
    db = open_database(app().url, check=False)
    rev, head = db.revision(), head_revision()
    state = "at head" if rev == head else "behind head: run `tracker db upgrade`"
    click.echo(f"{rev or 'base'} (head {head}, {state})")


@db_group.command("history")
def history() -> None:
    """List the schema revisions, newest first.

    \b
    Example:
        tracker db history
    """
    cfg = alembic_config(open_database(app().url, check=False).url)
    cfg.print_stdout = click.echo  # type: ignore[method-assign]
    command.history(cfg)


@db_group.command("reader")
def reader() -> None:
    """PostgreSQL: create the read-only role `tracker sql` logs in as (tracker_reader) and let
    it read tracker's tables and views. Migrations do this when their role may create roles;
    otherwise a role that may runs this once.

    \b
    Example:
        tracker --db postgresql://admin@db.example.org/tracker db reader
    """
    db = open_database(app().url)
    if db.dialect != "postgresql":
        raise TrackerError("tracker db reader is for PostgreSQL; SQLite files are opened read-only")
    if not db.set_up_reader():
        raise TrackerError(
            f"the role {READER} does not exist and {db.url.username or 'this role'} may not "
            "create roles: run this as a role that may (CREATEROLE)"
        )
    click.echo(
        f"{READER} may read the tables and views; it logs in without a password where the server"
        f" trusts it, else give it one (ALTER ROLE {READER} PASSWORD ...) in ~/.pgpass or"
        f" {READER_PASSWORD}"
    )


@db_group.command("seed")
def seed() -> None:
    """Load the seed parties and aliases (seeds/parties.csv) that are not in the database yet.

    \b
    Example:
        tracker db seed
    """
    with app().database(write=True).session() as session:
        added = load_seed_parties(session)
    click.echo(f"{counted(added, 'party', 'parties')} added")


COMMANDS = [db_group]
