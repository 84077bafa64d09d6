"""One count limit and one id range on both engines, checked before the database sees a value;
an import the database can no longer take (a full disk, a lost connection) stops with one line
and the summary of what was committed."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli

SOURCE = ["add", "source", "--url", "https://example.org/a", "--published", "2025-02-06",
          "--text", "-"]


def _claims(cli: Cli) -> str:
    return cli.ok("sql", "SELECT count(*) AS n FROM claims", "--format", "csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["exchange", "--date", "2025-02-05", "-t", "UKR:RUS:3000000000"],
         "Error: --transfer count: 3000000000 is more than 1,000,000,000: no report counts more\n"),
        (["exchange", "--date", "2025-02-05", "-t", "UKR:RUS:100000000000000000000"],
         "Error: --transfer count: 100000000000000000000 is more than 1,000,000,000: no report"
         " counts more\n"),
        (["exchange", "--date", "2025-02-05", "-t", "UKR:RUS:" + "9" * 5000],
         f"Error: --transfer count: {'9' * 5000} is more than 1,000,000,000: no report counts"
         " more\n"),
        (["capture", "--captor", "UKR", "--captive", "RUS", "--count", "10000000000", "--kind",
          "cumulative", "--as-of", "2025-02-06"],
         "Error: --count: 10000000000 is more than 1,000,000,000: no report counts more\n"),
        (["exchange", "--date", "2025-02-05", "-t", "UKR:RUS:5", "--source",
          "999999999999999999999"],
         "Error: --source: no source '999999999999999999999' (add it with `tracker add source`)\n"),
    ],
)
def test_counts_and_ids_beyond_the_limits_are_refused_alike(
    engine: str, args: list[str], message: str
) -> None:
    cli = Cli(engine)
    cli.ok(*SOURCE, input="A text.\n")
    if "--source" not in args:
        args = [*args, "--source", "1"]
    before = _claims(cli)
    result = cli("add", *args)
    assert (result.exit_code, result.output) == (1, message)
    assert _claims(cli) == before


def test_the_largest_count_is_taken(engine: str) -> None:
    cli = Cli(engine)
    cli.ok(*SOURCE, input="A text.\n")
    cli.ok("add", "exchange", "--date", "2025-02-05", "-t", "UKR:RUS:1000000000", "--source", "1")
    assert _claims(cli) == "n\n1\n"


@pytest.mark.parametrize(
    "args",
    [
        ["claims", "show", "99999999999999"],
        ["claims", "accept", "99999999999999999999999"],
        ["claims", "list", "--source", "99999999999999999"],
        ["reextract", "--source", "99999999999999999"],
    ],
)
def test_ids_beyond_the_range_are_a_usage_error(engine: str, args: list[str]) -> None:
    result = Cli(engine)(*args)
    assert result.exit_code == 2
    assert "is not in the range 1<=x<=2147483647" in result.output


def test_a_figure_id_beyond_the_range_names_no_figure(engine: str) -> None:
    result = Cli(engine)("report", "provenance", "transfer:999999999999999999999")
    assert (result.exit_code, result.output) == (1, "Error: no transfer 999999999999999999999\n")


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    filler = " ".join(["The talks went on for hours, officials said."] * 60)
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(
            f"date 2025-03-{i % 28 + 1:02}\n\nUkraine and Russia exchanged {i + 10} prisoners of"
            f" war on Friday, officials said. {filler} Article {i}.\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 600 KB tmpfs (needs root; else skipped)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


def test_a_full_disk_stops_the_import_with_one_line(
    small_disk: Path, sqlite_url: str, tmp_path: Path
) -> None:
    db = small_disk / "tracker.db"
    db.write_bytes(Path(sqlite_url.removeprefix("sqlite:///")).read_bytes())
    folder = _articles(tmp_path / "articles", 300)
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", f"sqlite:///{db}", "import", "-q", str(folder)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = done.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith(
        "Error: the import stopped: the database's disk is full while "
    ), done.stderr
    summary = re.fullmatch(r"(\d+) imported, 0 unchanged, 0 failed, \d+ claims found\n",
                           done.stdout)
    assert summary, done.stdout
    imported = int(summary[1])
    assert 0 < imported < 300
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM sources").fetchone() == (imported,)
    finally:
        conn.close()


def test_a_lost_connection_prints_what_was_committed(pg_url: str, tmp_path: Path) -> None:
    from tracker.db import open_database

    open_database(pg_url).dispose()
    folder = _articles(tmp_path / "articles", 200)
    admin = create_engine(pg_url)
    app = f"tracker-test-{tmp_path.name}"
    url = pg_url + f"&application_name={app}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "import", "-q", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        with admin.connect() as conn:
            deadline = time.monotonic() + 300
            while conn.execute(text("SELECT count(*) FROM sources")).scalar() < 10:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
                conn.rollback()
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE application_name = :app"), {"app": app}
            )
        out, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 1
    assert err.count("\n") == 1 and err.startswith(
        "Error: the import stopped: the connection to the database was lost"
    ), err
    imported = int(out.split()[0])
    with admin.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar() == imported
    assert 10 <= imported < 200
    admin.dispose()


@pytest.mark.parametrize(
    ("qualifier", "stored"),
    [("exact", (300, 300, 300)), ("up_to", (1, 300, 300)), ("about", (270, 300, 330)),
     ("almost", (270, 300, 300)), ("more_than", (300, 300, None)), ("at_least", (300, 300, None))],
)
def test_a_qualifier_entered_by_hand_means_what_extraction_means(
    engine: str, qualifier: str, stored: tuple[int, int, int | None]
) -> None:
    """"up to 300" typed in is at most 300, as when it is read in an article (it was >=300)."""
    from tracker.extract.numbers import qualified

    cli = Cli(engine)
    cli.ok(*SOURCE, input="A text.\n")
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "300",
           "--qualifier", qualifier, "--kind", "holding", "--as-of", "2025-02-06", "--source", "1")
    cli.ok("add", "exchange", "--date", "2025-02-05", "-t", "UKR:RUS:300", "--qualifier",
           qualifier, "--source", "1")
    out = cli.ok("sql", "SELECT count_low, count_best, count_high FROM claims ORDER BY id",
                 "--format", "json")
    expected = {"count_low": stored[0], "count_best": stored[1], "count_high": stored[2]}
    assert json.loads(out) == [expected, expected]
    band = qualified(300, qualifier)  # type: ignore[arg-type]
    assert (band.low, band.best, band.high) == stored
