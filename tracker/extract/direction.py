"""Which way people went in a transfer, from the words around a count.

Cues, strongest first: whose people they are ("nine Russian soldiers", "of its own
servicemen") — released people go home to their own side; where they went ("came back to
Ukraine", "on its side") or came from ("from Russian captivity", "freed by Russia"); who acted
("Russia freed", "Kyiv received"); and last, for homecoming verbs with nothing else, the side of
whoever states it. Directions read only from a verb that can go both ways ("Ukraine returned 80
bodies") are marked not firm, so the article's other transfers can settle them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.extract import scope
from tracker.extract import vocabulary as v
from tracker.extract.parties import PartyMention, other_side
from tracker.extract.people import PeopleCount
from tracker.extract.types import Lexicon

_RELEASE = re.compile(rf"\b(?:{v.RELEASE_VERBS})\b", re.IGNORECASE)
_RECEIVE = re.compile(rf"\b(?:{v.RECEIVE_VERBS})\b", re.IGNORECASE)
_HOME = re.compile(rf"\b(?:{v.HOMECOMING})\b", re.IGNORECASE)  # one way: home
# Words that say the people came to the speaker's side ("came home", "are back"); "were freed"
# and "handed over" do not say to whom, so a claimant alone does not settle them.
_HOMEWARD = re.compile(
    r"\b(?:came|come|coming|comes|returned|return|returning|went|go|going|headed|heading|"
    r"brought|bring|bringing|made\s+it|got)\s+(?:back\s+)?home\b|\b(?:back|home)\s+(?:again|now|"
    r"safely)?\b|\b(?:came|come|comes|coming)\s+back\b|\bon\s+home\s+soil\b|"
    r"\b(?:have|has|had)\s+(?:now\s+|finally\s+|safely\s+)?returned\b|\breturned\s+(?:to|from)\b|"
    r"\b(?:freed|released|rescued)\s+from\s+(?:\w+\s+)?captivity\b|"
    r"\b(?:are|is|were|was|be|been)\s+(?:now\s+|finally\s+|safely\s+)?(?:back|home)\b",
    re.IGNORECASE,
)
_TWO_WAY = re.compile(r"\b(?:returned|returns|returning|return|repatriated|repatriates)\s*$", re.I)
_TO_BEFORE = re.compile(
    r"(?:\b(?:back|home)\s+)?\b(?:to|into|on|gave|give|gives|giving|handed|hand|hands|home in|"
    r"back in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(
    r"\b(?:from|by|under(?: the)? control of|in the hands of|held by|captivity in)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_FROM_AFTER = re.compile(r"^\W*(?:captivity|custody|prisons?|jails?|camps?|-held|-controlled|"
                         r"control|territory|side|forces|authorities|regime)\b", re.IGNORECASE)
_NOT_SUBJECT = re.compile(r"\b(?:with|from|by|to|for|against|of|between|in|on)\s+(?:the\s+)?$",
                          re.IGNORECASE)


_PERSON_AFTER = re.compile(rf"\s+(?:[A-Z][\w-]*\s+){{0,3}}?(?i:{v.PERSON_NOUNS})\b")
_COUNTERPART = re.compile(
    r"\b(?:exchange|swap|swaps|trade|deal)\s+(?:of\s+\w+\s+)?with\s+(?:the\s+)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Direction:
    """From which party to which, and the cue that said so."""

    from_party: str
    to_party: str
    cue: str
    firm: bool = True


@dataclass
class Scene:
    """What a clause offers for reading directions: its text, parties and claimant side."""

    text: str  # the full article text (offsets are absolute)
    start: int  # the clause
    end: int
    parties: list[PartyMention]  # in the sentence
    claimant_party: str | None
    lexicon: Lexicon
    present: tuple[str, ...]  # belligerents named in the article

    def towards(self, to: str, cue: str, firm: bool = True) -> Direction | None:
        frm = other_side(to, self.lexicon, self.present)
        return Direction(frm, to, cue, firm) if frm and self._belligerent(to) else None

    def away(self, frm: str, cue: str, firm: bool = True) -> Direction | None:
        to = other_side(frm, self.lexicon, self.present)
        return Direction(frm, to, cue, firm) if to and self._belligerent(frm) else None

    def _belligerent(self, code: str) -> bool:
        return any(p.code == code for p in self.lexicon.belligerents())


def owner(scene: Scene, pos: int) -> str | None:
    """The party "its"/"our" refers to: the claimant's, else the nearest subject party before."""
    if scene.claimant_party and scene._belligerent(scene.claimant_party):
        return scene.claimant_party
    for p in reversed([p for p in scene.parties if p.end <= pos]):
        if _people_word(scene, p):  # "22 Russian prisoners for 22 of its own": not the owner
            continue
        if not _NOT_SUBJECT.search(scene.text[max(0, p.start - 25): p.start]):
            return p.code
    return None


def joint_subject(scene: Scene) -> bool:
    """True when the clause's subject is both sides ("Russia and Ukraine swapped ...")."""
    return any(joint(scene, p) for p in scene.parties if scene.start <= p.start < scene.end)


