"""Importing articles: each source in its own transaction, extraction once per new text.

A failed source (unreadable, undated, refused by the database) is reported with its reason and
leaves the database exactly as it was; the other sources still import. The language of a new
source its file does not declare is detected where its figures are extracted (on the workers in
a large run): a text already stored costs no detection.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker import store
from tracker.cells import counted
from tracker.db import Database
from tracker.errors import IngestError, NotFound, TrackerError
from tracker.extract.types import Extraction, Lexicon
from tracker.ingest import Article
from tracker.ingest.language import detect_language
from tracker.lasting import match
from tracker.lifeline import end_with_parent
from tracker.models import Source
from tracker.parties import lexicon, party_ids

BATCH = 64  # articles read, looked up and extracted together
PARALLEL_FROM = 96  # new articles before extraction moves to worker processes
WORKERS = min(os.cpu_count() or 1, 4)
# Workers yield the processor to the importing process (and the database server it waits on):
# writing is the one serial step, extraction fills the time left over.
WORKER_NICENESS = 10
# The tables an import fills; their planner statistics are refreshed as they grow (x4 each time).
GROWING = ("sources", "claims", "exchanges", "transfers", "exchange_mediators", "capture_tallies")
FIRST_REFRESH = 250


@dataclass
class Summary:
    imported: int = 0
    new_versions: int = 0
    unchanged: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)
    interrupted: bool = False
    stopped: str | None = None  # why the whole run stopped (a full disk, a lost connection)

    def fail(self, message: str) -> str:
        """Count a source that could not be imported; returns its outcome for the progress."""
        self.failed += 1
        self.errors.append(message)
        return "failed"

    def line(self) -> str:
        versions = f", {self.new_versions} new versions" if self.new_versions else ""
        return (
            f"{self.imported} imported{versions}, {self.unchanged} unchanged, "
            f"{self.failed} failed, {counted(self.claims, 'claim')} found"
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


class CtrlC:
    """Ctrl-C while a source is written: that source's transaction is rolled back and the import
    stops; Ctrl-C can never fall between a commit and its count in the summary. (Only in the
    main thread, where Python delivers signals.)"""

    def __init__(self) -> None:
        self.pressed = False
        self.previous: Any = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._note)
        return self

    def _note(self, *_: object) -> None:
        self.pressed = True

    def check(self) -> None:
        """Called before a commit: a Ctrl-C pressed meanwhile rolls the source back."""
        if self.pressed:
            raise KeyboardInterrupt

    def __exit__(self, exc_type: object, *_: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        if self.pressed and exc_type is None:
            raise KeyboardInterrupt


def store_article(
    db: Database,
    article: Article,
    found: Extraction,
    parties: dict[str, int],
    ctrl_c: CtrlC | None = None,
) -> store.Stored:
    """One source in one transaction: the source, its claims, merged exchanges and tallies."""
    with db.transaction() as conn:
        stored = store.add_source(conn, _record(article), checked=True)
        stored.claims = store.store_extraction(
            conn, stored.source_id, found, parties, url=article.url,
            reuse=stored.reuse(found, parties),
        )
        if ctrl_c:
            ctrl_c.check()
    return stored


def import_articles(
    db: Database,
    items: Iterable[Article | IngestError],
    progress: Callable[[str, str], None] = lambda origin, outcome: None,
) -> Summary:
    """Import every article; ``progress(origin, outcome)`` is called after each one.

    Articles are read in batches: one query finds the texts already stored (unchanged: no
    extraction, no transaction), extraction of the next batch runs on worker processes while
    this batch is written, one transaction per source."""
    with db.session() as session:
        lex, parties = lexicon(session), party_ids(session)
    summary = Summary()
    refresh_at = FIRST_REFRESH
    try:
        with Extractor(lex) as extractor:
            pending: tuple[list[Article], Iterator[Read]] | None = None
            for batch in _batches(items):
                new = _triage(db, batch, summary, progress)
                submitted = (new, extractor.map(new))
                if pending:
                    _store_batch(db, *pending, parties, summary, progress)
                pending = submitted
                if summary.imported >= refresh_at:
                    db.refresh_statistics(GROWING)
                    refresh_at *= 4
            if pending:
                _store_batch(db, *pending, parties, summary, progress)
    except KeyboardInterrupt:  # the source being written was rolled back with its transaction
        summary.interrupted = True
    except RunStopped as stop:
        summary.stopped = str(stop)
    except DBAPIError as exc:
        if (reason := stops_the_run(exc)) is None:
            raise
        summary.stopped = f"{reason} ({_first(exc)})"
    return summary


class RunStopped(Exception):
    """The database can take no more sources in this run; the ones committed stay."""


def stops_the_run(exc: DBAPIError) -> str | None:
    """Why ``exc`` stops the whole run, or None when it concerns one source only: with a full
    disk or a lost connection every following source would fail the same way."""
    text = str(exc.orig).lower()
    state = getattr(exc.orig, "sqlstate", None) or ""
    if state == "53100" or "disk is full" in text or "no space left" in text:
        return "the database's disk is full"
    if "disk i/o error" in text:
        return "the database's disk gave an I/O error"
    if exc.connection_invalidated or state.startswith(("08", "57P")):
        return "the connection to the database was lost"
    return None


def _batches(items: Iterable[Article | IngestError]) -> Iterator[list[Article | IngestError]]:
    it = iter(items)
    while batch := list(islice(it, BATCH)):
        yield batch


def _triage(
    db: Database,
    batch: list[Article | IngestError],
    summary: Summary,
    progress: Callable[[str, str], None],
) -> list[Article]:
    """Count the failures and the texts already stored; return the articles to import."""
    articles = [a for a in batch if isinstance(a, Article)]
    with db.engine.connect() as conn:
        known = store.known_hashes(conn, (a.text_hash for a in articles))
    new: list[Article] = []
    for item in batch:
        if isinstance(item, IngestError):
            progress(item.where, summary.fail(str(item)))
        elif item.text_hash in known:
            summary.unchanged += 1
            progress(item.origin, "unchanged")
        else:
            known.add(item.text_hash)  # the same text twice in one run is stored once
            new.append(item)
    return new


def _store_batch(
    db: Database,
    articles: list[Article],
    found: Iterator[Read],
    parties: dict[str, int],
    summary: Summary,
    progress: Callable[[str, str], None],
) -> None:
    for article, (extraction, language) in zip(articles, found, strict=False):
        if language is not None:
            article = dataclasses.replace(article, language=language)
        with CtrlC() as ctrl_c:
            outcome = _store_one(db, article, extraction, parties, summary, ctrl_c)
        progress(article.origin, outcome)


def _store_one(
    db: Database,
    article: Article,
    extraction: Extraction,
    parties: dict[str, int],
    summary: Summary,
    ctrl_c: CtrlC,
) -> str:
    """Store one article and count the outcome (a refused article is a failure, not a stop)."""
    try:
        stored = store_article(db, article, extraction, parties, ctrl_c)
    except IntegrityError as exc:
        if _duplicate(exc):  # another import stored the same text first: the same outcome
            summary.unchanged += 1
            return "unchanged"
        return summary.fail(f"{article.origin}: the database refused it: {_first(exc)}")
    except DBAPIError as exc:
        if (reason := stops_the_run(exc)) is not None:
            raise RunStopped(f"{reason} while {article.origin} was stored, which was rolled"
                             f" back ({_first(exc)})") from None
        return summary.fail(f"{article.origin}: {_first(exc)}")
    except (TrackerError, OverflowError) as exc:  # a value the database refuses
        return summary.fail(f"{article.origin}: {_first(exc)}")
    _count(summary, stored)
    return stored.status


Read = tuple[Extraction, str | None]  # what a new article yields: its figures, its language
# text, publication date, whether to detect the language, who a claim naming no one is credited to
Work = tuple[str, dt.date, bool, str | None]


def _read(work: Work, lex: Lexicon) -> Read:
    from tracker.extract import extract

    text, day, detect, origin = work
    found = credited(extract(text, day, lex), origin)
    return found, detect_language(text) if detect else None


def credited(found: Extraction, origin: str | None) -> Extraction:
    """A forwarded post's figures said by no one in its text are said by its origin (the
    channel or person ``forwarded_from`` names)."""
    if origin:
        for exchange in found.exchanges:
            for evidence in (exchange.evidence, *(t.evidence for t in exchange.transfers)):
                evidence.claimant = evidence.claimant or origin
        for capture in found.captures:
            capture.evidence.claimant = capture.evidence.claimant or origin
    return found


def forwarded_from(extra: dict[str, str] | str | None) -> str | None:
    """The origin a forwarded post is credited to, from an article's or a source's extra."""
    fields = json.loads(extra) if isinstance(extra, str) else extra or {}
    origin = fields.get("forwarded_from") if isinstance(fields, dict) else None
    return origin if isinstance(origin, str) else None


def _extract_one(work: Work) -> Read:
    assert _WORKER_LEXICON is not None
    return _read(work, _WORKER_LEXICON)


_WORKER_LEXICON: Lexicon | None = None


def _worker_init(lex: Lexicon, parent: int) -> None:
    """Workers leave Ctrl-C to the importing process, which stops them, and end when it dies
    (killed, it cannot: its workers would wait for work forever)."""
    global _WORKER_LEXICON
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    _WORKER_LEXICON = lex
    end_with_parent(parent)


class Extractor:
    """Runs extraction on worker processes (one per core) once a run has enough new articles
    to pay for starting them; small runs extract in this process."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.pool: ProcessPoolExecutor | None = None
        self.seen = 0

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def map(self, articles: list[Article]) -> Iterator[Read]:
        self.seen += len(articles)
        work: list[Work] = [
            (a.text, a.published, a.language is None, forwarded_from(a.extra))  # type: ignore[misc]
            for a in articles
        ]
        if self.pool is None and self.seen >= PARALLEL_FROM and WORKERS > 1:
            self.pool = ProcessPoolExecutor(
                WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
                initargs=(self.lex, os.getpid()),
            )
        if self.pool is None:
            return (_read(item, self.lex) for item in work)
        return self.pool.map(_extract_one, work, chunksize=8)


def _count(summary: Summary, stored: store.Stored) -> None:
    summary.imported += 1
    summary.new_versions += stored.status == "new version"
    summary.claims += stored.claims


def _duplicate(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "text_hash" in text


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
    hand-entered claims) is kept, and a figure a person decided on is not extracted again. A
    figure read again keeps its claim id, and its transfer, exchange or tally keep theirs
    (``tracker.lasting``); ids that no longer name a record are retired, pointing at what the
    figure became. Sources entered with ``add source`` are never read by the rules: skipped."""
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
            if not source.extracted:
                summary.unchanged += 1
                continue
            decided = store.human_decisions(session, source_id)
            earlier = store.machine_claims(session, source_id)
            transfers, tallies = store.clear_machine_claims(session, source_id)
            found = store.without_decided(
                credited(extract(source.text, source.published, lex),
                         forwarded_from(source.extra)),
                decided, parties,
            )
            reuse = match(found, earlier, parties, by_place=True)
            summary.claims += store.store_extraction(session, source_id, found, parties,
                                                     reuse=reuse)
            store.settle(session, earlier, transfers, tallies,
                         f"re-extraction of source {source_id}")
        summary.imported += 1
        progress(source_id)
    return summary
