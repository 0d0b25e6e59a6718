"""Article metadata the app shows: lead image, section, description; the site's names.

The title is in `title.py`, authors in `authors.py`.

Read from what the page declares (JSON-LD, OpenGraph and other meta tags, microdata),
then from visible markup. Plain functions over an lxml tree; nothing here edits it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from pipelines.extract.structured import article_objects, first_string, types_of
from pipelines.extract.text import normalise, same_headline


@dataclass
class PageFacts:
    """What the metadata functions read, gathered in one pass over the head."""

    url: str
    meta: dict[str, list[str]]
    objects: list[dict[str, Any]]  # JSON-LD, the article's own objects first
    canonical_url: str | None = None
    site_names: list[str] = field(default_factory=list)

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, []):
                if value:
                    return value
        return None


def page_facts(tree: Any, url: str, objects: list[dict[str, Any]]) -> PageFacts:
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = normalise(node.get("content"))
        if key and content:
            meta.setdefault(key.strip().lower(), []).append(content)
    facts = PageFacts(url=url, meta=meta, objects=article_objects(objects))
    facts.canonical_url = canonical_url(tree)
    facts.site_names = _site_names(facts)
    return facts


# --- site names ------------------------------------------------------------------


def fold_site(name: str) -> str:
    name = name.casefold().strip()
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name)
    return name


def _site_names(facts: PageFacts) -> list[str]:
    names = [facts.first_meta("og:site_name"), facts.first_meta("application-name")]
    for obj in facts.objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
        if set(types_of(obj)) & {"website", "organization", "newsmediaorganization"}:
            names.append(obj.get("name") if isinstance(obj.get("name"), str) else None)
    host = urlsplit(facts.url).hostname or ""
    if host:
        names.append(host)
        names.append(_site_label(host))
    return [normalise(n) for n in names if n]


def _site_label(host: str) -> str:
    """'www.example.com' -> 'example', 'news.example.co.uk' -> 'example'."""
    labels = host.split(".")[:-1]  # without the top-level domain
    while len(labels) > 1 and labels[-1] in {"co", "com", "org", "net", "ac", "gov", "ne", "or"}:
        labels.pop()
    return labels[-1] if labels else host


# --- image, section, description, canonical URL, page types ---------------------


# Compiled once, not per page.
_IMAGE_SRC = etree.XPath('//link[@rel="image_src"]/@href')
_CANONICAL = (
    etree.XPath('//link[@rel="canonical"]/@href'),
    etree.XPath('//meta[@property="og:url"]/@content'),
)


def image_url(tree: Any, facts: PageFacts) -> str | None:
    """The lead image: the share image the page declares, then its JSON-LD image."""
    candidates = [
        facts.first_meta("og:image:secure_url", "og:image", "og:image:url"),
        facts.first_meta("twitter:image", "twitter:image:src"),
        *_ld_images(facts.objects),
    ]
    base = facts.canonical_url or facts.url
    # The page's <link> is searched only when nothing declared before it will do.
    for candidate in chain(candidates, _image_src(tree)):
        candidate = normalise(candidate)
        if candidate and not candidate.startswith("data:"):
            return urljoin(base, candidate)
    return None


def _image_src(tree: Any) -> Iterator[str]:
    yield from _IMAGE_SRC(tree)[:1]


def _ld_images(objects: list[dict[str, Any]]) -> list[str]:
    for obj in objects[:3]:
        value = obj.get("image") or obj.get("thumbnailUrl")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                return [item]
            if isinstance(item, dict):
                url = item.get("url") or item.get("contentUrl")
                if isinstance(url, str):
                    return [url]
    return []


def section(facts: PageFacts, headline: str = "") -> str | None:
    """The site's section (rubric) the article is filed under."""
    found = (
        first_string(facts.objects[:3], "articleSection")
        or facts.first_meta("article:section", "section", "parsely-section", "og:section")
        or _breadcrumb_section(facts, headline)
    )
    return found or None


def _breadcrumb_section(facts: PageFacts, headline: str) -> str | None:
    """The last breadcrumb below the home page that is not the article itself.

    The article's own crumb links to this page or repeats its headline; failing both,
    the last of three or more crumbs is taken to be it.
    """
    own_urls = {u for u in (facts.url, facts.canonical_url) if u}
    for obj in facts.objects:
        if "breadcrumblist" not in types_of(obj):
            continue
        crumbs = [c for c in obj.get("itemListElement") or [] if isinstance(c, dict)]
        crumbs.sort(key=lambda c: _position(c.get("position")))
        names: list[str] = []
        own_found = False
        for crumb in crumbs[1:]:
            item = crumb.get("item")
            name = crumb.get("name") or (item.get("name") if isinstance(item, dict) else None)
            link = item.get("@id") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                continue
            if link in own_urls or same_headline(normalise(name), headline):
                own_found = True
                continue
            names.append(normalise(name))
        if names and not own_found and len(crumbs) >= 3:
            names.pop()
        if names:
            return names[-1]
    return None


def _position(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def description(facts: PageFacts) -> str | None:
    return (
        facts.first_meta("description", "og:description", "twitter:description")
        or first_string(facts.objects[:3], "description")
        or None
    )


def descriptions(facts: PageFacts) -> list[str]:
    """Every description the page gives of itself, distinct, declared order."""
    found = [
        *(
            facts.meta.get(key, [""])[0]
            for key in ("description", "og:description", "twitter:description")
        ),
        first_string(facts.objects[:3], "description") or "",
    ]
    return list(dict.fromkeys(d for d in found if d))


def canonical_url(tree: Any) -> str | None:
    for xpath in _CANONICAL:
        found = xpath(tree)
        if found and found[0].strip():
            return str(found[0]).strip()
    return None


def page_types(facts: PageFacts) -> list[str]:
    """og:type first, then every JSON-LD @type, lower-cased."""
    og_type = facts.first_meta("og:type")
    types = [og_type.lower()] if og_type else []
    for obj in facts.objects:
        types.extend(types_of(obj))
    return types
