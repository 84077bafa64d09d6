"""`tracker report conflicts` and `tracker report sources`, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.conftest import Cli
from tests.reporting_data import enter_history

CONFLICTS = """\
figure,date,party_a,party_b,category,spread_low,spread_best,spread_high,claim_id,count_low,count_best,count_high,qualifier,claimant,outlet,published,source_url,status
transfer:8,2024-12-30,RUS,UKR,pow,150,189,189,8,150,150,150,exact,Russian Defence Ministry,TASS,2024-12-31,https://tass.example/dec,accepted
transfer:8,2024-12-30,RUS,UKR,pow,150,189,189,9,189,189,189,exact,Ukrainian Coordination HQ,Ukrainska Pravda,2024-12-31,https://pravda.example/dec,accepted
capture:2,2025-02-06,UKR,RUS,pow,900,909,,18,900,900,,more_than,Syrskyi,Kyiv Post,2025-02-06,https://kyiv.example/feb,accepted
capture:2,2025-02-06,UKR,RUS,pow,900,909,,15,909,909,909,exact,Ukrainian military,AFP,2025-02-06,https://example.org/kursk,accepted
"""


def add_second_tally(cli: Cli) -> None:
    cli.ok("add", "source", "--url", "https://kyiv.example/feb", "--outlet", "Kyiv Post",
           "--published", "2025-02-06", "--text", "-", input="More than 900 captured.")
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "900",
           "--qualifier", "more_than", "--kind", "cumulative", "--period-start", "2024-08-06",
           "--as-of", "2025-02-06", "--source", "7", "--claimant", "Syrskyi",
           "--quote", "more than 900")


def test_conflicts_side_by_side(cli: Cli) -> None:
    enter_history(cli)
    add_second_tally(cli)
    assert cli.ok("report", "conflicts", "--format", "csv") == CONFLICTS


def test_no_conflict_once_one_side_is_rejected(cli: Cli) -> None:
    enter_history(cli)
    cli.ok("claims", "reject", "9")
    assert cli.ok("report", "conflicts", "--format", "csv").count("\n") == 1  # header only


SOURCES = """\
outlet            sources  claims  accepted  rejected  pending  first_published  last_published
----------------  -------  ------  --------  --------  -------  ---------------  --------------
AFP                     2       6         5         1        0  2024-08-25       2025-02-06
Kyiv Independent        1       5         4         0        1  2024-10-19       2024-10-19
TASS                    1       3         3         0        0  2024-12-31       2024-12-31
Reuters                 1       2         2         0        0  2024-09-15       2024-09-15
Ukrainska Pravda        1       1         1         0        0  2024-12-31       2024-12-31
(no outlet)             1       0         0         0        0  2025-01-10       2025-01-10
"""


def test_sources_per_outlet(cli: Cli) -> None:
    enter_history(cli)
    cli.ok("add", "source", "--published", "2025-01-10", "--text", "-", input="No figures.")
    cli.ok("claims", "reject", "1")
    # Manual entries are accepted; set one claim back to pending directly, as extraction would.
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE claims SET status = 'pending' WHERE id = 12"))
    engine.dispose()
    assert cli.ok("report", "sources") == SOURCES


def test_report_list_names_every_report(cli: Cli) -> None:
    out = cli.ok("report", "list", "--format", "csv").splitlines()
    assert [line.split(",")[0] for line in out[1:]] == [
        "provenance-exchange", "provenance-transfer", "provenance-capture",
        "provenance-balance", "conflicts", "sources",
    ]
