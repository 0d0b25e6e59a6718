"""The `stories` stage: place every article that has English in a story, incrementally.

Run after storing (`scrapy stories`, from cron after `crawlall` and `retranslate`). Each
run reads only the articles in no story yet (an index holds just those), a page at a
time; the articles of a page are placed oldest first, in groups spanning at most one
window, each group against the stories with coverage within a window of it. So a run
costs what its new articles cost, whatever the size of the archive.

Each article's meaning (embedding.py) is worked out once, before it is first placed,
and kept on its row: the model reads a report in ~15 ms, whatever the window holds, so
a run that stops before placing (a conflict) works out nothing twice.

Near-duplicates (`duplicate_of` set: the same wire copy) join their original's story
and count as no coverage of their own; one whose original is in no story yet waits.
A stored story that grew may merge into a larger story of its event
(StoryWindow.consolidate): saved with the rest, its articles move to the larger one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pipelines.stories import embedding
from pipelines.stories.features import features
from pipelines.stories.story import Story, StoryArticle
from pipelines.stories.window import StoryWindow

if TYPE_CHECKING:
    from pipelines.storage import SQLBackend

PAGE = 1000  # unassigned articles read at once


class StoryConflict(RuntimeError):
    """Another run placed some of these articles first."""


@dataclass
class Placed:
    articles: int = 0  # original reports placed
    stories: int = 0  # of which founded a story
    copies: int = 0  # near-duplicates placed with their original
    waiting: int = 0  # near-duplicates whose original is in no story yet
    merged: int = 0  # stored stories merged into a larger story of their event
    meanings: int = 0  # articles whose meaning was worked out (once each)

    def __str__(self) -> str:
        return (
            f"placed {self.articles} articles ({self.stories} new stories,"
            f" {self.articles - self.stories} joined one), {self.copies} copies;"
            f" {self.waiting} copies wait for their original; {self.merged} stories merged;"
            f" {self.meanings} meanings worked out"
        )


def place_articles(backend: SQLBackend, window: timedelta, page: int = PAGE) -> Placed:
    placed = Placed()
    after = 0
    while True:
        rows = backend.unassigned_articles(after, page)
        story_of: dict[int, int] = {}  # article -> story, for this page's copies
        originals = [row for row in rows if row["duplicate_of"] is None]
        placed.meanings += _keep_meanings(backend, originals)
        for group in _spans(originals, window):
            story_of.update(_place(backend, group, window, placed))
        _place_copies(backend, [row for row in rows if row["duplicate_of"]], story_of, placed)
        if len(rows) < page:
            return placed
        after = rows[-1]["id"]


def work_out_meanings(backend: SQLBackend, page: int = PAGE) -> int:
    """Work out and keep the meaning of every article waiting for a story that has none
    (placing does it too, a page at a time); how many were worked out."""
    count, after = 0, 0
    while True:
        rows = backend.unassigned_articles(after, page)
        count += _keep_meanings(backend, [row for row in rows if row["duplicate_of"] is None])
        if len(rows) < page:
            return count
        after = rows[-1]["id"]


def _keep_meanings(backend: SQLBackend, rows: list[dict[str, Any]]) -> int:
    """Work out the meanings the rows lack (their title and lead's, their title's alone),
    keep them, and set them on the rows."""
    missing = [row for row in rows
               if embedding.read(row["meaning"]) is None
               or embedding.read(row["title_meaning"]) is None]  # fmt: skip
    if not missing:
        return 0
    english = [(row["title_en"] or "", row["text_en"] or "") for row in missing]
    meanings = embedding.of_articles(english)
    # A headline alone's title meaning is its meaning already.
    title_meanings = list(meanings)
    reports = [n for n, (_, text) in enumerate(english) if text.split()]
    for n, meaning in zip(reports, embedding.embed([english[n][0] for n in reports]), strict=True):
        title_meanings[n] = meaning
    kept = []
    for row, meaning, title_meaning in zip(missing, meanings, title_meanings, strict=True):
        row["meaning"], row["title_meaning"] = (
            embedding.pack(meaning),
            embedding.pack(title_meaning),
        )
        kept.append((row["id"], row["meaning"], row["title_meaning"]))
    backend.save_meanings(kept)
    return len(kept)


def _spans(rows: list[dict[str, Any]], window: timedelta) -> Iterator[list[dict[str, Any]]]:
    """The rows by time, cut where a group would span more than one window: a backfill
    mixing years then reads a few windows of stories, not every year in between."""
    group: list[dict[str, Any]] = []
    for row in sorted(rows, key=lambda row: (row["seen_at"], row["id"])):
        if group and row["seen_at"] - group[0]["seen_at"] > window:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _place(
    backend: SQLBackend, rows: list[dict[str, Any]], window: timedelta, placed: Placed
) -> dict[int, int]:
    # The title's meaning alone chooses each story's representative.
    articles = [
        StoryArticle(row["id"], row["country"], row["title_en"] or "", row["seen_at"],
                     features(row["title_en"] or "", row["text_en"] or "",
                              embedding.read(row["meaning"])),
                     embedding.read(row["title_meaning"]))
        for row in rows
    ]  # fmt: skip
    start, end = articles[0].seen_at, articles[-1].seen_at
    stored = [_story(row) for row in backend.stories_in_window(start - window, end + window)]
    matcher = StoryWindow(
        stored, [article.features for article in articles], window,
        lambda article_id: embedding.read(backend.title_meaning(article_id)),
    )  # fmt: skip
    for article in articles:  # oldest first: a story grows as its coverage appeared
        matcher.place(article)
    matcher.second_look()
    merged = [
        {"id": story.id, "version": story.version, "into": kept.id}
        for story, kept in matcher.consolidate()
    ]
    changed = matcher.changed()
    ids = backend.save_stories([_record(story) for story in changed], merged)
    if ids is None:
        raise StoryConflict("another `scrapy stories` run placed these articles first")
    placed.articles += len(articles)
    placed.stories += sum(1 for story in changed if story.id is None)
    placed.merged += len(merged)
    return {article: story_id for story, story_id in zip(changed, ids, strict=True)
            for article in story.joined}  # fmt: skip


def _place_copies(
    backend: SQLBackend, rows: list[dict[str, Any]], story_of: dict[int, int], placed: Placed
) -> None:
    placements = []
    for row in rows:
        story_id = row["original_story"] or story_of.get(row["duplicate_of"])
        if story_id is None:
            placed.waiting += 1
        else:
            placements.append((row["id"], story_id))
    backend.place_copies(placements)
    placed.copies += len(placements)


def _story(row: dict[str, Any]) -> Story:
    centroid = row["centroid"]
    return Story(
        row["id"], row["first_seen"], row["last_seen"], row["title"], row["article_id"],
        # The row's own dicts: it is read for this story alone.
        set(row["countries"]), row["article_count"], centroid["terms"],
        centroid["entities"], row["version"],
        # Stories stored before titles' names were kept have none: the rule then skips.
        centroid.get("title_names", {}),
        title_terms=centroid.get("title_terms", {}),
        # Stories stored before this count are taken as full reports: the stricter rule.
        full_reports=centroid.get("full_reports", row["article_count"]),
        in_thread=row.get("thread_id") is not None,
        # Stories stored before meanings were kept have none: judged on words alone.
        meaning=embedding.stored(centroid),
        coverage_from=_moment(centroid.get("coverage_from")),
    )  # fmt: skip


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id, "version": story.version, "first_seen": story.first_seen,
        "last_seen": story.last_seen, "title": story.title, "article_id": story.article_id,
        "countries": story.countries, "article_count": story.article_count,
        "centroid": story.stored_vectors(), "articles": story.joined,
    }  # fmt: skip
