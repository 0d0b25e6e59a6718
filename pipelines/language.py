"""Language stage: which language an article is written in.

The detector sits behind a small interface so a better one can replace langdetect.
The source's declared languages and the page's `lang` attribute settle short or
ambiguous texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from scrapy.crawler import Crawler

from newsspiders.items import Article

# Detector codes that differ from ISO 639-1.
_ISO_639_1 = {"iw": "he", "ji": "yi", "in": "id", "zh-cn": "zh", "zh-tw": "zh"}
# Below this many characters a statistical guess is worth less than the page's own word.
SHORT_TEXT = 200
CONFIDENT = 0.90


@dataclass(frozen=True)
class Guess:
    language: str
    confidence: float


class Detector(Protocol):
    def detect(self, text: str) -> list[Guess]:
        """Candidate languages, most likely first (ISO 639-1 codes)."""
        ...


class LangdetectDetector:
    """langdetect, seeded so that the same text always gets the same answer."""

    def __init__(self, seed: int = 0):
        from langdetect import DetectorFactory

        DetectorFactory.seed = seed

    def detect(self, text: str) -> list[Guess]:
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        try:
            found = detect_langs(text)
        except LangDetectException:
            return []
        return [Guess(base_code(g.lang), g.prob) for g in found]


def base_code(tag: str) -> str:
    """'fr-FR' -> 'fr', 'zh-cn' -> 'zh', 'iw' -> 'he'."""
    tag = tag.strip().lower().replace("_", "-")
    return _ISO_639_1.get(tag, _ISO_639_1.get(tag.split("-")[0], tag.split("-")[0]))


def decide_language(
    guesses: list[Guess], text: str, lang_attr: str | None, declared: list[str]
) -> Guess:
    """Combine the detector's guesses with what the page and the source say."""
    declared_codes = [base_code(code) for code in declared]
    page_code = base_code(lang_attr) if lang_attr else None
    prior = page_code if page_code in declared_codes else declared_codes[0]
    if len(text) < SHORT_TEXT or not guesses:
        return Guess(prior, 0.5)
    best = guesses[0]
    if best.language in declared_codes or best.language == page_code:
        return best
    if best.confidence >= CONFIDENT:
        return best  # a confident answer outside the declared set: e.g. an English edition
    return Guess(prior, 0.5)


class LanguagePipeline:
    def __init__(self, detector: Detector):
        self.detector = detector

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        return cls(LangdetectDetector())

    def process_item(self, item: Article) -> Article:
        guess = decide_language(
            self.detector.detect(item.text), item.text, item.lang_attr, item.source_languages
        )
        item.language = guess.language
        item.language_confidence = round(guess.confidence, 3)
        return item
