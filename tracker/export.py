"""One writer for every output format: table, csv, json, parquet, xlsx.

Every command that returns rows goes through ``write``. Rows stream: csv and json never hold a
whole result in memory, parquet and xlsx are written in batches. Values are made the same on
both engines first (dates as ISO text, integral decimals as integers, booleans as 0/1). A file
is written whole or not at all (``tracker.outfile``); text a spreadsheet would run as a formula
is defused in CSV, and control characters are shown as escapes in a table (``tracker.cells``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import URL

from tracker.cells import DATE_COLUMNS, defuse_formula, for_terminal, plain, range_text
from tracker.errors import InputError
from tracker.outfile import replacing
from tracker.workbook import write_sheets

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "parquet", "xlsx")
TEXT_FORMATS = ("table", "csv", "tsv", "json", "jsonl")
# a file's extension names its format (sqlite-utils' rule); an explicit --format must agree
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".parquet": "parquet", ".xlsx": "xlsx"}


def format_for(out: str | Path, given: str | None, default: str = "csv") -> str:
    """The format to write ``out`` in: the one given, else the one its extension names, else
    ``default``. A format that contradicts the extension (csv into ``t.parquet``) is refused."""
    named = EXTENSIONS.get(Path(str(out)).suffix.lower()) if str(out) != "-" else None
    if given and named and given != named:
        raise InputError("format", f"{given} asked, but {Path(str(out)).name} is named as "
                                   f"{named}: give a matching name or drop --format")
    return given or named or default
BATCH = 50_000
TABLE_PAGE = 10_000  # rows of a terminal table laid out together


def _plain_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [plain(v) for v in row]


def format_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A table for the terminal: numbers right-aligned, empty cells for NULL, control characters
    shown as escapes (a value cannot break the table's lines or send the terminal commands)."""
    return _layout(columns, rows, None)[0]


MIN_CUT = 12  # a text column is never cut narrower than this


def _fit(widths: list[int], numeric: list[bool], limit: int) -> list[int]:
    """Widths within ``limit`` characters a line: the widest text columns cut first."""
    widths = list(widths)
    while (over := sum(widths) + 2 * (len(widths) - 1) - limit) > 0:
        text = [i for i, w in enumerate(widths) if not numeric[i] and w > MIN_CUT]
        if not text:
            break
        widest = max(text, key=lambda i: widths[i])
        widths[widest] = max(MIN_CUT, widths[widest] - over)
    return widths


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _layout(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], widths: list[int] | None,
    limit: int | None = None,
) -> tuple[str, list[int]]:
    """Lines of a table and its column widths; with the ``widths`` of the rows printed before,
    only the rows (as wide as those at least), else the header first. With ``limit`` (the
    terminal's width) the widest text columns are cut to fit, their cells ending in "…"."""
    columns = [for_terminal(c) for c in columns]
    cells = [["" if v is None else for_terminal(str(v)) for v in row] for row in _plain_rows(rows)]
    numeric = [
        all(_is_number(r[i]) for r in cells if r[i]) and any(r[i] for r in cells)
        for i in range(len(columns))
    ]
    header = widths is None
    widths = [
        max([len(c) if header else widths[i], *(len(r[i]) for r in cells)])  # type: ignore[index]
        for i, c in enumerate(columns)
    ]
    if limit:
        widths = _fit(widths, numeric, limit)
        columns = [_cut(c, w) for c, w in zip(columns, widths)]
        cells = [[_cut(v, w) for v, w in zip(r, widths)] for r in cells]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)] if header else []
    out += [line(r) for r in cells]
    return "".join(f"{x}\n" for x in out), widths


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    out: str | Path = "-",
    *,
    escape_formulas: bool = True,
    database: URL | None = None,
    width: int | None = None,
) -> int:
    """Write rows in ``fmt`` to a file or ``-`` (stdout); returns the number of rows.

    ``database``: the database read, which ``out`` may not name; ``escape_formulas``: CSV text
    cells a spreadsheet would run as formulas get a leading ``'``; ``width``: a table's lines
    fit in so many characters (the terminal's), its widest text cells cut."""
    if fmt not in FORMATS:
        raise InputError("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    writer = {
        "table": lambda c, r, fh: _write_table(c, r, fh, width),
        "csv": lambda c, r, fh: write_csv(c, r, fh, escape_formulas),
        "tsv": lambda c, r, fh: _write_tsv(c, r, fh, escape_formulas),
        "json": _write_json,
        "jsonl": _write_jsonl,
        "parquet": _write_parquet,
        "xlsx": _write_xlsx,
    }[fmt]
    with replacing(out, binary=fmt not in TEXT_FORMATS, database=database) as fh:
        return writer(columns, rows, fh)


