"""DropCounter: every dropped article counted once, by reason, as `news/dropped/<reason>`.

The stages only raise (a DropItem with a `reason`); counting here, on `item_dropped`,
keeps one place that turns drops into the statistics `crawl_runs` and `health` read.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector


class DropCounter:
    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DropCounter:
        assert crawler.stats is not None
        counter = cls(crawler.stats)
        crawler.signals.connect(counter.item_dropped, signal=signals.item_dropped)
        return counter

    def item_dropped(
        self, item: Any, response: Any, exception: BaseException, spider: Spider
    ) -> None:
        # A DropItem of our stages says why; any other is counted under its class.
        reason = getattr(exception, "reason", None) or type(exception).__name__
        self.stats.inc_value(f"news/dropped/{reason}")
