"""Capture tallies: how many people of one party another captured, took in surrender, or holds.

"Ukrainian forces captured 909 Russian servicemen" (cumulative), "959 defenders have given
themselves up to Russian forces since May 16" (a surrender is a capture by the other side),
"with 694 of them surrendering in the last 24 hours" (an increment), "Ukraine currently has 562
prisoners of war", "3,392 Ukrainians remain captives of Russia" (holdings). Not captures: people
living under occupation, deaths, figures inside a transfer, and vague figures that only restate
an exact one ("more than 900" beside "909").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from tracker.extract import vocabulary as v
from tracker.extract.claimants import Claimant, claimant_near
from tracker.extract.dates import find_dates, period_start
from tracker.extract.numbers import find_numbers
from tracker.extract.parties import PartyMention, find_parties, other_side
from tracker.extract.people import PeopleCount, find_people, may_state_figure
from tracker.extract.sentences import Span, clauses
from tracker.extract.timeline import sentence_date
from tracker.extract.types import CaptureCandidate, CaptureKind, DateValue, Evidence, Lexicon

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
    r"\b(?:holds|is holding|are holding|has|have|keeps|is keeping|currently has|still holds|"
    r"now holds)\b[\s,]*(?:(?:currently|now|still|officially|reportedly|some|,)\s*)*$",
    re.IGNORECASE,
)
_IN_PLACE = re.compile(r"[^.;,]{0,30}?\b(?:remain\w*|are|is|still|being|kept|held)\b"
                       r"(?:\s+(?!who|whom|which|that)\w+){0,2}?\s+in\s+(?:the\s+)?", re.I)
_CAPTIVITY = re.compile(r"\s*(?:captivity|custody|prisons?|jails?|detention)\b", re.IGNORECASE)
_DEATH = re.compile(r"\b(?:kill\w*|died|dead|death|executed|execution|murder\w*|bodies|body|"
                    r"wounded|injured|hospitali[sz]ed|shot)\b", re.IGNORECASE)
_TRANSFER = re.compile(rf"\b(?:{v.RELEASE_VERBS}|{v.HOMECOMING}|{v.TWO_WAY}|swap|exchange of)\b", re.I)
_TOTAL_AT = re.compile(
    r"\b(?:total|number)\b[^.;]*?\b(?:who|that)\b[^.;]*?\b(?:captured|taken captive|"
    r"taken prisoner|surrendered)\b[^.;]*?\b(?:stands at|is|reached|at|totals)\s+$",
    re.IGNORECASE,
)
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
        if not re.search(r"\b(?:with|from|to|for|against|of|in|on)\s+(?:the\s+)?$",
                         ctx.text[max(0, p.start - 20): p.start], re.IGNORECASE):
            return p.code
    if re.search(r"\b(?:its|our|their)\s+(?:forces|troops|army|military|units)\b",
                 ctx.text[ctx.clause.start:pos], re.IGNORECASE):
        return ctx.claimant_party
    return None


def _pair(ctx: Context, captor: str | None, captive: str | None) -> tuple[str, str] | None:
    """Captor and captive, the missing one being the other belligerent."""
    bell = {p.code for p in ctx.lexicon.belligerents()}
    if captor and captor in bell and not captive:
        captive = other_side(captor, ctx.lexicon, ctx.present)
    if captive and captive in bell and not captor:
        captor = other_side(captive, ctx.lexicon, ctx.present)
    if captor and captive and captor != captive and captor in bell and captive in bell:
        return captor, captive
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
    held = _HELD.search(after)
    if held and not re.search(r"\b(?:who|whom|which|that|where)\b", after[: held.start()]):
        captor = _party_after(ctx, p.end, r"by|of|in")
        return _pair(ctx, captor, p.nationality) if captor else None
    return None


def _taken(ctx: Context, p: PeopleCount) -> tuple[tuple[str, str], str] | None:
    """Captured ("Ukrainian forces captured 909") or surrendered ("959 ... gave themselves up
    to Russian forces"); returns the pair and the rule name."""
    rel = p.start - ctx.clause.start
    before, after = ctx.clause.text[max(0, rel - 80): rel], ctx.text[p.end: ctx.clause.end]
    m = next(reversed(list(_CAPTURE.finditer(before))), None)
    if m and len(before[m.end():].split()) <= 3:
        pair = _pair(ctx, _subject(ctx, p.start - len(before) + m.start()), p.nationality)
        return (pair, "capture.verb") if pair else None
    if re.match(r"^\W*(?:\S+\s+){0,3}?prisoner\b", after) and re.search(r"\btook\s+$", before):
        pair = _pair(ctx, _subject(ctx, p.start), p.nationality)
        return (pair, "capture.took_prisoner") if pair else None
    if _SURRENDER.search(after[:80]):
        pair = _pair(ctx, _party_after(ctx, p.end, "to"), p.nationality)
        return (pair, "capture.surrender") if pair else None
    if re.search(r"\b(?:were|have been|had been|was)\s+(?:captured|taken prisoner)\b", after[:60]):
        pair = _pair(ctx, _party_after(ctx, p.end, "by"), p.nationality)
        return (pair, "capture.passive") if pair else None
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
    """Capture tallies stated in one clause."""
    people = _breakdown(ctx, [p for p in find_people(ctx.clause, ctx.lexicon) if not p.single
                              and not v.not_done_upto(ctx.clause.text, p.end - ctx.clause.start)])
    found: list[CaptureCandidate] = []
    for p in people:
        segment = _segment(ctx, p)
        if _TRANSFER.search(segment) or _DEATH.search(segment):
            continue
        held = _holding(ctx, p)
        if held:
            found.append(_candidate(ctx, p, held, "holding", "capture.holding"))
            continue
        taken = _taken(ctx, p)
        if taken:
            found.append(_candidate(ctx, p, taken[0], "cumulative", taken[1]))
    total = [] if v.NOT_DONE.search(ctx.clause.text) else _stated_total(ctx)
    return found + _surrender_increment(ctx, found) + total


def _segment(ctx: Context, p: PeopleCount) -> str:
    """The comma-bounded stretch of the clause around a count."""
    text, rel_s, rel_e = ctx.clause.text, p.start - ctx.clause.start, p.end - ctx.clause.start
    start = text.rfind(", ", 0, rel_s)
    end = text.find(", ", rel_e)
    return text[start + 1 if start >= 0 else 0: end if end >= 0 else len(text)]


def _stated_total(ctx: Context) -> list[CaptureCandidate]:
    """"The total of Ukrainian troops who were taken captive or surrendered stands at more than
    6,000": the people come before the number, which has no noun of its own."""
    out = []
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
    for c in found:
        if c.kind != "holding" and key(c) in held:
            continue
        if any(key(o) == key(c) for o in out):
            continue
        out.append(c)
    return out


def _restatements(found: list[CaptureCandidate]) -> list[CaptureCandidate]:
    """Drop vague or rounded figures that restate an exact one of the same parties (keeping the
    period they give), and repeated figures."""
    out: list[CaptureCandidate] = []
    found = _one_tally(found)
    for c in found:
        same = [o for o in found if (o.captor, o.captive) == (c.captor, c.captive) and o is not c
                and o.count.qualifier == "exact"]
        if c.count.qualifier != "exact" and any(_restates(c, o) for o in same):
            continue
        if c.count.qualifier == "vague" and same:
            continue
        if any((o.captor, o.captive, o.count.best, o.kind) == (c.captor, c.captive, c.count.best,
                                                              c.kind) for o in out):
            continue
        out.append(c)
    return [_with_period(c, found) for c in out]


def _restates(rough: CaptureCandidate, exact: CaptureCandidate) -> bool:
    n, r = exact.count.best, rough.count
    return r.low <= n and (r.high is None or n <= r.high) and n <= r.best * 1.2


def _with_period(c: CaptureCandidate, found: list[CaptureCandidate]) -> CaptureCandidate:
    """An exact figure takes the period of the rounded restatement it replaced."""
    if c.period_start or c.count.qualifier != "exact":
        return c
    for o in found:
        if (o.captor, o.captive) == (c.captor, c.captive) and o.period_start and _restates(o, c):
            return replace(c, period_start=o.period_start)
    return c


def find_captures(text: str, published: dt.date, lexicon: Lexicon, sentences: list[Span],
                  said: list[list[Claimant]]) -> list[CaptureCandidate]:
    """All capture tallies an article states (``said``: the claimants of each sentence)."""
    from tracker.extract.exchanges import present_belligerents

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
            found.extend(clause_captures(ctx))
    return _restatements(found)
