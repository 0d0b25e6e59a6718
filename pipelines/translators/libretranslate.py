"""Client for the LibreTranslate HTTP API (self-hostable; a list of texts per request)."""

from __future__ import annotations

import threading
from typing import Any

import requests

from pipelines.translators.base import TranslationError, pack_batches


class LibreTranslateClient:
    name = "libretranslate"

    def __init__(
        self,
        url: str,
        api_key: str = "",
        timeout: float = 30.0,
        max_chars: int = 5000,
        session: requests.Session | None = None,
    ):
        self.endpoint = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout
        self.max_chars = max_chars
        self.session = session or requests.Session()
        self.requests_made = 0
        self.characters_sent = 0
        self._count_lock = threading.Lock()  # the client is shared by translation threads

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        translated: list[str] = []
        for batch in pack_batches(texts, self.max_chars):
            translated.extend(self._request(batch, source, target))
        return translated

    def _request(self, batch: list[str], source: str, target: str) -> list[str]:
        payload: dict[str, Any] = {"q": batch, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        with self._count_lock:
            self.requests_made += 1
            self.characters_sent += sum(len(text) for text in batch)
        try:
            response = self.session.post(self.endpoint, json=payload, timeout=self.timeout)
        except requests.RequestException as exc:
            raise TranslationError(f"{self.name}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise TranslationError(
                f"{self.name}: HTTP {response.status_code} {_error_of(response)}"
            )
        try:
            result = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise TranslationError(f"{self.name}: malformed response") from None
        if isinstance(result, str):
            result = [result]
        if not isinstance(result, list) or len(result) != len(batch):
            raise TranslationError(f"{self.name}: expected {len(batch)} translations")
        return [str(text) for text in result]


def _error_of(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))[:200]
    except ValueError:
        return ""
