"""Split an article into paragraphs, sentences and clauses, keeping character offsets.

Every later rule works on a :class:`Span` so that evidence can always point back into the
original text (``text[start:end]`` is the quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# Abbreviations that end with a dot but do not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mr", "mrs", "ms", "dr", "st", "lt", "col", "gen", "maj", "capt", "sgt", "no", "vs",
        "etc", "approx", "u.s", "u.k", "u.n", "e.g", "i.e", "prof", "sen", "rep", "gov",
        "pres", "jr", "sr"
    ]
)
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[-•*–]\s)|\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+and\s+(?=(?:she|he|they|it|we)\s)|,?\s+(?:while|whereas|but|although|though)\s+"
    r"|\s+[–—]\s+(?=[A-Z])"
)


class Span(NamedTuple):
    """A stretch of the article: offsets into the full text and the text itself (a tuple:
    millions are made while reading, and they key the caches of the readers)."""

    start: int
    end: int
    text: str

    def sub(self, start: int, end: int) -> Span:
        """A sub-span given offsets relative to this span."""
        return Span(self.start + start, self.start + end, self.text[start:end])


def _trimmed(text: str, start: int, end: int, base: int = 0) -> Span | None:
    """``text[start:end]`` without surrounding whitespace as a span whose offsets are ``base``
    plus those in ``text``, or None when nothing is left."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = base + start + len(piece) - len(piece.lstrip())
    return Span(lead, lead + len(stripped), stripped)


def _pieces(text: str, cuts: Iterable[tuple[int, int]], base: int = 0) -> list[Span]:
    """The non-blank stretches of ``text`` between cuts, each cut (where the piece before it
    ends, where the next begins); offsets are ``base`` plus those in ``text``."""
    out, pos = [], 0
    for end, after in (*cuts, (len(text), len(text))):
        piece = _trimmed(text, pos, end, base)
        if piece:
            out.append(piece)
        pos = after
    return out


def paragraphs(text: str) -> list[Span]:
    """Paragraphs separated by line breaks (news text puts one paragraph per line)."""
    return _pieces(text, (m.span() for m in _PARAGRAPH.finditer(text)))


_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the dot at ``dot`` closes an abbreviation such as "Sept." or "U.S."."""
    m = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
    word = m.group(1).lower().strip(".") if m else ""
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


# “Two hundred of ours are home!” Lubinets posted on Wednesday.: the quote and the words that
# say who spoke are one sentence: within 80 characters (no end mark or quote between) a verb of
# speech, and after it to the end of the paragraph no "!", "?" or double quote but a last "!".
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|posted|wrote|writes|added|told|stated|announced|declared|noted|tweeted|"
    r"quoted)\b"
)
_BEFORE_SPEECH = re.compile(r"[.!?“”\"]")
_SPEECH_REACH, _LONGEST_VERB = 80, len("announced")


class _Speakers:
    """Where the words after a quotation say who spoke, in one paragraph. The paragraph's tail is
    read once (not again after every quotation: a long paragraph of quotations would take the
    square of its length)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text.rstrip())
        self.last_mark = max(text.rfind(c, 0, self.end - 1) for c in "!?“”\"") if self.end else -1
        self.open_end = self.end == 0 or text[self.end - 1] not in "?“”\""

    def _quiet_after(self, pos: int) -> bool:
        """No "!", "?" or double quote from ``pos`` to the end of the paragraph, but a last "!"."""
        return pos >= self.end or (pos > self.last_mark and self.open_end)

    def follows(self, m: re.Match[str]) -> bool:
        """True when the quotation closed by end mark ``m`` is followed by who said it."""
        if m.group(0).rstrip()[-1] not in "”\"’":
            return False
        text, pos = self.text, m.end()
        mark = _BEFORE_SPEECH.search(text, pos, pos + _SPEECH_REACH + 1)
        reach = min(pos + _SPEECH_REACH, mark.start() if mark else len(text))
        verbs = _SPEECH_VERB.finditer(text, pos, min(len(text), reach + _LONGEST_VERB + 1))
        return any(v.start() <= reach and self._quiet_after(v.end()) for v in verbs)


