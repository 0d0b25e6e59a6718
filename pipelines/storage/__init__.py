"""Storage: pick a backend from NEWS_DATABASE_URL and run it off the reactor thread."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import psycopg
from psycopg_pool import PoolTimeout

from pipelines.storage.errors import SaveResult, SchemaError, StorageUnavailable
from pipelines.storage.migrations import latest_version
from pipelines.storage.sql import SQLBackend

# What a backend raises when the database itself fails (rather than our code).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
)

if TYPE_CHECKING:
    from collections.abc import Callable


T = TypeVar("T")

__all__ = [
    "SQLBackend",
    "SaveResult",
    "SchemaError",
    "Storage",
    "StorageUnavailable",
    "check_database",
    "open_backend",
    "redact",
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
                f"cannot connect to {redact(url)}: {_first_line(exc)}"
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


def check_database(url: str) -> None:
    """Fail before crawling, with one clear line, when the database is unusable."""
    backend = open_backend(url)
    try:
        prepare_schema(backend)
    finally:
        backend.close()


class Storage:
    """A backend owned by one worker thread; every call returns an awaitable.

    After a database error it fails fast for a while (`cooldown` seconds) instead of
    making every caller wait for the database's own timeouts.
    """

    def __init__(self, url: str, cooldown: float = 30.0):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        self.backend: SQLBackend = self._thread.submit(open_backend, url).result()
        self._thread.submit(prepare_schema, self.backend).result()
        self.cooldown = cooldown
        self._down_until = 0.0
        self._last_error = ""

    async def run(self, method: Callable[..., T], *args: Any) -> T:
        self._fail_fast()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(self._guarded, method, *args))

    def call(self, method: Callable[..., T], *args: Any) -> T:
        """Blocking call, from a worker thread or a command outside the reactor."""
        self._fail_fast()
        return self._thread.submit(self._guarded, method, *args).result()

    def close(self) -> None:
        # A database that went away cannot be closed cleanly; that must not mask the run.
        with contextlib.suppress(Exception):
            self._thread.submit(self.backend.close).result()
        self._thread.shutdown()

    def _fail_fast(self) -> None:
        if time.monotonic() < self._down_until:
            raise StorageUnavailable(f"{self._last_error} (not retried for {self.cooldown:g} s)")

    def _guarded(self, method: Callable[..., T], *args: Any) -> T:
        """Database errors (connection lost, locked, gone) as one exception type."""
        try:
            return method(*args)
        except DATABASE_ERRORS as exc:
            self._last_error = f"database error: {type(exc).__name__}: {_first_line(exc)}"
            self._down_until = time.monotonic() + self.cooldown
            raise StorageUnavailable(self._last_error) from exc


def _first_line(exc: BaseException) -> str:
    return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
