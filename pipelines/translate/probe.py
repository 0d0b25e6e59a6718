"""Is a provider there, and which languages does it say it has?

- `inspect`: one tiny real translation, and the provider's own language list where it
  publishes one (LibreTranslate's `/languages`, DeepL's source languages); for the
  others the documented lists of `language_codes`. Used by `scrapy translators check`.
- `endpoint` and `accepts_connections`: where a provider lives and whether anything
  listens there, without sending it text (a crawl's start-up check: it must not cost
  a translation request).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from deep_translator.constants import BASE_URLS
from scrapy.settings import BaseSettings

from pipelines.translate.answers import usable_answer
from pipelines.translate.language_codes import PROVIDERS
from pipelines.translate.providers.provider import TranslationError, Translator

# The tiny request: one French word every provider translates.
PROBE_SOURCE, PROBE_TEXT = "fr", "Bonjour"


@dataclass
class ProviderStatus:
    name: str
    reachable: bool
    error: str | None
    languages: frozenset[str]  # in the provider's own spelling
    languages_from: str  # "server": it said so today; "documented": language_codes


def inspect(provider: Translator, timeout: float) -> ProviderStatus:
    error = None
    try:
        # Judged as the chain judges every answer: a 200 with junk is not "reachable".
        usable_answer(
            provider.name, [PROBE_TEXT], provider.translate([PROBE_TEXT], PROBE_SOURCE, "en")
        )
    except TranslationError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a check reports, it does not crash
        error = f"{provider.name}: {type(exc).__name__}"
    served = _served_languages(provider, timeout) if error is None else None
    return ProviderStatus(
        provider.name,
        error is None,
        error,
        served if served is not None else PROVIDERS[provider.name].languages,
        "server" if served is not None else "documented",
    )


def _served_languages(provider: Translator, timeout: float) -> frozenset[str] | None:
    """The source languages the provider lists today, into English."""
    try:
        if provider.name == "libretranslate":
            base = provider.base  # type: ignore[attr-defined]
            response = requests.get(f"{base}/languages", timeout=timeout)
            response.raise_for_status()
            return frozenset(
                entry["code"] for entry in response.json() if "en" in entry.get("targets", [])
            ) | {"en"}
        if provider.name == "deepl":
            client = provider.client  # type: ignore[attr-defined]
            return frozenset(language.code.upper() for language in client.get_source_languages())
    except Exception:  # noqa: BLE001 - then the documented list stands in
        return None
    return None


def endpoint(name: str, settings: BaseSettings) -> str:
    """The URL a provider's requests go to."""
    if name == "libretranslate":
        return str(settings.get("NEWS_LIBRETRANSLATE_URL"))
    if name == "deepl":
        if settings.get("NEWS_DEEPL_URL"):
            return str(settings.get("NEWS_DEEPL_URL"))
        free = str(settings.get("NEWS_DEEPL_API_KEY") or "").endswith(":fx")
        return "https://api-free.deepl.com" if free else "https://api.deepl.com"
    if name == "google":
        return str(settings.get("NEWS_GOOGLE_URL") or BASE_URLS["GOOGLE_TRANSLATE"])
    if name == "microsoft":
        return BASE_URLS["MICROSOFT_TRANSLATE"]
    if name == "mymemory":
        return BASE_URLS["MYMEMORY"]
    raise ValueError(f"NEWS_TRANSLATORS: unknown provider {name!r}")


def accepts_connections(url: str, timeout: float) -> bool:
    """Does something listen at the URL's host and port (a DNS name that does not
    resolve, a refused or silent port: no)?"""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False
