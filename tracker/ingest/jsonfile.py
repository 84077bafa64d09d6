"""JSON (one object or a list of objects) and JSON Lines (one object per line) articles.

Fields understood, the first present winning:

- text: ``text`` (trafilatura, plain), ``maintext`` (news-please)
- published: ``published``, ``date_publish`` (news-please), ``date`` (trafilatura)
- url: ``url``, ``source`` (trafilatura's URL field)
- title: ``title``; language: ``language``
- outlet: ``outlet``, ``sitename``, ``source-hostname`` (trafilatura), ``source_domain``
  (news-please), ``hostname`` (trafilatura)

Every other non-empty field (alternatives not used included, trafilatura's ``raw_text`` not) is
kept in ``extra`` as a string (JSON for non-strings). The origin
of a record is the file name for a single object, ``name:LINE`` (the line where the record
starts) for an element of a list or a line of JSON Lines.

JSON nested more than ``MAX_DEPTH`` arrays and objects deep (a news record needs four or five)
is refused before it is parsed: a linear scan counts brackets outside strings, so that nothing
recursive (the parser, ``json.dumps`` of an extra field) ever meets Python's recursion limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from tracker.errors import IngestError
from tracker.ingest.article import Article, make_article
from tracker.ingest.fields import as_text, parse_published

_TEXT = ("text", "maintext")
_PUBLISHED = ("published", "date_publish", "date")
_FIELDS = {
    "url": ("url", "source"),
    "title": ("title",),
    "language": ("language",),
    "outlet": ("outlet", "sitename", "source-hostname", "source_domain", "hostname"),
}
_DROPPED = frozenset({"raw_text"})  # trafilatura's copy of ``text`` without formatting
_DECODER = json.JSONDecoder()
MAX_DEPTH = 100
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^][{}]+")
_SPACE = re.compile(r"[ \t\r\n]*")


def read_json(text: str, name: str) -> Iterator[Article | IngestError]:
    """The article(s) of a JSON file: one object, or a list of objects."""
    try:
        value = load_json(text, name)
    except IngestError as err:
        yield err
        return
    yield from json_records(value, text, name)


def load_json(text: str, name: str) -> object:
    """The parsed JSON of a whole file; an ``IngestError`` naming the line of a syntax error."""
    return _loads(text, name, one_line=False)


def json_records(value: object, text: str, name: str) -> Iterator[Article | IngestError]:
    """The article(s) of ``value``, parsed from ``text``: one object, or a list of objects."""
    if not isinstance(value, list):
        yield _record(value, name)
    elif not value:
        yield IngestError(name, "no records (an empty list)")
    else:
        for line, item in zip(_element_lines(text), value, strict=True):
            yield _record(item, f"{name}:{line}")


def read_jsonl(text: str, name: str) -> Iterator[Article | IngestError]:
    """The articles of a JSON Lines file; a bad line is an error for that record only."""
    records = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not records:
        yield IngestError(name, "no records (only blank lines)")
    for number, line in records:
        origin = f"{name}:{number}"
        try:
            yield _record(_loads(line, origin, one_line=True), origin)
        except IngestError as err:
            yield err


def is_json_object(line: str) -> bool:
    """Whether ``line`` is one JSON object (not nested too deeply)."""
    try:
        return isinstance(_loads(line, "", one_line=True), dict)
    except IngestError:
        return False


def _loads(text: str, where: str, *, one_line: bool) -> object:
    """Parse JSON; syntax errors name their line (unless ``where`` does: ``one_line``)."""
    if _too_deep(text):
        raise IngestError(where, f"JSON nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        at = "" if one_line else f" at line {err.lineno}"
        raise IngestError(where, f"malformed JSON{at}: {err.msg}") from None
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        raise IngestError(where, "malformed JSON: a number too long to read") from None


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than ``MAX_DEPTH``, by one pass over the brackets
    outside strings (those after an unterminated string are in it: the parser stops there)."""
    outside = _STRING.sub("", text).split('"', 1)[0]
    depth = 0
    for bracket in _NOT_BRACKET.sub("", outside):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _element_lines(text: str) -> Iterator[int]:
    """The line where each element of a (valid) top-level JSON list starts; newlines are
    counted once each, from one element to the next."""
    index = _skip(text, text.index("[") + 1)
    line, counted = 1, 0
    while text[index] != "]":
        line += text.count("\n", counted, index)
        counted = index
        yield line
        _, end = _DECODER.raw_decode(text, index)
        index = _skip(text, end)
        index = _skip(text, index + 1) if text[index] == "," else index


def _skip(text: str, index: int) -> int:
    return _SPACE.match(text, index).end()  # type: ignore[union-attr]


def _record(value: object, origin: str) -> Article | IngestError:
    """One JSON object as an article, or the error that stops it."""
    if not isinstance(value, dict):
        return IngestError(origin, f"not a JSON object (a {type(value).__name__})")
    try:
        return _article(value, origin)
    except IngestError as err:
        return err


def _article(record: dict[str, object], origin: str) -> Article:
    text_key = _first(record, _TEXT)
    if text_key is None:
        raise IngestError(origin, "no article text (expected 'text' or 'maintext')")
    if not isinstance(record[text_key], str):
        raise IngestError(origin, f"{text_key}: not a string")
    date_key = _first(record, _PUBLISHED)
    used = {*_DROPPED, text_key, date_key}
    published = None if date_key is None else parse_published(record[date_key], date_key, origin)
    fields: dict[str, object] = {}
    for field, keys in _FIELDS.items():
        key = _first(record, keys)
        fields[field] = None if key is None else as_text(record[key])
        used.add(key)
    extra = {k: v for k, v in ((k, as_text(v)) for k, v in record.items() if k not in used) if v}
    text = record[text_key]
    return make_article(text, origin, published=published, extra=extra, **fields)  # type: ignore[arg-type]


def _first(record: dict[str, object], keys: tuple[str, ...]) -> str | None:
    """The first of ``keys`` with a non-empty value in ``record``."""
    return next((k for k in keys if record.get(k) not in (None, "")), None)
