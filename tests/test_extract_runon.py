"""Text without sentence breaks: a run-on longer than ``MAX_SENTENCE`` is read in pieces, so
its figures keep their own dates and extraction stays linear; a sentence of ordinary length,
however long, is read whole."""

import datetime as dt

from tracker.extract import extract, lexicon_from_rows
from tracker.extract.sentences import MAX_SENTENCE, Span, bounded, split

LEX = lexicon_from_rows([
    {"code": "UKR", "name": "Ukraine", "role": "belligerent",
     "aliases": "Ukraine|Ukrainian|Ukrainians|Kyiv"},
    {"code": "RUS", "name": "Russia", "role": "belligerent",
     "aliases": "Russia|Russian|Russians|Moscow"},
])
THU = dt.date(2025, 2, 6)
FILLER = ["families of the missing gathered outside government offices to ask for news",
          "analysts say exchanges remain one of the few areas in which the sides cooperate",
          "relatives learned of the release from lists published online"]


def run_on(size: int) -> str:
    """About ``size`` characters of figure-free clauses joined by commas and "and"."""
    parts, n, i = [], 0, 0
    while n < size:
        parts.append(FILLER[i % len(FILLER)])
        n += len(parts[-1]) + 2
        i += 1
    return "".join(p + (", " if k % 2 else " and ") for k, p in enumerate(parts))


def transfers(text):
    return sorted((ex.date.value.isoformat(), t.from_party, t.to_party, t.category, t.count.best)
                  for ex in extract(text, THU, LEX).exchanges for t in ex.transfers if not t.doubt)


def test_figures_at_both_ends_of_a_long_run_on_keep_their_own_dates():
    # 200 KB with no full stop: the swap at the start is dated Wednesday, the bodies at the end
    # Monday (read as one sentence, every figure took the sentence's first date).
    text = ("On Wednesday, Russia handed over 90 Ukrainian prisoners of war in exchange for 85 "
            "Russian servicemen, " + run_on(200_000) + "and on Monday the bodies of 40 fallen "
            "Ukrainian soldiers were repatriated to Ukraine")
    assert transfers(text) == [
        ("2025-02-03", "RUS", "UKR", "body", 40),
        ("2025-02-05", "RUS", "UKR", "pow", 90),
        ("2025-02-05", "UKR", "RUS", "pow", 85),
    ]
    for ex in extract(text, THU, LEX).exchanges:
        for t in ex.transfers:  # the evidence is the piece that holds the figure, not 200 KB
            assert len(t.evidence.quote) <= MAX_SENTENCE
            assert text[t.evidence.start:t.evidence.end] == t.evidence.quote


def test_a_long_ordinary_sentence_is_read_whole():
    # 60 words, 390 characters: one sentence, one reading ("in exchange for" links its counts)
    text = ("On Wednesday, after weeks of talks that officials in both capitals described as "
            "difficult and that relatives of the missing followed closely from outside "
            "government offices, Russia handed over 90 Ukrainian prisoners of war, most of them "
            "captured during the long battles in the east and held for more than a year in "
            "camps far from the front, in exchange for 85 Russian servicemen.")
    assert len(text.split()) >= 60
    assert [s.text for _, s in split(text)] == [text]
    assert transfers(text) == [("2025-02-05", "RUS", "UKR", "pow", 90),
                               ("2025-02-05", "UKR", "RUS", "pow", 85)]


def test_a_sentence_at_the_limit_is_not_cut():
    text = "x" * (MAX_SENTENCE - 9) + " and more"
    assert len(text) == MAX_SENTENCE
    assert bounded(Span(5, 5 + len(text), text)) == [Span(5, 5 + len(text), text)]


def test_a_run_on_is_cut_after_a_comma_into_pieces_that_keep_offsets():
    text = run_on(3 * MAX_SENTENCE)
    pieces = [s for _, s in split(text)]
    assert len(pieces) >= 3
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert all(text[p.start:p.end] == p.text for p in pieces)
    assert all(p.text.endswith(",") for p in pieces[:-1])  # the comma stays with its piece
    assert " ".join(p.text for p in pieces) == text.strip()  # nothing lost, nothing repeated


def test_a_semicolon_is_preferred_to_a_comma():
    text = "a" * 600 + "; " + "b" * 200 + ", " + "c" * 400
    assert [p.text for p in bounded(Span(0, len(text), text))] == [
        "a" * 600 + ";", "b" * 200 + ", " + "c" * 400]


def test_without_punctuation_a_run_on_is_cut_at_a_space_or_at_the_limit():
    words = "word " * 400
    pieces = bounded(Span(0, len(words), words))
    assert all(len(p.text) <= MAX_SENTENCE and not p.text.startswith(" ") for p in pieces)
    assert " ".join(p.text for p in pieces) == words.strip()
    solid = "z" * (2 * MAX_SENTENCE + 5)
    assert [len(p.text) for p in bounded(Span(0, len(solid), solid))] == [
        MAX_SENTENCE, MAX_SENTENCE, 5]


def test_a_quotation_and_who_said_it_are_one_sentence():
    # a speech verb within 80 characters after the closing quote, nothing but a last "!" after
    text = "“Two hundred of ours are home!” Lubinets posted on Wednesday. Then 10 men came home."
    assert [s.text for _, s in split(text)] == [
        "“Two hundred of ours are home!” Lubinets posted on Wednesday.", "Then 10 men came home."]
    # near misses: no speech verb within reach, or a question later in the paragraph
    far = "“We are home.” " + "The convoy crossed the border " * 3 + "and he said so."
    assert len([s for _, s in split(far)]) == 2
    asked = "“We are home.” He said so. Who paid?"
    assert [s.text for _, s in split(asked)] == ["“We are home.”", "He said so.", "Who paid?"]


def test_a_paragraph_of_many_quotations_keeps_each_with_its_speaker():
    one = "‘We are home.’ Zelensky said on Wednesday that 90 soldiers returned."
    found = [s.text for _, s in split(" ".join([one] * 3000))]  # 200 KB, one paragraph
    assert found == [one] * 3000
