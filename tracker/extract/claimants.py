"""Who states a figure: "the Ukrainian military said", "according to Russia's Defence Ministry".

The claimant is kept as written (without a leading "the") and, where its words name a party,
with that party's code, so that "its own soldiers" and "came home" can be read from the
claimant's side. "The ministry" later in an article refers back to the last ministry named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.extract.parties import find_parties
from tracker.extract.types import Lexicon

_SPEECH = (
    r"said|says|say|announced|announces|reported|reports|wrote|writes|stated|states|claimed|"
    r"claims|confirmed|confirms|added|told|insisted|alleged|noted|declared|posted|quoted"
)
_BEFORE_SPEECH = re.compile(
    rf"(?P<who>(?:[\w’'\".,-]+\s+){{0,9}}?[\w’'\".-]+)\s+(?:(?:has|had|have)\s+)?"
    rf"(?:also\s+)?(?:{_SPEECH})\b"
)
_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Cc]iting|[Ii]n the words of)\s+(?P<who>[^,.;:]+)")
_ORG = re.compile(
    r"\b(ministry|office|military|army|forces|government|commission|headquarters|agency|"
    r"intelligence|service|staff|side|ombudsman|president|command)\b",
    re.IGNORECASE,
)
_DROP = re.compile(r"^(?:.*\b(?:that|and|while|whereas|but|as|when|which|who)\s+)|^\W+", re.I)
_PRONOUNS = frozenset(
    ["it", "he", "she", "they", "we", "i", "this", "that", "which", "who", "there"]
)


@dataclass
class Claimant:
    """A claimant as written and the party its words name (if any)."""

    text: str
    party: str | None
    start: int  # offset inside the sentence


@dataclass
class ClaimantMemory:
    """Organisations already named in the article, so that "the ministry" can be resolved."""

    orgs: dict[str, str] = field(default_factory=dict)

    def resolve(self, who: str, lexicon: Lexicon) -> str | None:
        """The party of a claimant phrase: named in it, else a remembered organisation."""
        parties = [p.code for p in find_parties(who, lexicon)]
        orgs = [m.group(1).lower() for m in _ORG.finditer(who)]
        if parties:
            for org in orgs:
                self.orgs[org] = parties[0]
            return parties[0]
        return next((self.orgs[o] for o in orgs if o in self.orgs), None)


def _clean(who: str) -> str:
    who = _DROP.sub("", who.strip(" ,\"“”")).strip()
    who = re.sub(r"^(?:[Oo]n|[Ii]n)\s+\w+\s*,?\s*", "", who)
    return re.sub(r"^(?:the|The)\s+", "", who).strip()


def find_claimants(sentence: str, lexicon: Lexicon, memory: ClaimantMemory) -> list[Claimant]:
    """Claimants named in a sentence, in order of appearance."""
    found = []
    for pattern in (_ACCORDING, _BEFORE_SPEECH):
        for m in pattern.finditer(sentence):
            who = _clean(m.group("who"))
            if not who or who.lower() in _PRONOUNS or len(who) < 3:
                continue
            found.append(Claimant(who, memory.resolve(who, lexicon), m.start("who")))
    return sorted(found, key=lambda c: c.start)


def claimant_near(claimants: list[Claimant], pos: int) -> Claimant | None:
    """The claimant governing a figure at ``pos``: the last one before it, else the first after."""
    before = [c for c in claimants if c.start <= pos]
    if before:
        return before[-1]
    return claimants[0] if claimants else None
