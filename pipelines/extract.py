"""Extract stage: a page's article text and metadata, in a process pool.

trafilatura finds the body; `pipelines.extraction` picks its settings per page, repairs
what it misses and drops what it keeps by mistake, and reads the metadata the page
declares. Pages that are not articles (video pages, tag pages, teasers) are dropped here
with a counted reason.
"""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import trafilatura
from scrapy.crawler import Crawler

from newsspiders.dates import parse_datetime
from newsspiders.items import Article
from pipelines.common import drop
from pipelines.dedup import content_hash
from pipelines.extraction import metadata
from pipelines.extraction.body import extract_body
from pipelines.extraction.dates import published
from pipelines.extraction.structured import (
    ARTICLE_TYPES,
    NOT_ARTICLE_TYPES,
    article_body,
    json_ld_objects,
)
from pipelines.extraction.walls import paywalled, wall_kind
from pipelines.neardup import fingerprint
from pipelines.workers import cpu_pool, discard_pool


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
    method: str = ""  # how the body was found (trafilatura pass, json-ld, selector)
    paywalled: bool = False  # the page declares isAccessibleForFree: false
    page_lang: str | None = None  # <html lang>


def extract_page(html: str, url: str, body_css: str | None = None) -> Extracted | None:
    """Text and metadata of one page (called in a worker process)."""
    try:
        tree = trafilatura.load_html(html)
    except (TypeError, ValueError):
        tree = None
    if tree is None:
        return None
    objects = json_ld_objects(tree)
    facts = metadata.page_facts(tree, url, objects)
    title = metadata.title(tree, facts)
    selected_text = _text_of_selected(tree, body_css) if body_css else ""
    if selected_text:
        text, method = _without_leading_title(selected_text, title), "selector"
    else:
        headlines = [title, facts.first_meta("og:title") or ""]
        body = extract_body(tree, url, headlines, article_body(facts.objects))
        text, method = body.text, body.method
    if not text and not title:
        return None
    return Extracted(
        title=title,
        text=text,
        authors=metadata.authors(tree, facts),
        published=published(tree, facts),
        image_url=metadata.image_url(tree, facts),
        description=metadata.description(facts),
        section=metadata.section(facts, title),
        canonical_url=facts.canonical_url,
        page_types=metadata.page_types(facts),
        method=method,
        paywalled=paywalled(objects),
        page_lang=(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")),
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
    """Selected bodies sometimes start with the <h1>; the title is stored apart."""
    first, _, rest = text.partition("\n")
    return rest.strip() if title and first.strip() == title else text.strip()


@dataclass
class Prepared:
    """A page as the pipeline needs it: extracted, with the dedup keys of its text."""

    found: Extracted | None
    content_hash: str = ""
    bands: list[int] | None = None


def prepare_page(html: str, url: str, body_css: str | None = None) -> Prepared:
    """Everything CPU-bound about one page, in one trip to a worker process."""
    found = extract_page(html, url, body_css)
    if found is None or not found.text:
        return Prepared(found)
    fingerprinted = fingerprint(found.text)
    return Prepared(found, content_hash(found.text), fingerprinted.bands if fingerprinted else [])


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
            prepared = await loop.run_in_executor(
                cpu_pool(self.processes), prepare_page, item.html, item.url, body_css
            )
        except BrokenProcessPool:
            discard_pool(self.processes)
            raise drop(self.stats, "extraction_failed", f"{item.url}: worker died") from None
        except Exception as exc:  # noqa: BLE001 - a page that breaks a parser is skipped
            detail = f"{item.url}: {type(exc).__name__}: {exc}"[:300]
            raise drop(self.stats, "extraction_failed", detail) from None
        found = prepared.found
        if found is None:
            raise drop(self.stats, "extraction_failed", f"{item.url}: no content found")
        if not is_article(found.page_types):
            raise drop(self.stats, "not_article", f"{item.url} is a {found.page_types[0]} page")
        if len(found.text) < self.min_chars:
            reason = wall_kind(found.text, found.paywalled) or "too_short"
            raise drop(self.stats, reason, f"{item.url}: {len(found.text)} characters of text")
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
        item.lang_attr = found.page_lang.strip() if found.page_lang else None
        item.content_hash = prepared.content_hash
        item.bands = prepared.bands or []
        item.html = ""  # not needed past this point; don't carry it through the pipeline
        return item
