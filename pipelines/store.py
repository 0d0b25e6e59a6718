"""Store stage: batched writes through the storage backend; a re-run stores nothing twice."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from scrapy.crawler import Crawler

from newsspiders.items import Article
from pipelines.common import in_flight
from pipelines.storage import storage_for

# Item fields that are working data of the pipeline, not columns.
_NOT_STORED = {"html", "source_languages", "lang_attr", "link_title", "link_published"}


def article_row(item: Article) -> dict[str, Any]:
    row = {k: v for k, v in asdict(item).items() if k not in _NOT_STORED}
    row["urls"] = dict(item.urls)
    return row


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.storage = storage_for(crawler)
        self.batch_size = crawler.settings.getint("NEWS_STORE_BATCH_SIZE")
        self._in_flight = in_flight(crawler)
        self._buffer: list[Article] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        await self.storage.run(self.storage.backend.sync_sources, [spider.source])

    async def process_item(self, item: Article) -> Article:
        self._buffer.append(item)
        if len(self._buffer) >= self.batch_size:
            await self.flush()
        return item

    async def close_spider(self) -> None:
        await self.flush()

    async def flush(self) -> None:
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        # Out of the registry before the rows are copied: a copy arriving during the write
        # then meets the stored article (or the insert-time check), never a stale item.
        for item in batch:
            self._in_flight.pop(item.content_hash, None)
        rows = [article_row(item) for item in batch]
        result = await self.storage.run(self.storage.backend.save_articles, rows)
        self.stats.inc_value("news/stored", result.inserted)
        if result.aliased:
            self.stats.inc_value("news/dropped/duplicate", result.aliased)
        if result.near_duplicates:
            self.stats.inc_value("news/near_duplicates", result.near_duplicates)
