"""The core commands end to end, on SQLite and PostgreSQL: manual entry, balances, exports."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_ARTICLE, Cli


def enter_sample(cli: Cli) -> None:
    """The sample article's figures, entered by hand."""
    cli.ok(
        "add",
        "source",
        "--url",
        "https://example.org/kursk",
        "--outlet",
        "AFP",
        "--published",
        "2025-02-06",
        "--text",
        str(SEED_ARTICLE),
    )
    cli.ok(
        "add",
        "exchange",
        "--date",
        "2025-02-05",
        "-t",
        "UKR:RUS:150",
        "-t",
        "RUS:UKR:150:pow",
        "--claimant",
        "Ukrainian military",
        "--source",
        "https://example.org/kursk",
    )
    cli.ok(
        "add",
        "capture",
        "--captor",
        "UKR",
        "--captive",
        "RUS",
        "--count",
        "909",
        "--kind",
        "cumulative",
        "--period-start",
        "2024-08-06",
        "--as-of",
        "2025-02-06",
        "--region",
        "Kursk",
        "--source",
        "1",
    )


BALANCE_TABLE = """\
party  category  date        captured  released  returned  held  held_basis  held_anchor_as_of  held_anchor_days  reported_holding  reported_holding_as_of  held_minus_reported
-----  --------  ----------  --------  --------  --------  ----  ----------  -----------------  ----------------  ----------------  ----------------------  -------------------
RUS    pow       2025-02-05                 150       150        no_tally
UKR    pow       2025-02-06       909       150       150   759  cumulative  2025-02-06                        0
"""


def test_manual_entry_comes_out_of_the_balance(cli: Cli) -> None:
    enter_sample(cli)
    assert cli.ok("report", "balance") == BALANCE_TABLE


def test_balance_by_day_csv(cli: Cli) -> None:
    enter_sample(cli)
    out = cli.ok("report", "balance", "--by", "day", "--format", "csv").splitlines()
    assert out[1:] == [
        "RUS,pow,2025-02-05,,,,150,150,150,150,150,150,,,,no_tally,,,,,,,",
        "UKR,pow,2025-02-05,,,,150,150,150,150,150,150,,,,no_tally,,,,,,,",
        "UKR,pow,2025-02-06,909,909,909,150,150,150,150,150,150,759,759,759,cumulative,2025-02-06,0,,,,,",
    ]


def test_balance_as_of_a_date(cli: Cli) -> None:
    enter_sample(cli)
    out = cli.ok("report", "balance", "--as-of", "2025-02-05", "--party", "ukr", "--format", "json")
    rows = json.loads(out)
    assert [(r["party"], r["date"], r["captured_best"], r["held_best"]) for r in rows] == [
        ("UKR", "2025-02-05", None, None)
    ]


def test_sql_sees_the_same_balance(cli: Cli) -> None:
    enter_sample(cli)
    out = cli.ok(
        "sql",
        "SELECT party, date, captured_best, released_best, held_best FROM v_balance "
        "ORDER BY party, date",
        "--format",
        "csv",
    )
    assert out.splitlines() == [
        "party,date,captured_best,released_best,held_best",
        "RUS,2025-02-05,,150,",
        "UKR,2025-02-05,,150,",
        "UKR,2025-02-06,909,150,759",
    ]


TRANSFERS_CSV = """\
transfer_id,exchange_id,date,date_precision,from_party,to_party,category,count_low,count_best,count_high,qualifier,mediator,source_count,source_urls,status
1,1,2025-02-05,day,UKR,RUS,pow,150,150,150,exact,,1,https://example.org/kursk,accepted
2,1,2025-02-05,day,RUS,UKR,pow,150,150,150,exact,,1,https://example.org/kursk,accepted
"""


def test_export_transfers_csv(cli: Cli) -> None:
    enter_sample(cli)
    assert cli.ok("export", "transfers") == TRANSFERS_CSV


@pytest.mark.parametrize(
    "table", ["sources", "claims", "exchanges", "transfers", "captures", "balance"]
)
def test_export_every_table_as_json(cli: Cli, table: str) -> None:
    enter_sample(cli)
    rows = json.loads(cli.ok("export", table, "--format", "json"))
    assert rows, table


