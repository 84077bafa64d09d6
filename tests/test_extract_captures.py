"""Capture tallies, on short articles written for these tests."""

import datetime as dt

import pytest

from tracker.extract import extract, lexicon_from_rows
from tracker.extract.types import Count, DateValue

ROWS = [
    {"code": "UKR", "name": "Ukraine", "role": "belligerent",
     "aliases": "Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev"},
    {"code": "RUS", "name": "Russia", "role": "belligerent",
     "aliases": "Russia|Russian|Russians|Moscow|Russian Federation"},
]
LEX = lexicon_from_rows(ROWS)
THU = dt.date(2025, 2, 6)


def captures(text, published=THU):
    return [c for c in extract(text, published, LEX).captures if not c.doubt]


def test_seed_facts():
    text = (
        "Kyiv said on Thursday it had taken more than 900 Russian troops prisoner in six months "
        "of its cross-border offensive.\n\n"
        "\u201cOur units captured 909 Russian servicemen during the operation,\u201d the Ukrainian "
        "General Staff said.\n\n"
        "Last year, the Ukrainian military said its forces had captured more than 700 Russian "
        "troops in the region.\n\n"
        "Ukrainian units still control dozens of villages where around 2,000 Russian civilians "
        "still live."
    )
    got = captures(text)
    assert [(c.captor, c.captive, c.count, c.kind, c.category) for c in got] == [
        ("UKR", "RUS", Count.exact(909), "cumulative", "pow"),
        ("UKR", "RUS", Count(700, 700, None, "more_than"), "cumulative", "pow"),
    ]
    assert got[0].period_start == DateValue(dt.date(2024, 8, 6), "day", True)
    assert got[0].as_of.value == THU
    assert got[1].as_of == DateValue(dt.date(2024, 1, 1), "year")
    assert all(c.evidence.quote == text[c.evidence.start:c.evidence.end] for c in got)


def test_surrender_is_a_capture_by_the_other_side_with_increment():
    text = ("Russia's Defence Ministry said 1,730 Ukrainian fighters had surrendered to Russian "
            "troops since May 16, with 771 of them surrendering in the past 24 hours.")
    got = captures(text, dt.date(2022, 5, 19))
    assert [(c.captor, c.captive, c.count.best, c.kind) for c in got] == [
        ("RUS", "UKR", 1730, "cumulative"), ("RUS", "UKR", 771, "increment"),
    ]
    assert got[0].period_start == DateValue(dt.date(2022, 5, 16))
    assert got[1].period_start.value == dt.date(2022, 5, 18)
    assert got[0].evidence.claimant == "Russian Defence Ministry"


@pytest.mark.parametrize(
    ("text", "captor", "captive", "count"),
    [
        ("About 1,000 Russian prisoners are held in Ukraine.", "UKR", "RUS",
         Count(900, 1000, 1100, "about")),
        ("Ukraine currently has 480 prisoners of war from Russia.", "UKR", "RUS",
         Count.exact(480)),
        ("At least 2,100 Ukrainians remain captives of Russia.", "RUS", "UKR",
         Count(2100, 2100, None, "at_least")),
        ("More than 5,000 prisoners of war from Ukraine are being held by Russia.", "RUS", "UKR",
         Count(5000, 5000, None, "more_than")),
    ],
)
def test_holdings(text, captor, captive, count):
    (c,) = captures(text)
    assert (c.captor, c.captive, c.count, c.kind) == (captor, captive, count, "holding")
    assert c.as_of == DateValue(THU, "day", True)


def test_holding_as_of_a_stated_date():
    (c,) = captures("At least 2,100 Ukrainians remain captives of Russia as of Jan. 3.")
    assert c.as_of == DateValue(dt.date(2025, 1, 3))


def test_holding_total_gives_way_to_its_parts():
    got = captures("Russia holds 5,000 Ukrainians in captivity: 4,200 soldiers and 800 civilians.")
    assert [(c.category, c.count.best) for c in got] == [("pow", 4200), ("civilian", 800)]


def test_passive_capture_and_civilians():
    (c,) = captures("Moscow's forces have captured 12 Ukrainian officials, Kyiv said on Tuesday.")
    assert (c.captor, c.captive, c.category, c.count.best) == ("RUS", "UKR", "civilian", 12)


def test_vague_capture_kept_only_without_an_exact_figure():
    (c,) = captures("Ukraine's troops took several hundred Russian soldiers prisoner.")
    assert c.count == Count(200, 200, None, "vague")
    both = "Ukraine took hundreds of Russians prisoner. Ukraine now has 562 Russian prisoners."
    assert [c.count.best for c in captures(both)] == [562]


@pytest.mark.parametrize(
    "text",
    [
        "Around 2,000 Russian civilians still live in the villages Ukraine holds.",
        "The strike killed over 50 Ukrainian prisoners of war held by Russia.",
        "Russia said 94 Russians held captive by Ukraine had been freed.",
        "Russian forces had captured over 3,000 square kilometres of territory.",
        "Eight other Ukrainian soldiers were held alongside them.",
        "The two sides agreed to exchange lists of 800 and 200 captives.",
        "Ukraine says 2,598 Ukrainians have returned from Russian captivity since 2022.",
    ],
)
def test_not_captures(text):
    assert captures(text) == []
