"""Dates resolved against the publication date, with precision."""

import datetime as dt

import pytest

from tracker.extract.dates import find_dates, most_recent_weekday, period_start
from tracker.extract.timeline import sentence_date
from tracker.extract.types import DateValue

PUB = dt.date(2024, 3, 14)  # a Thursday


def only(text, published=PUB):
    dates = [d for d in find_dates(text, published) if d.role == "point"]
    assert len(dates) == 1, dates
    return dates[0].value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("on Wednesday the sides swapped", DateValue(dt.date(2024, 3, 13), "day")),
        ("on Thursday the sides swapped", DateValue(dt.date(2024, 3, 14), "day")),
        ("Yesterday the sides swapped", DateValue(dt.date(2024, 3, 13), "day")),
        ("today the sides swapped", DateValue(dt.date(2024, 3, 14), "day")),
        ("on 9 March the sides swapped", DateValue(dt.date(2024, 3, 9), "day")),
        ("on March 9th the sides swapped", DateValue(dt.date(2024, 3, 9), "day")),
        ("on Dec. 30 the sides swapped", DateValue(dt.date(2023, 12, 30), "day")),
        ("on Saturday, December 30, they met", DateValue(dt.date(2023, 12, 30), "day")),
        ("on December 30 last year", DateValue(dt.date(2023, 12, 30), "day")),
        ("on 2 June 2022 they met", DateValue(dt.date(2022, 6, 2), "day")),
        ("in August they met", DateValue(dt.date(2023, 8, 1), "month")),
        ("in February they met", DateValue(dt.date(2024, 2, 1), "month")),
        ("Last year they met", DateValue(dt.date(2023, 1, 1), "year")),
        ("In 2022 they met", DateValue(dt.date(2022, 1, 1), "year")),
        ("three days ago they met", DateValue(dt.date(2024, 3, 11), "day")),
    ],
)
def test_point_dates(text, value):
    assert only(text) == value


def test_last_weekday_with_explicit_date_in_brackets():
    assert only("a swap last Monday (March 11th) freed 20") == DateValue(dt.date(2024, 3, 11))


def test_last_weekday_is_strictly_before_publication():
    assert most_recent_weekday(PUB, 3, strictly_before=True) == dt.date(2024, 3, 7)


def test_since_is_a_period_start_not_an_event_date():
    (d,) = find_dates("held since May 16", dt.date(2022, 5, 18))
    assert d.role == "since" and d.value == DateValue(dt.date(2022, 5, 16))


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("captured 400 in the last 24 hours", dt.date(2024, 3, 13)),
        ("captured 400 in six months", dt.date(2023, 9, 14)),
        ("captured 400 over the past two weeks", dt.date(2024, 2, 29)),
        ("captured 400 since February 20", dt.date(2024, 2, 20)),
    ],
)
def test_period_start(text, start):
    assert period_start(text, PUB).value == start


def test_same_month_takes_the_context_month():
    context = DateValue(dt.date(2024, 2, 16))
    assert sentence_date("That same month, more were freed.", PUB, context) == DateValue(
        dt.date(2024, 2, 1), "month"
    )


def test_dates_of_other_events_are_ignored():
    text = "The commander, who was captured in May, came home on Monday."
    assert sentence_date(text, PUB, None) == DateValue(dt.date(2024, 3, 11))
