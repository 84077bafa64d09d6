"""What only SQLite has: files, pragmas, ATTACH; and the database-selection rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Cli
from tracker.cli import main
from tracker.db import open_database


@pytest.mark.parametrize(
    "query",
    [
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = delete",
        "ATTACH DATABASE 'other.db' AS other",
    ],
)
def test_sqlite_pragma_and_attach_writes_are_refused(
    sqlite_url: str, query: str, tmp_path: Path
) -> None:
    result = Cli(sqlite_url)("sql", query)
    assert result.exit_code == 1 and "read-only" in result.output
    assert not (tmp_path / "other.db").exists()


def test_default_database_is_a_file_in_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tracker.db").is_file()
    result = CliRunner().invoke(main, ["parties", "list", "--format", "csv"])
    assert result.exit_code == 0 and "UKR,Ukraine" in result.output


def test_a_command_that_reads_never_creates_a_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    for command in (["parties", "list"], ["report", "balance"], ["sql", "SELECT 1"],
                    ["claims", "list"], ["export", "transfers"]):
        result = CliRunner().invoke(main, ["--db", "sqlite:///typo.db", *command])
        assert result.exit_code == 1, command
        assert result.output.startswith("Error: no database at typo.db"), result.output
    assert list(tmp_path.iterdir()) == []


def test_environment_variable_names_the_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert CliRunner().invoke(main, ["db", "current"]).exit_code == 0
    assert (tmp_path / "env.db").is_file()


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 20)
    result = Cli(f"sqlite:///{bogus}")("report", "balance")
    assert result.exit_code == 1
    assert result.output == f"Error: {bogus} is not a SQLite database\n"


def test_malformed_url() -> None:
    result = Cli("nonsense:/::")("report", "balance")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "URL" in result.output


def test_database_behind_head_is_not_changed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = open_database(url)
    db.downgrade("0001")
    db.dispose()
    result = Cli(url)("report", "balance")
    assert result.exit_code == 1
    assert "run `tracker db upgrade`" in result.output
    assert Cli(url).ok("db", "upgrade").startswith("upgraded 0001 ->")
    assert Cli(url).ok("report", "balance", "--format", "csv").startswith("party,")


def test_version_and_python_m() -> None:
    from tracker import __version__

    assert CliRunner().invoke(main, ["--version"]).output == f"tracker, version {__version__}\n"
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "Example:" in done.stdout


def _commands(group, prefix=()):
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(main)], ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, path
