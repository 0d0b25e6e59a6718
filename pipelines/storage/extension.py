"""The crawl's database as a Scrapy extension: one per crawler, found by every component
that needs it with `crawler.get_extension(StorageExtension)` (or `crawl_storage`).

The connection opens when a component first asks for it (the store stage's
`open_spider`, before any request is made) and closes on `engine_stopped`, which comes
after every `spider_closed` handler, the run recorder's included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals

from pipelines.storage import Storage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class StorageExtension:
    def __init__(self, database_url: str):
        self.database_url = database_url
        self._storage: Storage | None = None
        # Articles of this crawl that passed dedup and are not written yet, by content
        # hash. Dedup adds to it, the store stage removes what it wrote: a copy that
        # turns up meanwhile joins the first as an extra URL instead of being stored again.
        self.in_flight: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorageExtension:
        extension = cls(crawler.settings.get("NEWS_DATABASE_URL"))
        crawler.signals.connect(extension.close, signal=signals.engine_stopped)
        return extension

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            self._storage = Storage(self.database_url)
        return self._storage

    def close(self) -> None:
        if self._storage is not None:
            self._storage.close()
            self._storage = None


def crawl_storage(crawler: Crawler) -> StorageExtension:
    """The crawler's storage extension; a clear error when the settings left it out."""
    extension = crawler.get_extension(StorageExtension)
    if extension is None:
        raise RuntimeError(
            "the StorageExtension is not enabled: add"
            " 'pipelines.storage.extension.StorageExtension' to EXTENSIONS"
        )
    return extension
