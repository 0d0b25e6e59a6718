"""What every storage backend offers, in plain synchronous calls.

Backends are used from one worker thread at a time (see `Storage`), never from the
reactor thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from newsspiders.sources import Source


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


class Backend(Protocol):
    name: str

    def schema_version(self) -> int: ...

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        ...

    def sync_sources(self, sources: list[Source]) -> None: ...

    def known_urls(self, url_hashes: list[str]) -> set[str]:
        """The subset of these URL hashes that already lead to a stored article."""
        ...

    def find_article(self, url_hashes: list[str], content_hash: str) -> int | None:
        """Id of a stored article with one of these URLs or this exact text."""
        ...

    def add_aliases(self, article_id: int, urls: dict[str, str]) -> None:
        """Record more URLs (url_hash -> url) for a stored article."""
        ...

    def save_articles(self, rows: list[dict[str, Any]]) -> SaveResult: ...

    def articles(self, **where: Any) -> list[dict[str, Any]]:
        """Stored articles as dicts (for commands, tests and the demo)."""
        ...

    def close(self) -> None: ...
