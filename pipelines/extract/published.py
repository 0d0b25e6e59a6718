"""The published date: timezone-aware, never in the future, htmldate as the fallback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import htmldate
from lxml import etree

from newsspiders.dates import read_datetime
from pipelines.extract.metadata import PageFacts
from pipelines.extract.text import normalise

# Meta tags that carry the first publication time, most specific first.
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "article.published",
    "datepublished", "parsely-pub-date", "sailthru.date", "dcterms.issued",
    "dc.date.issued", "publish-date", "publishdate", "pubdate", "date", "dc.date",
)  # fmt: skip
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Compiled once: a page's searches run only when nothing declared before them is usable.
_ITEMPROP_PUBLISHED = etree.XPath('//*[@itemprop][@itemprop="datePublished"]')
_TIME_WITH_DATETIME = etree.XPath("//time[@datetime]")


def published(
    tree: Any, facts: PageFacts, now: datetime | None = None, search: bool = True
) -> str | None:
    """ISO 8601 with an offset (UTC when the page gives none), or None.

    Declared dates come first (JSON-LD, meta tags, microdata, <time>), as they keep
    the time and zone; htmldate searches the page only when none is usable and `search`
    is set (the caller has no date of its own, such as the feed's). A date in the future
    is a mistake on the page and is skipped.
    """
    now = now or datetime.now(UTC)
    for candidate in _declared(tree, facts):
        when = read_datetime(candidate)
        if when is not None and _EARLIEST <= when <= now:
            return when.isoformat()
    if not search:
        return None
    try:
        found = htmldate.find_date(
            tree,  # copied by htmldate before it prunes
            url=facts.url,
            original_date=True,
            extensive_search=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            max_date=now.strftime("%Y-%m-%d"),
        )
    except Exception:  # a missing date is not worth losing the article over
        found = None
    when = read_datetime(found)
    if when is not None and _EARLIEST <= when <= now:
        return when.isoformat()
    return None


def _declared(tree: Any, facts: PageFacts) -> Iterator[str]:
    """Declared dates, most trusted first. Lazy: the first usable one ends the search, and
    the searches of the tree at the end are what costs."""
    found = chain(_from_objects(facts), _from_meta(facts), _from_markup(tree))
    return (normalise(value) for value in found if value)


def _from_objects(facts: PageFacts) -> Iterator[str]:
    for obj in facts.objects[:3]:
        for key in ("datePublished", "dateCreated"):
            if isinstance(obj.get(key), str):
                yield obj[key]


def _from_meta(facts: PageFacts) -> Iterator[str]:
    for key in _PUBLISHED_META:
        yield from facts.meta.get(key, [])


def _from_markup(tree: Any) -> Iterator[str | None]:
    for node in _ITEMPROP_PUBLISHED(tree)[:2]:
        yield node.get("content") or node.get("datetime") or node.text_content()
    for node in _TIME_WITH_DATETIME(tree)[:1]:
        yield node.get("datetime")
