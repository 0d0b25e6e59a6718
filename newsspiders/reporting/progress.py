"""crawlall's progress: a live line on a terminal, one log line per source under cron."""

from __future__ import annotations

import logging
import sys

from scrapy.crawler import Crawler
from twisted.internet import task

from newsspiders.reporting.runstats import NOT_STARTED, crawler_stats

logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, total: int, live: bool):
        self.total = total
        self.live = live
        self.done = 0
        self.stored = 0
        self.errors = 0
        self._running: list[Crawler] = []
        self._ticker = task.LoopingCall(self._draw)

    def start(self) -> None:
        if self.live:
            self._ticker.start(1.0, now=False)

    def stop(self) -> None:
        if self._ticker.running:
            self._ticker.stop()
        if self.live:
            sys.stderr.write("\n")

    def source_done(self, crawler: Crawler) -> None:
        stats = crawler_stats(crawler)
        self.done += 1
        self.stored += stats.get("news/stored", 0)
        self.errors += stats.get("log_count/ERROR", 0)
        if not self.live:
            logger.info(
                "%s done (%d/%d sources): %d new articles, %s",
                crawler.spidercls.name, self.done, self.total,
                stats.get("news/stored", 0), stats.get("finish_reason", NOT_STARTED),
            )  # fmt: skip

    def line(self) -> str:
        return (
            f"[{self.done}/{self.total} sources] {self.stored} articles stored,"
            f" {self.errors} errors"
        )

    def _draw(self) -> None:
        sys.stderr.write("\r" + self.line())
        sys.stderr.flush()
