"""The records extraction produces: candidate claims, before they are stored.

Everything here is plain data. Extraction takes text, a publication date and a party lexicon and
returns these; the store turns them into claims, exchanges, transfers and capture tallies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["day", "month", "year"]
Category = Literal["pow", "civilian", "body", "mixed"]
CaptureKind = Literal["cumulative", "increment", "holding"]
# The qualifier as a normalised code; the words as written stay in the claim's quote.
Qualifier = Literal["exact", "more_than", "at_least", "about", "up_to", "almost", "vague"]
# foreign: a state whose nationals are taken captive, not a side of the war
Role = Literal["belligerent", "mediator", "foreign"]

PRECISIONS: tuple[str, ...] = ("day", "month", "year")
CATEGORIES: tuple[str, ...] = ("pow", "civilian", "body", "mixed")
CAPTURE_KINDS: tuple[str, ...] = ("cumulative", "increment", "holding")
QUALIFIERS: tuple[str, ...] = (
    "exact", "more_than", "at_least", "about", "up_to", "almost", "vague",
)


@dataclass(frozen=True)
class Count:
    """A count as low / best / high; ``high`` is None when the text leaves it open ("more than")."""

    low: int
    best: int
    high: int | None
    qualifier: Qualifier = "exact"

    @property
    def vague(self) -> bool:
        return self.qualifier == "vague"

    @classmethod
    def exact(cls, n: int) -> Count:
        return cls(n, n, n, "exact")

    def gap(self, other: Count) -> float:
        """0 when two closed ranges overlap, else the relative gap between the best figures.
        An open range ("more than 300") overlaps every larger figure, so it is compared by its
        best: "more than 300" is not "more than 700"."""
        if self.high is not None and other.high is not None and (
                self.low <= other.high and other.low <= self.high):
            return 0.0
        return abs(self.best - other.best) / max(self.best, other.best, 1)


# Counts of one way and kind on one day that differ by at most this are one transfer counted
# differently ("150 for 150" against "189 came home"), not two.
SAME_DAY_SPREAD = 0.35


@dataclass(frozen=True)
class DateValue:
    """A date with its precision; month and year precision store the first day of the period."""

    value: dt.date
    precision: Precision = "day"
    inferred: bool = False


@dataclass(frozen=True)
class Party:
    """A party as the extractor sees it: a code and the words that name it in text."""

    code: str
    name: str
    role: Role
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """The parties an article is read against (seeded from ``seeds/parties.csv``)."""

    parties: tuple[Party, ...]

    def __hash__(self) -> int:
        # Lexicons key per-text caches on every call: hash the parties once, not each time.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(self.parties)
            object.__setattr__(self, "_hash", cached)
        return cached

    def _role(self, role: Role) -> tuple[Party, ...]:
        key = f"_{role}"
        cached = self.__dict__.get(key)
        if cached is None:
            cached = tuple(p for p in self.parties if p.role == role)
            object.__setattr__(self, key, cached)
        return cached

    def belligerents(self) -> tuple[Party, ...]:
        return self._role("belligerent")

    def mediators(self) -> tuple[Party, ...]:
        return self._role("mediator")

    def foreign(self) -> tuple[Party, ...]:
        return self._role("foreign")


@dataclass
class Evidence:
    """Where a figure stands in the source text, and who made it and who says it."""

    start: int  # character offset of the quote in the source text
    end: int
    quote: str  # text[start:end]
    rule: str  # name of the extraction rule that produced the candidate
    claimant: str | None = None  # "Ukrainian military", "Russian Defence Ministry"


@dataclass
class TransferCandidate:
    """People of one category handed from one party to another, as one sentence states it."""

    from_party: str
    to_party: str
    category: Category
    count: Count
    evidence: Evidence
    doubt: str | None = None  # why the rules cannot settle it: kept for review, counted nowhere
    same_as: int | None = None  # index, in its exchange, of the transfer this one restates


@dataclass
class ExchangeCandidate:
    """One completed swap (or one stage of a staged swap) on one date, with its transfers."""

    date: DateValue
    transfers: list[TransferCandidate]
    evidence: Evidence
    mediators: list[str] = field(default_factory=list)
    primary: bool = False  # the article's main event, not a background mention


@dataclass
class CaptureCandidate:
    """A capture tally: how many people of ``captive`` the ``captor`` captured or holds."""

    captor: str
    captive: str
    category: Category
    kind: CaptureKind
    count: Count
    as_of: DateValue
    evidence: Evidence
    period_start: DateValue | None = None
    region: str | None = None
    doubt: str | None = None  # why the rules cannot settle it: kept for review, counted nowhere


@dataclass
class Extraction:
    """Everything extraction found in one article."""

    exchanges: list[ExchangeCandidate] = field(default_factory=list)
    captures: list[CaptureCandidate] = field(default_factory=list)
