"""The Article record: text normalisation and the text hash."""

from __future__ import annotations

import hashlib

import pytest

from tracker.errors import IngestError
from tracker.ingest.article import make_article, normalise_text, text_hash


def test_normalise_text_collapses_whitespace_and_blank_lines() -> None:
    raw = "  One\t\t line. \r\n\r\n\r\nSecond \u00a0 line.  \r"
    assert normalise_text(raw) == "One line.\nSecond line."


def test_normalise_text_is_nfc() -> None:
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"


def test_hash_is_sha256_of_normalised_text() -> None:
    expected = "d1bffa79586cdbc487fbbe702cea95a5fd0bd7cdb598de6a4720e12eac622ea2"
    assert hashlib.sha256(b"One line.\nSecond line.").hexdigest() == expected
    assert text_hash("One line.\nSecond line.") == expected


def test_same_text_other_whitespace_same_hash() -> None:
    a = make_article("Ten   captives\tcame home.\n\nOfficials  confirmed.", "a.txt", published=None)
    b = make_article(
        "  Ten captives came home. \r\nOfficials confirmed.\r\n", "b.txt", published=None
    )
    assert a.text_hash == b.text_hash
    assert a.text == "Ten   captives\tcame home.\n\nOfficials  confirmed."
    assert b.text == "Ten captives came home. \nOfficials confirmed."


def test_different_text_different_hash() -> None:
    assert text_hash("Ten captives.") != text_hash("Eleven captives.")


def test_empty_text_is_an_error() -> None:
    with pytest.raises(IngestError, match=r"^a\.txt: empty text$"):
        make_article(" \n\t\n", "a.txt", published=None)
