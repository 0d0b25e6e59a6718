"""The `sources`, `articles`, `article_urls` and `article_bands` tables: storing articles
(each story once, near-copies marked) and reading them back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.dedup import fingerprints
from pipelines.storage.dialect import Dialect, Tx, chunks, dicts, first, marks, utc_now
from pipelines.storage.errors import SaveResult

ARTICLE_COLUMNS = (
    "source", "country", "url", "url_hash", "canonical_url", "title", "text", "language",
    "language_confidence", "title_en", "text_en", "translation_status", "translator",
    "translation_error", "published_at", "fetched_at", "authors", "section", "image_url",
    "description", "content_hash", "duplicate_of", "word_count",
)  # fmt: skip


@dataclass(frozen=True)
class SourceRow:
    """One source as the `sources` table keeps it."""

    name: str
    country: str
    languages: tuple[str, ...]
    homepage: str
    enabled: bool
    ownership: str | None = None


class ArticleQueries(Dialect):
    # --- sources ---------------------------------------------------------------

    def sync_sources(self, sources: Sequence[SourceRow]) -> None:
        rows = [
            (
                s.name,
                s.country,
                ",".join(s.languages),
                s.homepage,
                s.enabled,
                s.ownership,
                utc_now(),
            )
            for s in sources
        ]
        with self.transaction() as tx:
            tx.executemany(
                "INSERT INTO sources"
                " (name, country, languages, homepage, enabled, ownership, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                " country=excluded.country, languages=excluded.languages,"
                " homepage=excluded.homepage, enabled=excluded.enabled,"
                " ownership=excluded.ownership, updated_at=excluded.updated_at",
                rows,
            )

    # --- writes ----------------------------------------------------------------

    def known_urls(self, url_hashes: list[str]) -> set[str]:
        known: set[str] = set()
        with self.transaction() as tx:
            for chunk in chunks(url_hashes):
                cursor = tx.execute(
                    f"SELECT url_hash FROM article_urls WHERE url_hash IN ({marks(chunk)})", chunk
                )
                known.update(first(row) for row in cursor.fetchall())
        return known

    def find_article(self, url_hashes: list[str], content_hash: str) -> int | None:
        with self.transaction() as tx:
            return self._find_article(tx, url_hashes, content_hash)

    def _find_article(self, tx: Tx, url_hashes: list[str], content_hash: str) -> int | None:
        row = tx.execute(
            f"SELECT article_id FROM article_urls WHERE url_hash IN ({marks(url_hashes)}) LIMIT 1",
            url_hashes,
        ).fetchone()
        if row is None:
            row = tx.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return None if row is None else first(row)

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
                article_id = first(
                    tx.execute(
                        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)})"
                        f" VALUES ({marks(ARTICLE_COLUMNS)}) RETURNING id",
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
            f"  WHERE band_hash IN ({marks(bands)}) GROUP BY article_id"
            "  ORDER BY shared DESC LIMIT 5"
            ") c ON c.article_id = a.id WHERE a.duplicate_of IS NULL ORDER BY a.id",
            bands,
        ).fetchall()
        for candidate in candidates:
            candidate_id, candidate_text = candidate[0], candidate[1]
            if fingerprints.same_story(text, candidate_text):
                return int(candidate_id)
        return None

    def _insert_urls(self, tx: Tx, article_id: int, urls: dict[str, str]) -> None:
        tx.executemany(
            "INSERT INTO article_urls (url_hash, url, article_id) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(url_hash, url, article_id) for url_hash, url in urls.items()],
        )

    # --- reads -----------------------------------------------------------------

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
            return [self._article(row) for row in dicts(cursor)]

    def article_urls(self, article_id: int) -> list[str]:
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", (article_id,)
            )
            return [first(row) for row in cursor.fetchall()]

    def _article(self, row: dict[str, Any]) -> dict[str, Any]:
        """Same shapes from every backend: authors a list, times aware datetimes."""
        if isinstance(row.get("authors"), str):
            row["authors"] = json.loads(row["authors"])
        for column in ("published_at", "fetched_at"):
            if isinstance(row.get(column), str):
                row[column] = datetime.fromisoformat(row[column])
        return row
