"""The page's text blocks, so that lines trafilatura extracted can be traced to the DOM.

trafilatura returns text, not the elements it came from. Matching each line back to
its block tells us where in the page it sits (for ordering and for finding the body's
container) and what it is made of (links, the classes around it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pipelines.extract.text import normalise

BLOCK_TAGS = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt",
    "figcaption", "td", "th", "div",
)  # fmt: skip
_PREFIX = 40  # a line split off a longer block (at a <br>) still matches on its start
# Inline elements that set a paragraph's words; links are left out, so that a row of
# links (a menu) stays a wrapper rather than a block.
_INLINE = {"span", "em", "i", "strong", "b", "small", "time", "abbr", "mark", "br"}
_CONTAINER_DEPTH = 5
_LIST_MARK = re.compile(r"^[-•*]\s+")


@dataclass
class Block:
    element: Any
    text: str
    position: int  # document order among the page's blocks

    @cached_property  # asked by several steps; the tree is not edited meanwhile
    def link_density(self) -> float:
        """Share of the block's characters inside links."""
        linked = sum(len(normalise(a.text_content())) for a in self.element.iter("a"))
        return min(1.0, linked / len(self.text)) if self.text else 0.0


@dataclass
class Line:
    """One line of extracted text and, when it could be traced, its block."""

    text: str
    block: Block | None
    position: float  # document order; untraced lines take their predecessor's
    rescued: bool = False  # added back by us, not by trafilatura


class PageBlocks:
    """Every block element with text, indexed by text and by element."""

    def __init__(self, tree: Any):
        self.tree = tree
        self.blocks: list[Block] = []
        self.by_element: dict[Any, Block] = {}
        self.by_text: dict[str, Block] = {}
        self.by_prefix: dict[str, Block] = {}
        for element in tree.iter(*BLOCK_TAGS):
            if element.tag == "div" and not _has_own_text(element):
                continue  # a wrapper; its children are blocks of their own
            text = normalise(element.text_content())
            if not text:
                continue
            block = Block(element, text, len(self.blocks))
            self.blocks.append(block)
            self.by_element[element] = block
            self.by_text.setdefault(text, block)
            if len(text) >= _PREFIX:
                self.by_prefix.setdefault(text[:_PREFIX], block)

    def locate(self, line: str) -> Block | None:
        text = normalise(line)
        found = self.by_text.get(text)
        if found is None and _LIST_MARK.match(text):
            text = _LIST_MARK.sub("", text)
            found = self.by_text.get(text)
        if found is None and len(text) >= _PREFIX:
            found = self.by_prefix.get(text[:_PREFIX])
        return found

    def trace(self, texts: list[str]) -> list[Line]:
        lines: list[Line] = []
        position = -1.0
        for text in texts:
            block = self.locate(text)
            if block is not None:
                position = float(block.position)
            lines.append(Line(text, block, position))
        return lines

    def within(self, element: Any) -> list[Block]:
        """The blocks inside `element` (itself included), in document order."""
        inside = (self.by_element.get(node) for node in element.iter(*BLOCK_TAGS))
        return [block for block in inside if block is not None]


def _has_own_text(element: Any) -> bool:
    """Text of its own, or only inline elements other than links inside
    ("<div><span>Berlin.</span> <span>The lead …</span></div>"): a paragraph in all
    but name."""
    if element.text and element.text.strip():
        return True
    # One walk over the children (each visit makes a Python proxy, which is what costs).
    inline_only = len(element) > 0
    for child in element:
        if child.tail and child.tail.strip():
            return True
        inline_only = inline_only and child.tag in _INLINE
    return inline_only


def body_container(lines: list[Line]) -> Any | None:
    """The element that holds most of the extracted paragraphs.

    Paragraphs are usually siblings; when each sits in a wrapper of its own, the
    grandparent is the container. Component frameworks nest each paragraph in up to four
    wrappers of its own, so the search goes up to five levels.
    """
    paragraphs = [ln.block for ln in lines if ln.block is not None and ln.block.element.tag == "p"]
    if not paragraphs:
        return None
    total = sum(len(block.text) for block in paragraphs)
    for depth in range(1, _CONTAINER_DEPTH + 1):
        weights: Counter[Any] = Counter()
        for block in paragraphs:
            ancestor = block.element
            for _ in range(depth):
                ancestor = ancestor.getparent() if ancestor is not None else None
            if ancestor is not None:
                weights[ancestor] += len(block.text)
        if weights:
            element, weight = weights.most_common(1)[0]
            if weight >= 0.5 * total:
                return element
    return None


def ancestors(element: Any, stop: Any | None = None, limit: int = 6) -> list[Any]:
    """The element's ancestors, nearest first, up to (not including) `stop`."""
    found: list[Any] = []
    node = element.getparent()
    while node is not None and node is not stop and len(found) < limit:
        found.append(node)
        node = node.getparent()
    return found
