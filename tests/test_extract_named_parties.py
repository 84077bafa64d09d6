"""No party is guessed: a figure's two sides come from the article, never from the parties the
database happens to hold (a text that names no side gave RUS<->UKR, and after `parties add GEO`,
GEO<->RUS)."""

import datetime as dt

from tracker.extract import extract, lexicon_from_rows

BELLIGERENTS = [
    {"code": "UKR", "name": "Ukraine", "role": "belligerent",
     "aliases": "Ukraine|Ukrainian|Ukrainians|Kyiv"},
    {"code": "RUS", "name": "Russia", "role": "belligerent",
     "aliases": "Russia|Russian|Russians|Moscow"},
]
GEORGIA = {"code": "GEO", "name": "Georgia", "role": "belligerent", "aliases": "Georgia|Georgian"}
TWO, THREE = lexicon_from_rows(BELLIGERENTS), lexicon_from_rows([GEORGIA, *BELLIGERENTS])
THU = dt.date(2025, 2, 6)


def pairs(text: str, lexicon=TWO) -> list[tuple[str, str, int]]:
    found = extract(text, THU, lexicon)
    out = [(t.from_party, t.to_party, t.count.best) for ex in found.exchanges
           for t in ex.transfers if not t.doubt]
    out += [(c.captor, c.captive, c.count.best) for c in found.captures if not c.doubt]
    return sorted(out)


UNNAMED = "On Wednesday, each side released 75 captured soldiers in the latest swap."


def test_each_side_with_no_side_named_is_no_claim() -> None:
    assert pairs(UNNAMED) == []
    assert pairs(UNNAMED, THREE) == []  # a party added to the database changes nothing


def test_each_side_between_the_two_sides_the_article_names() -> None:
    named = "Russia and Ukraine held a swap on Wednesday. Each side released 75 captured soldiers."
    assert pairs(named) == [("RUS", "UKR", 75), ("UKR", "RUS", 75)]
    assert pairs(named, THREE) == [("RUS", "UKR", 75), ("UKR", "RUS", 75)]


def test_one_side_named_gives_no_direction() -> None:
    # the near miss: Ukraine is named, the side that handed the soldiers over is not
    assert pairs("Ukraine brought home 90 soldiers on Wednesday.") == []
    assert pairs("Ukraine brought home 90 soldiers from Russian captivity on Wednesday.") == [
        ("RUS", "UKR", 90)]


def test_a_capture_needs_its_other_side_named() -> None:
    assert pairs("Ukrainian forces have captured 40 soldiers this week, Kyiv said.") == []
    assert pairs("Ukrainian forces have captured 40 Russian soldiers this week, Kyiv said.") == [
        ("UKR", "RUS", 40)]
