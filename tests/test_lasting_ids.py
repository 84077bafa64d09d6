"""Ids that last: through re-extraction, a new version of a URL, and merging; sources entered by
hand are never re-extracted; a retired id still answers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import tracker.extract
from tests.conftest import Cli
from tests.test_cli_core import enter_sample
from tests.test_corrections import SWAP
from tracker.db import open_database
from tracker.extract.types import Count


def _json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok(*args, "--format", "json"))


def _ids(cli: Cli) -> dict[str, list]:
    return {
        "claims": sorted((c["claim_id"], c["transfer_id"], c["capture_id"])
                         for c in _json(cli, "export", "claims")),
        "transfers": sorted((t["transfer_id"], t["exchange_id"], t["count_best"])
                            for t in _json(cli, "export", "transfers")),
        "captures": sorted((c["capture_id"], c["count_best"])
                           for c in _json(cli, "export", "captures")),
    }


LATER = (  # imported after SWAP: SWAP's records are not the last ones of their tables
    "url: https://example.org/later\npublished: 2025-05-09\n\n"
    "Russia is holding more than 8,000 Ukrainian prisoners, the ombudsman said on Friday.\n"
)


@pytest.fixture
def swap(cli: Cli, tmp_path: Path) -> Cli:
    for name, body in (("swap.txt", SWAP), ("later.txt", LATER)):
        (tmp_path / name).write_text(body)
        cli.ok("import", str(tmp_path / name))
    return cli


def test_reextract_keeps_every_id(swap: Cli) -> None:
    before = _ids(swap)
    assert len(before["claims"]) == 4 and len(before["transfers"]) == 2
    assert len(before["captures"]) == 2
    swap.ok("reextract")
    assert _ids(swap) == before


def _rules_that_read(change):
    """The current rules, with ``change`` applied to what they find (a rule that changed)."""
    real = tracker.extract.extract

    def extract(text, published, lex):
        return change(real(text, published, lex))

    return extract


def test_a_figure_read_otherwise_keeps_its_ids(swap: Cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule now reads 162 where it read 160: the same claim, transfer and exchange, the new
    count (a person's citation of transfer:N still names that transfer)."""
    before = _ids(swap)

    def recount(found):
        ex = found.exchanges[0]
        t = ex.transfers[0]
        return replace(found, exchanges=[replace(ex, transfers=[
            replace(t, count=Count.exact(162)), *ex.transfers[1:]])])

    monkeypatch.setattr(tracker.extract, "extract", _rules_that_read(recount))
    swap.ok("reextract", "--source", "1")
    after = _ids(swap)
    assert after["claims"] == before["claims"]
    assert sorted(b for _, _, b in after["transfers"]) == [160, 162]
    assert [t[:2] for t in after["transfers"]] == [t[:2] for t in before["transfers"]]


def test_a_figure_no_longer_found_retires_its_ids_with_the_reason(
        swap: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = _ids(swap)
    gone_transfer = before["transfers"][-1][0]
    gone_claim = next(c for c, t, _ in before["claims"] if t == gone_transfer)

    def forget(found):
        if not found.exchanges:
            return found
        ex = found.exchanges[0]
        return replace(found, exchanges=[replace(ex, transfers=[
            t for t in ex.transfers if t is not ex.transfers[-1]])])

    monkeypatch.setattr(tracker.extract, "extract", _rules_that_read(forget))
    swap.ok("reextract")
    result = swap("report", "provenance", f"transfer:{gone_transfer}")
    assert result.exit_code == 1
    assert f"Error: no transfer {gone_transfer} (transfer {gone_transfer}: re-extraction of " \
           "source 1" in result.output
    monkeypatch.undo()
    (tmp_path / "more.txt").write_text(SWAP.replace("swap", "more").replace("160", "90"))
    swap.ok("import", str(tmp_path / "more.txt"))  # new records never take a retired id
    ids = _ids(swap)
    assert gone_transfer not in {t for t, _, _ in ids["transfers"]}
    assert gone_claim not in {c for c, _, _ in ids["claims"]}


def test_a_new_version_of_a_url_keeps_the_facts_ids(swap: Cli, tmp_path: Path) -> None:
    before = _ids(swap)
    (tmp_path / "v2.txt").write_text(SWAP.replace("the Ukrainian ombudsman said",
                                                  "the ombudsman's office said on Wednesday"))
    assert "1 new versions" in swap.ok("import", str(tmp_path / "v2.txt"))
    transfers = _json(swap, "export", "transfers")
    assert sorted(t["transfer_id"] for t in transfers) == [t for t, _, _ in
                                                          before["transfers"]]
    assert {t["source_count"] for t in transfers} == {1}  # the old version's claims set aside
    assert [c["capture_id"] for c in _json(swap, "export", "captures")] == [
        c for c, _ in before["captures"]]


def test_reextract_leaves_hand_entered_sources_alone(cli: Cli) -> None:
    """A source entered with `add source` gets no extraction, now or on re-extraction: its
    hand-entered exchange is not joined by a machine reading of the same text."""
    enter_sample(cli)
    before = _ids(cli)
    assert cli.ok("reextract") == "0 sources re-read, 1 entered by hand left alone, " \
                                  "0 claims found\n"
    assert _ids(cli) == before
    assert len(_json(cli, "export", "exchanges")) == 1


def test_upgrade_marks_sources_with_only_hand_entered_claims(engine: str) -> None:
    cli = Cli(engine)
    enter_sample(cli)
    db = open_database(engine)
    db.downgrade("0005")
    db.upgrade("head")
    db.dispose()
    assert cli.ok("reextract").startswith("0 sources re-read, 1 entered by hand left alone")
