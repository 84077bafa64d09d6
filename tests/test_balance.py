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
    # the holding is the anchor: the release before it is already in it
    assert (row["held_low"], row["held_best"], row["held_high"]) == (900, 1000, 1100)
    assert (row["held_basis"], row["held_anchor_as_of"], row["held_anchor_days"]) == (
        "holding", "2024-04-01", 0)
    assert (row["reported_holding_low"], row["reported_holding_best"], row["reported_holding_high"]) == (900, 1000, 1100)
    # captured 909 (a month before the holding) - released 150 - the holding 1000
    assert row["reported_holding_as_of"] == "2024-04-01" and row["held_minus_reported"] == -241


def test_held_carries_the_holding_forward(cli: Cli) -> None:
    source(cli)
    capture(cli, "1000", "holding", "2024-04-01")
    cli.ok("add", "exchange", "--date", "2024-04-10", "-t", "UKR:RUS:100", "-t", "RUS:UKR:90",
           "--source", "1")
    capture(cli, "30", "increment", "2024-04-20")
    rows = balance(cli, "--by", "day", "--party", "UKR")
    assert [(r["date"], r["held_best"], r["held_basis"], r["held_anchor_days"]) for r in rows] == [
        ("2024-04-01", 1000, "holding", 0), ("2024-04-10", 900, "holding", 9),
        ("2024-04-20", 930, "holding", 19)]
    assert rows[-1]["captured_best"] == 30  # captured still says what the tallies say


def test_a_newer_holding_is_the_new_anchor(cli: Cli) -> None:
    source(cli)
    capture(cli, "1000", "holding", "2024-04-01")
    cli.ok("add", "exchange", "--date", "2024-04-10", "-t", "UKR:RUS:100", "--source", "1")
    capture(cli, "1200", "holding", "2024-05-01")
    cli.ok("add", "exchange", "--date", "2024-05-10", "-t", "UKR:RUS:50", "--source", "1")
    rows = balance(cli, "--by", "day", "--party", "UKR")
    assert [(r["held_best"], r["held_anchor_as_of"]) for r in rows] == [
        (1000, "2024-04-01"), (900, "2024-04-01"), (1200, "2024-05-01"), (1150, "2024-05-01")]


def test_an_open_release_after_the_holding_opens_held_below(cli: Cli) -> None:
    source(cli)
    capture(cli, "1000", "holding", "2024-04-01")
    cli.ok("add", "exchange", "--date", "2024-04-10", "-t", "UKR:RUS:100", "--source", "1")
    cli.ok("claims", "edit", "2", "--count", "100", "--qualifier", "more_than")
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_low"], row["held_best"], row["held_high"]) == (0, 900, 900)


def test_held_on_a_cumulative_tally_without_a_holding(cli: Cli) -> None:
    source(cli)
    capture(cli, "700", "cumulative", "2024-03-01")
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "UKR:RUS:100", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_best"], row["held_basis"], row["held_anchor_as_of"], row["held_anchor_days"]) == (
        600, "cumulative", "2024-03-01", 4)
    assert row["held_minus_reported"] is None


def test_held_is_empty_rather_than_negative(cli: Cli) -> None:
    source(cli)
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "UKR:RUS:100", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_best"], row["held_basis"], row["held_anchor_as_of"]) == (None, "no_tally", None)
    assert row["released_best"] == 100
    capture(cli, "40", "cumulative", "2024-03-01")  # a partial tally: fewer than were released
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_low"], row["held_best"], row["held_high"]) == (None, None, None)
    assert (row["held_basis"], row["held_anchor_as_of"]) == ("below_zero", "2024-03-01")
    capture(cli, "30", "increment", "2024-04-01")  # increments alone are never a basis
    cli.ok("claims", "reject", "2")
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_best"], row["held_basis"], row["captured_best"]) == (None, "no_tally", 30)


def test_held_minus_reported_compares_figures_of_similar_date(cli: Cli) -> None:
    source(cli)
    capture(cli, "900", "cumulative", "2022-03-01")
    capture(cli, "1000", "holding", "2024-04-01")
    [row] = balance(cli, "--party", "UKR")
    assert row["held_minus_reported"] is None  # a 2022 tally against a 2024 holding
    capture(cli, "1100", "cumulative", "2024-03-20")
    cli.ok("add", "exchange", "--date", "2024-04-15", "-t", "UKR:RUS:100", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert (row["held_best"], row["held_minus_reported"]) == (900, 0)  # 1100-100-1000, 14 days on
    cli.ok("add", "exchange", "--date", "2024-06-01", "-t", "UKR:RUS:10", "--source", "1")
    [row] = balance(cli, "--party", "UKR")
    assert row["held_minus_reported"] is None  # the holding is two months old


def test_rejected_claims_never_count(cli: Cli) -> None:
    source(cli)
    capture(cli, "909", "cumulative", "2024-03-01")
    cli.ok("claims", "reject", "1")
    assert balance(cli) == []
