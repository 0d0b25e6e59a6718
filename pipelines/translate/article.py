"""Translating one article: its segments through the cache, the rest through the chain.

Used by the translate stage during a crawl and by `scrapy retranslate` afterwards.
Blocking: call it from a worker thread, never from the reactor.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.language.detection import base_code
from pipelines.storage import Storage, StorageUnavailable
from pipelines.translate.chain import TranslatorChain
from pipelines.translate.providers.provider import TranslationError


@dataclass(frozen=True)
class Outcome:
    title_en: str | None
    text_en: str | None
    status: str  # done | not_needed | pending
    translator: str | None = None
    error: str | None = None
    cache_hits: int = 0


def segments_of(title: str, text: str) -> list[str]:
    """What gets translated: the title, then each paragraph on its own."""
    return [title, *(line for line in text.split("\n") if line.strip())]


def segment_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def today() -> str:
    return datetime.now(UTC).date().isoformat()


class ArticleTranslator:
    def __init__(self, chain: TranslatorChain, storage: Storage, target: str = "en"):
        self.chain = chain
        self.storage = storage
        self.target = target

    def translate(self, title: str, text: str, language: str | None) -> Outcome:
        if language is None or base_code(language) == self.target:
            return Outcome(title, text, "not_needed")
        if language == "und":  # no provider can be told what to translate from
            return Outcome(None, None, "pending", error="language undetermined")
        segments = segments_of(title, text)
        hashes = [segment_hash(segment) for segment in segments]
        backend = self.storage.backend
        try:
            known = self.storage.call(
                backend.cached_translations, sorted(set(hashes)), language, self.target
            )
        except StorageUnavailable:
            known = {}  # without the cache it costs requests, not the article
        hits = sum(1 for h in hashes if h in known)
        missing = {h: s for h, s in zip(hashes, segments, strict=True) if h not in known}
        provider = None
        if missing:
            try:
                translated, provider = self.chain.translate_batch(
                    list(missing.values()), language, self.target
                )
            except TranslationError as exc:
                return Outcome(None, None, "pending", error=str(exc)[:500], cache_hits=hits)
            rows = [
                (h, language, self.target, provider, english)
                for h, english in zip(missing, translated, strict=True)
            ]
            with contextlib.suppress(StorageUnavailable):  # a cache miss next time, no more
                self.storage.call(backend.save_translations, rows)
            known.update(zip(missing, translated, strict=True))
        english = [known[h] for h in hashes]
        return Outcome(
            english[0], "\n".join(english[1:]), "done", provider or "cache", cache_hits=hits
        )

    def record_usage(self) -> dict[str, tuple[int, int]]:
        """Write this process's requests/characters per provider to today's usage."""
        totals = {}
        for provider in self.chain.providers:
            usage = getattr(provider, "usage", None)
            if usage is None or not usage.requests:
                continue
            totals[provider.name] = (usage.requests, usage.characters)
            self.storage.call(
                self.storage.backend.add_usage,
                today(),
                provider.name,
                usage.characters,
                usage.requests,
            )
        return totals
