"""`scrapy initdb`: create or migrate the database named by NEWS_DATABASE_URL."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from newsspiders.commands.exits import one_line_errors
from newsspiders.sources.model import load_sources
from pipelines.storage import open_backend


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Apply pending database migrations and sync the sources table"

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        # Read first: a bad sources file stops the command before the database is touched.
        sources = load_sources(self.settings.get("NEWS_SOURCES"))
        backend = open_backend(self.settings.get("NEWS_DATABASE_URL"))
        try:
            applied = backend.migrate()
            backend.sync_sources([source.as_row() for source in sources])
            version = backend.schema_version()
        finally:
            backend.close()
        done = f"applied {', '.join(map(str, applied))}" if applied else "nothing to apply"
        print(f"schema at version {version} ({done})")
