"""`scrapy health [--format table|json] [--fail-on-alert]`: is every source healthy?"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from newsspiders.commands.exits import EXIT_PROBLEM, one_line_errors
from newsspiders.extensions.run_recorder import settle_lost_runs
from newsspiders.reporting.health import Report, Thresholds, build_report, format_table
from newsspiders.sources.model import Source, load_sources
from pipelines.storage import Storage


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--format table|json] [--fail-on-alert]"

    def short_desc(self) -> str:
        return "Report each source's last run, recent articles and alerts"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", default="table", choices=["table", "json"])
        parser.add_argument(
            "--fail-on-alert",
            action="store_true",
            help="exit 1 when any alert is raised (2 means it could not look)",
        )

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy health takes no arguments")
        assert self.settings is not None
        settings = self.settings
        now = datetime.now(UTC)
        sources = load_sources(settings.get("NEWS_SOURCES"))
        # Read-only: a mistyped path must not become an empty database with 0 alerts.
        storage = Storage(settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            report = read_health_report(storage, sources, settings, now)
        finally:
            storage.close()
        if opts.format == "json":
            print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        else:
            print(format_table(report))
        if opts.fail_on_alert and report.alert_count:
            self.exitcode = EXIT_PROBLEM


def read_health_report(
    storage: Storage, sources: list[Source], settings: BaseSettings, now: datetime
) -> Report:
    """The health report of the enabled `sources` from the database, with the
    NEWS_HEALTH_* thresholds (also the HTML report's source table and alerts)."""
    backend = storage.backend
    settle_lost_runs(storage)  # runs whose process died are failed, not running
    return build_report(
        sources,
        storage.call(backend.recent_runs, 10),
        storage.call(backend.article_counts, now - timedelta(hours=24)),
        storage.call(backend.article_counts, now - timedelta(days=7)),
        storage.call(backend.pending_counts),
        now,
        Thresholds(
            quiet_runs=settings.getint("NEWS_HEALTH_QUIET_RUNS"),
            quiet_hours=settings.getint("NEWS_HEALTH_QUIET_HOURS"),
            error_rate=settings.getfloat("NEWS_HEALTH_ERROR_RATE"),
            drop_rate=settings.getfloat("NEWS_HEALTH_DROP_RATE"),
            pending=settings.getint("NEWS_HEALTH_PENDING"),
        ),
    )
