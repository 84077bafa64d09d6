"""A correction reaches every figure: the transfer or tally, the views, exports and the balance.

Each editable field of a claim (category, count, qualifier, parties, date, status) is changed
on an imported article, and every place that shows the figure is read back; the other figure
of the same article, left alone, is the near miss that must not move.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

SWAP = (
    "url: https://example.org/swap\npublished: 2025-05-07\n\n"
    "Russia handed over 160 Ukrainian servicemen on Tuesday, and Ukraine returned 160 Russian "
    "soldiers, the Ukrainian ombudsman said.\n\n"
    "Ukrainian forces have captured 640 Russian soldiers since the start of the year, the "
    "General Staff said.\n"
)
SECOND = (  # another outlet's report of the same swap
    "url: https://example.org/second\npublished: 2025-05-07\n\n"
    "Russia's Defence Ministry said 160 Russian servicemen came home from Ukrainian captivity on "
    "Tuesday.\n"
)


def _load(cli: Cli, tmp_path: Path, *texts: str) -> None:
    for i, body in enumerate(texts):
        path = tmp_path / f"{i}.txt"
        path.write_text(body)
        cli.ok("import", str(path))


def _json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok(*args, "--format", "json"))


def _claim(cli: Cli, **match: object) -> int:
    found = [c["claim_id"] for c in _json(cli, "export", "claims")
             if all(c[k] == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def _transfers(cli: Cli) -> set[tuple]:
    return {(t["from_party"], t["to_party"], t["category"], t["count_best"], t["date"])
            for t in _json(cli, "export", "transfers")}


def _sql(cli: Cli, query: str) -> list[dict]:
    return _json(cli, "sql", query)


def _latest(cli: Cli) -> dict[tuple[str, str], dict]:
    return {(r["party"], r["category"]): r for r in _json(cli, "report", "balance")}


@pytest.fixture
def swap(cli: Cli, tmp_path: Path) -> Cli:
    _load(cli, tmp_path, SWAP)
    assert _transfers(cli) == {("RUS", "UKR", "pow", 160, "2025-05-06"),
                               ("UKR", "RUS", "pow", 160, "2025-05-06")}
    return cli


def test_a_category_edit_reaches_the_transfer_views_exports_and_balance(swap: Cli) -> None:
    claim = _claim(swap, kind="transfer", from_party="RUS")
    swap.ok("claims", "edit", str(claim), "--category", "body")
    assert _transfers(swap) == {("RUS", "UKR", "body", 160, "2025-05-06"),
                                ("UKR", "RUS", "pow", 160, "2025-05-06")}  # near miss stays
    assert {(r["from_party"], r["category"]) for r in
            _sql(swap, "SELECT from_party, category FROM v_transfers")} == {
        ("RUS", "body"), ("UKR", "pow")}
    assert _sql(swap, "SELECT transfers FROM v_exchanges") == [
        {"transfers": "RUS->UKR:160:body UKR->RUS:160:pow"}]
    balance = _latest(swap)
    assert balance[("RUS", "body")]["released_best"] == 160
    assert balance[("RUS", "pow")]["released_best"] == 0
    assert balance[("UKR", "pow")]["released_best"] == 160


def test_count_and_qualifier_edits_reach_the_transfer_and_balance(swap: Cli) -> None:
    claim = _claim(swap, kind="transfer", from_party="UKR")
    swap.ok("claims", "edit", str(claim), "--count", "158", "--qualifier", "about")
    row = next(t for t in _json(swap, "export", "transfers") if t["from_party"] == "UKR")
    assert (row["count_best"], row["qualifier"]) == (158, "about")
    assert row["count_low"] < 158 < row["count_high"]  # about: a band around the figure
    assert _latest(swap)[("UKR", "pow")]["released_best"] == 158
    assert _latest(swap)[("RUS", "pow")]["released_best"] == 160  # near miss


def test_a_party_edit_turns_the_transfer_and_joins_its_twin(swap: Cli) -> None:
    """Giving a claim the other direction makes its transfer the same as the other one: one
    transfer, the older id, the other id resolving to it."""
    first = {t["from_party"]: t["transfer_id"] for t in _json(swap, "export", "transfers")}
    claim = _claim(swap, kind="transfer", from_party="UKR")
    swap.ok("claims", "edit", str(claim), "--from", "RUS", "--to", "UKR")
    rows = _json(swap, "export", "transfers")
    survivor, gone = sorted(first.values())
    assert [(t["transfer_id"], t["from_party"], t["source_count"]) for t in rows] == [
        (survivor, "RUS", 1)]
    assert _latest(swap)[("UKR", "pow")]["released_best"] == 0
    traced = swap.ok("report", "provenance", f"transfer:{gone}")
    assert f"merged into transfer {survivor}" in traced
    assert traced.count("claim ") >= 2  # both claims are behind the survivor


def test_a_party_edit_names_the_fields_of_its_kind(swap: Cli) -> None:
    claim = _claim(swap, kind="transfer", from_party="UKR")
    result = swap("claims", "edit", str(claim), "--captor", "RUS")
    assert result.exit_code != 0
    assert "Error: --captor: claim" in result.output  # the option the user gave
    result = swap("claims", "edit", str(claim), "--to", "UKR")
    assert result.exit_code != 0 and "one party on both sides" in result.output
    assert _claim(swap, kind="transfer", from_party="UKR") == claim  # nothing written


def test_a_date_edit_redates_the_exchange_and_the_balance(swap: Cli) -> None:
    claim = _claim(swap, kind="transfer", from_party="RUS")
    swap.ok("claims", "edit", str(claim), "--date", "2025-05-04")
    assert {t[4] for t in _transfers(swap)} == {"2025-05-04"}  # both ways: one swap, one day
    assert [e["date"] for e in _json(swap, "export", "exchanges")] == ["2025-05-04"]
    days = {(r["party"], r["date"]) for r in _json(swap, "report", "balance", "--by",
                                                    "exchange") if r["category"] == "pow"}
    assert days == {("RUS", "2025-05-04"), ("UKR", "2025-05-04")}


def test_status_decisions_reach_the_figures(swap: Cli) -> None:
    claim = _claim(swap, kind="transfer", from_party="RUS")
    swap.ok("claims", "reject", str(claim))
    assert _transfers(swap) == {("UKR", "RUS", "pow", 160, "2025-05-06")}
    assert _latest(swap)[("RUS", "pow")]["released_best"] == 0
    swap.ok("claims", "accept", str(claim))
    reviewed = {(r["party"], r["category"]): r
                for r in _json(swap, "report", "balance", "--reviewed-only")}
    assert reviewed[("RUS", "pow")]["released_best"] == 160
    assert ("UKR", "pow") not in reviewed or reviewed[("UKR", "pow")]["released_best"] == 0


def test_tally_edits_reach_the_captures_and_the_balance(swap: Cli) -> None:
    claim = _claim(swap, kind="cumulative")
    swap.ok("claims", "edit", str(claim), "--count", "650", "--category", "civilian",
            "--date", "2025-05-01")
    [tally] = _json(swap, "export", "captures")
    assert (tally["category"], tally["count_best"], tally["as_of"]) == ("civilian", 650,
                                                                        "2025-05-01")
    assert _latest(swap)[("UKR", "civilian")]["captured_best"] == 650
    swap.ok("claims", "edit", str(claim), "--captor", "RUS", "--captive", "UKR")
    [tally] = _json(swap, "export", "captures")
    assert (tally["captor"], tally["captive"]) == ("RUS", "UKR")


def test_a_correction_outranks_other_reports_of_the_fact(cli: Cli, tmp_path: Path) -> None:
    """Two sources say pow; a person says one of them is wrong: the fact follows the person,
    the other report stays as it was said (and provenance shows both)."""
    _load(cli, tmp_path, SWAP, SECOND)
    transfer = next(t for t in _json(cli, "export", "transfers") if t["from_party"] == "UKR")
    assert transfer["source_count"] == 2
    claim = _claim(cli, kind="transfer", from_party="UKR", source_url="https://example.org/swap")
    cli.ok("claims", "edit", str(claim), "--category", "body")
    moved = next(t for t in _json(cli, "export", "transfers") if t["from_party"] == "UKR")
    assert (moved["transfer_id"], moved["category"]) == (transfer["transfer_id"], "body")
    other = _claim(cli, kind="transfer", source_url="https://example.org/second")
    assert next(c for c in _json(cli, "export", "claims")
                if c["claim_id"] == other)["category"] == "pow"


def test_a_source_without_url_is_cited_by_file_and_hash(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "no_url.txt"
    path.write_text(SWAP.split("\n", 1)[1])  # the same text, no url line
    cli.ok("import", str(path))
    transfer = _json(cli, "export", "transfers")[0]["transfer_id"]
    [source] = _json(cli, "export", "sources")
    traced = cli.ok("report", "provenance", f"transfer:{transfer}")
    assert f"imported from {path}" in traced
    assert f"text sha256 {source['text_hash']}" in traced
