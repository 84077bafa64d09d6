"""Test sentences as articles: real reports name both sides of the war somewhere, and the rules
never take the other side from the parties the database holds (tests/test_extract_named_parties.py
has the sentences that name one side or none)."""

from __future__ import annotations

import datetime as dt

from tracker.extract import extract as extract_text
from tracker.extract.types import Extraction, Lexicon

BOTH_SIDES = "\n\nThe war between Russia and Ukraine goes on."


def extract(text: str, published: dt.date, lexicon: Lexicon) -> Extraction:
    """``extract`` of ``text`` followed by a paragraph that names Russia and Ukraine."""
    return extract_text(text + BOTH_SIDES, published, lexicon)
