"""Credits at a story's edge: who contributed reporting and who translated it.

Wire stories close with a note on the reporters who helped ("Jane Roe contributed
reporting from Kyiv", "Additional reporting by …", "With reports from Reforma"), and
translated pieces with the translator's name. Neither is the story; both read the same
on every site, so a few phrases per language find them. Only short lines at the body's
edge go, so a sentence about reporting inside the story stays.

A bare "Reporting by X; Editing by Y" is left alone: one set of real pages keeps it and
drops it on pages of the same agency, so no rule can be right about it.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.blocks import Line

_NOTE_MAX_CHARS = 300  # a credit is a line or two, never a paragraph of the story
_CONTRIBUTORS = re.compile(
    # en
    r"contributed (?:reporting|to this (?:report|story|article))|additional reporting"
    r"|^\W*with (?:additional )?report(?:ing|s) (?:by|from)"
    # de, fr, es, pt, it, nl
    r"|^\W*mitarbeit\s*:|an diesem (?:bericht|artikel) (?:hat|haben) .* mitgearbeitet"
    r"|a contribué à cet article|ont contribué à cet article"
    r"|^\W*con información de|^\W*com informações d[aeo]s?|colaboró en (?:esta|este)"
    r"|ha collaborato|hanno collaborato|^\W*met medewerking van"
    # translation credits
    r"|^\W*(?:aus dem \w+ (?:von|übersetzt)|übersetzung\s*:|übersetzt von|translated by"
    r"|translation\s*:|traduit (?:de l'\w+ )?par|traducción\s*:|traducido por|tradução\s*:"
    r"|traduzione\s*:|tradotto da)",
    re.I,
)


def is_contributor_note(line: Line, edge: bool, container: Any | None) -> bool:
    """A short credit for contributing reporters or a translator, at the body's edge."""
    return edge and len(line.text) <= _NOTE_MAX_CHARS and bool(_CONTRIBUTORS.search(line.text))
