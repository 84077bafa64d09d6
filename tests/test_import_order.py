"""The same sources give the same database in any order: merging is a function of the claims.

Reports A, B and C of one swap lie two days apart (A~B, B~C, A!~C); D gives A's day another
figure; E only dates it to the month, so it fits all three; F, G and H restate one tally with
figures that drift apart (F~G, G~H, F!~H). Imported in any order, one at a time or all at
once, the exports are the same but for their ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import Cli, pg_schema
from tracker.db import open_database
from tracker.extract.types import Count, DateValue
from tracker.merge import Figure, Piece, Unit, cluster_exchanges
from tracker.models import RetiredId

WAR = "\n\nThe war between Russia and Ukraine goes on.\n"
BOTH_WAYS = ("Russia handed over 150 Ukrainian servicemen and Ukraine returned 150 Russian "
             "soldiers")
ARTICLES = {
    "a": ("2025-06-10", f"On June 10, {BOTH_WAYS}, the Ukrainian ombudsman said."),
    "b": ("2025-06-12", f"On June 12, {BOTH_WAYS}, the Russian Defence Ministry said."),
    "c": ("2025-06-14", f"On June 14, {BOTH_WAYS}, officials said."),
    "d": ("2025-06-11", "On June 10, Russia handed over 190 Ukrainian prisoners, the "
                        "Ukrainian ombudsman said."),
    "e": ("2025-07-02", "In June, Russia handed over 150 Ukrainian servicemen, the Ukrainian "
                        "ombudsman said."),
    "f": ("2025-06-20", "Ukrainian forces have captured 640 Russian soldiers since the start "
                        "of the year, the General Staff said."),
    "g": ("2025-06-20", "Ukrainian forces have captured 680 Russian soldiers since the start "
                        "of the year, the General Staff said."),
    "h": ("2025-06-20", "Ukrainian forces have captured 725 Russian soldiers since the start "
                        "of the year, the General Staff said."),
    "i": ("2025-06-27", "Russia is holding more than 8,000 Ukrainian prisoners, the ombudsman "
                        "said on Friday."),
}
TABLES = ("transfers", "exchanges", "captures", "balance")


def _write(folder: Path, name: str, published: str, body: str, url: str | None = None) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(f"url: {url or f'https://example.org/{name}'}\npublished: {published}\n\n"
                    f"{body}{WAR}")
    return path


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    return {name: _write(folder, name, *text) for name, text in ARTICLES.items()}


@pytest.fixture
def databases(engine: str, tmp_path: Path,
              request: pytest.FixtureRequest) -> Iterator[Callable[[], Cli]]:
    """Fresh databases on the engine of ``engine``, as many as a test asks for."""
    with ExitStack() as stack:
        made = []

        def fresh() -> Cli:
            if engine.startswith("sqlite"):
                url = f"sqlite:///{tmp_path / f'order{len(made)}.db'}"
            else:
                url = stack.enter_context(pg_schema(request.getfixturevalue("pg_admin")))
            open_database(url).dispose()
            made.append(url)
            return Cli(url)

        yield fresh


def contents(cli: Cli) -> dict[str, list[str]]:
    """Every export as CSV rows without the id columns, sorted (ids and row order may differ)."""
    out = {}
    for table in TABLES:
        rows = list(csv.reader(io.StringIO(cli.ok("export", table))))
        keep = [i for i, name in enumerate(rows[0]) if not name.endswith(("_id", "_ids"))]
        out[table] = [",".join(rows[0][i] for i in keep),
                      *sorted(",".join(row[i] for i in keep) for row in rows[1:])]
    return out


def _orders() -> dict[str, list[str]]:
    names = sorted(ARTICLES)
    orders = {"forward": names, "reversed": names[::-1]}
    for seed in (1, 2, 3):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        orders[f"shuffled{seed}"] = shuffled
    return orders


def test_any_order_gives_the_same_exports(databases: Callable[[], Cli],
                                          articles: dict[str, Path]) -> None:
    together = databases()
    together.ok("import", *(str(articles[n]) for n in sorted(articles)))
    expected = contents(together)
    # the chain is one swap reported twice (A, B, D, E) and once more two days later (C)
    assert len(expected["exchanges"]) == 3, expected["exchanges"]
    assert len(expected["captures"]) == 3, expected["captures"]  # one tally, one holding
    for name, order in _orders().items():
        one_by_one = databases()
        for article in order:
            one_by_one.ok("import", str(articles[article]))
        assert contents(one_by_one) == expected, name
    reversed_at_once = databases()
    reversed_at_once.ok("import", *(str(articles[n]) for n in sorted(articles, reverse=True)))
    assert contents(reversed_at_once) == expected


def test_a_group_keeps_its_oldest_id_and_retires_the_other(
        databases: Callable[[], Cli], articles: dict[str, Path], tmp_path: Path) -> None:
    """A and C are two swaps, B joins A; when A's new version moves it to C's day, B (two days
    from both) holds the three together: the group keeps A's exchange id, C's is retired."""
    cli = databases()
    for name in ("a", "c", "b"):
        cli.ok("import", str(articles[name]))
    exchanges = {row["exchange_id"]: row["source_count"] for row in _json(cli, "exchanges")}
    assert sorted(exchanges.values()) == [1, 2]
    moved = _write(tmp_path, "a2", "2025-06-14", f"On June 14, {BOTH_WAYS}, the Ukrainian "
                   "ombudsman said again.", url="https://example.org/a")
    cli.ok("import", str(moved))
    after = _json(cli, "exchanges")
    assert [(row["exchange_id"], row["source_count"]) for row in after] == [(1, 3)]
    db = open_database(cli.url)
    with db.session() as session:
        retired = session.execute(select(RetiredId.into_id).where(
            RetiredId.kind == "exchange", RetiredId.id == 2)).scalar_one()
    db.dispose()
    assert retired == 1


def test_a_decision_regroups_as_if_the_claims_had_never_been(
        databases: Callable[[], Cli], articles: dict[str, Path]) -> None:
    """Rejecting A's claims leaves B to date the swap (June 12), which C then joins and D
    leaves: the database is the one the other sources alone give."""
    cli, without = databases(), databases()
    cli.ok("import", *(str(articles[n]) for n in ("c", "a", "b", "d", "e")))
    without.ok("import", *(str(articles[n]) for n in ("e", "d", "c", "b")))
    source = next(s["source_id"] for s in _json(cli, "sources")
                  if s["url"] == "https://example.org/a")
    cli.ok("claims", "reject", "--source", str(source), "--yes")
    assert contents(cli) == contents(without)
    assert len(contents(cli)["exchanges"]) == 3  # {E, B, C} and {D}
    cli.ok("claims", "accept", "--source", str(source), "--yes")  # A counts again
    again = databases()
    again.ok("import", *(str(articles[n]) for n in ("a", "b", "c", "d", "e")))
    again.ok("claims", "accept", "--source", "1", "--yes")
    assert contents(cli) == contents(again)


def _json(cli: Cli, table: str) -> list[dict]:
    return json.loads(cli.ok("export", table, "--format", "json"))


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_reports_in_two_orders(databases: Callable[[], Cli], tmp_path: Path,
                                         seed: int) -> None:
    """Seeded random reports of swaps a few days apart, counts near each other: two orders,
    one database."""
    rnd = random.Random(seed)
    folder = tmp_path / f"gen{seed}"
    folder.mkdir()
    paths = []
    for i in range(8):
        day = dt.date(2025, 3, 3) + dt.timedelta(days=rnd.randrange(7))
        n, m = rnd.choice((100, 110, 150, 190)), rnd.choice((100, 150))
        when = "In March" if rnd.random() < 0.2 else f"On March {day.day}"
        body = (f"{when}, Russia handed over {n} Ukrainian servicemen and Ukraine returned {m} "
                f"Russian soldiers, source {i} said.")
        published = day + dt.timedelta(days=rnd.randrange(3))
        paths.append(str(_write(folder, f"r{i}", published.isoformat(), body)))
    first, second = databases(), databases()
    first.ok("import", *paths)
    for path in rnd.sample(paths, len(paths)):
        second.ok("import", path)
    assert contents(first) == contents(second)


# The pure function: the clusters of a set of units do not depend on the order they are given.

def _figure(claims) -> Figure:
    (a, b, n), *_ = sorted(claims)
    return Figure(a, b, "pow", Count(min(c[2] for c in claims), n, max(c[2] for c in claims)),
                  False)


_units = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 6), st.sampled_from((1, 2)),
                            st.sampled_from((100, 110, 150, 190))),
                  min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_units, st.randoms())
def test_clusters_do_not_depend_on_the_order_of_units(raw, rnd) -> None:
    units = []
    for i, (source, offset, way, n) in enumerate(raw):
        date = DateValue(dt.date(2025, 3, 1) + dt.timedelta(days=offset))
        pair = (1, 2) if way == 1 else (2, 1)
        claim = (*pair, n)
        units.append(Unit(source, date, (date.value, pair, n, source, i),
                          (Piece((claim,), (claim,)),)))
    shuffled = rnd.sample(units, len(units))

    def grouping(given_units: list[Unit]) -> set[frozenset]:
        clusters = cluster_exchanges(given_units, _figure, (1, 2))
        return {frozenset(u.key for u in c.units) for c in clusters}

    groups = grouping(units)
    assert groups == grouping(shuffled)
    assert sum(len(g) for g in groups) == len(units)
    for cluster in cluster_exchanges(units, _figure, (1, 2)):  # one source, one unit a group
        sources = [u.source_id for u in cluster.units]
        assert len(sources) == len(set(sources))
