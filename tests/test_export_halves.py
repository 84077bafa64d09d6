"""Large CSV exports are written in two halves by two processes: the same bytes as one pass."""

from __future__ import annotations

import multiprocessing
import signal
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reporting_data import enter_history
from tracker import export_halves

TABLES = ("transfers", "claims", "exchanges", "captures", "sources")


def test_two_halves_are_the_whole_table_in_order(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enter_history(cli)
    whole = {(name, flag): cli.ok("export", name, *flag)
             for name in TABLES for flag in ((), ("--reviewed-only",))}
    split = []
    monkeypatch.setattr(export_halves, "SPLIT_FROM", 1)  # split every table, sample every row
    monkeypatch.setattr(export_halves, "SAMPLE", 1)
    in_halves = export_halves._in_halves
    monkeypatch.setattr(export_halves, "_in_halves",
                        lambda db, t, *args: split.append(t.name) or in_halves(db, t, *args))
    for (name, flag), expected in whole.items():
        assert cli.ok("export", name, *flag) == expected  # to stdout
        out = tmp_path / f"{name}.csv"
        cli.ok("export", name, *flag, "--out", str(out))
        assert out.read_text(encoding="utf-8") == expected
    assert {name for name in split} == {"transfers", "claims", "exchanges", "captures",
                                        "sources"}
    assert not list(tmp_path.glob(".*.tmp-*"))  # the temporary files are gone
    # the write lock (SQLite) is let go: a writer goes on at once
    cli.ok("add", "source", "--url", "https://example.org/after", "--published", "2025-03-01",
           "--text", "-", input="Text.")


def test_a_failed_second_half_is_reported_not_hidden(tmp_path: Path) -> None:
    receive, send = multiprocessing.Pipe(duplex=False)
    previous = signal.getsignal(signal.SIGINT)
    try:
        export_halves._second_half(f"sqlite:///{tmp_path}/missing/x.db", "SELECT 1", {}, None,
                                   str(tmp_path / "part.csv"), send)
    finally:
        signal.signal(signal.SIGINT, previous)
    kind, message, _ = receive.recv()
    assert kind == "failed" and "does not exist" in message
