"""Per-provider language codes: our ISO 639-1 codes as each provider spells them."""

from __future__ import annotations

from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

# Google (and deep-translator's Google) keeps the old Hebrew/Javanese codes and needs
# the Chinese script spelled out.
GOOGLE_CODES = {"he": "iw", "jv": "jw", "zh": "zh-CN", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
GOOGLE_SUPPORTED = frozenset(GOOGLE_LANGUAGES_TO_CODES.values())

MICROSOFT_CODES = {"zh": "zh-Hans", "nb": "nb", "no": "nb", "sr": "sr-Cyrl"}

# DeepL: upper-case codes; English and Portuguese targets need a variant.
DEEPL_SOURCES = frozenset(
    [
        "ar",
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "he",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "nb",
        "nl",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sv",
        "th",
        "tr",
        "uk",
        "vi",
        "zh",
    ]
)
DEEPL_TARGET_VARIANTS = {"en": "EN-US", "pt": "PT-BR"}


def google_code(code: str) -> str:
    return GOOGLE_CODES.get(code, code.split("-")[0])


def microsoft_code(code: str) -> str:
    return MICROSOFT_CODES.get(code, code.split("-")[0])


def deepl_source(code: str) -> str:
    return code.split("-")[0].upper()


def deepl_target(code: str) -> str:
    base = code.split("-")[0]
    return DEEPL_TARGET_VARIANTS.get(base, base.upper())
