"""RunRecorder: each run's row of `crawl_runs`, read by `scrapy health`.

The row is written when the spider opens (finish_reason 'running', with the process id
and host name) and completed when it closes. A run that never completes it (SIGKILL, a
crash, or a database still away at the end) stays 'running' until a later crawl or
`scrapy health` on the same host finds its process gone and marks it 'interrupted'.
A source that cannot start at all gets a 'not_started' row with the reason
(`record_start_failure`, called by `crawl` and `crawlall`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsspiders.reporting.runstats import NOT_STARTED, RunStats
from pipelines.storage import DATABASE_ERRORS, SchemaError, Storage, StorageUnavailable
from pipelines.storage.extension import crawl_storage

logger = logging.getLogger(__name__)


# The database errors that leave a start failure unrecorded (said in the log instead).
_UNUSABLE: tuple[type[BaseException], ...] = (StorageUnavailable, SchemaError, *DATABASE_ERRORS)


def process_alive(pid: int) -> bool:
    """Is a process of this id running on this machine? (Signal 0 checks, sends nothing.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def settle_lost_runs(storage: Storage) -> None:
    """Mark this host's runs whose process is gone as 'interrupted' (and say so)."""
    sources = storage.call(storage.backend.settle_lost_runs, socket.gethostname(), process_alive)
    for source in sources:
        logger.warning("A run of %s ended without recording it: marked interrupted", source)


class RunRecorder:
    """Writes each run's row to `crawl_runs`: started on spider_opened, completed on
    spider_closed from Scrapy's stats collector (filled by the stages), so nothing is
    counted twice."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.run_id: int | None = None
        self.recorded = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        # Extensions connect in priority order: CoreStats (which sets finish_reason)
        # runs before this; the storage closes later still, on engine_stopped.
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        storage = crawl_storage(self.crawler).storage
        try:
            settle_lost_runs(storage)
            self.run_id = storage.call(
                storage.backend.start_run,
                spider.name, datetime.now(UTC), os.getpid(), socket.gethostname(),
            )  # fmt: skip
        except StorageUnavailable as exc:
            logger.error("Run of %s not recorded as started: %s", spider.name, exc)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        stats.setdefault("finish_reason", reason)
        run = RunStats.from_stats(spider.name, stats)
        self.record(run)
        if run.failed:
            logger.error("Source %s failed: %s", spider.name, _why(run))

    def record(self, run: RunStats) -> None:
        storage = crawl_storage(self.crawler).storage
        try:
            storage.call(storage.backend.record_run, run.as_row(), self.run_id)
            self.recorded = True
        except StorageUnavailable as exc:
            logger.error("Run statistics of %s not recorded: %s", run.source, exc)


def record_start_failure(crawler: Crawler, failure: Failure) -> None:
    """A failed run's row for a source that could not start (bad settings, a spider
    class that breaks, a bad argument): health then shows it failed, not `ok`."""
    name = crawler.spidercls.name
    reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:500]
    logger.error("Source %s failed: could not start: %s", name, reason)
    recorder = _recorder_of(crawler)
    if recorder is not None and recorder.recorded:
        return  # it got as far as closing: that row says how it ended
    run = RunStats.from_stats(name, {"finish_reason": NOT_STARTED, "start_error": reason})
    storage = None
    try:
        # Its own connection: the crawl's was closed with its engine, if it had one.
        storage = Storage(crawler.settings.get("NEWS_DATABASE_URL"))
        run_id = recorder.run_id if recorder is not None else None
        storage.call(storage.backend.record_run, run.as_row(), run_id)
    except _UNUSABLE as exc:
        logger.error("Run of %s not recorded: %s", name, exc)
    finally:
        if storage is not None:
            storage.close()


def _recorder_of(crawler: Crawler) -> RunRecorder | None:
    try:
        return crawler.get_extension(RunRecorder)
    except RuntimeError:  # it failed before its extensions were built
        return None


def _why(run: RunStats) -> str:
    if run.finish_reason not in ("finished",):
        return f"finished with {run.finish_reason!r}"
    if run.discovery_errors == 0:
        return (
            "no feed, sitemap or listing page reached its parser"
            " (redirected to another host or in a loop?)"
        )
    return f"no feed, sitemap or listing could be read ({run.discovery_errors} errors)"


def when_start_fails(started: Any, crawler: Crawler) -> Deferred[Any]:
    """`started` (what `CrawlerProcess.crawl` returns: a Deferred, or a coroutine's
    task on the asyncio reactor) as a Deferred that records a start failure."""
    done = (
        started
        if isinstance(started, Deferred)
        else Deferred.fromFuture(asyncio.ensure_future(started))
    )
    return done.addErrback(lambda failure: record_start_failure(crawler, failure))
