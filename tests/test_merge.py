"""When two reports are one fact: the pure matching rules."""

from __future__ import annotations

import datetime as dt

from tracker.extract.types import Count, DateValue, Evidence, ExchangeCandidate, TransferCandidate
from tracker.merge import (
    ExistingExchange,
    ExistingTransfer,
    date_relation,
    distance,
    pick_exchange,
)

PARTIES = {"UKR": 1, "RUS": 2}
EV = Evidence(0, 0, "", "test")


def day(text: str, precision: str = "day") -> DateValue:
    return DateValue(dt.date.fromisoformat(text), precision)  # type: ignore[arg-type]


def candidate(date: DateValue, *transfers: tuple[str, str, int, str]) -> ExchangeCandidate:
    return ExchangeCandidate(date, [TransferCandidate(f, t, c, Count.exact(n), EV)  # type: ignore[arg-type]
                                    for f, t, n, c in transfers], EV)


def stored(id_: int, date: DateValue, *transfers: tuple[int, int, int, str], source: int = 9) -> ExistingExchange:
    return ExistingExchange(id_, date, [ExistingTransfer(10 * id_ + i, f, t, c, Count.exact(n), frozenset({source}))
                                        for i, (f, t, n, c) in enumerate(transfers)])


def test_date_relations() -> None:
    assert date_relation(day("2025-02-05"), day("2025-02-05")) == "same"
    assert date_relation(day("2025-02-05"), day("2025-02-07")) == "near"
    assert date_relation(day("2025-02-05"), day("2025-02-08")) is None
    assert date_relation(day("2025-02-01", "month"), day("2025-02-28")) == "contains"
    assert date_relation(day("2025-02-01", "month"), day("2025-03-01")) is None


def test_distance_is_zero_for_overlapping_closed_ranges() -> None:
    assert distance(Count(900, 1000, 1100, "about"), Count.exact(909)) == 0
    assert distance(Count.exact(50), Count.exact(52)) == 2 / 52


def test_open_ranges_compare_by_their_best() -> None:
    """"more than 900" restates 909 (within AGREE), but "more than 300" is not "more than 700",
    though each open range overlaps every larger figure."""
    assert distance(Count(900, 900, None, "more_than"), Count.exact(909)) == 9 / 909
    assert distance(Count(300, 300, None, "more_than"), Count(700, 700, None, "more_than")) > 0.5


def test_same_day_reports_with_disagreeing_counts_merge() -> None:
    ex = stored(1, day("2025-02-05"), (2, 1, 150, "pow"), (1, 2, 150, "pow"))
    assert pick_exchange(candidate(day("2025-02-05"), ("RUS", "UKR", 189, "pow")), [ex], PARTIES, 5) is ex


def test_complementary_halves_on_one_day_merge() -> None:
    ex = stored(1, day("2022-12-31"), (1, 2, 82, "pow"))
    assert pick_exchange(candidate(day("2022-12-31"), ("RUS", "UKR", 140, "pow")), [ex], PARTIES, 5) is ex


def test_a_body_repatriation_is_not_a_pow_swap_of_the_same_day() -> None:
    ex = stored(1, day("2022-10-11"), (2, 1, 32, "pow"), (2, 1, 1, "body"))
    assert pick_exchange(candidate(day("2022-10-11"), ("RUS", "UKR", 62, "body")), [ex], PARTIES, 5) is None


def test_month_mention_needs_an_agreeing_count() -> None:
    ex = stored(1, day("2023-02-04"), (2, 1, 116, "pow"), (1, 2, 63, "pow"))
    month = day("2023-02-01", "month")
    assert pick_exchange(candidate(month, ("UKR", "RUS", 63, "pow")), [ex], PARTIES, 5) is ex
    assert pick_exchange(candidate(month, ("UKR", "RUS", 101, "pow")), [ex], PARTIES, 5) is None


def test_next_days_different_swap_does_not_merge() -> None:
    ex = stored(1, day("2022-11-23"), (2, 1, 35, "pow"), (1, 2, 35, "pow"))
    assert pick_exchange(candidate(day("2022-11-24"), ("RUS", "UKR", 50, "pow")), [ex], PARTIES, 5) is None


def test_one_source_never_merges_with_itself() -> None:
    ex = stored(1, day("2025-02-05"), (2, 1, 150, "pow"), source=5)
    assert pick_exchange(candidate(day("2025-02-06"), ("RUS", "UKR", 150, "pow")), [ex], PARTIES, 5) is None
    assert pick_exchange(candidate(day("2025-02-06"), ("RUS", "UKR", 150, "pow")), [ex], PARTIES, -1) is ex
