"""The ordered provider chain named by NEWS_TRANSLATORS."""

from __future__ import annotations

from scrapy.settings import BaseSettings

from pipelines.translators.base import TranslationError, Translator
from pipelines.translators.libretranslate import LibreTranslateClient


class TranslatorChain:
    """Tries each provider in order; the first that translates the whole batch wins."""

    def __init__(self, providers: list[Translator]):
        if not providers:
            raise ValueError("the translator chain is empty")
        self.providers = providers

    def translate_batch(self, texts: list[str], source: str, target: str) -> tuple[list[str], str]:
        """The translations and the name of the provider that made them."""
        errors = []
        for provider in self.providers:
            try:
                return provider.translate_batch(texts, source, target), provider.name
            except TranslationError as exc:
                errors.append(str(exc))
        raise TranslationError("; ".join(errors))


def build_chain(settings: BaseSettings) -> TranslatorChain:
    providers: list[Translator] = []
    for name in settings.getlist("NEWS_TRANSLATORS"):
        name = name.strip().lower()
        if name == "libretranslate":
            providers.append(
                LibreTranslateClient(
                    settings.get("NEWS_LIBRETRANSLATE_URL"),
                    api_key=settings.get("NEWS_LIBRETRANSLATE_API_KEY") or "",
                    timeout=settings.getfloat("NEWS_TRANSLATE_TIMEOUT"),
                )
            )
        else:
            raise ValueError(f"NEWS_TRANSLATORS: unknown provider {name!r} (known: libretranslate)")
    return TranslatorChain(providers)
