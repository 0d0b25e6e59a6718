"""Real `scrapy` runs against the fixture sites: discovery to storage, end to end."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from newsspiders.testing.databases import json_column
from newsspiders.testing.demo import print_current_take
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.sites import load_sites
from newsspiders.testing.translate_server import TranslateServer
from tests.conftest import BACKENDS, ROOT, Project, module_project

SITES = load_sites()
ALL_ARTICLES = [a for site in SITES.values() for a in site.articles]
NON_ENGLISH = [a for a in ALL_ARTICLES if SITES[a.site].language != "en"]
WIRE = [a for a in ALL_ARTICLES if a.wire]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def as_datetime(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class Crawled:
    project: Project
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sites: FixtureSites,
    translator: TranslateServer,
) -> Iterator[Crawled]:
    """One `scrapy crawlall` into an empty database, per backend, for the tests that only
    read what it stored and said (a crawl is seconds; reading it is not)."""
    tmp = tmp_path_factory.mktemp(f"crawlall-{request.param}")
    with module_project(tmp, request.param, sites.demo_sources(), translator.url) as project:
        result = project.scrapy("crawlall")
        assert result.returncode == 0, result.stderr[-3000:]
        yield Crawled(project, result)


def test_crawlall_stores_every_article_translated_and_no_other_page(crawled: Crawled) -> None:
    project, result = crawled.project, crawled.result
    stored = {path_of(row["url"]): row for row in project.rows("SELECT * FROM articles")}
    # Identical texts are one article, under whichever of the two URLs was stored first.
    identical = next(a for a in WIRE if a.variant == "identical")
    original = next(a for a in WIRE if a.variant == "original")
    left_out = original if identical.path in stored else identical
    expected = {a.path: a for a in ALL_ARTICLES if a is not left_out}
    assert sorted(stored) == sorted(expected), "exactly the fixture articles, no video/tag page"
    for path, article in expected.items():
        row = stored[path]
        site = SITES[article.site]
        assert row["country"] == site.country
        assert row["title"] == article.title
        assert row["text"] == article.text
        assert row["language"] == site.language
        assert json_column(row["authors"]) == [article.author]
        assert as_datetime(row["published_at"]) == article.published
        assert row["title_en"] == article.title_en
        assert row["text_en"] == "\n".join(article.paragraphs_en)
        expected_status = "not_needed" if site.language == "en" else "done"
        assert row["translation_status"] == expected_status
        assert "utm_" not in row["url"]

    # The summary table counts the stored articles and the non-article pages dropped.
    assert f"total: {len(expected)} new articles stored, {len(NON_ENGLISH)} translated" in (
        result.stdout
    )
    assert "not_article" in result.stdout


def test_wire_copies_fold_onto_the_first_stored_copy(crawled: Crawled) -> None:
    project = crawled.project
    rows = project.rows("SELECT id, url, duplicate_of FROM articles")
    by_path = {path_of(row["url"]): row for row in rows}
    url_rows = project.rows("SELECT url, article_id FROM article_urls")
    article_of = {path_of(row["url"]): row["article_id"] for row in url_rows}

    # Every copy's URL leads to an article; identical text shares one row.
    variants = {a.variant: a for a in WIRE}
    assert article_of[variants["identical"].path] == article_of[variants["original"].path]
    copies = {article_of[a.path] for a in WIRE}
    assert len(copies) == 3
    wire_rows = [row for row in rows if row["id"] in copies]
    roots = [row for row in wire_rows if row["duplicate_of"] is None]
    assert len(roots) == 1
    assert all(row["duplicate_of"] == roots[0]["id"] for row in wire_rows if row not in roots)

    # Independent stories on the same event are neither copies nor folded together.
    for article in (a for a in ALL_ARTICLES if a.event):
        row = by_path[article.path]
        assert row["duplicate_of"] is None and row["id"] not in copies


def test_the_demo_shows_each_event_of_several_countries_as_one_take(
    crawled: Crawled, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make demo`'s end: `scrapy stories` over the whole crawl, then the world's
    current take as the demo prints it: the fixture's events told in more than one
    country, each one story listing its countries; no story of one country."""
    project = crawled.project
    assert project.command("stories").returncode == 0
    capsys.readouterr()
    print_current_take(project.database_url)
    lines = capsys.readouterr().out.strip().splitlines()
    told: dict[str, set[str]] = {}
    for article in (a for a in ALL_ARTICLES if a.event):
        told.setdefault(article.event, set()).add(SITES[article.site].country)
    shared = [countries for countries in told.values() if len(countries) > 1]
    assert (
        lines[0]
        == f"the world's current take: {len(shared)} stories covered by more than one country"
    )
    taken, countries = [], set()
    for line in lines[1:]:
        if line.startswith("      "):  # one country's headline under its story
            countries.add(line.split()[0])
        else:
            taken.append(countries := set())
    # The wire story's first stored copy is its outlet's own report, and which outlet
    # crawled first varies: its country may join the story the wire is about.
    wire_paths = {a.path for a in WIRE}
    wire_root = {
        row["country"]
        for row in project.rows("SELECT url, duplicate_of, country FROM articles")
        if path_of(row["url"]) in wire_paths and row["duplicate_of"] is None
    }
    assert len(taken) == len(shared), lines
    for event in shared:
        assert sum(event <= story <= event | wire_root for story in taken) == 1, (event, lines)


