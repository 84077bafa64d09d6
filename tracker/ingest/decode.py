"""Bytes to text, refusing what is not text.

Decisions:

- UTF-8 with or without a BOM, and UTF-16 / UTF-32 with a BOM, are decoded strictly.
- UTF-16 without a BOM is decoded when its zero bytes show it: they all sit in odd positions
  (little-endian) or all in even ones (big-endian), at least one per ten characters (spaces,
  digits and Latin letters have a zero high byte), and the decoded text is not full of control
  characters. Anything else with a zero byte is a "binary file".
- A legacy 8-bit encoding (Windows-1251, KOI8-R, ...) is decoded only when charset-normalizer is
  confident: no mess in the decoded text and a language recognised from it. The encoding used is
  reported, so the reader can keep it with the article. Otherwise the file is refused with the
  first byte that is not UTF-8; short or ambiguous Latin texts (Windows-1250 against -1252) are
  refused, since a wrong guess would silently change quoted text.
- A file with many control bytes is a "binary file"; an empty one an "empty file".
- Files over ``MAX_BYTES`` are refused without being read whole.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import BinaryIO, NamedTuple

from charset_normalizer import from_bytes

from tracker.errors import IngestError

MAX_BYTES = 20 * 1024 * 1024
_MIB = 1024 * 1024
# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = bytes([*range(1, 9), *range(14, 32), 127])
_MAX_CONTROL_SHARE = 0.02
_MIN_COHERENCE = 0.5
_MAX_CHAOS = 0.1


class Decoded(NamedTuple):
    """Decoded text and the encoding it was read with (a Python codec name)."""

    text: str
    encoding: str


def read_limited(path: Path, where: str) -> bytes:
    """The bytes of ``path`` (``-`` for stdin); too large or unreadable is an ``IngestError``."""
    try:
        if str(path) == "-":
            return _read_stream(sys.stdin.buffer, where)
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise _too_large(where, path.stat().st_size)
        with path.open("rb") as stream:
            return _read_stream(stream, where)
    except OSError as err:
        raise IngestError(where, err.strerror or str(err)) from None


def _read_stream(stream: BinaryIO, where: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large(where, None)
    return data


def _too_large(where: str, size: int | None) -> IngestError:
    shown = f" ({size / _MIB:.1f} MB)" if size is not None else ""
    return IngestError(where, f"file too large{shown}; the limit is {MAX_BYTES // _MIB} MB")


def decode(data: bytes, where: str) -> Decoded:
    """Decode ``data`` as described in the module docstring, or raise ``IngestError``."""
    if not data:
        raise IngestError(where, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, where)
    if b"\0" in data:
        return _utf16_without_bom(data, where)
    controls = len(data) - len(data.translate(None, _CONTROL))  # one pass in C
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise IngestError(where, "binary file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        return _legacy(data, where, err)


def _strict(data: bytes, encoding: str, where: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as err:
        name = encoding.removesuffix("-sig").upper()
        raise IngestError(where, f"not {name} text (invalid data at offset {err.start})") from None


def _utf16_without_bom(data: bytes, where: str) -> Decoded:
    """UTF-16 when zero bytes sit in one parity only (the high bytes of Latin letters, spaces)."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    enough = len(data) // 20 + 1
    encoding = "utf-16-le" if even == 0 and odd >= enough else None
    encoding = "utf-16-be" if odd == 0 and even >= enough else encoding
    if encoding is None or len(data) % 2:
        raise IngestError(where, "binary file")
    decoded = _strict(data, encoding, where)
    if sum(decoded.text.count(chr(byte)) for byte in _CONTROL) > _MAX_CONTROL_SHARE * len(data):
        raise IngestError(where, "binary file")
    return decoded


def _legacy(data: bytes, where: str, err: UnicodeDecodeError) -> Decoded:
    best = from_bytes(data).best()
    if best is not None and best.coherence >= _MIN_COHERENCE and best.chaos <= _MAX_CHAOS:
        return Decoded(str(best), best.encoding)
    byte = data[err.start]
    raise IngestError(where, f"not UTF-8 text (byte 0x{byte:02x} at offset {err.start})")
