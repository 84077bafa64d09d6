"""The record every reader returns, and the text normalisation behind its hash.

``Article.text`` keeps the text as written (newlines unified to ``\\n``, outer whitespace
stripped) so that quotes and character spans refer to it. ``text_hash`` is computed on a
stronger normalisation, so that the same article saved by different tools hashes the same:
Unicode NFC, every kind of line break unified, runs of horizontal whitespace (spaces, tabs,
no-break spaces) collapsed to one space, each line stripped, and blank lines dropped (paragraph
spacing differs between tools: one newline from trafilatura, a blank line in text files).
Text that is empty, or a field holding a NUL or an unpaired surrogate, is an ``IngestError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from tracker.errors import IngestError

# A NUL (refused by PostgreSQL) or an unpaired surrogate (not encodable), e.g. from JSON escapes.
_UNSTORABLE = re.compile("[\0\ud800-\udfff]")


@dataclass(frozen=True, kw_only=True)
class Article:
    """One article read from a file (or one record of a JSON / JSON Lines file)."""

    text: str
    published: dt.date | None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    origin: str
    text_hash: str


def unify_newlines(text: str) -> str:
    """Every line break (CRLF, CR, U+2028 ...) as ``\\n``."""
    return "\n".join(text.splitlines())


def normalise_text(text: str) -> str:
    """The form hashed: NFC, ``\\n`` newlines, spaces collapsed, lines stripped, no blank lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())  # str.split: any whitespace
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text."""
    return _hash_normalised(normalise_text(text))


def _hash_normalised(normal: str) -> str:
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def make_article(text: str, origin: str, **fields: object) -> Article:
    """An ``Article`` with clean text and its hash; empty text is an ``IngestError``."""
    clean = unify_newlines(text).strip()
    _check_storable(origin, {"text": clean, **fields})
    normal = normalise_text(clean)
    if not normal:
        raise IngestError(origin, "empty text")
    return Article(text=clean, origin=origin, text_hash=_hash_normalised(normal), **fields)  # type: ignore[arg-type]


def _check_storable(origin: str, fields: dict[str, object]) -> None:
    """Refuse strings that cannot be stored as UTF-8 text."""
    for name, value in fields.items():
        values = value.items() if isinstance(value, dict) else [(name, value)]
        for key, item in values:
            bad = _UNSTORABLE.search(item) if isinstance(item, str) else None
            if bad:
                raise IngestError(origin, f"{key}: character U+{ord(bad.group()):04X} not allowed")