@pytest.mark.each_backend
def test_legacy_encoding_page_is_stored_as_unicode(project: Project) -> None:
    result = project.scrapy("crawl", "vestnik")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = project.rows("SELECT title, text FROM articles WHERE source = 'vestnik'")
    by_title = {row["title"]: row["text"] for row in rows}
    assert len(by_title) == len(SITES["vestnik"].articles)
    for article in SITES["vestnik"].articles:
        assert by_title[article.title] == article.text


@pytest.mark.each_backend
def test_rerun_stores_nothing_and_translates_nothing(
    project: Project, translator: TranslateServer
) -> None:
    """A second run fetches no stored URL again, so it stores and translates nothing."""
    first = project.scrapy("crawlall")
    assert first.returncode == 0, first.stderr[-3000:]
    count = project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    requests_before = translator.requests

    second = project.scrapy("crawlall")
    assert second.returncode == 0, second.stderr[-3000:]
    assert (
        project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
        == count
        == len(WIRE) + len([a for a in ALL_ARTICLES if not a.wire]) - 1
    )
    assert translator.requests == requests_before
    assert "total: 0 new articles stored, 0 translated, 0 translation requests" in second.stdout


def test_since_skips_old_articles_from_feeds_and_from_undated_listings(project: Project) -> None:
    for source in ("lejournal", "vestnik", "nichinichi"):
        result = project.scrapy("crawl", source, "-a", "since=2026-01-01")
        assert result.returncode == 0, result.stderr[-3000:]
    stored = {path_of(row["url"]) for row in project.rows("SELECT url FROM articles")}
    for source in ("lejournal", "vestnik", "nichinichi"):
        for article in SITES[source].articles:
            assert (article.path in stored) == (article.published.year == 2026)


def test_until_bounds_a_backfill(project: Project) -> None:
    result = project.scrapy("crawl", "lavoz", "-a", "since=2025-01-01", "-a", "until=2025-12-31")
    assert result.returncode == 0, result.stderr[-3000:]
    titles = [row["title"] for row in project.rows("SELECT title FROM articles")]
    assert titles == [a.title for a in SITES["lavoz"].articles if a.published.year == 2025]


@pytest.mark.each_backend
def test_translator_down_stores_pending_then_retranslate_finishes(
    project: Project, translator: TranslateServer
) -> None:
    # The breaker is off: every article must meet the refused connection itself (how the
    # breaker skips a provider is tested in tests/faults/test_translation_faults.py).
    down = {
        "NEWS_LIBRETRANSLATE_URL": "http://127.0.0.1:9",
        "NEWS_TRANSLATE_BACKOFF": "0",
        "NEWS_TRANSLATE_BREAKER_FAILURES": "0",
    }
    result = project.scrapy("crawl", "alsabah", **down)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = project.rows("SELECT translation_status, title_en, translation_error FROM articles")
    assert len(rows) == len(SITES["alsabah"].articles)
    for row in rows:
        assert row["translation_status"] == "pending" and row["title_en"] is None
        assert "libretranslate: ConnectionError" in row["translation_error"]

    count = len(SITES["alsabah"].articles)
    still_down = project.scrapy("retranslate", **down)
    assert still_down.returncode == 1 and f"still pending {count}" in still_down.stdout

    before = translator.requests
    result = project.command("retranslate", "--source", "alsabah")  # in this process
    assert result.returncode == 0 and f"translated {count}, still pending 0" in result.stdout, (
        result.stdout + result.stderr[-2000:]
    )
    assert translator.requests - before == count  # one request per article
    english = {a.title: (a.title_en, "\n".join(a.paragraphs_en)) for a in SITES["alsabah"].articles}
    for row in project.rows("SELECT * FROM articles"):
        assert row["translation_status"] == "done" and row["translation_error"] is None
        assert (row["title_en"], row["text_en"]) == english[row["title"]]
    assert "translated 0" in project.command("retranslate").stdout  # nothing left, nothing sent
    assert translator.requests - before == count


@pytest.mark.each_backend
def test_second_url_of_a_stored_article_becomes_an_alias(project: Project) -> None:
    first = SITES["lavoz"].articles[0]
    count = len(SITES["lavoz"].articles)
    for _ in range(2):  # the second run must not fetch the alias again either
        result = project.scrapy("crawl", "lavoz")
        assert result.returncode == 0, result.stderr[-3000:]
        assert project.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"] == count
    urls = project.rows(
        "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE a.title = ?",
        first.title,
    )
    assert sorted(path_of(row["url"]) for row in urls) == sorted([first.path, "/amp" + first.path])
    # The second run's known-URL filter skipped the articles and the alias unfetched.
    second = project.runs()[-1]["stats"]
    assert second["news/skipped/known"] == count + 1


@pytest.mark.each_backend
def test_two_concurrent_crawls_store_what_one_crawl_stores(project: Project) -> None:
    env = project.env()
    crawls = [
        subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawlall", "-L", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    for crawl in crawls:
        _, stderr = crawl.communicate(timeout=240)
        assert crawl.returncode == 0, stderr[-3000:]
    counts = project.rows(
        "SELECT (SELECT COUNT(*) FROM articles) AS articles,"
        " (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies,"
        " (SELECT COUNT(*) FROM article_urls) AS urls,"
        " (SELECT COUNT(DISTINCT content_hash) FROM articles) AS texts"
    )[0]
    # One clean crawl: every fixture article but the identical wire copy; two edited
    # copies; one URL per article plus the identical copy's and the AMP copies'.
    articles = len(ALL_ARTICLES) - 1
    amp_copies = sum(1 for site in SITES.values() if site.discovery == "sitemap")
    assert counts == {
        "articles": articles,
        "copies": 2,
        "urls": articles + 1 + amp_copies,
        "texts": articles,
    }
