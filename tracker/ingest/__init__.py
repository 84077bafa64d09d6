"""Article readers: files in, ``Article`` records (or ``IngestError`` for bad input) out.

Formats: ``text`` (seed form, header form, bare text), ``json``, ``jsonl``, ``html``,
``telegram`` (a Telegram Desktop export, ``result.json``); ``auto`` picks by extension, then by
content (``{``/``[`` → JSON, or JSON Lines when the first line is a whole object and more follow;
``<html``/``<!doctype`` → HTML; anything else text). A JSON file shaped as a Telegram export is
read as one, by extension or by content alike.

Overrides: ``published`` is used only for an article that has no date of its own; ``outlet``
always replaces the file's outlet (the user named it for these files, e.g. a site name in place
of a host name), the file's own value, if different, is kept as ``extra["file_outlet"]``;
``language`` (an ISO 639-1 code) always replaces the file's language, which otherwise is the one
it declares, as its ISO 639-1 code; an article declaring none has its language detected when it
is imported as a new source (``tracker.importer``: a text already stored costs no detection).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tracker.dates import check_date
from tracker.errors import IngestError, InputError
from tracker.ingest.article import Article, normalise_text, text_hash
from tracker.ingest.decode import MAX_BYTES, decode, read_limited
from tracker.ingest.files import EXTENSIONS, iter_files
from tracker.ingest.html import decode_html, read_html
from tracker.ingest.jsonfile import is_json_object, json_records, load_json, read_jsonl
from tracker.ingest.language import check_language, declared_language
from tracker.ingest.telegram import is_export, read_export
from tracker.ingest.text import read_text

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MAX_BYTES",
    "Article",
    "iter_files",
    "normalise_text",
    "read_bytes",
    "read_files",
    "read_path",
    "sniff",
    "text_hash",
]

Reader = Callable[[str, str], Iterator[Article | IngestError]]


def _read_json(text: str, name: str, telegram: bool = False) -> Iterator[Article | IngestError]:
    """JSON articles, or the messages of a Telegram export (the file is parsed once);
    ``telegram``: nothing else is accepted."""
    try:
        value = load_json(text, name)
    except IngestError as err:
        yield err
        return
    if telegram or is_export(value):
        yield from read_export(value, name)
    else:
        yield from json_records(value, text, name)


_READERS: dict[str, Reader] = {
    "text": read_text,
    "json": _read_json,
    "jsonl": read_jsonl,
    "html": read_html,
    "telegram": functools.partial(_read_json, telegram=True),
}
FORMATS = ("auto", *_READERS)


def read_files(
    files: Iterable[Path | IngestError],
    fmt: str = "auto",
    published: dt.date | None = None,
    outlet: str | None = None,
    language: str | None = None,
    done: Callable[[], object] = lambda: None,
) -> Iterator[Article | IngestError]:
    """Every record of every file ``iter_files`` gave (its errors passed on), ``done`` called
    after each file (a progress bar's step)."""
    for file in files:
        if isinstance(file, IngestError):
            yield file
        else:
            yield from read_path(file, fmt, published, outlet, language)
        done()


def read_path(
    path: Path,
    fmt: str = "auto",
    published: dt.date | None = None,
    outlet: str | None = None,
    language: str | None = None,
) -> Iterator[Article | IngestError]:
    """The articles of one file (``-`` for stdin), each an ``Article`` or an ``IngestError``."""
    path = Path(path)
    where = "<stdin>" if str(path) == "-" else str(path)
    _check_format(fmt)
    try:
        data = read_limited(path, where)
    except IngestError as err:
        yield err
        return
    if fmt == "auto":
        fmt = EXTENSIONS.get(path.suffix.lower(), "auto")
    yield from read_bytes(data, where, fmt, published, outlet, language)


def read_bytes(
    data: bytes,
    name: str,
    fmt: str = "auto",
    published: dt.date | None = None,
    outlet: str | None = None,
    language: str | None = None,
) -> Iterator[Article | IngestError]:
    """The articles in ``data``, read as ``fmt`` (``auto``: sniffed); ``name`` is the origin."""
    _check_format(fmt)
    language = None if language is None else check_language(language)
    if len(data) > MAX_BYTES:
        yield IngestError(name, f"file too large; the limit is {MAX_BYTES // (1024 * 1024)} MB")
        return
    try:
        decoded = (decode_html if fmt == "html" else decode)(data, name)
    except IngestError as err:
        yield err
        return
    if fmt == "auto":
        fmt = sniff(decoded.text)
    extra = {} if decoded.encoding in ("utf-8", "utf-8-sig") else {"encoding": decoded.encoding}
    for item in _READERS[fmt](decoded.text, name):
        yield _finish(item, published, outlet, language, extra)


def sniff(text: str) -> str:
    """The format of ``text`` judged by its start."""
    start = text.lstrip()[:20].lower()
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        first, _, rest = text.lstrip().partition("\n")
        return "jsonl" if rest.strip() and is_json_object(first) else "json"
    if start.startswith(("<html", "<!doctype")):
        return "html"
    return "text"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")


def _finish(
    item: Article | IngestError,
    published: dt.date | None,
    outlet: str | None,
    language: str | None,
    extra: dict[str, str],
) -> Article | IngestError:
    """Apply the overrides and the date rules to one record."""
    if isinstance(item, IngestError):
        return item
    changes: dict[str, object] = {"extra": {**extra, **item.extra}}
    if item.published is None:
        if published is None:
            return IngestError(item.origin, "no publication date (use --published)")
        try:
            changes["published"] = check_date(published, "--published")
        except InputError as err:
            return IngestError(item.origin, str(err))
    if outlet is not None:
        changes["outlet"] = outlet
        if item.outlet and item.outlet != outlet:
            changes["extra"]["file_outlet"] = item.outlet  # type: ignore[index]
    changes["language"] = found = language or declared_language(item.language)
    if item.language and item.language != found:
        changes["extra"]["file_language"] = item.language  # type: ignore[index]
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]
