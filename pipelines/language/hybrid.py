"""The primary detector restricted to our languages, backed by the fallback.

The fallback (fastText) is asked in three cases: the primary cannot read the text at all
(a script none of its languages uses), one of our languages is one the primary lacks,
or the primary has no majority answer. In the last case the two vote: lingua's errors on
short sentences are mostly near-ties that fastText, trained differently, gets right.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.language.guess import Detector, Guess

# Below this the primary's best answer has no majority: the fallback gets a vote.
UNSURE = 0.5
# The fallback's share of that vote; the primary stays the senior partner.
FALLBACK_WEIGHT = 0.3
# The fallback's confidence needed to name one of our languages the primary lacks.
EXTRA_CONFIDENT = 0.5


class HybridDetector:
    def __init__(self, primary: Detector, languages: Iterable[str], fallback: Detector | None):
        self.primary = primary
        self.fallback = fallback
        self._languages = frozenset(languages)
        # Our languages that only the fallback knows (e.g. Sinhala for lingua).
        self.extras = (
            (self._languages - primary.languages) & fallback.languages if fallback else frozenset()
        )
        self.name = primary.name + (f"+{fallback.name}" if fallback else "")

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def detect(self, text: str) -> list[Guess]:
        found = self.primary.detect(text)
        ours = [guess for guess in found if guess.language in self._languages]
        if self.fallback is None:
            return ours or found
        if not found:
            # A script the primary has no language for: the fallback is all there is.
            return self.fallback.detect(text)
        if ours and ours[0].confidence >= UNSURE and not self.extras:
            return ours
        backup = self.fallback.detect(text)
        if backup and backup[0].language in self.extras and backup[0].confidence >= EXTRA_CONFIDENT:
            return [backup[0], *ours]
        if ours and ours[0].confidence >= UNSURE:
            return ours
        return self._vote(ours, backup) or found

    def _vote(self, ours: list[Guess], backup: list[Guess]) -> list[Guess]:
        scores = {guess.language: (1 - FALLBACK_WEIGHT) * guess.confidence for guess in ours}
        for guess in backup:
            if guess.language in self._languages:
                scores[guess.language] = (
                    scores.get(guess.language, 0.0) + FALLBACK_WEIGHT * guess.confidence
                )
        ranked = sorted(scores.items(), key=lambda item: (-round(item[1], 6), item[0]))
        return [Guess(language, round(score, 6), via=self.name) for language, score in ranked]
