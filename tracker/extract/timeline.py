"""The date a sentence reports an event on, and the running date context of an article.

A sentence's own date wins; a sentence without one continues the last dated sentence that spoke
of an exchange ("On 29 October ... On that occasion, each side brought 50 prisoners home").
Dates that belong to something else in the sentence — "detained in April", "since it invaded
on February 24", "until Russia took control of it in May" — are not event dates.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.extract.dates import DateMention, find_dates
from tracker.extract.types import DateValue

_OTHER_EVENT = re.compile(
    r"(?:\b(?:who|whom|which|that|until|since|after)\b[^,;:()]{0,40}\b(?:detained|captured|taken|"
    r"took|invaded|launched|began|begun|started|killed|died|born|sentenced|occupied|besieged|"
    r"arrested|abducted|seized|created|established|given|appointed|elected|convicted|wounded|"
    r"lost|fought|signed)\b|\b(?:until|since)\b)[^,;:()]{0,40}$",
    re.IGNORECASE,
)
# A date that belongs to a deal, talks, a promise or an arrival ("under the agreements struck in
# Istanbul on June 2", "at last month's peace talks", "promised the day before", "reached Moscow
# today, June 1") does not date the swap itself.
_NOT_THE_SWAP = re.compile(
    r"\b(?:agreed|agreements?|deal|talks|negotiations|struck|signed|promised|pledged|arrived|"
    r"reached|landed|flown|met|meeting|summit|reported\s+(?:earlier|previously)|"
    r"(?:captured|detained|arrested|abducted|seized)(?!\s+(?:[a-z]+\s+)?(?:soldiers|servicem[ae]n|"
    r"people|civilians|prisoners|fighters|troops|men|women))|incursion|offensive|invasion|"
    r"invaded|launched)\b"
    r"[^,;:()]{0,40}$",
    re.IGNORECASE,
)
_RANK = {("day", True): 4, ("day", False): 3, ("month", True): 2, ("month", False): 2}


def _rank(d: DateMention) -> int:
    return _RANK.get((d.value.precision, d.explicit), 1)


def event_dates(sentence: str, published: dt.date) -> list[DateMention]:
    """Date expressions of a sentence that can date an event it reports."""
    out: list[DateMention] = []
    dropped: list[DateMention] = []
    for d in find_dates(sentence, published):
        if d.role not in ("point", "same_month"):
            continue
        before = sentence[max(0, d.start - 90): d.start]
        apposed = any(re.fullmatch(r",\s*", sentence[x.end:d.start]) for x in dropped)
        if d.role == "point" and (_OTHER_EVENT.search(before) or _NOT_THE_SWAP.search(before)
                                  or apposed):
            dropped.append(d)  # "reached Moscow today, June 1": both dates go
            continue
        out.append(d)
    return out


_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|confirmed|stated|wrote|added|posted|declared|told "
    r"\w+)\s+(?:(?:late|early|later|earlier)\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)


def speech_date(sentence: str, d: DateMention) -> bool:
    """True for the date of a statement ("officials said on Thursday"), not of the event."""
    return bool(_SPEECH_BEFORE.search(sentence[max(0, d.start - 30): d.start]))


def sentence_date(sentence: str, published: dt.date, context: DateValue | None) -> DateValue | None:
    """The most precise event date of a sentence ("That same month" uses ``context``); the date
    of a statement ("officials said on Thursday") only when the sentence has no other."""
    dates = event_dates(sentence, published)
    events = [d for d in dates if not speech_date(sentence, d)]
    dates = events or dates
    if not dates:
        return None
    best = max(dates, key=_rank)
    if best.role == "same_month":
        if context is None:
            return None
        return DateValue(context.value.replace(day=1), "month", context.inferred)
    return best.value


def only_speech_date(sentence: str, published: dt.date) -> bool:
    """True when every event date of the sentence is the date of a statement."""
    dates = event_dates(sentence, published)
    return bool(dates) and all(speech_date(sentence, d) for d in dates)

