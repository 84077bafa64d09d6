"""Fixtures: a fresh database on each engine, and a CLI runner bound to it.

Tests marked with the ``engine`` fixture run once on SQLite and once on PostgreSQL. PostgreSQL
comes from TRACKER_TEST_POSTGRES_URL (default: the local ``test`` database); each test gets a
schema of its own, dropped afterwards. Without PostgreSQL those runs are skipped, except under
CI (CI=true), where a missing PostgreSQL is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from tracker.cli import main
from tracker.db import open_database

PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return str(exc).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[str]:
    problem = _pg_available()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {problem}")
        pytest.skip(f"PostgreSQL not available: {problem}")
    yield PG_URL


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded SQLite file; each test gets a copy (fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


def pg_schema_url(admin_url: str, schema: str) -> str:
    sep = "&" if "?" in admin_url else "?"
    return f"{admin_url}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(admin_url: str) -> Iterator[str]:
    """A schema of its own in the test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(admin_url, schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def pg_url(pg_admin: str) -> Iterator[str]:
    with pg_schema(pg_admin) as url:
        yield url


@pytest.fixture
def second_database(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another fresh database on the same engine as ``engine`` (to compare two runs)."""
    if engine.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'second.db'}"
        open_database(url).dispose()
        yield url
        return
    with pg_schema(request.getfixturevalue("pg_admin")) as url:
        open_database(url).dispose()
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "tracker.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    """The database URL of a fresh, migrated, seeded database, on each engine in turn."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    open_database(url).dispose()
    return url


@dataclass
class Cli:
    """Runs ``tracker --db URL ...`` in-process."""

    url: str

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["--db", self.url, *args], input=input)

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output


@pytest.fixture
def cli(engine: str) -> Cli:
    return Cli(engine)


SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "000_72abcde973f23b3d.txt"


@contextmanager
def fifo_released(fifo: Path, every: float = 5.0) -> Iterator[None]:
    """A reader blocked on ``fifo`` gets end-of-file every ``every`` seconds, so that a test of
    code that must never open a FIFO fails instead of hanging the suite."""
    done = threading.Event()

    def release() -> None:
        while not done.wait(every):
            with suppress(OSError):  # ENXIO: no reader waiting
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
