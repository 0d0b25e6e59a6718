"""SQLite backend: the zero-setup default (`sqlite:///data/news.db`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsspiders.sources import Source
from pipelines.storage.base import SaveResult
from pipelines.storage.migrations import migrations_for

ARTICLE_COLUMNS = (
    "source", "country", "url", "url_hash", "canonical_url", "title", "text", "language",
    "language_confidence", "title_en", "text_en", "translation_status", "translator",
    "translation_error", "published_at", "fetched_at", "authors", "section", "image_url",
    "description", "content_hash", "duplicate_of", "word_count",
)  # fmt: skip


class SQLiteBackend:
    name = "sqlite"

    def __init__(self, path: str):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we open transactions ourselves, one per batch.
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=30000")

    # --- schema ----------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> list[int]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = self.schema_version()
            applied = []
            for migration in migrations_for(self.name):
                if migration.version <= current:
                    continue
                # executescript would commit our transaction; run statement by statement.
                for statement in _statements(migration.sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(migration.version)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return applied

    # --- sources ---------------------------------------------------------------

    def sync_sources(self, sources: list[Source]) -> None:
        rows = [
            (s.name, s.country, ",".join(s.language), str(s.homepage), int(s.enabled), _now())
            for s in sources
        ]
        with self._transaction():
            self.conn.executemany(
                "INSERT INTO sources (name, country, languages, homepage, enabled, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                " country=excluded.country, languages=excluded.languages,"
                " homepage=excluded.homepage, enabled=excluded.enabled,"
                " updated_at=excluded.updated_at",
                rows,
            )

    # --- articles --------------------------------------------------------------

    def known_urls(self, url_hashes: list[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(url_hashes, 500):
            marks = ",".join("?" * len(chunk))
            known.update(
                row[0]
                for row in self.conn.execute(
                    f"SELECT url_hash FROM article_urls WHERE url_hash IN ({marks})", chunk
                )
            )
        return known

    def find_article(self, url_hashes: list[str], content_hash: str) -> int | None:
        marks = ",".join("?" * len(url_hashes))
        row = self.conn.execute(
            f"SELECT article_id FROM article_urls WHERE url_hash IN ({marks}) LIMIT 1", url_hashes
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL"
                " ORDER BY id LIMIT 1",
                (content_hash,),
            ).fetchone()
        return None if row is None else row[0]

    def add_aliases(self, article_id: int, urls: dict[str, str]) -> None:
        with self._transaction():
            self._insert_urls(article_id, urls)

    def save_articles(self, rows: list[dict[str, Any]]) -> SaveResult:
        result = SaveResult()
        with self._transaction():
            for row in rows:
                urls: dict[str, str] = row["urls"]
                # Checked again inside the write transaction: another crawl may have
                # stored the same article since the dedup stage looked.
                existing = self.find_article(list(urls), row["content_hash"])
                if existing is not None:
                    self._insert_urls(existing, urls)
                    result.aliased += 1
                    continue
                values = [_to_sql(row.get(column)) for column in ARTICLE_COLUMNS]
                cursor = self.conn.execute(
                    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)})"
                    f" VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                    values,
                )
                assert cursor.lastrowid is not None
                self._insert_urls(cursor.lastrowid, urls)
                result.inserted += 1
        return result

    def articles(self, **where: Any) -> list[dict[str, Any]]:
        for column in where:
            if column not in ARTICLE_COLUMNS:
                raise ValueError(f"unknown column {column!r}")
        clause = " AND ".join(f"{column} = ?" for column in where) or "1=1"
        cursor = self.conn.execute(
            f"SELECT * FROM articles WHERE {clause} ORDER BY source, published_at, id",
            list(where.values()),
        )
        return [_from_sql(dict(row)) for row in cursor]

    def close(self) -> None:
        self.conn.close()

    # --- helpers ---------------------------------------------------------------

    def _insert_urls(self, article_id: int, urls: dict[str, str]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO article_urls (url_hash, url, article_id) VALUES (?, ?, ?)",
            [(url_hash, url, article_id) for url_hash, url in urls.items()],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _to_sql(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _from_sql(row: dict[str, Any]) -> dict[str, Any]:
    row["authors"] = json.loads(row["authors"] or "[]")
    return row
