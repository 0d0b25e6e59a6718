"""The article body: trafilatura first, then repairs that use what the page declares.

1. trafilatura in precision mode, fast (no readability/justext comparison): cheap, and
   on news pages more precise than its default at almost no cost in recall.
2. If that is suspiciously short next to the page's densest run of paragraphs (or its
   marked-up body), precision mode with the comparison, then the balanced default.
3. Lines are traced back to the DOM: a body split in several containers by ads gets its
   other parts back; quoted posts (tweets) dropped inside the body are put back.
4. Boilerplate rules drop what the page around the body left in (`boilerplate`).
5. A JSON-LD `articleBody` that the page visibly shows, and that is much longer than
   what we found, replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from pipelines.extract.blocks import (
    Block,
    Line,
    PageBlocks,
    ancestors,
    body_container,
)
from pipelines.extract.boilerplate import drop_boilerplate
from pipelines.extract.boxes import without_appeals, without_boxes
from pipelines.extract.byline import without_byline
from pipelines.extract.gaps import with_dropped_paragraphs
from pipelines.extract.keep import reading_length
from pipelines.extract.lead import with_lead
from pipelines.extract.payload import payload_body
from pipelines.extract.signoff import without_signoff
from pipelines.extract.structured import microdata_body
from pipelines.extract.text import coverage, normalise, word_ngrams

SHORT_CHARS = 250  # less than this is a failed extraction on any article page
SHORT_SHARE = 0.5  # ... and so is less than half the page's main run of paragraphs
_PARAGRAPH_MIN = 80  # paragraphs shorter than this don't count towards that run


@dataclass
class Body:
    text: str
    method: str  # how it was found, for the benchmark and for debugging


@dataclass(frozen=True)
class Pass:
    """One trafilatura run: its focus, and whether to skip the external comparison."""

    name: str
    precision: bool = False
    fast: bool = False


# Tried in order until one is not suspiciously short.
PASSES = [
    Pass("precision-fast", precision=True, fast=True),
    Pass("precision", precision=True),
    Pass("balanced"),
]


def extract_body(
    tree: Any,
    url: str,
    headlines: list[str],
    structured_body: str = "",
    descriptions: list[str] | None = None,
    authors: list[str] | None = None,
) -> Body:
    """The body text, one paragraph per line."""
    page = PageBlocks(tree)
    expected = _expected_length(tree, page)
    best: tuple[str, list[str]] = ("none", [])
    for trafilatura_pass in PASSES:
        found = _trafilatura_lines(tree, url, trafilatura_pass)
        if sum(map(len, found)) > sum(map(len, best[1])):
            best = (trafilatura_pass.name, found)
        if not _too_short(found, expected):
            break
    method, texts = best

    lines = page.trace(texts)
    container = body_container(lines)
    if container is not None:
        lines = _with_continuations(lines, page, container)
        lines = with_dropped_paragraphs(lines, page, container)
        lines = _with_quoted_posts(lines, page, container)
    lines = without_boxes(lines, container)
    lines = without_appeals(lines, container)
    lines = drop_boilerplate(lines, container)
    lines = without_signoff(lines, authors or [])
    lines = _without_leading_headline(lines, headlines)
    lines = without_byline(lines, authors or [])
    lines = with_lead(lines, page, descriptions or [])
    text = "\n".join(line.text for line in lines)

    if structured_body:
        replacement = _structured_replacement(text, structured_body, page)
        if replacement:
            return Body(replacement, "json-ld")
    if reading_length(text) < SHORT_CHARS:
        from_script = payload_body(tree)
        if reading_length(from_script) >= 2 * max(reading_length(text), SHORT_CHARS):
            return Body(from_script, "script-payload")
    return Body(text, method)


def _trafilatura_lines(tree: Any, url: str, settings: Pass) -> list[str]:
    doc = trafilatura.bare_extraction(
        tree,  # copied by trafilatura, which prunes its copy
        url=url,
        fast=settings.fast,
        favor_precision=settings.precision,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if doc is None:
        return []
    text = doc.get("text") if isinstance(doc, dict) else doc.text
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _expected_length(tree: Any, page: PageBlocks) -> int:
    """How long the body should at least be: the page's densest run of paragraphs.

    Paragraphs are counted under their parent; the biggest parent is the likely body.
    A page that marks its body up (itemprop=articleBody) says so itself.
    """
    by_parent: dict[Any, int] = {}
    for block in page.blocks:
        paragraph = block.element.tag == "p" and len(block.text) >= _PARAGRAPH_MIN
        if paragraph and block.link_density < 0.3:
            parent = block.element.getparent()
            by_parent[parent] = by_parent.get(parent, 0) + reading_length(block.text)
    densest = max(by_parent.values(), default=0)
    marked = microdata_body(tree)
    if marked is not None:
        marked_length = sum(
            reading_length(b.text) for b in page.within(marked) if b.element.tag == "p"
        )
        densest = max(densest, marked_length)
    return densest


def _too_short(lines: list[str], expected: int) -> bool:
    # Reading length: 250 characters of Chinese are a full article, not a failure.
    length = reading_length("".join(lines))
    return length < SHORT_CHARS or length < SHORT_SHARE * expected


def _with_continuations(lines: list[Line], page: PageBlocks, container: Any) -> list[Line]:
    """Add the rest of a body that ads split into several same-class containers.

    Only containers in the same slot of the page's template (parents alike), inside the
    same <article> (or page, if none) as the first and with no <h1> between them, so
    that a following article's body or a comment thread is not mistaken for ours.
    """
    css = container.get("class")
    parent = container.getparent()
    if not css or parent is None:
        return lines
    home = _article_of(container)
    seen = {normalise(line.text) for line in lines}
    extra: list[Line] = []
    for element in page.tree.iter(container.tag):
        if element is container or element.get("class") != css or _article_of(element) is not home:
            continue
        if not _same_slot(element.getparent(), parent):
            continue
        if container in ancestors(element, limit=50) or element in ancestors(container, limit=50):
            continue
        blocks = [b for b in page.within(element) if b.element.tag in ("p", "h2", "h3", "h4")]
        if sum(len(b.text) for b in blocks if b.element.tag == "p") < 150:
            continue
        if _h1_between(page, container, element):
            continue
        extra.extend(
            Line(b.text, b, float(b.position), rescued=True) for b in blocks if b.text not in seen
        )
    return _merge(lines, extra) if extra else lines


def _same_slot(a: Any | None, b: Any) -> bool:
    """Parents alike in tag and class: the same place in the page's template."""
    return a is not None and a.tag == b.tag and a.get("class") == b.get("class")


