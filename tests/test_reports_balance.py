"""`tracker report balance` over time, on SQLite and PostgreSQL: by month (every month carried
forward), by exchange, date windows, and an unknown party."""

from __future__ import annotations

import datetime as dt

from tests.conftest import Cli
from tests.reporting_data import enter_history

UKR_BY_MONTH = """\
month    party  category  date        captured  released  returned       held  held_basis  held_anchor_as_of  held_anchor_days  reported_holding  reported_holding_as_of  held_minus_reported
-------  -----  --------  ----------  --------  --------  -------------  ----  ----------  -----------------  ----------------  ----------------  ----------------------  -------------------
2024-08  UKR    pow       2024-08-24                 115  115                  no_tally
2024-09  UKR    pow       2024-09-14                 218  218                  no_tally
2024-10  UKR    pow       2024-10-18                 313  313                  no_tally
2024-11  UKR    pow       2024-10-18                 313  313                  no_tally
2024-12  UKR    pow       2024-12-31  ≥700           463  502 (463–502)  ≥237  cumulative  2024-12-31                        0
2025-01  UKR    pow       2024-12-31  ≥700           463  502 (463–502)  ≥237  cumulative  2024-12-31                        0
2025-02  UKR    pow       2025-02-06  909            613  652 (613–652)  296   cumulative  2025-02-06                        0
"""


def test_by_month_shows_every_month_carrying_the_balance_forward(cli: Cli) -> None:
    enter_history(cli)
    assert cli.ok("report", "balance", "--by", "month", "--party", "UKR",
                  "--category", "pow") == UKR_BY_MONTH


def test_by_month_window_runs_to_the_month_of_to(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "balance", "--by", "month", "--party", "rus", "--category", "pow",
                 "--from", "2024-12-01", "--to", "2025-03-31", "--format", "csv")
    rows = [line.split(",")[:4] + line.split(",")[13:17] for line in out.splitlines()[1:]]
    # held carries the 8000 (7000-9000) holding of 2024-10-18 forward with the later releases
    assert rows == [
        ["2024-12", "RUS", "pow", "2024-12-30", "6811", "7811", "8850", "holding"],
        ["2025-01", "RUS", "pow", "2024-12-30", "6811", "7811", "8850", "holding"],
        ["2025-02", "RUS", "pow", "2025-02-05", "6661", "7661", "8700", "holding"],
        ["2025-03", "RUS", "pow", "2025-02-05", "6661", "7661", "8700", "holding"],
    ]


def test_by_month_to_cuts_the_balance(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "balance", "--by", "month", "--party", "UKR", "--category", "pow",
                 "--to", "2024-10-31", "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == [
        "2024-08", "2024-09", "2024-10"
    ]


BY_EXCHANGE = """\
party  category  date        captured  released  returned       held  held_basis  held_anchor_as_of  held_anchor_days  reported_holding  reported_holding_as_of  held_minus_reported  transfers_that_day
-----  --------  ----------  --------  --------  -------------  ----  ----------  -----------------  ----------------  ----------------  ----------------------  -------------------  ------------------
UKR    pow       2024-12-30                 463  502 (463–502)        no_tally                                                                                                                         2
UKR    pow       2025-02-05  ≥700           613  652 (613–652)  ≥87   cumulative  2024-12-31                       36                                                                                  2
"""


def test_by_exchange(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "balance", "--by", "exchange", "--party", "UKR", "--category", "pow",
                 "--from", "2024-12-01")
    assert out == BY_EXCHANGE


def test_a_rejected_tally_no_longer_counts(cli: Cli) -> None:
    enter_history(cli)
    cli.ok("claims", "reject", "14")  # "more than 700"
    out = cli.ok("report", "balance", "--party", "UKR", "--category", "pow", "--as-of",
                 "2025-01-31", "--reviewed-only", "--format", "csv")
    assert out.splitlines()[1].startswith("UKR,pow,2024-12-30,,,,463,463,463,")


def test_unknown_party_is_an_error(cli: Cli) -> None:
    result = cli("report", "balance", "--party", "XYZ")
    assert result.exit_code == 1
    assert result.output == "Error: --party: unknown party 'XYZ' (see `tracker parties list`)\n"


def test_a_party_is_named_as_everywhere_else(cli: Cli, tmp_path) -> None:
    """`add capture --captor Ukraine` worked and `report balance --party Ukraine` did not: one
    resolver (code, name or alias, any case) serves every command."""
    enter_history(cli)
    by_code = cli.ok("report", "balance", "--party", "UKR", "--format", "csv")
    for ref in ("Ukraine", "ukraine", "Kyiv", "ukr"):
        assert cli.ok("report", "balance", "--party", ref, "--format", "csv") == by_code
    cli.ok("plot", "balance", "--party", "Ukraine", "--out", str(tmp_path / "b.png"))
    cli.ok("plot", "exchanges", "--party", "Russia", "--out", str(tmp_path / "e.png"))
    day = by_code.splitlines()[1].split(",")[2]
    assert (cli.ok("report", "provenance", f"balance:Ukraine:pow:{day}")
            == cli.ok("report", "provenance", f"balance:UKR:pow:{day}"))
    result = cli("report", "balance", "--party", "Atlantis")
    assert result.output == "Error: --party: unknown party 'Atlantis' (see `tracker parties list`)\n"


def test_a_window_may_end_after_today_and_needs_by(cli: Cli) -> None:
    """`--as-of 2026-12-31` (a year-end view) was refused as in the future; `--from` without
    `--by` dropped whole rows without a word."""
    enter_history(cli)
    year_end = f"{dt.date.today().year}-12-31"
    assert cli.ok("report", "balance", "--as-of", year_end, "--format", "csv") == cli.ok(
        "report", "balance", "--format", "csv")
    result = cli("report", "balance", "--from", "2024-12-01")
    assert result.exit_code == 2 and "give --by day, month or exchange" in result.output
    assert cli.ok("report", "balance", "--category", "POW", "--format", "csv") == cli.ok(
        "report", "balance", "--category", "pow", "--format", "csv")
    result = cli("report", "balance", "--party", "UKR", "--category", "civilian")
    assert result.exit_code == 0 and "no balance rows: nothing counted matches" in result.output
