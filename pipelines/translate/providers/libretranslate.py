"""Client for the LibreTranslate HTTP API (self-hostable; a list of texts per request)."""

from __future__ import annotations

import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from pipelines.translate.language_codes import PROVIDERS
from pipelines.translate.providers.provider import TransientError, TranslationError, Usage, pack

_code = PROVIDERS["libretranslate"].code  # 'zh-Hant' -> 'zt', 'no' -> 'nb'


class LibreTranslateClient:
    name = "libretranslate"

    def __init__(
        self,
        url: str,
        api_key: str = "",
        timeout: float = 30.0,
        limit: int = 5000,
        session: requests.Session | None = None,
        connections: int = 10,
    ):
        self.base = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.limit = limit
        self.session = session or _session(connections)
        self.usage = Usage()
        self._languages: dict[str, set[str]] | None = None
        self._languages_lock = threading.Lock()

    def measure(self, text: str) -> int:
        return len(text)

    def supports(self, source: str, target: str) -> bool:
        languages = self._supported()
        if languages is None:  # the server did not say: let it answer for itself
            return True
        return _code(target) in languages.get(_code(source), set())

    def translate(self, texts: list[str], source: str, target: str) -> list[Any]:
        translated: list[Any] = []
        for batch in pack(texts, self.limit, self.measure):
            translated.extend(self._request(batch, source, target))
        return translated

    def _supported(self) -> dict[str, set[str]] | None:
        """GET /languages once: which targets each source language has."""
        with self._languages_lock:
            if self._languages is None:
                try:
                    response = self.session.get(f"{self.base}/languages", timeout=self.timeout)
                    response.raise_for_status()
                    self._languages = {
                        entry["code"]: set(entry.get("targets", [])) for entry in response.json()
                    }
                except (requests.RequestException, ValueError, KeyError, TypeError):
                    return None
            return self._languages

    def _request(self, batch: list[str], source: str, target: str) -> list[Any]:
        payload: dict[str, Any] = {
            "q": batch,
            "source": _code(source),
            "target": _code(target),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        self.usage.request()
        try:
            response = self.session.post(
                f"{self.base}/translate", json=payload, timeout=self.timeout
            )
        except requests.Timeout:
            raise TransientError(f"{self.name}: timed out after {self.timeout:g}s") from None
        except requests.RequestException as exc:
            raise TransientError(f"{self.name}: {type(exc).__name__}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(
                f"{self.name}: HTTP {response.status_code}", _retry_after(response)
            )
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
        return result  # as the server sent it: the chain judges what is in it


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _error_of(response: requests.Response) -> str:
    """The server's error message, cut short: it may quote the text we sent."""
    try:
        return str(response.json().get("error", ""))[:80]
    except ValueError:
        return ""


def _session(connections: int) -> requests.Session:
    """A session keeping a connection per translation thread (requests keeps 10 by
    default, and drops the rest with a warning when more threads share it)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=connections)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
