"""Whether an extracted page is kept as an article, and if not, the reason.

Two questions, asked in this order:
1. Does the page say unambiguously that it is something else (a video, a profile, a
   listing)? `og:type=website` and a JSON-LD `WebPage`/`WebSite` do not: many CMSs put
   them on every page, articles included, so they decide nothing and the length does.
2. Is the text long enough to be an article? Length is counted fairly across scripts:
   one Chinese character carries about as much as three Latin letters, so a character
   count would call a full Chinese article short (`reading_length`).
"""

from __future__ import annotations

import re
from typing import Protocol

from pipelines.extract.structured import ARTICLE_TYPES, NOT_ARTICLE_TYPES
from pipelines.extract.walls import wall_kind

# Characters of the scripts written without spaces, or densely, weighted by about how many
# Latin-script characters the same content takes (the length ratio of an English
# translation to its source): Han and kana ~3, Hangul syllables (each a whole syllable,
# with spaces between words) ~2.5, Thai (an alphabet whose vowels and tone marks are
# characters of their own, written without spaces) ~1.5.
_DENSE_SCRIPTS = (
    (re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"), 3.0),
    (re.compile(r"[\uac00-\ud7af]"), 2.5),
    (re.compile(r"[\u0e00-\u0e7f]"), 1.5),
)
_ANY_DENSE = re.compile(
    r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


class Found(Protocol):
    """What the decision reads of an extracted page (`worker.Extracted`)."""

    text: str
    page_types: list[str]
    paywalled: bool


def reading_length(text: str) -> int:
    """The text's length in Latin-script characters' worth of content."""
    if not _ANY_DENSE.search(text):
        return len(text)
    extra = sum(len(pattern.findall(text)) * (weight - 1) for pattern, weight in _DENSE_SCRIPTS)
    return int(len(text) + extra)


def declared_not_article(page_types: list[str]) -> str | None:
    """The first specific non-article type the page declares, unless it also declares an
    article type (which wins); generic types ('website', 'webpage') never count."""
    if any(t in ARTICLE_TYPES for t in page_types):
        return None
    return next((t for t in page_types if t in NOT_ARTICLE_TYPES), None)


def is_article(page_types: list[str]) -> bool:
    """No unambiguous declaration that the page is something other than an article."""
    return declared_not_article(page_types) is None


def drop_reason(found: Found, min_chars: int) -> str | None:
    """'not_article', 'too_short', 'paywall' or 'cookie_wall'; None keeps the page."""
    if not is_article(found.page_types):
        return "not_article"
    if reading_length(found.text) < min_chars:
        return wall_kind(found.text, found.paywalled) or "too_short"
    return None
