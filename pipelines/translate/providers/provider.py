"""The Translator interface every provider implements, and its errors."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol


class TranslationError(RuntimeError):
    """A provider could not translate. The message never carries the text or a key."""


class TransientError(TranslationError):
    """Worth retrying: rate limited (429), server error (5xx), timeout, connection lost."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Translator(Protocol):
    name: str
    # Largest piece of text one request may carry, in the units of `measure`.
    limit: int

    def measure(self, text: str) -> int:
        """Size of a text as the provider's limit counts it."""
        ...

    def supports(self, source: str, target: str) -> bool: ...

    def translate(self, texts: list[str], source: str, target: str) -> list[Any]:
        """Translate each text (each within `limit`); same length and order.

        Returns what the provider answered, unjudged: the chain checks every answer the
        same way (`pipelines.translate.answers`). Raises TransientError for what a retry
        may fix, TranslationError otherwise.
        """
        ...


class Usage:
    """Requests sent, and characters the provider accepted (what budgets charge), safe to
    bump from translation threads. A failed request costs a request, never characters."""

    def __init__(self) -> None:
        self.requests = 0
        self.characters = 0
        self._lock = threading.Lock()

    def request(self) -> None:
        """A request is about to be sent (counted by the provider, per HTTP request)."""
        with self._lock:
            self.requests += 1

    def accept(self, texts: list[str]) -> None:
        """These texts came back translated (counted by the chain, once validated)."""
        with self._lock:
            self.characters += sum(len(text) for text in texts)


def pack(texts: list[str], limit: int, measure: Callable[[str], int]) -> list[list[str]]:
    """Consecutive texts grouped into requests of at most `limit` (by `measure`) each."""
    batches: list[list[str]] = []
    size = 0
    for text in texts:
        cost = measure(text)
        if batches and size + cost <= limit:
            batches[-1].append(text)
            size += cost
        else:
            batches.append([text])
            size = cost
    return batches
