"""Swaps stated as one number for both sides: "each side released 150", "107 each",
"50 soldiers from each side", "a 107-for-107 exchange", "the 50-50 formula".
"""

from __future__ import annotations

import re

from tracker.extract import vocabulary as v
from tracker.extract.numbers import find_numbers
from tracker.extract.people import find_people
from tracker.extract.sentences import Span
from tracker.extract.types import Category, Count, Lexicon

_EACH_BEFORE = re.compile(
    rf"\b(?:each side|both sides|each|both)\s+(?:\S+\s+){{0,3}}?(?:{v.RELEASE_VERBS}|"
    rf"{v.RECEIVE_VERBS}|exchanged|swapped|traded|handed over|brought|brings|took|takes)"
    rf"\s+(?:\S+\s+)?$",
    re.IGNORECASE,
)
_EACH = (
    r"each|apiece|from each side|from both sides|on each side|per side|on both sides|"
    r"from each country|by both sides|by each side|on either side|by either side"
)
_EACH_AFTER = re.compile(rf"^\s*(?:[A-Za-z][\w-]*\s+){{0,3}}?(?:{_EACH})\b", re.IGNORECASE)
# "410 soldiers -- 205 from each side", "75 each": the people were named before the number.
_EACH_BARE = re.compile(rf"\s+(?:{_EACH})\b", re.IGNORECASE)
_PAIR = re.compile(
    r"(?<![\d,.])(\d[\d,]*)(?:\s*[-–]\s*for\s*[-–]\s*|\s+for\s+)(\d[\d,]*)(?![\d,])"
    r"|(?<![\d,.])(\d[\d,]*)\s*[-–/]\s*(\d[\d,]*)['’]?\s+(?:formula|basis|swap|exchange|format|deal)",
    re.IGNORECASE,
)
_PRISONER = re.compile(r"\b(?:prisoners?|POWs?|captives?|captivity)\b", re.IGNORECASE)


def _category(text: str) -> Category:
    return "body" if v.BODY_WORD.search(text) and not _PRISONER.search(text) else "pow"


def symmetric_counts(clause: Span, lexicon: Lexicon,
                     sentence: str = "") -> list[tuple[int, int, Count, Category]]:
    """Spans (absolute), counts and categories of figures that hold for each side; the sentence
    says what kind of swap it was ("a swap of the bodies of soldiers killed in combat; each
    side exchanged 160 soldiers")."""
    text, out = clause.text, []
    kind = _category(sentence or text)
    for p in find_people(clause, lexicon):
        rel_s, rel_e = p.start - clause.start, p.end - clause.start
        if p.count.qualifier == "vague" or p.single:
            continue
        if _EACH_BEFORE.search(text[max(0, rel_s - 80): rel_s]) or _EACH_AFTER.match(text[rel_e:]):
            cat = p.category if p.category != "pow" else kind
            out.append((p.start, p.end, p.count, cat))
    for n in find_numbers(text):
        taken = any(s <= clause.start + n.number_start < e for s, e, _, _ in out)
        each = _EACH_BARE.match(text, n.end)
        if not taken and n.count.qualifier != "vague" and each and (
                v.PERSON_WORD.search(text, 0, n.start)):
            out.append((clause.start + n.start, clause.start + each.end(), n.count, kind))
    for m in _PAIR.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if a == b and not any(s <= clause.start + m.start() < e for s, e, _, _ in out):
            n = int(a.replace(",", ""))
            out.append((clause.start + m.start(), clause.start + m.end(), Count.exact(n), kind))
    return out
