"""KnownUrlFilter: article requests for URLs an earlier run stored are never sent.

A spider middleware in the manner of scrapy-deltafetch, so the spider itself holds no
database code. The spider marks each article request with its URL key
(`meta["url_hash"]`); the filter asks storage about a callback's article requests in one
query per batch and lets only the new ones through.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from pipelines.storage import StorageUnavailable
from pipelines.storage.extension import StorageExtension, crawl_storage

logger = logging.getLogger(__name__)

BATCH = 500  # URL keys per query


class KnownUrlFilter:
    def __init__(self, storage: StorageExtension, stats: StatsCollector):
        self.storage = storage
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownUrlFilter:
        assert crawler.stats is not None
        return cls(crawl_storage(crawler), crawler.stats)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        batch: list[Request] = []
        async for output in result:
            if isinstance(output, Request) and "url_hash" in output.meta:
                batch.append(output)
                if len(batch) >= BATCH:
                    for request in await self.new_only(batch):
                        yield request
                    batch = []
            else:
                yield output
        for request in await self.new_only(batch):
            yield request

    async def new_only(self, requests: list[Request]) -> list[Request]:
        if not requests:
            return []
        storage = self.storage.storage
        keys = [request.meta["url_hash"] for request in requests]
        try:
            known = await storage.run(storage.backend.known_urls, keys)
        except StorageUnavailable as exc:
            # Fetch them all: the store stage's own checks keep duplicates out.
            logger.warning("Cannot check known URLs (%s); fetching all", exc)
            return requests
        self.stats.inc_value("news/skipped/known", len(known))
        return [request for request in requests if request.meta["url_hash"] not in known]
