"""The ``tracker`` command line: parses options, calls the library, prints. Nothing else."""

from __future__ import annotations

import importlib

import click
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from tracker import __version__
from tracker.cli.common import AppContext
from tracker.errors import TrackerError

# Command name -> module under tracker.cli; a module is imported only when its command runs,
# so that `tracker report balance` does not pay for loading extraction, HTML parsing or plots.
COMMAND_MODULES = {
    "add": "add", "claims": "claims", "db": "db", "export": "export", "import": "imports",
    "parties": "parties", "plot": "plot", "reextract": "imports", "report": "report",
    "sql": "sql",
}


class TrackerGroup(click.Group):
    """Loads command modules on demand; every named error of the library becomes one
    ``Error: ...`` line and exit status 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMAND_MODULES:
            return None
        module = importlib.import_module(f"tracker.cli.{COMMAND_MODULES[cmd_name]}")
        return next(c for c in module.COMMANDS if c.name == cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            raise click.ClickException(str(exc)) from None
        except IntegrityError as exc:
            raise click.ClickException(f"the database refused the change: {_first(exc)}") from None
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(f"database error: {_first(exc)}") from None


def _first(exc: Exception) -> str:
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_option",
    metavar="URL",
    envvar=None,
    help="Database URL (default: $TRACKER_DATABASE_URL, else sqlite:///tracker.db).",
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def main(ctx: click.Context, db_option: str | None) -> None:
    """Track prisoner captures and exchanges, every figure tied to its source.

    \b
    Example:
        tracker import articles/
        tracker report balance --by month
        tracker --db postgresql://localhost/tracker export transfers --out transfers.csv
    """
    ctx.obj = AppContext(db_option)
    ctx.call_on_close(ctx.obj.close)
