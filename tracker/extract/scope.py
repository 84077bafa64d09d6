"""What governs a figure: whether the words around it report a done event, one swap or a sum.

A figure is read in its *governed stretch*: the clause from the last coordinating break before
it ("..., and", ";", a dash) to the first break after it, skipping appositives and relative
clauses that only describe the people (", plus 46 injured soldiers,", ", which according to the
Russian side are those of Ukrainian servicemen,"). So "Sky News reported that 246 POWs from each
side, plus 46 injured soldiers, would take part" is governed by "would take part", while in
"Ukraine got back 90 soldiers, who will now undergo rehabilitation" the "will" belongs to
someone else.

Two readings of that stretch decide whether a figure can count:

- *not done*: modal or future verbs (will, would, could, is due to, is expected to), agreements,
  plans, hopes, proposals, postponements and disruptions, infinitives of purpose ("an operation
  ... to give Ukraine 6,000 bodies"), gerunds governed by talk ("concerns freeing 1,200");
- *a running total*: a sum over many swaps or a period, marked anywhere in the sentence ("since
  the full-scale invasion", "over that time", "in the course of the exchanges", "three swaps
  resulted in", "took the count to", "has met its obligations by handing over").

Each reading returns the reason in words, which a doubtful claim carries for its reviewer.
"""

from __future__ import annotations

import re

from tracker.extract.folding import folded

_MODAL = r"(?:will|would|shall|could|might|must|should|can|won['’]t|wouldn['’]t|couldn['’]t)"
# Words of what is still to come, shared by both readings of a clause below.
_TO_COME = (
    rf"{_MODAL}\s+[a-z]+|plans?\s+to|planned|planning|preparing|called\s+off|cancel\w*|"
    r"postpon\w*|delayed|hop(?:e|es|ed|ing)\s+(?:to|that|for)|counting\s+on|"
    r"expect(?:s|ed|ing)?\s+(?:to|that)|propos\w*|if|upcoming|future"
)
_DUE = "due|expected|set|scheduled|going|about|supposed|slated|planned|poised"  # "is due to"
_BE = r"(?:is|are|was|were|been|be)\s+"
_NOT_DONE = folded(
    rf"\b(?:{_TO_COME}|{_BE}(?:{_DUE}|ready|prepared|willing)\s+to\b"
    r"|agree[sd]?\s+(?:to|on|that)\b|agreements?\s+(?:was\s+|were\s+|had\s+been\s+)?"
    r"(?:reached|struck|made)\s+(?:on|to)\b|agreements?\s+(?:to|on)\s|deal\s+to\b"
    r"|to\s+be\s+(?:exchanged|swapped|released|freed|handed|returned|transferred|repatriated|"
    r"traded|sent|brought)|(?:is|are|was|were)\s+to\s+(?:be\s+)?\w+(?:ed|en)\b"
    r"|prepares?\s+(?:to|for)|stands?\s+ready|ready\s+to|disrupted|derailed|stalled|"
    r"suspended|halted|thwarted|fell\s+through|offer(?:ed|ing|s)?\s+to|lists?\s+of|"
    r"seek(?:s|ing)?\s+to|sought\s+to|aim(?:s|ed|ing)?\s+(?:to|at)|intend\w*\s+to|"
    r"declined|refused|chose\s+to\s+stay|wanted\s+to\s+stay|decided\s+to\s+(?:stay|remain)|"
    r"did\s+not|didn['’]t|has\s+not|have\s+not|hasn['’]t|haven['’]t|had\s+not|never|"
    r"calls?\s+(?:on|for)|called\s+(?:on|for)|urg(?:e|es|ed|ing)\b|demand\w*|unless|whether|"
    r"would-be|possible|potential|next\s+(?:swap|exchange|stage|round|phase)|"
    r"(?:concerns?|concerning|about|towards?|on)\s+(?:freeing|releasing|returning|exchanging|"
    r"swapping|bringing|handing))\b"
)
_MAY = re.compile(r"\bmay\s+(?:not\s+|also\s+|now\s+|still\s+|soon\s+)?[a-z]")  # not "May 24"
# "to give Ukraine 6,000 bodies": an infinitive of purpose is not done, unless the frame says it
# was ("managed to bring back", "helped to free", "was able to return").
_PURPOSE = folded(
    r"\bto\s+(?:give|hand|return|release|free|exchange|swap|transfer|bring|repatriate|send|"
    r"pass|trade|get)\b"
)
_DONE_FRAME = folded(
    r"\b(?:managed|succeeded|able|helped|help|went\s+on|continued|used|allowed|enough)\s*$"
)

