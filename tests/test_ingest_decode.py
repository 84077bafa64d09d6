"""Bytes to text: BOMs, UTF-16 without BOM, legacy Cyrillic, binary, empty and huge files."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from tracker.errors import IngestError
from tracker.ingest import read_bytes, read_path
from tracker.ingest.decode import MAX_BYTES, Decoded, decode

HEADER = "published: 2024-06-01\ntitle: Обмен\n\n"
RUSSIAN = (
    "Стороны провели обмен пленными: каждая сторона передала по сто пятьдесят военнослужащих. "
    "Посредником выступили Объединённые Арабские Эмираты."
)


def errors(data: bytes, name: str = "f.txt") -> list[str]:
    return [str(item) for item in read_bytes(data, name) if isinstance(item, IngestError)]


def test_utf8_bom_is_removed() -> None:
    assert decode("\ufeffdate 2024-01-01 Text.".encode(), "f") == Decoded(
        "date 2024-01-01 Text.", "utf-8-sig"
    )


def test_utf16_with_bom_imports() -> None:
    (article,) = read_bytes((HEADER + RUSSIAN).encode("utf-16"), "ru.txt")
    assert article.text == RUSSIAN
    assert article.title == "Обмен"
    assert article.published == dt.date(2024, 6, 1)
    assert article.extra == {"encoding": "utf-16"}


def test_utf32_with_bom() -> None:
    assert decode("Plain text.".encode("utf-32"), "f") == Decoded("Plain text.", "utf-32")


@pytest.mark.parametrize(
    ("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")]
)
def test_utf16_without_bom_latin_text(codec: str, name: str) -> None:
    text = "date 2024-01-02 Twelve captives were released."
    assert decode(text.encode(codec), "f") == Decoded(text, name)


def test_utf16_without_bom_odd_length_is_binary() -> None:
    with pytest.raises(IngestError, match=r"^f: binary file$"):
        decode("Some text.".encode("utf-16-le") + b"x", "f")


def test_windows_1251_cyrillic_is_decoded_and_recorded() -> None:
    (article,) = read_bytes((HEADER + RUSSIAN).encode("cp1251"), "ru.txt")
    assert article.text == RUSSIAN
    assert article.extra == {"encoding": "cp1251"}


def test_short_ambiguous_latin1_is_refused() -> None:
    assert errors("Café crème.".encode("cp1252")) == [
        "f.txt: not UTF-8 text (byte 0xe9 at offset 3)"
    ]


def test_invalid_utf8_names_byte_and_offset() -> None:
    assert errors(b"Hello world!\xff rest") == ["f.txt: not UTF-8 text (byte 0xff at offset 12)"]


def test_random_bytes_are_binary() -> None:
    data = random.Random(7).randbytes(4096)
    assert errors(data) == ["f.txt: binary file"]


def test_random_bytes_without_nul_are_binary() -> None:
    data = bytes(b for b in random.Random(7).randbytes(4096) if b)
    assert errors(data) == ["f.txt: binary file"]


def test_nul_bytes_are_binary() -> None:
    assert errors(b"date 2024-01-01 text\x00\x00\x01 more") == ["f.txt: binary file"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert [str(e) for e in read_path(path)] == [f"{path}: empty file"]


def test_whitespace_only_file_is_empty_text() -> None:
    assert errors(b" \n\r\n\t") == ["f.txt: empty text"]


def test_file_over_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:  # sparse: no data written
        stream.truncate(MAX_BYTES + 1)
    assert [str(e) for e in read_path(path)] == [
        f"{path}: file too large (20.0 MB); the limit is 20 MB"
    ]


def test_bytes_over_size_limit_are_refused() -> None:
    assert errors(bytes(MAX_BYTES + 1)) == ["f.txt: file too large; the limit is 20 MB"]


def test_file_at_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = b"date 2024-01-01 " + b"x" * 64 + b"\n"
    path.write_bytes(line + b"y" * (MAX_BYTES - len(line)))
    (article,) = read_path(path)
    assert len(article.text) == MAX_BYTES - len(b"date 2024-01-01 ")
