"""The ordered provider chain named by NEWS_TRANSLATORS: chunking, retries, budgets."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from scrapy.settings import BaseSettings

from pipelines.translate.answers import UnusableAnswer, usable_answer
from pipelines.translate.breaker import CircuitBreaker
from pipelines.translate.chunking import join_pieces, split_text
from pipelines.translate.config import check_settings, provider_names
from pipelines.translate.guard import AnswerGuard
from pipelines.translate.providers.provider import TransientError, TranslationError, Translator
from pipelines.translate.secrets import Redactor

# Failures in a row after which a provider is skipped for the rest of the run.
DEFAULT_BREAKER_FAILURES = 5
# Failure kinds that are answers thrown out (not errors): the health report counts them.
REJECTED_KINDS = (":unusable", ":echo", ":not_english")


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
    """Characters a provider may still be sent today (None: no limit).

    A request reserves its characters before it is sent (so that concurrent threads stay
    within the limit) and gives them back if the provider did not deliver: only the
    characters of accepted answers stay spent.
    """

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

    def release(self, provider: str, characters: int) -> None:
        with self._lock:
            self.spent[provider] = self.spent.get(provider, 0) - characters


class ProviderSlot:
    """A provider in the chain, built on first use: a constructor that fails (a missing
    key, a provider asked for its languages and unreachable) is that provider failing for
    this article, inside the chain's error boundary, not an error that escapes it."""

    def __init__(self, name: str, make: Callable[[], Translator], breaker: CircuitBreaker):
        self.name = name
        self.make = make
        self.breaker = breaker
        self.built: Translator | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, provider: Translator, breaker: CircuitBreaker) -> ProviderSlot:
        slot = cls(provider.name, lambda: provider, breaker)
        slot.built = provider
        return slot

    def provider(self) -> Translator:
        with self._lock:
            if self.built is None:
                self.built = self.make()
            return self.built


class TranslatorChain:
    """Tries each provider in order; the first whose answer passes every check wins.

    Whatever a provider does (raises anything, answers junk, answers in the wrong language,
    hangs until its breaker opens) is that provider's failure: the chain moves on to the
    next, and when none succeeds raises one TranslationError naming each one's reason.
    """

    def __init__(
        self,
        providers: Sequence[Translator | ProviderSlot],
        retry: RetryPolicy | None = None,
        budget: Budget | None = None,
        *,
        guard: AnswerGuard | None = None,
        breaker_failures: int = DEFAULT_BREAKER_FAILURES,
        redact: Callable[[str], str] = str,
    ):
        if not providers:
            raise ValueError("the translator chain is empty")
        self.slots = [
            p
            if isinstance(p, ProviderSlot)
            else ProviderSlot.of(p, CircuitBreaker(breaker_failures))
            for p in providers
        ]
        self.retry = retry or RetryPolicy()
        self.budget = budget or Budget({})
        self.guard = guard
        self.redact = redact
        # "provider:kind" -> count: failed, unusable, echo, not_english, skipped.
        self.failures: Counter[str] = Counter()
        self._failures_lock = threading.Lock()

    @property
    def providers(self) -> list[Translator]:
        """The providers built so far (their usage is what `record_usage` writes)."""
        return [slot.built for slot in self.slots if slot.built is not None]

    def translate_batch(self, texts: list[str], source: str, target: str) -> tuple[list[str], str]:
        """The translations and the name of the provider that made them."""
        errors = []
        for slot in self.slots:
            if slot.breaker.open:
                self._count(slot.name, "skipped")
                errors.append(
                    f"{slot.name}: skipped after {slot.breaker.failures} failures in a row"
                    f" (last: {slot.breaker.last_failure})"
                )
                continue
            try:
                return self._translate_with(slot, texts, source, target), slot.name
            except _Skip as skip:
                errors.append(str(skip))
            except Exception as exc:  # noqa: BLE001 - the boundary: any failure is the provider's
                kind = getattr(
                    exc, "kind", "unusable" if isinstance(exc, UnusableAnswer) else "failed"
                )
                self._count(slot.name, kind)
                if isinstance(exc, TranslationError):
                    reason = self.redact(str(exc))
                else:  # not ours: its message may quote the text or a key
                    reason = f"{slot.name}: {type(exc).__name__}"
                slot.breaker.failed(reason)
                errors.append(reason)
        raise TranslationError("; ".join(errors))

    def _translate_with(
        self, slot: ProviderSlot, texts: list[str], source: str, target: str
    ) -> list[str]:
        provider = slot.provider()
        if not provider.supports(source, target):
            raise _Skip(f"{slot.name}: does not translate {source}->{target}")
        characters = sum(map(len, texts))
        if not self.budget.reserve(slot.name, characters):
            raise _Skip(f"{slot.name}: daily character budget reached")
        try:
            plans = [split_text(text, provider.limit, provider.measure) for text in texts]
            pieces = [piece.text for plan in plans for piece in plan]
            translated = self._with_retries(provider, pieces, source, target)
            out, start = [], 0
            for plan in plans:
                out.append(join_pieces(plan, translated[start : start + len(plan)]))
                start += len(plan)
            rejection = self.guard.check(texts, out, source, target) if self.guard else None
            if rejection is not None:
                raise _Rejected(f"{slot.name}: {rejection.reason}", rejection.kind)
        except BaseException:
            self.budget.release(slot.name, characters)
            raise
        slot.breaker.succeeded()
        usage = getattr(provider, "usage", None)
        if usage is not None:
            usage.accept(texts)
        return out

    def _with_retries(
        self, provider: Translator, pieces: list[str], source: str, target: str
    ) -> list[str]:
        for attempt in range(self.retry.attempts):
            try:
                answer = provider.translate(pieces, source, target)
            except TransientError as exc:
                if attempt == self.retry.attempts - 1:
                    raise TranslationError(
                        f"{exc} (after {self.retry.attempts} attempts)"
                    ) from None
                self.retry.sleep(self.retry.delay(attempt, exc.retry_after))
            else:
                return usable_answer(provider.name, pieces, answer)
        raise AssertionError("unreachable")

    def _count(self, provider: str, kind: str) -> None:
        with self._failures_lock:
            self.failures[f"{provider}:{kind}"] += 1


class _Skip(Exception):
    """The provider was not asked (unsupported pair, budget): no failure of its own."""


class _Rejected(TranslationError):
    """The provider answered, but the guard found it no translation."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


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


def build_chain(
    settings: BaseSettings,
    spent: dict[str, int] | None = None,
    breakers: dict[str, CircuitBreaker] | None = None,
) -> TranslatorChain:
    """The chain NEWS_TRANSLATORS names (settings checked first: `check_settings`).
    `breakers`, when given, is shared by every chain of the run (see `run_breakers`)."""
    check_settings(settings)
    threshold = settings.getint("NEWS_TRANSLATE_BREAKER_FAILURES", DEFAULT_BREAKER_FAILURES)
    breakers = breakers if breakers is not None else {}
    slots = []
    for name in provider_names(settings):
        breaker = breakers.setdefault(name, CircuitBreaker(threshold))
        slots.append(ProviderSlot(name, partial(build_provider, name, settings), breaker))
    return TranslatorChain(
        slots,
        RetryPolicy(
            attempts=settings.getint("NEWS_TRANSLATE_ATTEMPTS"),
            base_delay=settings.getfloat("NEWS_TRANSLATE_BACKOFF"),
        ),
        Budget(parse_budgets(settings.get("NEWS_TRANSLATE_BUDGETS") or ""), spent),
        guard=AnswerGuard.from_settings(settings),
        redact=Redactor.from_settings(settings),
    )
