"""Language detection: which language an article is written in.

It runs in the extraction worker, on the text just extracted (`pipelines.extract.worker`): the
crawl process neither loads the models nor spends its one core on them.

Evidence, strongest first:
1. the text's script, where it settles the language (Hangul, kana, Thai, Hebrew, ...);
2. a detector: lingua restricted to the languages of our sources (or langdetect, by
   NEWS_LANGUAGE_DETECTOR), with fastText's small bundled model for the languages lingua
   lacks and to break lingua's near-ties (`pipelines.language.hybrid`);
3. the page's `lang` attribute and the source's declared languages, which settle short or
   ambiguous texts.
Answers are ISO 639-1 codes with a confidence, `und` when the text is too short or too
mixed to say, and for Chinese the script ('Hans' or 'Hant').
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from pipelines.language.chinese import chinese_script
from pipelines.language.codes import base_code, chinese_script_of_tag, page_language
from pipelines.language.fasttext_backend import FastTextDetector
from pipelines.language.guess import UND, Detector, Guess, sample
from pipelines.language.hybrid import HybridDetector
from pipelines.language.langdetect_backend import LangdetectDetector
from pipelines.language.lingua_backend import LinguaDetector
from pipelines.language.scripts import ScriptProfile, script_language, script_profile, writes_in

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = [
    "UND",
    "Detector",
    "Guess",
    "HybridDetector",
    "LangdetectDetector",
    "LanguageSetup",
    "LinguaDetector",
    "article_language",
    "base_code",
    "build_detector",
    "decide_language",
    "identify_language",
]

DETECTORS = ("lingua", "langdetect")
DEFAULT_DETECTOR = "lingua"
# Always a candidate: every source may carry English copy.
ALWAYS = frozenset({"en"})
# Below this many characters a statistical guess is worth less than the page's own word.
SHORT_TEXT = 200
# A detector this sure is believed even outside the source's languages (an English edition).
CONFIDENT = 0.90
# In a short text, a detector's answer among the source's languages needs this much.
SHORT_CONFIDENT = 0.5
# With nothing but the text to go by, a best guess below this is no answer.
UNSURE = 0.2
# The confidence of an answer that rests on the page or the source alone.
PRIOR = 0.5


def build_detector(name: str, languages: Iterable[str]) -> HybridDetector:
    """The detector for `languages` (ISO 639-1): `name`'s detector backed by fastText."""
    languages = frozenset(base_code(code) for code in languages) | ALWAYS
    primary: Detector
    if name == "lingua":
        primary = LinguaDetector(languages)
    elif name == "langdetect":
        primary = LangdetectDetector()
    else:
        raise ValueError(
            f"NEWS_LANGUAGE_DETECTOR is {name!r}; expected one of: {', '.join(DETECTORS)}"
        )
    return HybridDetector(primary, languages, FastTextDetector())


def identify_language(
    detector: Detector, text: str, lang_attr: str | None = None, declared: Sequence[str] = ()
) -> Guess:
    """The language of `text`: script first, then the detector, then page and source."""
    text = sample(text)
    profile = script_profile(text)
    declared_codes = _codes(declared)
    settled = script_language(profile, declared_codes, detector.languages | set(declared_codes))
    if settled is not None:
        guesses = [Guess(settled[0], settled[1], via="script")]
    elif profile.too_short or profile.mixed:
        guesses = []  # nothing a detector could add
    else:
        guesses = detector.detect(text)
    return decide_language(guesses, text, lang_attr, declared, profile=profile)


def decide_language(
    guesses: list[Guess],
    text: str,
    lang_attr: str | None,
    declared: Sequence[str],
    *,
    profile: ScriptProfile | None = None,
) -> Guess:
    """Combine the detector's guesses with what the page and the source say."""
    declared_codes = _codes(declared)
    page_code = page_language(lang_attr)
    if profile is None:
        profile = script_profile(sample(text))
    prior = _prior(page_code, declared_codes)
    best = guesses[0] if guesses else None
    decided = _decide(best, guesses, text, profile, prior, page_code, declared_codes)
    return _with_script(decided, text, lang_attr, declared)


