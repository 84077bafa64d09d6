"""``tracker db``: the schema revision, wrapping Alembic."""

from __future__ import annotations

import click

from alembic import command
from tracker.cli.common import app
from tracker.db import alembic_config, head_revision, open_database
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
    db = open_database(app().url, check=False)
    before = db.revision()
    db.upgrade(revision)
    click.echo(f"upgraded {before or 'base'} -> {db.revision()}")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION ("base" removes every table).

    \b
    Example:
        tracker db downgrade 0001
    """
    db = open_database(app().url, check=False, create=False)
    before = db.revision()
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
    click.echo(f"{added} parties added")


COMMANDS = [db_group]
