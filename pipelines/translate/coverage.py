"""Which sources a provider chain leaves untranslated: each source language checked
against the languages of every provider in the chain.

Shared by `scrapy sources check` (the documented lists, no network) and `scrapy
translators check` (what each provider says today, where it says it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipelines.translate.language_codes import PROVIDERS


@dataclass
class Coverage:
    languages: list[str]  # every language of the sources, but the target
    # language -> the providers translating it, in chain order (empty: none does)
    providers: dict[str, list[str]]
    # source name -> its languages no provider translates
    uncovered_sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def uncovered(self) -> list[str]:
        return [language for language in self.languages if not self.providers[language]]

    def as_json(self) -> dict[str, object]:
        return {
            "languages": self.languages,
            "providers": self.providers,
            "uncovered_languages": self.uncovered,
            "uncovered_sources": self.uncovered_sources,
        }


def coverage(
    sources: Mapping[str, Iterable[str]],
    chain: Mapping[str, frozenset[str] | None],
    target: str = "en",
) -> Coverage:
    """`sources`: each enabled source's language tags; `chain`: each provider's own
    language codes (None: the documented list)."""
    tags = sorted({tag for languages in sources.values() for tag in languages} - {target})
    providers = {
        tag: [name for name, codes in chain.items() if _translates(name, codes, tag)]
        for tag in tags
    }
    uncovered = {
        name: [tag for tag in dict.fromkeys(languages) if tag != target and not providers[tag]]
        for name, languages in sorted(sources.items())
    }
    return Coverage(tags, providers, {name: langs for name, langs in uncovered.items() if langs})


def _translates(name: str, codes: frozenset[str] | None, tag: str) -> bool:
    provider = PROVIDERS.get(name)
    if provider is None:
        return False
    return provider.code(tag) in (provider.languages if codes is None else codes)


def describe_uncovered(result: Coverage, limit: int = 12) -> str:
    """'rts (sr), n1_serbia (sr), sermitsiaq (kl)', cut after `limit` sources."""
    items = [f"{name} ({','.join(tags)})" for name, tags in result.uncovered_sources.items()]
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")
