"""What a page declares about itself: JSON-LD objects and schema.org microdata."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import lxml.html
from lxml import etree

from pipelines.extract.text import normalise

# og:type / JSON-LD @type values that mark a page as something other than an article.
# Not 'website' or 'webpage': CMSs put those on every page, articles included.
NOT_ARTICLE_TYPES = {
    "video", "video.other", "videoobject", "collectionpage", "itemlist",
    "searchresultspage", "profile", "profilepage", "mediagallery",
}  # fmt: skip
ARTICLE_TYPES = {
    "article", "newsarticle", "reportage", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting",
}  # fmt: skip

# Wrappers some CMSs leave around the JSON (HTML comments, CDATA sections).
_JSON_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def json_ld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, `@graph` and `mainEntity` flattened out."""
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            # strict=False: raw newlines inside strings are common and harmless
            data = json.loads(_unwrapped(script.text), strict=False)
        except ValueError:
            continue
        _collect(data, objects, depth=0)
    return objects


def _unwrapped(text: str) -> str:
    # The wrapper pattern scans the whole text; most scripts hold no wrapper to find.
    if not any(mark in text for mark in ("<!--", "<![CDATA[", "-->", "]]>")):
        return text
    return _JSON_WRAPPERS.sub("", text)


def _collect(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            _collect(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            out.append(data)
        for key in ("@graph", "mainEntity"):
            if key in data:
                _collect(data[key], out, depth + 1)


def types_of(obj: dict[str, Any]) -> list[str]:
    declared = obj.get("@type")
    names = declared if isinstance(declared, list) else [declared]
    return [name.lower() for name in names if isinstance(name, str)]


def article_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objects that describe the article, or all of them if none says so.

    Pages also declare their publisher, breadcrumbs and website; the article's own
    object should answer first.
    """
    articles = [o for o in objects if set(types_of(o)) & ARTICLE_TYPES]
    rest = [o for o in objects if o not in articles]
    return articles + rest


def first_string(objects: list[dict[str, Any]], key: str) -> str | None:
    for obj in objects:
        value = obj.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str | int | float) and str(value).strip():
            return normalise(html.unescape(str(value)))
    return None


def article_body(objects: list[dict[str, Any]]) -> str:
    """JSON-LD `articleBody` as plain text lines (some sites put HTML in it)."""
    for obj in objects:
        body = obj.get("articleBody")
        if isinstance(body, list):
            body = "\n".join(part for part in body if isinstance(part, str))
        if isinstance(body, str) and body.strip():
            return plain_text(body)
    return ""


def plain_text(text: str) -> str:
    """Markup-free text, one line per block, entities decoded."""
    if _TAG.search(text):
        try:
            root = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            for node in root.iter("br", *_BLOCK_TAGS):
                node.tail = "\n" + (node.tail or "")
            text = root.text_content()
    else:
        text = html.unescape(text)
    lines = (normalise(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# Compiled once, not per page; the bare [@itemprop] test first spares the string
# comparison on the many elements without the attribute.
_ARTICLE_BODY = etree.XPath('//*[@itemprop][@itemprop="articleBody"]')


def microdata_body(tree: Any) -> Any | None:
    """The element a page marks as `itemprop="articleBody"`, if exactly one."""
    found = _ARTICLE_BODY(tree)
    return found[0] if len(found) == 1 else None
