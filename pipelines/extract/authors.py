"""Who wrote the article: JSON-LD, meta tags, then the page's byline and sign-off.

Plain functions over an lxml tree; nothing here edits it.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from pipelines.extract.blocks import ancestors
from pipelines.extract.metadata import PageFacts, fold_site
from pipelines.extract.structured import types_of
from pipelines.extract.text import normalise

# "By ...", as bylines start in some languages; only prefixes that are never names.
_BY = re.compile(
    r"^(?:by|par|por|von|door|av|af|di|oleh|от|автор[ыи]?:?|بقلم|كتب)(?:\s+|$)"
    r"|^(?:text|texte|tekst|autor|autorka|yazan|作者|文)\s*[:：/]\s*",
    re.I,
)
# What follows a name without being part of it: "(obe)" initials, "기자" (reporter),
# "(Image: Getty Images)" credits.
_AFTER_NAME = re.compile(r"\s*(?:\([^()]{0,40}\)|\s기자|기자$|\s특파원)\s*$")
_SOCIAL_NAME = re.compile(
    r"^(?:(?:twitter|facebook|instagram|linkedin|whatsapp|telegram|e-?mail|x|rss|follow|folgen"
    r"|suivre|seguir|segui)\b\s*)+$",
    re.I,
)
# A profile URL's slug given as the name: "sophie-foster".
_SLUG = re.compile(r"^[a-z]+(?:-[a-z]+){1,3}$")
_NAME_SEPARATORS = re.compile(
    r"\s*(?:;|,|、|،|\s&\s|\s(?:and|und|et|y|e|и|och|og|en|ve|i|و)\s)\s*", re.I
)
_SPLIT_KEEPING_SEPARATORS = re.compile(f"({_NAME_SEPARATORS.pattern})", re.I)
# Addresses, file and domain names, dates: what bylines hold besides names.
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\d|[<>{}]|\.[a-z]{2,4}$")
# Degrees and suffixes written after a name ("Jane Roe, MS, RD"): not names themselves.
_CREDENTIAL = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z.]{0,4}$")
# A label or sentence, not a bare name: "Contributing: Jane Roe".
_LABEL = re.compile(r"[:;!?,]")
_CLASS_WORDS = re.compile(r"[a-z]+")
# Text shown to screen readers only, or not at all ("capital" as a brand label).
_HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:[\w-]*visually-?hidden|sr-only|screen-reader-text|hidden)(?=\s|$)"
)
_NOT_TEXT = {"button", "script", "style", "noscript", "select", "option", "template"}
_AUTHOR_META = (
    "author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
    "twitter:misc:written by",
)  # fmt: skip


def authors(tree: Any, facts: PageFacts) -> list[str]:
    """Author names from JSON-LD, then meta tags, then the page's byline and sign-off.

    The outlet's own name is no author: a source that only names the outlet there
    falls through to the next, and the outlet is the answer only when nothing names a
    person.
    """
    people, organisations = _ld_authors(facts.objects)
    declared = [
        value
        for key in _AUTHOR_META
        for value in facts.meta.get(key, [])
        if not value.startswith(("http:", "https:"))  # profile links, not names
    ]
    outlets = {fold_site(name) for name in facts.site_names}
    fallback: list[str] = []
    for source in (people, organisations, declared):
        names = _clean_names(source)
        people_named = [n for n in names if not _is_outlet(n, outlets)]
        if people_named:
            if source is people:  # an agency credited next to the writers ("…, SDA")
                agencies = _clean_names(organisations)
                people_named += [n for n in agencies if not _is_outlet(n, outlets)]
            return people_named
        # The outlet as it names itself: "ndr.de" and "BR24" are no people's names,
        # but they are the answer when nothing else is.
        fallback = fallback or _clean_names(source, keep=outlets)
    return _byline(tree, outlets) or _signature(tree, outlets) or fallback


# One walk of the body with the tests or-ed (a union of paths walks it once per path);
# compiled once, not per page.
_BYLINE_XPATH = etree.XPath(
    '//body//*[@itemprop="author" or @rel="author"'
    ' or contains(@class, "uthor") or contains(@class, "byline") or contains(@class, "Byline")'
    ' or self::a[contains(@href, "/author/") or contains(@href, "/autor/")'
    ' or contains(@href, "/autoren/") or contains(@href, "/authors/")]]'
)
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor|autoren)/", re.I)


def _byline(tree: Any, outlets: set[str] | None = None) -> list[str]:
    """Names in the first author or byline element of the page, outside comments.

    Its innermost parts first: a byline box also holds "By", the date, the job title.
    Several author elements (or short parts) in one box are several authors.
    """
    for node in _BYLINE_XPATH(tree):
        if not _names_author(node) or _in_comments(node) or _out_of_sight(node):
            continue
        parts = [n for n in node.iterdescendants() if _names_author(n)]
        leaves = [n for n in parts if not any(_names_author(d) for d in n.iterdescendants())]
        short_parts = [
            n
            for n in node.iterdescendants()
            if len(n) == 0 and len(normalise(_shown_text(n))) <= 60
        ]
        options = [node.xpath('.//*[@itemprop="name"]'), leaves, [node], short_parts]
        for option in options:
            names = _names_in(option, outlets or set())
            if option is short_parts:  # loose parts: only what reads as a full name
                names = [n for n in names if len(n.split()) >= 2]
            if names:
                return names
    return []


def _signature(tree: Any, outlets: set[str]) -> list[str]:
    """A name signed in bold or italics as a story's first or last paragraph.

    Some sites credit the writer only so ("<p><strong>Jane Roe</strong></p>"); the
    paragraph must be the whole of one emphasis, read as a name, and sit at the edge
    of a run of at least three paragraphs.
    """
    for parent in dict.fromkeys(p.getparent() for p in tree.iter("p")):  # page order
        if parent is None:
            continue
        paragraphs = [p for p in parent.iterchildren("p") if normalise(p.text_content())]
        if len(paragraphs) < 3:
            continue
        for edge in (paragraphs[0], paragraphs[-1]):
            name = _signed_name(edge)
            if name and not _is_outlet(name, outlets):
                return [name]
    return []


def _signed_name(paragraph: Any) -> str:
    if len(paragraph) != 1 or paragraph[0].tag not in {"strong", "b", "em", "i"}:
        return ""
    text = normalise(paragraph.text_content())
    if text != normalise(paragraph[0].text_content()):
        return ""
    words = text.split()
    if (
        not 2 <= len(words) <= 4
        or len(text) > 40
        or _NOT_A_NAME.search(text)
        or _LABEL.search(text)
    ):
        return ""
    return text if all(w[0].isupper() and w[0].isalpha() for w in words) else ""


def _names_in(elements: list[Any], outlets: set[str]) -> list[str]:
    texts = [normalise(e.get("content") or _shown_text(e)) for e in elements]
    names = _clean_names([t for t in texts if len(t) <= 100])
    return [n for n in names if not _is_outlet(n, outlets)]


def _shown_text(node: Any) -> str:
    """The element's text without what a reader does not see (hidden labels, buttons)."""
    if _hidden(node) or node.tag in _NOT_TEXT or not isinstance(node.tag, str):
        return ""
    parts = [node.text or ""]
    for child in node:
        parts.append(_shown_text(child))
        parts.append(child.tail or "")
    return " ".join(parts)