def _article_of(element: Any) -> Any | None:
    for node in ancestors(element, limit=50):
        if node.tag == "article":
            return node
    return None


def _h1_between(page: PageBlocks, first: Any, second: Any) -> bool:
    a = _first_position(page, first)
    b = _first_position(page, second)
    low, high = sorted((a, b))
    return any(low < block.position < high for block in page.blocks if block.element.tag == "h1")


def _first_position(page: PageBlocks, element: Any) -> int:
    inside = page.within(element)
    return inside[0].position if inside else -1


def _with_quoted_posts(lines: list[Line], page: PageBlocks, container: Any) -> list[Line]:
    """Put back quoted posts (embedded tweets and the like) dropped from the body.

    A blockquote whose words are mostly in the text already is a pull quote; skip it.
    """
    found: set[tuple[str, ...]] | None = None  # the body's n-grams, only if a quote needs them
    extra: list[Line] = []
    for element in container.iter("blockquote"):
        if any(node.tag == "blockquote" for node in ancestors(element, stop=container)):
            continue
        block: Block | None = page.by_element.get(element)
        if block is None or len(block.text) < 30:
            continue
        if found is None:
            found = word_ngrams(" ".join(line.text for line in lines))
        if coverage(word_ngrams(block.text), found) < 0.5:
            extra.append(Line(block.text, block, float(block.position), rescued=True))
    return _merge(lines, extra) if extra else lines


def _merge(lines: list[Line], extra: list[Line]) -> list[Line]:
    """Insert `extra` after the last line that comes before it in the page."""
    merged = list(lines)
    for line in sorted(extra, key=lambda ln: ln.position):
        at = len(merged)
        while at > 0 and merged[at - 1].position > line.position:
            at -= 1
        merged.insert(at, line)
    return merged


def _without_leading_headline(lines: list[Line], headlines: list[str]) -> list[Line]:
    """trafilatura often keeps the <h1> (or a kicker plus it) as the first lines."""
    folded = {normalise(h).casefold() for h in headlines if h}
    start = 0
    while start < min(2, len(lines)) and normalise(lines[start].text).casefold() in folded:
        start += 1
    return lines[start:]


def _structured_replacement(text: str, structured: str, page: PageBlocks) -> str | None:
    """The JSON-LD body, when it is shown on the page and much more than we found.

    Shown means most of its word runs occur in the page's blocks: some sites put a
    teaser, another language or stale text there. Its paragraphs are taken from the
    page where they can be found, so line breaks survive.
    """
    declared = word_ngrams(structured)
    if len(declared) < 50 or coverage(declared, word_ngrams(text)) >= 0.6:
        return None
    visible = word_ngrams(" ".join(block.text for block in page.blocks))
    if coverage(declared, visible) < 0.9:
        return None
    chosen: list[Block] = []
    for block in page.blocks:
        if block.element.tag not in ("p", "li", "h2", "h3", "h4", "blockquote"):
            continue
        if chosen and chosen[-1].element in ancestors(block.element, limit=10):
            continue
        if coverage(word_ngrams(block.text), declared) >= 0.8:
            chosen.append(block)
    from_page = "\n".join(block.text for block in chosen)
    if coverage(declared, word_ngrams(from_page)) >= 0.8:
        return from_page
    return structured
