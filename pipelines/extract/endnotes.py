"""Credits at a story's edge: who contributed reporting and who translated it.

Wire stories close with a note on the reporters who helped ("Jane Roe contributed
reporting from Kyiv.", "Additional reporting by …", "With reports from Reforma"), and
translated pieces with the translator's name. Neither is the story; both read the same
on every site, so a few phrases per language find them. Only short lines at the body's
edge go, and a "… contributed reporting" line only when the credit ends it (a place at
most after it): "Jane Roe contributed reporting from the depot, where …" is a sentence
of the story.

A bare "Reporting by X; Editing by Y" is left alone: one set of real pages keeps it and
drops it on pages of the same agency, so no rule can be right about it.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.blocks import Line

_NOTE_MAX_CHARS = 300  # a credit is a line or two, never a paragraph of the story
_PLACE_WORDS = 4  # "from Hong Kong", "in Rio de Janeiro" after the credit
# A credit wherever it stands in the line: the names follow it.
_CREDIT = re.compile(
    # en
    r"additional reporting|^\W*with (?:additional )?report(?:ing|s) (?:by|from)"
    # de, es, pt, nl
    r"|^\W*mitarbeit\s*:|^\W*con información de|^\W*com informações d[aeo]s?"
    r"|^\W*met medewerking van"
    # translation credits
    r"|^\W*(?:aus dem \w+ (?:von|übersetzt)|übersetzung\s*:|übersetzt von|translated by"
    r"|translation\s*:|traduit (?:de l'\w+ )?par|traducción\s*:|traducido por|tradução\s*:"
    r"|traduzione\s*:|tradotto da)",
    re.I,
)
# A credit after the names: it ends the line.
_CONTRIBUTED = re.compile(
    r"contributed (?:reporting|to this (?:report|story|article))"
    r"|(?:a|ont) contribué à cet article|ha(?:nno)? collaborato|colabor(?:ó|aron|ou)"
    r"|(?:hat|haben) mitgearbeitet",
    re.I,
)
_WORD = re.compile(r"\w+")


def is_contributor_note(line: Line, edge: bool, container: Any | None) -> bool:
    """A short credit for contributing reporters or a translator, at the body's edge."""
    if not edge or len(line.text) > _NOTE_MAX_CHARS:
        return False
    if _CREDIT.search(line.text):
        return True
    found = _CONTRIBUTED.search(line.text)
    return found is not None and len(_WORD.findall(line.text[found.end() :])) <= _PLACE_WORDS
