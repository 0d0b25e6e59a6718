"""`scrapy crawlall [--tag T] [--source NAME ...]`: many sources in one process.

At most NEWS_CONCURRENT_SOURCES sources crawl at once, each with an equal share of
NEWS_MAX_REQUESTS requests in flight; a failing source never stops the others. Prints a
per-source table at the end and exits non-zero when any source failed outright.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.spiderloader import get_spider_loader
from twisted.internet.defer import Deferred, DeferredSemaphore

from newsspiders.commands.crawl import ready_to_crawl
from newsspiders.commands.exits import EXIT_PROBLEM, ConfigError, one_line_errors
from newsspiders.extensions.run_recorder import when_start_fails
from newsspiders.reporting.progress import Progress
from newsspiders.reporting.runstats import RunStats, crawler_stats, format_summary
from newsspiders.shutdown import stop_promptly
from pipelines.translate.config import check_settings

logger = logging.getLogger(__name__)


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [--tag TAG ...] [--source NAME ...]"

    def short_desc(self) -> str:
        return "Crawl every enabled source (or a tagged or named subset) in one process"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--tag", action="append", default=[], help="only sources with this tag (repeatable)"
        )
        parser.add_argument(
            "--source", action="append", default=[], help="only this source (repeatable)"
        )

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        ready_to_crawl(self.settings.get("NEWS_DATABASE_URL"), opts.spargs)
        check_settings(self.settings)
        loader = get_spider_loader(self.settings)
        names = select_sources(loader, opts.source + args, opts.tag)
        if not names:
            raise ConfigError("no enabled source matches")
        at_once = max(1, min(self.settings.getint("NEWS_CONCURRENT_SOURCES"), len(names)))
        per_source = max(1, self.settings.getint("NEWS_MAX_REQUESTS") // at_once)
        progress = Progress(len(names), live=sys.stderr.isatty())
        crawlers: list[Crawler] = []
        gate = DeferredSemaphore(at_once)
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawler.settings.set("CONCURRENT_REQUESTS", per_source, priority="cmdline")
            crawlers.append(crawler)
            gate.run(self._crawl, crawler, opts.spargs, progress)
        progress.start()
        stop_promptly(self.crawler_process)
        self.crawler_process.start()
        progress.stop()
        rows = [RunStats.from_stats(c.spidercls.name, crawler_stats(c)) for c in crawlers]
        print(format_summary(rows))
        if self.crawler_process.bootstrap_failed or any(row.failed for row in rows):
            self.exitcode = EXIT_PROBLEM

    def _crawl(self, crawler: Crawler, spargs: dict[str, Any], progress: Progress) -> Deferred:
        assert self.crawler_process is not None
        # A source that cannot even start is recorded as failed; the others go on.
        done = when_start_fails(self.crawler_process.crawl(crawler, **spargs), crawler)
        done.addBoth(lambda _: progress.source_done(crawler))
        return done


def select_sources(loader: Any, names: list[str], tags: list[str]) -> list[str]:
    available = loader.list()
    broken = getattr(loader, "broken", {})
    for name in names:
        if name in broken:
            raise ConfigError(f"source {name} cannot run: {broken[name]}")
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ConfigError(f"no enabled source named {', '.join(unknown)}")
    chosen = names or sorted(available)
    if tags:
        chosen = [name for name in chosen if set(tags) & set(loader.load(name).source.tags)]
    return chosen
