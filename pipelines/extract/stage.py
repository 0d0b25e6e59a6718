"""Extract stage: a page's article text, metadata and language, from a process pool.

The work itself is `pipelines.extract.worker.prepare_page`, run in a worker process.
Pages that are not articles (video pages, tag pages, teasers) are dropped here with a
reason, which the drop counter extension counts under `news/dropped/<reason>`.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures.process import BrokenProcessPool

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspiders.dates import parse_datetime
from newsspiders.items import Article
from pipelines.extract.keep import declared_not_article, drop_reason
from pipelines.extract.options import ExtractOptions
from pipelines.extract.pool import cpu_pool, discard_pool
from pipelines.extract.worker import prepare_page
from pipelines.language.detection import LanguageSetup
from pipelines.store.stopping import stop_crawl

logger = logging.getLogger(__name__)


class PageDropped(DropItem):
    """A page that yields no article worth storing, with a short machine-readable reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}", log_level="INFO")
        self.reason = reason


class ExtractPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._closing: asyncio.Future[None] | None = None
        self.processes = crawler.settings.getint("NEWS_EXTRACT_PROCESSES")
        self.min_chars = crawler.settings.getint("NEWS_MIN_TEXT_CHARS")
        self.languages = LanguageSetup.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def _shut_down(self) -> None:
        if self._closing is None:
            self._closing = stop_crawl(self.crawler, "shutdown")

    def options_for(self, item: Article) -> ExtractOptions:
        return ExtractOptions(
            body_css=item.body_css,
            search_date=item.link_published is None,
            languages=self.languages,
            declared=tuple(item.source_languages),
        )

    async def process_item(self, item: Article) -> Article:
        loop = asyncio.get_running_loop()
        pool = cpu_pool(self.processes)
        try:
            prepared = await loop.run_in_executor(
                pool, prepare_page, item.html, item.url, self.options_for(item)
            )
        except BrokenProcessPool:
            discard_pool(self.processes)
            raise PageDropped("extraction_failed", f"{item.url}: worker died") from None
        except KeyboardInterrupt:
            # A worker was interrupted (workers ignore SIGINT, so someone meant it): a
            # shutdown, not an error to escape the pipeline and leave the crawl hanging.
            self._shut_down()
            raise PageDropped("interrupted", f"{item.url}: extraction interrupted") from None
        except Exception as exc:  # noqa: BLE001 - a page that breaks a parser is skipped
            detail = f"{item.url}: {type(exc).__name__}: {exc}"[:300]
            raise PageDropped("extraction_failed", detail) from None
        if prepared.repair == "garbled":
            raise PageDropped("garbled", f"{item.url}: text garbled beyond repair")
        if prepared.repair:
            self.stats.inc_value(f"news/repaired/{prepared.repair}")
            logger.info("Repaired the text of %s (%s)", item.url, prepared.repair)
        found = prepared.found
        if found is None:
            raise PageDropped("extraction_failed", f"{item.url}: no content found")
        reason = drop_reason(found, self.min_chars)
        if reason == "not_article":
            kind = declared_not_article(found.page_types)
            raise PageDropped(reason, f"{item.url} is a {kind} page")
        if reason is not None:
            raise PageDropped(reason, f"{item.url}: {len(found.text)} characters of text")
        published = parse_datetime(found.published) or item.link_published
        if not item.dates.accepts(published):
            raise PageDropped("off_date", f"{item.url}: published {published}")

        item.title = found.title or item.link_title or ""
        item.text = found.text
        item.authors = found.authors
        item.published_at = published
        item.image_url = found.image_url
        item.description = found.description
        item.section = found.section
        item.canonical_url = found.canonical_url
        item.word_count = len(found.text.split())
        item.lang_attr = found.page_lang.strip() if found.page_lang else None
        item.content_hash = prepared.content_hash
        item.bands = prepared.bands or []
        if prepared.language is not None:
            item.language = prepared.language.language
            item.language_confidence = round(prepared.language.confidence, 3)
            item.language_script = prepared.language.script
        item.html = ""  # not needed past this point; don't carry it through the pipeline
        return item
