"""`tracker db`: what it says and refuses (issue 16: a traceback for an unknown revision, a
silent `downgrade base`, "upgraded 0004 -> 0004", a hint naming a command that is not there)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def test_upgrade_says_what_it_did(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'n.db'}")
    assert cli.ok("db", "upgrade").startswith("created a new database at ")
    assert cli.ok("db", "upgrade").startswith("already at ")  # was "upgraded 0004 -> 0004"


def test_an_unknown_revision_is_one_error_line(cli: Cli) -> None:
    for command in ("upgrade", "downgrade"):
        result = cli("db", command, "9999")
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith("Error: REVISION: '9999' is not a revision of this "
                                        "version of tracker: one of base, 0001")


def test_downgrade_to_base_asks_first(cli: Cli) -> None:
    result = cli("db", "downgrade", "base")  # no terminal to ask in
    assert result.exit_code == 2 and "pass --yes" in result.output
    assert cli.ok("parties", "list", "--format", "csv").count("\n") > 5  # nothing removed
    assert cli.ok("db", "downgrade", "base", "--yes").endswith("-> base\n")
    # back up from base: the schema and the seed parties, so that import works at once
    assert "seed parties added" in cli.ok("db", "upgrade")
    assert "UKR,Ukraine" in cli.ok("parties", "list", "--format", "csv")
