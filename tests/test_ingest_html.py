"""HTML pages through trafilatura."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracker.errors import IngestError
from tracker.ingest import Article, read_bytes, read_path

DATA = Path(__file__).parent / "data" / "ingest"


def test_html_article_text_and_metadata() -> None:
    (article,) = read_path(DATA / "article.html")
    assert isinstance(article, Article)
    assert article.text == (
        "Seventy-five captives return home\n"
        "Two neighbouring states exchanged seventy-five captives each on Friday, officials on "
        "both sides said in separate statements issued in the evening.\n"
        "The exchange was the third this year and was brokered by a mediator that has arranged "
        "several earlier swaps between the parties."
    )
    assert article.published == dt.date(2024, 5, 31)
    assert article.url == "https://wire.example.org/2024/05/swap"
    assert article.title == "Seventy-five captives return home"
    assert article.outlet == "Example Wire"
    assert article.language == "en"
    assert "Copyright" not in article.text and "Home" not in article.text.split("\n")


def test_html_without_article() -> None:
    assert [str(e) for e in read_path(DATA / "no_article.html")] == [
        f"{DATA / 'no_article.html'}: no article text found"
    ]


def test_html_declared_windows_1251() -> None:
    body = (
        "Стороны провели обмен пленными: каждая сторона передала по сто пятьдесят "
        "военнослужащих, сообщили в министерстве обороны в пятницу вечером. "
    ) * 3
    page = (
        '<html><head><meta charset="windows-1251"><title>Обмен</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    )
    (article,) = read_bytes(page.encode("cp1251"), "ru.html", published=dt.date(2024, 6, 1))
    assert article.text == body.strip()
    assert article.extra == {"encoding": "cp1251"}


def test_html_garbage_is_an_ingest_error() -> None:
    items = list(read_bytes(b"<html>" + b"<div>" * 50_000 + b"</html>", "deep.html"))
    assert all(isinstance(i, IngestError) for i in items)
    assert [str(i) for i in items] == ["deep.html: no article text found"]


def test_html_utf8_with_a_stray_byte_is_refused_whatever_it_declares() -> None:
    body = "Both sides freed 90 “defenders” on Friday, officials said. " * 3
    page = (
        '<html><head><meta charset="windows-1252"><title>Swap</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    ).encode()
    at = page.index(b"Friday")
    data = page[:at] + b"\xe9" + page[at:]
    assert [str(e) for e in read_bytes(data, "p.html", fmt="html")] == [
        f"p.html: not UTF-8 text (byte 0xe9 at offset {at})"
    ]
