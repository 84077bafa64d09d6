"""What scrapers produce, thrown at ``tracker import`` beside one good article, on both engines.

Each case puts one odd file in a folder with ``good.txt`` and imports the folder. A file that
cannot be read fails alone: exit code 1, one ``failed: PATH: reason`` line, no traceback, the good
article imported, nothing stored from the bad file. A file whose content is fine (UTF-16, CRLF,
Windows-1251) imports, with its figures.
"""

from __future__ import annotations

import json
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import Cli, fifo_released

GOOD = (
    "date 2024-05-10\n"
    "Ukraine and Russia each released 75 prisoners of war on Thursday, officials said.\n"
)
GOOD_TRANSFERS = [("2024-05-09", "RUS", "UKR", 75), ("2024-05-09", "UKR", "RUS", 75)]
# A second article, for the files whose content is fine: 2 claims, a swap of 48 for 48 on Friday.
OTHER_BODY = (
    "Russia handed over 48 Ukrainian soldiers on Friday, and Ukraine returned 48 Russian "
    "servicemen, officials on both sides said."
)
OTHER = f"date 2024-06-22\n{OTHER_BODY}\n"
OTHER_TRANSFERS = [("2024-06-21", "RUS", "UKR", 48), ("2024-06-21", "UKR", "RUS", 48)]


def import_beside_good(cli: Cli, tmp_path: Path, name: str, data: bytes) -> tuple[Result, Path]:
    """Import a folder holding ``good.txt`` and ``name`` (written as ``data``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / name).write_bytes(data)
    return cli("import", str(folder)), folder / name


def sources(cli: Cli) -> list[dict]:
    return json.loads(cli.ok("export", "sources", "--format", "json"))


def transfers(cli: Cli) -> list[tuple[str, str, str, int]]:
    rows = json.loads(cli.ok("export", "transfers", "--format", "json"))
    return sorted((r["date"], r["from_party"], r["to_party"], r["count_best"]) for r in rows)


def claim_counts(cli: Cli) -> list[int]:
    return sorted(c["count_best"] for c in json.loads(cli.ok("export", "claims", "--format", "json")))


def assert_only_good_stored(cli: Cli) -> None:
    """The good article and its two claims, and nothing else."""
    assert [(s["origin"].rsplit("/", 1)[-1], s["claim_count"]) for s in sources(cli)] == [
        ("good.txt", 2)]
    assert claim_counts(cli) == [75, 75]
    assert transfers(cli) == GOOD_TRANSFERS


def failed_alone(cli: Cli, tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    result, path = import_beside_good(cli, tmp_path, name, data)
    assert_failed_beside_good(cli, result, f"{path}: {reason}")


def assert_failed_beside_good(cli: Cli, result: Result, failure: str) -> None:
    """Exit 1, one ``failed:`` line, no traceback, and only the good article stored."""
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"failed: {failure}",
        "1 imported, 0 unchanged, 1 failed, 2 claims found",
    ]
    assert_only_good_stored(cli)


# ---------------------------------------------------------------------------------------------
# Files that cannot be read


def test_random_bytes(cli: Cli, tmp_path: Path) -> None:
    noise = random.Random(20240510).randbytes(4096)
    failed_alone(cli, tmp_path, "noise.txt", noise, "binary file")


def test_random_bytes_named_json(cli: Cli, tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4096)
    failed_alone(cli, tmp_path, "noise.json", noise, "binary file")


def test_truncated_json(cli: Cli, tmp_path: Path) -> None:
    data = b'{"text": "Russia handed over 40 Ukrainian soldiers on Mon'
    failed_alone(cli, tmp_path, "cut.json", data,
                 "malformed JSON at line 1: Unterminated string starting at")


def deep_field(depth: int) -> bytes:
    """A good record but for a field nesting it ``depth`` levels deep in all."""
    return (b'{"text": "Russia freed 9 Ukrainian soldiers on Monday.", "date": "2024-04-02", "x": '
            + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "lists.json"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "objects.json"),
        (deep_field(100_000), "deep_field.json"),
        (deep_field(101), "deep_field.json"),
    ],
    ids=["lists", "objects", "field", "field-101"],
)
def test_deeply_nested_json(cli: Cli, tmp_path: Path, data: bytes, name: str) -> None:
    failed_alone(cli, tmp_path, name, data, "JSON nested too deeply (more than 100 levels)")


def test_json_nested_near_the_recursion_limit(cli: Cli, tmp_path: Path) -> None:
    """Depths 900-1000 span the point (it moves with the call stack) where the parser still
    copes and what comes after it does not: once that crashed the run, the good file with it."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    for depth in range(900, 1001):
        (folder / f"deep{depth}.json").write_bytes(deep_field(depth))
    result = cli("import", str(folder))
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        *(f"failed: {path}: JSON nested too deeply (more than 100 levels)"
          for path in sorted(folder.glob("deep*.json"))),
        "1 imported, 0 unchanged, 101 failed, 2 claims found",
    ]
    assert_only_good_stored(cli)


