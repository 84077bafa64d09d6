"""Recognise parties in text from the lexicon's aliases (no party is hard-coded).

Aliases that are all capitals ("US", "DPR") match case-sensitively, so that "us" is not the
United States; other aliases match whole words in any case. A trailing "'s" is allowed.
"""

from __future__ import annotations

import re
from collections import Counter
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


_AliasPatterns = tuple[re.Pattern[str], re.Pattern[str], bool, dict[str, str]]


@lru_cache(maxsize=32)
def _patterns(lexicon: Lexicon) -> tuple[_AliasPatterns, ...]:
    """Two alternations of every alias, longest first so the longest wins at a position: one
    case-sensitive for all-capital aliases ("US" is not "us"), one for the others that is run
    on the lower-cased text (much faster than IGNORECASE; the IGNORECASE form serves text whose
    length changes when lower-cased). Also the party code of each alias (lower case)."""
    pairs = [(alias, p.code) for p in lexicon.parties for alias in (*p.aliases, p.name)]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    out = []
    for upper in (True, False):
        chosen = [(a, c) for a, c in pairs if (a.replace(".", "").isupper()) == upper]
        if not chosen:
            continue
        body = "|".join(re.escape(a if upper else a.lower()) for a, _ in chosen)
        template = r"(?<![\w.])(?:{})(?:['’]s)?(?![\w])"
        exact = re.compile(template.format(body))
        folded = re.compile(template.format(body), re.IGNORECASE)
        out.append((exact, folded, upper, {a.lower(): c for a, c in reversed(chosen)}))
    return tuple(out)


def find_parties(text: str, lexicon: Lexicon) -> list[PartyMention]:
    """Every party alias in ``text`` in order; overlapping shorter aliases are dropped."""
    return list(_find_parties(text, lexicon))


@lru_cache(maxsize=4096)
def _find_parties(text: str, lexicon: Lexicon) -> tuple[PartyMention, ...]:
    low = text.lower()
    matches = []
    for exact, folded, upper, codes in _patterns(lexicon):
        if upper:
            found = exact.finditer(text)
        else:
            found = exact.finditer(low) if len(low) == len(text) else folded.finditer(text)
        for m in found:
            said = text[m.start():m.end()]
            alias = re.sub(r"['’]s$", "", said).lower()
            code = codes.get(alias) or codes.get(said.lower())
            if code:
                matches.append(PartyMention(m.start(), m.end(), code, said))
    matches.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[PartyMention] = []
    for mention in matches:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return tuple(kept)


def belligerent_codes(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(p.code for p in lexicon.belligerents())


def other_side(code: str, lexicon: Lexicon, present: Iterable[str] = ()) -> str | None:
    """The opposing belligerent, when the article names it (``present``): never a guess from
    the parties the database happens to hold. A text that names one side only gives no pair."""
    others = [c for c in belligerent_codes(lexicon) if c != code]
    named = [c for c in dict.fromkeys(present) if c in others]
    return named[0] if len(named) == 1 else None


def present_belligerents(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Belligerents named in the article, most often named first."""
    codes = {p.code for p in lexicon.belligerents()}
    counts = Counter(m.code for m in find_parties(text, lexicon) if m.code in codes)
    return tuple(code for code, _ in counts.most_common())
