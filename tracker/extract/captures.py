"""Capture tallies: how many people of one party another captured, took in surrender, or holds.

"Ukrainian forces captured 909 Russian servicemen" (cumulative), "959 defenders have given
themselves up to Russian forces since May 16" (a surrender is a capture by the other side),
"with 694 of them surrendering in the last 24 hours" (an increment), "Ukraine currently has 562
prisoners of war", "3,392 Ukrainians remain captives of Russia" (holdings). Not captures: people
living under occupation, deaths, figures inside a transfer, and vague figures that only restate
an exact one ("more than 900" beside "909").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from tracker.extract import scope
from tracker.extract import vocabulary as v
from tracker.extract.claimants import Claimant, claimant_near
from tracker.extract.dates import find_dates, period_start
from tracker.extract.numbers import find_numbers
from tracker.extract.parties import PartyMention, find_parties, other_side, present_belligerents
from tracker.extract.people import PeopleCount, find_people, may_state_figure
from tracker.extract.sentences import Span, clauses
from tracker.extract.timeline import sentence_date
from tracker.extract.types import (
    CaptureCandidate,
    CaptureKind,
    Count,
    DateValue,
    Evidence,
    Lexicon,
)

_CAPTURE = re.compile(
    r"\b(?:captured|capturing|captures|took|taken|taking|takes|seized|detained|abducted)\b"
    r"(?:\s+(?:prisoner|captive)\b)?",
    re.IGNORECASE,
)
_SURRENDER = re.compile(
    r"\b(?:surrender\w*|given themselves up|gave themselves up|giving themselves up|"
    r"laid down (?:their )?arms)\b",
    re.IGNORECASE,
)
_HELD = re.compile(
    r"\b(?:held|kept|imprisoned|detained|remain\w* captives?|remain\w* in captivity|in captivity|"
    r"captives? of|held captive|being held)\b",
    re.IGNORECASE,
)
_HOLDS = re.compile(
    r"\b(?:holds|hold|held|is holding|are holding|was holding|were holding|has|have|had|keeps|"
    r"kept|is keeping|currently has|still holds|now holds)\b[\s,]*"
    r"(?:(?:currently|now|still|officially|reportedly|some|about|around|approximately|,)\s*)*$",
    re.IGNORECASE,
)
# "... that Moscow says are in its hands", "... remain in Russian custody"
_IN_HANDS = re.compile(
    r"\b(?:are|is|were|was|remain\w*|being\s+held|held)\s+(?:still\s+)?in\s+(?:(?:its|their|his|"
    r"our)\s+|[\w’']+['’]s\s+)?(?:hands|custody|captivity|prisons?)\b",
    re.IGNORECASE,
)
# "were taken to one of the prisons in Ukraine", "sent to Russian prison camps"
_TO_PRISON = re.compile(
    r"^[^.;]{0,90}?\b(?:were|was|have\s+been|had\s+been)\s+(?:taken|sent|brought|transferred|"
    r"moved|delivered)\s+to\s+[^.;]{0,40}?\b(?:prisons?|camps?|detention|custody|captivity|"
    r"colony|colonies)\b",
    re.IGNORECASE,
)
# "every week sees 60 to 90 give themselves up", "40 to 70 a week": a rate, not a tally
_RATE = re.compile(
    r"\b(?:(?:a|per|every|each)\s+(?:week|day|month)|weekly|daily|on\s+average)\b", re.IGNORECASE
)
_CAPTIVE_WORDS = re.compile(r"captiv|custody|prison|hands", re.IGNORECASE)
_IN_PLACE = re.compile(r"[^.;,]{0,30}?\b(?:remain\w*|are|is|still|being|kept|held)\b"
                       r"(?:\s+(?!who|whom|which|that)\w+){0,2}?\s+in\s+(?:the\s+)?", re.I)
_CAPTIVITY = re.compile(r"\s*(?:captivity|custody|prisons?|jails?|detention)\b", re.IGNORECASE)
_DEATH = re.compile(r"\b(?:kill\w*|died|dead|death|executed|execution|murder\w*|bodies|body|"
                    r"wounded|injured|hospitali[sz]ed|shot)\b", re.IGNORECASE)
_TRANSFER = re.compile(
    rf"\b(?:{v.RELEASE_VERBS}|{v.HOMECOMING}|{v.TWO_WAY}|swap|exchange of)\b", re.IGNORECASE
)
_TOTAL_AT = re.compile(
    r"\b(?:total|number)\b[^.;]*?\b(?:who|that)\b[^.;]*?\b(?:captured|taken captive|"
    r"taken prisoner|surrendered)\b[^.;]*?\b(?:stands at|is|reached|at|totals)\s+$",
    re.IGNORECASE,
)
_TOTAL_WORD = re.compile(r"total|number", re.IGNORECASE)
_INCREMENT = re.compile(r"\b(?:in|over|during|within)\s+(?:the\s+)?(?:last|past)\b", re.IGNORECASE)
_NEXT_LINK = re.compile(r"^\W*(?:with\s+)?(?:\S+\s+){0,2}$", re.IGNORECASE)


@dataclass
class Context:
    """What one clause offers: text, parties, claimant side, dates."""

    text: str
    clause: Span
    parties: list[PartyMention]
    claimant: str | None
    claimant_party: str | None
    published: dt.date
    lexicon: Lexicon
    present: tuple[str, ...]
    date: DateValue | None


def _subject(ctx: Context, pos: int) -> str | None:
    """The party that acts before ``pos`` in the clause ("Ukrainian forces", "it", "its forces")."""
    before = [p for p in ctx.parties if ctx.clause.start <= p.start and p.end <= pos]
    for p in reversed(before):
        if not re.search(r"\b(?:with|from|to|for|against|of|in|on|inside|within|into|near|at|"
                         r"over|across|outside)\s+(?:the\s+)?$",
                         ctx.text[max(0, p.start - 20): p.start], re.IGNORECASE):
            return p.code
    if re.search(r"\b(?:its|our|their)\s+(?:forces|troops|army|military|units)\b",
                 ctx.text[ctx.clause.start:pos], re.IGNORECASE):
        return ctx.claimant_party
    return None


def _pair(ctx: Context, captor: str | None, captive: str | None) -> tuple[str, str] | None:
    """Captor and captive, the missing one being the other belligerent. Foreign nationals
    ("two North Korean soldiers") are captives of their own state's code, taken by the side the
    claimant speaks for, or else by the side opposite the one they fought for."""
    bell = {p.code for p in ctx.lexicon.belligerents()}
    foreign = {p.code for p in ctx.lexicon.foreign()}
    if captor and captor in bell and not captive:
        captive = other_side(captor, ctx.lexicon, ctx.present)
    if captive and captive in bell and not captor:
        captor = other_side(captive, ctx.lexicon, ctx.present)
    if captive in foreign and not captor:
        captor = ctx.claimant_party if ctx.claimant_party in bell else _against(ctx)
    if captor and captive and captor != captive and captor in bell and (
            captive in bell or captive in foreign):
        return captor, captive
    return None


_FOUGHT_FOR = re.compile(
    r"\b(?:fighting|fought|serving|served|deployed)\s+(?:for|on|in|with|alongside)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _against(ctx: Context) -> str | None:
    """The side opposite the one named as the one foreign fighters fought for."""
    for q in ctx.parties:
        if ctx.clause.start <= q.start < ctx.clause.end and _FOUGHT_FOR.search(
                ctx.text[max(0, q.start - 40): q.start]):
            return other_side(q.code, ctx.lexicon, ctx.present)
    return None


def _party_after(ctx: Context, start: int, words: str) -> str | None:
    """A party named right after ``start`` behind one of ``words`` ("by Russia", "of Russia")."""
    for p in ctx.parties:
        gap = ctx.text[start: p.start]
        if p.start >= start and re.fullmatch(rf"[^.;]{{0,60}}\b(?:{words})\s+(?:the\s+)?", gap):
            return p.code
    return None


def _holding(ctx: Context, p: PeopleCount) -> tuple[str, str] | None:
    """"PARTY holds N", "N are held by PARTY", "N remain captives of PARTY"."""
    rel = p.start - ctx.clause.start
    before = ctx.clause.text[max(0, rel - 60): rel]
    if _HOLDS.search(before):
        return _pair(ctx, _subject(ctx, p.start), p.nationality)
    after = ctx.text[p.end: min(ctx.clause.end, p.end + 80)]
    for q in ctx.parties:
        # "8,000 Ukrainians remain in Russian captivity": the captor is named before the place
        if not p.end <= q.start <= p.end + 60 or q.end > ctx.clause.end:
            continue
        gap = ctx.text[p.end: q.start]
        if _IN_PLACE.fullmatch(gap) and _CAPTIVITY.match(ctx.text[q.end: q.end + 30]):
            return _pair(ctx, q.code, p.nationality)
    hands = _IN_HANDS.search(after)
    if hands:  # "those 6,500 Ukrainian troops that Moscow says are in its hands"
        speaker = next((q.code for q in ctx.parties if p.end <= q.start < p.end + hands.start()
                        and re.search(r"\b(?:that|which|whom)\s+$", ctx.text[p.end:q.start])), None)
        return _pair(ctx, speaker or _possessor(ctx, p.end + hands.start(), p.end + hands.end())
                     or _party_after(ctx, p.end, r"by|of|in"), p.nationality)
    held = _HELD.search(after)
    if held and not re.search(r"\b(?:who|whom|whose|which|that|where)\b", after[: held.start()]):
        captor = _party_after(ctx, p.end, r"by|of|in")
        if captor is None and _CAPTIVE_WORDS.search(held.group(0)):
            return _pair(ctx, None, p.nationality)  # "8,000 Ukrainians are still in captivity"
        return _pair(ctx, captor, p.nationality) if captor else None
    return None


def _possessor(ctx: Context, start: int, end: int) -> str | None:
    """The party named inside "in Russian custody", "in Russia's hands"."""
    return next((q.code for q in ctx.parties if start <= q.start < end), None)


def _taken(ctx: Context, p: PeopleCount) -> tuple[tuple[str, str], str] | None:
    """Captured ("Ukrainian forces captured 909") or surrendered ("959 ... gave themselves up
    to Russian forces"); returns the pair and the rule name."""
    rel = p.start - ctx.clause.start
    before, after = ctx.clause.text[max(0, rel - 80): rel], ctx.text[p.end: ctx.clause.end]
    m = next(reversed(list(_CAPTURE.finditer(before))), None)
    if m and len(before[m.end():].split()) <= 3:
        pair = _pair(ctx, _subject(ctx, p.start - len(before) + m.start()), p.nationality)
        return (pair, "capture.verb") if pair else None
    if re.match(r"^\W*(?:\S+\s+){0,3}?(?:prisoners?|captives?)\b", after) and re.search(
            r"\b(?:took|taken|take|takes|taking)\s+$", before):
        pair = _pair(ctx, _subject(ctx, p.start), p.nationality)
        return (pair, "capture.took_prisoner") if pair else None
    if _SURRENDER.search(after[:80]):
        pair = _pair(ctx, _party_after(ctx, p.end, "to"), p.nationality)
        return (pair, "capture.surrender") if pair else None
    passive = re.search(r"\b(?:were|have been|had been|was)\s+(?:captured|taken prisoner)\b",
                        after[:60])
    if passive and not re.search(r"\b(?:of whom|of them|among them)\b", after[: passive.start()]):
        pair = _pair(ctx, _party_after(ctx, p.end, "by"), p.nationality)
        return (pair, "capture.passive") if pair else None
    prison = _TO_PRISON.match(after)
    if prison:
        pair = _pair(ctx, _party_after(ctx, p.end + prison.start(), "in|to") or _possessor(
            ctx, p.end + prison.end() - 30, p.end + prison.end()), p.nationality)
        return (pair, "capture.to_prison") if pair else None
    return None


def _when(ctx: Context, p: PeopleCount, kind: CaptureKind) -> tuple[CaptureKind, DateValue,
                                                                    DateValue | None]:
    """Kind, as-of date and period start of a tally from the words around it."""
    window = ctx.text[p.start: ctx.clause.end]
    window = re.split(r",\s+(?:with|while|and)\b", window)[0]
    as_of = next((d.value for d in find_dates(ctx.clause.text, ctx.published) if d.role == "as_of"),
                 None)
    as_of = as_of or ctx.date or DateValue(ctx.published, "day", True)
    lead = ctx.text[ctx.clause.start: p.start]  # "Over the past day, 12 ... surrendered"
    lead = lead if _INCREMENT.match(lead.strip()) else ""
    start = period_start(lead + window, ctx.published) if kind != "holding" else None
    if kind != "holding" and start and _INCREMENT.search(lead + window):
        kind = "increment"
    return kind, as_of, start


def _candidate(ctx: Context, p: PeopleCount, pair: tuple[str, str], kind: CaptureKind,
               rule: str) -> CaptureCandidate:
    kind, as_of, start = _when(ctx, p, kind)
    ev = Evidence(p.start, p.end, ctx.text[p.start:p.end], rule, ctx.claimant)
    return CaptureCandidate(pair[0], pair[1], p.category, kind, p.count, as_of, ev, start)


def _breakdown(ctx: Context, people: list[PeopleCount]) -> list[PeopleCount]:
    """A total followed by its parts ("4,337 people — 3,574 soldiers and 763 civilians") gives
    way to the parts, which carry the categories."""
    out: list[PeopleCount] = []
    total: PeopleCount | None = None
    for p in people:
        gap = ctx.text[out[-1].end: p.start] if out else ""
        if out and re.match(r"^[^.;,]{0,30}?[—–:]\s*$", gap):
            total = out.pop()
        elif not (total and re.fullmatch(r"\s*(?:and|,|, and)\s*", gap)):
            total = None
        out.append(replace(p, nationality=p.nationality or (total.nationality if total else None),
                           start=total.start if total else p.start) if total else p)
    return out


def _surrender_increment(ctx: Context, found: list[CaptureCandidate]) -> list[CaptureCandidate]:
    """"959 ... have given themselves up since May 16, with 694 of them surrendering in the last
    24 hours": the part tied to a shorter period is an increment of the same parties."""
    out = []
    for m in re.finditer(r"\bwith\s+(?P<n>[\d,]+)\s+of\s+them\s+(?:surrender\w*|captured|taken)",
                         ctx.clause.text):
        base = next((c for c in found if c.evidence.end <= ctx.clause.start + m.start()), None)
        start = period_start(m.group(0) + ctx.clause.text[m.end(): m.end() + 40], ctx.published)
        if base is None or start is None:
            continue
        s, e = ctx.clause.start + m.start("n"), ctx.clause.start + m.end("n")
        n = int(m.group("n").replace(",", ""))
        ev = Evidence(s, e, ctx.text[s:e], "capture.part_of_period", ctx.claimant)
        out.append(replace(base, kind="increment", count=replace(base.count, low=n, best=n, high=n,
                                                                 qualifier="exact"),
                           evidence=ev, period_start=start))
    return out


def clause_captures(ctx: Context) -> list[CaptureCandidate]:
    """Capture tallies stated in one clause; those not done ("might be captured") are doubtful,
    rates ("60 to 90 a week") are no tally."""
    people = _breakdown(ctx, [p for p in find_people(ctx.clause, ctx.lexicon) if not p.single])
    found: list[CaptureCandidate] = []
    for p in people:
        if v.IN_THE_SWAP.match(ctx.text, p.end, ctx.clause.end):
            continue  # "the 103 Russian soldiers in the exchange had been captured in August"
        own_clause = bool(_HANDS_CLAUSE.match(ctx.text, p.end, ctx.clause.end))
        if _DEATH.search(_segment(ctx, p)) or _governs(_RATE, ctx, p) or (
                _governs(_TRANSFER, ctx, p) and not own_clause):
            continue
        held = _holding(ctx, p)
        taken = None if held else _taken(ctx, p)
        if held:
            c = _candidate(ctx, p, held, "holding", "capture.holding")
        elif taken:
            c = _candidate(ctx, p, taken[0], "cumulative", taken[1])
        else:
            continue
        c.doubt = None if own_clause else scope.not_done(
            ctx.clause.text, p.start - ctx.clause.start, p.end - ctx.clause.start)
        found.append(c)
    total = _stated_total(ctx)
    if total and scope.mentions_not_done(ctx.clause.text):
        total = [replace(c, doubt="not done: the clause reports something not done")
                 for c in total]
    return found + _surrender_increment(ctx, found) + total


# "those 6,500 Ukrainian troops that Moscow says are in its hands": a holding, whatever verb
# governs the phrase ("can be swapped for a portion of those ...").
_HANDS_CLAUSE = re.compile(
    r"\s+(?:that|which|whom)\s+[^,.;]{0,40}?\b(?:are|is|remain)\s+(?:still\s+)?in\s+"
    r"(?:its|their|his|our)\s+(?:hands|custody|captivity)\b",
    re.IGNORECASE,
)


def _governs(pattern: re.Pattern[str], ctx: Context, p: PeopleCount) -> bool:
    """True when ``pattern`` stands in the stretches that govern the count: a transfer verb
    ("freed 90 Ukrainians held in captivity"), a rate ("every week sees 60 to 90 servicemen
    give themselves up")."""
    text, rel_s, rel_e = ctx.clause.text, p.start - ctx.clause.start, p.end - ctx.clause.start
    starts = _may_start(pattern, text)
    for a, b in scope.governed(text, rel_s, rel_e):
        i = bisect.bisect_left(starts, a)  # no search where no match can begin (long clauses)
        if i < len(starts) and starts[i] < b and pattern.search(text, a, b):
            return True
    return False


@lru_cache(maxsize=1024)
def _may_start(pattern: re.Pattern[str], text: str) -> tuple[int, ...]:
    """Every position of ``text`` where a match of ``pattern`` could begin, in ``text`` or in
    any stretch of it: where the pattern matches with its word boundaries left out (they are
    all it could see differently at a stretch's end)."""
    loose = _loose(pattern)
    out, pos = [], 0
    while m := loose.search(text, pos):
        out.append(m.start())
        pos = m.start() + 1
    return tuple(out)


@lru_cache(maxsize=32)
def _loose(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern.replace(r"\b", ""), pattern.flags)


_REGION = re.compile(
    r"\b(?P<name>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)(?:['’]s)?\s+(?:region|Region|oblast|Oblast|"
    r"province|Province|area|district|front|direction|sector)\b"
    r"|\b(?P<op>[A-Z][a-z]+)\s+(?:operation|incursion|offensive|counteroffensive)\b"
)


@lru_cache(maxsize=32)
def _party_words(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(a.lower() for p in lexicon.parties for a in (*p.aliases, p.name))


def region(text: str, lexicon: Lexicon) -> str | None:
    """The region a sentence names ("in Russia's Kursk region", "Kharkiv Oblast", "the Kursk
    operation"), not a party's own name."""
    names = _party_words(lexicon)
    for m in _REGION.finditer(text):
        name = m.group("name") or m.group("op")
        if name.lower() not in names and name not in ("The", "This", "That", "Its", "Their"):
            return name
    return None


def _segment(ctx: Context, p: PeopleCount) -> str:
    """The comma-bounded stretch of the clause around a count."""
    text, rel_s, rel_e = ctx.clause.text, p.start - ctx.clause.start, p.end - ctx.clause.start
    start = text.rfind(", ", 0, rel_s)
    end = text.find(", ", rel_e)
    return text[start + 1 if start >= 0 else 0: end if end >= 0 else len(text)]


def _stated_total(ctx: Context) -> list[CaptureCandidate]:
    """"The total of Ukrainian troops who were taken captive or surrendered stands at more than
    6,000": the people come before the number, which has no noun of its own."""
    out: list[CaptureCandidate] = []
    if not _TOTAL_WORD.search(ctx.clause.text):
        return out  # _TOTAL_AT needs one of its words: no search before every number
    for n in find_numbers(ctx.clause.text):
        m = _TOTAL_AT.search(ctx.clause.text[: n.start])
        if not m:
            continue
        nat = next((p.code for p in ctx.parties if ctx.clause.start + m.start() <= p.start
                    < ctx.clause.start + n.start), None)
        pair = _pair(ctx, None, nat)
        if pair:
            s, e = ctx.clause.start + n.start, ctx.clause.start + n.end
            fake = PeopleCount(s, e, s, n.count, "total", nat, False, "pow")
            out.append(_candidate(ctx, fake, pair, "cumulative", "capture.stated_total"))
    return out


def _one_tally(found: list[CaptureCandidate]) -> list[CaptureCandidate]:
    """One statement gives one tally: the same figure of the same parties as of the same date,
    read once as a holding ("is holding more than 6,000") and once as a cumulative capture
    ("6,000 captured or surrendered"), is kept once, as the holding (the figure the article says
    is held now; counting it as captured too would set it against releases twice)."""
    def key(c: CaptureCandidate) -> tuple[object, ...]:
        return (c.captor, c.captive, c.count.best, c.count.qualifier, c.as_of.value)

    held = {key(c) for c in found if c.kind == "holding"}
    out: list[CaptureCandidate] = []
    kept: set[tuple[object, ...]] = set()
    for c in found:
        if (c.kind != "holding" and key(c) in held) or key(c) in kept:
            continue
        kept.add(key(c))
        out.append(c)
    return out


def _restatements(found: list[CaptureCandidate]) -> list[CaptureCandidate]:
    """Drop vague or rounded figures that restate an exact one of the same parties (keeping the
    period they give), and repeated figures."""
    out: list[CaptureCandidate] = []
    found = _one_tally(found)
    exact: dict[tuple[str, str], list[int]] = defaultdict(list)  # sorted figures of each pair
    for c in found:
        if c.count.qualifier == "exact":
            exact[(c.captor, c.captive)].append(c.count.best)
    for figures in exact.values():
        figures.sort()
    kept: set[tuple[object, ...]] = set()
    for c in found:
        same = exact.get((c.captor, c.captive), [])  # for a rough c: the exact others
        if c.count.qualifier != "exact" and _restates_one(c.count, same):
            continue
        if c.count.qualifier == "vague" and same:
            continue
        key = (c.captor, c.captive, c.count.best, c.kind)
        if key in kept:
            continue
        kept.add(key)
        out.append(c)
    periods = _Periods(found)
    return [periods.given(c) for c in out]


def _restates(rough: Count, n: int) -> bool:
    """True when the exact figure ``n`` is one that ``rough`` rounds ("more than 900": 909)."""
    return rough.low <= n and (rough.high is None or n <= rough.high) and n <= rough.best * 1.2


def _restates_one(rough: Count, figures: list[int]) -> bool:
    """True when ``rough`` restates one of the sorted exact ``figures``: the smallest one not
    below its low end is the one to try (its top ends bound from above)."""
    i = bisect.bisect_left(figures, rough.low)
    return i < len(figures) and _restates(rough, figures[i])


class _Periods:
    """An exact figure takes the period of the rounded restatement it replaced: the first
    tally of the same pair with a period that restates it."""

    def __init__(self, found: list[CaptureCandidate]) -> None:
        self.dated: dict[tuple[str, str], list[CaptureCandidate]] = defaultdict(list)
        for o in found:
            if o.period_start:
                self.dated[(o.captor, o.captive)].append(o)
        self.first: dict[tuple[str, str, int], DateValue | None] = {}

    def given(self, c: CaptureCandidate) -> CaptureCandidate:
        if c.period_start or c.count.qualifier != "exact":
            return c
        key = (c.captor, c.captive, c.count.best)
        if key not in self.first:
            self.first[key] = next((o.period_start for o in self.dated[key[:2]]
                                    if _restates(o.count, c.count.best)), None)
        start = self.first[key]
        return replace(c, period_start=start) if start else c


def find_captures(text: str, published: dt.date, lexicon: Lexicon, sentences: list[Span],
                  said: list[list[Claimant]]) -> list[CaptureCandidate]:
    """All capture tallies an article states (``said``: the claimants of each sentence)."""
    present = present_belligerents(text, lexicon)
    found: list[CaptureCandidate] = []
    for s, claimants in zip(sentences, said, strict=True):
        if not may_state_figure(s.text):
            continue
        parties = [replace(p, start=p.start + s.start, end=p.end + s.start)
                   for p in find_parties(s.text, lexicon)]
        date = sentence_date(s.text, published, None)
        for c in clauses(s):
            who = claimant_near(claimants, c.start - s.start)
            ctx = Context(text, c, parties, who.text if who else None, who.party if who else None,
                          published, lexicon, present, date)
            tallies = clause_captures(ctx)
            if tallies:
                where = region(c.text, lexicon) or region(s.text, lexicon)
                found.extend(replace(t, region=t.region or where) for t in tallies)
    return _restatements(found)
