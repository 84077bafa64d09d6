"""Bytes to text: BOMs, UTF-16 without BOM, legacy Cyrillic, stray bytes, binary, empty and huge
files."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from tracker.errors import IngestError
from tracker.ingest import read_bytes, read_path
from tracker.ingest.decode import MAX_BYTES, Decoded, damaged_utf8, decode

HEADER = "published: 2024-06-01\ntitle: Обмен\n\n"
RUSSIAN = (
    "Стороны провели обмен пленными: каждая сторона передала по сто пятьдесят военнослужащих. "
    "Посредником выступили Объединённые Арабские Эмираты."
)


UKRAINIAN = (
    "Україна повернула додому ще сто п'ятдесят захисників, повідомив Координаційний штаб. "
    "Серед звільнених є військові, які перебували в полоні понад два роки, і цивільні."
)
ENGLISH = (
    "Ukraine and Russia exchanged 95 prisoners each on Friday, the “largest swap this year”, "
    "officials said. The UAE mediated the exchange, the ministry’s statement added. "
) * 3


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


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8-r", "koi8-r"),
        (RUSSIAN.upper(), "koi8-r", "koi8-r"),
        (UKRAINIAN, "cp1251", "cp1251"),
        (UKRAINIAN, "koi8-u", "koi8-u"),
        (UKRAINIAN.upper(), "koi8-u", "koi8-u"),
        (RUSSIAN.upper(), "cp1251", "cp1251"),
    ],
    ids=["ru-1251", "ru-koi8r", "ru-caps-koi8r", "uk-1251", "uk-koi8u", "uk-caps-koi8u",
         "ru-caps-1251"],
)
def test_legacy_cyrillic_is_decoded(text: str, codec: str, name: str) -> None:
    assert decode(text.encode(codec), "f") == Decoded(text, name)


def test_koi8_r_text_read_as_windows_1251_letters_is_not_taken() -> None:
    """KOI8-R bytes are all Cyrillic letters in Windows-1251 too: coherence decides."""
    data = "Стороны провели обмен пленными в пятницу вечером ".upper().encode("koi8-r") * 3
    assert decode(data, "f").encoding == "koi8-r"


@pytest.mark.parametrize(
    ("before", "stray", "after"),
    [
        (ENGLISH[:150].encode(), b"\xe9\x92\xff", ENGLISH[150:].encode()),
        (ENGLISH[:150].encode(), b"\xe9", ENGLISH[150:].encode()),
        (RUSSIAN.encode(), b"\xe9", RUSSIAN.encode()),
        (b"A plain ASCII article about the swap of 95 for 95. " * 20, b"\xe9\xe8", b""),
    ],
    ids=["english-three-bytes", "english-one-byte", "russian-one-byte", "ascii-two-bytes"],
)
def test_utf8_with_stray_bytes_is_refused_not_guessed(
    before: bytes, stray: bytes, after: bytes
) -> None:
    assert errors(before + stray + after) == [
        f"f.txt: not UTF-8 text (byte 0x{stray[0]:02x} at offset {len(before)})"
    ]


def test_json_lines_with_one_bad_byte_is_refused_whole() -> None:
    line = '{"text": "Ukraine freed 12 “defenders” on Friday, the ministry said.", "date": "2024-01-01"}\n'.encode()
    data = line * 5 + line.replace(b"freed", b"fr\xe9ed") + line * 5
    assert errors(data, "f.jsonl") == [
        f"f.jsonl: not UTF-8 text (byte 0xe9 at offset {data.index(0xE9)})"
    ]


def test_latin1_text_is_refused_not_guessed() -> None:
    text = ("Le café crème du matin, disait-il, était très apprécié à Genève et à Orléans. " * 4)
    assert errors(text.encode("latin-1")) == ["f.txt: not UTF-8 text (byte 0xe9 at offset 6)"]


def test_few_cyrillic_letters_are_refused() -> None:
    """Under 100 Cyrillic letters, or fewer of them than Latin ones, is too little to tell."""
    short = "Обмен пленными состоялся в пятницу.".encode("cp1251")
    mixed = ENGLISH.encode("ascii", "replace") + RUSSIAN.encode("cp1251")
    assert errors(short) == ["f.txt: not UTF-8 text (byte 0xce at offset 0)"]
    assert errors(mixed) == [f"f.txt: not UTF-8 text (byte 0xd1 at offset {len(ENGLISH)})"]


def test_foreign_characters_rule_out_a_code_page() -> None:
    """UTF-8 Cyrillic read as Windows-1251 shows Serbian letters; KOI8 box drawings likewise."""
    box = RUSSIAN.encode("cp1251") + "─".encode("koi8-r")
    assert errors(box) == ["f.txt: not UTF-8 text (byte 0xd1 at offset 0)"]


def _words(letters: str, count: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices(letters, k=rng.randint(2, 8))) for _ in range(count))


ABBREVIATIONS = ["ОАЭ", "МККК", "ФСБ", "ЗСУ", "ДНР", "ЛНР", "ООН", "ВСУ", "СБУ", "МЧС", "РФ", "ГУР"]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (_words("оеаинтсрвлк", 60, 1), "cp1251"),
        (_words("оеаинтсрвлк", 60, 1), "koi8-r"),
        (" ".join(random.Random(4).choices(ABBREVIATIONS, k=60)), "cp1251"),
    ],
    ids=["common-letters-no-words-1251", "common-letters-no-words-koi8r", "abbreviations-1251"],
)
def test_cyrillic_letters_in_no_language_are_refused(text: str, codec: str) -> None:
    """Letters that pass every byte rule but read as no language are not guessed: their
    coherence is low (the abbreviations score 0.47 in KOI8-R, which charset-normalizer ranks
    first, and 0.35 in the right Windows-1251), and letter counts alone accepted them."""
    data = text.encode(codec)
    assert errors(data) == [f"f.txt: not UTF-8 text (byte 0x{data[0]:02x} at offset 0)"]


@pytest.mark.parametrize(
    ("data", "damaged"),
    [
        (b"plain ascii \xff", False),
        (ENGLISH.encode() + b"\xff", True),
        ("Обмен пленными".encode() + b"\xe9", True),
        ("Обмен пленными".encode("cp1251"), False),
        (UKRAINIAN.encode("koi8-u"), False),
    ],
)
def test_damaged_utf8(data: bytes, damaged: bool) -> None:
    assert damaged_utf8(data) is damaged


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
