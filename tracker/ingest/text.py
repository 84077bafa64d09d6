"""Plain-text articles: the seed form, the header form, or bare text.

- Seed form: optional whitespace, ``date YYYY-MM-DD``, then the text (on the same line or the
  next): `` date 2025-02-06 Ukraine said Thursday ...``.
- Header form: ``key: value`` lines (``url``, ``published`` or ``date``, ``title``, ``outlet``,
  ``language``; keys case-insensitive, any order, unknown keys kept in ``extra``), a blank line,
  then the text. A header needs at least one known key; one that is not closed by a blank line,
  or repeats a key, is an error.
- Anything else is the whole text, with no publication date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracker.errors import IngestError
from tracker.ingest.article import Article, make_article, unify_newlines
from tracker.ingest.fields import parse_published

_SEED = re.compile(r"\s*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\n|\Z)", re.IGNORECASE)
_HEADER_LINE = re.compile(r"([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)")
_KEYS = {"url": "url", "title": "title", "outlet": "outlet", "language": "language"}
_DATE_KEYS = ("published", "date")


def read_text(text: str, origin: str) -> Iterator[Article | IngestError]:
    """The one article of a text file (or the error that stops it)."""
    try:
        yield _parse(unify_newlines(text), origin)
    except IngestError as err:
        yield err


def _parse(text: str, origin: str) -> Article:
    seed = _SEED.match(text)
    if seed:
        published = parse_published(seed.group(1), "date", origin)
        return make_article(text[seed.end() :], origin, published=published)
    lines = text.lstrip("\n").split("\n")
    header = _header_lines(lines)
    if not header:
        return make_article(text, origin, published=None)
    if len(lines) > len(header) and lines[len(header)].strip():
        raise IngestError(origin, f"header not closed by a blank line (line {len(header) + 1})")
    body = "\n".join(lines[len(header) :])
    return make_article(body, origin, **_header_fields(header, origin))


def _header_lines(lines: list[str]) -> list[re.Match[str]]:
    """The leading ``key: value`` lines, if they include a known key."""
    header = []
    for line in lines:
        match = _HEADER_LINE.fullmatch(line.strip())
        if not match:
            break
        header.append(match)
    known = {*_KEYS, *_DATE_KEYS}
    return header if any(m.group(1).lower() in known for m in header) else []


def _header_fields(header: list[re.Match[str]], origin: str) -> dict[str, object]:
    fields: dict[str, object] = {"published": None, "extra": {}}
    seen: set[str] = set()
    for match in header:
        key, value = match.group(1).lower(), match.group(2).strip()
        name = "published" if key in _DATE_KEYS else key
        if name in seen:
            raise IngestError(origin, f"header key {key!r} given twice")
        seen.add(name)
        if key in _DATE_KEYS:
            fields["published"] = parse_published(value, key, origin) if value else None
        elif key in _KEYS:
            fields[_KEYS[key]] = value or None
        else:
            fields["extra"][key] = value  # type: ignore[index]
    return fields
