"""Small pieces the stages share: counted drops and the in-flight registry."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsspiders.items import Article


class ArticleDropped(DropItem):
    """A page that is not stored, with a short machine-readable reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}", log_level="INFO")
        self.reason = reason


def drop(stats: StatsCollector | None, reason: str, detail: str) -> ArticleDropped:
    """Count the drop under news/dropped/<reason> and return the exception to raise."""
    if stats is not None:
        stats.inc_value(f"news/dropped/{reason}")
    return ArticleDropped(reason, detail)


def in_flight(crawler: Crawler) -> dict[str, Article]:
    """Articles of this crawl that passed dedup but are not stored yet, by content hash.

    Dedup adds to it, store removes what it has written: a copy that turns up meanwhile
    joins the first as an extra URL instead of being translated and stored again.
    """
    registry = getattr(crawler, "_news_in_flight", None)
    if registry is None:
        registry = crawler._news_in_flight = {}  # type: ignore[attr-defined]
    return registry
