"""The audit trail of review and review by filter, on SQLite and PostgreSQL.

Every decision and edit is an event of its claim (who, when, old and new value, why); undo
walks the events back and every figure follows; accept and reject take filters over the whole
corpus, say how many claims will change and ask first (or need --yes without a terminal).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from tests.conftest import Cli
from tracker.cli import claims as claims_cli
from tracker.db import open_database
from tracker.models import Base

HARBOUR = (
    "url: https://example.org/audit-a\npublished: 2025-03-14\noutlet: Harbour Post\n\n"
    "Ukraine brought home 95 of its defenders on Thursday, and Russia received 95 of its "
    "soldiers in return, the Coordination Headquarters said.\n\n"
    "Russian troops have captured 420 Ukrainian servicemen since January, the Russian Defence "
    "Ministry said.\n"
)
STEPPE = (
    "url: https://example.org/audit-b\npublished: 2025-04-18\noutlet: Steppe Wire\n\n"
    "Moscow handed over 46 Ukrainian prisoners of war on Wednesday and Kyiv returned 46 Russian "
    "soldiers, officials said.\n"
)


def _json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok(*args, "--format", "json"))


def _claims(cli: Cli) -> dict[int, dict]:
    return {c["claim_id"]: c for c in _json(cli, "export", "claims")}


def _claim(cli: Cli, **match: object) -> int:
    found = [i for i, c in _claims(cli).items() if all(c[k] == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def _events(cli: Cli) -> list[dict]:
    return _json(cli, "sql", "SELECT * FROM claim_events ORDER BY id")


@pytest.fixture
def corpus(cli: Cli, tmp_path: Path) -> Cli:
    for name, body in (("harbour.txt", HARBOUR), ("steppe.txt", STEPPE)):
        (tmp_path / name).write_text(body)
    cli.ok("import", str(tmp_path / "harbour.txt"), str(tmp_path / "steppe.txt"))
    assert sorted((c["source_url"][-1], c["kind"], c["count_best"]) for c in
                  _claims(cli).values()) == [
        ("a", "cumulative", 420), ("a", "transfer", 95), ("a", "transfer", 95),
        ("b", "transfer", 46), ("b", "transfer", 46)]
    return cli


def test_an_edit_records_old_new_by_and_note_and_history_lists_it(corpus: Cli) -> None:
    claim = _claim(corpus, kind="transfer", from_party="RUS", count_best=95)
    out = corpus.ok("claims", "edit", str(claim), "--count", "93", "--by", "olena",
                    "--note", "two of them were civilians")
    assert out == f"claim {claim} edited (event 1)\n"
    rows = _json(corpus, "claims", "history", str(claim))
    assert [(r["event"], r["action"], r["field"], r["old_value"], r["new_value"], r["by"],
             r["note"]) for r in rows] == [
        (1, "edit", field, old, new, "olena", "two of them were civilians")
        for field, old, new in (("count_low", "95", "93"), ("count_best", "95", "93"),
                                ("count_high", "95", "93"),
                                ("note", None, "two of them were civilians"),
                                ("edited", "false", "true"))]
    assert all(r["at"] for r in rows) and {r["claim_id"] for r in rows} == {claim}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_history_in_every_listing_format(corpus: Cli, fmt: str) -> None:
    claim = _claim(corpus, kind="cumulative")
    corpus.ok("claims", "accept", str(claim), "--by", "taras")
    corpus.ok("claims", "edit", str(claim), "--category", "civilian", "--by", "taras")
    out = corpus.ok("claims", "history", str(claim), "--format", fmt)
    if fmt == "json":
        fields = [r["field"] for r in json.loads(out)]
    elif fmt == "csv":
        fields = [r["field"] for r in csv.DictReader(io.StringIO(out))]
    else:
        header, _rule, *lines = out.splitlines()
        assert header.split()[:6] == ["claim_id", "event", "at", "by", "action", "field"]
        fields = [line.split()[6] for line in lines]  # the timestamp is two words
    assert fields == ["status", "category", "edited"]  # oldest first


def test_undo_restores_the_count_and_every_figure_follows(corpus: Cli) -> None:
    claim = _claim(corpus, kind="transfer", from_party="UKR", count_best=95)
    before = _json(corpus, "export", "transfers")
    corpus.ok("claims", "edit", str(claim), "--count", "97", "--qualifier", "about")
    edited = {(t["from_party"], t["count_best"]) for t in
              _json(corpus, "sql", "SELECT from_party, count_best FROM v_transfers")}
    assert ("UKR", 97) in edited
    assert corpus.ok("claims", "undo", str(claim), "--by", "olena") == (
        f"claim {claim}: event 1 (edit) undone\n")
    assert _json(corpus, "export", "transfers") == before
    assert {(t["from_party"], t["count_best"]) for t in
            _json(corpus, "sql", "SELECT from_party, count_best FROM v_transfers")} == {
        ("RUS", 95), ("UKR", 95), ("RUS", 46), ("UKR", 46)}
    restored = _claims(corpus)[claim]
    assert (restored["count_best"], restored["qualifier"], restored["edited"]) == (95, "exact", 0)
    undo = [r for r in _json(corpus, "claims", "history", str(claim)) if r["action"] == "undo"]
    assert {(r["event"], r["undoes"], r["by"]) for r in undo} == {(2, 1, "olena")}
    assert ("qualifier", "about", "exact") in {(r["field"], r["old_value"], r["new_value"])
                                               for r in undo}


def test_undo_of_a_date_edit_dates_the_exchange_as_before(corpus: Cli) -> None:
    claim = _claim(corpus, kind="transfer", from_party="RUS", count_best=46)
    before = (_json(corpus, "export", "exchanges"), _json(corpus, "report", "balance",
                                                          "--by", "exchange"))
    corpus.ok("claims", "edit", str(claim), "--date", "2025-04-15")
    assert "2025-04-15" in {e["date"] for e in _json(corpus, "export", "exchanges")}
    corpus.ok("claims", "undo", str(claim))
    assert (_json(corpus, "export", "exchanges"),
            _json(corpus, "report", "balance", "--by", "exchange")) == before


def test_undo_walks_back_and_then_has_nothing_to_undo(corpus: Cli) -> None:
    claim = _claim(corpus, kind="cumulative")
    corpus.ok("claims", "accept", str(claim))
    corpus.ok("claims", "reject", str(claim), "--note", "a running total")
    corpus.ok("claims", "undo", str(claim))
    assert _claims(corpus)[claim]["status"] == "accepted"
    assert _json(corpus, "sql", f"SELECT note FROM claims WHERE id = {claim}") == [{"note": None}]
    corpus.ok("claims", "undo", str(claim))
    assert _claims(corpus)[claim]["status"] == "pending"
    result = corpus("claims", "undo", str(claim))
    assert result.exit_code == 1
    assert result.output == f"Error: claim {claim} has nothing to undo\n"
    assert corpus("claims", "undo", "999").output == "Error: no claim 999\n"


def test_undo_with_no_event_at_all_is_an_error(corpus: Cli) -> None:
    result = corpus("claims", "undo", "1")
    assert (result.exit_code, result.output) == (1, "Error: claim 1 has nothing to undo\n")
    assert _events(corpus) == []


def test_same_values_record_nothing(corpus: Cli) -> None:
    claim = _claim(corpus, kind="cumulative")
    out = corpus.ok("claims", "edit", str(claim), "--count", "420")
    assert out == f"claim {claim} unchanged: it already has every value given\n"
    assert _claims(corpus)[claim]["edited"] == 0
    corpus.ok("claims", "accept", str(claim))
    assert corpus.ok("claims", "accept", str(claim)) == "0 claims accepted (1 already accepted left alone)\n"
    assert [(e["action"], e["field"]) for e in _events(corpus)] == [("accept", "status")]


def test_accept_by_filter_changes_exactly_the_filtered_claims(corpus: Cli) -> None:
    steppe = {i for i, c in _claims(corpus).items() if c["outlet"] == "Steppe Wire"}
    out = corpus.ok("claims", "accept", "--outlet", "steppe wire", "--kind", "transfer",
                    "--yes", "--by", "mykola", "--note", "checked against the ministry")
    assert out == ("2 claims will be accepted (0 already accepted left alone)\n"
                   "2 claims accepted\n")
    status = {i: c["status"] for i, c in _claims(corpus).items()}
    assert {i for i, s in status.items() if s == "accepted"} == steppe
    events = _events(corpus)
    assert {(e["claim_id"], e["event"], e["field"], e["old_value"], e["new_value"], e["by"])
            for e in events} == {
        (i, 1, field, old, new, "mykola") for i in steppe
        for field, old, new in (("status", "pending", "accepted"),
                                ("note", None, "checked against the ministry"))}
    assert {e["note"] for e in events} == {"checked against the ministry"}
    reviewed = _json(corpus, "report", "balance", "--reviewed-only")
    assert {(r["party"], r["released_best"]) for r in reviewed if r["category"] == "pow"} == {
        ("RUS", 46), ("UKR", 46)}
    again = corpus.ok("claims", "accept", "--outlet", "Steppe Wire", "--yes")
    assert again == "0 claims will be accepted (2 already accepted left alone)\n"
    assert len(_events(corpus)) == len(events)


def test_a_filter_without_a_terminal_needs_yes_and_writes_nothing(corpus: Cli) -> None:
    before = _claims(corpus)
    result = corpus("claims", "reject", "--rule", "capture")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "1 claim will be rejected (0 already rejected left alone)",
        "Error: not a terminal to ask in: pass --yes to reject these claims"]
    assert _claims(corpus) == before and _events(corpus) == []


@pytest.mark.parametrize(("answer", "changed"), [("n\n", False), ("y\n", True)])
def test_a_filter_asks_a_person_first(corpus: Cli, monkeypatch: pytest.MonkeyPatch,
                                      answer: str, changed: bool) -> None:
    monkeypatch.setattr(claims_cli, "_stdin_is_terminal", lambda: True)
    result = corpus("claims", "reject", "--from", "2025-03-01", "--to", "2025-03-13",
                    "--kind", "transfer", input=answer)
    assert "2 claims will be rejected" in result.output and "Reject 2 claims?" in result.output
    assert result.exit_code == (0 if changed else 1)
    rejected = {i for i, c in _claims(corpus).items() if c["status"] == "rejected"}
    harbour_transfers = {i for i, c in _claims(corpus).items()
                         if c["kind"] == "transfer" and c["outlet"] == "Harbour Post"}
    assert rejected == (harbour_transfers if changed else set())
    assert len(_events(corpus)) == (2 if changed else 0)


def test_party_filter_takes_an_alias_on_either_side(corpus: Cli) -> None:
    listed = _json(corpus, "claims", "list", "--party", "Kyiv", "--kind", "capture")
    assert [(c["party_a"], c["party_b"], c["count_best"]) for c in listed] == [
        ("RUS", "UKR", 420)]
    assert len(_json(corpus, "claims", "list", "--party", "kremlin")) == 5
    result = corpus("claims", "list", "--party", "Atlantis")
    assert result.exit_code == 1 and result.output.startswith("Error: --party: unknown party")
    out = corpus.ok("claims", "accept", "--party", "Kyiv", "--from", "2025-04-01", "--yes")
    assert out.splitlines()[-1] == "2 claims accepted"


def test_rule_source_and_status_filters_list_what_they_name(corpus: Cli) -> None:
    def ids(*args: str) -> list[int]:
        return [c["claim_id"] for c in _json(corpus, "claims", "list", *args)]

    everything = sorted(_claims(corpus))
    assert ids("--rule", "capture.verb") == ids("--rule", "rule:capture.verb") == ids(
        "--kind", "capture")
    assert ids("--rule", "transfer") == ids("--kind", "transfer")  # a family of rules
    assert ids("--rule", "transfer.ow") == []  # a name, not a prefix
    assert sorted(ids("--source", "1") + ids("--source", "2")) == everything
    corpus.ok("claims", "reject", str(everything[0]))
    assert ids("--status", "rejected") == [everything[0]]
    result = corpus("claims", "list", "--from", "2025-05-01", "--to", "2025-04-01")
    assert result.output == "Error: --to: 2025-04-01 is before the from date 2025-05-01\n"


def test_ids_or_filters_not_both_nor_neither(corpus: Cli) -> None:
    both = corpus("claims", "accept", "1", "--outlet", "Harbour Post", "--yes")
    assert both.exit_code == 2 and "give claim ids or filters, not both" in both.output
    neither = corpus("claims", "reject", "--yes")
    assert neither.exit_code == 2 and "give claim ids, or filters" in neither.output
    assert _events(corpus) == []


def test_by_defaults_to_the_login_name_and_must_be_a_name(
        corpus: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "halyna")
    corpus.ok("claims", "accept", "1")
    monkeypatch.delenv("USER")
    corpus.ok("claims", "accept", "2")
    assert [e["by"] for e in _events(corpus)] == ["halyna", "unknown"]
    result = corpus("claims", "edit", "3", "--count", "400", "--by", " ")
    assert result.exit_code == 1 and result.output.startswith("Error: --by: ")
    assert _claims(corpus)[3]["count_best"] == 420


def test_provenance_shows_each_claims_events(corpus: Cli) -> None:
    claim = _claim(corpus, kind="transfer", from_party="RUS", count_best=95)
    corpus.ok("claims", "accept", str(claim), "--by", "olena")
    corpus.ok("claims", "edit", str(claim), "--count", "94", "--by", "taras",
              "--note", "the headquarters corrected itself")
    transfer = _claims(corpus)[claim]["transfer_id"]
    traced = corpus.ok("report", "provenance", f"transfer:{transfer}")
    [line] = [line for line in traced.splitlines() if "review events" in line]
    assert line.startswith("    2 review events; latest: edited by taras at ")
    assert line.endswith(": count_low 95 -> 94, count_best 95 -> 94, count_high 95 -> 94, "
                         'note "the headquarters corrected itself"')
    [row] = _json(corpus, "report", "provenance", f"transfer:{transfer}")
    assert row["events"] == 2 and row["last_event"].startswith("edited by taras at ")
    other = next(r for r in _json(corpus, "report", "provenance", "exchange:2"))
    assert (other["events"], other["last_event"]) == (0, None)


def test_an_undo_refuses_a_value_changed_since(corpus: Cli) -> None:
    claim = _claim(corpus, kind="cumulative")
    corpus.ok("claims", "edit", str(claim), "--count", "425")
    db = open_database(corpus.url)
    with db.session() as session:  # a change the trail does not know of
        session.execute(text("UPDATE claims SET count_high = NULL WHERE id = :id"),
                        {"id": claim})
    db.dispose()
    result = corpus("claims", "undo", str(claim))
    assert result.exit_code == 1
    assert result.output == (f"Error: claim {claim}'s count_high is (none) now, not 425 as "
                             "event 1 left it: nothing undone\n")
    assert _claims(corpus)[claim]["count_best"] == 425


def test_an_undo_refuses_to_part_joined_facts(corpus: Cli) -> None:
    claim = _claim(corpus, kind="transfer", from_party="UKR", count_best=46)
    corpus.ok("claims", "edit", str(claim), "--from", "RUS", "--to", "UKR")
    joined = [e for e in _events(corpus) if e["field"] == "joined"]
    assert len(joined) == 1
    result = corpus("claims", "undo", str(claim))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: event 1 of claim {claim} joined transfer:")
    assert result.output.endswith("undo cannot part them again: nothing undone\n")


def test_reextract_after_undo_keeps_the_trail(corpus: Cli) -> None:
    """A claim undone back to the rules' reading is replaced by re-extraction like any other;
    its id carries over, and so does its history."""
    claim = _claim(corpus, kind="cumulative")
    corpus.ok("claims", "edit", str(claim), "--count", "421")
    corpus.ok("claims", "undo", str(claim))
    corpus.ok("reextract")
    assert _claims(corpus)[claim]["count_best"] == 420
    assert [r["action"] for r in _json(corpus, "claims", "history", str(claim))] == [
        "edit"] * 4 + ["undo"] * 4
    assert corpus("claims", "undo", str(claim)).exit_code == 1


def test_claim_events_migrate_up_and_down_and_agree_with_the_models(engine: str) -> None:
    cli = Cli(engine)
    cli.ok("add", "source", "--url", "https://example.org/m", "--published", "2025-02-05",
           "--text", "-", input="A note by hand.")
    cli.ok("add", "exchange", "--date", "2025-02-05", "-t", "RUS:UKR:12", "--source", "1")
    cli.ok("claims", "reject", "1", "--by", "olena")
    db = open_database(engine, check=False)
    db.downgrade("0007")
    with db.engine.connect() as conn:
        assert "claim_events" not in inspect(conn).get_table_names()
    db.upgrade("head")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM claim_events")).scalar() == 0
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert diff == []
    result = cli("claims", "undo", "1")  # the trail went with the downgrade
    assert result.output == "Error: claim 1 has nothing to undo\n"
