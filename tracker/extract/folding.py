"""Case-insensitive patterns that run on lower-cased text.

Python's ``re`` tries a long IGNORECASE alternation several times more slowly than the same
alternation, written in lower case, on lower-cased text. The word lists of exchange reports are
long alternations searched in every sentence, so they are compiled here both ways: the fast form
runs on ``text.lower()``, and the IGNORECASE form serves the rare text whose length changes when
lower-cased (offsets would no longer hold). Match positions are the same either way; matched
text comes back lower-cased, so these patterns serve tests and offsets, not quoted words.
"""

from __future__ import annotations

import re
import sys


def _lower_pattern(pattern: str) -> str:
    """The pattern with its literal letters lower-cased; escapes (``\\S``, ``\\B``) kept."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i: i + 2])
            i += 2
            continue
        if pattern.startswith("(?P<", i) or pattern.startswith("(?P=", i):  # group names
            end = pattern.index(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i: end + 1])
            i = end + 1
            continue
        out.append(ch.lower())
        i += 1
    return "".join(out)


class Folded:
    """A case-insensitive pattern with the ``search`` of ``re``."""

    __slots__ = ("fast", "pattern", "slow")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.fast = re.compile(_lower_pattern(pattern), flags & ~re.IGNORECASE)
        self.slow = re.compile(pattern, flags | re.IGNORECASE)

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        return (self.fast, low) if len(low) == len(text) else (self.slow, text)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        pattern, subject = self._pick(text)
        return pattern.search(subject, pos, endpos)


def folded(pattern: str, flags: int = 0) -> Folded:
    """Compile ``pattern`` to match in any case (see the module's docstring)."""
    return Folded(pattern, flags)
