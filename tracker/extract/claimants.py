"""Who states a figure: "the Ukrainian military said", "according to Russia's Defence Ministry".

The claimant is kept as written (without a leading "the") and, where its words name a party,
with that party's code, so that "its own soldiers" and "came home" can be read from the
claimant's side. "The ministry" later in an article refers back to the last ministry named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.extract.parties import find_parties
from tracker.extract.types import Lexicon

_SPEECH = (
    r"said|says|say|announced|announces|reported|reports|wrote|writes|stated|states|claimed|"
    r"claims|confirmed|confirms|added|told|insisted|alleged|noted|declared|posted|quoted"
)
_SPEECH_VERB = re.compile(
    rf"\s+(?:(?:has|had|have)\s+)?(?:also\s+|later\s+|previously\s+)?(?:{_SPEECH})\b"
)
_SAID_AFTER = re.compile(
    rf"(?:[,”\"]\s*|^)(?:{_SPEECH})\s+(?P<who>(?:the\s+)?[A-Z][^,.;:“”\"()]{{2,80}}?)"
    r"(?=\s*(?:[,.;:]|$|\s+(?:on|in|at|late|earlier)\b))"
)
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Cc]iting|[Ii]n the words of)\s+(?P<who>[^,.;:“”\"]+)"
)
_ORG = re.compile(
    r"\b(ministry|office|military|army|forces|government|commission|headquarters|agency|"
    r"intelligence|service|staff|side|ombudsman|president|command)\b",
    re.IGNORECASE,
)
# Where the words naming a claimant begin: after a quote, a bracket, a colon, or a connective.
_BOUNDARY = re.compile(
    r".*(?:[;:“”\"()\[\]]|\s[–—-]\s|\b(?:that|and|while|whereas|but|as|when|which|who|after|"
    r"because|since|where|before|whom|if|so)\s)",
    re.IGNORECASE | re.DOTALL,
)
_TITLE = re.compile(
    r"(?:head|chief|spokes(?:man|woman|person)|commissioner|minister|adviser|advisor|aide|"
    r"ombudsman|official|representative|commander|director|deputy|secretary|envoy|negotiator|"
    r"lawmaker|governor|mayor|president|chairman|chairwoman)\b",
    re.IGNORECASE,
)
_PERSON_NAME = re.compile(r"(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+")
_LEADING = re.compile(
    r"^(?:(?:the|also|later|allegedly|reportedly|separately|meanwhile|now|then|however|"
    r"earlier|moreover)\s+)+",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"^(?:on|in|at|by|last|this|later|earlier|during|after|before|late|early|meanwhile|"
    r"separately|previously|yesterday|today)\b",
    re.IGNORECASE,
)
_CLAIMANT_WORDS = re.compile(
    r"\b(?:officials?|authorit\w+|sources?|spokes\w+|commissioner|negotiator|ombudsman|"
    r"military|ministry|government|office|headquarters|staff|command|side|intelligence|"
    r"service|agency|army|forces|commission|president|minister|lawmaker|prosecutors?|"
    r"officers?|media|governor|aide|adviser|envoy)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset(
    ["it", "he", "she", "they", "we", "i", "this", "that", "which", "who", "there", "you"]
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
    names: dict[str, str] = field(default_factory=dict)  # "ministry" → "Russian Defence Ministry"

    def full_name(self, who: str) -> str:
        """"the ministry" later in an article → the ministry named before, as it was named."""
        org = _ORG.search(who)
        if org and not re.search(r"[A-Z]", who) and len(who.split()) <= 2:
            return self.names.get(org.group(1).lower(), who)
        return who

    def resolve(self, who: str, lexicon: Lexicon) -> str | None:
        """The party of a claimant phrase: named in it, else a remembered organisation."""
        parties = [p.code for p in find_parties(who, lexicon)]
        orgs = [m.group(1).lower() for m in _ORG.finditer(who)]
        if parties:
            for org in orgs:
                self.orgs[org] = parties[0]
                self.names[org] = who
            return parties[0]
        return next((self.orgs[o] for o in orgs if o in self.orgs), None)


def _adjective(party_word: str, lexicon: Lexicon) -> str | None:
    """"Russia" → "Russian": the party's adjectival alias, to tidy "Russia's Defence Ministry"."""
    for p in lexicon.parties:
        names = (*p.aliases, p.name)
        if party_word not in names:
            continue
        stem = p.name[:4].lower()
        for a in names:
            if a.lower().startswith(stem) and a.endswith(("an", "ish", "i")) and a != party_word:
                return a
    return None


