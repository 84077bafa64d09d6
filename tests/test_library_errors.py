"""The library names the fields of its own functions; only the command line speaks of options
(a Python caller of ``make_count`` was told about ``--count-low``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Cli
from tracker.entry import make_count
from tracker.errors import InputError

LIBRARY = Path(__file__).resolve().parent.parent / "tracker"


def test_a_python_caller_is_told_the_field() -> None:
    with pytest.raises(InputError) as caught:
        make_count("5", low="9")
    assert (caught.value.field, caught.value.message) == ("count_low", "low 9 is greater than best 5")


def test_no_option_is_named_outside_the_command_line() -> None:
    said = [f"{path.relative_to(LIBRARY)}: {line.strip()}"
            for path in LIBRARY.rglob("*.py") if "cli" not in path.parts
            for line in path.read_text(encoding="utf-8").splitlines()
            if re.search(r"(?:InputError|find_party|resolve_party)\([^)]*[\"']--", line)]
    assert said == []


def test_the_command_line_shows_the_option_typed(cli: Cli) -> None:
    cli.ok("add", "source", "--url", "https://example.org/e", "--published", "2024-06-01",
           "--text", "-", input="A statement.")
    result = cli("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "5",
                 "--count-low", "9", "--kind", "cumulative", "--as-of", "2024-01-01",
                 "--source", "1")
    assert result.output == "Error: --count-low: low 9 is greater than best 5\n"
    result = cli("claims", "list", "--from", "2025-01-01", "--to", "2024-01-01")
    assert result.output == "Error: --to: 2024-01-01 is before the from date 2025-01-01\n"
    result = cli("report", "balance", "--party", "Atlantis")
    assert result.output == "Error: --party: unknown party 'Atlantis' (see `tracker parties list`)\n"
