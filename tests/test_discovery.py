"""Discovery strategies on the fixture sites' own feeds, sitemaps and listings."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from newsspiders.sources.model import Listing
from newsspiders.spiders.discovery import (
    DiscoveryError,
    links_from_feed,
    links_from_listing,
    read_sitemap,
)
from newsspiders.testing.sites import load_sites, render

BASE = "http://127.0.0.1:8000"
SITES = load_sites()


def fetch(site: str, path: str, query: dict[str, str] | None = None) -> Response:
    page = render(SITES[site], BASE, path, query or {})
    assert page is not None, path
    cls = HtmlResponse if page.content_type.startswith("text/html") else XmlResponse
    if page.content_type in ("application/gzip", "text/plain"):
        cls = Response if page.content_type == "application/gzip" else TextResponse
    return cls(url=BASE + path, body=page.body, headers={"Content-Type": page.content_type})


def test_rss_feed_gives_links_titles_and_dates() -> None:
    links = links_from_feed(fetch("lejournal", "/rss.xml"))
    articles = SITES["lejournal"].articles
    assert len(links) == len(articles) + 1  # plus the video item
    by_url = {link.url.split("?")[0]: link for link in links}
    for article in articles:
        link = by_url[BASE + article.path]
        assert link.title == article.title and link.published == article.published


def test_atom_feed_resolves_relative_links() -> None:
    links = links_from_feed(fetch("alsabah", "/atom.xml"))
    assert [link.url for link in links] == [BASE + a.path for a in SITES["alsabah"].articles]
    assert all(link.published is not None for link in links)


def test_garbage_feed_is_an_error() -> None:
    response = XmlResponse(url=BASE + "/rss.xml", body=b"<html><body>oops</body></html>")
    with pytest.raises(DiscoveryError):
        links_from_feed(response)


def test_robots_index_and_gzipped_news_sitemap() -> None:
    robots = read_sitemap(fetch("nichinichi", "/robots.txt"), max_size=10**6)
    assert robots.sitemaps == [BASE + "/sitemap_index.xml"] and robots.links == []
    index = read_sitemap(fetch("nichinichi", "/sitemap_index.xml"), max_size=10**6)
    assert index.sitemaps == [BASE + "/sitemaps/news.xml.gz", BASE + "/sitemaps/pages.xml"]
    news = read_sitemap(fetch("nichinichi", "/sitemaps/news.xml.gz"), max_size=10**6)
    articles = SITES["nichinichi"].articles
    assert [link.url for link in news.links] == [BASE + a.path for a in articles]
    assert [link.title for link in news.links] == [a.title for a in articles]
    assert [link.published for link in news.links] == [a.published for a in articles]


def test_gzip_bomb_is_capped() -> None:
    body = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    response = Response(url=BASE + "/big.xml.gz", body=body)
    with pytest.raises(DiscoveryError, match="larger than"):
        read_sitemap(response, max_size=100_000)


def test_plain_sitemap_uses_lastmod() -> None:
    page = read_sitemap(fetch("lavoz", "/sitemap.xml"), max_size=10**6)
    assert len(page.links) == len(SITES["lavoz"].articles) + 2  # plus an AMP copy and a tag page
    assert page.links[0].published is not None


def test_listing_pages_and_pagination() -> None:
    listing = Listing(urls=[BASE + "/news/"], css="a.headline")
    links, next_url = links_from_listing(fetch("vestnik", "/news/"), listing)
    articles = SITES["vestnik"].articles
    assert [link.url for link in links] == [BASE + a.path for a in articles[:2]] + [
        BASE + "/video/"
    ]
    assert links[0].title == articles[0].title
    assert next_url == BASE + "/news/?page=2"
    links, next_url = links_from_listing(fetch("vestnik", "/news/", {"page": "2"}), listing)
    assert [link.url for link in links] == [BASE + a.path for a in articles[2:4]]
    assert next_url == (BASE + "/news/?page=3" if len(articles) > 4 else None)


def test_listing_with_xpath_to_href() -> None:
    listing = Listing(urls=[BASE + "/news/"], xpath="//a[@class='headline']/@href")
    links, _ = links_from_listing(fetch("vestnik", "/news/"), listing)
    assert links[0].url == BASE + SITES["vestnik"].articles[0].path
