"""Article links wait here, small, until the crawl has room for their requests.

A feed or sitemap can list thousands of articles at once. Scheduled all together they
would sit in Scrapy's queue as thousands of Request objects, and the crawl's memory would
grow with the size of the backlog. Instead a link becomes a request only when an earlier
article request has left the downloader, so at most `size` of them exist at a time.

With a shared Redis queue (distributed mode) the window is off: there the queue is in
Redis, and other machines must be able to take the requests.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import scrapy

from newsspiders.spiders.discovery import ArticleLink


class ArticleWindow:
    def __init__(self, size: int, make_request: Callable[[ArticleLink], scrapy.Request]):
        self.size = size  # 0: no window, every link is requested at once
        self.make_request = make_request
        self.waiting: deque[ArticleLink] = deque()
        self.out = 0  # requests made and not yet back from the downloader

    def add(self, links: list[ArticleLink]) -> list[scrapy.Request]:
        """Queue the links; the requests there is room for now."""
        self.waiting.extend(links)
        return self.release()

    def release(self) -> list[scrapy.Request]:
        """Requests for the waiting links that fit in the window."""
        room = len(self.waiting) if self.size <= 0 else self.size - self.out
        made = [
            self.make_request(self.waiting.popleft()) for _ in range(min(room, len(self.waiting)))
        ]
        self.out += len(made)
        return made

    def returned(self) -> list[scrapy.Request]:
        """One request came back (answered or failed): make room for the next."""
        self.out = max(0, self.out - 1)
        return self.release()

    def restart(self) -> list[scrapy.Request]:
        """The crawl went idle: nothing is out any more (a request the downloader never
        saw, such as one robots.txt forbids, leaves no trace), so refill the window."""
        self.out = 0
        return self.release()
