"""Excel output: one sheet per table, headers in bold, column widths set, dates as dates.

Every cell is a value, never a formula: text starting with ``=`` (which openpyxl would store as
a formula) is stored as text, and characters XML cannot hold are shown as escapes (``\x1b``).

``write_workbook`` is the analyst's workbook: every export table on its own sheet (sources with
their text cut to its first characters) and the running balance by day.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Connection

from tracker.cells import DATE_COLUMNS, for_xml, plain
from tracker.outfile import replacing

MAX_WIDTH = 60
SAMPLE_ROWS = 200  # rows looked at to size the columns


WORKBOOK_SHEETS = ("sources", "claims", "exchanges", "transfers", "captures", "balance")


def _cell(column: str, value: Any) -> Any:
    value = plain(value)
    if not isinstance(value, str):
        return value
    value = for_xml(value)
    try:
        if column in DATE_COLUMNS or column.endswith("_date"):
            return dt.date.fromisoformat(value[:10])
        if column.endswith("_at"):
            return dt.datetime.fromisoformat(value[:19])
    except ValueError:
        return value
    return value


def write_workbook(conn: Connection, fh: IO[bytes], reviewed_only: bool = False) -> int:
    """Every table as a sheet of one workbook; returns the number of data rows written."""
    # here, not at the top: `export` writes xlsx through this module, and a command that only
    # prints rows should not load the reports (and through them the database layer)
    from tracker.reports import SOURCES_SHORT, Table, read_table, stream, table

    def sheet(name: str) -> tuple[str, Sequence[str], Iterable[Sequence[Any]]]:
        if name == "sources":
            t = table(name)
            short = Table(t.name, t.title, SOURCES_SHORT, t.columns, t.order, has_status=False)
            return name, t.columns, stream(conn, short.sql())
        columns, rows = read_table(conn, name, reviewed_only)
        return name, columns, rows

    return write_sheets((sheet(name) for name in WORKBOOK_SHEETS), fh)


def save_workbook(conn: Connection, out: str | Path, reviewed_only: bool = False) -> int:
    """``write_workbook`` to a file (whole or not at all; never the database read)."""
    with replacing(out, binary=True, database=conn.engine.url) as fh:
        return write_workbook(conn, fh, reviewed_only)


def write_sheets(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], fh: IO[bytes]
) -> int:
    """Write each (name, columns, rows) as a sheet; returns the number of data rows written."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    try:
        return _fill(book, sheets, fh)
    except BaseException as exc:
        _discard(book)
        if _full(exc):  # the sheets' own temporary files (openpyxl's, in TMPDIR)
            raise OSError(errno.ENOSPC, "no space left on the disk") from None
        raise


def _fill(
    book: Any, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    fh: IO[bytes],
) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    total = 0
    for name, columns, rows in sheets:
        sheet = book.create_sheet(title=name[:31])
        it = iter(rows)
        head = [
            [_cell(c, v) for c, v in zip(columns, row)] for _, row in zip(range(SAMPLE_ROWS), it)
        ]
        for i, col in enumerate(columns, start=1):
            longest = max([len(col), *(len(_shown(r[i - 1])) for r in head)])
            sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        header = []
        for col in columns:
            cell = WriteOnlyCell(sheet, value=col)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in head:
            sheet.append(_typed(sheet, row))
        total += len(head)
        for row in it:
            sheet.append(_typed(sheet, [_cell(c, v) for c, v in zip(columns, row)]))
            total += 1
    _save(book, fh)
    return total


def _save(book: Any, fh: IO[bytes]) -> None:
    """``book.save(fh)``, with the zip archive closed even when a write fails (else its
    garbage collection writes to a closed file and prints a traceback)."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if not book.worksheets:
        book.create_sheet()
    archive = ZipFile(fh, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()
    except BaseException:
        with suppress(Exception):
            archive.close()
        raise


def _full(exc: BaseException) -> bool:
    """A full disk, as lxml reports it while openpyxl writes a sheet."""
    return type(exc).__name__ == "SerialisationError" and any(
        code in str(exc) for code in ("IO_ENOSPC", "IO_EFBIG", "IO_EDQUOT")
    )


def _discard(book: Any) -> None:
    """A workbook that failed half-way: its sheets' writers are closed and their temporary
    files removed now (left to the garbage collector, they print tracebacks as they go)."""
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)
        for generator in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
            with suppress(Exception):
                generator.close()
        with suppress(Exception):
            os.unlink(writer.out)


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat() if isinstance(value, dt.date) else "" if value is None else str(value)


def _typed(sheet: Any, row: list[Any]) -> list[Any]:
    """Date cells get a date number format so Excel shows them as dates; text openpyxl would
    store as a formula (``=...``) or an error (``#N/A``) is stored as text."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for value in row:
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            is_time = isinstance(value, dt.datetime)
            cell.number_format = "yyyy-mm-dd hh:mm:ss" if is_time else "yyyy-mm-dd"
            out.append(cell)
        elif isinstance(value, str) and value.startswith(("=", "#")):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out
