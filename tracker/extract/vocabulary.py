"""Word lists of the language of capture and exchange reports, in one place.

They describe how agencies phrase swaps, releases, captures and surrenders; they name no party
(parties come from the lexicon). What governs a figure (not done, a running total) is read in
``scope``.
"""

from __future__ import annotations

import re

# Nouns that name people (the head of "150 captured soldiers").
PERSON_NOUNS = (
    r"prisoners? of war|POWs?|PoWs?|prisoners?|captives?|detainees?|hostages?|internees?|"
    r"soldiers?|servicem[ae]n|service\s?members?|servicemembers?|service\s?personnel|"
    r"service\s?women|servicewomen|military personnel|personnel|officials?|troops?|fighters?|"
    r"defenders?|marines?|officers?|privates?|sergeants?|pilots?|paratroopers?|conscripts?|"
    r"commanders?|combatants?|militants?|mercenaries|volunteers?|guardsm[ae]n|guards?|"
    r"sailors?|seam[ae]n|seafarers?|crew members?|crewmen|civilians?|people|persons?|"
    r"individuals?|citizens?|nationals?|women|men|medics?|heroes|occupiers|occupants|"
    r"servicepeople|residents?|inhabitants?|villagers|children|minors|teenagers|"
    r"returnees|warriors?|ours|bodies|body|remains|dead"
)
BODY_WORDS = r"bodies|body|remains|dead|fallen|killed|deceased|slain"
PERSON_WORD = re.compile(rf"\b(?:{PERSON_NOUNS})\b", re.IGNORECASE)
BODY_WORD = re.compile(rf"\b(?:{BODY_WORDS})\b", re.IGNORECASE)
CIVILIAN_HEADS = (
    r"officials?|civilians?|sailors?|seam[ae]n|seafarers?|crew members?|crewmen|hostages?|"
    r"residents?|inhabitants?|villagers|children|minors|teenagers"
)
GENERIC_HEADS = r"people|persons?|individuals?|citizens?|nationals?"
MILITARY_TITLES = (
    r"soldier|serviceman|servicewoman|pilot|commander|officer|marine|fighter|sergeant|"
    r"lieutenant|colonel|captain|major|private|medic|defender|paratrooper|general"
)

# Verbs by what they say about direction, relative to the party that is their subject.
RELEASE_VERBS = (
    r"released|releases|releasing|release|freed|frees|freeing|free|set free|handed over|"
    r"hands over|handing over|hand over|handed back|handing back|turned over|turns over|"
    r"gave back|gave up|gives up|giving up|give up|gave|give|gives|giving|transferred|"
    r"transfers|sent back|sent home|returned|returns|returning|let go|passed over|passed|"
    r"delivered|delivers|evacuated|handed|hands|handing"
)
RECEIVE_VERBS = (
    r"received|receives|receiving|got back|gets back|getting back|got|recovered|recovering|"
    r"retrieved|retrieving|reclaimed|(?:secured|secures|securing|won|wins|winning|obtained|"
    r"achieved|negotiated|gained) (?:the )?(?:release|return|freedom|homecoming)(?: of| for)?|"
    r"win freedom for|succeeded in freeing|took in|takes in|taking in|welcomed back|"
    r"managed to free|succeeded in bringing back|brought back|brings back|bringing back|"
    r"bring back|brought home|brings home|bringing home|bring home|welcomed home|"
    r"took back|takes back|taking back|homecoming of|return of|arrival of|repatriation of|"
    r"repatriated|repatriates|repatriating|"
    r"(?:brought|bring|brings|bringing|got|getting)(?=[^.;]{0,80}?\b(?:back|home)\b)"
)
HOMECOMING = (
    r"came home|come home|coming home|comes home|came back|come back|coming back|"
    r"returned home|return home|returning home|returned|were returned|was returned|"
    r"brought back|brought home|back home|made it back|went home|go home|going back|went back|"
    r"heading home|headed home|repatriated|returned to|were freed|was freed|been freed|"
    r"(?:are|is|were|was|be|been) (?:now |finally |safely )?(?:back|home)\b|back on home soil|"
    r"on home soil|were released|was released|been released|set free|freed|released|"
    r"handed back|handed over|passed into the hands|evacuated"
)
# Verbs that move people both ways: alone they give no direction ("Russia and Ukraine swapped
# 372 prisoners" is a total of both sides).
TWO_WAY = (
    r"swapping|exchanging|trading|exchanged|swapped|traded|changed hands|change hands|"
    r"changing hands"
)
EXCHANGE_WORDS = (
    r"exchange|exchanged|exchanges|swap|swapped|swaps|traded|trade|released|freed|"
    r"handed over|handed back|returned|repatriated|came home|came back|brought back|"
    r"brought home|set free|homecoming|got back|received"
)
FOR_LINKS = (
    r"in return for|in exchange for|exchanged for|swapped for|traded for|in a swap for|"
    r"swap for|for"
)

# After a release verb: "released figures on 10,000 POWs", "gave themselves up" move no one.
NO_ONE_MOVED = re.compile(
    r"\s+(?:(?:a|an|the|its|their|new|fresh|official|some)\s+)*(?:figures?|data|videos?|"
    r"footage|statements?|lists?|names|photos?|pictures|images|information|reports?|details|"
    r"numbers|statistics|themselves\s+up|themselves)\b",
    re.IGNORECASE,
)

# "the 103 Russian soldiers in the exchange": people a swap moved, named by the swap.
IN_THE_SWAP = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:in|from|during|under|freed\s+in|returned\s+in|released\s+in)\s+"
    r"(?:the|this|that|today['’]s|[A-Z]\w+['’]s)\s+(?:latest\s+|recent\s+)?(?:exchange|swap|"
    r"handover)\b",
    re.IGNORECASE,
)
