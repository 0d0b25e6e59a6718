"""deep-translator's free providers (Google, Microsoft, MyMemory) made safe to use here.

deep-translator has no timeouts, no retries and a Google class that is not thread-safe;
so each call gets a fresh instance, runs on a worker thread we can stop waiting for, and
its exceptions (which carry the whole input text) are reduced to their class names.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from deep_translator import GoogleTranslator, MicrosoftTranslator, MyMemoryTranslator
from deep_translator.exceptions import (
    RequestError,
    ServerException,
    TooManyRequests,
    TranslationNotFound,
)

from pipelines.translate.chunking import url_encoded_length
from pipelines.translate.language_codes import (
    GOOGLE_LANGUAGES,
    MICROSOFT_LANGUAGES,
    MYMEMORY_LANGUAGES,
    google_code,
    microsoft_code,
    mymemory_code,
)
from pipelines.translate.providers.provider import TransientError, TranslationError, Usage

_TRANSIENT = (TooManyRequests, RequestError, ServerException, ConnectionError, OSError)
# Calls that outlive their timeout keep a thread until the server gives up; cap them.
_CALLS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="deep-translator")


class DeepTranslatorProvider:
    """One deep-translator class behind our Translator interface: one request per text."""

    def __init__(
        self,
        name: str,
        factory: Callable[[str, str], Any],
        code: Callable[[str], str],
        limit: int,
        measure: Callable[[str], int] = len,
        supported: frozenset[str] | None = None,
        timeout: float = 30.0,
        base_url: str | None = None,
    ):
        self.name = name
        self.factory = factory
        self.code = code
        self.limit = limit
        self._measure = measure
        self.supported = supported
        self.timeout = timeout
        self.base_url = base_url
        self.usage = Usage()

    def measure(self, text: str) -> int:
        return self._measure(text)

    def supports(self, source: str, target: str) -> bool:
        if self.supported is None:
            return True
        return self.code(source) in self.supported and self.code(target) in self.supported

    def translate(self, texts: list[str], source: str, target: str) -> list[Any]:
        return [self._one(text, source, target) for text in texts]

    def _one(self, text: str, source: str, target: str) -> Any:
        self.usage.request()
        future = _CALLS.submit(self._call, text, self.code(source), self.code(target))
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            raise TransientError(f"{self.name}: timed out after {self.timeout:g}s") from None

    def _call(self, text: str, source: str, target: str) -> Any:
        try:
            # A fresh instance (not thread-safe). Building one may itself ask the provider
            # (Microsoft's fetches its languages), so it fails like a request would.
            translator = self.factory(source, target)
            if self.base_url:
                translator._base_url = self.base_url  # a self-hosted or test endpoint
            result = translator.translate(text)
        except _TRANSIENT as exc:
            raise TransientError(f"{self.name}: {type(exc).__name__}") from None
        except TranslationNotFound:
            raise TranslationError(f"{self.name}: no translation in the response") from None
        except Exception as exc:  # noqa: BLE001 - their messages quote the input text
            raise TranslationError(f"{self.name}: {type(exc).__name__}") from None
        return result  # the chain judges whether it is a translation


def google(timeout: float, base_url: str | None = None) -> DeepTranslatorProvider:
    # The text travels in the URL: the 5,000 limit counts URL-encoded bytes, so a
    # Cyrillic or CJK chunk holds far fewer characters than a Latin one.
    return DeepTranslatorProvider(
        "google",
        lambda source, target: GoogleTranslator(source=source, target=target),
        google_code,
        limit=5000,
        measure=url_encoded_length,
        supported=GOOGLE_LANGUAGES,
        timeout=timeout,
        base_url=base_url,
    )


def microsoft(api_key: str, region: str | None, timeout: float) -> DeepTranslatorProvider:
    if not api_key:
        raise ValueError("microsoft needs an API key (NEWS_MICROSOFT_API_KEY)")
    return DeepTranslatorProvider(
        "microsoft",
        lambda source, target: MicrosoftTranslator(
            api_key=api_key, region=region, source=source, target=target
        ),
        microsoft_code,
        limit=10_000,
        supported=MICROSOFT_LANGUAGES,
        timeout=timeout,
    )


def mymemory(timeout: float) -> DeepTranslatorProvider:
    return DeepTranslatorProvider(
        "mymemory",
        lambda source, target: MyMemoryTranslator(source=source, target=target),
        mymemory_code,  # 'fr' -> 'fr-FR': deep-translator refuses a bare 'fr'
        limit=500,  # MyMemory's free tier: 500 bytes per request
        measure=lambda text: len(text.encode("utf-8")),
        supported=MYMEMORY_LANGUAGES,
        timeout=timeout,
    )
