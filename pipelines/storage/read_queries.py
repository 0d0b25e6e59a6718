"""The app's read model: the panel queries, the same on SQLite and PostgreSQL.

Each panel is one method returning typed rows (docs/schema.md shows every column and an
example). The indexes they read are in migration 0009 (`0009_read_model.sql`).

- `country_feed`: a country's newest articles, in English where they are translated.
- `alternative_takes`: the other sources' coverage of an article's story.
- `current_take`: the stories of the last hours, ranked by the countries covering them.
- `globe`: per country, articles of the last 24 h and 7 days, sources, quiet or not.
- `ongoing_updates`: a thread's event stories in time order (threads: docs/stories.md).
- `story`, `resolve_story`: one story by an id the app holds, merged ids mapped to the
  story their reports are in now (`merged_ids.py`): the one way in by story id.

Times are ISO text on SQLite and timestamptz on PostgreSQL; both come back as aware UTC
datetimes. Near-duplicates (`duplicate_of` set) are folded: see `FOLDED` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pipelines.storage.dialect import Dialect, aware, chunks, dicts, marks
from pipelines.storage.merged_ids import live_story_id

EXCERPT_CHARS = 220  # the feed's excerpt: about two lines under a title
_LEAD_CHARS = EXCERPT_CHARS + 60  # read a little more, to cut at a word

SEEN = "COALESCE(a.published_at, a.fetched_at)"  # the feed's order: articles_feed's key

# A row of country C is shown unless an earlier article of C (a smaller id: stored
# first) holds the same text: its original, or an earlier copy of that original. So each
# text appears once per country, as the country's first copy of it.
FOLDED = (
    "a.duplicate_of IS NOT NULL AND EXISTS (SELECT 1 FROM articles b"
    " WHERE b.country = a.country AND b.id < a.id"
    " AND (b.id = a.duplicate_of OR b.duplicate_of = a.duplicate_of))"
)
# How many later copies of the row's text the country's feed folds into it.
COPIES = (
    "(SELECT COUNT(*) FROM articles c WHERE c.duplicate_of = COALESCE(a.duplicate_of, a.id)"
    " AND c.country = a.country AND c.id > a.id)"
)


@dataclass(frozen=True)
class FeedArticle:
    """One line of a country's feed."""

    id: int
    title: str  # English; the original title while the translation is pending
    excerpt: str  # the text's start, in the same language as `title`
    translated: bool  # False: `title` and `excerpt` are still in `language`
    title_original: str
    source: str
    ownership: str | None
    language: str | None  # the original's, ISO 639-1
    url: str
    image_url: str | None
    published_at: datetime | None
    seen_at: datetime  # published, else fetched: the feed's order and `before` position
    story_id: int | None
    copy_of: int | None  # a copy of this article (first stored in another country)
    copies: int  # later copies of the same text in this country, folded into this line


@dataclass(frozen=True)
class AlternativeTake:
    """Another source's report of the same story."""

    id: int
    title: str  # English (a story's reports all have it)
    source: str
    country: str
    ownership: str | None
    language: str | None
    url: str
    published_at: datetime | None
    same_country: bool  # listed after every other country's


@dataclass(frozen=True)
class CountryCoverage:
    """One country's reports of a story: how many, and the first one's headline."""

    country: str
    articles: int
    headline: str
    source: str
    article_id: int


@dataclass(frozen=True)
class CurrentStory:
    """A story of "the world's current take" (and an event of "ongoing updates")."""

    id: int
    title: str
    article_id: int
    country_count: int
    source_count: int
    first_seen: datetime
    last_seen: datetime
    countries: list[CountryCoverage]  # most reports first, then by country code


@dataclass(frozen=True)
class OngoingThread:
    """ "Ongoing updates": a long-running story's events, oldest first."""

    id: int
    title: str  # its first event's title
    first_seen: datetime
    last_seen: datetime
    events: list[CurrentStory]


