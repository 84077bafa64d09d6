"""``tracker claims``: review what extraction and people entered."""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker import review
from tracker.cli.common import RECORD_ID, F, app, emit, output_options
from tracker.dates import parse_date
from tracker.db import Database
from tracker.extract.types import CATEGORIES, QUALIFIERS
from tracker.models import MAX_ID, STATUSES


@click.group("claims")
def claims_group() -> None:
    """List, show, accept, reject, correct and undo claims; each decision is kept in the
    claim's history.

    \b
    Example:
        tracker claims list --status pending
        tracker claims show 12
        tracker claims accept 12 13
        tracker claims accept --source 4 --kind transfer --yes
        tracker claims history 12
        tracker claims undo 12
    """


def _stdin_is_terminal() -> bool:
    """Whether a person can answer a question (tests stand in for one)."""
    return sys.stdin.isatty()


def filter_options(command: F) -> F:
    """The options that choose claims by what they are, for list, accept and reject alike."""
    options = [
        click.option("--status", type=click.Choice(STATUSES)),
        click.option("--doubtful", is_flag=True, help="Only the claims extraction could not "
                     "settle (same as --status doubtful)."),
        click.option("--source", type=RECORD_ID, help="Only claims of this source id."),
        click.option("--outlet", help="Only claims of sources of this outlet (any case)."),
        click.option("--rule", help="Only claims made by this rule or method: manual, "
                     "transfer.each_side, or a family such as transfer."),
        click.option("--party", metavar="PARTY", help="Only claims naming this party on "
                     "either side (code, name or alias)."),
        click.option("--from", "date_from", metavar="DATE",
                     help="Only claims dated on or after DATE (YYYY-MM-DD)."),
        click.option("--to", "date_to", metavar="DATE",
                     help="Only claims dated on or before DATE (YYYY-MM-DD)."),
        click.option("--kind", type=click.Choice(review.FILTER_KINDS),
                     help="A claim kind; capture: every kind of tally."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filter(status: str | None, doubtful: bool, source: int | None, outlet: str | None,
            rule: str | None, party: str | None, date_from: str | None, date_to: str | None,
            kind: str | None) -> review.ClaimFilter:
    if doubtful and status not in (None, "doubtful"):
        raise click.UsageError("--doubtful and --status differ; give one")
    return review.ClaimFilter(
        source=source, outlet=outlet, rule=rule, party=party,
        date_from=parse_date(date_from, "--from", future=True) if date_from else None,
        date_to=parse_date(date_to, "--to", future=True) if date_to else None,
        kind=kind, status="doubtful" if doubtful else status,
    )


@claims_group.command("list")
@filter_options
@click.option("--limit", type=click.IntRange(min=0, max=MAX_ID))
@output_options()
def list_(limit: int | None, fmt: str, **filters: Any) -> None:
    """List claims. Doubtful claims (not done, perhaps a running total) count in no figure
    until accepted; the ``doubt`` column says why. Filters combine (all must hold).

    \b
    Example:
        tracker claims list --status pending --format csv
        tracker claims list --doubtful
        tracker claims list --outlet TASS --party Ukraine --from 2025-01-01 --to 2025-01-31
    """
    where = _filter(**filters)
    with app().database().reading() as session:
        columns, rows = review.list_claims(session, where, limit)
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


def _plural(n: int) -> str:
    return f"{n} claim{'s' * (n != 1)}"


def _confirmed(database: Database, where: review.ClaimFilter, name: str, status: str,
               note: str | None, yes: bool) -> bool:
    """A decision by filter: say how many claims it changes, then ask (unless --yes); asked
    in a read transaction, so no write lock is held while a person thinks."""
    with database.reading() as session:
        planned = review.preview(session, where, status, note)
    click.echo(f"{_plural(planned.changed)} will be {status} "
               f"({planned.left_alone} already {status} left alone)")
    if not planned.changed:
        return False
    if not yes:
        if not _stdin_is_terminal():
            raise click.ClickException(
                f"not a terminal to ask in: pass --yes to {name} these claims")
        click.confirm(f"{name.capitalize()} {_plural(planned.changed)}?", abort=True)
    return True


def _decide_command(name: str, status: str, doc: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("claim_ids", type=RECORD_ID, nargs=-1)
    @filter_options
    @click.option("--note", help="Why (kept with the claim and its event).")
    @click.option("--by", metavar="NAME", help="Who decides (default: $USER).")
    @click.option("--yes", is_flag=True, help="Decide by filter without asking.")
    def command(claim_ids: tuple[int, ...], note: str | None, by: str | None, yes: bool,
                **filters: Any) -> None:
        where = _filter(**filters)
        if claim_ids and where.given():
            raise click.UsageError("give claim ids or filters, not both")
        if not claim_ids and not where.given():
            raise click.UsageError("give claim ids, or filters (see --help) to choose claims")
        database = app().database(write=True)
        if where.given() and not _confirmed(database, where, name, status, note, yes):
            return
        with database.session() as session:
            done = review.set_status(session, list(claim_ids) or where, status, note, by)
        alone = f" ({done.left_alone} already {status} left alone)" if done.left_alone else ""
        click.echo(f"{_plural(done.changed)} {status}{alone}")

    return command


_BY_FILTER = (
    "Claims are chosen by id or by filters (not both). By filter, tracker says how many will "
    "change and asks first; without a terminal to ask in, it needs --yes. Each claim that "
    "changes gets an event (tracker claims history ID); claims that already have the status "
    "are left alone.\n\n"
)
claims_group.add_command(
    _decide_command(
        "accept",
        "accepted",
        "Accept claims: their figures count in reviewed reports.\n\n" + _BY_FILTER
        + "\b\nExample:\n    tracker claims accept 12 13\n"
        "    tracker claims accept --outlet TASS --kind transfer --from 2025-01-01 --yes",
    )
)
claims_group.add_command(
    _decide_command(
        "reject",
        "rejected",
        "Reject claims: their figures never count.\n\n" + _BY_FILTER
        + '\b\nExample:\n    tracker claims reject 14 --note "planned, not completed"\n'
        '    tracker claims reject --doubtful --rule transfer.sum_of_parts --by alice',
    )
)


@claims_group.command("edit")
@click.argument("claim_id", type=RECORD_ID)
@click.option("--count", help="Best count (low and high follow unless given).")
@click.option("--count-low")
@click.option("--count-high")
@click.option("--qualifier", type=click.Choice(QUALIFIERS))
@click.option("--category", type=click.Choice(CATEGORIES, case_sensitive=False))
@click.option("--date", "date_", help="Exchange date or as-of date, YYYY-MM-DD.")
@click.option("--from", "from_", metavar="PARTY", help="A transfer's giving party.")
@click.option("--to", metavar="PARTY", help="A transfer's receiving party.")
@click.option("--captor", metavar="PARTY", help="A tally's captor.")
@click.option("--captive", metavar="PARTY", help="A tally's captive party.")
@click.option("--note", help="Why (kept with the claim and its event).")
@click.option("--by", metavar="NAME", help="Who corrects (default: $USER).")
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
    by: str | None,
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
        event = review.edit_claim(
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
            by=by,
        )
    if event is None:
        click.echo(f"claim {claim_id} unchanged: it already has every value given")
    else:
        click.echo(f"claim {claim_id} edited (event {event})")


@claims_group.command("history")
@click.argument("claim_id", type=RECORD_ID)
@output_options()
def history(claim_id: int, fmt: str) -> None:
    """The events of a claim, oldest first: one row per field a decision, an edit or an undo
    changed, with the old and new value, the note, when and by whom.

    \b
    Example:
        tracker claims history 12
        tracker claims history 12 --format csv
    """
    with app().database().reading() as session:
        columns, rows = review.history(session, claim_id)
    emit(columns, rows, fmt)


@claims_group.command("undo")
@click.argument("claim_id", type=RECORD_ID)
@click.option("--by", metavar="NAME", help="Who undoes (default: $USER).")
def undo(claim_id: int, by: str | None) -> None:
    """Undo the claim's latest event not yet undone (an accept, reject or edit): its old values
    come back, every figure follows, and the undo is an event of its own. Undo again to go
    further back.

    \b
    Example:
        tracker claims undo 12
        tracker claims undo 12 --by alice
    """
    with app().database(write=True).session() as session:
        event = review.undo(session, claim_id, by)
    click.echo(f"claim {claim_id}: event {event.event} ({event.action}) undone")


COMMANDS = [claims_group]