def _tidy(who: str, lexicon: Lexicon) -> str | None:
    """The noun phrase naming a claimant, from the words before "said" (None if there is none).

    "On Tuesday, Russia's Defence Ministry" → "Russian Defence Ministry"; "Andriy Yermak, head of
    the President's Office" stays whole; dates, quotes, clauses and pronouns fall away.
    """
    who = re.sub(r"\s+(?:went|goes|go|going|continued|continues|wants|want|was quoted as|"
                 r"was reported to|is reported to)(?:\s+on)?\s+to$|\s+was quoted as$", "", who)
    named = re.search(rf"(?P<name>{_PERSON_NAME.pattern}),\s+(?:who|whom)\s+[^,]+,?\s*$", who)
    if named:  # "Alyona Verbytska, who is the President's Commissioner ..., said"
        who = named.group("name")
    m = _BOUNDARY.match(who)
    if m:
        who = who[m.end():]
    segments = [seg.strip(" \t\n'’") for seg in who.split(",")]
    segments = [seg for seg in segments if seg]
    if not segments:
        return None
    core = _LEADING.sub("", segments[-1]).strip()
    core = re.sub(r"(?:\s+(?:all|both|alike|too|each|themselves|itself|also))+$", "", core)
    if len(segments) > 1 and _TITLE.match(core):
        prev = _LEADING.sub("", segments[-2]).strip()
        if (_PERSON_NAME.fullmatch(prev) and not find_parties(prev, lexicon)) or (
            _PERSON_NAME.fullmatch(prev) and len(prev.split()) >= 2
        ):
            core = f"{prev}, {core}"
    if _TIME_WORDS.match(core) or any(ch.isdigit() for ch in core):
        return None
    if not core or core.lower() in _PRONOUNS or len(core) < 3 or len(core.split()) > 10:
        return None
    if not (core[0].isupper() or _CLAIMANT_WORDS.search(core)):
        return None
    m = re.match(r"([A-Z][\w-]*)['’]s\s+(?=\w)", core)
    if m:
        adjective = _adjective(m.group(1), lexicon)
        if adjective:
            core = adjective + " " + core[m.end():]
    return core


def find_claimants(sentence: str, lexicon: Lexicon, memory: ClaimantMemory) -> list[Claimant]:
    """Claimants named in a sentence, in order of appearance."""
    found = []
    for who, start in _claimant_phrases(sentence, lexicon):
        party = memory.resolve(who, lexicon)
        found.append(Claimant(memory.full_name(who), party, start))
    return found


@lru_cache(maxsize=4096)
def _claimant_phrases(sentence: str, lexicon: Lexicon) -> tuple[tuple[str, int], ...]:
    """The claimant phrases of a sentence with their offsets (pure, so it can be cached)."""
    found: list[tuple[str, int]] = []
    for m in _SPEECH_VERB.finditer(sentence):
        before = sentence[max(0, m.start() - 160): m.start()]
        who = _tidy(before, lexicon)
        if who:
            found.append((who, max(0, m.start() - len(who))))
    for pattern in (_ACCORDING, _SAID_AFTER):
        for m in pattern.finditer(sentence):
            who = m.group("who")
            title = re.match(r",\s*(?P<t>[^,.;:“”\"()]{3,80})", sentence[m.end("who"):])
            if title and _TITLE.match(title.group("t")) and _PERSON_NAME.fullmatch(who.strip()):
                who = f"{who.strip()}, {title.group('t').strip()}"
            who = _tidy(who, lexicon)
            if who:
                found.append((who, m.start("who")))
    return tuple(sorted(found, key=lambda c: c[1]))


def claimant_near(claimants: list[Claimant], pos: int) -> Claimant | None:
    """The claimant governing a figure at ``pos``: the last one before it, else the first after."""
    before = [c for c in claimants if c.start <= pos]
    if before:
        return before[-1]
    return claimants[0] if claimants else None
