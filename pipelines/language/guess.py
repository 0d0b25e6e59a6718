"""What a detector answers, and the interface every detector implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# ISO 639-2 "undetermined": the text is too short or too mixed to say.
UND = "und"
# Detectors see at most this much of an article: the language of its first 2,000
# characters is the article's, and the cost then stays flat for long articles.
SAMPLE_CHARS = 2000


@dataclass(frozen=True)
class Guess:
    language: str  # ISO 639-1, or UND
    confidence: float
    # For Chinese: 'Hans' or 'Hant' (ISO 15924), when the characters or the page tell.
    script: str | None = None
    # What settled it ('script', 'lingua', 'langdetect', 'fasttext', 'page', 'source', ...).
    via: str = ""


class Detector(Protocol):
    name: str

    @property
    def languages(self) -> frozenset[str]:
        """The ISO 639-1 codes this detector can answer."""
        ...

    def detect(self, text: str) -> list[Guess]:
        """Candidate languages, most likely first (ISO 639-1 codes); [] if it cannot say."""
        ...


def sample(text: str) -> str:
    """The part of a text detectors look at (cut at a space, not inside a word)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", SAMPLE_CHARS // 2, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]
