"""Parties come from the lexicon, so another conflict works the same way."""

from tracker.extract import lexicon_from_rows
from tracker.extract.parties import find_parties, other_side
from tracker.extract.sentences import clauses, split

ROWS = [
    {"code": "ARM", "name": "Armenia", "role": "belligerent", "aliases": "Armenia|Armenian|Armenians|Yerevan"},
    {"code": "AZE", "name": "Azerbaijan", "role": "belligerent", "aliases": "Azerbaijan|Azerbaijani|Azerbaijanis|Baku"},
    {"code": "USA", "name": "United States", "role": "mediator", "aliases": "United States|US|U.S."},
]
LEXICON = lexicon_from_rows(ROWS)


def test_aliases_and_possessives():
    text = "Baku's statement said Armenian soldiers were in Yerevan's custody."
    assert [(m.code, m.alias) for m in find_parties(text, LEXICON)] == [
        ("AZE", "Baku's"), ("ARM", "Armenian"), ("ARM", "Yerevan's"),
    ]


def test_capital_aliases_are_case_sensitive():
    assert [m.code for m in find_parties("let us talk to the US envoy", LEXICON)] == ["USA"]


def test_other_side_is_the_one_the_article_names():
    assert other_side("ARM", LEXICON, ("ARM", "AZE")) == "AZE"
    # the near miss: the lexicon's only other belligerent is no answer if the text is silent
    assert other_side("ARM", LEXICON) is None
    assert other_side("ARM", LEXICON, ("ARM",)) is None


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "On Sept. 21 the U.S. envoy spoke. Then 10 men came home.\n\nA new paragraph."
    found = split(text)
    assert [s.text for _, s in found] == [
        "On Sept. 21 the U.S. envoy spoke.", "Then 10 men came home.", "A new paragraph.",
    ]
    assert all(text[s.start:s.end] == s.text for _, s in found)
    assert [p for p, _ in found] == [0, 0, 1]


def test_clauses_split_at_while():
    (_, sentence), = split("Baku freed 5 men, while Yerevan freed 7.")
    assert [c.text for c in clauses(sentence)] == ["Baku freed 5 men", "Yerevan freed 7."]
