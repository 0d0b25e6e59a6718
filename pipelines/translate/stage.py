"""Translate stage: title and text to English through the cache and the provider chain,
off the reactor.

A failed translation never loses the article: it is stored untranslated with
translation_status='pending' and the reason; `scrapy retranslate` finishes it later.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler

from newsspiders.items import Article
from pipelines.storage.extension import crawl_storage
from pipelines.translate.article import ArticleTranslator, today
from pipelines.translate.breaker import run_breakers
from pipelines.translate.chain import REJECTED_KINDS, build_chain
from pipelines.translate.threads import translation_threads


class TranslatePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.storage = crawl_storage(crawler).storage
        spent = self.storage.call(self.storage.backend.usage_on, today())
        self.translator = ArticleTranslator(
            build_chain(crawler.settings, spent, run_breakers()),
            self.storage,
            crawler.settings.get("NEWS_TARGET_LANGUAGE"),
        )
        # Shared by every crawler of the process: the bound on requests in flight holds
        # for `crawlall` as a whole, not per source.
        self.threads = translation_threads(crawler.settings.getint("NEWS_TRANSLATE_THREADS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TranslatePipeline:
        return cls(crawler)

    async def process_item(self, item: Article) -> Article:
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(
            self.threads, self.translator.translate, item.title, item.text, item.language
        )
        item.title_en, item.text_en = outcome.title_en, outcome.text_en
        item.translation_status = outcome.status
        item.translator = outcome.translator
        item.translation_error = outcome.error
        if outcome.cache_hits:
            self.stats.inc_value("news/translation/cache_hits", outcome.cache_hits)
        if outcome.status in ("done", "pending"):
            self.stats.inc_value(f"news/translation/{outcome.status}")
        return item

    def close_spider(self) -> None:
        # Every item's translation has been awaited by now; the shared pool stays up.
        for provider, (requests, characters) in self.translator.record_usage().items():
            self.stats.set_value(f"news/translation/{provider}/requests", requests)
            self.stats.set_value(f"news/translation/{provider}/characters", characters)
        # Why providers failed ("provider:kind" -> count); answers the guard or the
        # answer check threw out are also summed, for the health report.
        failures = self.translator.chain.failures
        for key, count in failures.items():
            provider, kind = key.split(":")
            self.stats.set_value(f"news/translation/{provider}/failures/{kind}", count)
        rejected = sum(n for key, n in failures.items() if key.endswith(REJECTED_KINDS))
        if rejected:
            self.stats.set_value("news/translation/rejected", rejected)
