"""langdetect, seeded so that the same text always gets the same answer.

Kept as an alternative primary (NEWS_LANGUAGE_DETECTOR=langdetect); lingua is more
accurate on short text and faster.
"""

from __future__ import annotations

from functools import cache

from pipelines.language.codes import detector_code
from pipelines.language.guess import Guess


@cache
def _profiles() -> frozenset[str]:
    from langdetect.detector_factory import init_factory

    init_factory()
    from langdetect.detector_factory import _factory

    assert _factory is not None
    codes = (detector_code(label) for label in _factory.get_lang_list())
    return frozenset(code for code in codes if code)


class LangdetectDetector:
    name = "langdetect"

    def __init__(self, seed: int = 0):
        from langdetect import DetectorFactory

        DetectorFactory.seed = seed

    @property
    def languages(self) -> frozenset[str]:
        return _profiles()

    def detect(self, text: str) -> list[Guess]:
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        try:
            found = detect_langs(text)
        except LangDetectException:
            return []
        guesses: dict[str, Guess] = {}
        for candidate in found:
            code = detector_code(candidate.lang)
            if code and code not in guesses:  # zh-cn and zh-tw are both 'zh'
                guesses[code] = Guess(code, candidate.prob, via=self.name)
        return list(guesses.values())
