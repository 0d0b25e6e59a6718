"""The standfirst (lead): the sentence or two under the headline that sums the story up.

trafilatura usually leaves it out, as it sits in the article's header rather than among
the body's paragraphs. Pages describe themselves with that very text (meta description,
og:description, JSON-LD description), so a block shown above the body that reads as the
page's own description is the lead and goes first. A description that the page does not
show (an SEO summary) is never added: only text visible on the page is.
"""

from __future__ import annotations

from pipelines.extract.blocks import Block, Line, PageBlocks, ancestors
from pipelines.extract.text import coverage, normalise, word_ngrams

_NOT_LEAD_PLACES = {"h1", "nav", "aside", "footer", "figure", "figcaption", "form", "a", "li"}
_MIN_WORDS = 5  # shorter "descriptions" are the site's slogan or a section name
_TRUNCATED = "…. "


def with_lead(lines: list[Line], page: PageBlocks, descriptions: list[str]) -> list[Line]:
    """`lines` with the page's visible lead put first, if they lack it."""
    if not lines:
        return lines
    first_position = min((ln.position for ln in lines if ln.block is not None), default=-1.0)
    if first_position < 0:
        return lines
    body = word_ngrams(" ".join(line.text for line in lines))
    for description in descriptions:
        block = _shown_lead(page, normalise(description), first_position)
        if block is None:
            continue
        if coverage(word_ngrams(block.text), body) >= 0.5:
            return lines  # the body has it already
        return [Line(block.text, block, float(block.position), rescued=True), *lines]
    return lines


def _shown_lead(page: PageBlocks, description: str, before: float) -> Block | None:
    """The block above the body whose text is the description (or starts with its
    truncated form), outside links, lists and page furniture."""
    if (
        len(word_ngrams(description)) < 2
        or len(description.split()) < _MIN_WORDS
        and len(description) < 40
    ):
        return None
    stem = description.rstrip(_TRUNCATED)
    for block in page.blocks:
        if block.position >= before:
            break
        text = block.text
        if text != description and not (len(stem) >= 40 and text.startswith(stem)):
            continue
        if len(text) > 2 * len(description) + 40:
            continue
        if any(node.tag in _NOT_LEAD_PLACES for node in [block.element, *ancestors(block.element)]):
            continue
        return block
    return None
