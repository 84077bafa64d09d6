"""Values as every output shows them (``plain``, ``range_text``, the date columns) and what a
text value may carry into each output: the rules for terminals, CSV and spreadsheets.

Titles, outlets, quotes and URLs come from articles anyone can write. A terminal obeys control
characters (ESC sequences set its title, move the cursor, break a table's lines); a spreadsheet
opening a CSV runs a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR as a formula
(OWASP "CSV injection"); XML, inside an xlsx file, cannot hold most C0 control characters.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL and C1 controls (a terminal reads 0x9b as CSI and 0x9d as OSC)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# what XML 1.0 cannot hold (tab, newline and CR it can); openpyxl's ILLEGAL_CHARACTERS_RE
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_COLUMNS = {"date", "as_of", "period_start", "published", "reported_holding_as_of",
                "held_anchor_as_of"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def for_terminal(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\n``), so that
    what is printed is what is stored, and a value cannot restyle the terminal or a table."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def for_xml(text: str) -> str:
    """``text`` with the characters XML cannot hold shown as escapes (``\\x1b``)."""
    return _NOT_XML.sub(_escape, text) if _NOT_XML.search(text) else text


def defuse_formula(value: Any) -> Any:
    """A text value a spreadsheet would run as a formula, prefixed with ``'`` (OWASP's rule);
    numbers, and text that is only a number (``-640``), stay as they are."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def plain(value: Any) -> Any:
    """A value as both engines should show it."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def range_text(low: Any, best: Any, high: Any) -> str:
    """909 · ≥700 · 150 (120–189) · ≤100: one readable cell for a low/best/high triple
    (an empty low or high is open: "more than", or no lower bound)."""
    if best is None:
        return ""
    if low == best == high:
        return str(best)
    if low is None and high is None:
        return f"{best} (open)"
    if low is None:
        return f"≤{high}" if high == best else f"{best} (≤{high})"
    if high is None:
        return f"≥{low}" if low == best else f"{best} (≥{low})"
    if low == best:
        return f"{best} (≤{high})"
    if high == best:
        return f"≤{high}" if low == 0 else f"{best} ({low}–{high})"
    return f"{best} ({low}–{high})"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 claim", "2 claims", "1 party", "3 parties": a count and its noun, as people write."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
