"""Paragraphs trafilatura's precision mode drops from the middle of a body.

Precision mode discards a paragraph with a notable share of link text, so a sentence
that cites its source through a link ("multiple large federal departments have said…")
goes missing from the middle of an article. A paragraph with a link that sits inside the
body's container, between the first and the last extracted line, reads as a sentence
and is mostly not link, is body text: it is put back in its place.

A live blog's entries are headed by the time of the update ("11.04 Uhr: …", "14:32 …");
trafilatura drops such headings between the entries it keeps, so they are put back too.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.blocks import Line, PageBlocks
from pipelines.extract.walls import COOKIE_WORDS as _COOKIE

_MIN_CHARS = 60
_MAX_LINK_SHARE = 0.5
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_ENTRY_TIME = re.compile(r"^\d{1,2}[.:h]\d{2}\b")  # 11.04, 14:32, 9h05
_ENTRY_MAX_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?。！？؟।…][\"'”’»)\]]*\s*$")


def with_dropped_paragraphs(lines: list[Line], page: PageBlocks, container: Any) -> list[Line]:
    traced = [line.block.position for line in lines if line.block is not None]
    if len(traced) < 2:
        return lines
    first, last = min(traced), max(traced)
    kept = {line.block.element for line in lines if line.block is not None}
    kept_texts = {line.text for line in lines}
    missing: list[Line] = []
    for block in page.within(container):
        if not first < block.position < last or block.element in kept:
            continue
        if _is_entry_heading(block.element.tag, block.text, block.link_density):
            missing.append(Line(block.text, block, float(block.position)))
            continue
        if block.element.tag != "p" or len(block.text) < _MIN_CHARS or block.text in kept_texts:
            continue
        # Only what precision mode drops for its links: a paragraph with no link that
        # trafilatura left out was left out for other reasons.
        if not _SENTENCE_END.search(block.text) or not 0 < block.link_density <= _MAX_LINK_SHARE:
            continue
        if _COOKIE.search(block.text):
            continue  # a consent placeholder for an embed, with its privacy-policy link
        missing.append(Line(block.text, block, float(block.position)))
    if not missing:
        return lines
    merged = list(lines)
    for line in missing:
        at = len(merged)
        while at > 0 and merged[at - 1].position > line.position:
            at -= 1
        merged.insert(at, line)
    return merged


def _is_entry_heading(tag: str, text: str, link_density: float) -> bool:
    """A live-blog entry's heading: led by the time of the update, not a link."""
    return (
        tag in _HEADINGS
        and len(text) <= _ENTRY_MAX_CHARS
        and link_density < _MAX_LINK_SHARE
        and bool(_ENTRY_TIME.match(text))
    )
