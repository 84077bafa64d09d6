"""HTML pages, through trafilatura (text, title, date, canonical URL, site name → outlet).

Extraction favours precision and skips trafilatura's fallback extractors, so a page with no
article (a menu, a login form) gives "no article text found" rather than its navigation links.
Bytes that are not UTF-8 are decoded with the charset the page declares (``<meta charset>``)
before falling back to ``decode``'s rules, except UTF-8 with a few bad bytes, which is refused
whatever the page declares; the language is trafilatura's or ``<html lang>``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from tracker.errors import IngestError
from tracker.ingest.article import Article, make_article
from tracker.ingest.decode import Decoded, damaged_utf8, decode, not_utf8
from tracker.ingest.fields import parse_published

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANG = re.compile(r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)""", re.I)
_SNIFF_BYTES = 4096
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # decode reads these


def decode_html(data: bytes, where: str) -> Decoded:
    """UTF-8 (or a BOM) first, then the declared charset, then ``decode``'s rules."""
    declared = _CHARSET.search(data[:_SNIFF_BYTES])
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        if declared and not data.startswith(_BOMS):
            if damaged_utf8(data):
                raise not_utf8(where, err) from None
            return _declared(data, declared.group(1).decode("ascii").lower(), where)
    return decode(data, where)


def _declared(data: bytes, charset: str, where: str) -> Decoded:
    try:
        return Decoded(data.decode(charset), codecs.lookup(charset).name)
    except LookupError:
        raise IngestError(where, f"unknown charset {charset!r} declared") from None
    except UnicodeDecodeError as err:
        bad = f"byte 0x{data[err.start]:02x} at offset {err.start}"
        raise IngestError(where, f"not {charset} text ({bad})") from None


def read_html(text: str, origin: str) -> Iterator[Article | IngestError]:
    """The one article of an HTML page (or the error that stops it)."""
    try:
        yield _extract(text, origin)
    except IngestError as err:
        yield err


def _extract(text: str, origin: str) -> Article:
    import trafilatura  # heavy: loaded only when an HTML page is read

    try:
        doc = trafilatura.bare_extraction(
            text, with_metadata=True, favor_precision=True, fast=True, include_comments=False
        )
    except Exception as err:  # trafilatura/lxml failures on hostile markup
        raise IngestError(origin, f"HTML could not be parsed ({type(err).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise IngestError(origin, "no article text found")
    lang = _LANG.search(text[:_SNIFF_BYTES])
    return make_article(
        doc.text,
        origin,
        published=parse_published(doc.date, "date", origin) if doc.date else None,
        url=doc.url or None,
        title=doc.title or None,
        outlet=doc.sitename or doc.hostname or None,
        language=doc.language or (lang.group(1).lower() if lang else None),
    )
