"""`scrapy export`'s work: which rows a run writes, as JSON Lines, and where a cursor stops.

Each line is one JSON object, its fields in a fixed order (docs/schema.md, "Export"), times
ISO 8601 in UTC. Rows come in id order (a cursor's stories: in the order they changed),
so the same rows always give the same bytes.

With a cursor, a run writes what is new since the cursor's previous run, then stores the
cursor; the lines are written before the cursor moves, so a run that dies part-way is
written again in full by the next (at least once; `id` identifies a row). What "new" is:

- articles, feed: an article is written once, when it is first seen with its
  translation done (or not needed). One still pending waits in `export_waiting` and is
  written by the first run that finds it translated. Later changes (it joins a story) are
  not written again: story membership is the stories export's.
- stories: a story is written when it is new or its `version` moved on (an article
  joined it) since the cursor wrote it; a story merged into an older one of its event
  (its row is gone) is written once as a merged line, `{"id", "merged_into",
  "merged_at"}`, among the others in the order of the changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from newsspiders.commands.exits import ConfigError
from pipelines.storage import SQLBackend
from pipelines.storage.export_queries import (
    EXPORT_ARTICLE_COLUMNS,
    MERGED_VERSION,
    STORY_COLUMNS,
    CursorConflict,
    ExportCursor,
)
from pipelines.storage.read_queries import FeedArticle

KINDS = ("articles", "stories", "feed")
# A story's `updated_at` is taken just before its save waits for the write lock, so a
# save can commit a little after a later-stamped one: each run looks this far back again
# (the versions already written are skipped).
STORY_OVERLAP = timedelta(minutes=10)

Write = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """What to export: a kind, and the country for a feed."""

    kind: str
    country: str | None = None


def article_line(row: dict[str, Any]) -> str:
    fields: dict[str, Any] = {}
    for column in EXPORT_ARTICLE_COLUMNS:
        fields[column] = row[column]
        if column == "country":
            fields["ownership"] = row["ownership"]
    return _line(fields)


def story_line(row: dict[str, Any]) -> str:
    return _line({**{column: row[column] for column in STORY_COLUMNS}, "articles": row["articles"]})


def merged_line(story_id: int, merged_into: int, merged_at: datetime) -> str:
    """A story merged into an older one of its event: its id is gone, its reports are
    in `merged_into`'s (docs/schema.md, "Export")."""
    return _line({"id": story_id, "merged_into": merged_into, "merged_at": merged_at})


def feed_line(country: str, row: FeedArticle) -> str:
    return _line({"country": country, **asdict(row)})


