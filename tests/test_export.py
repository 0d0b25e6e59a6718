"""`scrapy export`: JSON Lines of articles, stories or a country's feed, for a time range
or from a cursor, run as the real command after real crawls of the fixture sites."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsspiders.testing.sites import load_sites
from pipelines.storage import open_backend, prepare_schema
from pipelines.storage.export_queries import EXPORT_ARTICLE_COLUMNS, STORY_COLUMNS
from pipelines.storage.read_queries import FeedArticle
from tests.conftest import Project
from tests.story_merge import FIRST_ROUND, SECOND_ROUND, founded, store_round

SITES = load_sites()
DOWN = {"NEWS_LIBRETRANSLATE_URL": "http://127.0.0.1:9", "NEWS_TRANSLATE_BACKOFF": "0"}
ARTICLE_FIELDS = [*EXPORT_ARTICLE_COLUMNS[:3], "ownership", *EXPORT_ARTICLE_COLUMNS[3:]]
FEED_FIELDS = ["country", *FeedArticle.__dataclass_fields__]


def export(project: Project, *args: str) -> list[dict[str, Any]]:
    """The lines of one `scrapy export` run, through a file (-O) as a downstream job would.
    In this process: what the tests read is the lines; the process is tested below."""
    out = project.tmp / "export.jsonl"
    result = project.command("export", *args, "-O", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert f"exported {len(lines)} " in result.stderr
    return lines


def crawl(project: Project, source: str, **env: str) -> None:
    result = project.scrapy("crawl", source, **env)
    assert result.returncode == 0, result.stderr[-3000:]


def stored(project: Project, source: str) -> list[int]:
    return [
        row["id"]
        for row in project.rows("SELECT id FROM articles WHERE source = ? ORDER BY id", source)
    ]


@pytest.mark.each_backend
def test_articles_from_a_cursor_are_the_new_ones_only(project: Project) -> None:
    crawl(project, "lejournal")
    first = export(project, "articles", "--cursor", "app")
    assert [line["id"] for line in first] == stored(project, "lejournal")
    assert all(list(line) == ARTICLE_FIELDS for line in first)
    titles = {a.title_en for a in SITES["lejournal"].articles}
    assert all(line["title_en"] in titles and line["ownership"] == "private" for line in first)
    assert export(project, "articles", "--cursor", "app") == []  # nothing new

    # Pending translations wait; a later run writes them once translated.
    crawl(project, "alsabah", **DOWN)
    crawl(project, "lavoz")
    second = export(project, "articles", "--cursor", "app")
    assert [line["id"] for line in second] == stored(project, "lavoz")
    assert export(project, "feed", "EG", "--cursor", "egypt") == []
    assert project.command("retranslate").returncode == 0
    third = export(project, "articles", "--cursor", "app")
    assert [line["id"] for line in third] == stored(project, "alsabah")
    assert all(line["translation_status"] == "done" and line["title_en"] for line in third)
    egypt = export(project, "feed", "EG", "--cursor", "egypt")
    assert [line["id"] for line in egypt] == stored(project, "alsabah")
    assert all(list(line) == FEED_FIELDS and line["translated"] for line in egypt)
    assert export(project, "articles", "--cursor", "app") == []
    assert export(project, "feed", "EG", "--cursor", "egypt") == []

    # Another cursor starts from the beginning, and keeps to its kind.
    everything = export(project, "articles", "--cursor", "archive")
    assert [line["id"] for line in everything] == sorted(
        first_id["id"] for first_id in project.rows("SELECT id FROM articles")
    )
    wrong = project.scrapy("export", "stories", "--cursor", "archive")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "scrapy export: error: cursor 'archive' exports articles: use another cursor name"
    )


@pytest.mark.each_backend
def test_stories_from_a_cursor_are_the_new_and_changed_ones(project: Project) -> None:
    for source in ("lejournal", "vestnik"):
        crawl(project, source)
    assert project.command("stories").returncode == 0
    before = {row["id"]: row["version"] for row in project.rows("SELECT id, version FROM stories")}
    first = export(project, "stories", "--cursor", "s")
    assert sorted(line["id"] for line in first) == sorted(before)
    assert all(list(line) == [*STORY_COLUMNS, "articles"] for line in first)
    members = {
        row["id"]: row["story_id"] for row in project.rows("SELECT id, story_id FROM articles")
    }
    for line in first:
        assert line["articles"] == sorted(a for a, s in members.items() if s == line["id"])
    assert export(project, "stories", "--cursor", "s") == []

    # Japan's and Australia's reports join the earthquake story and found new ones.
    for source in ("nichinichi", "tribune"):
        crawl(project, source)
    assert project.command("stories").returncode == 0
    after = {row["id"]: row["version"] for row in project.rows("SELECT id, version FROM stories")}
    changed = {story for story, version in after.items() if before.get(story) != version}
    assert changed - set(after) == set() and set(before) & changed, "an old story grew"
    second = export(project, "stories", "--cursor", "s")
    assert sorted(line["id"] for line in second) == sorted(changed)
    assert all(line["version"] == after[line["id"]] for line in second)
    quake = max(second, key=lambda line: line["country_count"])
    assert quake["countries"] == ["AU", "FR", "JP", "RU"]
    assert export(project, "stories", "--cursor", "s") == []


MERGED_FIELDS = ["id", "merged_into", "merged_at"]


def changed_at(line: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(
        line["merged_at"] if "merged_into" in line else line["updated_at"]
    )


def store(project: Project, headlines: list[tuple[int, str, float]]) -> None:
    backend = open_backend(project.database_url)
    try:
        prepare_schema(backend)
        store_round(backend, headlines)
    finally:
        backend.close()


@pytest.mark.each_backend
def test_a_merged_story_is_one_merged_line_from_a_cursor(project: Project) -> None:
    """A story that merges into an older one of its event (tests/story_merge.py) is
    written once as a merged line, in the order of the changes, beside the new version of
    the story it merged into; a run within the look-back writes it no more; a time range
    writes the live stories only."""
    store(project, FIRST_ROUND)
    assert project.command("stories").returncode == 0
    ids = founded(project.database_url)
    first = export(project, "stories", "--cursor", "c")
    assert sorted(line["id"] for line in first) == sorted([ids.dam, ids.villagers, ids.summit])

    store(project, SECOND_ROUND)
    placed = project.command("stories")
    assert placed.returncode == 0 and "1 stories merged" in placed.stdout, placed.stdout
    second = export(project, "stories", "--cursor", "c")
    merged = [line for line in second if "merged_into" in line]
    assert merged == [
        {"id": ids.villagers, "merged_into": ids.dam, "merged_at": merged[0]["merged_at"]}
    ]
    assert list(merged[0]) == MERGED_FIELDS
    stories = [line for line in second if "merged_into" not in line]
    assert sorted(line["id"] for line in stories) == sorted([ids.dam, ids.summit])
    # The merged story's reports are the surviving story's now.
    (was,) = [line["articles"] for line in first if line["id"] == ids.villagers]
    (dam,) = [line for line in stories if line["id"] == ids.dam]
    assert set(was) < set(dam["articles"])
    # The cursor's order: by the time of the change, then by id.
    order = [(changed_at(line), line["id"]) for line in second]
    assert order == sorted(order)
    assert export(project, "stories", "--cursor", "c") == []  # within the look-back

    # A new cursor: every live story and the merged line, once each.
    late = export(project, "stories", "--cursor", "late")
    assert [line["id"] for line in late].count(ids.villagers) == 1
    assert [line for line in late if "merged_into" in line] == merged
    # A time range is the live stories with coverage in it: no merged line.
    ranged = [json.loads(line) for line in runs_of(project, "stories", "--since", "2020-01-01")]
    assert sorted(line["id"] for line in ranged) == sorted([ids.dam, ids.summit])


@pytest.mark.each_backend
def test_a_time_range_export_is_the_same_bytes_every_run(project: Project) -> None:
    crawl(project, "dailyherald")
    crawl(project, "gazette")
    assert project.command("stories").returncode == 0
    for what in (["articles"], ["stories"], ["feed", "us"]):
        # A new process, then this one: two hash seeds, so an order resting on a set's or
        # a dict's iteration would show.
        runs = []
        for run in (project.scrapy, project.command):
            result = run("export", *what, "--since", "2020-01-01")
            assert result.returncode == 0, result.stderr[-2000:]
            runs.append(result.stdout)
        assert runs[0] == runs[1] and runs[0].count("\n") > 0, what
    articles = [json.loads(line) for line in runs_of(project, "articles", "--since", "2020-01-01")]
    assert {line["source"] for line in articles} == {"dailyherald", "gazette"}
    feed = [json.loads(line) for line in runs_of(project, "feed", "US", "--since", "2020-01-01")]
    # The US feed folds nothing (one copy of the wire story there), and is gazette's alone.
    assert [line["id"] for line in feed] == stored(project, "gazette")
    # A range that ended before the crawl holds nothing.
    assert runs_of(project, "articles", "--since", "2020-01-01", "--until", "2021-01-01") == []


def runs_of(project: Project, *args: str) -> list[str]:
    result = project.command("export", *args)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with the schema and nothing else, shared by the tests of bad arguments:
    none of them writes to it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('export-schema')}/news.db"
    backend = open_backend(url)
    try:
        prepare_schema(backend)
    finally:
        backend.close()
    return url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say what to export: one of articles, stories, feed"),
        (
            ["pages", "--since", "2026-01-01"],
            "cannot export 'pages': one of articles, stories, feed",
        ),
        (
            ["feed", "--since", "2026-01-01"],
            "feed needs one country code (ISO 3166-1 alpha-2), e.g. feed FR",
        ),
        (
            ["feed", "France", "--since", "2026-01-01"],
            "feed needs one country code (ISO 3166-1 alpha-2), e.g. feed FR",
        ),
        (
            ["articles", "FR", "--since", "2026-01-01"],
            "articles takes no further argument, got 'FR'",
        ),
        (["articles"], "give --since (and --until) for a time range, or --cursor NAME"),
        (
            ["articles", "--cursor", "a", "--since", "2026-01-01"],
            "give either --cursor or --since/--until, not both",
        ),
        (
            ["articles", "--since", "yesterday"],
            "--since 'yesterday' is not a time: use ISO 8601, e.g. 2026-11-23 or 2026-11-23T06:00:00+00:00",
        ),
        (
            ["articles", "--since", "2026-02-01", "--until", "2026-01-01"],
            "--since 2026-02-01 is not before --until 2026-01-01",
        ),
        (
            ["articles", "--cursor", "no spaces"],
            "cursor name 'no spaces': use 1 to 64 letters, digits, '_', '.' or '-'",
        ),
    ],
)
def test_bad_arguments_are_one_line_errors(
    project: Project, initialised: str, args: list[str], message: str
) -> None:
    result = project.scrapy("export", *args, NEWS_DATABASE_URL=initialised)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"scrapy export: error: {message}"


def test_a_missing_database_is_a_one_line_error(
    project: Project, initialised: str, tmp_path: Path
) -> None:
    missing = f"sqlite:///{tmp_path}/nowhere/news.db"
    result = project.scrapy("export", "articles", "--cursor", "a", NEWS_DATABASE_URL=missing)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("scrapy export: error: no database at ")
    assert len(result.stderr.strip().splitlines()) == 1
    out = tmp_path / "no" / "dir" / "x.jsonl"
    result = project.scrapy(
        "export", "articles", "--since", "2026-01-01", "-O", str(out), NEWS_DATABASE_URL=initialised
    )
    assert result.returncode == 2 and not out.parent.exists()
    assert result.stderr.strip().startswith("scrapy export: error: cannot write ")
