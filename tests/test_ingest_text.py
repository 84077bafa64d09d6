"""Plain-text articles: seed form, header form, bare text, and their dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker.errors import IngestError
from tracker.ingest import Article, read_bytes, read_path
from tracker.ingest.text import read_text

DATA = Path(__file__).parent / "data" / "ingest"


def one(text: str, name: str = "a.txt") -> Article | IngestError:
    (item,) = read_text(text, name)
    return item


def test_seed_form_date_on_same_line_as_text() -> None:
    (article,) = read_path(DATA / "seed.txt")
    assert isinstance(article, Article)
    assert article.published == dt.date(2024, 3, 8)
    assert article.text == (
        "Two neighbouring states said Friday they had each returned 60 captured soldiers.\n\n"
        "The swap was arranged by a mediator."
    )
    assert article.origin == str(DATA / "seed.txt")
    assert (article.url, article.title, article.outlet, article.extra) == (None, None, None, {})


def test_seed_form_date_on_its_own_line() -> None:
    article = one("date 2024-03-08\r\nText on the next line.")
    assert (article.published, article.text) == (dt.date(2024, 3, 8), "Text on the next line.")


def test_header_form_crlf_any_case_unknown_keys() -> None:
    (article,) = read_path(DATA / "header_crlf.txt")
    assert article == Article(
        text="Each side handed over sixty soldiers on Friday.\n\nOfficials confirmed the figures.",
        published=dt.date(2024, 3, 9),
        url="https://news.example.net/swap-60",
        title="Sixty for sixty",
        outlet="Example News",
        extra={"desk": "World"},
        origin=str(DATA / "header_crlf.txt"),
        text_hash="95b1ee8f6bde732213b74ff08990226896d970abf795c7eb06934791069044d6",
    )


def test_header_form_date_alias_and_language() -> None:
    article = one("date: 2024-03-07\nlanguage: en\npublished_guess: true\n\nBody.")
    assert article.published == dt.date(2024, 3, 7)
    assert article.language == "en"
    assert article.extra == {"published_guess": "true"}


def test_header_not_closed_by_blank_line() -> None:
    err = one("url: https://x.example\nThe text starts here.")
    assert str(err) == "a.txt: header not closed by a blank line (line 2)"


def test_header_key_twice() -> None:
    err = one("published: 2024-01-01\ndate: 2024-01-02\n\nBody.")
    assert str(err) == "a.txt: header key 'date' given twice"


def test_bare_text_has_no_date() -> None:
    article = one("Kyiv: officials said ten people came home.\nMore text.")
    assert article.published is None
    assert article.text == "Kyiv: officials said ten people came home.\nMore text."


def test_missing_date_is_an_error_without_override() -> None:
    assert [str(e) for e in read_bytes(b"Just text.", "a.txt")] == [
        "a.txt: no publication date (use --published)"
    ]


def test_header_without_published_uses_override() -> None:
    (article,) = read_bytes(b"title: T\n\nBody.", "a.txt", published=dt.date(2024, 2, 2))
    assert article.published == dt.date(2024, 2, 2)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("date 1900-01-01 Text.", "date: 1900-01-01 is before 1901-01-01"),
        ("date 2999-01-01 Text.", "date: 2999-01-01 is in the future"),
        ("published: 1900-01-01\n\nText.", "published: 1900-01-01 is before 1901-01-01"),
        ("published: 2999-01-01\n\nText.", "published: 2999-01-01 is in the future"),
        ("published: 03/04/2022\n\nText.", "published: '03/04/2022' is not a date"),
        ("date 2024-02-30 Text.", "date: '2024-02-30' is not a date"),
    ],
)
def test_bad_dates_name_the_field(text: str, reason: str) -> None:
    assert str(one(text)) == f"a.txt: {reason}"


def test_seed_with_no_text_is_empty() -> None:
    assert str(one("  date 2024-01-01  \n\n")) == "a.txt: empty text"


def test_header_with_no_text_is_empty() -> None:
    assert str(one("url: https://x.example\n\n")) == "a.txt: empty text"