ARTICLE = (
    "date 2024-06-22\nRussia handed over 48 Ukrainian soldiers on Friday, and Ukraine returned 48 "
    "Russian servicemen, officials said. “It took months,” the mediator’s office said. " * 3
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("stray.txt", ARTICLE[:150].encode() + b"\xe9\x92\xff" + ARTICLE[150:].encode()),
        ("stray.jsonl", json.dumps({"text": ARTICLE, "date": "2024-06-22"}, ensure_ascii=False)
         .encode().replace(b"Friday", b"Fr\xe9day", 1)),
        ("latin1.txt", "date 2024-06-22\nLe café crème, disait-il, était très apprécié à Genève. "
         .encode("latin-1") * 4),
    ],
    ids=["utf8-three-stray-bytes", "json-lines-one-byte", "latin-1"],
)
def test_not_utf8_is_refused_not_guessed(
    cli: Cli, tmp_path: Path, name: str, data: bytes
) -> None:
    offset = data.index(0xE9)  # the first byte that is not UTF-8
    failed_alone(cli, tmp_path, name, data, f"not UTF-8 text (byte 0xe9 at offset {offset})")


def test_json_lines_with_one_bad_line(cli: Cli, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Russia handed over 20 Ukrainian soldiers on Monday.",
                    "date": "2024-04-02", "url": "https://example.org/jl/1"}),
        '{"text": "Ukraine returned 5 Russian soldiers", "date": ',
        "[" * 50_000,
        json.dumps({"text": "The bodies of 31 fallen Ukrainian soldiers were repatriated from "
                            "Russia to Ukraine on Tuesday.", "date": "2024-04-03",
                    "url": "https://example.org/jl/4"}),
    ]
    result, path = import_beside_good(cli, tmp_path, "feed.jsonl", "\n".join(lines).encode())
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"failed: {path}:2: malformed JSON: Expecting value",
        f"failed: {path}:3: JSON nested too deeply (more than 100 levels)",
        "3 imported, 0 unchanged, 2 failed, 4 claims found",
    ]
    assert sorted(s["origin"].rsplit("/", 1)[-1] for s in sources(cli)) == [
        "feed.jsonl:1", "feed.jsonl:4", "good.txt"]
    assert transfers(cli) == sorted([
        ("2024-04-01", "RUS", "UKR", 20), ("2024-04-02", "RUS", "UKR", 31), *GOOD_TRANSFERS])


