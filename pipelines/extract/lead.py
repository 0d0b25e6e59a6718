"""The standfirst (lead): the sentence or two under the headline that sums the story up.

trafilatura usually leaves it out, as it sits in the article's header rather than among
the body's paragraphs. Pages describe themselves with that very text (meta description,
og:description, JSON-LD description), so a block shown above the body that reads as the
page's own description is the lead and goes first: the description itself, or after a
dateline ("Berlin. …"), or failing those a paragraph right above the body that says it in
other words (editors shorten or reword the meta description). A description that the
page does not show (an SEO summary) is never added: only text visible on the page is.
"""

from __future__ import annotations

import math
import re
from itertools import chain

from pipelines.extract.blocks import Block, Line, PageBlocks, ancestors
from pipelines.extract.text import coverage, normalise, word_ngrams, words

_NOT_LEAD_PLACES = {"h1", "nav", "aside", "footer", "figure", "figcaption", "form", "a", "li"}
_MIN_WORDS = 5  # shorter "descriptions" are the site's slogan or a section name
_TRUNCATED = "…. "
_REWORDED_SHARE = 0.5  # words in common over the words of both, for a reworded lead
_REWORDED_MIN_WORDS = 8
_REWORDED_REACH = 10  # blocks above the body searched: a standfirst sits right above it
_PARAGRAPH_TAGS = {"p", "div"}
# A dateline set before the standfirst: one to three words (the place, an
# agency) and a full stop, colon or dash. "Berlin." "NEW YORK (AP) —"
_DATELINE = re.compile(r"(?:[\w'’.-]+ ){0,2}[\w'’.-]+(?: \([\w ]{1,12}\))? ?[.:–—-]")


def with_lead(lines: list[Line], page: PageBlocks, descriptions: list[str]) -> list[Line]:
    """`lines` with the page's visible lead put first, if they lack it."""
    if not lines:
        return lines
    # A line traced to the <h1> says nothing of where the body starts: it is a print
    # headline repeated inside the body, or the headline itself.
    first_position = min(
        (ln.position for ln in lines if ln.block is not None and ln.block.element.tag != "h1"),
        default=-1.0,
    )
    if first_position < 0:
        return lines
    found = (_shown_lead(page, normalise(d), first_position) for d in descriptions)
    reworded = (_reworded_lead(page, normalise(d), first_position) for d in descriptions)
    for blocks in chain(found, reworded):  # lazily: the first shown lead found wins
        if not blocks:
            continue
        body = word_ngrams(" ".join(line.text for line in lines))
        if coverage(word_ngrams(" ".join(b.text for b in blocks)), body) >= 0.5:
            return lines  # the body has it already
        lead = [Line(b.text, b, float(b.position), rescued=True) for b in blocks]
        return [*lead, *lines]
    return lines


def _shown_lead(page: PageBlocks, description: str, before: float) -> list[Block]:
    """The block(s) above the body whose text is the description (or starts with its
    truncated form), outside links, lists and page furniture. A lead set in two
    paragraphs is the run of blocks whose texts, joined, make the description."""
    if (
        len(word_ngrams(description)) < 2
        or len(description.split()) < _MIN_WORDS
        and len(description) < 40
    ):
        return []
    stem = description.rstrip(_TRUNCATED)
    blocks = page.blocks[: _count_before(before)]
    for index, block in enumerate(blocks):
        text = block.text
        if _after_dateline(text, description):
            text = description  # the lead with the dateline the page sets before it
        if text == description or (len(stem) >= 40 and text.startswith(stem)):
            if len(text) <= 2 * len(description) + 40 and _may_lead(block):
                return [block]
        elif len(text) >= 30 and description.startswith(text):
            run, joined = [block], text
            for following in blocks[index + 1 : index + 4]:
                if not description.startswith(f"{joined} {following.text}"):
                    break
                run.append(following)
                joined = f"{joined} {following.text}"
            if len(run) > 1 and len(joined) >= 0.9 * len(description) and all(map(_may_lead, run)):
                return run
    return []


def _after_dateline(text: str, description: str) -> bool:
    """`text` is the description with a dateline before it."""
    if len(text) <= len(description) or not text.endswith(description):
        return False
    return bool(_DATELINE.fullmatch(text[: -len(description)].rstrip()))


def _reworded_lead(page: PageBlocks, description: str, before: float) -> list[Block]:
    """The paragraph above the body that says what the description says in other words.

    Editors often shorten or reword the shown standfirst for the meta description
    ("Trump" for "Donald Trump", another last sentence); at least half of the words of
    the two together in common is the same text, not a teaser for another story.
    """
    wanted = set(words(description))
    if len(wanted) < _REWORDED_MIN_WORDS:
        return []
    best, best_share = None, _REWORDED_SHARE
    end = _count_before(before)
    above = page.blocks[max(0, end - _REWORDED_REACH) : end]
    for block in above:
        if block.element.tag not in _PARAGRAPH_TAGS:
            continue
        shown = set(words(block.text))
        if len(shown) < _REWORDED_MIN_WORDS or len(block.text) > 2 * len(description) + 40:
            continue
        share = len(shown & wanted) / len(shown | wanted)
        if share >= best_share and _may_lead(block):
            best, best_share = block, share
    return [best] if best is not None else []


def _count_before(position: float) -> int:
    """How many of the page's blocks come before `position` (blocks are numbered in
    document order, from 0)."""
    return max(0, math.ceil(position))


def _may_lead(block: Block) -> bool:
    return not any(
        node.tag in _NOT_LEAD_PLACES for node in [block.element, *ancestors(block.element)]
    )
