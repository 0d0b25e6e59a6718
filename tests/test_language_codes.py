"""Every language of the source list, as each provider spells it, checked against the
provider's own list: deep-translator's constants for Google and MyMemory (its classes
refuse any other code), the documented lists for LibreTranslate, DeepL and Microsoft."""

from __future__ import annotations

from pathlib import Path

import pytest
from deep_translator import GoogleTranslator, MyMemoryTranslator

from newsspiders.sources.model import load_sources
from newsspiders.testing.translate_server import TranslateServer
from pipelines.translate.language_codes import PROVIDERS
from pipelines.translate.providers.deep_translator_providers import google

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [s for s in load_sources(ROOT / "config" / "sources.yaml") if s.enabled]
TAGS = sorted({tag for source in SOURCES for tag in source.language} | {"en"})

# What each provider's own list leaves out of the source list's languages. A change to
# the table that drops (or wrongly claims) a language shows up here.
UNCOVERED = {
    "libretranslate": {
        "af", "am", "gu", "ha", "hr", "hy", "is", "ka", "kl", "km", "lb", "mr", "my", "ne",
        "ps", "rw", "si", "so", "sr", "sw", "ta", "te", "tg", "uz",
    },
    "deepl": {
        "af", "am", "az", "bn", "fa", "gu", "ha", "hi", "hr", "hy", "is", "ka", "kl", "km", "lb",
        "mr", "ms", "my", "ne", "ps", "rw", "si", "so", "sr", "sw", "ta", "te", "tg", "tl", "ur",
        "uz",
    },
    "google": {"kl"},
    "microsoft": {"kl", "tg"},
    "mymemory": set(),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_source_language_is_spelt_from_the_providers_own_list(name: str) -> None:
    provider = PROVIDERS[name]
    uncovered = set()
    for tag in TAGS:
        code = provider.code(tag)
        if code in provider.languages:
            continue
        uncovered.add(tag)
    assert uncovered == UNCOVERED[name]
    assert provider.code("en") in provider.languages  # the target


@pytest.mark.parametrize(
    ("ours", "google_spelling", "mymemory_spelling"),
    [
        ("nb", "no", "nb-NO"),
        ("he", "iw", "he-IL"),
        ("zh", "zh-CN", "zh-CN"),
        ("zh-Hant", "zh-TW", "zh-TW"),
        ("tl", "tl", "tl-PH"),
        ("fr", "fr", "fr-FR"),
        ("en", "en", "en-GB"),
    ],
)
def test_spellings_that_differ(ours: str, google_spelling: str, mymemory_spelling: str) -> None:
    assert PROVIDERS["google"].code(ours) == google_spelling
    assert PROVIDERS["mymemory"].code(ours) == mymemory_spelling
    assert PROVIDERS["microsoft"].code("tl") == "fil"
    assert PROVIDERS["libretranslate"].code("zh-Hant") == "zt"
    assert PROVIDERS["deepl"].code("nb") == "NB"


def test_deep_translator_accepts_every_code_we_claim() -> None:
    """Its classes check the code against their own constants before any request."""
    classes = {"google": GoogleTranslator, "mymemory": MyMemoryTranslator}
    for name, cls in classes.items():
        provider = PROVIDERS[name]
        target = provider.code("en")
        for tag in TAGS:
            if provider.code(tag) in provider.languages and tag != "en":
                cls(source=provider.code(tag), target=target)  # raises when refused


def test_google_translates_norwegian(translator: TranslateServer) -> None:
    translator.reset()
    translator.echo_unknown = True
    try:
        provider = google(timeout=5, base_url=translator.url + "/m")
        assert provider.supports("nb", "en")
        assert provider.translate(["Regjeringen legger fram budsjettet."], "nb", "en") == [
            "[nb>en] Regjeringen legger fram budsjettet."
        ]
    finally:
        translator.reset()
