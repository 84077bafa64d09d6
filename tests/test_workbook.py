"""`tracker export workbook`: one sheet per table plus the balance, on both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tests.conftest import Cli
from tests.reporting_data import enter_history
from tests.test_cli_core import TRANSFERS_CSV, enter_sample


def workbook(cli: Cli, tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "tracker.xlsx"
    result = cli("export", "workbook", "--out", str(out))
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_one_sheet_per_table(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    book = workbook(cli, tmp_path)
    assert book.sheetnames == ["sources", "claims", "exchanges", "transfers", "captures",
                               "balance"]
    counts = {s.title: s.max_row - 1 for s in book.worksheets}
    assert counts == {"sources": 6, "claims": 17, "exchanges": 6, "transfers": 12,
                      "captures": 4, "balance": 15}


def test_headers_bold_widths_set_dates_real(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    sheet = workbook(cli, tmp_path)["transfers"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    cols = header(sheet)
    date = sheet.cell(row=2, column=cols.index("date") + 1)
    assert date.value == dt.datetime(2024, 8, 24) and date.number_format == "yyyy-mm-dd"
    widest = "https://pravda.example/dec https://tass.example/dec"  # source_urls of transfer 8
    assert sheet.column_dimensions["N"].width == len(widest) + 2


def test_source_text_is_cut(cli: Cli, tmp_path: Path) -> None:
    long_text = "word " * 400  # 2,000 characters
    cli.ok("add", "source", "--published", "2025-01-10", "--text", "-", input=long_text)
    sheet = workbook(cli, tmp_path)["sources"]
    cols = header(sheet)
    cell = sheet.cell(row=2, column=cols.index("text") + 1).value
    assert cell == long_text[:1000] + " […]"
    imported = sheet.cell(row=2, column=cols.index("imported_at") + 1).value
    assert isinstance(imported, dt.datetime)


def test_table_exports_still_work(cli: Cli) -> None:
    enter_sample(cli)
    assert cli.ok("export", "transfers") == TRANSFERS_CSV


def test_workbook_needs_a_file_and_xlsx(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "workbook")
    assert result.exit_code == 2 and "give --out FILE.xlsx" in result.output
    result = cli("export", "workbook", "--format", "csv", "--out", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 2 and "a workbook is xlsx" in result.output
    cli.ok("export", "workbook", "--format", "xlsx", "--out", str(tmp_path / "w.xlsx"))
    result = cli("export", "workbook", "--out", str(tmp_path / "no" / "w.xlsx"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: --out: cannot write")
