"""A realistic history for report, plot and workbook tests: five exchanges over six months,
sources that disagree, and tallies with open-ended highs. Entered through the CLI."""

from __future__ import annotations

from tests.conftest import Cli

SOURCES = [
    # url, outlet, published, text
    ("https://afp.example/aug", "AFP", "2024-08-25", "Ukraine and Russia swapped 115 each."),
    ("https://reuters.example/sep", "Reuters", "2024-09-15", "Another swap of 103 for 103."),
    ("https://kyivindependent.example/oct", "Kyiv Independent", "2024-10-19", "95 came home."),
    ("https://tass.example/dec", "TASS", "2024-12-31", "150 for 150, Russia says."),
    ("https://pravda.example/dec", "Ukrainska Pravda", "2024-12-31", "189 came home."),
    ("https://example.org/kursk", "AFP", "2025-02-06", "Each side released 150; 909 captured."),
]


def add_sources(cli: Cli) -> None:
    for url, outlet, published, body in SOURCES:
        cli.ok("add", "source", "--url", url, "--outlet", outlet, "--published", published,
               "--text", "-", input=body)


def swap(cli: Cli, date: str, source: int, *transfers: str, claimant: str = "",
         quote: str = "", mediator: str = "ARE") -> None:
    args = ["add", "exchange", "--date", date, "--source", str(source), "--mediator", mediator]
    for t in transfers:
        args += ["-t", t]
    if claimant:
        args += ["--claimant", claimant]
    if quote:
        args += ["--quote", quote]
    cli.ok(*args)


def tally(cli: Cli, captor: str, captive: str, count: str, as_of: str, source: int,
          *extra: str) -> None:
    cli.ok("add", "capture", "--captor", captor, "--captive", captive, "--count", count,
           "--as-of", as_of, "--source", str(source), *extra)


def enter_history(cli: Cli) -> None:
    add_sources(cli)
    swap(cli, "2024-08-24", 1, "UKR:RUS:115", "RUS:UKR:115", claimant="Ukrainian Coordination HQ",
         quote="Ukraine and Russia swapped 115 each.")
    swap(cli, "2024-09-14", 2, "UKR:RUS:103", "RUS:UKR:103", claimant="Russian Defence Ministry",
         quote="Another swap of 103 for 103.")
    swap(cli, "2024-10-18", 3, "UKR:RUS:95", "RUS:UKR:95", claimant="Zelensky", quote="95 came home.")
    swap(cli, "2024-12-30", 4, "UKR:RUS:150", "RUS:UKR:150", claimant="Russian Defence Ministry",
         quote="150 for 150, Russia says.")
    swap(cli, "2024-12-30", 5, "RUS:UKR:189", claimant="Ukrainian Coordination HQ",
         quote="189 came home.")
    swap(cli, "2025-02-05", 6, "UKR:RUS:150", "RUS:UKR:150", claimant="Ukrainian military",
         quote="Each side released 150")
    swap(cli, "2024-11-15", 3, "RUS:UKR:563:body", "UKR:RUS:37:body", claimant="Ombudsman",
         quote="563 bodies returned", mediator="TUR")
    tally(cli, "UKR", "RUS", "700", "2024-12-31", 4, "--qualifier", "more_than",
          "--kind", "cumulative", "--claimant", "Ukrainian General Staff", "--quote",
          "more than 700")
    tally(cli, "UKR", "RUS", "909", "2025-02-06", 6, "--kind", "cumulative", "--period-start",
          "2024-08-06", "--claimant", "Ukrainian military", "--quote", "909 captured")
    tally(cli, "RUS", "UKR", "6000", "2024-08-01", 1, "--qualifier", "at_least",
          "--kind", "cumulative", "--claimant", "Russian Defence Ministry", "--quote",
          "at least 6,000")
    tally(cli, "RUS", "UKR", "8000", "2024-10-18", 3, "--qualifier", "about", "--count-low",
          "7000", "--count-high", "9000", "--kind", "holding", "--claimant", "Ombudsman",
          "--quote", "about 8,000 held")
