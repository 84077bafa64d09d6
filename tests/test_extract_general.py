"""General patterns of exchange and capture reports, on short articles written for these tests
in the styles of wire copy, official statements and Telegram posts (none from the corpus)."""

import datetime as dt

import pytest

from tests.articles import extract
from tracker.extract import lexicon_from_rows
from tracker.extract.numbers import find_numbers

ROWS = [
    {"code": "UKR", "name": "Ukraine", "role": "belligerent",
     "aliases": "Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev|Zelensky|Zelenskiy|Yermak"},
    {"code": "RUS", "name": "Russia", "role": "belligerent",
     "aliases": "Russia|Russian|Russians|Moscow|Kremlin"},
    {"code": "ARE", "name": "United Arab Emirates", "role": "mediator",
     "aliases": "United Arab Emirates|UAE|Emirati"},
    {"code": "SAU", "name": "Saudi Arabia", "role": "mediator", "aliases": "Saudi Arabia|Saudi"},
]
LEX = lexicon_from_rows(ROWS)


def transfers(text, published):
    """(date, precision, from, to, category, best, qualifier) of every transfer."""
    out = []
    for ex in extract(text, dt.date.fromisoformat(published), LEX).exchanges:
        for t in ex.transfers:
            if t.doubt:  # held back for review: counted nowhere
                continue
            out.append((ex.date.value.isoformat(), ex.date.precision, t.from_party, t.to_party,
                        t.category, t.count.best, t.count.qualifier))
    return sorted(out)


def captures(text, published):
    return [(c.captor, c.captive, c.kind, c.count.best, c.count.qualifier)
            for c in extract(text, dt.date.fromisoformat(published), LEX).captures]


# --- evidence and claimants -----------------------------------------------------------------

def test_evidence_is_the_whole_sentence_of_the_figure():
    text = ("Prisoners came home on Friday.\n\nMoscow received 40 of its soldiers, while Kyiv got "
            "back 40 servicemen, the Russian Defence Ministry said on Friday. It gave no details.")
    found = extract(text, dt.date(2025, 3, 7), LEX)
    sentence = ("Moscow received 40 of its soldiers, while Kyiv got back 40 servicemen, the Russian "
                "Defence Ministry said on Friday.")
    (ex,) = found.exchanges
    assert len(ex.transfers) == 2
    for t in ex.transfers:
        assert t.evidence.quote == sentence == text[t.evidence.start:t.evidence.end]
        assert t.evidence.claimant == "Russian Defence Ministry"


def test_capture_evidence_is_the_whole_sentence():
    text = "Over the past week, Ukrainian forces took 120 Russian soldiers prisoner, the General Staff said."
    (c,) = extract(text, dt.date(2024, 8, 16), LEX).captures
    assert (c.evidence.start, c.evidence.end, c.evidence.quote) == (0, len(text), text)
    assert c.evidence.claimant == "General Staff"


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("On Tuesday, Russia's Defence Ministry all said 30 Russian soldiers had come home.",
         "Russian Defence Ministry"),
        ("Kyiv swapped 22 Russian prisoners for 22 of its own soldiers on Monday, Andriy Yermak, "
         "head of the President's Office, said.", "Andriy Yermak, head of the President's Office"),
        ("In a statement, ministry spokesman Igor Konashenkov said 30 Russian soldiers had come home.",
         "ministry spokesman Igor Konashenkov"),
        ("Thirty Russian soldiers have come home, officials in both countries said on Monday.",
         "officials in both countries"),
        ("\u201cThirty Russian soldiers have come home,\u201d said Andriy Yermak, head of the "
         "President's Office.", "Andriy Yermak, head of the President's Office"),
    ],
)
def test_claimant_is_the_phrase_that_says_it(sentence, claimant):
    ex = extract(sentence, dt.date(2023, 8, 7), LEX).exchanges
    assert {t.evidence.claimant for e in ex for t in e.transfers} == {claimant}


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "value"),
    [("1 000 prisoners", 1000), ("two dozen civilians", 24), ("a hundred soldiers", 100),
     ("6\u202f000 soldiers", 6000), ("one hundred and fifty men", 150)],
)
def test_number_formats(text, value):
    assert [n.count.best for n in find_numbers(text)] == [value]


def test_dateline_is_neither_a_date_nor_a_count():
    text = ("KYIV, Feb 27 (Reuters) - Two dozen Ukrainian civilians held in Russia were returned "
            "home late on Tuesday, Ukraine's human rights commissioner said on Thursday.")
    assert transfers(text, "2025-02-27") == [
        ("2025-02-25", "day", "RUS", "UKR", "civilian", 24, "exact")]


