"""Discovery strategies shared by every source: feeds, sitemaps and listing pages.

Each one turns a response into article links (and, for sitemaps and listings, further
pages to read). Parsing is left to feedparser and to Scrapy's own sitemap support.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import feedparser
from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newsspiders.dates import from_struct_time, parse_datetime, plausible
from newsspiders.sources.model import Listing


@dataclass(frozen=True)
class ArticleLink:
    url: str
    title: str | None = None
    published: datetime | None = None


class DiscoveryError(ValueError):
    """A feed, sitemap or listing that could not be read at all."""


# --- feeds -------------------------------------------------------------------


def links_from_feed(response: Response) -> list[ArticleLink]:
    """RSS or Atom items, with the title and date the feed gives them."""
    parsed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    if parsed.bozo and not any(entry.get("link") for entry in parsed.entries):
        raise DiscoveryError(f"not a readable feed: {parsed.get('bozo_exception')}")
    links = []
    for entry in parsed.entries:
        href = entry.get("link")
        if not href:
            continue
        published = plausible(
            # Plain dict lookups: feedparser's own would map a missing key onto the
            # other, with a deprecation warning.
            from_struct_time(
                dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
            )
        )
        links.append(ArticleLink(response.urljoin(href), entry.get("title"), published))
    return links


# --- sitemaps ----------------------------------------------------------------


class _NewsSitemap(Sitemap):
    """Scrapy's Sitemap, also keeping the children of <news:news> (date, title)."""

    def _process_sitemap_element(self, elem: etree._Element) -> dict[str, Any] | None:
        nested: dict[str, str] = {}
        for child in elem:
            if self._get_tag_name(child) == "news":
                for grandchild in child.iter():
                    name = self._get_tag_name(grandchild)
                    if name and name != "news" and grandchild.text:
                        nested[f"news_{name}"] = grandchild.text.strip()
        entry = super()._process_sitemap_element(elem)
        return None if entry is None else {**entry, **nested}


def _sitemap_body(response: Response, max_size: int) -> bytes:
    if gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=max_size)
        except ValueError:  # Scrapy's (private) "decompressed past max_size" error
            raise DiscoveryError(f"gzipped sitemap larger than {max_size} bytes") from None
    return response.body


@dataclass
class SitemapPage:
    sitemaps: list[str]
    links: list[ArticleLink]


def read_sitemap(response: Response, max_size: int) -> SitemapPage:
    """A robots.txt, sitemap index or urlset (plain, gzipped, or Google News)."""
    if response.url.endswith("/robots.txt"):
        return SitemapPage(list(sitemap_urls_from_robots(response.body, response.url)), [])
    body = _sitemap_body(response, max_size)
    try:
        sitemap = _NewsSitemap(body)
    except (StopIteration, etree.XMLSyntaxError):
        raise DiscoveryError("not a sitemap (no XML root element)") from None
    if sitemap.type not in {"sitemapindex", "urlset"}:
        raise DiscoveryError(f"not a sitemap (root element <{sitemap.type}>)")
    entries = list(sitemap)
    if sitemap.type == "sitemapindex":
        return SitemapPage([response.urljoin(e["loc"]) for e in entries], [])
    links = [
        ArticleLink(
            response.urljoin(entry["loc"]),
            entry.get("news_title"),
            plausible(parse_datetime(entry.get("news_publication_date") or entry.get("lastmod"))),
        )
        for entry in entries
    ]
    return SitemapPage([], links)


# --- listing pages -----------------------------------------------------------


def links_from_listing(
    response: Response, listing: Listing
) -> tuple[list[ArticleLink], str | None]:
    """Article links on one listing page and the next page's URL, if any."""
    if not isinstance(response, TextResponse):
        raise DiscoveryError("listing page is not HTML")
    selected = response.css(listing.css) if listing.css else response.xpath(listing.xpath or "")
    links = []
    for node in selected:
        # A selector may pick the <a> element itself or its href attribute.
        href = (
            node.attrib.get("href") if node.root is not None and hasattr(node.root, "tag") else None
        )
        href = href or node.get()
        if href and not href.lstrip().startswith("<"):
            title = " ".join(node.css("::text").getall()).strip() or None
            links.append(ArticleLink(response.urljoin(href.strip()), title))
    if not links:
        # A listing page always links to articles: none means the layout changed.
        selector = listing.css or listing.xpath
        raise DiscoveryError(f"no article links match {selector!r}")
    next_href = response.css(listing.next_css).get()
    return links, (response.urljoin(next_href) if next_href else None)
