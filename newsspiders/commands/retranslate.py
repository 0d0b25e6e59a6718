"""`scrapy retranslate [--source NAME]`: translate the articles stored as pending."""

from __future__ import annotations

import argparse
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from newsspiders.commands.exits import EXIT_PROBLEM, one_line_errors
from newsspiders.sources.model import SourcesError, languages_of, load_sources
from pipelines.storage import Storage
from pipelines.translate.article import ArticleTranslator, today
from pipelines.translate.chain import build_chain
from pipelines.translate.config import check_settings

# A claim older than this belongs to a run that died: another run may take the article.
CLAIM_TIMEOUT = timedelta(minutes=30)


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
        check_settings(self.settings)
        self._set_source_languages()
        # Finishes what crawls stored: a database that does not exist is a mistake.
        storage = Storage(self.settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            done, still = self._retranslate(storage, opts.source, opts.limit)
        finally:
            storage.close()
        print(f"translated {done}, still pending {still}")
        if still:
            self.exitcode = EXIT_PROBLEM

    def _set_source_languages(self) -> None:
        """The languages of the sources file, as a crawl's settings have them: the guard
        on answers detects among them."""
        assert self.settings is not None
        if self.settings.getlist("NEWS_SOURCE_LANGUAGES"):
            return
        try:
            sources = load_sources(self.settings.get("NEWS_SOURCES"))
        except (SourcesError, OSError):
            return  # the guard still tells the article's language from English
        self.settings.set("NEWS_SOURCE_LANGUAGES", languages_of(sources), priority="cmdline")

    def _retranslate(self, storage: Storage, source: str | None, limit: int) -> tuple[int, int]:
        """Claim pending articles a few at a time (so that a second run at once takes
        others, never the same) and translate them; give back what is left unfinished."""
        assert self.settings is not None
        backend = storage.backend
        translator = ArticleTranslator(
            build_chain(self.settings, storage.call(backend.usage_on, today())),
            storage,
            self.settings.get("NEWS_TARGET_LANGUAGE"),
        )
        threads = self.settings.getint("NEWS_TRANSLATE_THREADS")
        token = uuid.uuid4().hex

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

        results: list[bool] = []
        last_id = 0  # what failed stays pending: this run does not take it again
        try:
            with ThreadPoolExecutor(threads) as pool:
                while len(results) < limit:
                    stale = (datetime.now(UTC) - CLAIM_TIMEOUT).isoformat()
                    size = min(threads, limit - len(results))
                    claimed = storage.call(
                        backend.claim_pending, token, source, size, stale, last_id
                    )
                    if not claimed:
                        break
                    last_id = claimed[-1]["id"]
                    results.extend(pool.map(one, claimed))
        finally:
            storage.call(backend.release_claims, token)
            translator.record_usage()
        return sum(results), len(results) - sum(results)