def _write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[str],
                 limit: int | None = None) -> int:
    """A table laid out ``TABLE_PAGE`` rows at a time, so that memory stays flat for any result
    (as psql's FETCH_COUNT: a later page may widen a column); ``limit``: see ``_layout``."""
    it, n, widths = iter(rows), 0, None
    while True:
        page = list(islice(it, TABLE_PAGE))
        if page or widths is None:
            text, widths = _layout(columns, page, widths, limit)
            fh.write(text)
            n += len(page)
        if len(page) < TABLE_PAGE:
            return n


# Types the csv module already writes the way ``plain`` would (a date as ISO text).
_CSV_READY = {str, int, float, type(None), dt.date}


def write_csv(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[str], escape_formulas: bool = True
) -> int:
    """A header line and CSV lines of ``rows`` (or of its ``batches()``); returns how many."""
    csv.writer(fh, lineterminator="\n").writerow(columns)
    return write_csv_rows(rows, fh, escape_formulas)


# Where a cell of CSV text may start with what a spreadsheet runs as a formula: after a comma or
# a line's end (a negative number, or a quoted field holding ",=", match too: such a batch is
# then looked at cell by cell). A character class first: twice as fast as "(?:^|,)".
_MAY_RUN = re.compile(r'[,\n]"?[=+\-@\t\r]')
_MAY_RUN_FIRST = re.compile(r'"?[=+\-@\t\r]')


