"""What a provider answered, judged the same way for every provider before anything is
stored, cached or charged: one text per piece sent, each a non-empty string."""

from __future__ import annotations

from typing import Any

from pipelines.translate.providers.provider import TranslationError


class UnusableAnswer(TranslationError):
    """A provider answered, but not with translations (not worth a retry)."""


def usable_answer(provider: str, pieces: list[str], answer: Any) -> list[str]:
    """The answer as translations of `pieces`, or UnusableAnswer saying what is wrong."""
    if not isinstance(answer, list) or len(answer) != len(pieces):
        count = len(answer) if isinstance(answer, list) else type(answer).__name__
        raise UnusableAnswer(f"{provider}: {count} answers for {len(pieces)} texts")
    for position, (piece, text) in enumerate(zip(pieces, answer, strict=True), 1):
        if not isinstance(text, str):
            raise UnusableAnswer(
                f"{provider}: answer {position} is not a translation ({type(text).__name__})"
            )
        if piece.strip() and not text.strip():
            raise UnusableAnswer(f"{provider}: answer {position} is not a translation (empty)")
    return answer
