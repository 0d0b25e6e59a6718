"""The translation settings, checked before a crawl or `retranslate` starts: a mistake is
one line naming the setting, never a traceback from deep inside the first article."""

from __future__ import annotations

from scrapy.settings import BaseSettings

PROVIDERS = ("libretranslate", "deepl", "google", "microsoft", "mymemory")


class TranslationSettingsError(ValueError):
    """A translation setting that cannot work; the message names it."""


def provider_names(settings: BaseSettings) -> list[str]:
    return [name.strip().lower() for name in settings.getlist("NEWS_TRANSLATORS") if name.strip()]


def check_settings(settings: BaseSettings) -> None:
    """Raise TranslationSettingsError for the first translation setting that is wrong."""
    names = provider_names(settings)
    if not names:
        raise TranslationSettingsError("NEWS_TRANSLATORS is empty; name at least one provider")
    unknown = [name for name in names if name not in PROVIDERS]
    if unknown:
        raise TranslationSettingsError(
            f"NEWS_TRANSLATORS: unknown provider {unknown[0]!r} (known: {', '.join(PROVIDERS)})"
        )
    _number(settings, "NEWS_TRANSLATE_THREADS", int, minimum=1)
    _number(settings, "NEWS_TRANSLATE_ATTEMPTS", int, minimum=1)
    _number(settings, "NEWS_TRANSLATE_BREAKER_FAILURES", int, minimum=0)
    _number(settings, "NEWS_TRANSLATE_TIMEOUT", float, minimum=0.001)
    _number(settings, "NEWS_TRANSLATE_BACKOFF", float, minimum=0)
    from pipelines.translate.chain import parse_budgets

    try:
        parse_budgets(settings.get("NEWS_TRANSLATE_BUDGETS") or "")
    except ValueError as exc:
        raise TranslationSettingsError(str(exc)) from None


def _number(settings: BaseSettings, name: str, kind: type[float], minimum: float) -> None:
    value = settings.get(name)
    if value is None:
        return
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise TranslationSettingsError(f"{name} must be a number, not {value!r}") from None
    if number < minimum:
        raise TranslationSettingsError(f"{name} must be at least {minimum:g}, not {value!r}")
