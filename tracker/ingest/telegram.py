"""Telegram Desktop exports (Settings, Export chat history, JSON: ``result.json``).

Two shapes: one chat (top-level ``name``, ``type``, ``id``, ``messages``) and the whole-account
export (``chats.list`` and ``left_chats.list``, each an object of the first shape; only its
channels are read, never personal chats or groups). Each message with text is one article:

- text: ``text_entities`` joined (plain strings and entity objects with ``text``: bold, links,
  emoji kept as written), else ``text`` (a string, or a list of strings and such objects);
- published: ``date_unixtime`` as a UTC date (else ``date``, the exporting machine's local time);
- outlet: the chat's ``name``; url: ``https://t.me/<username>/<message id>`` when the chat
  carries a ``username`` (Telegram Desktop writes none; other exporters do), else the stable key
  ``telegram:<chat id>/<message id>``. The url is what makes a changed text of the same message
  (an edit, with ``edited_unixtime``) a new version of its source;
- extra: ``telegram_chat_id``, ``telegram_message_id``, ``edited`` (UTC), ``forwarded_from``
  (the origin a forwarded post is credited to: ``tracker.importer`` makes it the claimant of the
  figures its text says no one said), ``forwarded_from_id``, ``author`` (a channel post's
  signature).

Service messages (``"type": "service"``) and messages without text (a photo without caption)
are skipped. A message's origin is its place in the file, ``result.json:messages[3]`` or
``result.json:chats.list[2].messages[3]``; a message without ``id`` or date is an error for that
message only, a file that is not valid JSON or not an export an error for the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from tracker.dates import check_date
from tracker.errors import IngestError, InputError
from tracker.ingest.article import Article, make_article
from tracker.ingest.fields import as_text, parse_published

CHANNELS = frozenset({"public_channel", "private_channel"})
_EXTRA = {
    "forwarded_from": "forwarded_from",
    "forwarded_from_id": "forwarded_from_id",
    "author": "author",
}


def is_export(value: object) -> bool:
    """Whether a parsed JSON value has the shape of a Telegram Desktop export."""
    if not isinstance(value, dict):
        return False
    chats = value.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        return True
    return isinstance(value.get("messages"), list) and "id" in value and "type" in value


def read_export(value: object, name: str) -> Iterator[Article | IngestError]:
    """The articles of a parsed export; the whole file is one error if it is not one."""
    if not is_export(value):
        yield IngestError(name, "not a Telegram export (expected 'messages' or 'chats.list')")
        return
    assert isinstance(value, dict)
    if isinstance(value.get("messages"), list):
        chats = [(f"{name}:", value)]
    else:
        chats = [
            (f"{name}:{key}.list[{index}].", chat)
            for key in ("chats", "left_chats")
            for index, chat in enumerate(_list(value, key))
            if isinstance(chat, dict) and chat.get("type") in CHANNELS
        ]
    found = False
    for prefix, chat in chats:
        for item in _chat(chat, prefix):
            found = True
            yield item
    if not found:
        yield IngestError(name, "no messages with text in this export")


def _list(value: dict[str, object], key: str) -> list[object]:
    section = value.get(key)
    found = section.get("list") if isinstance(section, dict) else None
    return found if isinstance(found, list) else []


def _chat(chat: dict[str, object], prefix: str) -> Iterator[Article | IngestError]:
    messages = chat.get("messages")
    if not isinstance(messages, list):
        yield IngestError(prefix.rstrip(".:"), "messages: not a list")
        return
    key = _chat_key(chat)
    for index, message in enumerate(messages):
        origin = f"{prefix}messages[{index}]"
        try:
            article = _message(message, chat, key, origin)
        except IngestError as err:
            yield err
        else:
            if article is not None:
                yield article


def _chat_key(chat: dict[str, object]) -> str:
    """The part of a message's url before its id: the public link when the username is known."""
    username = as_text(chat.get("username"))
    if username:
        return f"https://t.me/{username.removeprefix('@')}/"
    return f"telegram:{as_text(chat.get('id')) or 'unknown'}/"


def _message(
    message: object, chat: dict[str, object], key: str, origin: str
) -> Article | None:
    """One message as an article; None for a service message or one without text."""
    if not isinstance(message, dict):
        raise IngestError(origin, f"not a JSON object (a {type(message).__name__})")
    if message.get("type") == "service":
        return None
    ident = message.get("id")
    if isinstance(ident, bool) or not isinstance(ident, int | str) or not str(ident).strip():
        raise IngestError(origin, "no message id")
    text = message_text(message, origin)
    if not text.strip():
        return None
    extra = {"telegram_chat_id": as_text(chat.get("id")), "telegram_message_id": str(ident)}
    if "edited_unixtime" in message:
        extra["edited"] = _moment(message["edited_unixtime"], "edited_unixtime", origin).isoformat()
    extra.update({field: as_text(message.get(k)) for field, k in _EXTRA.items()})
    return make_article(
        text,
        origin,
        published=_published(message, origin),
        url=f"{key}{ident}",
        outlet=as_text(chat.get("name")),
        extra={k: v for k, v in extra.items() if v},
    )


def message_text(message: dict[str, object], origin: str) -> str:
    """The text of a message: its entities joined, or its ``text`` field."""
    field = "text_entities" if isinstance(message.get("text_entities"), list) else "text"
    value = message.get(field, "")
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise IngestError(origin, f"{field}: not a string or a list")
    parts = []
    for part in value:
        piece = part.get("text") if isinstance(part, dict) else part
        if not isinstance(piece, str):
            raise IngestError(origin, f"{field}: an entity without text")
        parts.append(piece)
    return "".join(parts)


def _published(message: dict[str, object], origin: str) -> dt.date:
    if "date_unixtime" in message:
        day = _moment(message["date_unixtime"], "date_unixtime", origin).date()
        try:
            return check_date(day, "date_unixtime")
        except InputError as err:
            raise IngestError(origin, str(err)) from None
    if "date" in message:
        return parse_published(message["date"], "date", origin)
    raise IngestError(origin, "no date (expected 'date_unixtime' or 'date')")


def _moment(value: object, field: str, origin: str) -> dt.datetime:
    """A Unix time (seconds, a string or a number, as exports write it) in UTC."""
    try:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise IngestError(origin, f"{field}: {value!r} is not a Unix time") from None
