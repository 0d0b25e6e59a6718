"""Storage: pick a backend from NEWS_DATABASE_URL and run it off the reactor thread.

The package's modules, one job each:

- `urls`: NEWS_DATABASE_URL parsed once, strictly (malformed SQLite URLs refused).
- `opening`: open a backend from NEWS_DATABASE_URL, check or create its schema, and the
  database errors and password-free messages.
- `runner`: `Storage`, a backend on its own worker thread that fails fast after an error.
- `extension`: `StorageExtension`, a crawl's `Storage` and its articles in flight: a
  Scrapy extension, found with `crawler.get_extension()` by whatever needs the database.
- `backend`: `SQLBackend`, every table group's queries over one dialect.
- `dialect`: what a dialect supplies (transactions, value adaptation) and the SQL helpers.
- `schema_queries`: the schema version and migrations (`migrations`, `migrations/`).
- `article_queries`: sources, articles, their URLs and near-duplicate bands.
- `translation_queries`: the translation cache, daily budgets and pending translations.
- `run_queries`: crawl runs and the counts the health report reads.
- `story_queries`: stories, for the `stories` stage and the app.
- `read_queries`: the app's panels (country feed, alternative takes, current take, globe).
- `export_queries`: what `scrapy export` reads, and its cursors.
- `sqlite`, `postgres`: the two dialects.
- `errors`: results and errors that every backend shares.
"""

from __future__ import annotations

from pipelines.storage.article_queries import SourceRow
from pipelines.storage.backend import SQLBackend
from pipelines.storage.errors import SaveResult, SchemaError, StorageUnavailable
from pipelines.storage.opening import (
    DATABASE_ERRORS,
    check_database,
    open_backend,
    prepare_schema,
    redact,
)
from pipelines.storage.runner import Storage
from pipelines.storage.urls import DatabaseUrlError, parse_database_url

__all__ = [
    "DATABASE_ERRORS",
    "DatabaseUrlError",
    "SQLBackend",
    "SaveResult",
    "SchemaError",
    "SourceRow",
    "Storage",
    "StorageUnavailable",
    "check_database",
    "open_backend",
    "parse_database_url",
    "prepare_schema",
    "redact",
]
