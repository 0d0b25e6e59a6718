"""Dedup stage: an article already stored (same URL, canonical URL or text) is not stored
or translated again; its new URL is recorded as an alias instead.

Near-duplicates (edited wire copies) come in a later stage of this module's life.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from newsspiders.items import Article
from newsspiders.urls import normalize_url, url_hash
from pipelines.common import drop, in_flight
from pipelines.storage import storage_for

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def trusted_canonical(canonical: str, fetched: str) -> bool:
    """A canonical link on the same host that is not the home page (a common mistake)."""
    parts = urlsplit(canonical)
    return parts.hostname == urlsplit(fetched).hostname and parts.path not in ("", "/")


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing folded away."""
    folded = _NON_WORD.sub(" ", text.casefold()).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


class DedupPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.storage = storage_for(crawler)
        self._in_flight = in_flight(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    async def process_item(self, item: Article) -> Article:
        fetched = normalize_url(item.url)
        item.urls = {url_hash(fetched): fetched}
        if item.canonical_url:
            canonical = normalize_url(item.canonical_url)
            item.urls[url_hash(canonical)] = canonical
            if trusted_canonical(canonical, fetched):
                fetched = (
                    canonical  # the article's own name for itself, not an AMP or tracking copy
                )
        item.url = fetched
        item.url_hash = url_hash(fetched)
        item.content_hash = content_hash(item.text)

        first = self._in_flight.get(item.content_hash)
        if first is not None:
            first.urls.update(item.urls)
            raise drop(self.stats, "duplicate_content", f"{item.url} repeats {first.url}")
        backend = self.storage.backend
        existing = await self.storage.run(backend.find_article, list(item.urls), item.content_hash)
        if existing is not None:
            await self.storage.run(backend.add_aliases, existing, item.urls)
            raise drop(self.stats, "duplicate", f"{item.url} is stored already as #{existing}")
        self._in_flight[item.content_hash] = item
        return item
