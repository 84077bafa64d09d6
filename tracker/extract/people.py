"""Find counts of people in a clause: "150 captured soldiers", "116 of its people", "the mayor".

A count of people is a number followed (within a few modifier words) by a noun that names
people. Numbers that are ages, ordinals, money, distances or durations never reach a person noun
and are dropped; subsets ("87 of them", "of whom 205", "including 72") are dropped too, because
the figure they belong to is counted already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.extract import vocabulary as v
from tracker.extract.numbers import NumberMention, find_numbers
from tracker.extract.parties import PartyMention, find_parties
from tracker.extract.sentences import Span
from tracker.extract.types import Category, Count, Lexicon

_HEAD = re.compile(rf"(?:{v.PERSON_NOUNS})(?:(?<=s)['’])?(?![\w’'-])", re.IGNORECASE)
_STOP = frozenset(
    [
        "were", "was", "are", "is", "had", "have", "has", "been", "be", "being", "and",
        "or", "to", "in", "from", "for", "with", "by", "on", "at", "who", "whom", "which",
        "that", "said", "says", "as", "while", "plus", "after", "before", "per", "each",
        "a", "an", "the", "than", "this", "these", "those", "it", "they", "them", "we",
        "he", "she", "also", "had", "not", "no"
    ]
)
_SUBSET_BEFORE = re.compile(
    r"(?:\bof whom|\bamong (?:them|whom|those|these)|\bincluding|\bincl\.?|\bof the|\blist of|"
    r"\baged|\bage of|\bNo\.?|#|[$€£₴]|\bnumber|\btotal of|\bout of|\bevery|\beach|\bany)\s*$",
    re.IGNORECASE,
)
_SUBSET_AFTER = re.compile(
    r"^\s*(?:(?:[\w-]+\s+){0,4}?(?:were|was|are|is)\s+(?:also\s+)?(?:part|among)\b|"
    r"of (?:them|whom|these|those|which|the\b|us\b)|(?:st|nd|rd|th)\b|-year|"
    r"\s*(?:and \w+ )?years?[ -]old|%|\s*per ?cent|[-–]\s*(?:for|to)\b)",
    re.IGNORECASE,
)
_SOURCE_AFTER = re.compile(
    r"^\W*(?:captivity|custody|prisons?|jails?|camps?|control|territory|-held|-controlled|"
    r"side['’]s custody)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[\"“”‘’']|[^\s\"“”‘’']+")


@dataclass(frozen=True)
class PeopleCount:
    """A count of people in the text, with what the words say about who they are."""

    start: int
    end: int
    number_start: int
    count: Count
    head: str
    nationality: str | None  # the belligerent or other party the people belong to
    own: bool  # "of its own", "our": belongs to the party the sentence is about
    category: Category
    single: bool = False  # one named person ("the mayor", "Viktor Medvedchuk")


def _is_age(text: str, n: NumberMention) -> bool:
    """"Suedi Murekezi, 35, a U.S. citizen": a number set off by commas after a name."""
    before, after = text[: n.start], text[n.end:]
    return bool(re.search(r"[A-Z][a-z]+,\s*$", before) and re.match(r"\s*,", after))


# "Those released included seven defenders": a part of people counted already; "the swap
# included 90 soldiers" says what the swap was.
_INCLUDED_BEFORE = re.compile(
    r"\b(?P<who>\w+)\s+(?:also\s+)?includ(?:ed|es|e)\s+(?:[\w\s-]{1,40}?(?:,|\band)\s+)?$", re.I)
_WHOLE_EVENT = frozenset(["swap", "swaps", "exchange", "exchanges", "deal", "handover",
                          "operation", "release", "repatriation", "transfer"])


def _filtered(text: str, n: NumberMention) -> bool:
    """True for numbers that cannot be a count of people in their own right."""
    before = text[max(0, n.start - 20): n.start]
    included = _INCLUDED_BEFORE.search(text[max(0, n.start - 40): n.start])
    return bool(
        _SUBSET_BEFORE.search(before) or _SUBSET_AFTER.match(text[n.end:]) or _is_age(text, n)
        or (included and included.group("who").lower() not in _WHOLE_EVENT)
    )


def _stops(low: str, token: str) -> bool:
    """True for words that end a noun phrase: verbs, prepositions, numbers, punctuation."""
    return low in _STOP or not low or any(ch.isdigit() for ch in low) or token[-1] in ",;:"


def _head_after(text: str, pos: int, demonyms: re.Pattern[str]) -> re.Match[str] | None:
    """The person noun that a number at ``pos`` counts, within six modifier words."""
    words = 0
    for tok in _TOKEN.finditer(text, pos):
        word = tok.group(0).strip(",.;:()")
        head = _HEAD.match(text, tok.start()) or demonyms.match(text, tok.start())
        if head:
            return head
        if tok.group(0) in "\"“”‘’'":
            continue
        low = word.lower()
        if low == "of":
            nxt = re.match(r"of\s+(?:its|their|our|ours|his|her|[\w’']+['’]s)\b",
                           text[tok.start():])
            if not nxt:
                return None
        elif _stops(low, tok.group(0)):
            return None
        words += 1
        if words > 6:
            return None
    return None


@lru_cache(maxsize=32)
def demonym_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """Plural demonyms from the lexicon ("Ukrainians", "Britons" when listed) as person nouns."""
    aliases = {a for p in lexicon.parties for a in p.aliases}
    plurals = sorted((a for a in aliases if a.endswith("s") and a[:-1] in aliases), key=len)
    plurals += [a + "s" for a in aliases
                if a.endswith(("an", "on", "i")) and a + "s" not in aliases]
    body = "|".join(re.escape(a) for a in sorted(set(plurals), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?:{body})(?![\w])")


# "servicemen of the Russian army", "102 servicemen from the 488th Guards Motorized Rifle
# Regiment of the Russian Federation's Armed Forces": whose people they are, named after them.
_OF_UNIT = re.compile(
    r"\s*(?:of war\s*)?(?:\([^)]*\)\s*)?(?:from|of)\s+(?:the\s+)?(?:(?:[a-z]+\s+){0,2}|"
    r"(?:(?:army|armed|forces|military|navy|guards?|national|motori[sz]ed|mechani[sz]ed|rifle|"
    r"regiments?|brigades?|battalions?|divisions?|units?|special|marines?|airborne|assault|"
    r"tank|infantry|and|\d+\w*|[A-Z][\w-]*|[\"“”'])\s+){0,7}?(?:(?:of|from)\s+(?:the\s+)?)?)"
)


def _nationality(text: str, start: int, head: re.Match[str], parties: list[PartyMention],
                 lexicon: Lexicon) -> str | None:
    """The party the counted people belong to, from words inside or right after the phrase."""
    for p in parties:
        if start <= p.start and p.end <= head.end():
            return p.code
    for p in parties:
        if head.end() <= p.start <= head.end() + 90 and _OF_UNIT.fullmatch(
                text, head.end(), p.start) and not _SOURCE_AFTER.match(text[p.end:]):
            return p.code
    for p in lexicon.parties:
        if any(head.group(0).rstrip("'’s") == a.rstrip("s") for a in p.aliases if a.endswith("s")):
            return p.code
    return None


_BODIES_AFTER = re.compile(r"['’]?\s*(?:bodies|remains|body)\b", re.IGNORECASE)
_LIVING_AFTER = re.compile(
    r"\s+(?:(?:who|that)\s+(?:had\s+)?(?:lived|live|living|resided)|living|residing|resident)\b",
    re.IGNORECASE,
)


def _category(text: str, start: int, head: str, mods: str, after: str) -> Category:
    """Body for remains ("the bodies of 757", "1,000 troops' bodies"), civilian for civilian
    nouns and people "living in" a place, mixed for a total of both, else pow."""
    before = text[max(0, start - 30): start]
    if re.search(rf"\b(?:{v.BODY_WORDS})\b", f"{mods} {head}", re.IGNORECASE) or re.search(
        r"\b(?:bodies|remains|body)\s+of\s+(?:the\s+)?$", before, re.IGNORECASE
    ) or (head.endswith("s") and _BODIES_AFTER.match(after)):
        return "body"
    if re.fullmatch(v.CIVILIAN_HEADS, head, re.IGNORECASE) or re.search(r"\bcivilian", mods, re.I):
        return "civilian"
    if re.fullmatch(v.GENERIC_HEADS, head, re.IGNORECASE) and _LIVING_AFTER.match(after):
        return "civilian"
    if re.fullmatch(v.GENERIC_HEADS, head, re.IGNORECASE) and re.search(
        r"\bcivilians?\b", text, re.IGNORECASE
    ):
        return "mixed"
    return "pow"


def find_people(span: Span, lexicon: Lexicon) -> list[PeopleCount]:
    """Counts of people in ``span`` (offsets are absolute, like the span's)."""
    return list(_find_people(span, lexicon))


@lru_cache(maxsize=4096)
def _find_people(span: Span, lexicon: Lexicon) -> tuple[PeopleCount, ...]:
    text, parties = span.text, find_parties(span.text, lexicon)
    demonyms = demonym_pattern(lexicon)
    out = []
    for n in find_numbers(text):
        if _filtered(text, n):
            continue
        head = _head_after(text, n.end, demonyms)
        if head is None:
            continue
        mods = text[n.end: head.start()]
        nat = _nationality(text, n.start, head, parties, lexicon)
        word = head.group(0).rstrip("'’")
        own = bool(re.search(r"\b(?:its|their|our)\b", mods, re.IGNORECASE)) or word == "ours"
        cat = _category(text, n.start, word, mods, text[head.end(): head.end() + 40])
        out.append(PeopleCount(span.start + n.start, span.start + head.end(),
                               span.start + n.number_start, n.count, word, nat, own, cat))
    return tuple(out + single_people(span, lexicon, out))


_NAME = r"(?:[A-Z][a-zà-ÿ’'\-]+\s+){1,2}[A-Z][a-zà-ÿ\-]+"
_NOT_NAME = frozenset(
    [
        "The", "A", "An", "President", "Prime", "Minister", "Ministry", "Defence",
        "Defense", "Office", "Armed", "Forces", "National", "Guard", "Red", "Cross",
        "State", "Deputy", "Head", "Chief", "General", "Commissioner", "Human", "Rights",
        "Ombudsman", "Telegram", "Facebook", "Reuters", "Interfax", "News", "Agency",
        "United", "Nations", "Kremlin", "Azov", "Azovstal", "Monday", "Tuesday",
        "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
        "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December"
    ]
)
_ORGANISATION = re.compile(
    r"Ministry|Office|Forces|Guard|Service|Cent(?:er|re)|Headquarters|Committee|Council|"
    r"Republic|Region|Oblast|Plant|Island|Station|Agency|Army|Navy|Brigade|Battalion|Regiment|"
    r"Directorate|Staff|Commission|Court|Prison|Colony|Company|Group|University|Party"
)
_TRIGGER = (
    r"(?:in return for|in exchange for|swapped for|traded for|exchanged for|freedom for|"
    r"release of|return of|freed|released|freeing|releasing)\s+"
    r"(?:(?:the|a|an|[a-z][\w.\-]*|[A-Z]\.[A-Z]\.)\s+){0,4}?"
)
_SINGLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_TRIGGER}(?P<who>{_NAME})"), "name"),
    (re.compile(rf"\b{_TRIGGER}(?P<who>(?:[A-Z][\w’']+['’]s\s+)mayor|mayor of [A-Z]\w+)"), "mayor"),
    (re.compile(rf"(?<![\w.])(?P<who>{_NAME}),?\s+(?:[^,.;]{{0,60}},\s+)?(?:had been|has been|was)"
                rf"\s+(?:freed|released|swapped|exchanged|returned|handed over|set free)"), "name"),
    (re.compile(r"\b(?P<who>(?:the\s+)?(?:body|remains) of (?:an?|one|the)\s+[a-z]+)"), "body"),
    (re.compile(rf"(?<![\w.])(?P<who>{_NAME})['’]s\s+(?:body|remains)\b"), "body"),
)


