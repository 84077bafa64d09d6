"""``tracker add``: manual entry of sources, exchanges and capture tallies."""

from __future__ import annotations

import click

from tracker import entry
from tracker.cli.common import app
from tracker.dates import parse_date
from tracker.extract.types import CAPTURE_KINDS, CATEGORIES, PRECISIONS, QUALIFIERS


@click.group("add")
def add_group() -> None:
    """Enter a source, an exchange or a capture tally by hand (a source is required).

    \b
    Example:
        tracker add source --url https://example.org/a --published 2025-02-06 --text article.txt
        tracker add exchange --date 2025-02-05 -t UKR:RUS:150 -t RUS:UKR:150 --source 1
        tracker add capture --captor UKR --captive RUS --count 909 --kind cumulative \\
            --period-start 2024-08-06 --as-of 2025-02-06 --source 1
    """


@add_group.command("source")
@click.option("--url", help="Where the document was published.")
@click.option("--outlet", help="Who published it.")
@click.option("--title")
@click.option("--published", required=True, help="Publication date, YYYY-MM-DD.")
@click.option(
    "--text",
    "text_file",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help="File holding the text, or - for standard input.",
)
def source(
    url: str | None, outlet: str | None, title: str | None, published: str, text_file
) -> None:
    """Add a source document (no extraction is run on it).

    \b
    Example:
        tracker add source --url https://example.org/a --outlet AFP --published 2025-02-06 \\
            --text article.txt
    """
    day = parse_date(published, "--published")
    try:
        text = text_file.read()
    except UnicodeDecodeError:
        raise click.ClickException(f"--text: {text_file.name} is not UTF-8 text") from None
    with app().database(write=True).session() as session:
        stored = entry.add_source(session, text, day, url, outlet, title, origin=text_file.name)
    click.echo(f"source {stored.source_id}: {stored.status}")


@add_group.command("exchange")
@click.option("--date", "date_", required=True, help="YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--precision", type=click.Choice(PRECISIONS), help="Default: from the date's form.")
@click.option(
    "--transfer",
    "-t",
    "transfers",
    multiple=True,
    required=True,
    metavar="FROM:TO:COUNT[:CATEGORY]",
    help=f"People handed over; CATEGORY one of {', '.join(CATEGORIES)} (default pow).",
)
@click.option(
    "--qualifier",
    type=click.Choice(QUALIFIERS),
    default="exact",
    show_default=True,
    help="How the counts were stated.",
)
@click.option("--mediator", "mediators", multiple=True, help="Mediating party (repeatable).")
@click.option("--claimant", help='Who states it, e.g. "Ukrainian Coordination HQ".')
@click.option("--quote", help="The sentence that states it.")
@click.option("--source", required=True, help="Source id or URL.")
def exchange(
    date_: str,
    precision: str | None,
    transfers: tuple[str, ...],
    qualifier: str,
    mediators: tuple[str, ...],
    claimant: str | None,
    quote: str | None,
    source: str,
) -> None:
    """Add a completed exchange with one or more transfers.

    \b
    Example:
        tracker add exchange --date 2025-02-05 -t UKR:RUS:150:pow -t RUS:UKR:150:pow \\
            --mediator ARE --claimant "Ukrainian military" --source 1
    """
    when = entry.parse_date_value(date_, "--date", precision)
    with app().database(write=True).session() as session:
        specs = [entry.parse_transfer(session, t, qualifier) for t in transfers]
        n = entry.add_exchange(session, source, when, specs, list(mediators), claimant, quote)
    click.echo(f"{n} transfer claims added")


@add_group.command("capture")
@click.option("--captor", required=True, help="The party that captured or holds.")
@click.option("--captive", required=True, help="The party whose people are held.")
@click.option("--category", type=click.Choice(CATEGORIES, case_sensitive=False), default="pow",
              show_default=True)
@click.option("--count", required=True, help="Best count.")
@click.option("--count-low", help="Low end (default: the count).")
@click.option("--count-high", help="High end (default: the count; open for more_than).")
@click.option("--qualifier", type=click.Choice(QUALIFIERS), default="exact", show_default=True)
@click.option(
    "--kind",
    type=click.Choice(CAPTURE_KINDS),
    default="cumulative",
    show_default=True,
    help="cumulative since a start, increment over a period, or holding at a date.",
)
@click.option("--period-start", help="Start of the period counted (YYYY-MM-DD).")
@click.option("--as-of", "as_of", required=True, help="Date the figure is given for.")
@click.option("--region")
@click.option("--claimant")
@click.option("--quote", help="The sentence that states it.")
@click.option("--source", required=True, help="Source id or URL.")
def capture(
    captor: str,
    captive: str,
    category: str,
    count: str,
    count_low: str | None,
    count_high: str | None,
    qualifier: str,
    kind: str,
    period_start: str | None,
    as_of: str,
    region: str | None,
    claimant: str | None,
    quote: str | None,
    source: str,
) -> None:
    """Add a capture tally: cumulative, an increment over a period, or a holding.

    \b
    Example:
        tracker add capture --captor UKR --captive RUS --count 909 --kind cumulative \\
            --period-start 2024-08-06 --as-of 2025-02-06 --region Kursk --source 1
    """
    spec = entry.CaptureSpec(
        captor=captor,
        captive=captive,
        category=category,
        kind=kind,
        count=entry.make_count(count, count_low, count_high, qualifier),
        as_of=entry.parse_date_value(as_of, "--as-of"),
        period_start=entry.parse_date_value(period_start, "--period-start")
        if period_start
        else None,
        region=region,
    )
    with app().database(write=True).session() as session:
        entry.add_capture(session, source, spec, claimant, quote)
    click.echo("capture claim added")


COMMANDS = [add_group]