def sentences(paragraph: Span) -> list[Span]:
    """Sentences of one paragraph; dots after abbreviations and initials do not split, nor does
    the end of a quotation followed by who said it. A run-on longer than ``MAX_SENTENCE`` is
    cut into pieces (``bounded``)."""
    text = paragraph.text
    speakers = _Speakers(text)
    ends = (
        (m.end(), m.end())  # the end mark stays with its sentence; the space is trimmed
        for m in _SENTENCE_END.finditer(text)
        if not (text[m.start()] == "." and _is_abbreviation(text, m.start()))
        and not speakers.follows(m)
    )
    return [piece for s in _pieces(text, ends, paragraph.start) for piece in bounded(s)]


# The longest sentence of 46,000 in the news corpus has 551 characters (80 words). Text with
# no full stop at all (a transcript, a feed that lost its punctuation) would make one "sentence"
# of a whole article, and every rule reads a sentence around each of its figures: the time to
# read it grows with the square of its length (80 KB took 17 s, 0.5 MB over ten minutes).
MAX_SENTENCE = 1000


def bounded(sentence: Span) -> list[Span]:
    """``sentence`` cut into pieces of at most ``MAX_SENTENCE`` characters when it is longer:
    each piece ends at the last "; " of its second half, else the last ", ", else the last
    space, else at the limit. A sentence of ordinary length is returned whole."""
    text = sentence.text
    if len(text) <= MAX_SENTENCE:
        return [sentence]
    cuts, pos = [], 0
    while len(text) - pos > MAX_SENTENCE:
        lo, limit = pos + MAX_SENTENCE // 2, pos + MAX_SENTENCE
        at = text.rfind("; ", lo, limit)
        at = at if at >= 0 else text.rfind(", ", lo, limit)
        if at >= 0:
            cut = (at + 1, at + 2)  # the mark stays with the piece before it
        else:
            space = text.rfind(" ", lo, limit)
            cut = (space, space + 1) if space >= 0 else (limit, limit)
        cuts.append(cut)
        pos = cut[1]
    return _pieces(text, cuts, sentence.start)


def clauses(sentence: Span) -> list[Span]:
    """Clauses split at ";", "while", "whereas", "but" and dashes before a new statement."""
    breaks = (m.span() for m in _CLAUSE_BREAK.finditer(sentence.text))
    return _pieces(sentence.text, breaks, sentence.start)


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "KYIV, Dec 30 (Reuters) -", "KHARKIV, Ukraine, April 14 (Reuters) -", "MOSCOW, October 18.
# /TASS/.", "KYIV (AP) —": a place, maybe a date, and an agency, before the story begins.
_AGENCY = r"(?:Reuters|AP|AFP|dpa|DPA|Xinhua|UNIAN|Interfax|Ukrinform|RIA Novosti|Anadolu|TASS|GNA)"
_DATELINE = re.compile(
    rf"(?m)^[ \t]*(?:[A-Z][A-Z .'’-]{{2,40}}|[A-Z][a-z]+(?:/[A-Z][a-z]+)+)"
    rf"(?:,\s*[A-Z][\w .'’-]{{1,30}}?)?(?:,?\s*{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?[.,]?\s*"
    rf"(?:\({_AGENCY}(?:/{_AGENCY})*\)|/[A-Z][A-Za-z-]+/\.?)\s*[-–—]?\s*"
)


def blank_datelines(text: str) -> str:
    """The text with wire datelines blanked by spaces (same length, so offsets hold): a dateline
    is the filing date, not the date of the event, and its day number is no count."""
    return _DATELINE.sub(lambda m: " " * len(m.group(0)), text)


def split(text: str) -> list[tuple[int, Span]]:
    """All sentences of the text, each with the index of its paragraph."""
    return [(i, s) for i, para in enumerate(paragraphs(text)) for s in sentences(para)]
