"""Extract stage: trafilatura turns a page into text and metadata, in a process pool.

Pages that are not articles (video pages, tag pages, teasers) are dropped here with a
counted reason.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from scrapy.crawler import Crawler

from newsspiders.dates import parse_datetime
from newsspiders.items import Article
from pipelines.common import drop
from pipelines.workers import cpu_pool, discard_pool

# og:type / JSON-LD @type values that mark a page as something other than an article.
NOT_ARTICLE_TYPES = {
    "video", "video.other", "videoobject", "website", "collectionpage", "itemlist",
    "searchresultspage", "profile", "profilepage", "webpage", "mediagallery",
}  # fmt: skip
ARTICLE_TYPES = {
    "article", "newsarticle", "reportage", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting",
}  # fmt: skip


@dataclass
class Extracted:
    """What one page yields; plain data so it crosses the process boundary cheaply."""

    title: str
    text: str
    authors: list[str]
    published: str | None
    image_url: str | None
    description: str | None
    section: str | None
    canonical_url: str | None
    page_types: list[str]


def extract_page(html: str, url: str, body_css: str | None = None) -> Extracted | None:
    """Run trafilatura on one page (called in a worker process)."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    # Read what we need from the tree first: trafilatura prunes it in place.
    json_ld = _json_ld_objects(tree)
    canonical_url = _canonical_url(tree)
    selected_text = _text_of_selected(tree, body_css) if body_css else ""
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"original_date": True, "extensive_search": True},
    )
    if doc is None:
        return None
    meta: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    title = (meta.get("title") or "").strip()
    text = _without_leading_title(selected_text or meta.get("text") or "", title)
    return Extracted(
        title=title,
        text=text,
        authors=_split_authors(meta.get("author")),
        published=_published(json_ld) or meta.get("date"),
        image_url=meta.get("image"),
        description=meta.get("description"),
        section=(meta.get("categories") or [None])[0],
        canonical_url=canonical_url,
        page_types=_page_types(tree, json_ld, meta.get("pagetype")),
    )


_BLOCKS = "p, h2, h3, h4, li, blockquote, pre"


def _text_of_selected(tree: Any, css: str) -> str:
    """The text of the source's own body selector, one line per block element.

    The editor said this is the body, so trafilatura's judgement is not applied again.
    """
    lines = []
    for node in tree.cssselect(css):
        blocks = node.cssselect(_BLOCKS) or [node]
        for block in blocks:
            text = " ".join(block.text_content().split())
            if text:
                lines.append(text)
    return "\n".join(lines)


def _without_leading_title(text: str, title: str) -> str:
    """trafilatura often keeps the <h1> as the first line; the title is stored apart."""
    first, _, rest = text.partition("\n")
    return rest.strip() if title and first.strip() == title else text.strip()


def _split_authors(author: str | None) -> list[str]:
    if not author:
        return []
    return [name.strip() for name in author.split(";") if name.strip()]


def _json_ld_objects(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        objects.extend(item for item in items if isinstance(item, dict))
    return objects


def _published(json_ld: list[dict[str, Any]]) -> str | None:
    """JSON-LD datePublished keeps the time and zone that trafilatura's date drops."""
    for item in json_ld:
        if isinstance(item.get("datePublished"), str):
            return item["datePublished"]
    return None


def _page_types(tree: Any, json_ld: list[dict[str, Any]], pagetype: str | None) -> list[str]:
    types = [str(pagetype).lower()] if pagetype else []
    for item in json_ld:
        declared = item.get("@type")
        for name in declared if isinstance(declared, list) else [declared]:
            if isinstance(name, str):
                types.append(name.lower())
    return types


def _canonical_url(tree: Any) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found and found[0].strip():
            return found[0].strip()
    return None


def is_article(page_types: list[str]) -> bool:
    """An explicit article type wins; otherwise any explicit non-article type loses."""
    if any(t in ARTICLE_TYPES for t in page_types):
        return True
    return not any(t in NOT_ARTICLE_TYPES for t in page_types)


class ExtractPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.processes = crawler.settings.getint("NEWS_EXTRACT_PROCESSES")
        self.min_chars = crawler.settings.getint("NEWS_MIN_TEXT_CHARS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: Article) -> Article:
        spider: Any = self.crawler.spider
        body_css = spider.source.extract.body_css
        loop = asyncio.get_running_loop()
        try:
            found = await loop.run_in_executor(
                cpu_pool(self.processes), extract_page, item.html, item.url, body_css
            )
        except BrokenProcessPool:
            discard_pool(self.processes)
            raise drop(self.stats, "extraction_failed", f"{item.url}: worker died") from None
        if found is None:
            raise drop(self.stats, "extraction_failed", f"{item.url}: no content found")
        if not is_article(found.page_types):
            raise drop(self.stats, "not_article", f"{item.url} is a {found.page_types[0]} page")
        if len(found.text) < self.min_chars:
            raise drop(self.stats, "too_short", f"{item.url}: {len(found.text)} characters of text")
        published = parse_datetime(found.published) or item.link_published
        if not spider.in_window(published):
            raise drop(self.stats, "off_date", f"{item.url}: published {published}")

        item.title = found.title or item.link_title or ""
        item.text = found.text
        item.authors = found.authors
        item.published_at = published
        item.image_url = found.image_url
        item.description = found.description
        item.section = found.section
        item.canonical_url = found.canonical_url
        item.word_count = len(found.text.split())
        item.html = ""  # not needed past this point; don't carry it through the pipeline
        return item
