"""What the extraction worker does with one page: the article's text and metadata, the
keys dedup needs and the language of the text.

Everything here runs in a worker process (`pipelines.extract.pool`), so it imports neither
Scrapy, pydantic nor a database driver (a test checks): a worker starts quickly and stays
small.

trafilatura finds the body; `pipelines.extract` picks its settings per page, repairs
what it misses and drops what it keeps by mistake, and reads the metadata the page
declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from pipelines.dedup.fingerprints import content_hash, fingerprint
from pipelines.extract import metadata
from pipelines.extract.authors import authors
from pipelines.extract.body import extract_body
from pipelines.extract.keep import is_article
from pipelines.extract.mojibake import repair_mojibake, unreadable
from pipelines.extract.options import DEFAULT_OPTIONS, ExtractOptions
from pipelines.extract.published import published
from pipelines.extract.structured import article_body, json_ld_objects
from pipelines.extract.title import title as headline
from pipelines.extract.walls import paywalled
from pipelines.language.detection import Guess, article_language

__all__ = ["Extracted", "Prepared", "extract_page", "is_article", "prepare_page"]


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


def extract_page(
    html: str, url: str, options: ExtractOptions = DEFAULT_OPTIONS
) -> Extracted | None:
    """Text and metadata of one page (called in a worker process)."""
    try:
        tree = trafilatura.load_html(html)
    except (TypeError, ValueError):
        tree = None
    if tree is None:
        return None
    objects = json_ld_objects(tree)
    facts = metadata.page_facts(tree, url, objects)
    title = headline(tree, facts)
    names = authors(tree, facts)
    selected_text = _text_of_selected(tree, options.body_css) if options.body_css else ""
    if selected_text:
        text, method = _without_leading_title(selected_text, title), "selector"
    else:
        # The <h1>s too: the title chosen may be a declared one that differs from it.
        shown = [" ".join(h1.text_content().split()) for h1 in tree.iter("h1")][:3]
        headlines = [title, facts.first_meta("og:title") or "", *shown]
        body = extract_body(
            tree,
            url,
            headlines,
            article_body(facts.objects),
            metadata.descriptions(facts),
            authors=names,
        )
        text, method = body.text, body.method
    if not text and not title:
        return None
    return Extracted(
        title=title,
        text=text,
        authors=names,
        published=published(tree, facts, search=options.search_date),
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
    """A page as the pipeline needs it: extracted, with the dedup keys and the language
    of its text."""

    found: Extracted | None
    content_hash: str = ""
    bands: list[int] | None = None
    language: Guess | None = None
    repair: str | None = None  # 'mojibake' (repaired) or 'garbled' (unreadable, not stored)


def prepare_page(html: str, url: str, options: ExtractOptions = DEFAULT_OPTIONS) -> Prepared:
    """Everything CPU-bound about one page, in one trip to a worker process: the crawl
    process's single core is left to Scrapy, the worker processes share the others."""
    html, repair = repair_mojibake(html)
    if repair == "garbled":
        return Prepared(None, repair=repair)
    found = extract_page(html, url, options)
    if found is None or not found.text:
        return Prepared(found, repair=repair)
    if unreadable(f"{found.title}\n{found.text}"):
        return Prepared(None, repair="garbled")
    fingerprinted = fingerprint(found.text)
    guess = None
    if options.languages is not None and is_article(found.page_types):
        lang_attr = found.page_lang.strip() if found.page_lang else None
        guess = article_language(options.languages, found.text, lang_attr, options.declared)
    return Prepared(
        found,
        content_hash(found.text),
        fingerprinted.bands if fingerprinted else [],
        guess,
        repair,
    )
