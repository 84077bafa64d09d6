"""Doubtful claims, end to end on SQLite and PostgreSQL: a figure extraction cannot settle is
stored with its reason, listed for review, and counted in no export, view or balance until a
person accepts it; a settled report of the same transfer makes it count."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli

ARTICLE = """url: https://example.org/doubtful
published: 2025-06-06
title: Swap done, more to come
outlet: Example Wire

On Thursday, Russia and Ukraine each released 84 prisoners of war.

Since the full-scale invasion began, Kyiv has brought 5,100 people back from captivity.

The two sides are due to exchange another 300 prisoners each next week.
"""

LATER = """url: https://example.org/confirmed
published: 2025-06-14
title: The second stage
outlet: Example Wire

On Friday, Russia handed over 300 Ukrainian prisoners of war, the ministry said.
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_doubtful_figures_are_listed_and_counted_nowhere(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", _write(tmp_path, "a.txt", ARTICLE))
    listed = json.loads(cli.ok("claims", "list", "--doubtful", "--format", "json"))
    reasons = sorted((c["count_best"], c["doubt"].split(":")[0]) for c in listed)
    assert reasons == [(300, "not done"), (300, "not done"), (5100, "may be a running total")]
    assert {c["status"] for c in listed} == {"doubtful"}
    transfers = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted(t["count_best"] for t in transfers) == [84, 84]
    balance = json.loads(cli.ok("report", "balance", "--format", "json", "--party", "UKR"))
    assert max(r["returned_best"] for r in balance) == 84
    view = json.loads(cli.ok("sql", "SELECT SUM(count_best) AS n FROM v_transfers",
                             "--format", "json"))
    assert view == [{"n": 168}]


def test_accepting_a_doubtful_claim_counts_it(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", _write(tmp_path, "a.txt", ARTICLE))
    listed = json.loads(cli.ok("claims", "list", "--doubtful", "--format", "json"))
    total = next(c["claim_id"] for c in listed if c["count_best"] == 5100)
    cli.ok("claims", "accept", str(total))
    transfers = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted(t["count_best"] for t in transfers) == [84, 84, 5100]


def test_a_settled_report_of_a_doubtful_transfer_makes_it_count(cli: Cli, tmp_path: Path) -> None:
    planned = ARTICLE.replace("next week", "on Friday 13 June").replace(
        "published: 2025-06-06", "published: 2025-06-13")
    cli.ok("import", _write(tmp_path, "a.txt", planned), _write(tmp_path, "b.txt", LATER))
    transfers = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted((t["to_party"], t["count_best"]) for t in transfers) == [
        ("RUS", 84), ("UKR", 84), ("UKR", 300)]


def test_doubtful_and_status_options_must_agree(cli: Cli) -> None:
    result = cli("claims", "list", "--doubtful", "--status", "pending")
    assert result.exit_code == 2 and "--doubtful and --status differ" in result.output