def test_fifty_megabyte_file_is_refused_unread(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    big = folder / "big.txt"
    line = b"The weather in the region was mild and the markets were open as usual.\n"
    with big.open("wb") as out:
        out.write(b"date 2024-05-10\n")
        out.write(line * (50 * 1024 * 1024 // len(line)))
    tracemalloc.start()
    began = time.monotonic()
    try:
        result = cli("import", str(folder))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - began < 10
    assert peak < 40 * 1024 * 1024  # the 50 MB are never read into memory
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"failed: {big}: file too large (50.0 MB); the limit is 20 MB",
        "1 imported, 0 unchanged, 1 failed, 2 claims found",
    ]
    assert_only_good_stored(cli)


def test_oversized_stdin_is_refused(cli: Cli) -> None:
    body = "Ukraine and Russia swapped prisoners.\n" * (21 * 1024 * 1024 // 38)
    result = cli("import", "-", "--published", "2024-05-10", input=body)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "failed: <stdin>: file too large; the limit is 20 MB",
        "0 imported, 0 unchanged, 1 failed, 0 claims found",
    ]
    assert sources(cli) == []


def test_nul_bytes(cli: Cli, tmp_path: Path) -> None:
    data = b"date 2024-05-10\nRussia handed over 12\x00 Ukrainian soldiers on Thursday."
    failed_alone(cli, tmp_path, "nul.txt", data, "binary file")


def test_nul_escape_in_json(cli: Cli, tmp_path: Path) -> None:
    data = b'{"text": "Russia handed over 12 Ukrainian\\u0000 soldiers.", "date": "2024-05-10"}'
    failed_alone(cli, tmp_path, "nul.json", data, "text: character U+0000 not allowed")


def test_html_page_without_an_article(cli: Cli, tmp_path: Path) -> None:
    page = (b"<!doctype html><html><head><title>Sign in</title></head><body>"
            b"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            b"<form><input name='user'><input type='password'></form></body></html>")
    failed_alone(cli, tmp_path, "login.html", page, "no article text found")


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("1900-01-01", "date: 1900-01-01 is before 1901-01-01"),
        ("2999-12-31", "date: 2999-12-31 is in the future"),
    ],
)
def test_publication_date_out_of_range(cli: Cli, tmp_path: Path, date: str, reason: str) -> None:
    failed_alone(cli, tmp_path, "odd_date.txt", f"date {date}\n{OTHER_BODY}\n".encode(), reason)


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("1900-01-01 00:00:00", "date_publish: 1900-01-01 is before 1901-01-01"),
        ("2999-01-01T00:00:00Z", "date_publish: 2999-01-01 is in the future"),
    ],
)
def test_json_publication_date_out_of_range(
    cli: Cli, tmp_path: Path, date: str, reason: str
) -> None:
    record = json.dumps({"maintext": OTHER_BODY, "date_publish": date}).encode()
    failed_alone(cli, tmp_path, "odd_date.json", record, reason)


# ---------------------------------------------------------------------------------------------
# Paths that are not article files: FIFOs, links out of the folder


def good_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    return folder