def write_csv_rows(
    rows: Iterable[Sequence[Any]], fh: IO[str], escape_formulas: bool = True
) -> int:
    """CSV lines of ``rows`` (no header); returns how many. With ``escape_formulas``, a text
    cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    n = 0
    batches = rows.batches() if hasattr(rows, "batches") else _batches(rows)
    for batch in batches:
        # one C-level pass over the batch's types; values are converted only when needed
        ready = getattr(rows, "plain", False)
        if not ready and not set(map(type, chain.from_iterable(batch))) <= _CSV_READY:
            batch = [[plain(v) for v in row] for row in batch]
        writer.writerows(batch)
        n += len(batch)
        written = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if (escape_formulas and _may_run(written)) or "\r" in written:
            written = _rewritten(batch, escape_formulas)
        fh.write(written)
    return n


def _may_run(written: str) -> bool:
    """Whether CSV text may hold a cell a spreadsheet runs (one C-level pass over the text)."""
    return bool(_MAY_RUN.search(written) or _MAY_RUN_FIRST.match(written))


def _rewritten(batch: list[Sequence[Any]], escape_formulas: bool) -> str:
    """The CSV text of ``batch`` looked at cell by cell: formula cells defused, and a row with a
    carriage return in a cell quoted whole (the csv module, ending lines with \\n, leaves a
    lone CR unquoted, and readers take it for the end of the row)."""
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in batch:
        if escape_formulas:
            row = [defuse_formula(v) for v in row]
        cr = any(isinstance(v, str) and "\r" in v for v in row)
        (quoted if cr else minimal).writerow(row)
    return out.getvalue()


def _write_json(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[str]) -> int:
    fh.write("[")
    n = 0
    for row in _plain_rows(rows):
        fh.write(
            ("," if n else "") + "\n  " + json.dumps(dict(zip(columns, row)), ensure_ascii=False)
        )
        n += 1
    fh.write("\n]\n" if n else "]\n")
    return n


def _write_jsonl(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[str]) -> int:
    """JSON Lines: one object per row, one row per line."""
    n = 0
    for row in _plain_rows(rows):
        fh.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_tsv(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[str],
               escape_formulas: bool = True) -> int:
    """Tab-separated, with CSV's quoting for a cell holding a tab, quote or line break, and
    its formula rule."""
    writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in _plain_rows(rows):
        writer.writerow([defuse_formula(v) for v in row] if escape_formulas else row)
        n += 1
    return n


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


_INT_SUFFIXES = ("_id", "_low", "_best", "_high", "_count", "_days", "_open")


def _arrow_type(name: str, values: list[Any]):
    """A column's Arrow type: from its values, else (all empty) from its name, so that the
    schema of a file does not depend on which rows it happens to hold."""
    import pyarrow as pa

    if name in DATE_COLUMNS or name.endswith("_date"):
        return pa.date32()
    try:
        found = pa.array(values).type
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.string()
    if found != pa.null():
        return found
    if name.endswith(_INT_SUFFIXES) or name in ("id", "version", "n", "sources", "claims"):
        return pa.int64()
    return pa.string()


def _arrow_value(name: str, value: Any) -> Any:
    if value is not None and (name in DATE_COLUMNS or name.endswith("_date")):
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return value


def _write_parquet(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer, n, schema = None, 0, None
    sink = fh if fh is not sys.stdout.buffer else io.BytesIO()
    for batch in _batches(_plain_rows(rows)):
        data = {c: [_arrow_value(c, row[i]) for row in batch] for i, c in enumerate(columns)}
        if schema is None:
            schema = pa.schema([(c, _arrow_type(c, data[c])) for c in columns])
            writer = pq.ParquetWriter(sink, schema)
        writer.write_table(pa.Table.from_pydict(data, schema=schema))  # type: ignore[union-attr]
        n += len(batch)
    if writer is None:
        schema = pa.schema([(c, _arrow_type(c, [])) for c in columns])
        writer = pq.ParquetWriter(sink, schema)
        writer.write_table(pa.Table.from_pydict({c: [] for c in columns}, schema=schema))
    writer.close()
    if isinstance(sink, io.BytesIO):
        fh.write(sink.getvalue())
    return n


def _write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: IO[bytes]) -> int:
    return write_sheets([("data", columns, rows)], fh)


def compact(
    columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[list[str], Iterator[list[Any]]]:
    """For the terminal: each ``X_low``/``X_best``/``X_high`` triple becomes one ``X`` column."""
    triples = {c[: -len("_best")] for c in columns if c.endswith("_best")}
    triples = {t for t in triples if f"{t}_low" in columns and f"{t}_high" in columns}
    index = {c: i for i, c in enumerate(columns)}
    out_cols: list[str] = []
    for c in columns:
        base = c.rsplit("_", 1)[0]
        if base in triples and c.endswith(("_low", "_high")):
            continue
        out_cols.append(base if base in triples and c.endswith("_best") else c)

    def convert(row: Sequence[Any]) -> list[Any]:
        out = []
        for c in columns:
            base = c.rsplit("_", 1)[0]
            if base in triples and c.endswith(("_low", "_high")):
                continue
            if base in triples and c.endswith("_best"):
                p = plain
                out.append(
                    range_text(
                        p(row[index[f"{base}_low"]]),
                        p(row[index[c]]),
                        p(row[index[f"{base}_high"]]),
                    )
                )
            else:
                out.append(row[index[c]])
        return out

    return out_cols, (convert(r) for r in rows)
