"""Dedup stage: an article already stored (same URL, canonical URL or text) is not stored
or translated again; its new URL is recorded as an alias instead.

Near-duplicates (an edited copy of a wire story) are stored, with `duplicate_of` set by
the storage backend from the band hashes computed here: the check has to happen in the
same transaction as the insert, or two crawls storing copies at once would both miss it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspiders.items import Article
from newsspiders.urls import normalize_url, url_key
from pipelines.dedup.fingerprints import content_hash, fingerprint
from pipelines.storage import StorageUnavailable
from pipelines.storage.extension import crawl_storage


class Duplicate(DropItem):
    """An article stored already (`duplicate`) or met earlier in this crawl
    (`duplicate_content`): its URL joins the first copy instead."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}", log_level="INFO")
        self.reason = reason


def trusted_canonical(canonical: str, fetched: str) -> bool:
    """A canonical link on the same host that is not the home page (a common mistake)."""
    parts = urlsplit(canonical)
    return parts.hostname == urlsplit(fetched).hostname and parts.path not in ("", "/")


class DedupPipeline:
    def __init__(self, crawler: Crawler):
        extension = crawl_storage(crawler)
        self.storage = extension.storage
        self._in_flight = extension.in_flight

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    async def process_item(self, item: Article) -> Article:
        fetched = normalize_url(item.url)
        item.urls = {url_key(fetched): fetched}
        item.url = fetched
        if item.canonical_url:
            canonical = normalize_url(item.canonical_url)
            item.urls[url_key(canonical)] = canonical
            if trusted_canonical(canonical, fetched):
                item.url = canonical  # the article's own name, not an AMP or tracking copy
        item.url_hash = url_key(item.url)
        if not item.content_hash:  # normally computed with the extraction, off the reactor
            item.content_hash = content_hash(item.text)
            found = fingerprint(item.text)
            item.bands = found.bands if found else []

        first = self._in_flight.get(item.content_hash)
        if first is not None:
            first.urls.update(item.urls)
            raise Duplicate("duplicate_content", f"{fetched} repeats {first.url}")
        # Registered before the database is asked, so that a copy arriving during the
        # query joins this item instead of passing the check too.
        self._in_flight[item.content_hash] = item
        backend = self.storage.backend
        try:
            existing = await self.storage.run(
                backend.find_article, list(item.urls), item.content_hash
            )
            if existing is not None:
                # item.urls now also holds the URLs of copies that joined it meanwhile.
                await self.storage.run(backend.add_aliases, existing, item.urls)
        except StorageUnavailable:
            return item  # the store stage checks again when it writes (or journals) it
        if existing is not None:
            del self._in_flight[item.content_hash]
            raise Duplicate("duplicate", f"{fetched} is stored already as #{existing}")
        return item