def _out_of_sight(node: Any) -> bool:
    return any(_hidden(n) for n in [node, *ancestors(node, limit=8)])


def _hidden(node: Any) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return (
        node.get("hidden") is not None
        or "display:none" in style
        or bool(_HIDDEN_CLASS.search((node.get("class") or "").lower()))
    )


def _is_outlet(name: str, outlets: set[str]) -> bool:
    """The outlet's own name, or one of its editions ("MDR THÜRINGEN" on mdr.de)."""
    folded = fold_site(name)
    return folded in outlets or folded.split(" ")[0] in outlets


def _names_author(node: Any) -> bool:
    if node.tag in _NOT_TEXT:  # "Follow" buttons carry the author class too
        return False
    if node.get("itemprop") == "author" or node.get("rel") == "author":
        return True
    if node.tag == "a" and _AUTHOR_PAGE.search(node.get("href") or ""):
        return True
    css = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return "author" in css or "byline" in css


def _in_comments(node: Any) -> bool:
    for ancestor in [node, *ancestors(node, limit=8)]:
        if ancestor.tag == "body":  # its classes describe the whole page
            break
        if _class_words(ancestor) & {"comment", "comments", "sidebar", "related"}:
            return True
    return False


def _class_words(node: Any) -> set[str]:
    return set(_CLASS_WORDS.findall(f"{node.get('class') or ''} {node.get('id') or ''}".lower()))


def _ld_authors(objects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    people: list[str] = []
    organisations: list[str] = []
    for obj in objects[:3]:
        value = obj.get("author") or obj.get("creator")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                people.append(item)
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                is_org = set(types_of(item)) & {"organization", "newsmediaorganization"}
                (organisations if is_org else people).append(item["name"])
        if people or organisations:
            break
    return people, organisations


def _clean_names(values: list[str], keep: set[str] | None = None) -> list[str]:
    """Names out of author strings; `keep`: outlet names kept even when they read as
    addresses or hold digits."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        # "Name | Outlet" and "Name / Outlet": the outlet is not an author
        value = re.split(r"\s[|/]\s", normalise(value))[0]
        if keep and _is_outlet(_BY.sub("", value), keep):
            name = _BY.sub("", value)
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
            continue
        full_name_before = False
        pieces = _SPLIT_KEEPING_SEPARATORS.split(value)
        for index, (part, separator) in enumerate(
            zip(pieces[::2], ["", *pieces[1::2]], strict=True)
        ):
            name = _AFTER_NAME.sub("", _BY.sub("", part.strip())).strip(" .·-–—|:")
            if _SLUG.match(name):
                name = name.replace("-", " ").title()
            if not name or _NOT_A_NAME.search(name) or len(name) > 80 or len(name.split()) > 6:
                continue
            if _SOCIAL_NAME.match(name):  # share buttons inside a byline box
                continue
            if index and _CREDENTIAL.match(name):
                continue  # "Jane Roe, MS, RD"
            if full_name_before and separator.strip() == "," and _is_place(name):
                continue  # "Anna Roe, Frankfurt"
            full_name_before = full_name_before or len(name.split()) >= 2
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names[:10]


def _is_place(name: str) -> bool:
    """One capitalised word, as a dateline's place is written after the writer's name.

    Agencies credited so are written in capitals or lower case ("SDA", "dpa").
    """
    return name.isalpha() and name[0].isupper() and name[1:].islower()
