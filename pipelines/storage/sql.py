"""What SQLite and PostgreSQL share: the queries, written once with `?` placeholders.

A backend subclass supplies the connection, its transactions and value adaptation.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from newsspiders.reporting.runstats import RunStats
from newsspiders.sources.model import Source
from pipelines.dedup import fingerprints
from pipelines.storage.errors import SaveResult
from pipelines.storage.migrations import migrations_for

ARTICLE_COLUMNS = (
    "source", "country", "url", "url_hash", "canonical_url", "title", "text", "language",
    "language_confidence", "title_en", "text_en", "translation_status", "translator",
    "translation_error", "published_at", "fetched_at", "authors", "section", "image_url",
    "description", "content_hash", "duplicate_of", "word_count",
)  # fmt: skip
CHUNK = 500  # ids per IN (...) list


class Cursor(Protocol):
    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """One open transaction."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class SQLBackend(ABC):
    name: str

    # --- what a dialect supplies -------------------------------------------------

    @abstractmethod
    def transaction(self, *, exclusive: bool = False) -> AbstractContextManager[Tx]:
        """A transaction; `exclusive` ones (article writes) never run two at a time."""

    @abstractmethod
    def has_table(self, tx: Tx, name: str) -> bool: ...

    @abstractmethod
    def adapt(self, column: str, value: Any) -> Any:
        """A Python value as this database wants it bound."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        pass

    # --- schema ----------------------------------------------------------------

    def schema_version(self) -> int:
        with self.transaction() as tx:
            if not self.has_table(tx, "schema_migrations"):
                return 0
            row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            return _first(row) or 0

    def migrate(self) -> list[int]:
        applied = []
        with self.transaction(exclusive=True) as tx:
            tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            current = _first(row) or 0
            for migration in migrations_for(self.name):
                if migration.version <= current:
                    continue
                for statement in _statements(migration.sql):
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(migration.version)
        return applied

    # --- sources ---------------------------------------------------------------

    def sync_sources(self, sources: list[Source]) -> None:
        rows = [
            (s.name, s.country, ",".join(s.language), str(s.homepage), s.enabled, _now())
            for s in sources
        ]
        with self.transaction() as tx:
            tx.executemany(
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
        with self.transaction() as tx:
            for chunk in _chunks(url_hashes):
                cursor = tx.execute(
                    f"SELECT url_hash FROM article_urls WHERE url_hash IN ({_marks(chunk)})", chunk
                )
                known.update(_first(row) for row in cursor.fetchall())
        return known

    def find_article(self, url_hashes: list[str], content_hash: str) -> int | None:
        with self.transaction() as tx:
            return self._find_article(tx, url_hashes, content_hash)

    def _find_article(self, tx: Tx, url_hashes: list[str], content_hash: str) -> int | None:
        row = tx.execute(
            f"SELECT article_id FROM article_urls WHERE url_hash IN ({_marks(url_hashes)}) LIMIT 1",
            url_hashes,
        ).fetchone()
        if row is None:
            row = tx.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return None if row is None else _first(row)

    def add_aliases(self, article_id: int, urls: dict[str, str]) -> None:
        with self.transaction() as tx:
            self._insert_urls(tx, article_id, urls)

    def save_articles(self, rows: list[dict[str, Any]]) -> SaveResult:
        """Insert new articles; known ones become aliases, near-copies get duplicate_of.

        Runs as an exclusive transaction, so the checks and the inserts see every
        other writer's committed rows and two crawls never store the same story twice.
        """
        result = SaveResult()
        with self.transaction(exclusive=True) as tx:
            for row in rows:
                urls: dict[str, str] = row["urls"]
                existing = self._find_article(tx, list(urls), row["content_hash"])
                if existing is not None:
                    self._insert_urls(tx, existing, urls)
                    result.aliased += 1
                    continue
                bands = row.get("bands") or []
                original = self._near_duplicate_of(tx, row["text"], bands)
                if original is not None:
                    row = {**row, "duplicate_of": original}
                    result.near_duplicates += 1
                values = [self.adapt(column, row.get(column)) for column in ARTICLE_COLUMNS]
                article_id = _first(
                    tx.execute(
                        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)})"
                        f" VALUES ({_marks(ARTICLE_COLUMNS)}) RETURNING id",
                        values,
                    ).fetchone()
                )
                self._insert_urls(tx, article_id, urls)
                if bands:
                    tx.executemany(
                        "INSERT INTO article_bands (band_hash, article_id) VALUES (?, ?)"
                        " ON CONFLICT DO NOTHING",
                        [(band, article_id) for band in bands],
                    )
                result.inserted += 1
        return result

    def _near_duplicate_of(self, tx: Tx, text: str, bands: list[int]) -> int | None:
        """The first stored article (not itself a copy) that this text is a copy of."""
        if not bands:
            return None
        candidates = tx.execute(
            "SELECT a.id, a.text FROM articles a JOIN ("
            f"  SELECT article_id, COUNT(*) AS shared FROM article_bands"
            f"  WHERE band_hash IN ({_marks(bands)}) GROUP BY article_id"
            "  ORDER BY shared DESC LIMIT 5"
            ") c ON c.article_id = a.id WHERE a.duplicate_of IS NULL ORDER BY a.id",
            bands,
        ).fetchall()
        for candidate in candidates:
            candidate_id, candidate_text = candidate[0], candidate[1]
            if fingerprints.same_story(text, candidate_text):
                return int(candidate_id)
        return None

    # --- translations ------------------------------------------------------------

    def cached_translations(
        self, text_hashes: list[str], source: str, target: str
    ) -> dict[str, str]:
        """Translations already made for these segment hashes, by any provider."""
        found: dict[str, str] = {}
        with self.transaction() as tx:
            for chunk in _chunks(text_hashes):
                cursor = tx.execute(
                    "SELECT text_hash, translated FROM translations WHERE source = ? AND"
                    f" target = ? AND text_hash IN ({_marks(chunk)})",
                    [source, target, *chunk],
                )
                found.update((row[0], row[1]) for row in cursor.fetchall())
        return found

    def save_translations(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """(text_hash, source, target, provider, translated) rows; known ones are kept."""
        now = _now()
        with self.transaction() as tx:
            tx.executemany(
                "INSERT INTO translations"
                " (text_hash, source, target, provider, translated, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(*row, now) for row in rows],
            )

    def usage_on(self, day: str) -> dict[str, int]:
        """Characters sent to each provider on a UTC day (YYYY-MM-DD)."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT provider, characters FROM translation_usage WHERE day = ?", (day,)
            )
            return {row[0]: int(row[1]) for row in cursor.fetchall()}

    def add_usage(self, day: str, provider: str, characters: int, requests: int) -> None:
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO translation_usage (day, provider, characters, requests)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (day, provider) DO UPDATE SET"
                " characters = translation_usage.characters + excluded.characters,"
                " requests = translation_usage.requests + excluded.requests",
                (day, provider, characters, requests),
            )

    def pending_articles(self, source: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Articles whose translation failed, oldest first."""
        clause = "translation_status = 'pending'" + (" AND source = ?" if source else "")
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, source, language, title, text FROM articles"
                f" WHERE {clause} ORDER BY id LIMIT ?",
                [source, limit] if source else [limit],
            )
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def set_translation(
        self,
        article_id: int,
        title_en: str | None,
        text_en: str | None,
        status: str,
        translator: str | None,
        error: str | None,
    ) -> None:
        with self.transaction() as tx:
            tx.execute(
                "UPDATE articles SET title_en = ?, text_en = ?, translation_status = ?,"
                " translator = ?, translation_error = ? WHERE id = ?",
                (title_en, text_en, status, translator, error, article_id),
            )

    # --- runs and health -----------------------------------------------------------

    def record_run(self, run: RunStats) -> None:
        values = {
            "source": run.source, "started_at": run.started_at, "finished_at": run.finished_at,
            "finish_reason": run.finish_reason, "failed": run.failed, "pages": run.pages,
            "discovered": run.discovered, "new_articles": run.new_articles,
            "duplicates": run.duplicates, "near_duplicates": run.near_duplicates,
            "dropped": run.dropped, "http_errors": run.http_errors, "errors": run.errors,
            "translation_requests": run.translation_requests,
            "translation_characters": run.translation_characters,
            "pending_translations": run.pending_translations,
            "robots_forbidden": run.robots_forbidden, "stats": _jsonable(run.stats),
        }  # fmt: skip
        columns = ", ".join(values)
        with self.transaction() as tx:
            tx.execute(
                f"INSERT INTO crawl_runs ({columns}) VALUES ({_marks(list(values))})",
                [self.adapt(name, value) for name, value in values.items()],
            )

    def recent_runs(self, per_source: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Each source's latest runs, newest first."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT * FROM (SELECT r.*, ROW_NUMBER() OVER"
                " (PARTITION BY source ORDER BY finished_at DESC, id DESC) AS n FROM crawl_runs r)"
                " ranked WHERE n <= ? ORDER BY source, n",
                (per_source,),
            )
            names = [column[0] for column in cursor.description]
            runs: dict[str, list[dict[str, Any]]] = {}
            for row in cursor.fetchall():
                run = self._run(dict(zip(names, row, strict=True)))
                runs.setdefault(run["source"], []).append(run)
            return runs

    def article_counts(self, since: datetime) -> dict[str, int]:
        """Articles stored per source since a moment (by fetch time)."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT source, COUNT(*) FROM articles WHERE fetched_at >= ? GROUP BY source",
                (self.adapt("fetched_at", since),),
            )
            return {row[0]: int(row[1]) for row in cursor.fetchall()}

    def pending_counts(self) -> dict[str, int]:
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT source, COUNT(*) FROM articles WHERE translation_status = 'pending'"
                " GROUP BY source"
            )
            return {row[0]: int(row[1]) for row in cursor.fetchall()}

    def _run(self, row: dict[str, Any]) -> dict[str, Any]:
        for column in ("dropped", "http_errors", "stats"):
            if isinstance(row.get(column), str):
                row[column] = json.loads(row[column])
        for column in ("started_at", "finished_at"):
            if isinstance(row.get(column), str):
                row[column] = datetime.fromisoformat(row[column])
        row["failed"] = bool(row["failed"])
        return row

    def articles(self, **where: Any) -> list[dict[str, Any]]:
        for column in where:
            if column not in ARTICLE_COLUMNS and column != "id":
                raise ValueError(f"unknown column {column!r}")
        clause = " AND ".join(f"{column} = ?" for column in where) or "1=1"
        with self.transaction() as tx:
            cursor = tx.execute(
                f"SELECT * FROM articles WHERE {clause} ORDER BY source, published_at, id",
                list(where.values()),
            )
            names = [column[0] for column in cursor.description]
            return [self._article(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def article_urls(self, article_id: int) -> list[str]:
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", (article_id,)
            )
            return [_first(row) for row in cursor.fetchall()]

    def _article(self, row: dict[str, Any]) -> dict[str, Any]:
        """Same shapes from every backend: authors a list, times aware datetimes."""
        if isinstance(row.get("authors"), str):
            row["authors"] = json.loads(row["authors"])
        for column in ("published_at", "fetched_at"):
            if isinstance(row.get(column), str):
                row[column] = datetime.fromisoformat(row[column])
        return row

    def _insert_urls(self, tx: Tx, article_id: int, urls: dict[str, str]) -> None:
        tx.executemany(
            "INSERT INTO article_urls (url_hash, url, article_id) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(url_hash, url, article_id) for url_hash, url in urls.items()],
        )

    # === stories (pipelines/stories, docs/stories.md) ==================================
    # Added with migration 0005: the `stories` stage's reads and writes, and the app's two
    # reads. Nothing above this line depends on it.

    def unassigned_articles(self, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Articles in no story yet that can be placed, by id from `after_id`: those with
        English, and near-duplicates (they follow their original's story).

        `seen_at` is the published time, else the fetch time; `original_story` the story
        of the article a near-duplicate copies, if it has one yet.
        """
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT a.id, a.country, a.title_en, a.text_en,"
                " COALESCE(a.published_at, a.fetched_at) AS seen_at, a.duplicate_of,"
                " o.story_id AS original_story"
                " FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of"
                " WHERE a.story_id IS NULL AND a.id > ?"
                " AND (a.text_en IS NOT NULL OR a.duplicate_of IS NOT NULL)"
                " ORDER BY a.id LIMIT ?",
                (after_id, limit),
            )
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["seen_at"] = self._story_time(row["seen_at"])
        return rows

    def stories_in_window(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Stories with coverage between the two moments, centroids included."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, first_seen, last_seen, title, article_id, countries, article_count,"
                " centroid, version FROM stories WHERE last_seen >= ? AND first_seen <= ?",
                (self.adapt("last_seen", since), self.adapt("first_seen", until)),
            )
            names = [column[0] for column in cursor.description]
            return [self._story(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def save_stories(self, stories: list[dict[str, Any]]) -> list[int] | None:
        """Insert the new stories (id None), update the others, and set `story_id` on the
        articles each one gained (`articles`). Returns the stories' ids, in order.

        Nothing is written, and None returned, when another run has meanwhile placed one
        of these articles or saved one of these stories (its `version` moved on): the
        caller's view is stale. Exclusive, so the check and the writes see the same rows.
        """
        placed = [article for story in stories for article in story["articles"]]
        known = {story["id"]: story["version"] for story in stories if story["id"] is not None}
        now = _now()
        with self.transaction(exclusive=True) as tx:
            for start in range(0, len(placed), CHUNK):
                chunk = placed[start : start + CHUNK]
                taken = tx.execute(
                    f"SELECT COUNT(*) FROM articles WHERE story_id IS NOT NULL"
                    f" AND id IN ({_marks(chunk)})",
                    chunk,
                ).fetchone()
                if _first(taken):
                    return None
            ids = list(known)
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                cursor = tx.execute(
                    f"SELECT id, version FROM stories WHERE id IN ({_marks(chunk)})", chunk
                )
                if any(known[row[0]] != row[1] for row in cursor.fetchall()):
                    return None
            saved = []
            for story in stories:
                values = [
                    self.adapt("first_seen", story["first_seen"]),
                    self.adapt("last_seen", story["last_seen"]),
                    story["title"],
                    story["article_id"],
                    ",".join(sorted(story["countries"])),
                    len(story["countries"]),
                    story["article_count"],
                    self.adapt("centroid", story["centroid"]),
                    now,
                ]
                if story["id"] is None:
                    story_id = _first(
                        tx.execute(
                            "INSERT INTO stories (first_seen, last_seen, title, article_id,"
                            " countries, country_count, article_count, centroid, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            values,
                        ).fetchone()
                    )
                else:
                    story_id = story["id"]
                    tx.execute(
                        "UPDATE stories SET first_seen = ?, last_seen = ?, title = ?,"
                        " article_id = ?, countries = ?, country_count = ?, article_count = ?,"
                        " centroid = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                        [*values, story_id],
                    )
                for start in range(0, len(story["articles"]), CHUNK):
                    chunk = story["articles"][start : start + CHUNK]
                    tx.execute(
                        f"UPDATE articles SET story_id = ? WHERE id IN ({_marks(chunk)})",
                        [story_id, *chunk],
                    )
                saved.append(int(story_id))
        return saved

    def place_copies(self, placements: list[tuple[int, int]]) -> None:
        """(article id, story id) pairs for near-duplicates, which join their original's
        story without counting as coverage of their own. Placed articles are left alone."""
        with self.transaction() as tx:
            tx.executemany(
                "UPDATE articles SET story_id = ? WHERE id = ? AND story_id IS NULL",
                [(story_id, article_id) for article_id, story_id in placements],
            )

    def top_stories(self, since: datetime, limit: int = 20) -> list[dict[str, Any]]:
        """Stories covered since `since`, those covered by the most countries first."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, title, article_id, first_seen, last_seen, countries, country_count,"
                " article_count FROM stories WHERE last_seen >= ?"
                " ORDER BY country_count DESC, article_count DESC, last_seen DESC LIMIT ?",
                (self.adapt("last_seen", since), limit),
            )
            names = [column[0] for column in cursor.description]
            return [self._story(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def story_coverage(self, story_id: int) -> dict[str, list[dict[str, Any]]]:
        """A story's articles by country, oldest first; copies have `duplicate_of` set."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, country, source, url, language, title, title_en, published_at,"
                " duplicate_of FROM articles WHERE story_id = ? ORDER BY country, published_at",
                (story_id,),
            )
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        coverage: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            row["published_at"] = self._story_time(row["published_at"])
            coverage.setdefault(row["country"], []).append(row)
        return coverage

    def _story(self, row: dict[str, Any]) -> dict[str, Any]:
        """Same shapes from every backend: times aware datetimes, countries a list."""
        for column in ("first_seen", "last_seen"):
            row[column] = self._story_time(row[column])
        row["countries"] = [code for code in row["countries"].split(",") if code]
        if isinstance(row.get("centroid"), str):
            row["centroid"] = json.loads(row["centroid"])
        return row

    @staticmethod
    def _story_time(value: Any) -> Any:
        """An aware datetime (stored times are UTC) from either backend, or None."""
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    # === end of stories ================================================================


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's stats hold datetimes; keep them as ISO strings."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in stats.items()}


def _first(row: Sequence[Any] | None) -> Any:
    return None if row is None else row[0]


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _now() -> str:
    return datetime.now(UTC).isoformat()
