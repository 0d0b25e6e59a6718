"""`scrapy crawlall [NAME ...]`: every enabled source (or the named ones) in one process.

Prints a per-source summary table at the end; exits non-zero when a source failed.
"""

from __future__ import annotations

import argparse

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newsspiders.report import crawl_summary, format_summary


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [source ...]"

    def short_desc(self) -> str:
        return "Crawl every enabled source (or the named ones) in one process"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        available = get_spider_loader(self.settings).list()
        names = args or sorted(available)
        unknown = [name for name in names if name not in available]
        if unknown:
            raise UsageError(f"no enabled source named {', '.join(unknown)}", print_help=False)
        crawlers: list[Crawler] = []
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        summary = crawl_summary(crawlers)
        print(format_summary(summary))
        if self.crawler_process.bootstrap_failed or any(row.failed for row in summary):
            self.exitcode = 1
