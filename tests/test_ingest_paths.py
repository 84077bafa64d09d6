"""read_path / read_bytes: format choice, overrides, what is not a regular file; iter_files:
folder expansion and symbolic links."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import sys
from pathlib import Path

import pytest

from tests.conftest import fifo_released
from tracker.errors import IngestError, InputError
from tracker.ingest import Article, iter_files, read_bytes, read_path, sniff

JSON = b'{"text": "From JSON.", "published": "2024-01-01"}'
JSONL = JSON + b"\n" + JSON.replace(b"From", b"Also from") + b"\n"
HTML = (
    b"<!DOCTYPE html><html><head><title>Page</title></head><body><article><p>"
    + b"Prisoners from both sides were exchanged at the border on Tuesday afternoon. " * 4
    + b"</p></article></body></html>"
)


def texts(items: object) -> list[str]:
    return [i.text if isinstance(i, Article) else str(i) for i in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (" [1]", "json"),
        ('{"a": 1}', "json"),
        ('{\n  "a": 1\n}', "json"),
        ('{"a": 1}\n{"a": 2}', "jsonl"),
        ("<!doctype html><p>x", "html"),
        ("<HTML><body>", "html"),
        ("date 2024-01-01 text", "text"),
    ],
)
def test_sniff(text: str, fmt: str) -> None:
    assert sniff(text) == fmt


def test_extension_decides(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"published: 2024-01-01\n\n" + JSON)
    (article,) = read_path(path)
    assert article.text == JSON.decode()


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.data").write_bytes(JSONL)
    (tmp_path / "b").write_bytes(HTML)
    assert texts(read_path(tmp_path / "a.data")) == ["From JSON.", "Also from JSON."]
    (article,) = read_path(tmp_path / "b", published=dt.date(2024, 1, 2))
    assert article.text.startswith("Prisoners from both sides")


def test_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(JSONL)
    assert texts(read_path(path, fmt="jsonl")) == ["From JSON.", "Also from JSON."]


def test_unknown_format_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="format: 'xml' is not one of"):
        list(read_path(tmp_path / "a.txt", fmt="xml"))


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert texts(read_path(path)) == [f"{path}: No such file or directory"]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"date 2024-01-03 Piped.")))
    (article,) = read_path(Path("-"))
    assert (article.origin, article.text) == ("<stdin>", "Piped.")


def test_published_override_only_when_missing() -> None:
    override = dt.date(2024, 5, 5)
    (dated,) = read_bytes(b"date 2024-01-03 Dated.", "a.txt", published=override)
    (undated,) = read_bytes(b"Undated.", "b.txt", published=override)
    assert (dated.published, undated.published) == (dt.date(2024, 1, 3), override)


def test_published_override_out_of_range() -> None:
    (err,) = read_bytes(b"Undated.", "b.txt", published=dt.date(1900, 1, 1))
    assert str(err) == "b.txt: --published: 1900-01-01 is before 1901-01-01"


def test_outlet_override_always_applies_and_keeps_file_value() -> None:
    data = b"outlet: site.example\npublished: 2024-01-01\n\nBody."
    (article,) = read_bytes(data, "a.txt", outlet="The Site")
    assert (article.outlet, article.extra) == ("The Site", {"file_outlet": "site.example"})
    (plain,) = read_bytes(b"date 2024-01-01 Body.", "b.txt", outlet="The Site")
    assert (plain.outlet, plain.extra) == ("The Site", {})


def test_iter_files_expands_folders_sorted_skipping_hidden_and_other_types(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.JSON",
        "parties.csv",
        ".hidden.txt",
        "sub/c.html",
        "sub/d.ndjson",
        ".git/e.txt",
        "a-b/f.md",
        "notes",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a-b/f.md", "a.JSON", "b.txt", "sub/c.html", "sub/d.ndjson"]


def test_iter_files_named_file_always_given(tmp_path: Path) -> None:
    csv = tmp_path / "parties.csv"
    csv.write_text("code,name\n")
    assert list(iter_files([csv, Path("-"), tmp_path / "missing.txt"])) == [
        csv,
        Path("-"),
        tmp_path / "missing.txt",
    ]


def test_never_raises_on_garbage(tmp_path: Path) -> None:
    blobs = [b"\xff\xfe\x00", b"{", b"[{]", b"<html>", b"\x00" * 10, b"date", b"url:\n\n"]
    for index, blob in enumerate(blobs):
        for fmt in ("auto", "text", "json", "jsonl", "html"):
            items = list(read_bytes(blob, f"g{index}", fmt=fmt))
            assert items and all(isinstance(i, IngestError) for i in items), (blob, fmt)


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    with fifo_released(fifo):
        assert texts(read_path(fifo)) == [f"{fifo}: not a regular file (a FIFO)"]


def test_link_to_a_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed")
    (tmp_path / "feed.txt").symlink_to(tmp_path / "feed")
    with fifo_released(tmp_path / "feed"):
        assert texts(read_path(tmp_path / "feed.txt")) == [
            f"{tmp_path / 'feed.txt'}: not a regular file (a FIFO)"]


def test_device_and_socket_are_not_read(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.txt"))
    try:
        assert texts(read_path(tmp_path / "s.txt")) == [
            f"{tmp_path / 's.txt'}: not a regular file (a socket)"]
    finally:
        server.close()
    assert texts(read_path(Path("/dev/zero"))) == [
        "/dev/zero: not a regular file (a character device)"]


def test_folder_read_as_file_is_not_a_regular_file(tmp_path: Path) -> None:
    assert texts(read_path(tmp_path)) == [f"{tmp_path}: not a regular file (a folder)"]


def tree(tmp_path: Path) -> Path:
    """``in/`` with a file, a link inside, a link out, a folder link out, and what they reach."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("date 2024-01-01 Secret.")
    (tmp_path / "outside" / "loop").symlink_to(tmp_path / "outside")
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("date 2024-01-01 A.")
    (root / "a-link.txt").symlink_to(root / "sub" / "a.txt")
    (root / "sub-link").symlink_to(root / "sub")
    (root / "passwd.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (root / "elsewhere").symlink_to(tmp_path / "outside")
    return root


def test_links_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = [str(p) if isinstance(p, IngestError) else p.relative_to(root).as_posix()
             for p in iter_files([root])]
    out = tmp_path / "outside"
    assert found == [
        "a-link.txt",
        f"{root / 'elsewhere'}: a symbolic link out of the folder, to {out} (use --follow-symlinks)",
        f"{root / 'passwd.txt'}: a symbolic link out of the folder, to {out / 'secret.txt'} "
        "(use --follow-symlinks)",
        "sub/a.txt",
    ]


def test_links_out_of_the_folder_followed_when_asked(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = [p.relative_to(root).as_posix() for p in iter_files([root], follow_symlinks=True)]
    assert found == ["a-link.txt", "elsewhere/secret.txt", "passwd.txt", "sub/a.txt"]


def test_named_link_is_read(tmp_path: Path) -> None:
    root = tree(tmp_path)
    assert list(iter_files([root / "passwd.txt"])) == [root / "passwd.txt"]


def test_glob_and_exclude_choose_a_folders_files(tmp_path: Path) -> None:
    """`tracker import corpus/` failed on every answer file beside the articles."""
    (tmp_path / "drafts").mkdir()
    for name in ("01.txt", "01.gold.json", "02.json", "drafts/03.txt"):
        (tmp_path / name).write_text("x")
    names = lambda **kw: [str(p.relative_to(tmp_path)) for p in iter_files([tmp_path], **kw)]  # noqa: E731
    assert names() == ["01.gold.json", "01.txt", "02.json", "drafts/03.txt"]
    assert names(exclude=["*.gold.json"]) == ["01.txt", "02.json", "drafts/03.txt"]
    assert names(include=["*.txt"], exclude=["drafts/*"]) == ["01.txt"]
    # a file named explicitly is read whatever the patterns say
    named = list(iter_files([tmp_path / "01.gold.json"], exclude=["*.gold.json"]))
    assert named == [tmp_path / "01.gold.json"]
