"""The Translator interface every provider implements."""

from __future__ import annotations

from typing import Protocol


class TranslationError(RuntimeError):
    """A provider could not translate. The message never carries the text or a key."""


class Translator(Protocol):
    name: str

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate each text; the result has the same length and order."""
        ...


def pack_batches(texts: list[str], max_chars: int) -> list[list[str]]:
    """Group consecutive texts into batches of at most `max_chars` characters each.

    A single longer text gets a batch of its own (splitting it is the provider's job).
    """
    batches: list[list[str]] = []
    size = 0
    for text in texts:
        if batches and size + len(text) <= max_chars:
            batches[-1].append(text)
            size += len(text)
        else:
            batches.append([text])
            size = len(text)
    return batches