# --- what is and is not a transfer -----------------------------------------------------------

def test_an_addition_is_not_a_part():
    text = ("Russia and Ukraine each released 175 prisoners of war on Wednesday.\n\n"
            "Ukraine also handed over 22 badly wounded Russian soldiers as a gesture of goodwill, "
            "the Russian Defense Ministry said.")
    assert transfers(text, "2025-03-19") == [
        ("2025-03-19", "day", "RUS", "UKR", "pow", 175, "exact"),
        ("2025-03-19", "day", "UKR", "RUS", "pow", 22, "exact"),
        ("2025-03-19", "day", "UKR", "RUS", "pow", 175, "exact"),
    ]


def test_an_included_group_is_a_part_of_any_category():
    text = ("Russia and Ukraine swapped prisoners on Monday, with Kyiv saying 189 Ukrainians had "
            "come home.\n\nThe freed Ukrainians included soldiers, border guards and two "
            "civilians, Zelenskiy said.")
    assert transfers(text, "2024-12-30") == [("2024-12-30", "day", "RUS", "UKR", "pow", 189, "exact")]


def test_running_total_over_several_days_is_not_a_transfer():
    text = ("Russia and Ukraine on Sunday completed the largest prisoner exchange of the war, "
            "swapping 303 soldiers each on the final day.\n\nIn total 1 000 prisoners from each "
            "side were freed over three days.")
    assert transfers(text, "2025-05-25") == [
        ("2025-05-25", "day", "RUS", "UKR", "pow", 303, "exact"),
        ("2025-05-25", "day", "UKR", "RUS", "pow", 303, "exact"),
    ]


def test_a_pair_needs_a_done_swap_not_a_deal():
    done = "Moscow said the swap on Monday was \u201c150 for 150\u201d."
    assert transfers(done, "2024-12-31") == [
        ("2024-12-30", "day", "RUS", "UKR", "pow", 150, "exact"),
        ("2024-12-30", "day", "UKR", "RUS", "pow", 150, "exact"),
    ]
    assert transfers("The deal envisages a \u201c1000 for 1000\u201d exchange.", "2025-05-20") == []


def test_a_later_not_done_clause_does_not_undo_a_figure():
    text = ("Ukraine is holding about 600 Russian prisoners of war, Zelensky said on Tuesday, "
            "adding that Kyiv was ready to exchange all of them.")
    assert captures(text, "2024-03-05") == [("UKR", "RUS", "holding", 600, "about")]


def test_owner_of_its_own_is_not_a_nationality_adjective():
    text = "Kyiv swapped 22 Russian prisoners for 22 of its own soldiers on Monday."
    assert transfers(text, "2023-08-07") == [
        ("2023-08-07", "day", "RUS", "UKR", "pow", 22, "exact"),
        ("2023-08-07", "day", "UKR", "RUS", "pow", 22, "exact"),
    ]


def test_repatriating_bodies_brings_them_home():
    text = ("Ukraine has repatriated the bodies of 757 fallen soldiers, officials reported on "
            "Friday.\n\nRussia received the remains of 43 of its servicemen in return.")
    assert transfers(text, "2025-02-14") == [
        ("2025-02-14", "day", "RUS", "UKR", "body", 757, "exact"),
        ("2025-02-14", "day", "UKR", "RUS", "body", 43, "exact"),
    ]


def test_a_figure_without_any_direction_cue_is_left_to_the_analyst():
    text = ("The repatriation of 909 bodies took place on Friday, officials said.\n\n"
            "Russia got back the bodies of 41 of its soldiers.")
    assert transfers(text, "2025-04-19") == [("2025-04-18", "day", "UKR", "RUS", "body", 41, "exact")]


def test_back_on_home_soil_is_a_homecoming():
    text = "On Friday, Ukraine said 75 of its soldiers were back on home soil."
    assert transfers(text, "2024-05-31") == [("2024-05-31", "day", "RUS", "UKR", "pow", 75, "exact")]


def test_a_swap_with_a_mediators_claimant_reads_from_the_parties():
    text = ("Saudi Arabia helped broker a swap on Thursday, the Saudi foreign ministry said.\n\n"
            "Kyiv got back 34 soldiers, while Moscow received 34 of its servicemen, the ministry "
            "said.")
    assert transfers(text, "2025-03-07") == [
        ("2025-03-06", "day", "RUS", "UKR", "pow", 34, "exact"),
        ("2025-03-06", "day", "UKR", "RUS", "pow", 34, "exact"),
    ]


