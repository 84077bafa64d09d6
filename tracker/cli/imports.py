"""``tracker import``: read articles from files, folders or stdin and extract their figures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Protocol

import click

from tracker.cells import counted
from tracker.cli.common import RECORD_ID, app
from tracker.dates import parse_date
from tracker.errors import TrackerError
from tracker.importer import import_articles, reextract
from tracker.ingest import FORMATS, iter_files, read_files
from tracker.ingest.language import check_language


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="auto",
    show_default=True,
    help="Input format (auto: by extension, then by content).",
)
@click.option("--published", help="Publication date (YYYY-MM-DD) for articles that give none.")
@click.option("--outlet", help="Outlet name for every article of this run.")
@click.option(
    "--language",
    help="ISO 639-1 code (en, uk, ru) for every article of this run (default: the file's, else"
    " detected).",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Read the files that symbolic links in a folder point to outside it (refused by default).",
)
@click.option("--glob", "include", multiple=True, metavar="PATTERN",
              help="Of a folder, only the files whose path inside it matches (repeatable).")
@click.option("--exclude", multiple=True, metavar="PATTERN",
              help="Of a folder, not the files whose path inside it matches, e.g. "
              "'*.gold.json' (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def import_command(
    paths: tuple[Path, ...],
    fmt: str,
    published: str | None,
    outlet: str | None,
    language: str | None,
    follow_symlinks: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    quiet: bool,
) -> None:
    """Import articles (files, folders, or - for stdin) and extract their figures.

    Plain text (a leading `date YYYY-MM-DD`, or a url:/published:/title:/outlet: header block),
    JSON and JSON Lines (news-please, trafilatura or plain fields), HTML pages and Telegram
    Desktop exports (result.json: each channel post a source). The language of each source is
    the one its file declares, else detected. The same text again changes nothing; a changed
    text at a known URL (an edited post) is a new version; each source is one transaction.
    Ctrl-C stops cleanly (the source being written is rolled back; exit status 130). Only
    regular files are read (a FIFO, device or socket is an error for that path), and a folder's
    symbolic links only where they stay inside it, unless --follow-symlinks.

    \b
    Example:
        tracker import seeds/
        tracker import scraped.jsonl --outlet Reuters
        tracker import corpus/ --exclude '*.gold.json'
        tracker import ChatExport/result.json --language uk
        cat article.txt | tracker import - --published 2025-02-06
    """
    for path in paths:
        if str(path) != "-" and not path.exists():
            raise click.UsageError(f"{path}: no such file or folder")
    day = parse_date(published, "--published") if published else None
    code = check_language(language) if language is not None else None
    files = list(iter_files(paths, follow_symlinks, include, exclude))
    db = app().database(write=True)
    show = not quiet and len(files) > 1 and sys.stderr.isatty()
    bar: Bar = (
        click.progressbar(length=len(files), label="importing", file=sys.stderr, show_pos=True)
        if show
        else _NoBar()
    )
    with bar:
        summary = import_articles(
            db, read_files(files, fmt, day, outlet, code, lambda: bar.update(1)))
    for error in summary.errors:
        click.echo(f"failed: {error}", err=True)
    if summary.interrupted:
        click.echo(f"interrupted: {summary.line()}")
        sys.exit(130)
    click.echo(summary.line())
    if summary.stopped:
        raise TrackerError(f"the import stopped: {summary.stopped}")
    if summary.failed:
        sys.exit(1)


class Bar(Protocol):
    def __enter__(self) -> Any: ...
    def __exit__(self, *exc: object) -> Any: ...
    def update(self, n: int) -> None: ...


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


COMMANDS = [import_command]


@click.command("reextract")
@click.option(
    "--source", "sources", type=RECORD_ID, multiple=True, help="Only this source id (repeatable)."
)
def reextract_command(sources: tuple[int, ...]) -> None:
    """Run the current extraction rules again over stored sources.

    Pending machine-made claims are replaced; accepted, rejected, edited and hand-entered
    claims are kept as they are. A figure read again keeps its claim, transfer, exchange and
    tally ids. Sources entered with `add source` get no extraction and are left alone.

    \b
    Example:
        tracker reextract
        tracker reextract --source 12
    """
    summary = reextract(app().database(write=True), list(sources) or None)
    by_hand = f", {summary.unchanged} entered by hand left alone" if summary.unchanged else ""
    click.echo(f"{counted(summary.imported, 'source')} re-read{by_hand}, "
               f"{counted(summary.claims, 'claim')} found")


COMMANDS.append(reextract_command)
