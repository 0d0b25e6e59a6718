"""`scrapy crawl NAME`: Scrapy's own command, with plain messages for the usual mistakes
(an unknown name, a database that cannot be used) instead of tracebacks, and exit
status 1 when the run failed (cron mails someone)."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from newsspiders.reporting.runstats import RunStats
from pipelines.storage import SchemaError, StorageUnavailable, check_database
from pipelines.translate.config import TranslationSettingsError, check_settings


def database_ready(settings_url: str) -> str | None:
    """None when the database can be used, else why not (never with the password)."""
    try:
        check_database(settings_url)
    except (StorageUnavailable, SchemaError, ValueError) as exc:
        return str(exc)
    return None


def translation_settings_problem(settings: BaseSettings) -> str | None:
    """None when the translation settings can work, else the one line saying why not."""
    try:
        check_settings(settings)
    except TranslationSettingsError as exc:
        return str(exc)
    return None


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("expected exactly one source name")
        assert self.settings is not None and self.crawler_process is not None
        problem = database_ready(self.settings.get("NEWS_DATABASE_URL"))
        if problem:
            raise UsageError(problem, print_help=False)
        problem = translation_settings_problem(self.settings)
        if problem:
            raise UsageError(problem, print_help=False)
        try:
            crawler = self._create_crawler(args[0])
        except KeyError as exc:  # the spider loader's "not found, did you mean …"
            raise UsageError(str(exc.args[0]), print_help=False) from None
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        assert crawler.stats is not None
        run = RunStats.from_stats(args[0], crawler.stats.get_stats())
        if self.crawler_process.bootstrap_failed or run.failed:
            self.exitcode = 1
