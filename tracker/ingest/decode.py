"""Bytes to text, refusing what is not text.

Decisions:

- UTF-8 with or without a BOM, and UTF-16 / UTF-32 with a BOM, are decoded strictly.
- UTF-16 without a BOM is decoded when its zero bytes show it: they all sit in odd positions
  (little-endian) or all in even ones (big-endian), at least one per ten characters (spaces,
  digits and Latin letters have a zero high byte), and the decoded text is not full of control
  characters. Anything else with a zero byte is a "binary file".
- A file with many control bytes is a "binary file"; an empty one an "empty file".
- Files over ``MAX_BYTES`` are refused without being read whole, and anything but a regular
  file (a FIFO, a device, a socket) without being opened: a FIFO would block the read forever.
- Any other file that is not UTF-8 is refused, naming the first byte that is not UTF-8 and its
  offset, unless it is legacy Cyrillic text, the one 8-bit case of Russian and Ukrainian news
  archives. That takes all of these, each of which a wrong guess fails (rules 1-3 are checked
  on every byte; the library only chooses between code pages):

  1. it is not damaged UTF-8: its bytes that are not UTF-8 outnumber its well-formed multi-byte
     UTF-8 characters (a UTF-8 text with a few stray bytes is refused, never re-guessed);
  2. the whole file decodes in one of ``LEGACY`` (Windows-1251, KOI8-R, KOI8-U) to ASCII,
     Russian, Ukrainian and Belarusian letters and the punctuation of such text (« » „ “ ” — –
     … № no-break space ...), nothing else;
  3. it holds at least ``_MIN_LETTERS`` Cyrillic letters, more than Latin ones;
  4. charset-normalizer, comparing only the code pages of ``LEGACY``, reads it as a language:
     the code page it ranks first (by its chaos, then language coherence) is the one of rules
     2-3, with coherence of at least ``_MIN_COHERENCE`` and chaos of at most ``_MAX_CHAOS``. A
     wrong Cyrillic code page still gives Cyrillic letters (KOI8-R capitals are Windows-1251
     small letters), but not words; below the threshold the file is refused rather than guessed
     (some pieces of under 300 characters, a list of abbreviations).

  The encoding used is reported, so the reader can keep it with the article (the first of
  ``LEGACY`` when two read the same: Russian in KOI8-U is KOI8-R). Western 8-bit encodings
  (Latin-1, Windows-1252 ...) are not guessed, and charset-normalizer is never asked about them:
  a few accented letters in mostly ASCII text tell neither those encodings apart (Windows-1250
  reads "crème" as "crčme") nor them from stray bytes. Such a file is refused, to be converted
  to UTF-8 first (``iconv``).
"""

from __future__ import annotations

import codecs
import os
import stat
import string
import sys
from pathlib import Path
from typing import BinaryIO, NamedTuple

import charset_normalizer

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

LEGACY = ("cp1251", "koi8-r", "koi8-u")  # in order of preference when two read the same
_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐЎ"
_LETTERS += _LETTERS.lower()
_PUNCTUATION = "\u00a0\u00ad«»„“”‚‘’–—…№•·°±§©®™€‰"
_MIN_LETTERS = 100
# charset-normalizer's scores (0-1) of the code page it ranks first. Right readings of 40 real
# articles score 0.53-0.79 coherence whole (0.39 up in 150-300 character pieces) and at most 0.03
# chaos; wrong readings up to 0.42 coherence whole, 0.47 in 1000 characters and in a list of
# abbreviations, more in short pieces (where rules 2-3 refuse them), and any chaos from 0 to 0.2.
_MIN_COHERENCE = 0.5
_MAX_CHAOS = 0.05
_ASCII = bytes(range(128))
_ASCII_LETTERS = string.ascii_letters.encode()


class Decoded(NamedTuple):
    """Decoded text and the encoding it was read with (a Python codec name)."""

    text: str
    encoding: str


def read_limited(path: Path, where: str) -> bytes:
    """The bytes of ``path`` (``-`` for stdin); too large, unreadable or not a regular file is an
    ``IngestError``."""
    try:
        if str(path) == "-":
            return _read_stream(sys.stdin.buffer, where)
        _check_regular(path.stat().st_mode, where)  # follows links; opens nothing
        # Non-blocking, so that a file turned into a FIFO since cannot block the open either.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as stream:
            status = os.fstat(descriptor)
            _check_regular(status.st_mode, where)
            if status.st_size > MAX_BYTES:
                raise _too_large(where, status.st_size)
            return _read_stream(stream, where)
    except OSError as err:
        raise IngestError(where, err.strerror or str(err)) from None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(mode: int, where: str) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "of an unknown kind")
        raise IngestError(where, f"not a regular file ({kind})")


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


def not_utf8(where: str, err: UnicodeDecodeError) -> IngestError:
    """The error for bytes that are not UTF-8 (and not read otherwise)."""
    byte = err.object[err.start]
    return IngestError(where, f"not UTF-8 text (byte 0x{byte:02x} at offset {err.start})")


def damaged_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 with some bad bytes: fewer of those than good multi-byte
    characters (text in a legacy encoding is almost all bad bytes for UTF-8)."""
    text = data.decode("utf-8", "surrogateescape")  # each bad byte becomes one lone surrogate
    bad = len(data) - len(text.encode("utf-8", "ignore"))  # the surrogates are dropped
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - bad >= bad


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


def _bytes_of(name: str, chars: str) -> bytes:
    """The high bytes that decode to one of ``chars`` in code page ``name``."""
    return bytes(b for b in range(128, 256) if bytes([b]).decode(name, "replace") in chars)


_ALLOWED = {name: _ASCII + _bytes_of(name, _LETTERS + _PUNCTUATION) for name in LEGACY}
_LETTER_BYTES = {name: _bytes_of(name, _LETTERS) for name in LEGACY}


def _legacy(data: bytes, where: str, err: UnicodeDecodeError) -> Decoded:
    """Legacy Cyrillic text, by rules 1-4 of the module docstring, or the not-UTF-8 error."""
    decoded = None if damaged_utf8(data) else _code_page(data)
    if decoded is None:
        raise not_utf8(where, err) from None
    return decoded


def _code_page(data: bytes) -> Decoded | None:
    """The text in the code page charset-normalizer finds most coherent, if it is confident
    (rule 4) and the whole file is Cyrillic text in it (rules 2-3)."""
    best = charset_normalizer.from_bytes(
        data, cp_isolation=list(LEGACY), preemptive_behaviour=False
    ).best()
    if best is None or best.coherence < _MIN_COHERENCE or best.chaos > _MAX_CHAOS:
        return None
    name = codecs.lookup(best.encoding).name
    if name not in LEGACY or not _cyrillic_text(data, name):
        return None
    text = data.decode(name)
    # KOI8-R and KOI8-U read Russian alike: name the first of LEGACY that reads the same.
    same = next(n for n in LEGACY if n == name or data.decode(n, "replace") == text)
    return Decoded(text, same)


def _cyrillic_text(data: bytes, name: str) -> bool:
    """Whether every byte of ``data`` is ASCII, a letter or punctuation in ``name`` (rule 2) and
    it has enough Cyrillic letters, more than Latin ones (rule 3)."""
    if data.translate(None, _ALLOWED[name]):
        return False  # a byte that decodes to something foreign (or nothing)
    letters = len(data) - len(data.translate(None, _LETTER_BYTES[name]))
    latin = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return letters >= _MIN_LETTERS and letters > latin
