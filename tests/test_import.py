"""``tracker import`` and ``tracker reextract`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEED_ARTICLE, Cli

DATA = Path(__file__).resolve().parent / "data" / "articles"
SEEDS = SEED_ARTICLE.parent


def test_seed_article_gives_the_sample_balance(cli: Cli) -> None:
    assert cli.ok("import", str(SEEDS)) == "1 imported, 0 unchanged, 0 failed, 4 claims found\n"
    rows = json.loads(cli.ok("report", "balance", "--format", "json", "--party", "UKR"))
    assert [(r["date"], r["captured_best"], r["released_best"], r["returned_best"], r["held_best"])
            for r in rows] == [("2025-02-06", 909, 150, 150, 759)]
    captures = json.loads(cli.ok("export", "captures", "--format", "json"))
    assert [(c["count_best"], c["kind"], c["period_start"], c["as_of"]) for c in captures] == [
        (700, "cumulative", None, "2024-01-01"), (909, "cumulative", "2024-08-06", "2025-02-06")]
    assert all(c["count_best"] != 2000 for c in captures)
    transfers = cli.ok("export", "transfers").splitlines()[1:]
    assert [t.split(",")[2:9] for t in transfers] == [
        ["2025-02-05", "day", "RUS", "UKR", "pow", "150", "150"],
        ["2025-02-05", "day", "UKR", "RUS", "pow", "150", "150"]]


def test_reimport_changes_nothing(cli: Cli) -> None:
    cli.ok("import", str(DATA))
    before = cli.ok("export", "claims", "--format", "csv")
    assert cli.ok("import", str(DATA)) == "0 imported, 2 unchanged, 0 failed, 0 claims found\n"
    assert cli.ok("export", "claims", "--format", "csv") == before


def test_same_url_with_new_text_is_a_new_version(cli: Cli, tmp_path: Path) -> None:
    first = (DATA / "swap_header.txt").read_text()
    (tmp_path / "a.txt").write_text(first)
    cli.ok("import", str(tmp_path / "a.txt"))
    (tmp_path / "a.txt").write_text(first.replace("90 Ukrainian", "95 Ukrainian"))
    assert cli.ok("import", str(tmp_path / "a.txt")).startswith("1 imported, 1 new versions")
    sources = json.loads(cli.ok("export", "sources", "--format", "json"))
    assert [(s["url"], s["version"]) for s in sources] == [
        ("https://example.org/news/swap-one", 1), ("https://example.org/news/swap-one", 2)]
    rows = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted((r["from_party"], r["count_best"]) for r in rows) == [("RUS", 95), ("UKR", 90)]


def test_header_text_import(cli: Cli) -> None:
    assert cli.ok("import", str(DATA)) == "2 imported, 0 unchanged, 0 failed, 2 claims found\n"
    out = cli.ok("export", "transfers").splitlines()
    assert [line.split(",")[2:12] for line in out[1:]] == [
        ["2024-03-08", "day", "UKR", "RUS", "pow", "90", "90", "90", "exact", "ARE"],
        ["2024-03-08", "day", "RUS", "UKR", "pow", "90", "90", "90", "exact", "ARE"]]


def test_negative_article_gives_no_figures(cli: Cli) -> None:
    assert cli.ok("import", str(DATA / "negative.txt")).endswith(", 0 claims found\n")


def test_json_lines_and_stdin(cli: Cli, tmp_path: Path) -> None:
    records = [
        {"maintext": "On Tuesday, Russia handed over 25 Ukrainian soldiers, and Ukraine returned "
                     "25 Russian servicemen, officials said.", "date_publish": "2024-05-08 10:00:00",
         "url": "https://example.org/np/1", "title": "Swap", "source_domain": "example.org"},
        {"text": "The bodies of 45 fallen Ukrainian soldiers were repatriated from Russia to Ukraine on Friday.",
         "date": "2024-06-01", "source": "https://example.org/tf/2", "hostname": "example.org"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert cli.ok("import", str(path)).startswith("2 imported")
    body = "A statement said 12 Ukrainian civilians were freed from Russian captivity and returned home on Monday."
    assert cli.ok("import", "-", "--published", "2024-07-02", input=body).startswith("1 imported")
    rows = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted((r["date"], r["from_party"], r["to_party"], r["category"], r["count_best"]) for r in rows) == [
        ("2024-05-07", "RUS", "UKR", "pow", 25), ("2024-05-07", "UKR", "RUS", "pow", 25),
        ("2024-05-31", "RUS", "UKR", "body", 45), ("2024-07-01", "RUS", "UKR", "civilian", 12)]


def test_html_page(cli: Cli, tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>Swap news</title>
<meta property="article:published_time" content="2024-09-14">
<link rel="canonical" href="https://example.org/html/swap"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Prisoners freed</h1>
<p>Ukraine and Russia each released 103 prisoners of war on Saturday in an exchange mediated by the United Arab Emirates, the two sides said.</p>
<p>It was the latest of many such swaps during the war, officials said in a statement released in the capital later that day.</p>
</article><footer>Copyright</footer></body></html>"""
    (tmp_path / "page.html").write_text(page)
    assert cli.ok("import", str(tmp_path / "page.html")).startswith("1 imported")
    rows = json.loads(cli.ok("export", "transfers", "--format", "json"))
    assert sorted((r["date"], r["from_party"], r["count_best"], r["mediator"]) for r in rows) == [
        ("2024-09-14", "RUS", 103, "ARE"), ("2024-09-14", "UKR", 103, "ARE")]