# Where a governed stretch ends: a comma, semicolon or dash, or a coordinating word.
_BREAK_AFTER = re.compile(
    r",\s|;|\s[–—-]{1,2}\s|\s(?:while|whereas|although|though)\s|\s(?:and|but)\s+(?=(?:then\s+|"
    r"later\s+|also\s+|now\s+)?(?:will|would|could|might|may|can|shall|should|must|is|are|was|"
    r"were|has|have|had|plans?|hopes?|expects?|wants?|agreed|said|says)\b)"
)
_BREAK_BEFORE = re.compile(
    r"(?:,\s+(?:and|but|while|whereas|although|though|after|before|when|as|with|adding|saying)\s|"
    r";\s*|\s[–—-]{1,2}\s|:\s)"
)
# Words that open a stretch describing the people just counted, not what happened to them.
_APPOSITIVE = re.compile(
    r",\s+(?:plus|including|included|among\s+(?:them|whom)|of\s+whom|who|whom|which|both|all|"
    r"[a-z]+ed\s+(?:by|in|at|near|close|from|on|during|while)|"
    r"mostly|most|some|many|mainly|chiefly|according|reportedly|allegedly|the\s+(?:ministry|"
    r"statement|report)\s+said)\b[^,;]*,\s+",
    re.IGNORECASE,
)


# After an appositive, the figure's own verb ("..., plus 46 injured soldiers, would take part");
# a phrase such as "in the first exchange since ..." is not it.
_VERB_NEXT = re.compile(
    r"(?:(?:also|then|later|now|all|both|finally)\s+)?(?:is|are|was|were|has|have|had|will|would|"
    r"could|might|may|can|shall|should|must|\w+ed|came|went|got|took|gave|left|remain\w*|return\w*)"
    r"\b",
    re.IGNORECASE,
)


def governed(clause: str, start: int, end: int,
             through_elaboration: bool = False) -> list[tuple[int, int]]:
    """The stretches of ``clause`` (offsets in it) that govern the figure at ``start:end``;
    ``through_elaboration``: a dash or colon before the figure elaborates what precedes it
    ("Moscow has met its obligations — 6,060 bodies have been returned") and does not cut."""
    cut = 0
    for m in _BREAK_BEFORE.finditer(clause, 0, start):
        if through_elaboration and m.group(0).strip() in ("—", "–", "-", "--", ":"):
            continue
        cut = m.end()
    stretches = [(cut, end)]
    pos = end
    while True:
        brk = _BREAK_AFTER.search(clause, pos)
        stop = brk.start() if brk else len(clause)
        stretches.append((pos, stop))
        m = _APPOSITIVE.match(clause, stop)
        if not m or not _VERB_NEXT.match(clause, m.end()):
            return stretches
        pos = m.end()  # skip ", which ... ," and read on to the verb


# A sentence with one of these dates no past swap for the sentences after it.
_FUTURE = folded(rf"\b(?:{_TO_COME}|{_BE}(?:{_DUE})\s+to|next)\b")


def mentions_future(text: str) -> bool:
    """True when ``text`` speaks of something still to come ("will take place on Sunday")."""
    return bool(_FUTURE.search(text) or _MAY.search(text) or _PURPOSE.search(text))


def mentions_not_done(text: str) -> bool:
    """True when ``text`` has any word of something not (yet) done."""
    return bool(_NOT_DONE.search(text) or _MAY.search(text) or _PURPOSE.search(text))


def not_done(clause: str, start: int, end: int) -> str | None:
    """Why the figure at ``start:end`` of ``clause`` reports no done event, or None."""
    for a, b in governed(clause, start, end):
        piece = clause[a:b]
        m = _NOT_DONE.search(piece) or _MAY.search(piece)
        if m:
            return f"not done: '{piece[m.start():m.end()].strip()}' governs the figure"
        pos = 0
        while m := _PURPOSE.search(piece, pos):
            if not _DONE_FRAME.search(piece[: m.start()]):
                return "not done: an infinitive of purpose governs the figure"
            pos = m.end()
    return None


