"""DeepL through the official `deepl` package; one request per batch of texts."""

from __future__ import annotations

import logging
from typing import Any

import deepl
import deepl.http_client

from pipelines.translate.language_codes import PROVIDERS, deepl_source, deepl_target
from pipelines.translate.providers.provider import TransientError, TranslationError, Usage, pack

# Retries and timeouts are ours (see chain.py), not the client's own five silent retries.
deepl.http_client.max_network_retries = 0
# At DEBUG the library logs whole request and response bodies (the articles' text, and
# what a server echoes back): keep its logger above that whatever LOG_LEVEL says.
logging.getLogger("deepl").setLevel(logging.INFO)


class DeepLTranslator:
    name = "deepl"
    limit = 30_000  # characters per request; DeepL accepts 128 KiB bodies

    def __init__(self, auth_key: str, server_url: str | None = None, timeout: float = 30.0):
        if not auth_key:
            raise ValueError("deepl needs an API key (NEWS_DEEPL_API_KEY)")
        deepl.http_client.min_connection_timeout = timeout
        self.client = deepl.Translator(auth_key, server_url=server_url, send_platform_info=False)
        self.usage = Usage()

    def measure(self, text: str) -> int:
        return len(text)

    def supports(self, source: str, target: str) -> bool:
        languages = PROVIDERS["deepl"]
        return languages.translates(source) and languages.translates(target)

    def translate(self, texts: list[str], source: str, target: str) -> list[Any]:
        out: list[Any] = []
        for batch in pack(texts, self.limit, self.measure):
            self.usage.request()
            try:
                results = self.client.translate_text(
                    batch, source_lang=deepl_source(source), target_lang=deepl_target(target)
                )
            except (deepl.TooManyRequestsException, deepl.ConnectionException) as exc:
                raise TransientError(f"{self.name}: {type(exc).__name__}") from None
            except deepl.QuotaExceededException:
                raise TranslationError(f"{self.name}: quota exceeded") from None
            except deepl.DeepLException as exc:
                # Only the class name: messages can quote the request.
                transient = getattr(exc, "should_retry", False) or "500" in str(exc)[:40]
                error = TransientError if transient else TranslationError
                raise error(f"{self.name}: {type(exc).__name__}") from None
            except Exception as exc:  # noqa: BLE001 - a malformed answer breaks the client
                raise TranslationError(f"{self.name}: {type(exc).__name__}") from None
            items = results if isinstance(results, list) else [results]
            out.extend(getattr(item, "text", None) for item in items)
        return out
