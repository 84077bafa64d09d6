"""Extraction: turn the text of one article into candidate claims (a pure function, no I/O).

    extract(text, published, lexicon) -> Extraction

finds completed exchanges with their directional transfers, and capture tallies (captured,
surrendered, held), each with the evidence (span, quote, rule, claimant) behind it.
"""

from __future__ import annotations

import datetime as dt

from tracker.extract.captures import find_captures
from tracker.extract.exchanges import find_exchanges
from tracker.extract.parties import lexicon_from_rows
from tracker.extract.sentences import split
from tracker.extract.types import Extraction, Lexicon

__all__ = ["extract", "lexicon_from_rows"]


def extract(text: str, published: dt.date, lexicon: Lexicon) -> Extraction:
    """Candidate exchanges and capture tallies stated in ``text``, published on ``published``."""
    sentences = [s for _, s in split(text)]
    return Extraction(
        exchanges=find_exchanges(text, published, lexicon, sentences),
        captures=find_captures(text, published, lexicon, sentences),
    )
