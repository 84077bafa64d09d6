"""`tracker report provenance FIGURE`, on SQLite and PostgreSQL: the claims and sources behind
an exchange, a transfer, a tally and a balance row; text, csv and json; bad figures."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import Cli
from tests.reporting_data import enter_history

EXCHANGE_4 = """\
exchange:4
3 claims from 2 sources

transfer:7  transfer  2024-12-30  UKR -> RUS  pow  150
  claim 7 (accepted, manual): 150 exact
    "150 for 150, Russia says."
    Russian Defence Ministry; source 4: TASS, 2024-12-31, https://tass.example/dec

transfer:8  transfer  2024-12-30  RUS -> UKR  pow  189 (150–189)
  claim 8 (accepted, manual): 150 exact
    "150 for 150, Russia says."
    Russian Defence Ministry; source 4: TASS, 2024-12-31, https://tass.example/dec
  claim 9 (accepted, manual): 189 exact
    "189 came home."
    Ukrainian Coordination HQ; source 5: Ukrainska Pravda, 2024-12-31, https://pravda.example/dec
"""


def test_exchange_as_text(cli: Cli) -> None:
    enter_history(cli)
    assert cli.ok("report", "provenance", "exchange:4") == EXCHANGE_4


CAPTURE_4 = """\
capture:4
1 claim from 1 source

capture:4  tally  2024-10-18  RUS holds UKR  pow  8000 (7000–9000)
  claim 17 (accepted, manual): 8000 (7000–9000) about
    "about 8,000 held"
    Ombudsman; source 3: Kyiv Independent, 2024-10-19, https://kyivindependent.example/oct
"""


def test_capture_as_text(cli: Cli) -> None:
    enter_history(cli)
    assert cli.ok("report", "provenance", "capture:4") == CAPTURE_4


def test_transfer_as_csv(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "provenance", "transfer:8", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["claim_id"], r["count_best"], r["claimant"], r["outlet"], r["published"],
             r["source_url"], r["quote"]) for r in rows] == [
        ("8", "150", "Russian Defence Ministry", "TASS", "2024-12-31",
         "https://tass.example/dec", "150 for 150, Russia says."),
        ("9", "189", "Ukrainian Coordination HQ", "Ukrainska Pravda", "2024-12-31",
         "https://pravda.example/dec", "189 came home."),
    ]


def test_balance_row_lists_what_the_balance_counts(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "provenance", "balance:rus:pow:2024-10-31", "--format", "json")
    assert [(r["figure"], r["role"]) for r in json.loads(out)] == [
        ("capture:3", "captured (cumulative)"),
        ("transfer:2", "released"),
        ("transfer:1", "returned"),
        ("transfer:4", "released"),
        ("transfer:3", "returned"),
        ("transfer:6", "released"),
        ("capture:4", "reported holding"),
        ("transfer:5", "returned"),
    ]


def test_balance_row_text_starts_with_the_balance(cli: Cli) -> None:
    enter_history(cli)
    out = cli.ok("report", "provenance", "balance:UKR:pow:2025-02-06").splitlines()
    assert out[:3] == [
        "balance:UKR:pow:2025-02-06",
        "as of 2025-02-06: captured 909, released 613, returned 652 (613–652), held 296",
        "12 claims from 6 sources",
    ]
    # the larger cumulative tally is the base; the smaller one is not added to it
    assert "capture:2  captured (cumulative)" in "\n".join(out)
    assert "capture:1" not in "\n".join(out)


def test_rejected_claims_are_not_cited(cli: Cli) -> None:
    enter_history(cli)
    cli.ok("claims", "reject", "9")
    out = cli.ok("report", "provenance", "transfer:8", "--format", "csv")
    assert [line.split(",")[6] for line in out.splitlines()[1:]] == ["8"]


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ("transfer:99", "Error: no transfer 99"),
        ("exchange:x", "Error: FIGURE: 'exchange:x' is not exchange:ID (ID a number)"),
        ("claim:1", "Error: FIGURE: 'claim:1' is not one of exchange:ID, transfer:ID, "
                    "capture:ID or balance:PARTY:CATEGORY:DATE"),
        ("balance:UKR:pow", "Error: FIGURE: 'balance:UKR:pow' is not balance:PARTY:CATEGORY:DATE"),
        ("balance:XYZ:pow:2025-01-01",
         "Error: FIGURE: unknown party 'XYZ' (see `tracker parties list`)"),
        ("balance:UKR:tanks:2025-01-01",
         "Error: FIGURE: category 'tanks' is not one of pow, civilian, body, mixed"),
        ("balance:UKR:pow:2025-13-01",
         "Error: FIGURE date: '2025-13-01' is not a date (expected YYYY-MM-DD)"),
    ],
)
def test_bad_figures(cli: Cli, figure: str, message: str) -> None:
    enter_history(cli)
    result = cli("report", "provenance", figure)
    assert result.exit_code == 1
    assert result.output == message + "\n"
