"""What `scrapy export` reads (articles, stories, a country's feed) and its cursors
(`export_cursors`, `export_waiting`, `export_story_versions`; migration 0009).

Articles are read in id order: ids are given under the article write lock, so they grow
in the order writes commit and "ids above the cursor" is exactly "stored since".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.storage.dialect import Dialect, aware, chunks, dicts, first, marks, utc_now
from pipelines.storage.read_queries import FeedArticle, feed_article, feed_select

PAGE = 500  # rows per read: an export of the whole archive streams in pages

EXPORT_ARTICLE_COLUMNS = (
    "id", "source", "country", "url", "canonical_url", "language", "title", "title_en",
    "description", "text", "text_en", "translation_status", "translator", "authors",
    "section", "image_url", "published_at", "fetched_at", "word_count", "duplicate_of",
    "story_id",
)  # fmt: skip

ARTICLES_SELECT = (
    f"SELECT {', '.join('a.' + column for column in EXPORT_ARTICLE_COLUMNS)}, s.ownership"
    " FROM articles a LEFT JOIN sources s ON s.name = a.source"
)

STORY_COLUMNS = (
    "id", "title", "article_id", "first_seen", "last_seen", "countries", "country_count",
    "article_count", "thread_id", "version", "updated_at",
)  # fmt: skip


# `export_story_versions.version` of a story the cursor wrote as merged away (its merged
# line): stories' versions start at 1, so it never stands for a version of a live story.
MERGED_VERSION = 0


class CursorConflict(Exception):
    """The cursor moved while this run read: another export with the same cursor ran."""


@dataclass(frozen=True)
class ExportCursor:
    name: str
    kind: str  # articles | stories | feed
    country: str | None
    last_id: int  # articles, feed: highest article id looked at
    last_change: datetime | None  # stories: latest updated_at exported
    runs: int


class ExportQueries(Dialect):
    # --- articles -------------------------------------------------------------------

    def max_article_id(self) -> int:
        with self.transaction() as tx:
            return int(first(tx.execute("SELECT MAX(id) FROM articles").fetchone()) or 0)

    def export_articles(
        self,
        after_id: int,
        until_id: int,
        *,
        fetched: tuple[datetime, datetime] | None = None,
    ) -> list[dict[str, Any]]:
        """Up to PAGE articles with ids in (after_id, until_id], by id; `fetched`: only
        those fetched in [since, until)."""
        where, params = self._id_range(after_id, until_id, fetched, alias="a.")
        with self.transaction() as tx:
            cursor = tx.execute(
                f"{ARTICLES_SELECT} WHERE {where} ORDER BY a.id LIMIT ?",
                [*params, PAGE],
            )
            return [self._export_article(row) for row in dicts(cursor)]

    def export_articles_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        with self.transaction() as tx:
            for chunk in chunks(list(ids)):
                cursor = tx.execute(
                    f"{ARTICLES_SELECT} WHERE a.id IN ({marks(chunk)})",
                    chunk,
                )
                found += [self._export_article(row) for row in dicts(cursor)]
        return sorted(found, key=lambda row: row["id"])

    def export_feed(
        self,
        country: str,
        after_id: int,
        until_id: int,
        *,
        fetched: tuple[datetime, datetime] | None = None,
    ) -> list[FeedArticle]:
        """Up to PAGE lines of the country's feed (folded) with ids in (after_id,
        until_id], by id; `fetched`: only articles fetched in [since, until)."""
        where, params = self._id_range(after_id, until_id, fetched, alias="a.")
        with self.transaction() as tx:
            cursor = tx.execute(
                feed_select(f"a.country = ? AND {where}", "a.id"), [country, *params, PAGE]
            )
            return [feed_article(row) for row in dicts(cursor)]

    def export_feed_by_id(self, country: str, ids: Sequence[int]) -> list[FeedArticle]:
        found: list[FeedArticle] = []
        with self.transaction() as tx:
            for chunk in chunks(list(ids)):
                cursor = tx.execute(
                    feed_select(f"a.country = ? AND a.id IN ({marks(chunk)})", "a.id"),
                    [country, *chunk, len(chunk)],
                )
                found += [feed_article(row) for row in dicts(cursor)]
        return sorted(found, key=lambda row: row.id)

    def _id_range(
        self, after_id: int, until_id: int, fetched: tuple[datetime, datetime] | None, alias: str
    ) -> tuple[str, list[Any]]:
        where = f"{alias}id > ? AND {alias}id <= ?"
        params: list[Any] = [after_id, until_id]
        if fetched is not None:
            where += f" AND {alias}fetched_at >= ? AND {alias}fetched_at < ?"
            params += [self.adapt("fetched_at", moment) for moment in fetched]
        return where, params

    def _export_article(self, row: dict[str, Any]) -> dict[str, Any]:
        if isinstance(row["authors"], str):
            row["authors"] = json.loads(row["authors"])
        for column in ("published_at", "fetched_at"):
            row[column] = aware(row[column])
        return row

    # --- stories --------------------------------------------------------------------

    def export_stories(
        self, after_id: int, since: datetime, until: datetime
    ) -> list[dict[str, Any]]:
        """Up to PAGE stories with coverage in [since, until) and an id above `after_id`,
        by id, each with its articles' ids."""
        with self.transaction() as tx:
            cursor = tx.execute(
                f"SELECT {', '.join(STORY_COLUMNS)} FROM stories"
                " WHERE id > ? AND last_seen >= ? AND first_seen < ? ORDER BY id LIMIT ?",
                (
                    after_id,
                    self.adapt("last_seen", since),
                    self.adapt("first_seen", until),
                    PAGE,
                ),
            )
            return self._with_members(tx, dicts(cursor))

    def story_changes(self, since: datetime | None) -> list[tuple[int, int, datetime]]:
        """(id, version, updated_at) of the stories saved since a moment (all: None),
        oldest change first."""
        where, params = ("WHERE updated_at >= ?", [self.adapt("updated_at", since)])
        if since is None:
            where, params = "", []
        with self.transaction() as tx:
            cursor = tx.execute(
                f"SELECT id, version, updated_at FROM stories {where} ORDER BY updated_at, id",
                params,
            )
            return [
                (int(row[0]), int(row[1]), aware(row[2]) or datetime.min)
                for row in cursor.fetchall()
            ]

    def story_merges_since(self, since: datetime | None) -> list[tuple[int, int, datetime]]:
        """(merged story's id, the live story its reports are in, merged_at) of the merges
        recorded since a moment (all: None), oldest first (`story_merges`, 0011)."""
        where, params = ("WHERE merged_at >= ?", [self.adapt("merged_at", since)])
        if since is None:
            where, params = "", []
        with self.transaction() as tx:
            cursor = tx.execute(
                f"SELECT story_id, merged_into, merged_at FROM story_merges {where}"
                " ORDER BY merged_at, story_id",
                params,
            )
            return [
                (int(row[0]), int(row[1]), aware(row[2]) or datetime.min)
                for row in cursor.fetchall()
            ]

    def export_stories_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        with self.transaction() as tx:
            for chunk in chunks(list(ids)):
                cursor = tx.execute(
                    f"SELECT {', '.join(STORY_COLUMNS)} FROM stories WHERE id IN ({marks(chunk)})",
                    chunk,
                )
                found += self._with_members(tx, dicts(cursor))
        return found

    def _with_members(self, tx: Any, stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
        members: dict[int, list[int]] = {int(story["id"]): [] for story in stories}
        for chunk in chunks(list(members)):
            cursor = tx.execute(
                f"SELECT story_id, id FROM articles WHERE story_id IN ({marks(chunk)}) ORDER BY id",
                chunk,
            )
            for story_id, article_id in cursor.fetchall():
                members[int(story_id)].append(int(article_id))
        for story in stories:
            story["countries"] = [code for code in story["countries"].split(",") if code]
            for column in ("first_seen", "last_seen", "updated_at"):
                story[column] = aware(story[column])
            story["articles"] = members[int(story["id"])]
        return stories

    # --- cursors --------------------------------------------------------------------

    def export_cursor(self, name: str) -> ExportCursor | None:
        with self.transaction() as tx:
            row = tx.execute(
                "SELECT name, kind, country, last_id, last_change, runs FROM export_cursors"
                " WHERE name = ?",
                (name,),
            ).fetchone()
        if row is None:
            return None
        return ExportCursor(row[0], row[1], row[2], int(row[3]), aware(row[4]), int(row[5]))

    def waiting_articles(self, name: str) -> list[int]:
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT article_id FROM export_waiting WHERE cursor_name = ? ORDER BY article_id",
                (name,),
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def exported_versions(self, name: str, story_ids: Sequence[int]) -> dict[int, int]:
        versions: dict[int, int] = {}
        with self.transaction() as tx:
            for chunk in chunks(list(story_ids)):
                cursor = tx.execute(
                    "SELECT story_id, version FROM export_story_versions"
                    f" WHERE cursor_name = ? AND story_id IN ({marks(chunk)})",
                    [name, *chunk],
                )
                versions.update({int(row[0]): int(row[1]) for row in cursor.fetchall()})
        return versions

    def advance_cursor(
        self,
        cursor: ExportCursor,
        previous_runs: int | None,
        *,
        waiting: Sequence[int] = (),
        versions: dict[int, int] | None = None,
    ) -> None:
        """Store where a run stopped: the cursor's position, the articles still waiting
        (replacing the old list), the story versions it exported. `previous_runs` is the
        run count the run started from (None: a new cursor); if another run moved the
        cursor meanwhile, nothing is written and CursorConflict is raised."""
        now = utc_now()
        change = cursor.last_change and self.adapt("last_change", cursor.last_change)
        with self.transaction(exclusive=True) as tx:
            if previous_runs is None:
                taken = tx.execute(
                    "SELECT 1 FROM export_cursors WHERE name = ?", (cursor.name,)
                ).fetchone()
                if taken:
                    raise CursorConflict(cursor.name)
                tx.execute(
                    "INSERT INTO export_cursors"
                    " (name, kind, country, last_id, last_change, runs, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, 1, ?)",
                    (cursor.name, cursor.kind, cursor.country, cursor.last_id, change, now),
                )
            else:
                moved = tx.execute(
                    "UPDATE export_cursors SET last_id = ?, last_change = ?, runs = runs + 1,"
                    " updated_at = ? WHERE name = ? AND runs = ? RETURNING name",
                    (cursor.last_id, change, now, cursor.name, previous_runs),
                ).fetchone()
                if moved is None:
                    raise CursorConflict(cursor.name)
            tx.execute("DELETE FROM export_waiting WHERE cursor_name = ?", (cursor.name,))
            tx.executemany(
                "INSERT INTO export_waiting (cursor_name, article_id) VALUES (?, ?)",
                [(cursor.name, article_id) for article_id in waiting],
            )
            tx.executemany(
                "INSERT INTO export_story_versions (cursor_name, story_id, version)"
                " VALUES (?, ?, ?) ON CONFLICT (cursor_name, story_id)"
                " DO UPDATE SET version = excluded.version",
                [(cursor.name, story, version) for story, version in (versions or {}).items()],
            )
