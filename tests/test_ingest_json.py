"""JSON and JSON Lines: plain, news-please and trafilatura fields, and broken input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker.errors import IngestError
from tracker.ingest import Article, read_bytes, read_path
from tracker.ingest.jsonfile import MAX_DEPTH, read_json

DATA = Path(__file__).parent / "data" / "ingest"


def show(items: list[Article | IngestError]) -> list[str]:
    """Each item as ``origin text`` or the error message."""
    return [str(i) if isinstance(i, IngestError) else f"{i.origin} {i.text}" for i in items]


def test_single_object_plain_fields() -> None:
    data = json.dumps(
        {"text": " Body. ", "published": "2024-01-05", "url": "u", "title": "t", "outlet": "o"}
    )
    (article,) = read_bytes(data.encode(), "one.json")
    assert (article.origin, article.text, article.published) == (
        "one.json",
        "Body.",
        dt.date(2024, 1, 5),
    )
    assert (article.url, article.title, article.outlet, article.extra) == ("u", "t", "o", {})


def test_list_records_have_line_origins_and_a_bad_record() -> None:
    items = list(read_path(DATA / "list.json"))
    name = str(DATA / "list.json")
    assert show(items) == [
        f"{name}:2 First report of a swap.",
        f"{name}:4 Second report of a swap.",
        f"{name}:6: no article text (expected 'text' or 'maintext')",
    ]
    assert items[0].outlet == "One"


def test_list_element_not_an_object() -> None:
    assert show(list(read_bytes(b'[\n"just a string"\n]', "l.json"))) == [
        "l.json:2: not a JSON object (a str)"
    ]


def test_empty_list() -> None:
    assert show(list(read_bytes(b"[]", "l.json"))) == ["l.json: no records (an empty list)"]


def test_jsonl_one_bad_line_does_not_stop_the_rest() -> None:
    name = str(DATA / "records.jsonl")
    assert show(list(read_path(DATA / "records.jsonl"))) == [
        f"{name}:1 Line one report.",
        f"{name}:3: malformed JSON: Expecting ',' delimiter",
        f"{name}:4 Line four report.",
    ]


def test_news_please_fields() -> None:
    (article,) = read_path(DATA / "newsplease.json")
    assert article == Article(
        text="Forty captives came home on Monday, the ministry said.",
        published=dt.date(2024, 4, 1),
        url="https://wire.example.com/forty",
        title="Forty captives return",
        outlet="wire.example.com",
        language="en",
        extra={
            "authors": '["A. Writer"]',
            "date_download": "2024-04-02 08:00:00",
            "description": "A short summary.",
        },
        origin=str(DATA / "newsplease.json"),
        text_hash="700e8da196960968b8b6c77a9eea05f2b755fde4d9b992440406df323a6b827a",
    )


def test_trafilatura_fields() -> None:
    (article,) = read_path(DATA / "trafilatura.json")
    assert (article.text, article.published) == (
        "Fifty bodies were repatriated.",
        dt.date(2024, 5, 20),
    )
    assert (article.url, article.title, article.outlet, article.language) == (
        "https://example.org/bodies",
        "Bodies repatriated",
        "Example Org",
        "en",
    )
    assert article.extra == {"hostname": "example.org", "fingerprint": "abc123"}


def test_truncated_json_names_the_line() -> None:
    data = b'{\n  "text": "Cut short",\n  "published": "2024-01-0'
    assert show(list(read_bytes(data, "t.json"))) == [
        "t.json: malformed JSON at line 3: Unterminated string starting at"
    ]


def test_missing_comma_names_the_line() -> None:
    data = b'{\n  "text": "A"\n  "published": "2024-01-01"\n}'
    assert show(list(read_bytes(data, "t.json"))) == [
        "t.json: malformed JSON at line 3: Expecting ',' delimiter"
    ]


TOO_DEEP = f"JSON nested too deeply (more than {MAX_DEPTH} levels)"


def nested(depth: int) -> bytes:
    """A record whose field ``x`` takes the whole to ``depth`` levels (the record is one)."""
    inner = b"[" * (depth - 1) + b"]" * (depth - 1)
    return b'{"text": "ok", "published": "2024-01-01", "x": ' + inner + b"}"


def test_depth_limit_is_one_hundred() -> None:
    assert MAX_DEPTH == 100
    assert show(list(read_bytes(nested(100), "d.json"))) == ["d.json ok"]
    assert show(list(read_bytes(nested(101), "d.json"))) == [f"d.json: {TOO_DEEP}"]


@pytest.mark.parametrize("depth", [977, 978, 979, 990, 1000, 1001, 100_000])
def test_deeply_nested_json_is_refused_before_parsing(depth: int) -> None:
    assert show(list(read_bytes(nested(depth), "d.json"))) == [f"d.json: {TOO_DEEP}"]
    deep_list = b"[" * depth + b"]" * depth
    assert show(list(read_bytes(deep_list, "l.json"))) == [f"l.json: {TOO_DEEP}"]


def test_deeply_nested_jsonl_line_is_one_error() -> None:
    data = nested(978) + b'\n{"text": "ok", "published": "2024-01-01"}\n' + nested(100_000)
    assert show(list(read_bytes(data, "deep.jsonl", fmt="jsonl"))) == [
        f"deep.jsonl:1: {TOO_DEEP}",
        "deep.jsonl:2 ok",
        f"deep.jsonl:3: {TOO_DEEP}",
    ]


def test_brackets_in_strings_are_not_nesting() -> None:
    text = '[[[[{{{{ "\\" ]]]] \\\\' * 200
    data = json.dumps({"text": text, "published": "2024-01-01"}).encode()
    (article,) = read_bytes(data, "s.json")
    assert article.text == text.strip()


def test_brackets_after_an_unterminated_string_are_malformed_not_deep() -> None:
    data = b'{"text": "cut [' + b"[" * 500
    assert show(list(read_bytes(data, "u.json"))) == [
        "u.json: malformed JSON at line 1: Unterminated string starting at"
    ]


def test_list_element_lines() -> None:
    """Origins are the line of each element's start: elements on one line, over many lines,
    after blank lines and CRLF, and strings holding escaped newlines, brackets and commas."""
    data = (
        b'[{"text": "one", "published": "2024-01-01"}, {"text": "two", "published": "2024-01-01"},\r\n'
        b'\r\n'
        b'  {\n'
        b'    "text": "three [\\n] {,}\\n\\n",\n'
        b'    "published": "2024-01-01"\n'
        b'  }\n'
        b'  ,\n'
        b'\n'
        b'{"text": "four", "published": "2024-01-01", "x": [\n[\n]\n]}\n'
        b',{"text": "five", "published": "2024-01-01"}]'
    )
    assert [i.origin for i in read_bytes(data, "l.json")] == [
        "l.json:1", "l.json:1", "l.json:3", "l.json:9", "l.json:13"
    ]


class CountingText(str):
    """Text that adds up how many characters ``count`` looks at."""

    looked_at = 0

    def count(self, sub: str, start: int = 0, end: int | None = None) -> int:  # type: ignore[override]
        stop = len(self) if end is None else end
        CountingText.looked_at += stop - start
        return super().count(sub, start, stop)


def test_list_element_lines_look_at_each_character_once() -> None:
    records = [json.dumps({"text": f"Report {n}.", "published": "2024-01-01"}) for n in range(2000)]
    text = CountingText("[\n" + ",\n".join(records) + "\n]")
    CountingText.looked_at = 0
    items = list(read_json(text, "l.json"))
    assert [i.origin for i in items][-1] == "l.json:2001"
    assert CountingText.looked_at <= len(text)


def test_text_not_a_string() -> None:
    assert show(list(read_bytes(b'{"text": 5}', "n.json"))) == ["n.json: text: not a string"]


def test_record_date_out_of_range_names_the_field() -> None:
    data = b'{"maintext": "Old.", "date_publish": "1900-01-01 00:00:00"}'
    assert show(list(read_bytes(data, "o.json"))) == [
        "o.json: date_publish: 1900-01-01 is before 1901-01-01"
    ]


def test_record_without_date() -> None:
    assert show(list(read_bytes(b'{"text": "Undated."}', "u.json"))) == [
        "u.json: no publication date (use --published)"
    ]


def test_overlong_integer_is_malformed() -> None:
    data = b'{"text": "a", "n": ' + b"1" * 5000 + b"}"
    assert show(list(read_bytes(data, "n.json"))) == [
        "n.json: malformed JSON: a number too long to read"
    ]


def test_unstorable_characters_are_refused() -> None:
    text = b'{"text": "a\\u0000b", "published": "2024-01-01"}\n'
    title = b'{"text": "ok", "published": "2024-01-01", "title": "\\udfff"}\n'
    assert show(list(read_bytes(text + title, "s.jsonl"))) == [
        "s.jsonl:1: text: character U+0000 not allowed",
        "s.jsonl:2: title: character U+DFFF not allowed",
    ]
