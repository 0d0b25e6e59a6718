"""lingua, restricted to the languages we ingest: the primary detector.

Restricting lingua to our languages is what makes it accurate on headline-length text
(it need not tell Spanish from Galician if we ingest no Galician) and fast (fewer models
to score). Its models are large, so one detector is built per language set and shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from pipelines.language.guess import Guess

# Every language lingua has a model for, as ISO 639-1.
LINGUA_LANGUAGES = frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())
# lingua needs at least two languages to compare; a lone one is paired with English.
_COMPANION = "en"
# Candidates after the first few carry no information and cost allocations.
_KEEP = 5


@cache
def _build(languages: frozenset[str]) -> LanguageDetector:
    codes = [IsoCode639_1.from_str(code) for code in sorted(languages)]
    # Lazy model loading (lingua's default): a model is read on first use and then cached
    # inside lingua, shared by every detector built here.
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


class LinguaDetector:
    name = "lingua"

    def __init__(self, languages: Iterable[str]):
        supported = frozenset(languages) & LINGUA_LANGUAGES
        if not supported:
            raise ValueError(f"lingua knows none of {sorted(set(languages))}")
        if len(supported) == 1:
            supported |= {_COMPANION if _COMPANION not in supported else "fr"}
        self._languages = supported
        self._detector = _build(supported)

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def detect(self, text: str) -> list[Guess]:
        values = self._detector.compute_language_confidence_values(text)
        # lingua's sums vary in the last bits from call to call; rounded, the same text
        # always gets the same answer, ties broken by code.
        guesses = [
            Guess(value.language.iso_code_639_1.name.lower(), round(value.value, 6), via=self.name)
            for value in values[:_KEEP]
        ]
        return sorted(
            # All zero: no letter of any of our languages' scripts.
            (guess for guess in guesses if guess.confidence > 0.0),
            key=lambda guess: (-guess.confidence, guess.language),
        )
