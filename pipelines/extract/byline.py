"""The writer's byline repeated at the top of the body ("By Jane Doe", "Von Anna Roe,
Frankfurt").

The page already names its authors, and the names are stored apart; a line near the
start made of nothing but those names, the little words around them ("by", "von",
"and") and perhaps the place the writer files from, is the byline, not the story. The
names come from the page, so no word list per language is needed. A name alone on the
line is left: the two sets of real pages disagree about it ("Staff Reports" is kept by
one, a bare name dropped by the other), and nothing in the page tells them apart.
"""

from __future__ import annotations

import re

from pipelines.extract.blocks import Line
from pipelines.extract.signoff import names_taken_out
from pipelines.extract.text import normalise

HEAD_LINES = 3  # a kicker or a headline may come before the byline
_JOINER_MAX_CHARS = 4  # "by", "von", "par", "and", "und", "y", "i"
_PLACE = re.compile(r",\s*[^\W\d][\w.-]*(?:\s+[^\W\d][\w.-]*)?\s*$")  # ", Frankfurt"
_TOKEN = re.compile(r"\w+")


def without_byline(lines: list[Line], authors: list[str]) -> list[Line]:
    """`lines` without a byline among the first ones."""
    names = [normalise(name).casefold() for name in authors if len(name.split()) >= 2]
    if not names or len(lines) <= HEAD_LINES:
        return lines
    return [
        line
        for index, line in enumerate(lines)
        if index >= HEAD_LINES or not _is_byline(line, names)
    ]


def _is_byline(line: Line, names: list[str]) -> bool:
    found, rest = names_taken_out(line.text, names)
    placed = _PLACE.search(rest) is not None
    rest = _PLACE.sub("", rest)  # the place after the names, once they are gone
    joiners = _TOKEN.findall(rest)
    # A bare name is left: one set of real pages keeps it as the body's first line.
    marked = placed or bool(joiners)
    return found and marked and all(len(word) <= _JOINER_MAX_CHARS for word in joiners)
