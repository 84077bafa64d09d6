"""Files tracker writes (exports, workbooks, plots): never the database, and whole or not at all.

A file is written under a temporary name beside it (``.NAME.tmp-XXXXXXXX``: recognisable if a
killed process leaves one) and renamed over the final name only once it is complete, so an
interrupted, killed or failed write leaves the old file or none, never a truncated one. A full
disk is one error naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import URL

from tracker.errors import OutputError

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}  # EFBIG: over the file size limit


def temporary_prefix(path: Path) -> str:
    """The name a temporary file beside ``path`` starts with."""
    return f".{path.name}.tmp-"


def database_files(database: URL | None) -> list[Path]:
    """The files of a SQLite database (the file, its WAL, shared memory and journal), both as
    named and with symlinks resolved; none for PostgreSQL or an in-memory database."""
    if database is None or database.get_backend_name() != "sqlite":
        return []
    name = database.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return []
    given = Path(name).expanduser().absolute()
    bases = {given, given.resolve()}
    return [Path(f"{base}{side}") for base in bases for side in SQLITE_SIDE_FILES]


def check_not_database(out: str | Path, database: URL | None) -> None:
    """Refuse an output path that is the database or one of its side files (through symlinks,
    relative paths and hard links)."""
    if str(out) == "-":
        return
    target = Path(out).expanduser()
    resolved = target.resolve()
    for path in database_files(database):
        if resolved == path.resolve() or _same_file(target, path):
            raise OutputError(out, "it is the database (or one of its files): choose another name")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


@contextmanager
def replacing(
    out: str | Path, binary: bool, database: URL | None = None
) -> Iterator[IO[Any]]:
    """A file object to write ``out`` through (``-``: stdout): a temporary file renamed over
    ``out`` when the block ends without an error, and removed when it ends with one."""
    if str(out) == "-":
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    check_not_database(out, database)
    final = Path(out).expanduser()
    if final.is_symlink():  # replace the file it points to, not the link
        final = final.resolve()
    if final.exists() and not stat.S_ISREG(final.stat().st_mode):  # /dev/null, a FIFO
        with _opened(out, final, binary) as fh:
            yield fh
        return
    fd, name = _create_temporary(out, final)
    try:
        with _reported(out), os.fdopen(fd, "wb" if binary else "w", **_text(binary)) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(final, name)
        with _reported(out):
            os.replace(name, final)
    except BaseException:
        with suppress(OSError):
            os.unlink(name)
        raise


def part_file(out: str | Path) -> Path:
    """A temporary file beside ``out`` (or in the temporary folder for stdout or a folder that
    cannot be written) for a part of it another process writes; the caller removes it."""
    final = Path(out).expanduser().resolve() if str(out) != "-" else None
    folder = final.parent if final is not None else None
    if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
        folder = None
    prefix = temporary_prefix(final) if final is not None else ".tracker-export.tmp-"
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=folder)
    os.close(fd)
    return Path(name)


def _text(binary: bool) -> dict[str, Any]:
    return {} if binary else {"newline": "", "encoding": "utf-8"}


def _create_temporary(out: str | Path, final: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=temporary_prefix(final), dir=final.parent)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None


@contextmanager
def _opened(out: str | Path, path: Path, binary: bool) -> Iterator[IO[Any]]:
    """A file that is not a regular file (a device, a pipe), written to as it is."""
    try:
        fh = open(path, "wb" if binary else "w", **_text(binary))  # noqa: SIM115
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    with _reported(out), fh:
        yield fh


@contextmanager
def _reported(out: str | Path) -> Iterator[None]:
    """A full disk (or a file over the size limit) as one error naming the file."""
    try:
        yield
    except OSError as exc:
        if exc.errno in FULL:
            raise OutputError(out, "no space left on the disk (or the file is over the size "
                              "limit)") from None
        if exc.errno in (errno.EIO, errno.EROFS):
            raise OutputError(out, exc.strerror or str(exc)) from None
        raise


def _keep_mode(final: Path, name: str) -> None:
    """The new file gets the old one's permissions, or the usual ones for a new file (a
    temporary file is created readable by its owner only)."""
    try:
        mode = stat.S_IMODE(final.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with suppress(OSError):
        os.chmod(name, mode)
