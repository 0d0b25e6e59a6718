"""Stopping a crawl now: requests not yet sent are dropped, then the engine closes.

Scrapy's close waits for every request handed to the downloader, and those waiting in a
host's slot queue (download delay, per-host concurrency) can take minutes to go out.
A crawl that must stop (Ctrl-C, SIGTERM, nowhere left to store articles) drops them
instead; nothing is stored for them, so the next run fetches them. Pages already being
downloaded finish, and the items in the pipeline go on to the store stage.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure


def drop_unsent(crawler: Crawler) -> int:
    """Fail the requests waiting in the downloader's queues; how many there were.
    Call on the reactor's thread."""
    engine = crawler.engine
    if engine is None or not engine.running:
        return 0
    dropped = 0
    for slot in engine.downloader.slots.values():
        while slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(Failure(IgnoreRequest(f"not sent, the crawl stops: {request.url}")))
            dropped += 1
    if dropped and crawler.stats is not None:
        crawler.stats.inc_value("news/unsent", dropped)
    return dropped


def stop_crawl(crawler: Crawler, reason: str) -> asyncio.Future[Any] | None:
    """Close the crawl with `reason`, dropping unsent requests; the closing, to keep
    (not to await from an item being processed: closing waits for the pipeline's
    items). None when no crawl is running (a stage used on its own)."""
    try:
        engine = crawler.engine
    except RuntimeError:
        return None
    if engine is None or not engine.running:
        return None
    drop_unsent(crawler)
    return asyncio.ensure_future(engine.close_spider_async(reason=reason))