def _line(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


# --- a time range --------------------------------------------------------------------


def export_range(
    backend: SQLBackend, target: Target, since: datetime, until: datetime, write: Write
) -> int:
    """Rows of [since, until): articles (and feed lines) fetched in it, stories with
    coverage in it. Nothing is stored. The number of lines written."""
    written = 0
    after, top = 0, backend.max_article_id()
    while True:
        lines, last = _range_page(backend, target, after, top, since, until)
        if last is None:
            return written
        for line in lines:
            write(line)
        written += len(lines)
        after = last


def _range_page(
    backend: SQLBackend,
    target: Target,
    after: int,
    top: int,
    since: datetime,
    until: datetime,
) -> tuple[list[str], int | None]:
    if target.kind == "stories":
        stories = backend.export_stories(after, since, until)
        return [story_line(row) for row in stories], stories[-1]["id"] if stories else None
    if target.kind == "feed":
        assert target.country is not None
        feed = backend.export_feed(target.country, after, top, fetched=(since, until))
        return [feed_line(target.country, row) for row in feed], feed[-1].id if feed else None
    articles = backend.export_articles(after, top, fetched=(since, until))
    return [article_line(row) for row in articles], articles[-1]["id"] if articles else None


# --- from a cursor -------------------------------------------------------------------


def export_from_cursor(
    backend: SQLBackend,
    name: str,
    target: Target,
    write: Write,
    flush: Callable[[], None] = lambda: None,
) -> int:
    """What is new since the cursor's previous run (all, for a new cursor); then
    `flush` (the lines are safe), then the cursor moves. The number of lines written."""
    cursor = backend.export_cursor(name)
    if cursor is not None and (cursor.kind, cursor.country) != (target.kind, target.country):
        was = cursor.kind + (f" {cursor.country}" if cursor.country else "")
        raise ConfigError(f"cursor {name!r} exports {was}: use another cursor name")
    previous_runs = None if cursor is None else cursor.runs
    start = cursor or ExportCursor(name, target.kind, target.country, 0, None, 0)
    try:
        if target.kind == "stories":
            return _stories_since(backend, start, previous_runs, write, flush)
        return _articles_since(backend, start, previous_runs, write, flush)
    except CursorConflict:
        raise ConfigError(
            f"cursor {name!r} moved while this run read: another export uses it;"
            " its lines were written, run again to continue from where that one stopped"
        ) from None


def _articles_since(
    backend: SQLBackend,
    start: ExportCursor,
    previous_runs: int | None,
    write: Write,
    flush: Callable[[], None],
) -> int:
    top = backend.max_article_id()
    waiting: list[int] = []
    written = 0
    # Ids waiting from earlier runs all lie below the new ones: lines stay in id order.
    batches: Iterable[list[tuple[int, bool, str]]] = _article_batches(backend, start, top)
    for batch in batches:
        for article_id, ready, line in batch:
            if ready:
                write(line)
                written += 1
            else:
                waiting.append(article_id)
    moved = replace(start, last_id=max(top, start.last_id))
    flush()
    backend.advance_cursor(moved, previous_runs, waiting=waiting)
    return written


def _article_batches(
    backend: SQLBackend, start: ExportCursor, top: int
) -> Iterable[list[tuple[int, bool, str]]]:
    """(id, translated?, line) of the waiting articles, then of those stored since."""
    waiting = backend.waiting_articles(start.name)
    yield _article_rows(backend, start, by_id=waiting)
    after = start.last_id
    while True:
        batch = _article_rows(backend, start, after=after, top=top)
        if not batch:
            return
        yield batch
        after = batch[-1][0]


def _article_rows(
    backend: SQLBackend,
    start: ExportCursor,
    *,
    by_id: list[int] | None = None,
    after: int = 0,
    top: int = 0,
) -> list[tuple[int, bool, str]]:
    if start.kind == "feed":
        assert start.country is not None
        feed = (
            backend.export_feed_by_id(start.country, by_id)
            if by_id is not None
            else backend.export_feed(start.country, after, top)
        )
        return [(row.id, row.translated, feed_line(start.country, row)) for row in feed]
    articles = (
        backend.export_articles_by_id(by_id)
        if by_id is not None
        else backend.export_articles(after, top)
    )
    return [
        (row["id"], row["translation_status"] != "pending", article_line(row)) for row in articles
    ]


def _stories_since(
    backend: SQLBackend,
    start: ExportCursor,
    previous_runs: int | None,
    write: Write,
    flush: Callable[[], None],
) -> int:
    since = None if start.last_change is None else start.last_change - STORY_OVERLAP
    changes = backend.story_changes(since)
    merges = backend.story_merges_since(since)
    exported = backend.exported_versions(
        start.name, [story for story, _, _ in changes] + [story for story, _, _ in merges]
    )
    changed = [story for story, version, _ in changes if exported.get(story) != version]
    rows = {int(row["id"]): row for row in backend.export_stories_by_id(changed)}
    # One sequence in the order of the changes (time, then id): a story's save and the
    # merges it took in share a time. A story saved and then merged before this run
    # read it has no row: its merged line says where it went.
    lines = [(when, story, story_line(rows[story])) for story, _, when in changes if story in rows]
    lines += [
        (when, story, merged_line(story, into, when))
        for story, into, when in merges
        if exported.get(story) != MERGED_VERSION
    ]
    for _, _, line in sorted(lines, key=lambda item: (item[0], item[1])):
        write(line)
    last_change = max((when for _, _, when in [*changes, *merges]), default=start.last_change)
    moved = replace(start, last_change=last_change)
    versions = {story: int(row["version"]) for story, row in rows.items()}
    versions.update(
        {story: MERGED_VERSION for story, _, _ in merges if exported.get(story) != MERGED_VERSION}
    )
    flush()
    backend.advance_cursor(moved, previous_runs, versions=versions)
    return len(lines)
