"""Results and errors that every storage backend shares."""

from __future__ import annotations

from dataclasses import dataclass


class SchemaError(RuntimeError):
    """The database schema is older than the code."""


class StorageUnavailable(RuntimeError):
    """The database cannot be reached; the message never carries a password."""


@dataclass
class SaveResult:
    inserted: int = 0
    # Rows whose URL or text was already stored: recorded as aliases, not stored again.
    aliased: int = 0
    # Inserted rows that are edited copies of a stored story (duplicate_of set).
    near_duplicates: int = 0
