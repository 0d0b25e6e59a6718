"""The translation tables: the segment cache (`translations`), the daily character
budgets (`translation_usage`), and articles whose translation is still pending."""

from __future__ import annotations

from typing import Any

from pipelines.storage.dialect import Dialect, chunks, dicts, marks, utc_now


class TranslationQueries(Dialect):
    def cached_translations(
        self, text_hashes: list[str], source: str, target: str
    ) -> dict[str, str]:
        """Translations already made for these segment hashes, by any provider."""
        found: dict[str, str] = {}
        with self.transaction() as tx:
            for chunk in chunks(text_hashes):
                cursor = tx.execute(
                    "SELECT text_hash, translated FROM translations WHERE source = ? AND"
                    f" target = ? AND text_hash IN ({marks(chunk)})",
                    [source, target, *chunk],
                )
                found.update((row[0], row[1]) for row in cursor.fetchall())
        return found

    def save_translations(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """(text_hash, source, target, provider, translated) rows; known ones are kept."""
        now = utc_now()
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
            return dicts(cursor)

    def claim_pending(
        self, token: str, source: str | None, limit: int, stale_before: str, after_id: int = 0
    ) -> list[dict[str, Any]]:
        """Claim up to `limit` pending articles after `after_id` for the run `token`, oldest
        first: those no one claimed, or whose claim is older than `stale_before` (a run
        that died). The exclusive transaction makes two runs' claims one after the other."""
        clause = "translation_status = 'pending' AND id > ? AND (translation_claim IS NULL" \
            " OR translation_claimed_at < ?)" + (" AND source = ?" if source else "")  # fmt: skip
        params: list[Any] = [after_id, stale_before, *([source] if source else []), limit]
        with self.transaction(exclusive=True) as tx:
            ids = [
                row[0]
                for row in tx.execute(
                    f"SELECT id FROM articles WHERE {clause} ORDER BY id LIMIT ?", params
                ).fetchall()
            ]
            if not ids:
                return []
            tx.execute(
                "UPDATE articles SET translation_claim = ?, translation_claimed_at = ?"
                f" WHERE id IN ({marks(ids)})",
                [token, utc_now(), *ids],
            )
            cursor = tx.execute(
                "SELECT id, source, language, title, text FROM articles"
                f" WHERE id IN ({marks(ids)}) ORDER BY id",
                ids,
            )
            return dicts(cursor)

    def release_claims(self, token: str) -> None:
        """Give back what the run `token` claimed and did not finish."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE articles SET translation_claim = NULL, translation_claimed_at = NULL"
                " WHERE translation_claim = ?",
                (token,),
            )

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
                " translator = ?, translation_error = ?, translation_claim = NULL,"
                " translation_claimed_at = NULL, meaning = NULL, title_meaning = NULL"
                " WHERE id = ?",
                (title_en, text_en, status, translator, error, article_id),
            )
