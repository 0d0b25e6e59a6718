"""Real `scrapy` runs against the fixture sites: discovery to storage, end to end."""

from __future__ import annotations

import json
from datetime import datetime

from tests.conftest import Project
from tests.fixtures.sites import load_sites
from tests.fixtures.translate_server import TranslateServer

SITES = load_sites()
ALL_ARTICLES = [a for site in SITES.values() for a in site.articles]


def stored_by_path(project: Project) -> dict[str, dict]:
    rows = project.rows("SELECT * FROM articles")
    return {row["url"].split("/", 3)[3]: dict(row) for row in rows}


def test_crawlall_stores_every_article_translated_and_no_other_page(
    project: Project, translator: TranslateServer
) -> None:
    result = project.scrapy("crawlall")
    assert result.returncode == 0, result.stderr[-3000:]

    stored = stored_by_path(project)
    expected = {a.path.lstrip("/"): a for a in ALL_ARTICLES}
    assert sorted(stored) == sorted(expected), "exactly the fixture articles, no video/tag page"
    for path, article in expected.items():
        row = stored[path]
        site = SITES[article.site]
        assert row["source"] == site.key and row["country"] == site.country
        assert row["title"] == article.title
        assert row["text"] == article.text
        assert row["language"] == site.language
        assert json.loads(row["authors"]) == [article.author]
        assert datetime.fromisoformat(row["published_at"]) == article.published
        assert row["title_en"] == article.title_en
        assert row["text_en"] == "\n".join(article.paragraphs_en)
        expected_status = "not_needed" if site.language == "en" else "done"
        assert row["translation_status"] == expected_status
        assert "utm_" not in row["url"]

    # The summary table names every source and counts the non-article pages it dropped.
    assert "total: 24 new articles stored, 20 translated" in result.stdout
    assert "not_article" in result.stdout


def test_legacy_encoding_page_is_stored_as_unicode(project: Project) -> None:
    result = project.scrapy("crawl", "vestnik")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = project.rows("SELECT title, text FROM articles WHERE source = 'vestnik'")
    by_title = {row["title"]: row["text"] for row in rows}
    assert len(by_title) == len(SITES["vestnik"].articles)
    for article in SITES["vestnik"].articles:
        assert by_title[article.title] == article.text


def test_rerun_stores_nothing_and_translates_nothing(
    project: Project, translator: TranslateServer
) -> None:
    first = project.scrapy("crawlall")
    assert first.returncode == 0, first.stderr[-3000:]
    count = project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    requests_before = translator.requests

    second = project.scrapy("crawlall")
    assert second.returncode == 0, second.stderr[-3000:]
    assert project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"] == count == 24
    assert translator.requests == requests_before
    assert "total: 0 new articles stored, 0 translated, 0 translation requests" in second.stdout


def test_since_skips_old_articles_from_feeds_and_from_undated_listings(project: Project) -> None:
    for source in ("lejournal", "vestnik", "nichinichi"):
        result = project.scrapy("crawl", source, "-a", "since=2026-01-01")
        assert result.returncode == 0, result.stderr[-3000:]
    stored = {row["url"].split("/", 3)[3] for row in project.rows("SELECT url FROM articles")}
    for source in ("lejournal", "vestnik", "nichinichi"):
        for article in SITES[source].articles:
            assert (article.path.lstrip("/") in stored) == (article.published.year == 2026)


def test_until_bounds_a_backfill(project: Project) -> None:
    result = project.scrapy("crawl", "lavoz", "-a", "since=2025-01-01", "-a", "until=2025-12-31")
    assert result.returncode == 0, result.stderr[-3000:]
    titles = [row["title"] for row in project.rows("SELECT title FROM articles")]
    assert titles == [a.title for a in SITES["lavoz"].articles if a.published.year == 2025]


def test_translator_down_stores_articles_pending(project: Project) -> None:
    result = project.scrapy("crawl", "alsabah", NEWS_LIBRETRANSLATE_URL="http://127.0.0.1:9")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = project.rows("SELECT translation_status, title_en, translation_error FROM articles")
    assert len(rows) == len(SITES["alsabah"].articles)
    for row in rows:
        assert row["translation_status"] == "pending"
        assert row["title_en"] is None
        assert "libretranslate" in row["translation_error"]


def test_second_url_of_a_stored_article_becomes_an_alias(project: Project) -> None:
    first = SITES["lavoz"].articles[0]
    for _ in range(2):  # the second run must not fetch the alias again either
        result = project.scrapy("crawl", "lavoz")
        assert result.returncode == 0, result.stderr[-3000:]
        assert project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"] == 4
    urls = project.rows(
        "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE a.title = ?",
        first.title,
    )
    assert sorted(row["url"].split("/", 3)[3] for row in urls) == sorted(
        [first.path.lstrip("/"), "amp" + first.path]
    )
    assert "'news/skipped/known': 5" in result.stderr  # 4 articles + the alias
