"""Translate stage: title and text to English through the provider chain, off the reactor.

A failed translation never loses the article: it is stored untranslated with
translation_status='pending' and the reason, to be finished later.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from scrapy.crawler import Crawler

from newsspiders.items import Article
from pipelines.translators import TranslationError, TranslatorChain, build_chain


def segments_of(article: Article) -> list[str]:
    """What gets translated: the title, then each paragraph on its own."""
    return [article.title, *(line for line in article.text.split("\n") if line.strip())]


def apply_translation(article: Article, translated: list[str]) -> None:
    article.title_en = translated[0]
    article.text_en = "\n".join(translated[1:])


class TranslatePipeline:
    def __init__(self, crawler: Crawler, chain: TranslatorChain):
        self.stats = crawler.stats
        self.chain = chain
        self.target = crawler.settings.get("NEWS_TARGET_LANGUAGE")
        self.threads = ThreadPoolExecutor(
            max_workers=crawler.settings.getint("NEWS_TRANSLATE_THREADS"),
            thread_name_prefix="translate",
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TranslatePipeline:
        return cls(crawler, build_chain(crawler.settings))

    async def process_item(self, item: Article) -> Article:
        if item.language == self.target:
            item.title_en, item.text_en = item.title, item.text
            item.translation_status = "not_needed"
            return item
        loop = asyncio.get_running_loop()
        assert item.language is not None  # the language stage always sets it
        try:
            translated, provider = await loop.run_in_executor(
                self.threads,
                self.chain.translate_batch,
                segments_of(item),
                item.language,
                self.target,
            )
        except TranslationError as exc:
            item.translation_status = "pending"
            item.translation_error = str(exc)[:500]
            self.stats.inc_value("news/translation/pending")
            return item
        apply_translation(item, translated)
        item.translation_status = "done"
        item.translator = provider
        self.stats.inc_value("news/translation/done")
        return item

    def close_spider(self) -> None:
        self.threads.shutdown(wait=True)
        for provider in self.chain.providers:
            for counter in ("requests_made", "characters_sent"):
                value = getattr(provider, counter, None)
                if value is not None:
                    self.stats.set_value(f"news/translation/{provider.name}/{counter}", value)
