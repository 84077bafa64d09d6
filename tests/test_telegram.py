"""Telegram Desktop exports (``result.json``): the reader alone, then ``tracker import`` on both
engines (re-import, a later export with more posts and an edit, spans after emoji, bad input)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from tests.conftest import Cli
from tests.test_bad_input import assert_failed_beside_good, import_beside_good
from tracker.errors import IngestError
from tracker.ingest import Article, read_bytes, sniff

# 2024-06-25 23:30 UTC: the 26th in Kyiv, the 25th in UTC (the date stored).
TUESDAY_NIGHT = "1719358200"
WEDNESDAY = "1719400000"  # 2024-06-26 11:06 UTC
EDITED = "1719403600"  # an hour later
SWAP = "Russia handed over 90 Ukrainian soldiers"


def message(ident: int, entities: list[object], when: str = WEDNESDAY, **more: object) -> dict:
    """A channel post as Telegram Desktop writes it: ``text`` and ``text_entities`` both."""
    objects = [e if isinstance(e, dict) else {"type": "plain", "text": e} for e in entities]
    text = [e if isinstance(e, str) or e["type"] != "plain" else e["text"] for e in objects]
    return {
        "id": ident,
        "type": "message",
        "date": dt.datetime.fromtimestamp(int(when), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": when,
        "from": "Coordination HQ",
        "from_id": "channel1234567890",
        "text": text[0] if len(text) == 1 and isinstance(text[0], str) else text,
        "text_entities": objects,
        **more,
    }


POSTS = [
    {"id": 1, "type": "service", "date": "2024-06-01T10:00:00", "date_unixtime": "1717236000",
     "actor": "Coordination HQ", "actor_id": "channel1234567890", "action": "create_channel",
     "title": "Coordination HQ", "text": "", "text_entities": []},
    message(2, ["🇺🇦🔥 ", {"type": "bold", "text": SWAP}, " on Tuesday, officials said. ",
                {"type": "text_link", "text": "Details", "href": "https://example.org/swap"}],
            when=TUESDAY_NIGHT),
    message(3, [], photo="photos/photo_1@26-06-2024_11-06-40.jpg", width=1280, height=720),
    message(4, ["Ukraine and Russia each released 75 prisoners of war on Thursday, officials "
                "said."], forwarded_from="Ombudsman of Ukraine", edited="2024-06-26T12:06:40",
            edited_unixtime=EDITED),
    message(5, ["Сьогодні додому повернулися наші захисники. Дякуємо всім, хто долучився."]),
]


def channel(posts: list[dict] = POSTS, **more: object) -> dict:
    return {"name": "Coordination HQ", "type": "public_channel", "id": 1234567890,
            "messages": posts, **more}


def dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


def read(value: object, name: str = "result.json", fmt: str = "auto") -> list:
    return list(read_bytes(dumps(value), name, fmt))


def articles(items: list[Article | IngestError]) -> list[Article]:
    assert not [i for i in items if isinstance(i, IngestError)]
    return items  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# The reader


def test_channel_posts_are_articles() -> None:
    got = articles(read(channel(username="hq_channel")))
    assert [(a.origin, a.url, a.outlet, a.published) for a in got] == [
        ("result.json:messages[1]", "https://t.me/hq_channel/2", "Coordination HQ",
         dt.date(2024, 6, 25)),
        ("result.json:messages[3]", "https://t.me/hq_channel/4", "Coordination HQ",
         dt.date(2024, 6, 26)),
        ("result.json:messages[4]", "https://t.me/hq_channel/5", "Coordination HQ",
         dt.date(2024, 6, 26)),
    ]
    assert got[0].text == f"🇺🇦🔥 {SWAP} on Tuesday, officials said. Details"
    assert got[0].extra == {"telegram_chat_id": "1234567890", "telegram_message_id": "2"}
    assert got[1].extra == {
        "telegram_chat_id": "1234567890", "telegram_message_id": "4",
        "edited": "2024-06-26T12:06:40+00:00", "forwarded_from": "Ombudsman of Ukraine"}


def test_without_username_the_key_is_chat_and_message() -> None:
    assert [a.url for a in articles(read(channel()))] == [
        "telegram:1234567890/2", "telegram:1234567890/4", "telegram:1234567890/5"]


def test_username_written_with_at_sign() -> None:
    assert articles(read(channel(username="@hq_channel")))[0].url == "https://t.me/hq_channel/2"


def test_text_field_when_there_are_no_entities() -> None:
    posts = [
        {"id": 7, "type": "message", "date_unixtime": WEDNESDAY, "text": "A plain post."},
        {"id": 8, "type": "message", "date_unixtime": WEDNESDAY,
         "text": ["Mixed ", {"type": "italic", "text": "forms"}, " of text."]},
        {"id": 9, "type": "message", "date": "2024-06-27T09:00:00", "text": "Local date only."},
    ]
    got = articles(read(channel(posts)))
    assert [(a.text, a.published) for a in got] == [
        ("A plain post.", dt.date(2024, 6, 26)), ("Mixed forms of text.", dt.date(2024, 6, 26)),
        ("Local date only.", dt.date(2024, 6, 27))]


def test_whole_account_export_reads_its_channels_only() -> None:
    personal = {"name": "A friend", "type": "personal_chat", "id": 42,
                "messages": [message(1, ["Russia handed over 12 Ukrainian soldiers."])]}
    left = channel([message(11, ["An old channel's post."])], name="Old channel", id=77)
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Analyst"},
        "chats": {"about": "This page lists all chats.", "list": [personal, channel()]},
        "left_chats": {"about": "Chats you left.", "list": [left]},
    }
    got = articles(read(export))
    assert [(a.origin, a.url, a.outlet) for a in got] == [
        ("result.json:chats.list[1].messages[1]", "telegram:1234567890/2", "Coordination HQ"),
        ("result.json:chats.list[1].messages[3]", "telegram:1234567890/4", "Coordination HQ"),
        ("result.json:chats.list[1].messages[4]", "telegram:1234567890/5", "Coordination HQ"),
        ("result.json:left_chats.list[0].messages[0]", "telegram:77/11", "Old channel"),
    ]


def test_sniffed_from_stdin_and_forced_by_format() -> None:
    data = dumps(channel())
    assert sniff(data.decode()) == "json"  # the JSON reader recognises the export's shape
    assert len(articles(list(read_bytes(data, "<stdin>")))) == 3
    assert len(articles(list(read_bytes(data, "export.txt", "telegram")))) == 3


def test_forced_on_other_json() -> None:
    assert [str(e) for e in read({"text": "An article.", "date": "2024-06-26"},
                                 "a.json", "telegram")] == [
        "a.json: not a Telegram export (expected 'messages' or 'chats.list')"]


def test_malformed_json_names_its_line() -> None:
    data = dumps(channel())
    cut = data[: data.index(b'"text_entities"')]
    (error,) = read_bytes(cut, "result.json")
    assert str(error).startswith("result.json: malformed JSON at line ")
    line = cut.count(b"\n") + 1
    assert f"at line {line}:" in str(error)


def test_message_without_id_or_date_is_named_by_index() -> None:
    posts = copy.deepcopy(POSTS)
    del posts[1]["id"]
    del posts[4]["date"], posts[4]["date_unixtime"]
    posts[3]["date_unixtime"] = "soon"
    assert [str(i) if isinstance(i, IngestError) else i.origin for i in read(channel(posts))] == [
        "result.json:messages[1]: no message id",
        "result.json:messages[3]: date_unixtime: 'soon' is not a Unix time",
        "result.json:messages[4]: no date (expected 'date_unixtime' or 'date')",
    ]


def test_an_export_without_text() -> None:
    assert [str(e) for e in read(channel([*POSTS[:1], message(3, [])]))] == [
        "result.json: no messages with text in this export"]


# ---------------------------------------------------------------------------------------------
# tracker import


def sources(cli: Cli) -> list[dict]:
    return json.loads(cli.ok("export", "sources", "--format", "json"))


def transfers(cli: Cli) -> list[tuple[str, str, str, int]]:
    rows = json.loads(cli.ok("export", "transfers", "--format", "json"))
    return sorted((r["date"], r["from_party"], r["to_party"], r["count_best"]) for r in rows)


def test_import_then_again_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(dumps(channel(username="hq_channel")))
    assert cli.ok("import", str(path)) == "3 imported, 0 unchanged, 0 failed, 3 claims found\n"
    before = cli.ok("export", "claims", "--format", "csv")
    assert cli.ok("import", str(path)) == "0 imported, 3 unchanged, 0 failed, 0 claims found\n"
    assert cli.ok("export", "claims", "--format", "csv") == before
    assert [(s["url"], s["outlet"], s["language"]) for s in sources(cli)] == [
        ("https://t.me/hq_channel/2", "Coordination HQ", "en"),
        ("https://t.me/hq_channel/4", "Coordination HQ", "en"),
        ("https://t.me/hq_channel/5", "Coordination HQ", "uk"),
    ]
    # "on Thursday" in a post of Wednesday 2024-06-26: the 20th
    assert transfers(cli) == [("2024-06-20", "RUS", "UKR", 75), ("2024-06-20", "UKR", "RUS", 75),
                              ("2024-06-25", "RUS", "UKR", 90)]


def test_later_export_adds_new_posts_and_versions_edits(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(dumps(channel()))
    cli.ok("import", str(path))
    posts = copy.deepcopy(POSTS)
    posts[1]["text_entities"][1]["text"] = SWAP.replace("90", "95")
    posts[1]["edited_unixtime"] = EDITED
    posts.append(message(6, ["Russia handed over 48 Ukrainian soldiers on Friday, officials "
                             "said."], when="1719590400"))  # 2024-06-28
    path.write_bytes(dumps(channel(posts)))
    assert cli.ok("import", str(path)) == (
        "2 imported, 1 new versions, 2 unchanged, 0 failed, 2 claims found\n")
    assert [(s["url"], s["version"]) for s in sources(cli)] == [
        ("telegram:1234567890/2", 1), ("telegram:1234567890/4", 1),
        ("telegram:1234567890/5", 1), ("telegram:1234567890/2", 2), ("telegram:1234567890/6", 1)]
    assert [t for t in transfers(cli) if t[1] == "RUS"] == [  # 90 superseded by the edit's 95
        ("2024-06-20", "RUS", "UKR", 75), ("2024-06-25", "RUS", "UKR", 95),
        ("2024-06-28", "RUS", "UKR", 48)]


def test_spans_after_emoji_are_exact(cli: Cli, tmp_path: Path) -> None:
    post = message(2, ["🇺🇦🔥🙏 Good news.\n\n👏🏽 ", {"type": "bold", "text": SWAP},
                       " on Tuesday 💙💛, and Ukraine returned 90 Russian servicemen, officials "
                       "said."], when=TUESDAY_NIGHT)
    (tmp_path / "result.json").write_bytes(dumps(channel([post])))
    assert cli.ok("import", str(tmp_path / "result.json")).startswith("1 imported")
    (source,) = sources(cli)
    claims = json.loads(cli.ok("export", "claims", "--format", "json"))
    assert sorted(c["count_best"] for c in claims) == [90, 90]
    for claim in claims:
        assert claim["span_start"] > len("🇺🇦🔥🙏 Good news.")
        assert claim["quote"] == source["text"][claim["span_start"]:claim["span_end"]]
        assert "90" in claim["quote"]


def test_forced_format_reads_any_file_name(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "export.txt").write_bytes(dumps(channel()))
    assert cli.ok("import", "--format", "telegram", str(tmp_path / "export.txt")).startswith(
        "3 imported, 0 unchanged, 0 failed")


def test_malformed_export_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    data = dumps(channel())
    cut = data[: data.index(b'"text_entities"')]
    result, path = import_beside_good(cli, tmp_path, "result.json", cut)
    line = cut.count(b"\n") + 1
    failure = f"{path}: malformed JSON at line {line}: Expecting property name enclosed in double"
    assert result.output.startswith(f"failed: {failure}")
    assert_failed_beside_good(cli, result, result.output.splitlines()[0].removeprefix("failed: "))


def test_message_without_id_fails_alone(cli: Cli, tmp_path: Path) -> None:
    posts = copy.deepcopy(POSTS)
    del posts[1]["id"]
    (tmp_path / "result.json").write_bytes(dumps(channel(posts)))
    result = cli("import", str(tmp_path / "result.json"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"failed: {tmp_path / 'result.json'}:messages[1]: no message id",
        "2 imported, 0 unchanged, 1 failed, 2 claims found",
    ]
    assert [s["url"] for s in sources(cli)] == ["telegram:1234567890/4", "telegram:1234567890/5"]


def test_forwarded_post_is_credited_to_its_origin(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "result.json").write_bytes(dumps(channel()))
    cli.ok("import", str(tmp_path / "result.json"))
    claims = json.loads(cli.ok("export", "claims", "--format", "json"))
    said = sorted((c["source_url"], c["count_best"], c["claimant"]) for c in claims)
    assert said == [  # post 4 is forwarded; its text names officials, whom it credits
        ("telegram:1234567890/2", 90, "officials"),
        ("telegram:1234567890/4", 75, "officials"),
        ("telegram:1234567890/4", 75, "officials")]
    post = message(8, ["Russia handed over 12 Ukrainian soldiers on Wednesday."],
                   forwarded_from="Ombudsman of Ukraine")
    (tmp_path / "later.json").write_bytes(dumps(channel([post])))
    cli.ok("import", str(tmp_path / "later.json"))
    cli.ok("reextract")  # re-reading the source credits it again
    claims = json.loads(cli.ok("export", "claims", "--format", "json"))
    assert [c["claimant"] for c in claims if c["source_url"] == "telegram:1234567890/8"] == [
        "Ombudsman of Ukraine"]
