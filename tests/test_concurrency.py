"""Imports that run at the same time, die half-way or are stopped lose nothing (real processes).

Each scenario ends with the state one clean import of the same files gives: the same sources,
claims, exchanges, transfers and tallies, whatever ran beside it or died in the middle.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli
from tracker.parties import read_seed_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

N_ARTICLES = 120


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("concurrency") / "articles"
    generate(folder, N_ARTICLES, seed=7)
    return folder


def halves(folder: Path) -> tuple[list[str], list[str]]:
    files = sorted(str(p) for p in folder.rglob("*.txt"))
    return files[::2], files[1::2]


def start_import(url: str, *paths: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "import", "--quiet", *paths],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, (out, err)
    assert "Traceback" not in err and "locked" not in err
    return out


SNAPSHOT = {
    "sources": "SELECT text_hash, url, version FROM sources",
    "claims": "SELECT s.text_hash, c.kind, pa.code, pb.code, c.category, c.count_best, c.date, "
              "c.span_start, c.status FROM claims c JOIN sources s ON s.id = c.source_id "
              "JOIN parties pa ON pa.id = c.party_a_id JOIN parties pb ON pb.id = c.party_b_id",
    "transfers": "SELECT date, date_precision, from_party, to_party, category, count_low, "
                 "count_best, count_high, status, source_count, mediator FROM v_transfers",
    "exchanges": "SELECT date, transfers, people_best, source_count FROM v_exchanges",
    "captures": "SELECT captor, captive, kind, count_best, as_of, source_count FROM v_captures",
    "parties": "SELECT code FROM parties",
}


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Everything an analyst sees, without row ids (which depend on the order of writes)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        shot = {name: sorted(tuple(str(v) for v in row) for row in conn.execute(text(sql)))
                for name, sql in SNAPSHOT.items()}
    engine.dispose()
    return shot


@pytest.fixture
def clean(articles: Path, engine: str, second_database: str) -> dict[str, list[tuple]]:
    """The state one clean, sequential import of the articles gives (on the same engine)."""
    finish(start_import(second_database, str(articles)))
    return snapshot(second_database)


def test_two_imports_of_the_same_files_at_once(engine: str, articles: Path, clean) -> None:
    first, second = start_import(engine, str(articles)), start_import(engine, str(articles))
    outs = [finish(first), finish(second)]
    imported = sum(int(out.split()[0]) for out in outs)
    assert imported == N_ARTICLES  # each text stored once; the loser counts it unchanged
    assert snapshot(engine) == clean


def test_two_imports_of_different_files_at_once(engine: str, articles: Path, clean) -> None:
    one, two = halves(articles)
    first, second = start_import(engine, *one), start_import(engine, *two)
    finish(first)
    finish(second)
    assert snapshot(engine) == clean


def claims_per_source(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.text_hash, COUNT(c.id) FROM sources s LEFT JOIN claims c "
            "ON c.source_id = s.id GROUP BY s.text_hash")).all()
    engine.dispose()
    return dict(rows)


def integrity(url: str) -> None:
    """SQLite's own checks; on both engines, every claim's source and fact exist."""
    engine = create_engine(url)
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        orphans = conn.execute(text(
            "SELECT COUNT(*) FROM claims c LEFT JOIN transfers t ON t.id = c.transfer_id "
            "LEFT JOIN capture_tallies ct ON ct.id = c.capture_id "
            "WHERE t.id IS NULL AND ct.id IS NULL")).scalar()
        assert orphans == 0
    engine.dispose()


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (its extraction workers), on Linux."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


@pytest.mark.parametrize("after", [0, 1, 40])
def test_sigkill_at_any_moment_then_import_again(
    engine: str, articles: Path, clean, after: int
) -> None:
    proc = start_import(engine, str(articles))
    while len(claims_per_source(engine)) < after and proc.poll() is None:
        time.sleep(0.01)
    workers = _children(proc.pid)
    proc.kill()  # SIGKILL once `after` sources are in: no clean-up of any kind
    proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # none left behind
    integrity(engine)
    partial, full = claims_per_source(engine), dict(
        (row[0], sum(1 for c in clean["claims"] if c[0] == row[0])) for row in clean["sources"])
    assert {h: n for h, n in partial.items()} == {h: full[h] for h in partial}  # whole sources
    finish(start_import(engine, str(articles)))
    assert snapshot(engine) == clean


def test_ctrl_c_rolls_back_the_current_source_and_exits_130(engine: str, articles: Path) -> None:
    proc = start_import(engine, str(articles))
    while not claims_per_source(engine) and proc.poll() is None:
        time.sleep(0.02)  # Ctrl-C once the import is writing
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert out.startswith("interrupted: ")
    imported = int(out.split()[1])
    stored = claims_per_source(engine)
    assert len(stored) == imported
    assert f"{sum(stored.values())} claims found" in out
    integrity(engine)


def test_reports_and_exports_during_an_import_see_whole_sources(
    engine: str, articles: Path, clean
) -> None:
    full = {h: sum(1 for c in clean["claims"] if c[0] == h) for (h, *_rest) in clean["sources"]}
    proc = start_import(engine, str(articles))
    seen = []
    while proc.poll() is None:
        cli = Cli(engine)
        assert cli("report", "balance", "--format", "csv").exit_code == 0
        seen.append(claims_per_source(engine))
        time.sleep(0.1)
    finish(proc)
    assert seen, "the import ended before any read"
    for shot in seen:
        assert shot == {h: full[h] for h in shot}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_imports_create_one_new_database(
    kind: str, articles: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Both find no schema: one builds it and loads the seed parties, the other waits for it."""
    from tests.conftest import pg_schema

    one, two = halves(articles)
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'new.db'}"
        run_pair(url, one, two)
        return
    with pg_schema(request.getfixturevalue("pg_admin")) as url:
        run_pair(url, one, two)


def run_pair(url: str, one: list[str], two: list[str]) -> None:
    first, second = start_import(url, *one), start_import(url, *two)
    finish(first)
    finish(second)
    shot = snapshot(url)
    assert len(shot["parties"]) == len(set(shot["parties"])) == len(read_seed_file())
    assert len(shot["sources"]) == N_ARTICLES
