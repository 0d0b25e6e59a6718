"""Opening a database from NEWS_DATABASE_URL: the backend, its schema check, and the
errors and messages (never with a password) when it cannot be used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
from psycopg_pool import PoolTimeout

from pipelines.storage.backend import SQLBackend
from pipelines.storage.errors import SchemaError, StorageUnavailable
from pipelines.storage.migrations import latest_version
from pipelines.storage.urls import parse_database_url, redact

# What a backend raises when the database itself fails (rather than our code).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
)


def open_backend(url: str, *, create: bool = True) -> SQLBackend:
    """A connected backend for NEWS_DATABASE_URL (forms: `pipelines.storage.urls`).

    `create=False` (commands that only read or finish what a crawl stored): a SQLite
    file that does not exist is an error, not a new empty database.
    """
    target = parse_database_url(url)
    if target.kind == "sqlite":
        assert target.path is not None
        return _open_sqlite(target.path, create=create)
    from psycopg import OperationalError

    from pipelines.storage.postgres import PostgresBackend

    try:
        return PostgresBackend(url)
    except (OperationalError, PoolTimeout) as exc:
        raise StorageUnavailable(f"cannot connect to {redact(url)}: {error_line(exc)}") from None


def _open_sqlite(path: Path, *, create: bool) -> SQLBackend:
    from pipelines.storage.sqlite import SQLiteBackend

    if not create and not path.is_file():
        raise StorageUnavailable(
            f"no database at {path}: check NEWS_DATABASE_URL, or create it with `scrapy initdb`"
        )
    try:
        return SQLiteBackend(str(path))
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else error_line(exc)
        raise StorageUnavailable(f"cannot open the SQLite database {path}: {reason}") from None


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
    except DATABASE_ERRORS as exc:
        raise StorageUnavailable(f"database error: {error_line(exc)}") from None
    finally:
        backend.close()
