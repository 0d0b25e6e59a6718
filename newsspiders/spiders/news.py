"""NewsSpider: the one spider every source runs, parameterised by its Source entry."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse

from newsspiders.dates import DateRange, parse_datetime
from newsspiders.items import Article
from newsspiders.sources.model import Source
from newsspiders.spiders.charset import page_text
from newsspiders.spiders.discovery import (
    ArticleLink,
    DiscoveryError,
    links_from_feed,
    links_from_listing,
    read_sitemap,
)
from newsspiders.urls import url_hash


class NewsSpider(scrapy.Spider):
    """Reads a source's feeds, sitemaps and listing pages and yields new articles.

    Arguments (`-a`): `since=YYYY-MM-DD` and `until=YYYY-MM-DD` bound the publication
    date, for backfills; links whose date is known and outside the window are not fetched.
    """

    source: ClassVar[Source]

    def __init__(self, *args: Any, since: str | None = None, until: str | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.dates = DateRange.of_days(since, until)
        self._allow = [re.compile(p) for p in self.source.allow]
        self._deny = [re.compile(p) for p in self.source.deny]
        self._requested: set[str] = set()

    # --- discovery -------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for feed in self.source.feeds:
            yield scrapy.Request(
                str(feed),
                callback=self.parse_feed,
                errback=self.discovery_failed,
                cb_kwargs={"languages": self.source.languages_of(feed)},
            )
        for sitemap in self.source.sitemaps:
            yield self._sitemap_request(str(sitemap), self.source.languages_of(sitemap))
        if self.source.listing:
            for url in self.source.listing.urls:
                yield scrapy.Request(
                    str(url),
                    callback=self.parse_listing,
                    errback=self.discovery_failed,
                    cb_kwargs={"page": 1},
                )

    def _sitemap_request(self, url: str, languages: list[str]) -> scrapy.Request:
        # A sitemap index passes its feed's language on to the sitemaps it names.
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.discovery_failed,
            cb_kwargs={"languages": languages},
        )

    async def parse_feed(
        self, response: Response, languages: list[str] | None = None
    ) -> AsyncIterator[scrapy.Request]:
        links = self._read(links_from_feed, response)
        for request in self.article_requests(links or [], languages):
            yield request

    async def parse_sitemap(
        self, response: Response, languages: list[str] | None = None
    ) -> AsyncIterator[scrapy.Request]:
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE")
        page = self._read(read_sitemap, response, max_size)
        if page is None:
            return
        languages = languages or list(self.source.language)
        for url in page.sitemaps:
            yield self._sitemap_request(url, languages)
        for request in self.article_requests(page.links, languages):
            yield request

    async def parse_listing(self, response: Response, page: int) -> AsyncIterator[scrapy.Request]:
        listing = self.source.listing
        assert listing is not None
        found = self._read(links_from_listing, response, listing)
        if found is None:
            return
        links, next_url = found
        for request in self.article_requests(links):
            yield request
        if next_url and page < listing.max_pages:
            yield response.follow(
                next_url,
                callback=self.parse_listing,
                errback=self.discovery_failed,
                cb_kwargs={"page": page + 1},
            )

    def _read(self, reader: Any, response: Response, *args: Any) -> Any:
        self.crawler.stats.inc_value("news/discovery_pages")
        try:
            found = reader(response, *args)
        except DiscoveryError as exc:
            self.crawler.stats.inc_value("news/discovery_errors")
            self.logger.error("Cannot read %s: %s", response.url, exc)
            return None
        except Exception as exc:  # noqa: BLE001 - e.g. a selector the parser refuses
            # Counted like any unreadable page, so the run's outcome and health see it.
            self.crawler.stats.inc_value("news/discovery_errors")
            self.logger.error("Cannot read %s: %s: %s", response.url, type(exc).__name__, exc)
            return None
        self.crawler.stats.inc_value("news/discovery_ok")
        return found

    def discovery_failed(self, failure: Any) -> None:
        self.crawler.stats.inc_value("news/discovery_errors")
        self.logger.error("Discovery request failed: %s", failure.getErrorMessage())

    # --- from links to article requests -----------------------------------------

    def wants_url(self, url: str) -> bool:
        if self._allow and not any(p.search(url) for p in self._allow):
            return False
        return not any(p.search(url) for p in self._deny)

    def article_requests(
        self, links: Iterable[ArticleLink], languages: list[str] | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the links not seen in this run; the known-URL filter (a spider
        middleware) drops those stored by earlier runs, and the article window paces
        the rest. `languages`: those expected of the articles (default: the entry's)."""
        stats = self.crawler.stats
        for link in links:
            key = url_hash(link.url)
            if key in self._requested or not self.wants_url(link.url):
                continue
            if not self.dates.accepts(link.published):
                stats.inc_value("news/skipped/off_date")
                continue
            self._requested.add(key)
            stats.inc_value("news/discovered")
            yield self.article_request(link, key, languages)

    def article_request(
        self, link: ArticleLink, key: str, languages: list[str] | None = None
    ) -> scrapy.Request:
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            cb_kwargs={
                "link_title": link.title,
                "link_published": link.published.isoformat() if link.published else None,
                "languages": languages or list(self.source.language),
            },
            meta={"url_hash": key},  # marks an article request for the middlewares
        )

    # --- articles --------------------------------------------------------------

    def parse_article(
        self,
        response: Response,
        link_title: str | None,
        link_published: str | None,
        languages: list[str] | None = None,
    ) -> Iterable[Article]:
        self.crawler.stats.inc_value("news/article_pages")  # what a run without discovery read
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("news/dropped/not_html")
            self.logger.info("Dropped %s: not an HTML page", response.url)
            return
        # A per-feed language narrows what the page is expected to be in (charset
        # guessing, language detection); articles otherwise expect the entry's languages.
        languages = languages or list(self.source.language)
        decoded = page_text(response, languages)
        if decoded.how:
            self.crawler.stats.inc_value(f"news/repaired/{decoded.how}")
            self.logger.info("Read %s as %s (%s)", response.url, decoded.encoding, decoded.how)
        yield Article(
            source=self.source.name,
            country=self.source.country,
            url=response.url,
            html=decoded.text,
            source_languages=languages,
            body_css=self.source.extract.body_css,
            dates=self.dates,
            link_title=link_title,
            link_published=parse_datetime(link_published),
            fetched_at=datetime.now(UTC),
        )