def test_a_bad_file_is_named_and_the_rest_imports(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text((DATA / "swap_header.txt").read_text())
    (tmp_path / "undated.txt").write_text("Ukraine said 10 prisoners came home.\n")
    (tmp_path / "broken.json").write_text('{"text": "x",\n "date": ')
    (tmp_path / "latin1.txt").write_bytes(b"date 2024-01-01 caf\xe9 \xff\xfe\x00 binary")
    result = cli("import", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "1 imported, 0 unchanged, 3 failed, 2 claims found"
    assert sorted(lines[:-1]) == sorted([
        f"failed: {tmp_path / 'broken.json'}: malformed JSON at line 2: Expecting value",
        f"failed: {tmp_path / 'latin1.txt'}: binary file",
        f"failed: {tmp_path / 'undated.txt'}: no publication date (use --published)",
    ])


def test_reextract_keeps_human_decisions(cli: Cli) -> None:
    cli.ok("import", str(SEEDS))
    cli.ok("claims", "accept", "1")
    cli.ok("claims", "reject", "4")
    cli.ok("claims", "edit", "3", "--count", "910")
    assert cli.ok("reextract") == "1 source re-read, 1 claim found\n"
    claims = json.loads(cli.ok("export", "claims", "--format", "json"))
    assert sorted((c["claim_id"], c["count_best"], c["status"], c["edited"]) for c in claims) == [
        (1, 150, "accepted", 0), (2, 150, "pending", 0), (3, 910, "pending", 1),
        (4, 700, "rejected", 0)]  # claim 2, read again, keeps its id
    balance = json.loads(cli.ok("report", "balance", "--format", "json", "--reviewed-only"))
    assert [(r["party"], r["released_best"]) for r in balance] == [("RUS", 150), ("UKR", 0)]


REPORTS = {  # four reports of one swap, the last a new version of the first
    "a.txt": ("https://example.org/a", "2025-03-10",
              "Ukraine and Russia exchanged prisoners on Monday with the help of the United Arab "
              "Emirates.\n\nRussia handed over 175 Ukrainian servicemen, and Ukraine returned 175 "
              "Russian soldiers, the Ukrainian ombudsman said.\n\nRussia is holding more than 8,000 "
              "Ukrainian prisoners, the ombudsman said."),
    "b.txt": ("https://example.org/b", "2025-03-10",
              "Russia's Defence Ministry said 175 Russian servicemen came home from Ukrainian "
              "captivity on Monday after talks mediated by Turkey.\n\nIn return, 175 Ukrainian "
              "prisoners of war were handed over, the ministry said."),
    "c.txt": ("https://example.org/c", "2025-03-11",
              "On March 10, Ukraine got back 178 of its defenders from Russian captivity, an "
              "official in Kyiv said. The swap was brokered by the United Arab Emirates.\n\nRussia "
              "holds about 8,000 Ukrainian prisoners of war, the official said."),
    "d.txt": ("https://example.org/a", "2025-03-10",
              "Ukraine and Russia exchanged prisoners on Monday with the help of the United Arab "
              "Emirates.\n\nRussia handed over 176 Ukrainian servicemen, and Ukraine returned 175 "
              "Russian soldiers, the Ukrainian ombudsman said."),
}


def test_figures_derived_while_importing_equal_a_full_recompute(cli: Cli, tmp_path: Path) -> None:
    """The import derives a merged transfer's figures from the claims it read beside it; they must
    be what re-deriving every transfer and tally from all its claims gives."""
    from sqlalchemy import select

    from tracker import store
    from tracker.db import open_database
    from tracker.models import CaptureTally, Transfer

    for name, (url, published, body) in REPORTS.items():
        (tmp_path / name).write_text(f"url: {url}\npublished: {published}\n\n{body}\n")
        cli.ok("import", str(tmp_path / name))
    tables = ("transfers", "captures", "exchanges")
    imported = {t: cli.ok("export", t, "--format", "json") for t in tables}
    transfers = json.loads(imported["transfers"])
    assert {(t["from_party"], t["source_count"], t["mediator"]) for t in transfers} == {
        ("RUS", 3, "ARE TUR"), ("UKR", 2, "ARE TUR")}
    db = open_database(cli.url)
    with db.session() as session:
        store.recompute(session, session.scalars(select(Transfer.id)),
                        session.scalars(select(CaptureTally.id)))
    db.dispose()
    assert {t: cli.ok("export", t, "--format", "json") for t in tables} == imported
