"""Opening a database from NEWS_DATABASE_URL: the backend, its schema check, and the
errors and messages (never with a password) when it cannot be used."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import psycopg
from psycopg_pool import PoolTimeout

from pipelines.storage.backend import SQLBackend
from pipelines.storage.errors import SchemaError, StorageUnavailable
from pipelines.storage.migrations import latest_version

# What a backend raises when the database itself fails (rather than our code).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
)


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
                f"cannot connect to {redact(url)}: {error_line(exc)}"
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


def error_line(exc: BaseException) -> str:
    """The error's first line, without a password it may quote."""
    return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "")


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
