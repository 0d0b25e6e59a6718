"""Storage: pick a backend from NEWS_DATABASE_URL and run it off the reactor thread."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from psycopg_pool import PoolTimeout
from scrapy import signals

from pipelines.storage.base import SaveResult, SchemaError, StorageUnavailable
from pipelines.storage.migrations import latest_version
from pipelines.storage.sql import SQLBackend

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

T = TypeVar("T")

__all__ = [
    "SQLBackend",
    "SaveResult",
    "SchemaError",
    "Storage",
    "StorageUnavailable",
    "open_backend",
    "redact",
    "storage_for",
]


def open_backend(url: str) -> SQLBackend:
    """A connected backend for NEWS_DATABASE_URL.

    `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, or
    `postgresql://user:password@host:5432/dbname` (any libpq URI).
    """
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from pipelines.storage.sqlite import SQLiteBackend

        path = url.removeprefix("sqlite://").removeprefix("/") or ":memory:"
        return SQLiteBackend(path)
    if scheme in ("postgresql", "postgres"):
        from psycopg import OperationalError

        from pipelines.storage.postgres import PostgresBackend

        try:
            return PostgresBackend(url)
        except (OperationalError, PoolTimeout) as exc:
            raise StorageUnavailable(
                f"cannot connect to {redact(url)}: {type(exc).__name__}"
            ) from None
    raise ValueError(
        f"NEWS_DATABASE_URL {redact(url)!r}: unsupported scheme {scheme!r}"
        " (use sqlite:///path.db or postgresql://…)"
    )


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def prepare_schema(backend: SQLBackend) -> None:
    """Create the schema on an empty database; refuse one that is behind the code."""
    current, latest = backend.schema_version(), latest_version(backend.name)
    if current == 0:
        backend.migrate()
    elif current < latest:
        raise SchemaError(
            f"database schema is at version {current}, the code needs {latest}:"
            " run `scrapy initdb` to migrate it"
        )


class Storage:
    """A backend owned by one worker thread; every call returns an awaitable."""

    def __init__(self, url: str):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        self.backend: SQLBackend = self._thread.submit(open_backend, url).result()
        self._thread.submit(prepare_schema, self.backend).result()

    async def run(self, method: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(method, *args))

    def call(self, method: Callable[..., T], *args: Any) -> T:
        """Blocking call, for commands that run outside the reactor."""
        return self._thread.submit(method, *args).result()

    def close(self) -> None:
        self._thread.submit(self.backend.close).result()
        self._thread.shutdown()


def storage_for(crawler: Crawler) -> Storage:
    """The crawler's one Storage, opened on first use and closed with the engine."""
    storage = getattr(crawler, "_news_storage", None)
    if storage is None:
        storage = Storage(crawler.settings.get("NEWS_DATABASE_URL"))
        crawler._news_storage = storage  # type: ignore[attr-defined]
        # engine_stopped comes after every spider_closed handler (the run recorder's too).
        crawler.signals.connect(storage.close, signal=signals.engine_stopped, weak=False)
    return storage
