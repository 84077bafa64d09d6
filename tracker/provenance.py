"""Provenance: the claims and sources behind a figure, so an analyst can cite it.

A FIGURE names what to trace: ``exchange:ID``, ``transfer:ID``, ``capture:ID``, or a balance row
``balance:PARTY:CATEGORY:DATE`` (the claims behind every transfer and tally that the balance of
PARTY in CATEGORY at DATE counts). The SQL is in ``tracker.reports``; this module parses the
figure, checks it names something, and lays the rows out as a citable text block.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.audit import summaries
from tracker.cells import for_terminal, plain, range_text
from tracker.dates import parse_date
from tracker.errors import InputError, NotFound
from tracker.extract.types import CATEGORIES
from tracker.lasting import resolve
from tracker.models import as_id
from tracker.parties import resolve_party

FORMS = "exchange:ID, transfer:ID, capture:ID or balance:PARTY:CATEGORY:DATE"
EVENT_COLUMNS = ["events", "last_event"]  # the review trail of each claim (``tracker.audit``)
_TABLES = {"exchange": "exchanges", "transfer": "transfers", "capture": "capture_tallies"}


@dataclass(frozen=True)
class Figure:
    """A parsed FIGURE: a record by id, or a balance row (party code, category, date)."""

    kind: str
    id: int | None = None
    party: str | None = None
    category: str | None = None
    date: dt.date | None = None

    def __str__(self) -> str:
        if self.kind == "balance":
            return f"balance:{self.party}:{self.category}:{self.date}"
        return f"{self.kind}:{self.id}"


def parse_figure(spec: str) -> Figure:
    """``transfer:3`` or ``balance:UKR:pow:2025-02-06``; anything else is an InputError."""
    kind, _, rest = spec.strip().partition(":")
    kind = kind.lower()
    if kind in _TABLES:
        if not rest.isdigit():
            raise InputError("FIGURE", f"{spec!r} is not {kind}:ID (ID a number)")
        number = as_id(rest)
        if number is None:
            raise NotFound(f"no {kind} {rest}")
        return Figure(kind, id=number)
    if kind == "balance":
        parts = rest.split(":")
        if len(parts) != 3:
            raise InputError("FIGURE", f"{spec!r} is not balance:PARTY:CATEGORY:DATE")
        party, category, day = parts
        if category.lower() not in CATEGORIES:
            raise InputError(
                "FIGURE", f"category {category!r} is not one of {', '.join(CATEGORIES)}"
            )
        return Figure(kind, party=party, category=category.lower(),
                      date=parse_date(day, "FIGURE date"))
    raise InputError("FIGURE", f"{spec!r} is not one of {FORMS}")


def _party_id(conn: Connection, ref: str) -> int:
    return resolve_party(conn, ref, "FIGURE")[0]


def _check_exists(conn: Connection, figure: Figure) -> None:
    table = _TABLES[figure.kind]
    if conn.execute(text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": figure.id}).first():
        return
    raise NotFound(f"no {figure.kind} {figure.id}")


def resolved(conn: Connection, figure: Figure) -> tuple[Figure, list[str]]:
    """The figure an id names now: a merged id answers with the record it was merged into
    (``retired_ids``), and says so; a removed one is NotFound with the reason."""
    if figure.kind == "balance":
        assert figure.party
        return replace(figure, party=resolve_party(conn, figure.party, "FIGURE")[1]), []
    assert figure.id is not None
    current, history = resolve(conn, figure.kind, figure.id)
    if current is None:
        raise NotFound(f"no {figure.kind} {figure.id} ({'; '.join(history)})")
    return replace(figure, id=current), history


def provenance(
    conn: Connection, figure: Figure, reviewed_only: bool = False
) -> tuple[list[str], list[Sequence[Any]]]:
    """The claims behind a figure, one row per claim (see ``reports.PROVENANCE_COLUMNS``),
    each with its review trail: how many events, and the latest as a line."""
    from tracker.reports import run_report

    if figure.kind == "balance":
        assert figure.party and figure.date
        columns, rows = run_report(
            conn,
            "provenance-balance",
            party_id=_party_id(conn, figure.party),
            category=figure.category,
            date=figure.date.isoformat(),
            reviewed_only=reviewed_only,
        )
    else:
        _check_exists(conn, figure)
        columns, rows = run_report(
            conn, f"provenance-{figure.kind}", id=figure.id, reviewed_only=reviewed_only
        )
    at = columns.index("claim_id")
    trail = summaries(conn, (row[at] for row in rows))
    return [*columns, *EVENT_COLUMNS], [(*row, *trail.get(row[at], (0, None))) for row in rows]


def balance_line(conn: Connection, figure: Figure, reviewed_only: bool = False) -> str:
    """The balance row a ``balance:`` figure traces, as one line (empty for other figures)."""
    from tracker.balances import BalanceQuery, balance

    if figure.kind != "balance":
        return ""
    query = BalanceQuery(party=figure.party, category=figure.category, date_to=figure.date,
                         reviewed_only=reviewed_only)
    columns, rows = balance(conn, query)
    if not rows:
        return "nothing recorded up to this date"
    row = dict(zip(columns, (plain(v) for v in rows[0])))
    parts = [
        f"{m.replace('_', ' ')} {range_text(*(row[f'{m}_{b}'] for b in ('low', 'best', 'high')))}"
        for m in ("captured", "released", "returned", "held", "reported_holding")
        if row[f"{m}_best"] is not None
    ]
    return f"as of {row['date']}: " + ", ".join(parts)


def render(
    figure: Figure, columns: Sequence[str], rows: Sequence[Sequence[Any]], headline: str = ""
) -> str:
    """A text block per figure, each claim with its quote and a citation line."""
    top = f"{figure}\n{headline}\n" if headline else f"{figure}\n"
    if not rows:
        return top + "no claims count towards this figure\n"
    records = [dict(zip(columns, (_shown(v) for v in row))) for row in rows]
    n, sources = len(records), _count_sources(records)
    blocks = [top + f"{n} claim{'s' * (n != 1)} from {sources} source{'s' * (sources != 1)}\n"]
    for _, group in itertools.groupby(records, key=lambda r: (r["role"], r["figure"])):
        blocks.append(_figure_block(list(group)))
    return "\n".join(blocks)


def _shown(value: Any) -> Any:
    """A value as printed: text with its control characters shown as escapes."""
    value = plain(value)
    return for_terminal(value) if isinstance(value, str) else value


def _count_sources(records: list[dict[str, Any]]) -> int:
    return len({r["source_id"] for r in records})


def _figure_block(claims: list[dict[str, Any]]) -> str:
    head = claims[0]
    number = range_text(head["figure_low"], head["figure_best"], head["figure_high"])
    arrow = {"transfer": "->", "holding": "holds"}.get(head["kind"], "took")
    lines = [
        f"{head['figure']}  {head['role']}  {head['figure_date']}  "
        f"{head['party_a']} {arrow} {head['party_b']}  {head['category']}  {number}"
    ]
    for c in claims:
        lines.append(_claim_lines(c))
    return "\n".join(lines) + "\n"


def _claim_lines(c: dict[str, Any]) -> str:
    count = range_text(c["count_low"], c["count_best"], c["count_high"])
    who = c["claimant"] or "claimant not named"
    found_at = c["source_url"] or (  # a source without a URL: where it was read, and its text
        f"imported from {c['source_origin'] or 'an unnamed file'}, text sha256 {c['source_hash']}")
    cite = ", ".join(str(v) for v in (c["outlet"], c["title"], c["published"], found_at) if v)
    out = [f"  claim {c['claim_id']} ({c['status']}, {c['method']}): {count} {c['qualifier']}"]
    if c["quote"]:
        out.append(f'    "{c["quote"]}"')
    out.append(f"    {who}; source {c['source_id']}: {cite}")
    if c.get("events"):
        n = c["events"]
        out.append(f"    {n} review event{'s' * (n != 1)}; latest: {c['last_event']}")
    return "\n".join(out)
