"""The writer's sign-off and note about the writer at the body's end.

Many outlets close a story with the writer's name on a line of its own, or with a line
in italics that says who the writer is ("Jane Doe is our correspondent in Kyiv").
Neither is part of the story: the name is already the article's author, and the note
is a box about the person. Both are recognised by the author names the page declares,
so the rule holds in any language without a word list.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.blocks import Line
from pipelines.extract.text import normalise

TAIL_LINES = 3  # only the body's last lines can be a sign-off
_NOTE_MAX_CHARS = 300  # a note about the writer is a sentence or two
_NAME_START_WORDS = 1  # words allowed before the name: a role ("Correspondent Jane Doe …")
_JOINER_MAX_CHARS = 4  # "and", "und", "et", "og", "и" between the names of a sign-off
_QUOTE_OPENERS = "\"'“”„«»‘’‚"
_TOKEN = re.compile(r"\w+")


def without_signoff(lines: list[Line], authors: list[str]) -> list[Line]:
    """`lines` without a sign-off or a note about the writer among the last lines."""
    names = [normalise(name).casefold() for name in authors if len(name.split()) >= 2]
    if not names or len(lines) <= TAIL_LINES:
        return lines
    tail_start = len(lines) - TAIL_LINES
    return [
        line
        for index, line in enumerate(lines)
        if index < tail_start or not (_is_signoff(line, names) or _is_note(line, names))
    ]


def names_taken_out(text: str, names: list[str]) -> tuple[bool, str]:
    """Whether `text` names any of `names` (casefolded), and what is left without them."""
    rest = normalise(text).casefold()
    found = False
    for name in names:
        if name in rest:
            rest = rest.replace(name, " ")
            found = True
    return found, rest


def _is_signoff(line: Line, names: list[str]) -> bool:
    """Nothing but author names, and the joiners and punctuation between them."""
    found, rest = names_taken_out(line.text, names)
    return found and all(len(word) <= _JOINER_MAX_CHARS for word in _TOKEN.findall(rest))


def _is_note(line: Line, names: list[str]) -> bool:
    """A short line set in italics that opens with an author's name."""
    text = normalise(line.text)
    if line.block is None or len(text) > _NOTE_MAX_CHARS or text[:1] in _QUOTE_OPENERS:
        return False
    folded = text.casefold()
    starts = [folded.find(name) for name in names]
    opens_with_name = any(
        start >= 0 and len(_TOKEN.findall(folded[:start])) <= _NAME_START_WORDS for start in starts
    )
    return opens_with_name and _in_italics(line.block.element)


def _in_italics(element: Any) -> bool:
    """Nine tenths or more of the element's text inside <em> or <i>."""
    total = len(normalise(element.text_content()))
    emphasised = sum(
        len(normalise(node.text_content()))
        for node in element.iter("em", "i")
        if next(node.iterancestors("em", "i"), None) is None  # outermost only
    )
    return total > 0 and emphasised >= 0.9 * total
