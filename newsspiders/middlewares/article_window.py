"""Article requests wait in a window until the downloader has room for them.

A feed or sitemap can list thousands of articles at once. Handed to Scrapy together they
would sit in the scheduler's queue, and the crawl's memory would grow with the size of
the backlog. Instead an article request goes to the scheduler only when an earlier one
has left the downloader, so at most `size` of them are scheduled at a time.

Outermost spider middleware: the requests it holds have passed every filter (known
URLs, offsite), and those it releases later go straight to the engine.
With a shared Redis queue (distributed mode) the window is off: there the queue is in
Redis, and other machines must be able to take the requests.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response


class ArticleWindow:
    def __init__(self, size: int):
        self.size = size  # 0: no window, every request goes out at once
        self.waiting: deque[Request] = deque()
        self.out = 0  # requests released and not yet back from the downloader

    def add(self, requests: list[Request]) -> list[Request]:
        """Queue the requests; those there is room for now."""
        self.waiting.extend(requests)
        return self.release()

    def release(self) -> list[Request]:
        """The waiting requests that fit in the window."""
        room = len(self.waiting) if self.size <= 0 else self.size - self.out
        made = [self.waiting.popleft() for _ in range(min(room, len(self.waiting)))]
        self.out += len(made)
        return made

    def returned(self) -> list[Request]:
        """One request came back (answered or failed): make room for the next."""
        self.out = max(0, self.out - 1)
        return self.release()

    def restart(self) -> list[Request]:
        """The crawl went idle: nothing is out any more (a request the downloader never
        saw, such as one robots.txt forbids, leaves no trace), so refill the window."""
        self.out = 0
        return self.release()


def is_article_request(request: Request) -> bool:
    return "url_hash" in request.meta  # the spider's mark on article requests


class ArticleWindowMiddleware:
    def __init__(self, crawler: Crawler, size: int):
        self.crawler = crawler
        self.window = ArticleWindow(size)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleWindowMiddleware:
        # Twice what can be downloaded at once; none with a shared Redis queue.
        settings = crawler.settings
        size = 0 if settings.get("NEWS_REDIS_URL") else 2 * settings.getint("CONCURRENT_REQUESTS")
        middleware = cls(crawler, size)
        crawler.signals.connect(middleware.left_downloader, signals.request_left_downloader)
        crawler.signals.connect(middleware.idle, signals.spider_idle)
        return middleware

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if isinstance(output, Request) and is_article_request(output):
                for request in self.window.add([output]):
                    yield request
            else:
                yield output

    def left_downloader(self, request: Request, spider: Spider) -> None:
        if is_article_request(request):
            self._schedule(self.window.returned())

    def idle(self, spider: Spider) -> None:
        followers = self.window.restart()
        self._schedule(followers)
        if followers:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("news/window_refills")
            raise DontCloseSpider

    def _schedule(self, requests: list[Request]) -> None:
        engine = self.crawler.engine
        assert engine is not None  # the signals calling this fire only while it runs
        for request in requests:
            engine.crawl(request)
