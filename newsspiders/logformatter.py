"""Log lines an operator can read: a dropped article is one line naming its URL and why.

Scrapy's own formatter appends the whole item to every drop message, which for an
article is its full text: thousands of characters per line in a cron log.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class NewsLogFormatter(LogFormatter):
    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        # The exception names the page and the reason (pipelines.common.drop).
        return {**result, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