def joint(scene: Scene, p: PartyMention) -> bool:
    """True for "Ukraine and Russia": both sides together give no direction."""
    for q in scene.parties:
        a, b = (p, q) if q.start > p.start else (q, p)
        if q is not p and re.fullmatch(r"\s*(?:and|&)\s+(?:the\s+)?", scene.text[a.end: b.start]):
            return True
    return False


def _place(scene: Scene, lo: int, hi: int) -> Direction | None:
    """Destination ("to Ukraine", "on its side") or source ("from Russian captivity") cues."""
    for p in (p for p in scene.parties if lo <= p.start and p.end <= hi and not joint(scene, p)):
        before = scene.text[max(lo, p.start - 30): p.start]
        after = scene.text[p.end: p.end + 25]
        if _TO_BEFORE.search(before) and not _FROM_AFTER.match(after):
            return scene.towards(p.code, "destination")
        if _FROM_BEFORE.search(before) or (_FROM_AFTER.match(after) and "from" in before):
            return scene.away(p.code, "source")
    m = re.search(r"\b(?:to|on)\s+(?:it|its side)\b", scene.text[lo:hi])
    if m:
        who = owner(scene, lo + m.start())
        return scene.towards(who, "destination") if who else None
    return None


def _people_word(scene: Scene, p: PartyMention) -> bool:
    """True for "Ukrainians" or "Russian soldiers": the people, not a party acting."""
    after = scene.text[p.end: p.end + 40]
    plural = p.alias.endswith("s") and not p.alias.endswith("'s")
    return plural or bool(_PERSON_AFTER.match(after))


def verbs_between(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """The transfer verbs that begin in ``text[:limit]``, as (end, "release" | "receive"), in
    order (the words after ``limit`` complete a verb: "brought 5,100 people back"). A receive
    phrase wins over the release word inside it ("won the release of"); a release verb with a
    thing as its object ("released figures", "freed a video") or of a surrender ("gave
    themselves up") moves no one."""
    limit = len(text) if limit is None else limit
    receive = [(m.start(), min(m.end(), limit)) for m in _RECEIVE.finditer(text)
               if m.start() < limit]
    out = [(e, "receive") for _, e in receive]
    for m in _RELEASE.finditer(text, 0, limit):
        if any(a <= m.start() < b for a, b in receive) or v.NO_ONE_MOVED.match(text, m.end()):
            continue
        out.append((m.end(), "release"))
    return sorted(out)


_FROM_CAPTIVITY = re.compile(r"[^,;.]{0,40}?\b(?:from|out of)\s+captivity\b", re.IGNORECASE)


def _actor(scene: Scene, phrase: PeopleCount, lo: int) -> Direction | None:
    """The party acting on the count: "Russia freed 215", "Kyiv received 100", "Ukraine freed
    108 women from captivity" (freed them out of the other side's captivity: received)."""
    for p in reversed([p for p in scene.parties if lo <= p.start and p.end <= phrase.start]):
        if _NOT_SUBJECT.search(scene.text[max(0, p.start - 25): p.start]) or _people_word(scene, p):
            continue
        if joint(scene, p):
            return None
        between = scene.text[p.end: phrase.start]
        if len(between.split()) > 8:
            continue
        verbs = verbs_between(scene.text[p.end: scene.end], len(between))
        if not verbs:
            continue
        end, kind = verbs[-1]
        firm = not _TWO_WAY.search(between[:end])
        if kind == "receive" or _FROM_CAPTIVITY.match(scene.text, phrase.end, scene.end):
            return scene.towards(p.code, "actor")
        return scene.away(p.code, "actor", firm)
    return None


def direction(scene: Scene, phrase: PeopleCount, lo: int, hi: int) -> Direction | None:
    """The direction of one count, reading cues between ``lo`` and ``hi`` (its window)."""
    if phrase.nationality and scene._belligerent(phrase.nationality):
        return scene.towards(phrase.nationality, "nationality")
    if phrase.own:
        who = owner(scene, phrase.start)
        if who:
            return scene.towards(who, "own")
    found = None
    base = scene.start
    for a, b in scope.governed(scene.text[base:hi], phrase.start - base, phrase.end - base)[1:]:
        found = found or _place(scene, max(a + base, phrase.end), b + base)  # skips ", which ,"
    found = found or _actor(scene, phrase, lo) or _place(scene, lo, phrase.start)
    if found:
        return found
    if _HOMEWARD.search(scene.text[lo:hi]) and scene.claimant_party and not joint_subject(scene):
        return scene.towards(scene.claimant_party, "claimant", firm=False)
    return _counterpart(scene, lo, hi)


def _counterpart(scene: Scene, lo: int, hi: int) -> Direction | None:
    """"Freed in a swap with Russia": the people went to Russia's counterpart (not firm)."""
    for p in (p for p in scene.parties if scene.start <= p.start and p.end <= scene.end):
        if _COUNTERPART.search(scene.text[max(0, p.start - 40): p.start]) and _HOME.search(
            scene.text[lo:hi]
        ):
            return scene.away(p.code, "counterpart", firm=False)
    return None
