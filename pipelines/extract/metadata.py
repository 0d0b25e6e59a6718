"""Article metadata the app shows: title, lead image, section, description.

Authors are in `authors.py`.

Read from what the page declares (JSON-LD, OpenGraph and other meta tags, microdata),
then from visible markup. Plain functions over an lxml tree; nothing here edits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipelines.extract.headings import shown_headings
from pipelines.extract.structured import article_objects, first_string, types_of
from pipelines.extract.text import normalise


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


# --- title ---------------------------------------------------------------------

# Separators between a headline and the site's name in <title> and og:title.
# (CJK titles use the full-width bar, often without spaces; Korean ones also the
# letter ㅣ, which never stands alone in Korean text.)
_TITLE_PARTS = re.compile(r"\s+(?:[|–—•·»«]|-|::)\s+|\s*[｜ㅣ]\s*")
# What ends a kicker before the headline: "Topic: ", "Topic - ", "Topic / ".
_KICKER_END = re.compile(r"(?::|\s[-–—|/·])\s*$")
# What an <h1> built from a kicker element and a headline element may lose between them.
_GLUE = re.compile(r"[\s/|:·–—-]+")
# A section name glued to a title's end: "Headline-Politics", "Headline | Politics".
_SECTION_SEPARATORS = ("-", "–", "—", "|", "/", "·")
# Meta keys naming it: article:section, parsely-section, category, content_category …
_SECTION_KEY = re.compile(r"(?:^|[:_.-])(?:section|category)$")


def title(tree: Any, facts: PageFacts) -> str:
    """The headline as the reader sees it.

    The visible <h1> wins when a declared title agrees with it (declared titles carry
    the site's name or are cut at 110 characters); otherwise the declared title, which
    outvotes a <title> that repeats the <h1> when og, JSON-LD and twitter agree.
    """
    sites, sections = facts.site_names, _section_names(facts)
    og_title, ld_headline, twitter_title = (
        _without_site_name(t, sites, sections) if t else ""
        for t in (
            facts.first_meta("og:title"),
            first_string(facts.objects, "headline"),
            facts.first_meta("twitter:title"),
        )
    )
    declared = [t for t in (og_title, ld_headline, twitter_title) if t]
    document_title = _without_site_name(_document_title(tree), sites, sections, guess=True)
    headings, are_h1 = shown_headings(tree)
    if not are_h1 and og_title and og_title.casefold() == ld_headline.casefold():
        # An <h2> only settles which declared title the reader sees; og and JSON-LD
        # giving the same one leave nothing to settle.
        return og_title
    for heading in headings:
        shown = _shown_headline(heading, declared, og_title)
        if shown:
            return shown
    if len(declared) >= 2 and all(_same_headline(declared[0], d) for d in declared[1:]):
        # og, JSON-LD and twitter agree on a headline no <h1> shows: a <title> that
        # repeats the <h1> instead does not outvote them.
        return declared[0]
    for heading in headings:
        if _same_headline(heading, document_title):
            return heading
    for other in declared:
        # No heading settles it: the declared title the page's own <title> repeats.
        if other.casefold() == document_title.casefold():
            return other
    if declared:
        return declared[0]
    if are_h1 and len(headings) == 1:
        return headings[0]
    return document_title


def _shown_headline(heading: str, declared: list[str], og_title: str) -> str:
    """The headline of a heading that a declared title confirms, or ''.

    A kicker set before the headline is dropped when a declared title gives the
    headline alone; where the declared titles disagree on that, og:title (the one
    line the site itself shares as the article's name) decides.
    """
    form = heading
    if not any(other.casefold() == heading.casefold() for other in declared):
        # The same words, but the heading glued its kicker's element to the headline
        # ("Topic" + "Headline" -> "TopicHeadline"): the declared form keeps the break.
        form = next((d for d in declared if _glued(d) == _glued(heading)), heading)
    trimmed = [t for t in (_trimmed(form, other) for other in declared) if t]
    if og_title and og_title in (form, *trimmed):
        return og_title
    if trimmed:
        return trimmed[0]
    if form != heading or any(_same_headline(heading, other) for other in declared):
        return form
    return ""


def _trimmed(heading: str, other: str) -> str:
    """`other` when it is `heading` without a kicker or cut short, or ''."""
    # A kicker set before the headline in the same heading ("Topic: Headline")
    if len(other) >= 20 and len(heading) > len(other) and heading.endswith(other):
        return other
    # The page's own short form of a long heading (not a title cut at ~110 characters)
    if 20 <= len(other) < 100 and len(heading) > len(other) and heading.startswith(other):
        return other
    # Two kickers before one headline ("Topic - Headline", "Other topic: Headline")
    return _shared_tail(heading, other)


def _glued(text: str) -> str:
    return _GLUE.sub("", text)


def _shared_tail(a: str, b: str) -> str:
    """The headline two titles end with after different kickers, or ''."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    tail = a[len(a) - n :].lstrip(" :|/–—-·")
    if len(tail) < 20:
        return ""
    kickers = (a[: len(a) - len(tail)], b[: len(b) - len(tail)])
    if _glued(kickers[0]) == _glued(kickers[1]):
        return ""  # one kicker written two ways: the <h1> is confirmed as it is
    if all(k.strip() and _KICKER_END.search(k) for k in kickers):
        return tail
    return ""


def _document_title(tree: Any) -> str:
    node = tree.find(".//title")
    return normalise(node.text_content()) if node is not None else ""


def _same_headline(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 20 and long_.startswith(short))


def _without_site_name(
    text: str, site_names: list[str], sections: list[str] | None = None, guess: bool = False
) -> str:
    """'Headline | Site' -> 'Headline', 'Headline-Politics | Site' -> 'Headline'.

    Parts that name the site go, then a declared section glued to the end; with
    `guess` (for <title>, which nearly always ends with the site's name), a short last
    part after '|' goes even if unrecognised.
    """
    without_site = _without_site_part(text, site_names, guess)
    return _without_section(without_site, sections or [], templated=without_site != text)


def _without_section(text: str, sections: list[str], templated: bool) -> str:
    """Without a declared section at the end: 'Headline - Politics'; glued to the
    headline ('Headline-Politics') only in a title the site's template made (it also
    carried the site's name), as 'Nachtbus-Linien' may be one word."""
    for name in sorted(sections, key=len, reverse=True):
        before = text[: -len(name)] if text.endswith(name) else ""
        head = before.rstrip()
        if len(head) <= 10 or not head.endswith(_SECTION_SEPARATORS):
            continue
        if templated or (before != head and head[-2:-1].isspace()):
            return head[:-1].rstrip()
    return text


def _section_names(facts: PageFacts) -> list[str]:
    """The sections and categories the page says it is filed under."""
    names = [v for key, values in facts.meta.items() if _SECTION_KEY.search(key) for v in values]
    for obj in facts.objects[:3]:
        value = obj.get("articleSection")
        names.extend(v for v in (value if isinstance(value, list) else [value]) if v)
    return [normalise(n) for n in names if isinstance(n, str) and 0 < len(n.strip()) <= 30]


def _without_site_part(text: str, site_names: list[str], guess: bool) -> str:
    parts = _TITLE_PARTS.split(text)
    if len(parts) == 1:
        return text
    names = {fold_site(n) for n in site_names}
    kept = [p for p in parts if fold_site(p) not in names]
    if len(kept) == len(parts) and guess:
        return _without_short_tails(text)
    if not kept or len(kept) == len(parts):
        return text
    return max(kept, key=len)


def _without_short_tails(text: str) -> str:
    """'Headline | World News | Metro News' -> 'Headline': a <title> template chains
    section and site after the headline, each a few words."""
    head, _, tail = text.rpartition(" | ")
    while head and len(tail.split()) <= 4:
        text = head
        head, _, tail = text.rpartition(" | ")
    return text


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


def image_url(tree: Any, facts: PageFacts) -> str | None:
    """The lead image: the share image the page declares, then its JSON-LD image."""
    candidates = [
        facts.first_meta("og:image:secure_url", "og:image", "og:image:url"),
        facts.first_meta("twitter:image", "twitter:image:src"),
        *_ld_images(facts.objects),
        *tree.xpath('//link[@rel="image_src"]/@href')[:1],
    ]
    base = facts.canonical_url or facts.url
    for candidate in candidates:
        candidate = normalise(candidate)
        if candidate and not candidate.startswith("data:"):
            return urljoin(base, candidate)
    return None


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
            if link in own_urls or _same_headline(normalise(name), headline):
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
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
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
