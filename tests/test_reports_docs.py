"""The example queries of the README run as written on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Cli
from tests.reporting_data import enter_history

DOC = Path(__file__).resolve().parent.parent / "README.md"


def queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def run(cli: Cli, sql: str) -> list[str]:
    return cli.ok("sql", sql.strip().rstrip(";"), "--format", "csv").splitlines()


def test_the_doc_has_three_queries() -> None:
    assert len(queries()) == 3


def test_balance_at_a_date(cli: Cli) -> None:
    enter_history(cli)
    assert run(cli, queries()[0]) == [
        "party,category,date,captured_best,released_best,returned_best,held_low,held_best,"
        "held_high,reported_holding_best",
        "RUS,body,2024-11-15,,563,37,,,,",
        "RUS,pow,2024-12-30,6000,502,463,6811,7811,8850,8000",
        "UKR,body,2024-11-15,,37,563,,,,",
        "UKR,pow,2024-12-31,700,463,502,237,237,,",
    ]


def test_exchanges_per_month(cli: Cli) -> None:
    enter_history(cli)
    assert run(cli, queries()[1]) == [
        "month,exchanges,people_best",
        "2024-08,1,230",
        "2024-09,1,206",
        "2024-10,1,190",
        "2024-11,1,600",
        "2024-12,1,339",
        "2025-02,1,300",
    ]


def test_figures_with_fewer_than_two_sources(cli: Cli) -> None:
    enter_history(cli)
    out = run(cli, queries()[2])
    figures = [line.split(",")[0] for line in out[1:]]
    assert "transfer:8" not in figures  # TASS and Ukrainska Pravda
    assert figures[:3] == ["capture:3", "transfer:1", "transfer:2"]
    assert len(figures) == 15
