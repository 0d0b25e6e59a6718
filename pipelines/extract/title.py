"""The article's title: the headline the reader sees, confirmed by what the page declares.

Candidates are og:title, the JSON-LD headline, twitter:title and the <title>, without
the site's name and section, and the page's own headings (`headings.py`).
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.headings import shown_headings
from pipelines.extract.metadata import PageFacts, fold_site
from pipelines.extract.structured import first_string
from pipelines.extract.text import normalise, same_headline

# Separators between a headline and the site's name in <title> and og:title.
# (CJK titles use the full-width bar, often without spaces; Korean ones also the
# letter ㅣ, which never stands alone in Korean text.)
_TITLE_PARTS = re.compile(r"\s+(?:[|–—•·»«]|-|::)\s+|\s*[｜ㅣ]\s*")
# What typesetting changes between one headline's copies: quote marks, a closing
# ellipsis, spacing.
_TYPESETTING = re.compile(r"[\s\"'“”‘’„‚«»]+|(?:\.\.\.|…)$")
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
    the site's name or are cut at 110 characters); an <h1> in the breadcrumbs gives way
    to the header's <h2>, which settles only what og and JSON-LD disagree on. Otherwise
    the declared title, which outvotes a <title> that repeats the <h1> when og, JSON-LD
    and twitter agree; failing that, the declared title the <title> repeats.
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
            return _declared_spelling(shown, (ld_headline, og_title))
    if len(declared) >= 2 and all(same_headline(declared[0], d) for d in declared[1:]):
        # og, JSON-LD and twitter agree on a headline no <h1> shows: a <title> that
        # repeats the <h1> instead does not outvote them.
        return declared[0]
    for heading in headings:
        if same_headline(heading, document_title):
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
    if form != heading or any(same_headline(heading, other) for other in declared):
        return form
    return ""


def _declared_spelling(shown: str, declared: tuple[str, ...]) -> str:
    """The declared title (JSON-LD, then og) when it is the shown headline typeset
    otherwise (quotes, a closing ellipsis): the page's data carries its canonical text."""
    key = _typeset_key(shown)
    return next((d for d in declared if d and _typeset_key(d) == key), shown)


def _typeset_key(text: str) -> str:
    return _TYPESETTING.sub("", text).casefold()


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