def test_fifo_in_a_folder_is_not_read(cli: Cli, tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    os.mkfifo(folder / "feed.txt")
    with fifo_released(folder / "feed.txt"):
        result = cli("import", str(folder))
    assert_failed_beside_good(cli, result, f"{folder / 'feed.txt'}: not a regular file (a FIFO)")


def test_fifo_named_is_not_read(cli: Cli, tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    os.mkfifo(tmp_path / "feed")
    with fifo_released(tmp_path / "feed"):
        result = cli("import", str(tmp_path / "feed"), str(folder / "good.txt"))
    assert_failed_beside_good(cli, result, f"{tmp_path / 'feed'}: not a regular file (a FIFO)")


def test_link_out_of_the_folder_is_not_followed(cli: Cli, tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (tmp_path / "private.txt").write_text(OTHER)
    (folder / "passwd.txt").symlink_to(tmp_path / "private.txt")
    result = cli("import", str(folder))
    assert_failed_beside_good(
        cli,
        result,
        f"{folder / 'passwd.txt'}: a symbolic link out of the folder, to "
        f"{tmp_path / 'private.txt'} (use --follow-symlinks)",
    )


def test_link_out_of_the_folder_followed_when_asked(cli: Cli, tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (tmp_path / "private.txt").write_text(OTHER)
    (folder / "passwd.txt").symlink_to(tmp_path / "private.txt")
    assert cli.ok("import", "--follow-symlinks", str(folder)) == (
        "2 imported, 0 unchanged, 0 failed, 4 claims found\n")
    assert transfers(cli) == sorted([*GOOD_TRANSFERS, *OTHER_TRANSFERS])


# ---------------------------------------------------------------------------------------------
# Files whose content is fine: they import, figures and all


def imported_with_other(cli: Cli, tmp_path: Path, name: str, data: bytes) -> None:
    result, _ = import_beside_good(cli, tmp_path, name, data)
    assert result.exit_code == 0, result.output
    assert result.output == "2 imported, 0 unchanged, 0 failed, 4 claims found\n"
    assert transfers(cli) == sorted([*GOOD_TRANSFERS, *OTHER_TRANSFERS])
    texts = {s["origin"].rsplit("/", 1)[-1]: s["text"] for s in sources(cli)}
    assert texts[name] == OTHER_BODY


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"],
                         ids=["bom", "le-no-bom", "be-no-bom"])
def test_utf16(cli: Cli, tmp_path: Path, codec: str) -> None:
    imported_with_other(cli, tmp_path, "wide.txt", OTHER.encode(codec))


def test_crlf_line_ends(cli: Cli, tmp_path: Path) -> None:
    header = (
        "url: https://example.org/crlf\r\npublished: 2024-06-22\r\ntitle: Swap\r\n"
        f"outlet: Example Wire\r\n\r\n{OTHER_BODY}\r\n"
    )
    imported_with_other(cli, tmp_path, "crlf.txt", header.encode())
    (source,) = [s for s in sources(cli) if s["url"]]
    assert (source["url"], source["title"], source["outlet"], source["published"]) == (
        "https://example.org/crlf", "Swap", "Example Wire", "2024-06-22")
    (quote,) = {c["quote"] for c in json.loads(cli.ok("export", "claims", "--format", "json"))
                if c["source_url"] and "48 Ukrainian" in c["quote"]}
    assert "\r" not in quote


def test_crlf_repeats_an_lf_article_unchanged(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "lf.txt").write_text(OTHER)
    cli.ok("import", str(tmp_path / "lf.txt"))
    (tmp_path / "crlf.txt").write_bytes(OTHER.replace("\n", "\r\n").encode())
    assert cli.ok("import", str(tmp_path / "crlf.txt")) == (
        "0 imported, 1 unchanged, 0 failed, 0 claims found\n")


CYRILLIC = (
    "Украина и Россия провели обмен пленными в пятницу. Домой вернулись военнослужащие, "
    "которые находились в плену больше года, сообщили официальные представители обеих сторон. "
    "Посредником выступили Объединенные Арабские Эмираты."
)


def test_windows_1251(cli: Cli, tmp_path: Path) -> None:
    data = f"date 2024-06-22\n{CYRILLIC}\n".encode("cp1251")
    result, _ = import_beside_good(cli, tmp_path, "cyrillic.txt", data)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 imported, 0 unchanged, 0 failed, ")
    texts = {s["origin"].rsplit("/", 1)[-1]: s["text"] for s in sources(cli)}
    assert texts["cyrillic.txt"] == CYRILLIC


# ---------------------------------------------------------------------------------------------
# Odd numbers in fine articles: no wrong figure, no crash


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia handed over 1,2,3 Ukrainian soldiers on Friday.",
        "Russia handed over 10^6 Ukrainian soldiers on Friday.",
        "Russia handed over 1e6 Ukrainian soldiers on Friday.",
        "Russia handed over 1,23 Ukrainian soldiers on Friday.",
        "Russia handed over 12345678901234567890 Ukrainian soldiers on Friday.",
        "Russia handed over 3000000000 Ukrainian soldiers on Friday.",
    ],
    ids=["list", "power", "exponent", "decimal-comma", "twenty-digits", "three-billion"],
)
def test_odd_numbers_give_no_figure(cli: Cli, tmp_path: Path, sentence: str) -> None:
    data = f"date 2024-06-22\n{sentence} Officials said the swap took months to prepare.\n"
    result, _ = import_beside_good(cli, tmp_path, "odd.txt", data.encode())
    assert result.exit_code == 0, result.output
    assert result.output == "2 imported, 0 unchanged, 0 failed, 2 claims found\n"
    assert claim_counts(cli) == [75, 75]


def test_number_words_are_not_added_up(cli: Cli, tmp_path: Path) -> None:
    data = ("date 2024-06-22\nRussia handed over between five and six Ukrainian soldiers "
            "on Friday, officials said.\n")
    result, _ = import_beside_good(cli, tmp_path, "words.txt", data.encode())
    assert result.exit_code == 0, result.output
    assert 11 not in claim_counts(cli)