def test_export_captures_columns(cli: Cli) -> None:
    enter_sample(cli)
    [row] = json.loads(cli.ok("export", "captures", "--format", "json"))
    assert {
        k: row[k]
        for k in (
            "captor",
            "captive",
            "category",
            "kind",
            "count_low",
            "count_best",
            "count_high",
            "qualifier",
            "period_start",
            "as_of",
            "region",
            "source_url",
        )
    } == {
        "captor": "UKR",
        "captive": "RUS",
        "category": "pow",
        "kind": "cumulative",
        "count_low": 909,
        "count_best": 909,
        "count_high": 909,
        "qualifier": "exact",
        "period_start": "2024-08-06",
        "as_of": "2025-02-06",
        "region": "Kursk",
        "source_url": "https://example.org/kursk",
    }


def test_export_parquet_and_xlsx(cli: Cli, tmp_path) -> None:
    import openpyxl
    import pandas as pd

    enter_sample(cli)
    cli.ok("export", "transfers", "--format", "parquet", "--out", str(tmp_path / "t.parquet"))
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert list(frame["count_best"]) == [150, 150]
    assert str(frame["date"][0]) == "2025-02-05"
    cli.ok("export", "captures", "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    header = [c.value for c in sheet[1]]
    as_of = sheet.cell(row=2, column=header.index("as_of") + 1).value
    assert as_of.date().isoformat() == "2025-02-06"


def test_report_exchanges(cli: Cli) -> None:
    enter_sample(cli)
    out = cli.ok("report", "exchanges", "--format", "csv").splitlines()
    assert out == [
        "exchange_id,date,date_precision,date_inferred,mediator,transfers,people_best,source_count,status",
        "1,2025-02-05,day,0,,RUS->UKR:150:pow UKR->RUS:150:pow,300,1,accepted",
    ]


def test_second_report_of_an_exchange_merges(cli: Cli) -> None:
    enter_sample(cli)
    cli.ok(
        "add",
        "source",
        "--url",
        "https://example.org/other",
        "--published",
        "2025-02-05",
        "--text",
        "-",
        input="Russia and Ukraine swapped prisoners today.",
    )
    cli.ok(
        "add",
        "exchange",
        "--date",
        "2025-02-05",
        "-t",
        "RUS:UKR:189",
        "--mediator",
        "UAE",
        "--source",
        "2",
    )
    out = cli.ok("export", "transfers", "--format", "csv").splitlines()
    assert out[1:] == [
        "1,1,2025-02-05,day,UKR,RUS,pow,150,150,150,exact,ARE,1,https://example.org/kursk,accepted",
        "2,1,2025-02-05,day,RUS,UKR,pow,150,189,189,exact,ARE,2,https://example.org/kursk https://example.org/other,accepted",
    ]


def test_claims_review_changes_the_figures(cli: Cli) -> None:
    enter_sample(cli)
    assert "3 claims" not in cli.ok("claims", "list")
    cli.ok("claims", "edit", "2", "--count", "151", "--note", "typo in entry")
    assert "151" in cli.ok("export", "transfers")
    cli.ok("claims", "reject", "1", "2")
    assert cli.ok("export", "transfers").count("\n") == 1  # header only
    shown = cli.ok("claims", "show", "3")
    assert "kind: cumulative" in shown and "status: accepted" in shown


def test_parties_add_and_alias(cli: Cli) -> None:
    cli.ok("parties", "add", "GEO", "Georgia", "--alias", "Georgian")
    cli.ok("parties", "alias", "geo", "Tbilisi")
    out = cli.ok("parties", "list", "--format", "csv")
    assert "GEO,Georgia,belligerent,Georgia | Georgian | Tbilisi" in out.splitlines()
    result = cli("parties", "alias", "GEO", "Georgian")
    assert result.exit_code == 1 and "'Georgian' already names GEO (this party)" in result.output


BAD_INPUTS = [
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "XYZ",
            "--count",
            "5",
            "--as-of",
            "2025-01-01",
            "--source",
            "1",
        ],
        "Error: --captive: unknown party 'XYZ' (see `tracker parties list`)",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "-5",
            "--as-of",
            "2025-01-01",
            "--source",
            "1",
        ],
        "Error: --count: -5 is negative: counts are never below 0",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "ten",
            "--as-of",
            "2025-01-01",
            "--source",
            "1",
        ],
        "Error: --count: 'ten' is not a whole number",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "5",
            "--count-low",
            "6",
            "--as-of",
            "2025-01-01",
            "--source",
            "1",
        ],
        "Error: --count-low: low 6 is greater than best 5",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "5",
            "--as-of",
            "2025-02-30",
            "--source",
            "1",
        ],
        "Error: --as-of: '2025-02-30' is not a real date (day is out of range for month)",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "5",
            "--as-of",
            "2999-01-01",
            "--source",
            "1",
        ],
        "Error: --as-of: 2999-01-01 is in the future",
    ),
    (
        [
            "add",
            "capture",
            "--captor",
            "UKR",
            "--captive",
            "RUS",
            "--count",
            "5",
            "--as-of",
            "2025-01-01",
            "--source",
            "99",
        ],
        "Error: --source: no source '99' (add it with `tracker add source`)",
    ),
    (
        ["add", "exchange", "--date", "2025-01-01", "-t", "UKR:RUS:x", "--source", "1"],
        "Error: --transfer count: 'x' is not a whole number",
    ),
    (
        ["add", "exchange", "--date", "2025-01-01", "-t", "UKR:RUS", "--source", "1"],
        "Error: --transfer: 'UKR:RUS' is not FROM:TO:COUNT[:CATEGORY]",
    ),
    (
        ["add", "exchange", "--date", "2025-01-01", "-t", "UKR:RUS:5:tanks", "--source", "1"],
        "Error: --transfer: category 'tanks' is not one of pow, civilian, body, mixed",
    ),
    (
        ["add", "source", "--published", "1900-01-01", "--text", "-"],
        "Error: --published: 1900-01-01 is before 1901-01-01",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, args: list[str], message: str) -> None:
    enter_sample(cli)
    before = cli.ok("export", "claims", "--format", "csv")
    result = cli(*args, input="some text")
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert cli.ok("export", "claims", "--format", "csv") == before


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM sources",
        "DROP TABLE claims",
        "INSERT INTO parties (code, name, role) VALUES ('X', 'X', 'mediator')",
        "UPDATE claims SET count_best = 0",
        "CREATE TABLE t (a int)",
    ],
)
def test_sql_is_read_only(cli: Cli, query: str) -> None:
    enter_sample(cli)
    result = cli("sql", query)
    assert result.exit_code == 1
    assert result.output.startswith("Error: refused: tracker sql is read-only")
    assert cli.ok("sql", "SELECT COUNT(*) AS n FROM claims", "--format", "csv") == "n\n3\n"


