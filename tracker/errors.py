"""The named exceptions the library raises; the CLI prints them as one ``Error: ...`` line."""

from __future__ import annotations


class TrackerError(Exception):
    """A user-facing error: bad input, a missing record, a database that needs an upgrade."""


class InputError(TrackerError):
    """A value given by the user (an option, a field of a file) is not acceptable."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class NotFound(TrackerError):
    """A record the user named does not exist."""


class Conflict(TrackerError):
    """A change the records no longer allow as asked (an undo of a value changed since)."""


class IngestError(TrackerError):
    """A file (or one record of it) could not be read as an article."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class DatabaseError(TrackerError):
    """The database cannot be opened or is not at the schema revision this version needs."""


class ReadOnlyError(TrackerError):
    """A read-only query tried to change the database."""


class OutputError(TrackerError):
    """A file could not be written (a full disk, a folder that is not there, the database)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path, self.field, self.message = path, "out", f"cannot write {path}: {reason}"
        super().__init__(f"out: {self.message}")