# --- dates ------------------------------------------------------------------------------------

def test_a_day_after_dates_the_earlier_stage():
    text = ("Ukraine and Russia swapped 307 soldiers each on Saturday in the second stage, a day "
            "after 390 people from each side were freed in the first stage.\n\n"
            "The final stage is expected to take place on Sunday.\n\n"
            "Russia's Defence Ministry confirmed that 307 Russian servicemen had been returned.")
    assert transfers(text, "2025-05-24") == [
        ("2025-05-23", "day", "RUS", "UKR", "pow", 390, "exact"),
        ("2025-05-23", "day", "UKR", "RUS", "pow", 390, "exact"),
        ("2025-05-24", "day", "RUS", "UKR", "pow", 307, "exact"),
        ("2025-05-24", "day", "UKR", "RUS", "pow", 307, "exact"),
    ]


def test_the_date_of_a_statement_gives_way_to_the_date_of_the_swap():
    text = ("Ukraine won the release of 215 fighters in exchange for 55 Russians, officials said "
            "on Thursday.\n\nThe swap took place on Wednesday, with the help of Saudi Arabia.")
    assert transfers(text, "2022-09-22") == [
        ("2022-09-21", "day", "RUS", "UKR", "pow", 215, "exact"),
        ("2022-09-21", "day", "UKR", "RUS", "pow", 55, "exact"),
    ]


@pytest.mark.parametrize(
    ("sentence", "published", "date", "precision"),
    [
        ("Earlier this month, Kyiv said it had recovered 75 Ukrainians in an exchange.",
         "2024-06-26", "2024-06-01", "month"),
        ("Ukraine and Russia exchanged prisoners on New Year's Eve, with 70 Ukrainian defenders "
         "returning home.", "2025-01-01", "2024-12-31", "day"),
        ("Kyiv said on Tuesday that 75 Ukrainians freed the day before had been taken to hospital.",
         "2024-12-31", "2024-12-30", "day"),
    ],
)
def test_relative_dates(sentence, published, date, precision):
    ((got, prec, *_),) = transfers(sentence, published)
    assert (got, prec) == (date, precision)


# --- captures ---------------------------------------------------------------------------------

def test_one_statement_gives_one_tally():
    text = ("Russia is holding more than 6,000 Ukrainian soldiers, the defence ministry said on "
            "Thursday.\n\nIts spokesman said the total of Ukrainian troops who were captured or "
            "surrendered stands at more than 6,000.")
    assert captures(text, "2022-06-30") == [("RUS", "UKR", "holding", 6000, "more_than")]


def test_killed_and_sentenced_are_not_captures():
    text = ("Ukraine accused Russian troops of shooting dead six Ukrainian soldiers who had "
            "surrendered.\n\nA Russian court sentenced a Ukrainian soldier captured in August to "
            "13 years in prison.")
    assert captures(text, "2024-12-05") == []
    assert transfers(text, "2024-12-05") == []


def test_remaining_in_a_partys_captivity_is_a_holding():
    text = ("Ukrainian officials say more than 8,000 Ukrainians remain in Russian captivity, "
            "including civilians.\n\nMany of the 300 Ukrainians who were in Russian captivity "
            "were tortured.")
    assert captures(text, "2025-03-25") == [("RUS", "UKR", "holding", 8000, "more_than")]


def test_one_sides_each_for_each_stands_beside_the_others_count():
    text = ("Russia and Ukraine gave different figures for the swap they carried out on Monday.\n\n"
            "Moscow said the swap was \u201c150 for 150\u201d. Kyiv said 189 Ukrainians had come "
            "home, including civilians.")
    assert transfers(text, "2024-12-31") == [
        ("2024-12-30", "day", "RUS", "UKR", "pow", 150, "exact"),
        ("2024-12-30", "day", "RUS", "UKR", "pow", 189, "exact"),
        ("2024-12-30", "day", "UKR", "RUS", "pow", 150, "exact"),
    ]


def test_a_period_leading_the_sentence_makes_an_increment():
    text = ("Over the past day, 12 Ukrainian servicemen surrendered to Russian units, the Russian "
            "Defence Ministry said.")
    (c,) = extract(text, dt.date(2024, 11, 2), LEX).captures
    assert (c.captor, c.captive, c.kind, c.count.best) == ("RUS", "UKR", "increment", 12)
    assert c.period_start.value == dt.date(2024, 11, 1)
