"""The balance rule, in the SQL views, on both engines."""

from __future__ import annotations

import json

from tests.conftest import Cli


def source(cli: Cli) -> None:
    cli.ok("add", "source", "--url", "https://example.org/b", "--published", "2024-06-01",
           "--text", "-", input="A statement about prisoners.")


def capture(cli: Cli, count: str, kind: str, as_of: str, *extra: str) -> None:
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", count, "--kind", kind,
           "--as-of", as_of, "--source", "1", *extra)


def balance(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("report", "balance", "--format", "json", *args))


def test_cumulative_tallies_are_not_added_and_increments_are(cli: Cli) -> None:
    source(cli)
    capture(cli, "300", "increment", "2024-01-10")
    capture(cli, "700", "cumulative", "2024-03-01")
    capture(cli, "650", "cumulative", "2024-04-01")  # a smaller, regional count: not the base
    capture(cli, "50", "increment", "2024-05-01")
    rows = balance(cli, "--by", "day")
    assert [(r["date"], r["captured_best"]) for r in rows] == [
        ("2024-01-10", 300), ("2024-03-01", 700), ("2024-04-01", 700), ("2024-05-01", 750)]


def test_open_ended_counts_stay_open(cli: Cli) -> None:
    source(cli)
    capture(cli, "700", "cumulative", "2024-03-01", "--qualifier", "more_than")
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "UKR:RUS:100", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert (row["captured_low"], row["captured_best"], row["captured_high"]) == (700, 700, None)
    assert (row["held_low"], row["held_best"], row["held_high"]) == (600, 600, None)


def test_held_beside_the_reported_holding(cli: Cli) -> None:
    source(cli)
    capture(cli, "909", "cumulative", "2024-03-01")
    capture(cli, "1000", "holding", "2024-04-01", "--count-low", "900", "--count-high", "1100",
            "--qualifier", "about")
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "UKR:RUS:150", "-t", "RUS:UKR:150", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert row["held_best"] == 759
    assert (row["reported_holding_low"], row["reported_holding_best"], row["reported_holding_high"]) == (900, 1000, 1100)
    assert row["reported_holding_as_of"] == "2024-04-01" and row["held_minus_reported"] == -241


def test_rejected_claims_never_count(cli: Cli) -> None:
    source(cli)
    capture(cli, "909", "cumulative", "2024-03-01")
    cli.ok("claims", "reject", "1")
    assert balance(cli) == []