@dataclass(frozen=True)
class GlobeCountry:
    """A country on the globe."""

    country: str
    articles_24h: int  # fetched in the last 24 hours
    articles_7d: int  # fetched in the last 7 days
    sources: int  # enabled sources
    quiet: bool  # it has enabled sources but no article in 24 h


class ReadQueries(Dialect):
    def country_feed(
        self, country: str, limit: int = 30, before: FeedArticle | None = None
    ) -> list[FeedArticle]:
        """The country's newest articles, folded (one line per text), newest first.

        `before`: the last line of the previous page; the page after it follows.
        """
        params: list[Any] = [country]
        after = ""
        if before is not None:
            after = f" AND ({SEEN} < ? OR ({SEEN} = ? AND a.id < ?))"
            seen = self.adapt("published_at", before.seen_at)
            params += [seen, seen, before.id]
        with self.transaction() as tx:
            cursor = tx.execute(
                feed_select(f"a.country = ?{after}", f"{SEEN} DESC, a.id DESC"), [*params, limit]
            )
            rows = dicts(cursor)
        return [feed_article(row) for row in rows]

    def alternative_takes(self, article_id: int) -> list[AlternativeTake]:
        """The other sources' reports of the article's story: each source's first
        original report (copies of a text are the same take), other countries first,
        then by time. Empty when the article is in no story."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT * FROM (SELECT b.id, COALESCE(b.title_en, b.title) AS title,"
                " b.source, b.country, s.ownership, b.language, b.url, b.published_at,"
                " COALESCE(b.published_at, b.fetched_at) AS seen_at,"
                " CASE WHEN b.country = a.country THEN 1 ELSE 0 END AS same_country,"
                " ROW_NUMBER() OVER (PARTITION BY b.source"
                "  ORDER BY COALESCE(b.published_at, b.fetched_at), b.id) AS nth"
                " FROM articles a JOIN articles b ON b.story_id = a.story_id"
                " LEFT JOIN sources s ON s.name = b.source"
                " WHERE a.id = ? AND b.source <> a.source AND b.duplicate_of IS NULL"
                " AND b.id <> COALESCE(a.duplicate_of, a.id)) takes"
                " WHERE nth = 1 ORDER BY same_country, seen_at, id",
                (article_id,),
            )
            rows = dicts(cursor)
        return [
            AlternativeTake(
                id=int(row["id"]),
                title=row["title"],
                source=row["source"],
                country=row["country"],
                ownership=row["ownership"],
                language=row["language"],
                url=row["url"],
                published_at=aware(row["published_at"]),
                same_country=bool(row["same_country"]),
            )
            for row in rows
        ]

    def current_take(
        self, hours: float = 24, limit: int = 20, now: datetime | None = None
    ) -> list[CurrentStory]:
        """The stories reported in the last `hours`, those covered by the most countries
        first, then by the most sources, then the latest. Only original reports count
        (a wire copy is not its outlet's own coverage), as in `stories.country_count`."""
        since = (now or datetime.now(UTC)) - timedelta(hours=hours)
        with self.transaction() as tx:
            # Ranked on the index alone (stories_recent): only the stories that can make
            # the list, those with as many countries as the limit-th one or more, have
            # their sources counted (articles_story_sources) and their rows read.
            cursor = tx.execute(
                "WITH recent AS (SELECT id, country_count, last_seen FROM stories"
                " WHERE last_seen >= ?) SELECT id, country_count, last_seen FROM recent"
                " WHERE country_count >= COALESCE((SELECT country_count FROM recent"
                " ORDER BY country_count DESC LIMIT 1 OFFSET ?), 0)",
                (self.adapt("last_seen", since), max(limit - 1, 0)),
            )
            candidates = [(int(row[0]), int(row[1]), aware(row[2])) for row in cursor.fetchall()]
            sources = self._source_counts(tx, [story for story, _, _ in candidates])
            ranked = sorted(
                candidates,
                key=lambda c: (-c[1], -sources.get(c[0], 0), -_required(c[2]).timestamp(), c[0]),
            )[:limit]
            chosen = [story for story, _, _ in ranked]
            return self._panel_stories(tx, chosen, sources)

    def _panel_stories(
        self, tx: Any, story_ids: list[int], sources: dict[int, int]
    ) -> list[CurrentStory]:
        """The stories as the panels show them, in the order of `story_ids`."""
        rows = {}
        for chunk in chunks(story_ids):
            cursor = tx.execute(
                "SELECT id, title, article_id, country_count, first_seen, last_seen"
                f" FROM stories WHERE id IN ({marks(chunk)})",
                chunk,
            )
            rows.update({int(row["id"]): row for row in dicts(cursor)})
        coverage = self._coverage(tx, story_ids)
        return [
            CurrentStory(
                id=story,
                title=rows[story]["title"],
                article_id=int(rows[story]["article_id"]),
                country_count=int(rows[story]["country_count"]),
                source_count=sources.get(story, 0),
                first_seen=_required(aware(rows[story]["first_seen"])),
                last_seen=_required(aware(rows[story]["last_seen"])),
                countries=coverage.get(story, []),
            )
            for story in story_ids
        ]

    def _source_counts(self, tx: Any, story_ids: list[int]) -> dict[int, int]:
        """Sources with an original report, per story."""
        counts: dict[int, int] = {}
        for chunk in chunks(story_ids):
            cursor = tx.execute(
                "SELECT story_id, COUNT(DISTINCT source) FROM articles"
                f" WHERE story_id IN ({marks(chunk)}) AND duplicate_of IS NULL GROUP BY story_id",
                chunk,
            )
            counts.update({int(row[0]): int(row[1]) for row in cursor.fetchall()})
        return counts

    def _coverage(self, tx: Any, story_ids: list[int]) -> dict[int, list[CountryCoverage]]:
        """Per story, its original reports counted per country, each country's first
        report as its headline."""
        if not story_ids:
            return {}
        cursor = tx.execute(
            "SELECT story_id, country, id, source, COALESCE(title_en, title) AS title"
            f" FROM articles WHERE story_id IN ({marks(story_ids)})"
            " AND duplicate_of IS NULL"
            " ORDER BY story_id, country, COALESCE(published_at, fetched_at), id",
            story_ids,
        )
        found: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for row in dicts(cursor):
            found.setdefault(int(row["story_id"]), {}).setdefault(row["country"], []).append(row)
        coverage: dict[int, list[CountryCoverage]] = {}
        for story_id, countries in found.items():
            rows = [
                CountryCoverage(
                    country=country,
                    articles=len(reports),
                    headline=reports[0]["title"],
                    source=reports[0]["source"],
                    article_id=int(reports[0]["id"]),
                )
                for country, reports in countries.items()
            ]
            coverage[story_id] = sorted(rows, key=lambda c: (-c.articles, c.country))
        return coverage

    def globe(self, now: datetime | None = None) -> list[GlobeCountry]:
        """Every country with an enabled source or an article this week, by code."""
        now = now or datetime.now(UTC)
        day, week = now - timedelta(hours=24), now - timedelta(days=7)
        window = [self.adapt("fetched_at", moment) for moment in (day, now, week, now)]
        with self.transaction() as tx:
            # Two index ranges per country (articles_country_fetched), no row read.
            cursor = tx.execute(
                "SELECT countries.country, countries.sources,"
                " (SELECT COUNT(*) FROM articles a WHERE a.country = countries.country"
                "  AND a.fetched_at >= ? AND a.fetched_at <= ?) AS day,"
                " (SELECT COUNT(*) FROM articles a WHERE a.country = countries.country"
                "  AND a.fetched_at >= ? AND a.fetched_at <= ?) AS week"
                " FROM (SELECT country, SUM(CASE WHEN enabled = ? THEN 1 ELSE 0 END) AS sources"
                "  FROM sources GROUP BY country) countries ORDER BY countries.country",
                [*window, self.adapt("enabled", True)],
            )
            rows = cursor.fetchall()
        # Articles come from synced sources only, so `sources` names every country that
        # has any; a country whose sources are all off shows while it has articles.
        return [
            GlobeCountry(
                country=country,
                articles_24h=int(day),
                articles_7d=int(week),
                sources=int(sources),
                quiet=int(sources) > 0 and int(day) == 0,
            )
            for country, sources, day, week in rows
            if int(sources) > 0 or int(week) > 0
        ]

    # --- one story, by an id the app holds ---------------------------------------

    def resolve_story(self, story_id: int) -> int | None:
        """The id to show for a story id the app cached (a panel's, an export line's, an
        article's `story_id`): itself while the story exists; for a story merged into an
        older one of its event, the story its reports are in now (following chains of
        merges); None for an id that was never a story."""
        with self.transaction() as tx:
            return live_story_id(tx, story_id)

    def story(self, story_id: int) -> CurrentStory | None:
        """One story as the current take shows it, by any id it ever had (a merged
        story's id gives the story it merged into: `resolve_story`); None for an id that
        was never a story."""
        with self.transaction() as tx:
            live = live_story_id(tx, story_id)
            if live is None:
                return None
            (found,) = self._panel_stories(tx, [live], self._source_counts(tx, [live]))
            return found

    # --- ongoing updates ------------------------------------------------------------

    def ongoing_updates(self, thread_id: int) -> OngoingThread | None:
        """A thread's event stories, oldest first (`stories_thread`), each as the current
        take shows a story; None for an unknown thread. A story's thread is its
        `stories.thread_id`."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, title, first_seen, last_seen FROM threads WHERE id = ?",
                (thread_id,),
            )
            found = dicts(cursor)
            if not found:
                return None
            cursor = tx.execute(
                "SELECT id FROM stories WHERE thread_id = ? ORDER BY first_seen, id",
                (thread_id,),
            )
            story_ids = [int(row[0]) for row in cursor.fetchall()]
            events = self._panel_stories(tx, story_ids, self._source_counts(tx, story_ids))
        (thread,) = found
        return OngoingThread(
            id=thread_id,
            title=thread["title"],
            first_seen=_required(aware(thread["first_seen"])),
            last_seen=_required(aware(thread["last_seen"])),
            events=events,
        )


def feed_select(where: str, order: str) -> str:
    """The feed's SELECT (rows for `feed_article`) of the articles `a` matching `where`,
    folded, in `order`, with a `LIMIT ?` last."""
    return (
        "SELECT a.id, a.title, a.title_en, a.translation_status, a.source,"
        " s.ownership, a.language, a.url, a.image_url, a.published_at,"
        f" {SEEN} AS seen_at, a.story_id, a.duplicate_of,"
        f" substr(COALESCE(a.text_en, a.text), 1, {_LEAD_CHARS}) AS lead,"
        f" {COPIES} AS copies"
        " FROM articles a LEFT JOIN sources s ON s.name = a.source"
        f" WHERE {where} AND NOT ({FOLDED}) ORDER BY {order} LIMIT ?"
    )


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text's first paragraph, cut at a word within `limit` characters."""
    lead = " ".join(text.strip().split("\n", 1)[0].split())
    if len(lead) <= limit:
        return lead
    cut = lead[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return cut + "…"


def _required(value: datetime | None) -> datetime:
    assert value is not None, "a NOT NULL time column came back empty"
    return value


def feed_article(row: dict[str, Any]) -> FeedArticle:
    """A row of `feed_select` as a feed line."""
    translated = row["title_en"] is not None and row["translation_status"] != "pending"
    return FeedArticle(
        id=int(row["id"]),
        title=row["title_en"] if translated else row["title"],
        excerpt=excerpt(row["lead"] or ""),
        translated=translated,
        title_original=row["title"],
        source=row["source"],
        ownership=row["ownership"],
        language=row["language"],
        url=row["url"],
        image_url=row["image_url"],
        published_at=aware(row["published_at"]),
        seen_at=_required(aware(row["seen_at"])),
        story_id=None if row["story_id"] is None else int(row["story_id"]),
        copy_of=None if row["duplicate_of"] is None else int(row["duplicate_of"]),
        copies=int(row["copies"]),
    )
