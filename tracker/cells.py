"""What a text value may carry into each output: the rules for terminals, CSV and spreadsheets.

Titles, outlets, quotes and URLs come from articles anyone can write. A terminal obeys control
characters (ESC sequences set its title, move the cursor, break a table's lines); a spreadsheet
opening a CSV runs a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR as a formula
(OWASP "CSV injection"); XML, inside an xlsx file, cannot hold most C0 control characters.
"""

from __future__ import annotations

import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL and C1 controls (a terminal reads 0x9b as CSI and 0x9d as OSC)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# what XML 1.0 cannot hold (tab, newline and CR it can); openpyxl's ILLEGAL_CHARACTERS_RE
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
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
