"""Recognise parties in text from the lexicon's aliases (no party is hard-coded).

Aliases that are all capitals ("US", "DPR") match case-sensitively, so that "us" is not the
United States; other aliases match whole words in any case. A trailing "'s" is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from tracker.extract.types import Lexicon, Party


@dataclass(frozen=True)
class PartyMention:
    """One place where a party is named: its code, the alias, its offsets."""

    start: int
    end: int
    code: str
    alias: str


def lexicon_from_rows(rows: Iterable[Mapping[str, str]]) -> Lexicon:
    """A lexicon from rows shaped like ``seeds/parties.csv`` (aliases separated by "|")."""
    parties = []
    for row in rows:
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        name = row["name"].strip()
        parties.append(
            Party(row["code"].strip(), name, row.get("role", "belligerent").strip(),  # type: ignore[arg-type]
                  aliases or (name,))
        )
    return Lexicon(tuple(parties))


@lru_cache(maxsize=32)
def _patterns(lexicon: Lexicon) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One compiled pattern per alias, longest aliases first so they win overlaps."""
    pairs = [(alias, p.code) for p in lexicon.parties for alias in (*p.aliases, p.name)]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    out = []
    for alias, code in pairs:
        flags = 0 if alias.isupper() or alias.replace(".", "").isupper() else re.IGNORECASE
        body = re.escape(alias)
        out.append((re.compile(rf"(?<![\w.]){body}(?:['’]s)?(?![\w])", flags), code))
    return tuple(out)


def find_parties(text: str, lexicon: Lexicon) -> list[PartyMention]:
    """Every party alias in ``text`` in order; overlapping shorter aliases are dropped."""
    found: list[PartyMention] = []
    for pattern, code in _patterns(lexicon):
        for m in pattern.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(PartyMention(m.start(), m.end(), code, m.group(0)))
    return sorted(found, key=lambda f: f.start)


def belligerent_codes(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(p.code for p in lexicon.belligerents())


def other_side(code: str, lexicon: Lexicon, present: Iterable[str] = ()) -> str | None:
    """The opposing belligerent: the only other one, or the only other one the article names."""
    others = [c for c in belligerent_codes(lexicon) if c != code]
    if len(others) == 1:
        return others[0]
    named = [c for c in dict.fromkeys(present) if c in others]
    return named[0] if len(named) == 1 else None
