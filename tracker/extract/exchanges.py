"""Completed exchanges and their directional transfers.

Each clause that reports people changing hands ("each side released 150", "Russia handed over
215 in exchange for 55", "189 Ukrainians returned home") gives transfers; transfers on one date
form one exchange. Agreed, planned or cancelled swaps and running totals over many swaps ("2,598
have come home since 2022") are kept as doubtful candidates with their reason (``scope``); not
candidates at all: vague figures, combined totals of both sides ("almost 200 prisoners were
exchanged") and subsets of a figure already counted.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from itertools import pairwise

from tracker.extract import scope
from tracker.extract import vocabulary as v
from tracker.extract.claimants import Claimant, claimant_near
from tracker.extract.dates import may_name_date
from tracker.extract.direction import Direction, Scene, direction, verbs_between
from tracker.extract.folding import folded
from tracker.extract.parties import find_parties, present_belligerents
from tracker.extract.people import PeopleCount, find_people, may_state_figure
from tracker.extract.sentences import Span, clauses
from tracker.extract.symmetric import symmetric_counts
from tracker.extract.timeline import only_speech_date, sentence_date
from tracker.extract.types import (
    SAME_DAY_SPREAD,
    Count,
    DateValue,
    Evidence,
    ExchangeCandidate,
    Lexicon,
    TransferCandidate,
)

_TRANSFER_VERBS = (
    rf"{v.RELEASE_VERBS}|{v.RECEIVE_VERBS}|{v.HOMECOMING}|{v.TWO_WAY}|swap for|in exchange for"
)
_TRANSFER_WORDS = folded(rf"\b(?:{_TRANSFER_VERBS})\b")
_EXCHANGE_TALK = folded(rf"\b(?:{v.EXCHANGE_WORDS}|{_TRANSFER_VERBS})\b")
_RELATIVE = re.compile(
    rf"^\s*,?\s*(?:who|that)\s+(?:had\s+|have\s+|were\s+|was\s+)?(?:{_TRANSFER_VERBS})\b"
    r"[^,.;]*?\b(?:had|have|has|were|was|are|is|include|included|includes)\b",
    re.IGNORECASE,
)
# "Putin has announced a 175-for-175 prisoner swap": the formula of a swap announced, perhaps
# before it took place
_ANNOUNCED = folded(r"\b(?:announced|announces|announcing|unveiled|revealed)\s+(?:an?\s+|the\s+)?$")
_FORMULA = folded(r"\b(?:agreements?|agreed|deal|negotiat\w*|talks)\b")
_PAIR_WORDS = re.compile(r"\d\s*(?:[-–]\s*for\s*[-–]\s*|\s+for\s+|[-–/])\s*\d", re.I)
_DEAL = folded(r"\b(?:deal|agreement|agreed|envisag\w*|talks|negotiat\w*|formula)\b")
_SWAP_NOUN = folded(r"\b(?:swaps?|exchanges?|trades?)\b")
_STAGE = re.compile(r"\b(?:stage|phase|first group|second group)\b", re.IGNORECASE)
_FOR_LINK = re.compile(r"\b(?:in return for|in exchange for|for)\b[^0-9]{0,40}$", re.IGNORECASE)
_AND_LINK = re.compile(r"^[\s,]*(?:and|plus|as well as|along with)?[\s,]*(?:also\s+)?"
                       r"(?:in addition,?\s*)?(?:of\s+)?$", re.IGNORECASE)
_AND_VERB = re.compile(r"^[\s,]*(?:and|plus|as well as|along with)\s+(?:\S+\s+){0,5}$", re.I)
_PARTS_LINK = re.compile(r"^\s*(?:[–—:(-]|,\s*(?:namely|i\.e\.))\s*$")


@dataclass
class Found:
    """A transfer read from one clause, before it is put into an exchange."""

    transfer: TransferCandidate
    date: DateValue | None
    firm: bool
    sentence: Span
    weak: bool = False  # dated only by the running context or by the date of a statement
    said_on: int | None = None  # index of its sentence when dated only by a statement's date
    at: int = 0  # index of its sentence

    @property
    def doubt(self) -> str | None:
        """Not done, or perhaps a running total: held back for review (the candidate's)."""
        return self.transfer.doubt


@dataclass
class Reading:
    """The article-wide state while reading sentence by sentence."""

    text: str
    published: dt.date
    lexicon: Lexicon
    present: tuple[str, ...]
    context: DateValue | None = None
    claimants: list[Claimant] = field(default_factory=list)  # of the sentence being read
    undirected: set[int] = field(default_factory=set)  # counts stated with no direction


def _groups(people: list[PeopleCount], text: str) -> list[tuple[PeopleCount, str]]:
    """Counts with how each relates to the one before: "", "and" (same way), "for" (opposite).

    Counts that break down the one before ("130 people – 126 servicemen and four women") are
    dropped; counts joined by "and" of one category are summed ("six officers plus 101 privates").
    """
    out: list[tuple[PeopleCount, str]] = []
    parts_of: PeopleCount | None = None
    for p in people:
        if not out:
            out.append((p, ""))
            continue
        prev = out[-1][0]
        gap = text[prev.end: p.start]
        if _PARTS_LINK.match(gap) or (parts_of and _AND_LINK.match(gap)):
            parts_of = parts_of or prev
            continue
        parts_of = None
        if (_AND_LINK.match(gap) and p.category == prev.category and not (p.single or prev.single)
                and p.nationality == prev.nationality):
            out[-1] = (_summed(prev, p), out[-1][1])
        elif _AND_LINK.match(gap) or _AND_VERB.match(gap):
            out.append((p, "and"))
        else:
            out.append((p, "for" if _FOR_LINK.search(gap) else ""))
    return out


def _summed(a: PeopleCount, b: PeopleCount) -> PeopleCount:
    """Two coordinated counts of one category as one count."""
    if a.count.qualifier != "exact" or b.count.qualifier != "exact":
        return a
    return replace(a, end=b.end, count=Count.exact(a.count.best + b.count.best),
                   nationality=a.nationality or b.nationality)


def _directions(scene: Scene, groups: list[tuple[PeopleCount, str]]) -> list[Direction | None]:
    """The direction of each count; linked counts settle each other ("9 ... for the mayor")."""
    dirs: list[Direction | None] = []
    for i, (p, _) in enumerate(groups):
        lo = groups[i - 1][0].end if i else scene.start
        hi = groups[i + 1][0].start if i + 1 < len(groups) else scene.end
        dirs.append(direction(scene, p, lo, hi))
    for _ in range(2):
        for i, (_p, link) in enumerate(groups):
            if not i or not link:
                continue
            a, b = dirs[i - 1], dirs[i]
            if link == "for":
                a, b = a or _flip(b), b or _flip(a)
            else:
                a, b = a or b, b or a
            dirs[i - 1], dirs[i] = a, b
    return dirs


def _flip(d: Direction | None) -> Direction | None:
    return Direction(d.to_party, d.from_party, "linked", d.firm) if d else None


_CAPTURING = re.compile(
    r"\b(?:capturing|captured|capture|captures|taking|seizing|seized)\s+(?:\w+\s+){0,2}$", re.I)


def _governed_by_transfer(groups: list[tuple[PeopleCount, str]],
                          clause: Span) -> list[tuple[PeopleCount, str]]:
    """Counts that a verb moving people governs ("freed 230 Ukrainians", "90 soldiers came
    home"), or that are linked to one that is ("received 100 in exchange for 50 Russians");
    not "spoke of capturing at least 600 Russian soldiers, which they hoped would help bring
    Ukrainians home", whose verb of return governs other people."""
    out: list[tuple[PeopleCount, str]] = []
    kept = False  # whether the count before was kept
    for p, link in groups:
        a, b = p.start - clause.start, p.end - clause.start
        stretches = scope.governed(clause.text, a, b)
        moved = _moves_people(" ".join(clause.text[x:y] for x, y in stretches)) or bool(
            v.IN_THE_SWAP.match(clause.text, b))
        capturing = _CAPTURING.search(clause.text, max(0, a - 40), a)
        kept = p.single or (moved and not capturing) or bool(link and kept)
        if kept:
            out.append((p, link))
    return out


def _moves_people(text: str) -> bool:
    """True when a verb of the text moves people ("freed 50"; not "released figures on 50
    POWs" nor "60 servicemen give themselves up")."""
    pos = 0
    while m := _TRANSFER_WORDS.search(text, pos):
        if not v.NO_ONE_MOVED.match(text, m.end()):
            return True
        pos = m.end()
    return False


def _doubt(clause: Span, start: int, number_start: int, end: int) -> str | None:
    """Why a figure of this clause cannot count: not done, or perhaps a running total."""
    return (scope.not_done(clause.text, start - clause.start, end - clause.start)
            or scope.running_total(clause.text, number_start - clause.start, end - clause.start))


def clause_transfers(reading: Reading, clause: Span, sentence: Span) -> list[Found]:
    """Transfers stated by one clause; those the rules cannot settle carry their doubt."""
    pairs_only = not _moves_people(clause.text) and not v.IN_THE_SWAP.search(clause.text)
    if pairs_only and (not _SWAP_NOUN.search(clause.text) or _DEAL.search(clause.text)):
        return []
    claimant = claimant_near(reading.claimants, clause.start - sentence.start)
    scene = Scene(reading.text, clause.start, clause.end,
                  find_parties(sentence.text, reading.lexicon),
                  claimant.party if claimant else None, reading.lexicon, reading.present)
    scene.parties = [replace(p, start=p.start + sentence.start, end=p.end + sentence.start)
                     for p in scene.parties]
    who = claimant.text if claimant else None
    out = _symmetric(scene, clause, who, sentence.text)
    for t in out:
        pair = _PAIR_WORDS.search(t.evidence.quote)
        formula = pair and _FORMULA.search(clause.text)
        announced = pair and _ANNOUNCED.search(clause.text, 0, t.evidence.start - clause.start)
        t.doubt = _doubt(clause, t.evidence.start, t.evidence.start, t.evidence.end) or (
            "an agreed formula, not a completed transfer" if formula else
            "an announced swap, which may not have happened yet" if announced else None)
    if pairs_only:  # "the swap was '150 for 150'": only figures that hold for each side
        return [Found(t, None, True, sentence) for t in out]
    taken = {(t.evidence.start, t.evidence.end) for t in out}
    people = [p for p in find_people(clause, reading.lexicon)
              if p.count.qualifier != "vague"
              and not _RELATIVE.match(reading.text[p.end: clause.end])
              and not any(s <= p.number_start < e for s, e in taken)]
    groups = _groups(people, reading.text)
    groups = _governed_by_transfer(groups, clause)
    open_way = not any(p.start >= clause.start and p.end <= clause.end for p in scene.parties)
    found = [Found(t, None, True, sentence) for t in out]
    for (p, _), d in zip(groups, _directions(scene, groups), strict=True):
        if d is None and not open_way:
            reading.undirected.add(p.count.best)  # "... which brought 390 people back"
            continue
        cue = d.cue if d else "perspective"
        rule = f"transfer.{'person.' if p.single else ''}{cue}"
        ev = Evidence(p.start, p.end, reading.text[p.start:p.end], rule, who)
        doubt = _doubt(clause, p.start, p.number_start, p.end)
        t = TransferCandidate(d.from_party if d else "", d.to_party if d else "", p.category,
                              p.count, ev, doubt)
        found.append(Found(t, None, bool(d and d.firm), sentence))
    taken |= {(p.start, p.end) for p in people}
    return found + _gapped(reading, clause, sentence, scene, taken, who)


# "with Ukraine recovering 212 and Russia 45", "Kyiv getting back 90 and Moscow 60": one verb
# for two parties, the second clause without it; the people are named before the first party
# ("bodies of fallen soldiers were traded, with ...") or after the first count.
_GAP = re.compile(
    r"\s+(?:has\s+|have\s+|had\s+)?(?P<verb>[a-z]+(?:\s+(?:back|home|over|up|in))?)\s+"
    r"(?P<n1>\d[\d,]*)(?P<noun>(?:\s+[\w'’-]+){0,4}?)\s*,?\s+(?:and|while|whereas)\s+$"
)
_BARE = re.compile(r"\s+(?P<n2>\d[\d,]*)(?![\d,]*\s+(?:of|per|%|percent|days?|years?)\b)")


def _gapped(reading: Reading, clause: Span, sentence: Span, scene: Scene,
            taken: set[tuple[int, int]], who: str | None) -> list[Found]:
    """The counts of a gapped coordination, each with its party as the verb's subject."""
    bell = {p.code for p in reading.lexicon.belligerents()}
    mentions = [p for p in scene.parties if clause.start <= p.start < clause.end
                and p.code in bell]
    out: list[Found] = []
    for a, b in pairwise(mentions):
        m = _GAP.match(reading.text, a.end, b.start) if a.code != b.code else None
        bare = _BARE.match(reading.text, b.end, clause.end) if m else None
        if not (m and bare):
            continue
        kind = verbs_between(m.group("verb"))
        noun = m.group("noun")
        named = v.PERSON_WORD.search(noun) or v.PERSON_WORD.search(reading.text, clause.start,
                                                                     a.start)
        if not kind or named is None:
            continue
        body = v.BODY_WORD.search(noun or reading.text[clause.start:a.start])
        for party, at, num in ((a, m.start("n1"), m.group("n1")), (b, bare.start("n2"),
                                                                    bare.group("n2"))):
            if any(s <= at < e for s, e in taken):
                continue
            d = (scene.towards if kind[-1][1] == "receive" else scene.away)(party.code, "gapped")
            if d is None:
                continue
            end = at + len(num)
            ev = Evidence(at, end, num, "transfer.gapped", who)
            doubt = _doubt(clause, at, at, end)
            t = TransferCandidate(d.from_party, d.to_party, "body" if body else "pow",
                                  Count.exact(int(num.replace(",", ""))), ev, doubt)
            out.append(Found(t, None, True, sentence))
    return out


def _symmetric(scene: Scene, clause: Span, who: str | None,
               sentence: str) -> list[TransferCandidate]:
    """Both directions of "each side released 150", "107 for 107", "a 50-for-50 swap", between
    the two belligerents the article names (with none, one or three named, the sides are not
    known: no claim)."""
    sides = [p.code for p in scene.lexicon.belligerents() if p.code in scene.present]
    if len(sides) != 2:
        return []
    out = []
    for start, end, count, category in symmetric_counts(clause, scene.lexicon, sentence):
        ev = Evidence(start, end, scene.text[start:end], "transfer.each_side", who)
        for a, b in ((sides[0], sides[1]), (sides[1], sides[0])):
            out.append(TransferCandidate(a, b, category, count, ev))
    return out


_MEDIATION = folded(
    r"\b(?:mediat\w*|brokered|brokering|facilitated|with the help of|thanks to|help(?:ed)? "
    r"(?:to )?(?:organi[sz]e|arrange|broker|secure)|assisted in|organi[sz]ed by|"
    r"with the (?:assistance|participation) of)\b"
)


# "In 2023, Ukraine brought back 1,600": a figure dated by its year alone is a year's sum.
_YEAR_SUM = re.compile(r"^\W*(?:In|During|Throughout|Over)\s+(?:19|20)\d\d\b")
_DAYS_AFTER = re.compile(
    r"\b(?P<n>a|one|two|three|\d)\s+days?\s+(?:after|before)\s+(?:\S+\s+){0,3}$", re.IGNORECASE
)
_TOOK_PLACE = re.compile(
    r"\b(?:swap|exchange|handover|repatriation|transfer|release)\b[^.;]{0,40}?\b(?:took place|"
    r"happened|was carried out|was held|occurred|was completed)\b",
    re.IGNORECASE,
)


def _shifted(f: Found, text: str, date: DateValue | None) -> DateValue | None:
    """"..., a day after 390 people were freed": the count belongs to a day before."""
    if date is None or date.precision != "day":
        return date
    m = _DAYS_AFTER.search(text[max(f.sentence.start, f.transfer.evidence.start - 60):
                                f.transfer.evidence.start])
    if not m:
        return date
    raw = m.group("n").lower()
    n = 1 if raw in ("a", "one") else 2 if raw == "two" else 3 if raw == "three" else int(raw)
    sign = -1 if "after" in m.group(0).lower() else 1
    return DateValue(date.value + dt.timedelta(days=sign * n), "day", date.inferred)


def read_transfers(
    reading: Reading, sentences: list[Span], said: list[list[Claimant]]
) -> list[Found]:
    """Every transfer of the article, dated by its sentence or the running date context.

    A sentence that reports something not done ("expected to take place on Sunday") sets no
    context; a figure dated only by context or by a statement's date takes the date of the same
    figure stated elsewhere with a date of its own, or of "the swap took place on Wednesday".
    """
    found: list[Found] = []
    took_place: dict[int, DateValue] = {}
    for i, sentence in enumerate(sentences):
        reading.claimants = said[i]
        own = (sentence_date(sentence.text, reading.published, reading.context)
               if may_name_date(sentence.text) else None)
        speech = bool(own) and only_speech_date(sentence.text, reading.published)
        if own and own.precision == "year" and _EXCHANGE_TALK.search(sentence.text) and not (
                _YEAR_SUM.search(sentence.text)):
            own = None  # "the sixth swap this year" dates no swap
        if own and own.precision != "year" and _EXCHANGE_TALK.search(sentence.text) and not (
                scope.mentions_future(sentence.text)):
            reading.context = own
            if _TOOK_PLACE.search(sentence.text) and not speech:
                took_place[i] = own
        if not may_state_figure(sentence.text):
            continue
        for clause in clauses(sentence):
            for f in clause_transfers(reading, clause, sentence):
                f.date = _shifted(f, reading.text, own or reading.context)
                f.weak = own is None or speech
                f.said_on = i if speech else None
                f.at = i
                found.append(f)
    _spread_totals(found, sentences)
    _settle_weak_dates(found, took_place)
    _join_main_date(found, reading.published)
    return [f for f in found if not (f.date and f.date.precision == "year")]


def _spread_totals(found: list[Found], sentences: list[Span]) -> None:
    """A figure that may be a running total may be one wherever the article restates it, and
    so may the figures of a sentence that answers it ("In return, Ukraine gave 78 bodies"); a
    word that can sum one swap ("in all") is settled by a plain statement of the same figure."""
    def key(f: Found) -> tuple[str, str, int]:
        return f.transfer.from_party, f.transfer.to_party, f.transfer.count.best

    def strong(doubt: str | None) -> bool:
        return bool(doubt and doubt.startswith(scope.RUNNING_TOTAL)
                    and not doubt.startswith(scope.WEAK_TOTAL))

    totals = {key(f): f.doubt for f in found if strong(f.doubt)}
    for f in found:
        f.transfer.doubt = f.doubt or totals.get(key(f))
    by_sentence: dict[int, str | None] = {}
    for f in found:
        if strong(f.doubt) or f.at not in by_sentence:
            by_sentence[f.at] = f.doubt
    told = sorted(by_sentence)
    for f in found:
        before = bisect.bisect_left(told, f.at)  # how many sentences with figures come before
        if not f.doubt and before and scope.CONTINUES.match(sentences[f.at].text):
            f.transfer.doubt = by_sentence[told[before - 1]]
    plain = {key(f) for f in found if not f.doubt}
    for f in found:
        if f.doubt and f.doubt.startswith(scope.WEAK_TOTAL) and key(f) in plain:
            f.transfer.doubt = None  # "ten civilians freed on Saturday ... In all, 10 civilians"


def _settle_weak_dates(found: list[Found], took_place: dict[int, DateValue]) -> None:
    """Weakly dated figures take the date of the same figure dated elsewhere; a figure dated only
    by "officials said on Thursday" takes the date of a "the swap took place on Wednesday" in one
    of the next two sentences."""
    def key(f: Found) -> tuple[str, str, bool, int]:
        t = f.transfer
        return t.from_party, t.to_party, t.category == "body", t.count.best

    # small counts coincide by chance ("two civilians", "two children"): not the same figure
    dated = {key(f): f.date for f in found
             if not f.weak and f.date and not f.doubt and f.transfer.count.best >= 10}
    for f in found:
        if not f.weak:
            continue
        same = dated.get(key(f))
        if same:
            f.date = same
            continue
        if f.said_on is None or not f.date or f.date.precision != "day":
            continue
        place = took_place.get(f.said_on + 1) or took_place.get(f.said_on + 2)
        if place and place.precision == "day" and 0 < (f.date.value - place.value).days <= 7:
            f.date = place


def _join_main_date(found: list[Found], published: dt.date) -> None:
    """A figure with no date of its own ("195 Russian soldiers were swapped for 195") told after
    the article's lead figure belongs to the lead's swap when the lead is dated within a week of
    publication (also by the day of its statement: "posted on Wednesday"); before any dated
    figure, it keeps the publication date."""
    lead = next((f for f in found if not f.doubt), None)
    if lead is None or lead.date is None or lead.date.precision != "day":
        return
    if not -1 <= (published - lead.date.value).days <= 7:
        return
    for f in found:
        if f.date is None and f.at > lead.at:
            f.date = lead.date


def settle_two_way(found: list[Found]) -> list[Found]:
    """Directions read only from a two-way verb, or from no cue at all ("the swap also freed
    Suedi Murekezi"), follow the article's prevailing direction; with none they are dropped."""
    firm = Counter((f.transfer.from_party, f.transfer.to_party) for f in found
                   if f.firm and not f.doubt and "each_side" not in f.transfer.evidence.rule
                   ).most_common(2)
    if not firm or (len(firm) == 2 and firm[0][1] == firm[1][1]):
        return [f for f in found if f.firm or f.transfer.evidence.rule.endswith(
            ("claimant", "counterpart"))]
    (frm, to), n = firm[0]
    # A figure with no cue at all follows only a clear one-way article: two firm figures that
    # way and none the other ("909 bodies" beside "Russia got back 41" stays unread).
    clear = n >= 2 and len(firm) == 1
    for f in found:
        if f.transfer.evidence.rule.endswith(("claimant", "counterpart")):
            continue
        way = (f.transfer.to_party, f.transfer.from_party)
        if not f.firm and (way == (frm, to) or (way == ("", "") and clear)):
            f.transfer = replace(f.transfer, from_party=frm, to_party=to)
    return [f for f in found if f.transfer.from_party and f.transfer.to_party]


def _key(date: DateValue) -> tuple[dt.date, str]:
    return (date.value, date.precision)


_ADDITIVE = re.compile(
    r"\b(?:also|additionally|in addition|additional|another|extra|further|goodwill|gesture|"
    r"on top of|besides|separately)\b", re.I
)
_INCLUDED = re.compile(r"\b(?:includ\w*|among (?:them|those|whom|the)|of whom|of them)\b", re.I)


class _Exact:
    """The exact figures of one exchange's transfers, indexed so that each transfer is checked
    against all the others in constant time (an article with thousands of figures)."""

    def __init__(self, found: list[Found]) -> None:
        self.bests: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
        self.most: dict[tuple[str, str, str], int] = {}  # way and category: the largest figure
        self.most_of_kind: dict[tuple[str, str, bool], int] = {}  # way, and bodies or not
        self.sums: dict[tuple[str, str, int, bool], bool] = {}
        for o in found:
            t = o.transfer
            if t.count.qualifier != "exact":
                continue
            way, n = (t.from_party, t.to_party), t.count.best
            self.bests[way][n] += 1
            for index, key in ((self.most, (*way, t.category)),
                               (self.most_of_kind, (*way, t.category == "body"))):
                index[key] = max(index.get(key, n), n)  # type: ignore[index]

    def sums_to_stated(self, t: TransferCandidate) -> bool:
        """"246 were freed in the swap; another 31 outside it" beside "277 came home": a part
        that, with another figure of the same way, adds up to a stated total is part of it."""
        way = (t.from_party, t.to_party)
        counts = self.bests.get(way, Counter())
        n = t.count.best
        alone = t.count.qualifier == "exact" and counts[n] == 1  # no other figure states n
        key = (*way, n, alone)
        if key not in self.sums:
            others = {b for b in counts if b != n or not alone}
            self.sums[key] = any(b + n in others for b in others)
        return self.sums[key]

    def covers(self, t: TransferCandidate, included: bool) -> bool:
        """True when ``t`` can read as part of an exact figure of the same way well above it:
        one of a category that holds t's ("mixed" holds any living people), or of any when t's
        sentence says it is included ("the freed included two civilians"). Bodies are never
        part of a figure of living people, nor the reverse."""
        if included:
            big = self.most_of_kind.get((t.from_party, t.to_party, t.category == "body"))
        else:
            kinds = (t.category,) if t.category == "body" else (t.category, "mixed")
            bigs = [self.most.get((t.from_party, t.to_party, c)) for c in kinds]
            big = max((b for b in bigs if b is not None), default=None)
        return big is not None and big * 0.9 > t.count.best


def _subset(f: Found, exact: _Exact, staged: bool) -> bool:
    """A count well below another count of the same way in one exchange is part of it
    ("six officers" of 107), unless the text calls it a stage or an addition ("also handed over
    22 wounded", "as a goodwill gesture"); named people and one side's "150 for 150" (a whole
    account of the swap, beside the other side's "189 came home") always count. ``exact``: the
    exchange's exact figures; ``staged``: its text speaks of stages."""
    t = f.transfer
    included = bool(_INCLUDED.search(f.sentence.text))
    if t.evidence.rule.startswith(("transfer.person", "transfer.each_side")) or (
        staged and not included
    ):
        return False
    if _ADDITIVE.search(f.sentence.text) and not included:
        return False
    if exact.sums_to_stated(t):
        return True
    return exact.covers(t, included)


def _clean_transfers(found: list[Found], text: str) -> list[TransferCandidate]:
    """One candidate per stated figure; rounded restatements and parts give way. Doubtful
    figures are kept beside the settled ones, unless a settled one states the same figure."""
    settled = _clean_settled([f for f in found if not f.doubt], text)
    seen = {(t.from_party, t.to_party, t.count.best) for t in settled}
    doubtful = []
    for f in found:
        t = f.transfer
        if f.doubt and (t.from_party, t.to_party, t.count.best) not in seen:
            seen.add((t.from_party, t.to_party, t.count.best))
            doubtful.append(t)
    return settled + doubtful


def _clean_settled(found: list[Found], text: str) -> list[TransferCandidate]:
    exact = {(f.transfer.from_party, f.transfer.to_party, f.transfer.category) for f in found
             if f.transfer.count.qualifier == "exact"}
    figures, staged = _Exact(found), bool(_STAGE.search(text))
    out, seen = [], set()
    for f in found:
        t = f.transfer
        way = (t.from_party, t.to_party, t.category)
        if (t.count.qualifier != "exact" and way in exact) or _subset(f, figures, staged):
            continue
        if (*way, t.count.best) not in seen:
            seen.add((*way, t.count.best))
            out.append(t)
    return out


def _link_restatements(transfers: list[TransferCandidate]) -> list[TransferCandidate]:
    """Close figures of one way and kind in one exchange are one transfer told twice (its
    restatements, or each side's count of it): each points at the first of them."""
    # Those pointing nowhere, by way, category and whether each side's: a figure is compared
    # only with those it can restate, and the first of them wins.
    firsts: dict[tuple[str, str, str, bool], list[int]] = defaultdict(list)
    categories = sorted({t.category for t in transfers})
    for i, t in enumerate(transfers):
        each = "each_side" in t.evidence.rule
        kinds = categories if t.category == "mixed" else (t.category, "mixed")
        lists = [firsts[(t.from_party, t.to_party, c, e)] for c in kinds
                 for e in ((False,) if each else (False, True))]
        matches = (next((j for j in js if transfers[j].count.gap(t.count) <= SAME_DAY_SPREAD),
                        None) for js in lists)
        t.same_as = min((j for j in matches if j is not None), default=t.same_as)
        if t.same_as is None:
            firsts[(t.from_party, t.to_party, t.category, each)].append(i)
    return transfers


def _sum_of_parts(transfers: list[TransferCandidate],
                  totals: set[int]) -> list[TransferCandidate]:
    """"270 service members and 120 civilians had been sent back to Russia" in an article
    that says the swap "brought 390 people back": the total, stated without a direction, is
    one mixed transfer of the way its breakdown gives."""
    out = list(transfers)
    for way in {(t.from_party, t.to_party) for t in transfers}:
        parts = [t for t in out if (t.from_party, t.to_party) == way and not t.doubt
                 and t.same_as is None and t.category in ("pow", "civilian")
                 and t.count.qualifier == "exact"]
        total = sum(t.count.best for t in parts)
        if len({t.category for t in parts}) < 2 or total not in totals:
            continue
        first = parts[0]
        ev = replace(first.evidence, rule="transfer.sum_of_parts")
        whole = TransferCandidate(way[0], way[1], "mixed", Count.exact(total), ev)
        by_figure: dict[tuple[object, ...], list[TransferCandidate]] = defaultdict(list)
        for t in parts:  # equal transfers have equal figures: only those need comparing
            by_figure[_figure(t)].append(t)
        out = [whole if t is first else t for t in out
               if t is first or t not in by_figure.get(_figure(t), ())]
    return out


def _figure(t: TransferCandidate) -> tuple[object, ...]:
    return t.from_party, t.to_party, t.category, t.count, t.evidence.start, t.evidence.end


def assemble(found: list[Found], published: dt.date,
             undirected: set[int] | None = None) -> list[ExchangeCandidate]:
    """Exchanges from transfers: one per date; undated transfers take the publication date."""
    groups: dict[tuple[dt.date, str], list[Found]] = {}
    for f in found:
        groups.setdefault(_key(f.date or DateValue(published)), []).append(f)
    out = []
    for (day, precision), members in groups.items():
        inferred = all(f.date is None for f in members)
        first = members[0]
        ev = Evidence(first.sentence.start, first.sentence.end, first.sentence.text, "exchange",
                      first.transfer.evidence.claimant)
        context = " ".join(dict.fromkeys(f.sentence.text for f in members))
        transfers = _link_restatements(_sum_of_parts(_clean_transfers(members, context),
                                                     undirected or set()))
        out.append(ExchangeCandidate(DateValue(day, precision, inferred), transfers, ev))  # type: ignore[arg-type]
    _mark_primary(out, published)
    return out


def _mark_primary(exchanges: list[ExchangeCandidate], published: dt.date) -> None:
    """The main exchange: the first one told whose date is within a week of publication."""
    for ex in sorted(exchanges, key=lambda e: e.evidence.start):
        if all(t.doubt for t in ex.transfers):
            continue
        days = (published - ex.date.value).days
        recent = -1 <= days <= 7
        if ex.date.precision == "day" and recent:
            ex.primary = True
            return


def attach_mediators(exchanges: list[ExchangeCandidate], sentences: list[Span],
                     reading: Reading) -> None:
    """Mediators credited in a sentence ("thanks to mediation by the UAE") join its exchange."""
    mediators = {p.code for p in reading.lexicon.mediators()}
    on_date: dict[tuple[dt.date, str], ExchangeCandidate] = {}
    for e in exchanges:
        on_date.setdefault(_key(e.date), e)
    quoted = _quoted_in(exchanges, sentences)
    primary = next((e for e in exchanges if e.primary), None)
    for i, s in enumerate(sentences):
        if not _MEDIATION.search(s.text) or scope.mentions_not_done(s.text):
            continue
        codes = [m.code for m in find_parties(s.text, reading.lexicon) if m.code in mediators]
        if not codes:
            continue
        date = sentence_date(s.text, reading.published, None)
        target = (on_date.get(_key(date)) if date else None) or quoted.get(i) or primary
        for code in dict.fromkeys(codes):
            if target and code not in target.mediators:
                target.mediators.append(code)


def _quoted_in(exchanges: list[ExchangeCandidate],
               sentences: list[Span]) -> dict[int, ExchangeCandidate]:
    """For each sentence (by index), the first exchange one of whose transfers it states."""
    starts = [s.start for s in sentences]
    out: dict[int, ExchangeCandidate] = {}
    for e in exchanges:
        for t in e.transfers:
            i = bisect.bisect_right(starts, t.evidence.start) - 1
            if i >= 0 and t.evidence.start < sentences[i].end:
                out.setdefault(i, e)
    return out


def find_exchanges(text: str, published: dt.date, lexicon: Lexicon, sentences: list[Span],
                   said: list[list[Claimant]]) -> list[ExchangeCandidate]:
    """All completed exchanges an article reports, the main one marked primary (``said``: the
    claimants of each sentence)."""
    present = present_belligerents(text, lexicon)
    reading = Reading(text, published, lexicon, present)
    found = settle_two_way(read_transfers(reading, sentences, said))
    exchanges = assemble(found, published, reading.undirected)
    for ex in exchanges:
        if ex.date.value > published:  # a swap told as done cannot be after its report
            for t in ex.transfers:
                t.doubt = t.doubt or "dated after its publication"
    attach_mediators(exchanges, sentences, reading)
    return exchanges
