"""``tracker claims``: review what extraction and people entered."""

from __future__ import annotations

import click

from tracker import review
from tracker.cli.common import RECORD_ID, app, emit, output_options
from tracker.dates import parse_date
from tracker.extract.types import CATEGORIES, QUALIFIERS
from tracker.models import CLAIM_KINDS, MAX_ID, STATUSES


@click.group("claims")
def claims_group() -> None:
    """List, show, accept, reject and correct claims.

    \b
    Example:
        tracker claims list --status pending
        tracker claims show 12
        tracker claims accept 12 13
    """


@claims_group.command("list")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--doubtful", is_flag=True,
              help="Only the claims extraction could not settle (same as --status doubtful).")
@click.option("--source", type=RECORD_ID, help="Only claims of this source id.")
@click.option("--kind", type=click.Choice(CLAIM_KINDS))
@click.option("--limit", type=click.IntRange(min=0, max=MAX_ID))
@output_options()
def list_(
    status: str | None, doubtful: bool, source: int | None, kind: str | None, limit: int | None,
    fmt: str,
) -> None:
    """List claims. Doubtful claims (not done, perhaps a running total) count in no figure
    until accepted; the ``doubt`` column says why.

    \b
    Example:
        tracker claims list --status pending --format csv
        tracker claims list --doubtful
    """
    if doubtful and status not in (None, "doubtful"):
        raise click.UsageError("--doubtful and --status differ; give one")
    status = "doubtful" if doubtful else status
    with app().database().reading() as session:
        columns, rows = review.list_claims(session, status, source, kind, limit)
    emit(columns, rows, fmt)


@claims_group.command("show")
@click.argument("claim_id", type=RECORD_ID)
def show(claim_id: int) -> None:
    """Show a claim, its source and its quote in its paragraph.

    \b
    Example:
        tracker claims show 12
    """
    with app().database().reading() as session:
        shown = review.show_claim(session, claim_id)
    para = shown.pop("paragraph", None)
    width = max(len(k) for k in shown)
    for key, value in shown.items():
        if value is not None and key != "quote":
            click.echo(f"{key:>{width}}: {value}")
    if shown.get("quote"):
        click.echo(f"{'quote':>{width}}: {shown['quote']}")
    if para:
        body, start, end = para
        click.echo(
            "\n"
            + body[:start]
            + click.style(body[start:end], bold=True, underline=True)
            + body[end:]
        )


def _ids_command(name: str, status: str, doc: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("claim_ids", type=RECORD_ID, nargs=-1, required=True)
    @click.option("--note", help="Why (kept with the claim).")
    def command(claim_ids: tuple[int, ...], note: str | None) -> None:
        with app().database(write=True).session() as session:
            n = review.set_status(session, list(claim_ids), status, note)
        click.echo(f"{n} claims {status}")

    return command


claims_group.add_command(
    _ids_command(
        "accept",
        "accepted",
        "Accept claims: their figures count in reviewed reports.\n\n"
        "\b\nExample:\n    tracker claims accept 12 13",
    )
)
claims_group.add_command(
    _ids_command(
        "reject",
        "rejected",
        "Reject claims: their figures never count.\n\n"
        '\b\nExample:\n    tracker claims reject 14 --note "planned, not completed"',
    )
)


@claims_group.command("edit")
@click.argument("claim_id", type=RECORD_ID)
@click.option("--count", help="Best count (low and high follow unless given).")
@click.option("--count-low")
@click.option("--count-high")
@click.option("--qualifier", type=click.Choice(QUALIFIERS))
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--date", "date_", help="Exchange date or as-of date, YYYY-MM-DD.")
@click.option("--from", "from_", metavar="PARTY", help="A transfer's giving party.")
@click.option("--to", metavar="PARTY", help="A transfer's receiving party.")
@click.option("--captor", metavar="PARTY", help="A tally's captor.")
@click.option("--captive", metavar="PARTY", help="A tally's captive party.")
@click.option("--note")
def edit(
    claim_id: int,
    count: str | None,
    count_low: str | None,
    count_high: str | None,
    qualifier: str | None,
    category: str | None,
    date_: str | None,
    from_: str | None,
    to: str | None,
    captor: str | None,
    captive: str | None,
    note: str | None,
) -> None:
    """Correct a claim (it is kept through re-extraction). The correction reaches its
    transfer or tally, every view, export, report and plot: a person's reading outranks the
    rules' reading of the same fact.

    \b
    Example:
        tracker claims edit 12 --count 52 --note "Ukraine's own count includes 2 civilians"
        tracker claims edit 19 --category body --note "a repatriation of bodies"
        tracker claims edit 7 --from RUS --to UKR
    """
    if (from_ or to) and (captor or captive):
        raise click.UsageError("--from/--to are a transfer's parties, --captor/--captive a "
                               "tally's; give one pair")
    day = parse_date(date_, "--date") if date_ else None
    with app().database(write=True).session() as session:
        review.edit_claim(
            session,
            claim_id,
            count=count,
            low=count_low,
            high=count_high,
            qualifier=qualifier,
            category=category,
            date=day,
            party_a=from_ or captor,
            party_b=to or captive,
            parties_of="transfer" if (from_ or to) else "tally" if (captor or captive) else None,
            note=note,
        )
    click.echo(f"claim {claim_id} edited")


COMMANDS = [claims_group]
