"""Extraction: turn the text of one article into candidate claims (a pure function, no I/O).

    extract(text, published, lexicon) -> Extraction

finds completed exchanges with their directional transfers, and capture tallies (captured,
surrendered, held), each with the evidence (span, quote, rule, claimant) behind it. Every
evidence span is the whole sentence that states the figure (analysts cite sentences; in a text
without full stops, the piece of at most ``sentences.MAX_SENTENCE`` characters that holds it),
and ``quote == text[start:end]``. A figure the rules cannot settle carries its ``doubt`` (stored
as a doubtful claim, counted nowhere until accepted); nothing the database would refuse is
returned (``checks.admissible``).
"""

from __future__ import annotations

import bisect
import datetime as dt

from tracker.extract.captures import find_captures
from tracker.extract.checks import admissible
from tracker.extract.claimants import ClaimantMemory, find_claimants
from tracker.extract.exchanges import find_exchanges
from tracker.extract.parties import lexicon_from_rows
from tracker.extract.sentences import Span, blank_datelines, split
from tracker.extract.types import Evidence, Extraction, Lexicon

__all__ = ["extract", "lexicon_from_rows"]


def extract(text: str, published: dt.date, lexicon: Lexicon) -> Extraction:
    """Candidate exchanges and capture tallies stated in ``text``, published on ``published``."""
    work = blank_datelines(text)  # same length: offsets stay valid for ``text``
    sentences = [s for _, s in split(work)]
    memory = ClaimantMemory()  # claimants are read once, in order: "the ministry" refers back
    said = [find_claimants(s.text, lexicon, memory) for s in sentences]
    found = Extraction(
        exchanges=find_exchanges(work, published, lexicon, sentences, said),
        captures=find_captures(work, published, lexicon, sentences, said),
    )
    _widen(found, text, sentences)
    return admissible(found, lexicon)


def _widen(found: Extraction, text: str, sentences: list[Span]) -> None:
    """Point every piece of evidence at the whole sentence that holds its figure."""
    starts = [s.start for s in sentences]

    def widen(ev: Evidence) -> None:
        i = bisect.bisect_right(starts, ev.start) - 1
        if i >= 0 and sentences[i].start <= ev.start < sentences[i].end:
            ev.start = sentences[i].start
            ev.end = max(sentences[i].end, ev.end)
        ev.quote = text[ev.start:ev.end]

    for ex in found.exchanges:
        widen(ex.evidence)
        for t in ex.transfers:
            widen(t.evidence)
    for c in found.captures:
        widen(c.evidence)