# A sum over many swaps or over a period, where it governs the figure. Strong markers cannot be
# undone by a word naming one swap; weak ones ("in all") can ("in all, 390 were freed today").
_TOTAL_STRONG = folded(
    r"\b(?:since\s+(?:the\s+(?:start|beginning|outbreak|onset)|the\s+(?:full[- ]scale|war|"
    r"invasion|conflict|russian|first|launch)|russia['’]?s?\s+(?:full|invasion|launch|began|"
    r"invaded|attack)|(?:19|20)\d\d|january|february|march|april|may|june|july|august|"
    r"september|october|november|december|then|it\s+began|they\s+began|its\s+start|"
    r"moscow|kyiv|\w+\s+(?:launched|invaded|began|started))"
    r"|over\s+(?:that|this|the\s+whole|the\s+entire|the)\s+(?:time|period)|during\s+(?:that|this)"
    r"\s+(?:time|period)|over\s+the\s+course\s+of|in\s+the\s+course\s+of\s+(?:the\s+)?"
    r"(?:exchanges|swaps)|outside\s+(?:of\s+)?(?:the\s+)?(?:exchanges|swaps)"
    r"|over\s+the\s+(?:past|last)\s+(?:two|three|four|five|six|several|few|\d+)\s+"
    r"(?:days|weeks|months|years)|(?:in|across|through|over|during|after)\s+(?:the\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|a\s+series\s+of|multiple|"
    r"previous|earlier|past|recent|all)\s+(?:prisoner\s+|pow\s+)?(?:exchanges|swaps|rounds|"
    r"stages|handovers)|(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+"
    r"(?:prisoner\s+|pow\s+)?(?:swaps|exchanges|rounds|handovers)\s+(?:between\s+\w+\s+and\s+"
    r"\w+\s+)?(?:[a-z]+\s+){0,3}?(?:have|had|resulted|freed|returned|brought|saw|led)"
    r"|(?:exchanges|swaps)\s+(?:have|had)|(?:met|fulfil+(?:ed|s)?|fulfills|meets|completed|"
    r"honou?red)\s+(?:its|their|the|all)\s+(?:\w+\s+)?(?:obligations|commitments)"
    r"|(?:in|through|during|across|over|from)\s+(?:the\s+|these\s+|those\s+|its\s+)?(?:prisoner\s+)?"
    r"(?:exchanges|swaps|handovers)\b"
    r"|cumulative\w*|in\s+recent\s+(?:months|years|weeks)|throughout\s+the\s+(?:war|year|"
    r"conflict|invasion))\b"
)
# "took the count of soldiers back home since the invasion to more than 4,300", "the number ...
# comes to almost 1,400": a sum whose words govern the figure after "to" and nothing else.
_TOTAL_TO = folded(
    r"\b(?:(?:count|number|total|tally)\b[^.;]{0,100}?\b(?:to|reaches|reached|stands\s+at|"
    r"stood\s+at|is\s+now|rose\s+to|climbed\s+to)|(?:comes|came|amounts?|amounted|rises|rose|"
    r"climbed|grew)\s+to)\s+(?:more\s+than\s+|over\s+|almost\s+|nearly\s+|about\s+|some\s+|"
    r"just\s+over\s+)?(?=\d)"
)
_TOTAL_WEAK = folded(
    r"\b(?:in\s+total|a\s+total\s+of|total\s+of|in\s+all|altogether|so\s+far|to\s+date|overall|"
    r"all\s+told|since)\b"
)
# "the first swap since August", "the biggest exchange since the war began": "since" dates the
# comparison, not a sum.
_SINCE_COMPARED = folded(
    r"\b(?:first|biggest|largest|second|third|only|last|latest|most|greatest|highest|\w+th|"
    r"\d+(?:st|nd|rd|th))\b[^.;]{0,60}?\bsince\b"
)
_HELD_SINCE = folded(
    r"\b(?:held|holding|kept|keeping|in\s+captivity|detained|imprisoned|captured|missing|"
    r"in\s+custody|jailed)\b[^.;,]{0,30}"
    r"\bsince\b"
)
_ONE_SWAP = folded(
    r"\b(?:today|tonight|this\s+(?:morning|evening|swap|exchange)|the\s+(?:latest|last|"
    r"new(?:est)?)\s+(?:swap|exchange)|latest|most\s+recent|in\s+the\s+(?:swap|exchange)|the\s+(?:swap|"
    r"exchange)\s+(?:freed|returned|brought|saw|involved))\b"
)
RUNNING_TOTAL = "may be a running total"
WEAK_TOTAL = f"{RUNNING_TOTAL} or the sum of one swap"  # "in all", "in total": either
# A sentence that continues the sum of the one before ("In return, Ukraine gave 78 bodies").
CONTINUES = re.compile(r"^\s*(?:In return|In exchange|For its part|In turn|In response)\b")


def running_total(clause: str, start: int, end: int) -> str | None:
    """Why the figure at ``start:end`` of ``clause`` may be a sum over several swaps or a
    period, or None. A "count ... to N" phrase governs only its N (the markers inside it, "since
    the invasion", go with it); other markers count where they govern the figure ("Over that
    time, 5,757 were freed"), not in a remark beside it ("..., adding that the exchange had been
    conducted over the past few days")."""
    rest = clause
    pos = 0
    while m := _TOTAL_TO.search(clause, pos):
        pos = m.end() + 1
        if m.start() <= start <= m.end() + 1:
            return f"{RUNNING_TOTAL}: '{clause[m.start():m.end()].strip()} ...'"
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    rest = " ".join(rest[a:b] for a, b in governed(clause, start, end, through_elaboration=True))
    one_swap = bool(_ONE_SWAP.search(rest))
    for pattern, strong in ((_TOTAL_STRONG, True), (_TOTAL_WEAK, False)):
        pos = 0
        while m := pattern.search(rest, pos):
            pos = m.end()
            if _excused(rest, m) or (one_swap and not strong):
                continue
            return f"{RUNNING_TOTAL if strong else WEAK_TOTAL}: '{rest[m.start():m.end()].strip()}'"
    return None


def _excused(sentence: str, m: re.Match[str]) -> bool:
    """"since" after a comparison or after "held": not a sum."""
    word = sentence[m.start():m.end()].lower()
    if not word.startswith("since"):
        return False
    before = sentence[max(0, m.start() - 80): m.end()]
    return bool(_SINCE_COMPARED.search(before) or _HELD_SINCE.search(before))
