"""SourceSync: the crawled source's row in `sources` (country, languages, homepage,
enabled) brought up to date from the sources file when its spider opens."""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from pipelines.storage import StorageUnavailable
from pipelines.storage.extension import crawl_storage

logger = logging.getLogger(__name__)


class SourceSync:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceSync:
        # The storage extension is looked up when the spider opens: while extensions are
        # being built, the crawler cannot hand them out yet.
        sync = cls(crawler)
        crawler.signals.connect(sync.spider_opened, signal=signals.spider_opened)
        return sync

    async def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "source", None)
        if source is None:  # a spider that is not one of the sources file's
            return
        storage = crawl_storage(self.crawler).storage
        try:
            await storage.run(storage.backend.sync_sources, [source.as_row()])
        except StorageUnavailable as exc:
            # The articles still go to the store stage's journal; the next run syncs.
            logger.error("Source %s not synced to the database: %s", spider.name, exc)
