"""A guard on what comes back: an answer in the wrong language, or the input handed back,
is not a translation.

It uses the pipeline's own language detector (`pipelines.language`) on the answer as a
whole (the article's title and paragraphs together). Short answers (names, numbers, a
one-line title) are not judged by their language: a detector cannot tell "São Paulo" from
Portuguese. `python -m bench.translation_guard` measures it on the language-ID sample.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrapy.settings import BaseSettings

from pipelines.language.codes import base_code
from pipelines.language.detection import DEFAULT_DETECTOR, LanguageSetup, identify_language
from pipelines.language.guess import UND

# An answer with fewer letters than this is not judged (names, numbers, short titles).
MIN_LETTERS = 20
# How sure the detector must be that the answer is in another language.
CONFIDENT = 0.5


@dataclass(frozen=True)
class Rejection:
    kind: str  # not_english | echo
    reason: str


class AnswerGuard:
    def __init__(self, detector: str, languages: Iterable[str]):
        self.detector = detector
        self.languages = frozenset(base_code(code) for code in languages)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> AnswerGuard:
        """The detector of the crawl, over every language of the sources file
        (NEWS_SOURCE_LANGUAGES, which the spider loader and `retranslate` set): a wrong
        answer is most likely in one of them (the detector cannot name any other)."""
        return cls(
            settings.get("NEWS_LANGUAGE_DETECTOR") or DEFAULT_DETECTOR,
            settings.getlist("NEWS_SOURCE_LANGUAGES"),
        )

    def check(
        self, texts: list[str], answers: list[str], source: str, target: str
    ) -> Rejection | None:
        """Why these answers are not translations of `texts` into `target`, if they are not."""
        answer = "\n".join(answers)
        if sum(char.isalpha() for char in answer) < MIN_LETTERS:
            return None
        target = base_code(target)
        setup = LanguageSetup(self.detector, self.languages | {base_code(source), target})
        guess = identify_language(setup.build(), answer)
        # The input handed back, unless it reads as the target already (names echo
        # rightly: "Olaf Scholz and Giorgia Meloni").
        if guess.language != target and _normalised(answer) == _normalised("\n".join(texts)):
            return Rejection("echo", "echoed the input")
        if guess.language not in (UND, target) and guess.confidence >= CONFIDENT:
            return Rejection("not_english", f"answered in {guess.language}, not {target}")
        return None


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()
