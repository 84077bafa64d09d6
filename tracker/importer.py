"""Importing articles: each source in its own transaction, extraction once per new text.

A failed source (unreadable, undated, refused by the database) is reported with its reason and
leaves the database exactly as it was; the other sources still import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from tracker import store
from tracker.db import Database
from tracker.errors import IngestError, NotFound, TrackerError
from tracker.extract.types import Lexicon
from tracker.ingest import Article
from tracker.models import Source
from tracker.parties import lexicon, party_ids


@dataclass
class Summary:
    imported: int = 0
    new_versions: int = 0
    unchanged: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        versions = f", {self.new_versions} new versions" if self.new_versions else ""
        return (
            f"{self.imported} imported{versions}, {self.unchanged} unchanged, "
            f"{self.failed} failed, {self.claims} claims found"
        )


def _record(article: Article) -> store.SourceRecord:
    assert article.published is not None
    return store.SourceRecord(
        text=article.text,
        text_hash=article.text_hash,
        published=article.published,
        url=article.url,
        title=article.title,
        outlet=article.outlet,
        language=article.language,
        origin=article.origin,
        extra=article.extra or None,
    )


def import_one(
    db: Database, article: Article, lex: Lexicon, parties: dict[str, int]
) -> store.Stored:
    """One source in one transaction: the source, its claims, merged exchanges and tallies."""
    with db.session() as session:
        stored = store.add_source(session, _record(article))
        if stored.status != "unchanged":
            from tracker.extract import extract

            assert article.published is not None
            found = extract(article.text, article.published, lex)
            stored.claims = store.store_extraction(session, stored.source_id, found, parties)
    return stored


def import_articles(
    db: Database,
    items: Iterable[Article | IngestError],
    progress: Callable[[str, str], None] = lambda origin, outcome: None,
) -> Summary:
    """Import every article; ``progress(origin, outcome)`` is called after each one."""
    with db.session() as session:
        lex, parties = lexicon(session), party_ids(session)
    summary = Summary()
    for item in items:
        if isinstance(item, IngestError):
            _fail(summary, str(item), progress, item.where)
            continue
        try:
            stored = import_one(db, item, lex, parties)
        except IntegrityError as exc:
            if _duplicate(exc):  # another import wrote the same text first: the same outcome
                summary.unchanged += 1
                progress(item.origin, "unchanged")
                continue
            _fail(
                summary,
                f"{item.origin}: the database refused it: {_first(exc)}",
                progress,
                item.origin,
            )
            continue
        except (TrackerError, OperationalError) as exc:
            _fail(summary, f"{item.origin}: {_first(exc)}", progress, item.origin)
            continue
        _count(summary, stored)
        progress(item.origin, stored.status)
    return summary


def _count(summary: Summary, stored: store.Stored) -> None:
    if stored.status == "unchanged":
        summary.unchanged += 1
        return
    summary.imported += 1
    summary.new_versions += stored.status == "new version"
    summary.claims += stored.claims


def _fail(
    summary: Summary, message: str, progress: Callable[[str, str], None], origin: str
) -> None:
    summary.failed += 1
    summary.errors.append(message)
    progress(origin, "failed")


def _duplicate(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "text_hash" in text or "uq_sources" in text


def _first(exc: Exception) -> str:
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def reextract(
    db: Database,
    source_ids: Iterable[int] | None = None,
    progress: Callable[[int], None] = lambda source_id: None,
) -> Summary:
    """Run the current rules again over stored sources, one transaction per source.

    Pending machine claims are replaced; every human decision (accepted, rejected, edited or
    hand-entered claims) is kept, and a figure a person decided on is not extracted again."""
    from tracker.extract import extract

    with db.session() as session:
        lex, parties = lexicon(session), party_ids(session)
        ids = (
            list(source_ids)
            if source_ids is not None
            else list(session.scalars(select(Source.id).order_by(Source.id)))
        )
    summary = Summary()
    for source_id in ids:
        with db.session() as session:
            source = session.get(Source, source_id)
            if source is None:
                raise NotFound(f"no source {source_id}")
            decided = store.human_decisions(session, source_id)
            store.clear_machine_claims(session, source_id)
            found = store.without_decided(
                extract(source.text, source.published, lex), decided, parties
            )
            summary.claims += store.store_extraction(session, source_id, found, parties)
        summary.imported += 1
        progress(source_id)
    return summary
