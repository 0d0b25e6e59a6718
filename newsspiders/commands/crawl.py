"""`scrapy crawl NAME`: Scrapy's own command, with plain messages for the usual mistakes
(an unknown name, a database that cannot be used) instead of tracebacks, and exit
status 1 when the run failed (cron mails someone)."""

from __future__ import annotations

import argparse
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newsspiders.commands.exits import EXIT_PROBLEM, ConfigError, one_line_errors
from newsspiders.dates import DateRange
from newsspiders.extensions.run_recorder import when_start_fails
from newsspiders.reporting.runstats import RunStats, crawler_stats
from newsspiders.shutdown import stop_promptly
from pipelines.storage import check_database
from pipelines.translate.config import check_settings


def ready_to_crawl(database_url: str, spargs: dict[str, Any]) -> None:
    """Raise a configuration error, before any crawler starts, for what would make every
    source fail: a bad date window, a database that cannot be used."""
    try:
        DateRange.of_days(spargs.get("since"), spargs.get("until"))
    except ValueError as exc:
        raise ConfigError(f"-a since/until: {exc}") from None
    check_database(database_url)


class Command(ScrapyCrawl):
    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("expected exactly one source name")
        assert self.settings is not None and self.crawler_process is not None
        ready_to_crawl(self.settings.get("NEWS_DATABASE_URL"), opts.spargs)
        check_settings(self.settings)
        try:
            crawler = self._create_crawler(args[0])
        except KeyError as exc:  # the spider loader's "not found, did you mean …"
            raise ConfigError(str(exc.args[0])) from None
        when_start_fails(self.crawler_process.crawl(crawler, **opts.spargs), crawler)
        stop_promptly(self.crawler_process)
        self.crawler_process.start()
        run = RunStats.from_stats(args[0], crawler_stats(crawler))
        if self.crawler_process.bootstrap_failed or run.failed:
            self.exitcode = EXIT_PROBLEM
