"""Files tracker writes: never the database; whole or not at all (interrupt, kill, full disk);
the second half of a split export neither outlives its parent nor waits for a writer."""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import signal
import sqlite3
import string
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli, pg_schema
from tests.reporting_data import enter_history
from tracker import export_halves
from tracker.db import WRITE_LOCK, open_database

WRITERS = [  # every command that writes a file, with the name it writes
    (("export", "transfers"), "out.csv"),
    (("export", "transfers", "--format", "json"), "out.json"),
    (("export", "balance", "--format", "parquet"), "out.parquet"),
    (("export", "sources", "--format", "xlsx"), "out.xlsx"),
    (("export", "workbook"), "out.xlsx"),
    (("plot", "balance"), "out.png"),
    (("plot", "exchanges"), "out.png"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


# --- 1. the database is never an output --------------------------------------------------------


@pytest.mark.parametrize("target", ["db", "-wal", "-shm", "-journal", "relative", "symlink",
                                    "db through a symlink", "hard link"])
def test_an_output_naming_the_database_is_refused(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tracker.db").write_bytes(sqlite_template.read_bytes())
    db, out = "tracker.db", str(tmp_path / "tracker.db")
    if target.startswith("-"):
        out += target
    elif target == "relative":
        os.mkdir("sub")
        out = "sub/../tracker.db"
    elif target == "symlink":
        os.symlink("tracker.db", "link.db")
        out = "link.db"
    elif target == "db through a symlink":
        os.symlink("tracker.db", "link.db")
        db = "link.db"
    elif target == "hard link":
        os.link("tracker.db", "same.db")
        out = "same.db"
    cli = Cli(f"sqlite:///{db}")
    enter_history(cli)
    before = digest(tmp_path / "tracker.db")
    side = Path(out) if target.startswith("-") else None
    side_before = side.stat().st_ino if side is not None and side.exists() else None
    for args, _ in WRITERS:
        result = cli(*args, "--out", out)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Error: --out: cannot write")
        assert "it is the database" in result.output and result.output.count("\n") == 1
        assert digest(tmp_path / "tracker.db") == before
        if side is not None:
            assert (side.stat().st_ino if side.exists() else None) == side_before
    assert "Kyiv Independent" in cli.ok("report", "sources")  # the database is all there
    assert leftovers(tmp_path) == []


def test_other_files_beside_the_database_are_written(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    for args, name in WRITERS:
        out = tmp_path / f"x-{name}"
        cli.ok(*args, "--out", str(out))
        assert out.stat().st_size > 0
    assert leftovers(tmp_path) == []


# --- 2. whole or not at all ---------------------------------------------------------------------

BIG = 60_000  # sources: an export of several seconds, split in two with SPLIT_FROM lowered
# the CLI as a real process, splitting every export in two (as a table of 200,000 rows is)
LAUNCH = ("from tracker import export_halves; export_halves.SPLIT_FROM = 1; "
          "from tracker.cli import main; main()")


def fill(url: str, n: int) -> None:
    """``n`` sources, inserted by one SQL statement."""
    db = open_database(url)
    seq = (f"(SELECT generate_series(1, {n}) AS n) q" if db.dialect == "postgresql" else
           f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) "
           "SELECT n FROM s) q")
    with db.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO sources (id, url, version, outlet, title, published, text, text_hash, "
            "origin) SELECT n, 'https://big.example/' || CAST(n AS TEXT), 1, 'Big', "
            "'Title ' || CAST(n AS TEXT), CAST('2024-01-01' AS DATE), "
            "'A synthetic source text, long enough to take its time. ' || CAST(n AS TEXT), "
            f"'big-' || CAST(n AS TEXT), 'big' FROM {seq}"))
    db.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def big(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of BIG sources on each engine, made once (the tests only read it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.db'}"
        fill(url, BIG)
        yield url
        return
    with pg_schema(request.getfixturevalue("pg_admin")) as url:
        fill(url, BIG)
        yield url


def start(url: str, *args: str, limit: int | None = None) -> subprocess.Popen[str]:
    def limited() -> None:  # a file size limit: writes past it fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.Popen([sys.executable, "-c", LAUNCH, "--db", url, *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limited if limit else None)


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def alive(pids: list[int]) -> list[int]:
    """The processes of ``pids`` still running (not zombies)."""
    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
        except OSError:
            return False

    return [p for p in pids if running(p)]


def wait_until_both_halves_write(proc: subprocess.Popen[str], out: Path) -> list[int]:
    """Once this half writes and the second has begun (its part file has lost its name):
    the second process's pid."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        names = leftovers(out.parent)
        temp = [n for n in names if not n.endswith(".part")]
        writing = temp and (out.parent / temp[0]).stat().st_size > 100_000
        if writing and not any(n.endswith(".part") for n in names) and children(proc.pid):
            return children(proc.pid)
        time.sleep(0.02)
    raise AssertionError("the export never got going")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_or_killed_export_leaves_the_old_file_or_none(
    big: str, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "sources.csv"
    had_old = sig == signal.SIGINT  # Ctrl-C over an old file; SIGKILL where there is none
    if had_old:
        out.write_text("old\n")
    proc = start(big, "export", "sources", "--out", str(out))
    workers = wait_until_both_halves_write(proc, out)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    deadline = time.monotonic() + 2  # the second half had seconds of work left
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(workers) == []  # the second half died with its parent
    if had_old:
        assert out.read_text() == "old\n"
    else:
        assert not out.exists()
    names = leftovers(tmp_path)
    if sig == signal.SIGKILL:  # nothing could clean up: one recognisable temporary file
        assert len(names) == 1 and names[0].startswith(".sources.csv.tmp-"), names
    else:
        assert names == []


def test_a_full_disk_in_a_split_export_is_one_error(big: str, tmp_path: Path) -> None:
    out = tmp_path / "sources.csv"
    out.write_text("old\n")
    proc = start(big, "export", "sources", "--out", str(out), limit=1_000_000)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert err == f"Error: --out: cannot write {out}: no space left on the disk (or the file " \
                  "is over the size limit)\n"
    assert out.read_text() == "old\n" and leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, nearly full, holding an old output file (root only)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        (folder / "old").write_text("old\n")
        free = os.statvfs(folder)
        (folder / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 4096))
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


FULL_WRITERS = [  # every format, each larger than the 4 KB left on the disk
    ("export", "sources"),
    ("export", "sources", "--format", "json"),
    ("export", "sources", "--format", "parquet"),
    ("export", "sources", "--format", "xlsx"),
    ("export", "workbook"),
    ("plot", "balance"),
    ("plot", "exchanges"),
]


def test_a_full_disk_is_one_error_and_keeps_the_old_file(cli: Cli, small_disk: Path) -> None:
    enter_history(cli)
    noise = "".join(random.Random(1).choices(string.ascii_letters + " ", k=40_000))
    cli.ok("add", "source", "--published", "2025-01-01", "--text", "-", input=noise)
    out = small_disk / "old"
    for args in FULL_WRITERS:
        result = cli(*args, "--out", str(out))
        assert result.exit_code == 1, (args, result.output)
        assert result.output == (f"Error: --out: cannot write {out}: no space left on the disk "
                                 "(or the file is over the size limit)\n"), args
        assert out.read_text() == "old\n" and leftovers(small_disk) == [], args


def test_a_failure_midway_removes_the_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enter_history(cli)
    out = tmp_path / "transfers.csv"
    out.write_text("old\n")

    def broken(*args: object) -> None:
        raise RuntimeError("stopped half-way")

    monkeypatch.setattr("tracker.export.write_csv_rows", broken)
    result = cli("export", "transfers", "--out", str(out))
    assert isinstance(result.exception, RuntimeError)
    assert out.read_text() == "old\n" and leftovers(tmp_path) == []


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(
    cli: Cli, tmp_path: Path
) -> None:
    enter_history(cli)
    umask = os.umask(0o022)
    try:
        cli.ok("export", "transfers", "--out", str(tmp_path / "new.csv"))
        old = tmp_path / "old.csv"
        old.write_text("old\n")
        old.chmod(0o640)
        cli.ok("export", "transfers", "--out", str(old))
    finally:
        os.umask(umask)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o644
    assert old.stat().st_mode & 0o777 == 0o640 and old.read_text() != "old\n"


def test_a_symlinked_output_replaces_the_file_it_points_to(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    (tmp_path / "real.csv").write_text("old\n")
    os.symlink("real.csv", tmp_path / "latest.csv")
    cli.ok("export", "transfers", "--out", str(tmp_path / "latest.csv"))
    assert (tmp_path / "latest.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text().startswith("transfer_id,")


# --- 5. the split export never waits for a writer -----------------------------------------------


def split_everything(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(export_halves, "SPLIT_FROM", 1)
    monkeypatch.setattr(export_halves, "SAMPLE", 1)
    split: list[str] = []
    in_halves = export_halves._in_halves
    monkeypatch.setattr(export_halves, "_in_halves",
                        lambda db, t, *args: split.append(t.name) or in_halves(db, t, *args))
    return split


class HeldWrite:
    """Another connection in the middle of a write transaction, holding the write lock."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.raw = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.raw.execute("BEGIN IMMEDIATE")
            self.raw.execute("UPDATE sources SET outlet = 'held' WHERE id = 1")
            self.engine = None
            return
        self.engine = create_engine(url)
        self.conn = self.engine.connect()
        self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
        self.conn.execute(text("UPDATE sources SET outlet = 'held' WHERE id = 1"))

    def release(self) -> None:
        if self.engine is None:
            self.raw.execute("ROLLBACK")
            self.raw.close()
        else:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()


def test_a_split_export_finishes_while_a_writer_holds_the_lock(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enter_history(cli)
    expected = cli.ok("export", "sources")
    split = split_everything(monkeypatch)
    out = tmp_path / "sources.csv"
    held = HeldWrite(cli.url)
    try:
        export = threading.Thread(target=cli.ok, args=("export", "sources", "--out", str(out)))
        export.start()
        export.join(timeout=40)  # the writer's busy timeout is 60 s: this is well before it
        finished = not export.is_alive()
    finally:
        held.release()
        export.join()
    assert finished and split == ["sources"]
    assert out.read_text(encoding="utf-8") == expected  # the held write is not in it


def test_both_halves_show_one_state_when_a_writer_commits_between_them(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source committed after the first half's read began (and before the second's) is in
    neither half: the second half reads what the first one would."""
    enter_history(cli)
    expected = cli.ok("export", "sources")
    split = split_everything(monkeypatch)
    begin_read = export_halves._begin_read

    writable = open_database(cli.url)  # the export's own database is opened read-only

    def then_commit(db, conn):  # type: ignore[no-untyped-def]
        snapshot = begin_read(db, conn)
        with writable.writer.begin() as other:
            other.execute(text(
                "INSERT INTO sources (url, version, outlet, published, text, text_hash, origin) "
                "VALUES ('https://late.example/', 1, 'Late', CAST('2025-03-01' AS DATE), 'Late.', "
                "'late', 'late')"))
        return snapshot

    monkeypatch.setattr(export_halves, "_begin_read", then_commit)
    out = tmp_path / "sources.csv"
    cli.ok("export", "sources", "--out", str(out))
    assert split == ["sources"]
    assert out.read_text(encoding="utf-8") == expected
    monkeypatch.setattr(export_halves, "_begin_read", begin_read)
    writable.dispose()
    assert "https://late.example/" in cli.ok("export", "sources")


def test_the_format_follows_the_file_name(cli: Cli, tmp_path: Path) -> None:
    """`--out t.parquet` wrote CSV into a file named .parquet; now the name decides unless
    --format is given, and a --format that contradicts the name is refused."""
    import pyarrow.parquet as pq

    enter_history(cli)
    cli.ok("export", "transfers", "--out", str(tmp_path / "t.parquet"))
    table = pq.read_table(tmp_path / "t.parquet")
    # nullable integers stay integers; an all-empty column keeps a type (was double / null)
    assert str(table.schema.field("count_high").type) == "int64"
    assert str(table.schema.field("count_best").type) == "int64"
    assert str(table.schema.field("mediator").type) == "string"
    assert str(table.schema.field("date").type) == "date32[day]"
    result = cli("export", "transfers", "--format", "csv", "--out", str(tmp_path / "x.parquet"))
    assert result.exit_code == 1 and not (tmp_path / "x.parquet").exists()
    assert result.output.startswith("Error: --format: csv asked, but x.parquet is named as parquet")
    cli.ok("export", "transfers", "--out", str(tmp_path / "t.tsv"))
    head, first = (tmp_path / "t.tsv").read_text().splitlines()[:2]
    assert head.split("\t")[:3] == ["transfer_id", "exchange_id", "date"]
    assert len(first.split("\t")) == len(head.split("\t"))
    lines = cli.ok("export", "transfers", "--format", "jsonl").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == table.num_rows and rows[0]["transfer_id"] == table.column(0)[0].as_py()
