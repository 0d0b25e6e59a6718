"""`scrapy report --html FILE`: the crawl at a glance, as one self-contained HTML page.

A world map coloured by new articles per country in the last 24 hours (quiet countries
marked), the top current stories with the countries covering them, and `scrapy health`'s
source table with its alerts. The file needs no network to open.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsspiders.commands.exits import ConfigError, one_line_errors
from newsspiders.commands.health import read_health_report
from newsspiders.reporting.html_report import render_report
from newsspiders.reporting.report_data import read_report_data
from newsspiders.sources.model import load_sources
from pipelines.storage import Storage


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "--html FILE [--story-hours N] [--stories N]"

    def short_desc(self) -> str:
        return "Write an HTML report: coverage map, top stories, source health"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--html", metavar="FILE", help="where to write the report")
        parser.add_argument(
            "--story-hours",
            type=int,
            default=24,
            metavar="N",
            help="top stories are those covered in the last N hours (24)",
        )
        parser.add_argument(
            "--stories", type=int, default=10, metavar="N", help="how many top stories (10)"
        )

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy report takes no arguments besides its options")
        if not opts.html:
            raise ConfigError("--html FILE is required: where to write the report")
        if opts.story_hours <= 0 or opts.stories <= 0:
            raise ConfigError("--story-hours and --stories must be positive whole numbers")
        target = Path(opts.html)
        if not target.parent.is_dir():
            raise ConfigError(f"cannot write {target}: no directory {target.parent}")
        assert self.settings is not None
        settings = self.settings
        now = datetime.now(UTC)
        sources = load_sources(settings.get("NEWS_SOURCES"))
        # Read-only, like `scrapy health`: a mistyped path is an error, not a new database.
        storage = Storage(settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            health = read_health_report(storage, sources, settings, now)
            data = read_report_data(storage, sources, health, now, opts.story_hours, opts.stories)
        finally:
            storage.close()
        write_atomically(target, render_report(data))
        print(
            f"wrote {target}: {len(data.countries)} countries"
            f" ({len(data.quiet_countries)} quiet), {len(data.stories)} stories,"
            f" {health.alert_count} alerts"
        )


def write_atomically(target: Path, text: str) -> None:
    """Write beside the target, then rename: a page served from `target` is never half
    written."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
