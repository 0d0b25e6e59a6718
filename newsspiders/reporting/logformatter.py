"""Log lines an operator can read: a dropped article is one line naming its URL and why.

Scrapy's own formatter appends the whole item to every drop message, which for an
article is its full text: thousands of characters per line in a cron log. Its
per-page debug lines ("Crawled", "Scraped") are made only when the log shows them:
Scrapy filters by level in the handler, so otherwise each would cost a log record that
nobody reads, for every page.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class NewsLogFormatter(LogFormatter):
    def __init__(self, debug: bool = True):
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsLogFormatter:
        level = logging.getLevelName(crawler.settings.get("LOG_LEVEL", "DEBUG"))
        return cls(debug=not isinstance(level, int) or level <= logging.DEBUG)

    # Scrapy's types say these always return a result; its engine skips the line on None.
    def crawled(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider
    ) -> LogFormatterResult | None:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(  # type: ignore[override]
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult | None:
        if not self.debug:
            return None
        result = super().scraped(item, response, spider)
        url = getattr(item, "url", "")
        args = {**cast(dict[str, Any], result["args"]), "url": url}
        return {**result, "msg": "Scraped %(url)s from %(src)s", "args": args}

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        # The exception names the reason and the page (the stages' DropItem subclasses).
        return {**result, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
