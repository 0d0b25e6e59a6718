"""`scrapy stories`: place new articles in stories (the same event from every source),
then link new stories into threads (the successive events of one long story).

Run after storing, e.g. from cron after `crawlall`; articles without English yet are
placed by a later run, once translated. NEWS_STORY_WINDOW_HOURS (72): how long after
its first report a story takes reports.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsspiders.commands.exits import EXIT_PROBLEM, ConfigError, one_line_errors
from pipelines.storage import open_backend, prepare_schema

DEFAULT_WINDOW_HOURS = 72.0


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {
        "LOG_LEVEL": "WARNING",
        # Environment wins over the default, `-s NEWS_STORY_WINDOW_HOURS=…` over both.
        "NEWS_STORY_WINDOW_HOURS": float(
            os.environ.get("NEWS_STORY_WINDOW_HOURS", DEFAULT_WINDOW_HOURS)
        ),
    }

    def short_desc(self) -> str:
        return "Group new articles into stories (one event, every country) and threads"

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy stories takes no arguments")
        assert self.settings is not None
        hours = self.settings.getfloat("NEWS_STORY_WINDOW_HOURS", DEFAULT_WINDOW_HOURS)
        if hours <= 0:
            raise ConfigError(f"NEWS_STORY_WINDOW_HOURS must be positive, not {hours}")
        # Here, not at the top: scrapy imports every command to start any of them, and
        # stories brings numpy and the embedding model's code.
        from pipelines.stories import StoryConflict, link_threads, place_articles

        # Groups what crawls stored: a database that does not exist is a mistake.
        backend = open_backend(self.settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            prepare_schema(backend)
            print(place_articles(backend, timedelta(hours=hours)))
            print(link_threads(backend))
        except StoryConflict as exc:
            print(f"stories: {exc}", file=sys.stderr)
            self.exitcode = EXIT_PROBLEM
        finally:
            backend.close()
