"""`scrapy retranslate [--source NAME]`: translate the articles stored as pending."""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from newsspiders.commands.exits import EXIT_PROBLEM, one_line_errors
from pipelines.storage import Storage
from pipelines.translate.article import ArticleTranslator, today
from pipelines.translate.chain import build_chain


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--source NAME] [--limit N]"

    def short_desc(self) -> str:
        return "Translate stored articles whose translation is pending"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", help="only this source's articles")
        parser.add_argument("--limit", type=int, default=1000, help="at most this many")

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        # Finishes what crawls stored: a database that does not exist is a mistake.
        storage = Storage(self.settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            done, still = self._retranslate(storage, opts.source, opts.limit)
        finally:
            storage.close()
        print(f"translated {done}, still pending {still}")
        if still:
            self.exitcode = EXIT_PROBLEM

    def _retranslate(self, storage: Storage, source: str | None, limit: int) -> tuple[int, int]:
        assert self.settings is not None
        backend = storage.backend
        pending = storage.call(backend.pending_articles, source, limit)
        translator = ArticleTranslator(
            build_chain(self.settings, storage.call(backend.usage_on, today())),
            storage,
            self.settings.get("NEWS_TARGET_LANGUAGE"),
        )

        def one(article: dict[str, Any]) -> bool:
            outcome = translator.translate(article["title"], article["text"], article["language"])
            storage.call(
                backend.set_translation,
                article["id"],
                outcome.title_en,
                outcome.text_en,
                outcome.status,
                outcome.translator,
                outcome.error,
            )
            return outcome.status != "pending"

        with ThreadPoolExecutor(self.settings.getint("NEWS_TRANSLATE_THREADS")) as threads:
            results = list(threads.map(one, pending))
        translator.record_usage()
        return sum(results), len(results) - sum(results)
