"""`tracker sql` as sqlite-utils users expect it: the query from an argument, a file or standard
input, :name parameters bound by the driver, the columns the query named in every format; and
`tracker tables`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.test_cli_core import enter_sample


def test_columns_come_back_as_selected(cli: Cli) -> None:
    enter_sample(cli)
    out = cli.ok("sql", "SELECT count_low, count_best, count_high FROM transfers ORDER BY id")
    assert out.splitlines()[0].split() == ["count_low", "count_best", "count_high"]  # not "count"


def test_query_from_stdin_a_file_or_the_argument(cli: Cli, tmp_path: Path) -> None:
    enter_sample(cli)
    query = "SELECT COUNT(*) AS n FROM transfers"
    (tmp_path / "q.sql").write_text(query + "\n")
    for args, given in ((["sql", query], None), (["sql", "-"], query),
                        (["sql", "--file", str(tmp_path / "q.sql")], None)):
        assert json.loads(cli.ok(*args, "--format", "json", input=given)) == [{"n": 2}]
    result = cli("sql")
    assert result.exit_code == 2 and "standard input" in result.output


def test_parameters_are_bound_never_pasted(cli: Cli) -> None:
    enter_sample(cli)
    query = "SELECT COUNT(*) AS n FROM v_transfers WHERE from_party = :party AND count_best >= :n"
    got = cli.ok("sql", query, "-p", "party=RUS", "--param", "n=150", "--format", "jsonl")
    assert json.loads(got) == {"n": 1}
    hostile = cli.ok("sql", query, "-p", "party=RUS' OR '1'='1", "-p", "n=0", "--format", "jsonl")
    assert json.loads(hostile) == {"n": 0}  # a value, not SQL
    result = cli("sql", "SELECT :a || :b AS ab", "-p", "a=x")
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert cli("sql", query, "-p", "no-equals").exit_code == 2


def test_tables_lists_what_there_is_to_query(cli: Cli) -> None:
    rows = json.loads(cli.ok("tables", "--format", "json"))
    by_name = {r["name"]: r for r in rows}
    assert by_name["v_balance"]["kind"] == "view" and "held_basis" in by_name["v_balance"]["columns"]
    assert by_name["claims"]["kind"] == "table" and by_name["claims"]["meaning"]
    columns = json.loads(cli.ok("tables", "--columns", "--format", "json"))
    held = [c for c in columns if c["name"] == "v_balance" and c["column"] == "held_basis"]
    assert held and "holding" in held[0]["meaning"]