def _real_name(who: str, parties: list[PartyMention]) -> bool:
    """True when every word looks like part of a person's name (not a title, party or month)."""
    last = who.split()[-1]
    if parties or _ORGANISATION.fullmatch(last) or _HEAD.fullmatch(last):
        return False
    return not any(w.strip("’'s") in _NOT_NAME for w in who.split())


def _single_category(text: str, start: int, end: int, kind: str) -> Category:
    if kind in ("body", "mayor"):
        return "body" if kind == "body" else "civilian"
    near = text[max(0, start - 50): end + 80]
    return "pow" if re.search(rf"\b(?:{v.MILITARY_TITLES})s?\b", near, re.I) else "civilian"


_NUMBER_HINT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds?|thousands?|dozens?)\b",
    re.IGNORECASE,
)
_SINGLE_HINT = re.compile(
    r"\b(?:freed|released|freeing|releasing|freedom|release|return|swapped|traded|exchanged|"
    r"exchange|body|remains|mayor)\b",
    re.IGNORECASE,
)
_CAPITAL_AFTER = re.compile(r"(?:\S+\s+){1,5}?[A-Z]|\S*\s*(?:had|has|was)\s+been\b")


@lru_cache(maxsize=4096)
def may_state_figure(text: str) -> bool:
    """A cheap test before the full reading: False when ``text`` has no number, no number word
    and no word that introduces a single named person ("freed Viktor Medvedchuk")."""
    if _NUMBER_HINT.search(text):
        return True
    for m in _SINGLE_HINT.finditer(text):
        word = m.group(0).lower()
        if word in ("body", "remains", "mayor") or _CAPITAL_AFTER.match(text, m.end()):
            return True
        if re.search(r"\b(?:had|has|have|was)\s+been\s+$", text[max(0, m.start() - 20):m.start()]):
            return True
    return False


def single_people(span: Span, lexicon: Lexicon, counted: list[PeopleCount]) -> list[PeopleCount]:
    """Single named people freed or traded ("for Melitopol's mayor"): a count of one."""
    text, out = span.text, []
    for pattern, kind in _SINGLES:
        for m in pattern.finditer(text):
            s, e = m.span("who")
            named = find_parties(m.group("who"), lexicon)
            if kind == "name" and not _real_name(m.group("who"), named):
                continue
            if any(p.start - span.start < e and s < p.end - span.start for p in [*counted, *out]):
                continue
            cat = _single_category(text, s, e, kind)
            out.append(PeopleCount(span.start + s, span.start + e, span.start + s, Count.exact(1),
                                   kind, None, False, cat, single=True))
    return out
