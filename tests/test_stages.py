"""The dedup and store stages in-process, built as Scrapy builds them (`get_crawler`),
on a real database: the in-flight fold and the journal spill and replay."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newsspiders.items import Article
from newsspiders.spiders.news import NewsSpider
from newsspiders.testing.databases import POSTGRES, query
from newsspiders.testing.tcpproxy import TcpProxy
from pipelines.dedup.stage import DedupPipeline, Duplicate
from pipelines.storage.extension import crawl_storage
from pipelines.store.journal import Journal
from pipelines.store.stage import StorePipeline

TEXT = (
    "The harbour authority opened a third container terminal on Tuesday, doubling the"
    " port's capacity. Officials said the expansion would bring four hundred jobs and"
    " shorten waiting times for ships that now anchor offshore for days."
)


def article(url: str, text: str = TEXT) -> Article:
    return Article(
        source="harbour",
        country="NZ",
        url=url,
        html="",
        source_languages=["en"],
        fetched_at=datetime.now(UTC),
        title="A third terminal",
        text=text,
        language="en",
        translation_status="not_needed",
    )


class HarbourSpider(NewsSpider):
    name = "harbour"


def crawler_for(database_url: str, journal: Path) -> Crawler:
    return get_crawler(
        HarbourSpider,
        {
            "NEWS_DATABASE_URL": database_url,
            "NEWS_JOURNAL_DIR": str(journal),
            "NEWS_STORE_BATCH_SIZE": 10,
            "EXTENSIONS": {"pipelines.storage.extension.StorageExtension": 100},
        },
    )


@pytest.mark.each_backend
def test_a_copy_met_in_flight_joins_the_first_and_a_later_one_is_an_alias(
    database_url: str, tmp_path: Path
) -> None:
    crawler = crawler_for(database_url, tmp_path / "journal")
    dedup, store = DedupPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)

    async def run() -> list[str]:
        first = await dedup.process_item(article("https://harbour.nz/terminal"))
        # The same text under another URL, while the first is not written yet.
        with pytest.raises(Duplicate) as copy:
            await dedup.process_item(article("https://harbour.nz/amp/terminal"))
        await store.process_item(first)
        await store.close_spider()
        assert crawl_storage(crawler).in_flight == {}  # written, so out of the registry
        # Once stored, another copy is found in the database instead.
        with pytest.raises(Duplicate) as stored:
            await dedup.process_item(article("https://harbour.nz/print/terminal"))
        return [copy.value.reason, stored.value.reason]

    try:
        assert asyncio.run(run()) == ["duplicate_content", "duplicate"]
    finally:
        crawl_storage(crawler).close()
    (row,) = query(database_url, "SELECT id, url FROM articles")
    assert row["url"] == "https://harbour.nz/terminal"
    urls = query(database_url, "SELECT url FROM article_urls WHERE article_id = ?", row["id"])
    assert sorted(u["url"] for u in urls) == [
        "https://harbour.nz/amp/terminal",
        "https://harbour.nz/print/terminal",
        "https://harbour.nz/terminal",
    ]


@pytest.fixture
def postgres_behind_proxy() -> Iterator[tuple[str, TcpProxy]]:
    """A fresh schema reached through a proxy the test can cut."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    proxy = TcpProxy("127.0.0.1", 5432)
    try:
        yield f"postgresql://127.0.0.1:{proxy.port}/test?options=-csearch_path%3D{schema}", proxy
    finally:
        proxy.close()
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_a_batch_the_database_refuses_waits_in_the_journal_then_is_replayed(
    postgres_behind_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = postgres_behind_proxy
    journal = tmp_path / "journal"
    texts = [f"{TEXT} Report number {n} of the day, from pier {n * 7}." for n in range(3)]
    items = [article(f"https://harbour.nz/{n}", text) for n, text in enumerate(texts)]

    crawler = crawler_for(url, journal)
    dedup, store = DedupPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)

    async def crawl_while_the_database_goes() -> None:
        for item in items:
            await store.process_item(await dedup.process_item(item))
        proxy.cut()
        await store.close_spider()  # the write of the last batch fails

    try:
        asyncio.run(crawl_while_the_database_goes())
    finally:
        crawl_storage(crawler).close()
    assert crawler.stats is not None
    assert crawler.stats.get_value("news/journal/written") == 3
    spool = Journal(journal, "harbour")
    (spilled,) = spool.pending()
    assert [row["url"] for row in spool.take(spilled)] == [item.url for item in items]

    # The next run of the source writes the journal before anything else.
    proxy.restore()
    again = crawler_for(url, journal)
    replaying = StorePipeline.from_crawler(again)
    try:
        asyncio.run(replaying.open_spider())
    finally:
        crawl_storage(again).close()
    assert Journal(journal, "harbour").pending() == []
    stored = query(url.replace(f":{proxy.port}/", ":5432/"), "SELECT url FROM articles")
    assert sorted(row["url"] for row in stored) == sorted(item.url for item in items)