def _decide(
    best: Guess | None,
    guesses: list[Guess],
    text: str,
    profile: ScriptProfile,
    prior: Guess | None,
    page_code: str | None,
    declared_codes: list[str],
) -> Guess:
    if best is not None and prior is not None and best.language == prior.language:
        return best
    # Hangul on a source that says Chinese is still Korean: a prior written in another
    # script cannot be right.
    if (
        best is not None
        and best.via == "script"
        and (prior is None or not writes_in(prior.language, [profile.dominant or ""]))
    ):
        return best
    if best is None or profile.too_short or profile.mixed:
        # The text cannot say: the page or the source may, if the text's script fits.
        if prior is not None and (
            not profile.weights or writes_in(prior.language, profile.present())
        ):
            return prior
        return Guess(UND, 0.0)
    if len(text) < SHORT_TEXT:
        if prior is not None and prior.via == "page":
            return prior  # the page's lang, and the source publishes in it
        allowed = declared_codes or ([page_code] if page_code else [])
        among = [guess for guess in guesses if guess.language in allowed]
        if among and among[0].confidence >= SHORT_CONFIDENT:
            return among[0]
        if prior is not None:
            return prior
    else:
        if best.language in declared_codes or best.language == page_code:
            return best
        if best.confidence >= CONFIDENT:
            return best  # a confident answer outside the declared set: e.g. an English edition
        if prior is not None:
            return prior
    return best if best.confidence >= UNSURE else Guess(UND, 0.0)


def _prior(page_code: str | None, declared_codes: list[str]) -> Guess | None:
    """What the page and the source say: the page's lang if the source publishes in it,
    else the source's first language, else the page's lang."""
    if page_code and (page_code in declared_codes or not declared_codes):
        return Guess(page_code, PRIOR, via="page")
    if declared_codes:
        return Guess(declared_codes[0], PRIOR, via="source")
    return None


def _with_script(guess: Guess, text: str, lang_attr: str | None, declared: Sequence[str]) -> Guess:
    """Chinese gets its script: from the characters, else from the page's or source's tag."""
    if guess.language != "zh" or guess.script is not None:
        return guess
    script = chinese_script(text) or chinese_script_of_tag(lang_attr)
    if script is None:
        tags = {chinese_script_of_tag(tag) for tag in declared} - {None}
        script = tags.pop() if len(tags) == 1 else None
    return replace(guess, script=script) if script else guess


def _codes(declared: Iterable[str]) -> list[str]:
    """Declared tags as ISO 639-1, in order, without repeats ('zh-Hant' -> 'zh')."""
    return list(dict.fromkeys(base_code(tag) for tag in declared))


@dataclass(frozen=True)
class LanguageSetup:
    """Which detector, over which languages: small and picklable, so the extraction worker
    builds the detector itself and the crawl process never loads a language model."""

    detector: str
    languages: frozenset[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguageSetup:
        name = crawler.settings.get("NEWS_LANGUAGE_DETECTOR", DEFAULT_DETECTOR)
        if name not in DETECTORS:
            raise ValueError(
                f"NEWS_LANGUAGE_DETECTOR is {name!r}; expected one of: {', '.join(DETECTORS)}"
            )
        # Every language of the sources file, which the spider loader puts in the
        # settings: with one crawler per source, each still gets the same detector.
        languages = crawler.settings.getlist("NEWS_SOURCE_LANGUAGES")
        return cls(name, frozenset(base_code(code) for code in languages) | ALWAYS)

    def build(self) -> HybridDetector:
        return _detector(self)


@cache
def _detector(setup: LanguageSetup) -> HybridDetector:
    """One detector per process and setup: building one loads models."""
    return build_detector(setup.detector, setup.languages)


def article_language(setup: LanguageSetup, text: str, lang_attr: str | None,
                     declared: Sequence[str]) -> Guess:  # fmt: skip
    """The language of an article's text (called in the extraction worker)."""
    return identify_language(setup.build(), text, lang_attr, declared)
