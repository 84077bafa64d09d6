"""`tracker plot balance|exchanges`: real PNG files of the asked size, on both engines."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reporting_data import enter_history

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the PNG signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC, "not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("kind", ["balance", "exchanges"])
def test_plot_is_a_png_of_the_given_size(cli: Cli, tmp_path: Path, kind: str) -> None:
    enter_history(cli)
    out = tmp_path / f"{kind}.png"
    cli.ok("plot", kind, "--out", str(out), "--size", "900x500")
    assert png_size(out) == (900, 500)


def test_default_sizes(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    cli.ok("plot", "exchanges", "--out", str(tmp_path / "e.png"))
    assert png_size(tmp_path / "e.png") == (1200, 700)
    cli.ok("plot", "balance", "--out", str(tmp_path / "b.png"))  # 4 panels: RUS/UKR x pow/body
    assert png_size(tmp_path / "b.png") == (1200, 4 * 260 + 120)
    cli.ok("plot", "balance", "--party", "UKR", "--category", "pow", "--out",
           str(tmp_path / "u.png"))
    assert png_size(tmp_path / "u.png") == (1200, 700)


def test_filters_and_reviewed_only(cli: Cli, tmp_path: Path) -> None:
    enter_history(cli)
    result = cli("plot", "balance", "--party", "ukr", "--from", "2024-10-01", "--to",
                 "2025-01-31", "--reviewed-only", "--out", str(tmp_path / "b.png"))
    assert result.exit_code == 0, result.output
    assert result.output == f"2 panels written to {tmp_path / 'b.png'}\n"
    result = cli("plot", "exchanges", "--category", "body", "--out", str(tmp_path / "e.png"))
    assert result.output == f"1 exchange written to {tmp_path / 'e.png'}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["balance", "--party", "XYZ"],
         "Error: --party: unknown party 'XYZ' (see `tracker parties list`)"),
        (["exchanges", "--size", "big"],
         "Error: --size: 'big' is not WIDTHxHEIGHT in pixels, e.g. 1200x700"),
        (["exchanges", "--size", "50x50"],
         "Error: --size: width and height must be 200 to 10000 pixels"),
        (["exchanges", "--from", "2030-01-01"],  # a window may reach past today
         "Error: nothing to plot: no exchanges match (see `tracker report exchanges`)"),
        (["exchanges", "--to", "2020-01-01"],
         "Error: nothing to plot: no exchanges match (see `tracker report exchanges`)"),
    ],
)
def test_bad_input(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    enter_history(cli)
    out = tmp_path / "x.png"
    result = cli("plot", *args, "--out", str(out))
    assert result.exit_code == 1
    assert result.output == message + "\n"
    assert not out.exists()


def test_empty_database_has_nothing_to_plot(cli: Cli, tmp_path: Path) -> None:
    result = cli("plot", "balance", "--out", str(tmp_path / "b.png"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: nothing to plot")


def test_held_is_drawn_only_where_it_has_a_value_and_its_basis_is_named(cli: Cli) -> None:
    """A held line below zero used to leave the axis; now held is drawn only where the balance
    gives it a value, its basis in the legend, and the panel says why it is missing."""
    from tracker.balances import BalanceQuery
    from tracker.db import open_database
    from tracker.plots import balance_figure

    cli.ok("add", "source", "--url", "https://example.org/p", "--published", "2024-06-01",
           "--text", "-", input="A statement about prisoners.")
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "UKR:RUS:100", "--source", "1")
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "40", "--kind",
           "cumulative", "--as-of", "2024-03-10", "--source", "1")  # 40 - 100: below zero
    cli.ok("add", "capture", "--captor", "UKR", "--captive", "RUS", "--count", "500", "--kind",
           "holding", "--as-of", "2024-04-01", "--source", "1")
    db = open_database(cli.url, read_only=True)
    try:
        with db.engine.connect() as conn:
            fig, drawn = balance_figure(conn, BalanceQuery(party="UKR", category="pow"))
        assert drawn.panels == 1
    finally:
        db.dispose()
    [ax] = fig.axes
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert "held (from a reported holding)" in labels
    assert "held (captured − released)" not in labels  # it never had a value
    assert ax.get_title(loc="right") == (
        "held not shown: no holding or cumulative tally (1 date); tallies give below zero (1 date)")
    assert ax.get_ylim()[0] <= min(
        y for line in ax.get_lines() for y in line.get_ydata() if y == y)


def test_a_panel_left_out_is_named(cli: Cli, tmp_path: Path) -> None:
    """`plot balance` left out a party's panel (all zero or unknown) without a word."""
    cli.ok("add", "source", "--url", "https://example.org/l", "--published", "2024-06-01",
           "--text", "-", input="A statement about prisoners.")
    cli.ok("add", "exchange", "--date", "2024-03-05", "-t", "RUS:UKR:10:body", "--source", "1")
    result = cli("plot", "balance", "--out", str(tmp_path / "b.png"))
    assert result.exit_code == 0, result.output
    # UKR received bodies and released none: nothing to draw in its body panel
    assert result.output.splitlines() == [
        f"1 panel written to {tmp_path / 'b.png'}",
        "not drawn, having no figure but zero or unknown: UKR (body)"]
