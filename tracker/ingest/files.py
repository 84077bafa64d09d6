"""Which files an import reads: the files named, and the article files of the folders named.

A folder gives its files with an article extension (``EXTENSIONS``), recursively and sorted,
hidden files and folders skipped. A symbolic link in it may point anywhere inside the folder (a
linked folder is not walked twice: its files are read where they are); one that leads out of
the folder, say ``passwd.txt -> /etc/passwd``, is an error for that path unless the caller asks
to follow such links (linked folders are then walked too, each real folder once, so a loop
ends). ``include`` and ``exclude`` glob patterns (``*.txt``, ``*.gold.json``, ``drafts/*``)
choose among a folder's files by their path inside the folder: kept when it matches an include
pattern (if any are given) and no exclude pattern. A path named explicitly is always given.
Whether it is a regular file (not a FIFO, a device or a socket) is checked when it is read,
before it is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from tracker.errors import IngestError

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
}


def iter_files(
    paths: Iterable[Path], follow_symlinks: bool = False,
    include: Sequence[str] = (), exclude: Sequence[str] = (),
) -> Iterator[Path | IngestError]:
    """The files to read, in order, or the error for a link that may not be followed."""
    for path in paths:
        if str(path) != "-" and path.is_dir():
            for item in _folder_files(path, follow_symlinks):
                if isinstance(item, IngestError) or _chosen(item.relative_to(path), include,
                                                            exclude):
                    yield item
        else:
            yield path


def _chosen(relative: Path, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(relative.match(p) for p in include):
        return False
    return not any(relative.match(p) for p in exclude)


def _folder_files(root: Path, follow: bool) -> Iterator[Path | IngestError]:
    inside = Path(os.path.realpath(root))
    found: list[Path | IngestError] = []
    walked: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=follow):
        real = os.path.realpath(folder)
        if real in walked:  # a link back to a folder already walked
            dirs[:] = []
            continue
        walked.add(real)
        keep = []
        for name in (d for d in dirs if not d.startswith(".")):
            path = Path(folder, name)
            if not path.is_symlink() or (follow and not _within(path, inside)):
                keep.append(name)
            elif not _within(path, inside):
                found.append(_link_out(path))
            # a link to a folder inside: its files are read where they are
        dirs[:] = keep
        for name in files:
            path = Path(folder, name)
            if name.startswith(".") or path.suffix.lower() not in EXTENSIONS:
                continue
            leaves = path.is_symlink() and not _within(path, inside)
            found.append(_link_out(path) if leaves and not follow else path)
    yield from sorted(found, key=lambda item: _path(item).relative_to(root).parts)


def _within(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(folder)


def _link_out(path: Path) -> IngestError:
    target = os.path.realpath(path)
    return IngestError(
        str(path), f"a symbolic link out of the folder, to {target} (use --follow-symlinks)"
    )


def _path(item: Path | IngestError) -> Path:
    return Path(item.where) if isinstance(item, IngestError) else item
