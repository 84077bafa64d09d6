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
    "sql": "sql", "tables": "sql",
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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["tracker.words"] = list(args)  # what was typed, for naming options in errors
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            words = ctx.meta.get("tracker.words", [])
            raise click.ClickException(self._said(ctx, words, exc)) from None
        except IntegrityError as exc:
            raise click.ClickException(f"the database refused the change: {_first(exc)}") from None
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(f"database error: {_first(exc)}") from None


    def _said(self, ctx: click.Context, words: list[str], exc: TrackerError) -> str:
        """The error as the user typed it: a field the library names (``count_low``) is
        shown as the option of the command that ran (``--count-low``)."""
        field, message = getattr(exc, "field", None), getattr(exc, "message", None)
        if not field or message is None:
            return str(exc)
        head, _, tail = field.partition(" ")
        option = _option(_leaf(self, ctx, words), head)
        return f"{option}{' ' + tail if tail else ''}: {message}" if option else str(exc)


def _leaf(group: click.Group, ctx: click.Context, words: list[str]) -> click.Command:
    """The command ``words`` ran (``claims edit`` for ``claims edit 5 --count 9``)."""
    command: click.Command = group
    for word in words:
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(ctx, word)
        if sub is not None:
            command = sub
    return command


def _option(command: click.Command, field: str) -> str | None:
    """The long option of ``command`` for a library field: by parameter name (``from_`` for
    ``from``) or by spelling (``count_low`` is ``--count-low``)."""
    spelled = "--" + field.replace("_", "-")
    for param in command.params:
        if isinstance(param, click.Option) and (
                param.name in (field, f"{field}_") or spelled in param.opts):
            return next((o for o in param.opts if o.startswith("--")), param.opts[0])
        if isinstance(param, click.Argument) and param.name == field:
            return param.human_readable_name
    return None


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
