"""The `stories` and `threads` tables (migrations 0005, 0010) and the articles' meanings
(0014): the `stories` stage's reads and writes (pipelines/stories, docs/stories.md) and
the app's reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from pipelines.storage.dialect import Dialect, aware, chunks, dicts, first, marks, utc_now
from pipelines.storage.merged_ids import live_story_id


class StoryQueries(Dialect):
    def unassigned_articles(self, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Articles in no story yet that can be placed, by id from `after_id`: those with
        English, and near-duplicates (they follow their original's story).

        `seen_at` is the published time, else the fetch time; `original_story` the story
        of the article a near-duplicate copies, if it has one yet.
        """
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT a.id, a.country, a.title_en, a.text_en, a.meaning, a.title_meaning,"
                " COALESCE(a.published_at, a.fetched_at) AS seen_at, a.duplicate_of,"
                " o.story_id AS original_story"
                " FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of"
                " WHERE a.story_id IS NULL AND a.id > ?"
                " AND (a.text_en IS NOT NULL OR a.duplicate_of IS NOT NULL)"
                " ORDER BY a.id LIMIT ?",
                (after_id, limit),
            )
            rows = dicts(cursor)
        for row in rows:
            row["seen_at"] = aware(row["seen_at"])
        return rows

    def save_meanings(self, meanings: Sequence[tuple[int, str, str]]) -> None:
        """Keep articles' meanings: (article id, meaning, title's meaning), packed."""
        with self.transaction() as tx:
            tx.executemany(
                "UPDATE articles SET meaning = ?, title_meaning = ? WHERE id = ?",
                [(meaning, title_meaning, article_id)
                 for article_id, meaning, title_meaning in meanings],
            )  # fmt: skip

    def title_meaning(self, article_id: int) -> str | None:
        """An article's kept title meaning (packed), if it has one."""
        with self.transaction() as tx:
            cursor = tx.execute("SELECT title_meaning FROM articles WHERE id = ?", (article_id,))
            return first(cursor.fetchone())

    def stories_in_window(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Stories with coverage between the two moments, centroids included."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, first_seen, last_seen, title, article_id, countries, article_count,"
                " centroid, version, thread_id FROM stories"
                " WHERE last_seen >= ? AND first_seen <= ?",
                (self.adapt("last_seen", since), self.adapt("first_seen", until)),
            )
            return [self._story(row) for row in dicts(cursor)]

    def save_stories(
        self, stories: list[dict[str, Any]], merged: list[dict[str, Any]] | None = None
    ) -> list[int] | None:
        """Insert the new stories (id None), update the others, and set `story_id` on the
        articles each one gained (`articles`). Returns the stories' ids, in order.

        `merged` ({id, version, into}, in the order they merged): stored stories merged
        into a larger one of their event (migration 0011): their articles move to it,
        the merge is recorded in `story_merges` (a link to the old id still finds the
        story) and their row is deleted.

        Nothing is written, and None returned, when another run has meanwhile placed one
        of these articles or saved one of these stories (its `version` moved on): the
        caller's view is stale. Exclusive, so the check and the writes see the same rows.
        """
        placed = [article for story in stories for article in story["articles"]]
        known = {story["id"]: story["version"] for story in stories if story["id"] is not None}
        merged = merged or []
        known.update({story["id"]: story["version"] for story in merged})
        now = utc_now()
        with self.transaction(exclusive=True) as tx:
            for chunk in chunks(placed):
                taken = tx.execute(
                    f"SELECT COUNT(*) FROM articles WHERE story_id IS NOT NULL"
                    f" AND id IN ({marks(chunk)})",
                    chunk,
                ).fetchone()
                if first(taken):
                    return None
            if _versions_moved(tx, "stories", known):
                return None
            new_id = self._new_story_id(tx)
            saved = []
            updates: list[list[Any]] = []
            placements: list[tuple[int, int]] = []
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
                    story_id = first(
                        tx.execute(
                            "INSERT INTO stories (id, first_seen, last_seen, title, article_id,"
                            " countries, country_count, article_count, centroid, updated_at)"
                            f" VALUES ({new_id}, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            values,
                        ).fetchone()
                    )
                else:
                    story_id = story["id"]
                    updates.append([*values, story_id])
                placements += [(story_id, article) for article in story["articles"]]
                saved.append(int(story_id))
            # In one batch each: a round trip per story was a tenth of a run's time.
            tx.executemany(
                "UPDATE stories SET first_seen = ?, last_seen = ?, title = ?,"
                " article_id = ?, countries = ?, country_count = ?, article_count = ?,"
                " centroid = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                updates,
            )
            tx.executemany("UPDATE articles SET story_id = ? WHERE id = ?", placements)
            for story in merged:
                self._merge_story(tx, story["id"], story["into"], now)
        return saved

    def _new_story_id(self, tx: Any) -> str:
        """A new story's id: PostgreSQL's identity never hands out an id twice; SQLite
        would reuse the highest id once its row is deleted (a merged story's, 0011), so
        the new id is past the merged ones too."""
        if self.name != "sqlite":
            return "DEFAULT"
        if not self.has_table(tx, "story_merges"):  # a schema before 0011
            return "NULL"
        return (
            "(SELECT MAX(COALESCE((SELECT MAX(id) FROM stories), 0),"
            " COALESCE((SELECT MAX(story_id) FROM story_merges), 0)) + 1)"
        )

    def _merge_story(self, tx: Any, story_id: int, into: int, now: Any) -> None:
        tx.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into, story_id))
        # Stories merged into this one earlier now point at the one that stays.
        tx.execute(
            "UPDATE story_merges SET merged_into = ? WHERE merged_into = ?", (into, story_id)
        )
        tx.execute(
            "INSERT INTO story_merges (story_id, merged_into, merged_at) VALUES (?, ?, ?)",
            (story_id, into, now),
        )
        tx.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def merged_story(self, story_id: int) -> int | None:
        """The story a merged story's reports are in now (None if it was never merged).
        The app's reads map ids the same way (`ReadQueries.resolve_story`)."""
        with self.transaction() as tx:
            live = live_story_id(tx, story_id)
        return None if live == story_id else live

    def place_copies(self, placements: list[tuple[int, int]]) -> None:
        """(article id, story id) pairs for near-duplicates, which join their original's
        story without counting as coverage of their own. Placed articles are left alone."""
        with self.transaction() as tx:
            tx.executemany(
                "UPDATE articles SET story_id = ? WHERE id = ? AND story_id IS NULL",
                [(story_id, article_id) for article_id, story_id in placements],
            )

    def unthreaded_stories(self, limit: int) -> list[dict[str, Any]]:
        """Stories the thread step has not looked at yet (`stories_unthreaded`)."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, first_seen, last_seen, title, article_id, countries, article_count,"
                " centroid, version, thread_id FROM stories WHERE thread_checked = ?"
                " ORDER BY id LIMIT ?",
                (self.adapt("thread_checked", False), limit),
            )
            return [self._story(row) for row in dicts(cursor)]

    def threads_in_window(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Threads with a story between the two moments, centroids included."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, first_seen, last_seen, title, story_count, centroid, version"
                " FROM threads WHERE last_seen >= ? AND first_seen <= ?",
                (self.adapt("last_seen", since), self.adapt("first_seen", until)),
            )
            rows = dicts(cursor)
        for row in rows:
            for column in ("first_seen", "last_seen"):
                row[column] = aware(row[column])
            if isinstance(row["centroid"], str):
                row["centroid"] = orjson.loads(row["centroid"])
        return rows

    def save_threads(self, threads: list[dict[str, Any]], checked: list[int]) -> bool:
        """Insert the new threads (id None), update the others, set `thread_id` on the
        stories each one gained (`stories`), and mark the `checked` stories looked at.

        Nothing is written, and False returned, when another run has meanwhile looked
        at one of these stories or saved one of these threads.
        """
        known = {thread["id"]: thread["version"] for thread in threads if thread["id"]}
        now = utc_now()
        with self.transaction(exclusive=True) as tx:
            for chunk in chunks(checked):
                done = tx.execute(
                    f"SELECT COUNT(*) FROM stories WHERE thread_checked = ?"
                    f" AND id IN ({marks(chunk)})",
                    [self.adapt("thread_checked", True), *chunk],
                ).fetchone()
                if first(done):
                    return False
            if _versions_moved(tx, "threads", known):
                return False
            for thread in threads:
                values = [
                    self.adapt("first_seen", thread["first_seen"]),
                    self.adapt("last_seen", thread["last_seen"]),
                    thread["title"],
                    thread["story_count"],
                    self.adapt("centroid", thread["centroid"]),
                    now,
                ]
                if thread["id"] is None:
                    thread_id = first(
                        tx.execute(
                            "INSERT INTO threads (first_seen, last_seen, title, story_count,"
                            " centroid, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            values,
                        ).fetchone()
                    )
                else:
                    thread_id = thread["id"]
                    tx.execute(
                        "UPDATE threads SET first_seen = ?, last_seen = ?, title = ?,"
                        " story_count = ?, centroid = ?, updated_at = ?,"
                        " version = version + 1 WHERE id = ?",
                        [*values, thread_id],
                    )
                for chunk in chunks(thread["stories"]):
                    tx.execute(
                        # A new version: an export from a cursor sends the story again.
                        "UPDATE stories SET thread_id = ?, version = version + 1,"
                        f" updated_at = ? WHERE id IN ({marks(chunk)})",
                        [thread_id, self.adapt("updated_at", now), *chunk],
                    )
            for chunk in chunks(checked):
                tx.execute(
                    f"UPDATE stories SET thread_checked = ? WHERE id IN ({marks(chunk)})",
                    [self.adapt("thread_checked", True), *chunk],
                )
        return True

    def _story(self, row: dict[str, Any]) -> dict[str, Any]:
        """Same shapes from every backend: times aware datetimes, countries a list."""
        for column in ("first_seen", "last_seen"):
            row[column] = aware(row[column])
        row["countries"] = [code for code in row["countries"].split(",") if code]
        if isinstance(row.get("centroid"), str):
            row["centroid"] = orjson.loads(row["centroid"])
        return row


def _versions_moved(tx: Any, table: str, known: dict[int, int]) -> bool:
    """Whether another run saved one of these rows (`stories` or `threads`) since they
    were read at the versions in `known`, or deleted one (a story merged into another):
    the optimistic check before a save."""
    for chunk in chunks(list(known)):
        cursor = tx.execute(f"SELECT id, version FROM {table} WHERE id IN ({marks(chunk)})", chunk)
        rows = cursor.fetchall()
        if len(rows) < len(chunk) or any(known[row[0]] != row[1] for row in rows):
            return True
    return False
