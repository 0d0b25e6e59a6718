"""The ordered provider chain named by NEWS_TRANSLATORS: chunking, retries, budgets."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scrapy.settings import BaseSettings

from pipelines.translate.chunking import join_pieces, split_text
from pipelines.translate.providers.provider import TransientError, TranslationError, Translator


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter; a server's Retry-After wins when given."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


class Budget:
    """Characters a provider may still be sent today (None: no limit)."""

    def __init__(self, limits: dict[str, int], spent: dict[str, int] | None = None):
        self.limits = limits
        self.spent = dict(spent or {})
        self._lock = threading.Lock()

    def reserve(self, provider: str, characters: int) -> bool:
        with self._lock:
            limit = self.limits.get(provider)
            used = self.spent.get(provider, 0)
            if limit is not None and used + characters > limit:
                return False
            self.spent[provider] = used + characters
            return True


class TranslatorChain:
    """Tries each provider in order; the first that translates every text wins."""

    def __init__(
        self,
        providers: list[Translator],
        retry: RetryPolicy | None = None,
        budget: Budget | None = None,
    ):
        if not providers:
            raise ValueError("the translator chain is empty")
        self.providers = providers
        self.retry = retry or RetryPolicy()
        self.budget = budget or Budget({})

    def translate_batch(self, texts: list[str], source: str, target: str) -> tuple[list[str], str]:
        """The translations and the name of the provider that made them."""
        errors = []
        for provider in self.providers:
            if not provider.supports(source, target):
                errors.append(f"{provider.name}: does not translate {source}->{target}")
                continue
            if not self.budget.reserve(provider.name, sum(map(len, texts))):
                errors.append(f"{provider.name}: daily character budget reached")
                continue
            try:
                return self._translate_with(provider, texts, source, target), provider.name
            except TranslationError as exc:
                errors.append(str(exc))
        raise TranslationError("; ".join(errors))

    def _translate_with(
        self, provider: Translator, texts: list[str], source: str, target: str
    ) -> list[str]:
        plans = [split_text(text, provider.limit, provider.measure) for text in texts]
        pieces = [piece.text for plan in plans for piece in plan]
        translated = self._with_retries(provider, pieces, source, target)
        out, start = [], 0
        for plan in plans:
            out.append(join_pieces(plan, translated[start : start + len(plan)]))
            start += len(plan)
        return out

    def _with_retries(
        self, provider: Translator, pieces: list[str], source: str, target: str
    ) -> list[str]:
        for attempt in range(self.retry.attempts):
            try:
                return provider.translate(pieces, source, target)
            except TransientError as exc:
                if attempt == self.retry.attempts - 1:
                    raise TranslationError(
                        f"{exc} (after {self.retry.attempts} attempts)"
                    ) from None
                self.retry.sleep(self.retry.delay(attempt, exc.retry_after))
        raise AssertionError("unreachable")


def parse_budgets(text: str) -> dict[str, int]:
    """'google=500000,deepl=100000' -> {'google': 500000, 'deepl': 100000}."""
    budgets = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise ValueError(f"NEWS_TRANSLATE_BUDGETS: {item!r} is not provider=characters")
        budgets[name.strip().lower()] = int(value)
    return budgets


def build_provider(name: str, settings: BaseSettings) -> Translator:
    from pipelines.translate.providers import deep_translator_providers as free
    from pipelines.translate.providers.deepl_client import DeepLTranslator
    from pipelines.translate.providers.libretranslate import LibreTranslateClient

    timeout = settings.getfloat("NEWS_TRANSLATE_TIMEOUT")
    if name == "libretranslate":
        return LibreTranslateClient(
            settings.get("NEWS_LIBRETRANSLATE_URL"),
            api_key=settings.get("NEWS_LIBRETRANSLATE_API_KEY") or "",
            timeout=timeout,
            connections=max(10, settings.getint("NEWS_TRANSLATE_THREADS")),
        )
    if name == "deepl":
        return DeepLTranslator(
            settings.get("NEWS_DEEPL_API_KEY") or "",
            server_url=settings.get("NEWS_DEEPL_URL") or None,
            timeout=timeout,
        )
    if name == "google":
        return free.google(timeout, base_url=settings.get("NEWS_GOOGLE_URL") or None)
    if name == "microsoft":
        return free.microsoft(
            settings.get("NEWS_MICROSOFT_API_KEY") or "",
            settings.get("NEWS_MICROSOFT_REGION") or None,
            timeout,
        )
    if name == "mymemory":
        return free.mymemory(timeout)
    raise ValueError(
        f"NEWS_TRANSLATORS: unknown provider {name!r}"
        " (known: libretranslate, deepl, google, microsoft, mymemory)"
    )


def build_chain(settings: BaseSettings, spent: dict[str, int] | None = None) -> TranslatorChain:
    names = [name.strip().lower() for name in settings.getlist("NEWS_TRANSLATORS") if name.strip()]
    return TranslatorChain(
        [build_provider(name, settings) for name in names],
        RetryPolicy(
            attempts=settings.getint("NEWS_TRANSLATE_ATTEMPTS"),
            base_delay=settings.getfloat("NEWS_TRANSLATE_BACKOFF"),
        ),
        Budget(parse_budgets(settings.get("NEWS_TRANSLATE_BUDGETS") or ""), spent),
    )
