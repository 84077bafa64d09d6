"""Synthetic articles for benchmarks: realistic report language, 2-6 KB, a known answer each.

Each article reports one completed exchange (symmetric or not, prisoners of war or bodies,
sometimes mediated) in one of several phrasings; about four articles report each exchange, as
outlets do, so imports merge reports as they would in use. Some add a capture tally, and all
background paragraphs (statements, context, quotes) that hold no figure. The answer is written
beside the articles as JSON Lines. Deterministic for a given seed.

    python bench/generate.py OUT_DIR [--count 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MEDIATORS = {"ARE": "the United Arab Emirates", "TUR": "Turkey", "SAU": "Saudi Arabia",
             "QAT": "Qatar", "VAT": "the Vatican"}
OUTLETS = ["Example Wire", "Daily Ledger", "Eastern Observer", "Morning Dispatch", "Field Report"]
START = dt.date(2000, 1, 1)
DAYS = 9400  # exchanges fall on distinct days between 2000 and 2025
REPORTS_PER_SWAP = 4  # articles reporting each exchange, in different words

SYMMETRIC = [
    "On {day}, Russia and Ukraine each released {n} prisoners of war in an exchange{med}.",
    "Ukraine and Russia swapped {n} prisoners of war each on {day}{med}, officials said.",
    "{n} Ukrainian servicemen came home on {day} in exchange for {n} Russian soldiers{med}.",
]
ASYMMETRIC = [
    "On {day}, Russia handed over {a} Ukrainian prisoners of war in exchange for {b} Russian servicemen{med}.",
    "{a} Ukrainian defenders returned home from Russian captivity on {day}, while {b} Russian soldiers were sent back to Russia{med}.",
]
BODIES = [
    "The bodies of {a} fallen Ukrainian soldiers were repatriated to Ukraine on {day}{med}.",
]
CAPTURES = [
    "Ukraine's military said its forces had captured {c} Russian servicemen since the start of the month.",
    "The Ukrainian General Staff said {c} Russian soldiers had been taken prisoner since the start of the month.",
]
FILLER = [
    "Officials from both countries have repeatedly said that the return of every prisoner remains a priority, and families of the missing gathered outside government offices to ask for news.",
    "The negotiations leading to the release took several weeks and involved intermediaries who met separately with each delegation, according to people familiar with the talks.",
    "Human rights monitors have called for access to places of detention and for regular communication between detainees and their relatives, a demand repeated by aid agencies.",
    "Footage released by the authorities showed buses crossing a checkpoint and men wrapped in flags stepping out to greet officials, some of them visibly exhausted.",
    "Analysts say exchanges remain one of the few areas in which the two sides still cooperate, even as fighting continues along the front line in the east and south.",
    "Relatives said they learned of the release from lists published online, and several of those freed were expected to undergo medical checks and rehabilitation.",
    "The ombudsman's office said it would continue to document every case and to press for the release of civilians held without charge in occupied territories.",
    "Military officials declined to comment on the timing of the next exchange, saying only that work continued every day to bring people home.",
]


def _code(rng: random.Random) -> str:
    """A desk code in letters: makes every text unique without adding numbers to it."""
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))


def _date_phrase(event: dt.date, published: dt.date, rng: random.Random) -> str:
    if event == published:
        return rng.choice(["today", WEEKDAYS[event.weekday()]])
    return WEEKDAYS[event.weekday()]


@dataclass(frozen=True)
class Swap:
    """One real exchange, which several articles report."""

    date: dt.date
    kind: str
    a: int
    b: int
    mediator: str | None


def _swaps(count: int, rng: random.Random) -> list[Swap]:
    """Exchanges on distinct days (two swaps between the same sides never share a day)."""
    days = sorted(rng.sample(range(DAYS), count))
    return [Swap(START + dt.timedelta(days=d), rng.choices(["sym", "asym", "body"], [5, 3, 2])[0],
                 rng.randrange(20, 400), rng.randrange(20, 400),
                 rng.choice([None, None, *MEDIATORS])) for d in days]


def _article(i: int, swap: Swap, rng: random.Random) -> tuple[str, dict]:
    event = swap.date
    published = event + dt.timedelta(days=rng.randrange(0, 4))
    day = _date_phrase(event, published, rng)
    mediator, a, b = swap.mediator, swap.a, swap.b
    med = f", in a deal mediated by {MEDIATORS[mediator]}" if mediator else ""
    if swap.kind == "sym":
        sentence = rng.choice(SYMMETRIC).format(n=a, day=day, med=med)
        transfers = [("RUS", "UKR", a, "pow"), ("UKR", "RUS", a, "pow")]
    elif swap.kind == "asym":
        sentence = rng.choice(ASYMMETRIC).format(a=a, b=b, day=day, med=med)
        transfers = [("RUS", "UKR", a, "pow"), ("UKR", "RUS", b, "pow")]
    else:
        sentence = rng.choice(BODIES).format(a=a, day=day, med=med)
        transfers = [("RUS", "UKR", a, "body")]
    paragraphs = [sentence]
    captures = []
    if rng.random() < 0.3:
        c = rng.randrange(50, 2000)
        paragraphs.append(rng.choice(CAPTURES).format(c=c))
        captures.append({"captor": "UKR", "captive": "RUS", "count": c, "as_of": published.isoformat()})
    fill = rng.sample(FILLER, k=len(FILLER))
    target = rng.randrange(2000, 6000)
    while sum(len(p) + 2 for p in paragraphs) < target:
        paragraphs.append(fill[len(paragraphs) % len(fill)] + f" (Desk {_code(rng)}.)")
    header = (f"url: https://bench.example.org/{published:%Y/%m}/article-{i}\n"
              f"published: {published.isoformat()}\ntitle: Prisoner exchange report {i}\n"
              f"outlet: {rng.choice(OUTLETS)}\n\n")
    answer = {"article": i, "date": event.isoformat(), "mediator": mediator,
              "transfers": [dict(zip(("from", "to", "count", "category"), t)) for t in transfers],
              "captures": captures}
    return header + "\n\n".join(paragraphs) + "\n", answer


def answers_path(out: Path) -> Path:
    return out.parent / f"{out.name}.answers.jsonl"


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` articles into ``out`` and their answers beside it (OUT.answers.jsonl)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    swaps = _swaps(max(1, count // REPORTS_PER_SWAP), rng)
    paths = []
    with answers_path(out).open("w", encoding="utf-8") as answers:
        for i in range(count):
            text, answer = _article(i, swaps[i % len(swaps)], rng)
            path = out / f"{i // 1000:03d}" / f"article-{i:06d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            answers.write(json.dumps(answer) + "\n")
            paths.append(path)
    return paths


# A run-on text: clauses of exchange reports, capture tallies and background joined by commas
# and "and", with no sentence break anywhere (pasted transcripts, feeds with the stops lost).
RUN_ON = [
    "Ukraine and Russia exchanged {n} prisoners of war on {weekday}, officials said",
    "{n} civilians were returned to Ukraine",
    "Russia handed over {n} Ukrainian servicemen in exchange for {m} Russian soldiers",
    "the bodies of {n} fallen Ukrainian soldiers were repatriated to Ukraine",
    "Ukrainian forces captured {n} Russian servicemen since {month} {day}",
    "families of the missing gathered outside government offices to ask for news",
    "the ombudsman said work continued every day to bring people home",
    "analysts say exchanges remain one of the few areas in which the two sides cooperate",
]
RUN_ON_JOINS = [", and ", ", ", " and ", ", while "]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def run_on_text(size: int, seed: int = 1) -> str:
    """About ``size`` characters of one run-on "sentence" (no full stop), deterministic."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        clause = rng.choice(RUN_ON).format(
            n=rng.randrange(2, 400), m=rng.randrange(2, 400), weekday=rng.choice(WEEKDAYS),
            month=rng.choice(MONTHS), day=rng.randrange(1, 29))
        parts.append(clause)
        parts.append(rng.choice(RUN_ON_JOINS))
        length += len(clause) + len(parts[-1])
    text = "".join(parts[:-1])
    return text[0].upper() + text[1:]


def write_run_on(path: Path, size: int, published: dt.date = dt.date(2024, 6, 1)) -> Path:
    """A text article (header form) whose body is ``run_on_text(size)``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"published: {published.isoformat()}\ntitle: Run-on text\n\n"
                    f"{run_on_text(size)}\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
