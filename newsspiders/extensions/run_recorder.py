"""RunRecorder: each run's statistics into `crawl_runs`, read by `scrapy health`."""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newsspiders.reporting.runstats import RunStats
from pipelines.storage import StorageUnavailable
from pipelines.storage.extension import crawl_storage

logger = logging.getLogger(__name__)


class RunRecorder:
    """Writes each run's statistics to `crawl_runs` when the spider closes.

    Reads Scrapy's stats collector (filled by the stages), so nothing is counted twice.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        recorder = cls(crawler)
        # Extensions connect in priority order: CoreStats (which sets finish_reason)
        # runs before this; the storage closes later still, on engine_stopped.
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        stats.setdefault("finish_reason", reason)
        run = RunStats.from_stats(spider.name, stats)
        storage = crawl_storage(self.crawler).storage
        try:
            storage.call(storage.backend.record_run, run.as_row())
        except StorageUnavailable as exc:
            logger.error("Run statistics of %s not recorded: %s", spider.name, exc)
        if run.failed:
            logger.error("Source %s failed: %s", spider.name, _why(run))


def _why(run: RunStats) -> str:
    if run.finish_reason not in ("finished",):
        return f"finished with {run.finish_reason!r}"
    return f"no feed, sitemap or listing could be read ({run.discovery_errors} errors)"