def test_sql_refuses_a_second_statement(cli: Cli) -> None:
    enter_sample(cli)
    result = cli("sql", "SELECT 1; DELETE FROM claims")
    assert result.exit_code == 1 and result.output.startswith("Error: SQL error:")
    assert cli.ok("sql", "SELECT COUNT(*) AS n FROM claims", "--format", "csv") == "n\n3\n"


def test_parties_can_be_corrected(cli: Cli) -> None:
    result = cli("parties", "add", "geo2", "Georgia")
    assert result.exit_code == 1
    assert result.output == ("Error: CODE: 'GEO2' is not an ISO 3166-1 alpha-3 code "
                             "(three letters, e.g. GEO)\n")
    cli.ok("parties", "add", "ISR", "Israel", "--alias", "Israel", "--alias", "Israeli")
    assert "ISR,Israel,belligerent,Israel | Israeli" in cli.ok(
        "parties", "list", "--format", "csv").splitlines()
    result = cli("parties", "alias", "ISR", "kyiv")  # any case: the lexicon reads it so
    assert result.exit_code == 1 and "'kyiv' already names UKR" in result.output
    assert cli.ok("parties", "unalias", "Israel", "Israeli") == "'Israeli' no longer names ISR\n"
    assert cli("parties", "unalias", "ISR", "Kyiv").exit_code == 1  # not one of its names
    assert cli.ok("parties", "rename", "ISR", "State of Israel").startswith("ISR is now named")
    assert "ISR,State of Israel,belligerent,Israel" in cli.ok(
        "parties", "list", "--format", "csv").splitlines()
