"""Store stage: batched writes through the storage backend; a re-run stores nothing twice."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import fields
from typing import Any

from scrapy.crawler import Crawler

from newsspiders.items import Article
from pipelines.storage import SaveResult, StorageUnavailable
from pipelines.storage.extension import crawl_storage
from pipelines.store.journal import Journal
from pipelines.store.stopping import stop_crawl

logger = logging.getLogger(__name__)

# Item fields that are working data of the pipeline, not columns.
_NOT_STORED = {
    "html", "source_languages", "lang_attr", "link_title", "link_published", "body_css", "dates",
}  # fmt: skip


def article_row(item: Article) -> dict[str, Any]:
    # Shallow: dataclasses.asdict would deep-copy every list and dict of every article.
    row = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in _NOT_STORED}
    row["urls"] = dict(item.urls)
    return row


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        extension = crawl_storage(crawler)
        self.storage = extension.storage
        self.batch_size = crawler.settings.getint("NEWS_STORE_BATCH_SIZE")
        self._in_flight = extension.in_flight
        self._buffer: list[Article] = []
        self._closing: asyncio.Future[None] | None = None
        self.journal = Journal(crawler.settings.get("NEWS_JOURNAL_DIR"), crawler.spidercls.name)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        await self.replay_journal()

    async def replay_journal(self) -> None:
        """Write what an earlier run could not, before crawling anything new."""
        for path in self.journal.pending():
            rows = self.journal.take(path)
            result = await self.storage.run(self.storage.backend.save_articles, rows)
            path.unlink()
            self.stats.inc_value("news/journal/replayed", len(rows))
            self._count(result)
            logger.info("Replayed %d articles from %s", len(rows), path)

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
        try:
            result = await self.storage.run(self.storage.backend.save_articles, rows)
        except StorageUnavailable as exc:
            self._spill(rows, exc)
            return
        self._count(result)

    def _spill(self, rows: list[dict[str, Any]], error: StorageUnavailable) -> None:
        """Nothing is lost: the batch waits in the journal, and the run stops. With no
        journal either, the batch is lost to this run (not stored: the next run fetches
        it again), and the run stops at once rather than lose the rest of the crawl."""
        try:
            path = self.journal.spill(rows)
        except OSError as journal_error:
            self.stats.inc_value("news/lost", len(rows))
            logger.error(
                "%s, and the journal cannot be written (%s): %d articles neither stored nor"
                " journaled; the crawl stops, the next run fetches them again",
                error, journal_error, len(rows),
            )  # fmt: skip
            self._stop("storage_unavailable")
            return
        self.stats.inc_value("news/journal/written", len(rows))
        logger.error(
            "%s; %d articles written to %s, the next run stores them", error, len(rows), path
        )
        self._stop("database_unavailable")

    def _stop(self, reason: str) -> None:
        if self._closing is None:
            self._closing = stop_crawl(self.crawler, reason)

    def _count(self, result: SaveResult) -> None:
        self.stats.inc_value("news/stored", result.inserted)
        if result.aliased:
            self.stats.inc_value("news/dropped/duplicate", result.aliased)
        if result.near_duplicates:
            self.stats.inc_value("news/near_duplicates", result.near_duplicates)
