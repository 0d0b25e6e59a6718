"""Our language codes (ISO 639-1, optionally with a script: 'zh-Hant') as each provider
spells them, and the languages each provider translates into English.

One table, `SPELLINGS`, holds every spelling that differs from ours; `PROVIDERS` joins it
with each provider's own list of codes:

- Google and MyMemory: deep-translator's constants. Its classes refuse any code not in
  them before a request is made, so these are the lists that matter.
- LibreTranslate, DeepL, Microsoft: the lists their documentation gives (source
  languages with a model or support into English). A LibreTranslate server answers
  for itself at `/languages`; `scrapy translators check` reads it.

tests/test_language_codes.py checks every language of the source list against them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES, MY_MEMORY_LANGUAGES_TO_CODES

PROVIDER_NAMES = ("libretranslate", "deepl", "google", "microsoft", "mymemory")

# ours -> (libretranslate, deepl, google, microsoft, mymemory); None: the default rule.
# fmt: off
SPELLINGS: dict[str, tuple[str | None, ...]] = {
    #           libretranslate  deepl    google    microsoft   mymemory
    "en":      (None,           None,    None,     None,       "en-GB"),
    "he":      (None,           None,    "iw",     None,       None),
    "jv":      (None,           None,    "jw",     None,       None),
    "nb":      (None,           None,    "no",     None,       None),
    "no":      ("nb",           "NB",    None,     "nb",       "nb-NO"),
    "nn":      ("nb",           "NB",    "no",     "nb",       None),
    "tl":      (None,           None,    None,     "fil",      None),
    "fil":     ("tl",           None,    "tl",     None,       None),
    "sr":      (None,           None,    None,     "sr-Cyrl",  "sr-Latn-RS"),
    "zh":      (None,           None,    "zh-CN",  "zh-Hans",  "zh-CN"),
    "zh-Hans": ("zh",           "ZH",    "zh-CN",  "zh-Hans",  "zh-CN"),
    "zh-Hant": ("zt",           "ZH",    "zh-TW",  "zh-Hant",  "zh-TW"),
    "pt-BR":   ("pb",           "PT",    "pt",     "pt",       "pt-BR"),
}
# fmt: on


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# https://docs.libretranslate.com/guides/supported_languages (models into English).
LIBRETRANSLATE_LANGUAGES = _codes(
    "ar az bg bn ca cs da de el en eo es et eu fa fi fr ga gl he hi hu id it ja ko ky"
    " lt lv ms nb nl pb pl pt ro ru sk sl sq sv th tl tr uk ur vi zh zt"
)
# https://developers.deepl.com/docs/getting-started/supported-languages (source languages).
DEEPL_LANGUAGES = _codes(
    "AR BG CS DA DE EL EN ES ET FI FR HE HU ID IT JA KO LT LV NB NL PL PT RO RU SK SL SV"
    " TH TR UK VI ZH"
)
# https://learn.microsoft.com/azure/ai-services/translator/language-support (text).
MICROSOFT_LANGUAGES = _codes(
    "af am ar as az ba bg bho bn bo brx bs ca cs cy da de doi dsb dv el en es et eu fa fi"
    " fil fj fo fr fr-CA ga gl gom gu ha he hi hne hr hsb ht hu hy id ig ikt is it iu"
    " iu-Latn ja ka kk km kmr kn ko ks ku ky lb ln lo lt lug lv lzh mai mg mi mk ml"
    " mn-Cyrl mn-Mong mni mr ms mt mww my nb ne nl nso nya or otq pa pl prs ps pt pt-PT ro"
    " ru run rw sd si sk sl sm sn so sq sr-Cyrl sr-Latn st sv sw ta te th ti tk tlh-Latn"
    " tn to tr tt ty ug uk ur uz vi xh yo yua yue zh-Hans zh-Hant zu"
)
GOOGLE_LANGUAGES = frozenset(GOOGLE_LANGUAGES_TO_CODES.values())
MYMEMORY_LANGUAGES = frozenset(MY_MEMORY_LANGUAGES_TO_CODES.values())


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def _mymemory_default(code: str) -> str:
    """MyMemory wants a region: 'fr' -> 'fr-FR'; else deep-translator's first for it."""
    base = _base(code)
    if f"{base}-{base.upper()}" in MYMEMORY_LANGUAGES:
        return f"{base}-{base.upper()}"
    regional = [c for c in MY_MEMORY_LANGUAGES_TO_CODES.values() if _base(c) == base]
    return regional[0] if regional else base


@dataclass(frozen=True)
class ProviderLanguages:
    """A provider's spelling of our codes and its own list of codes."""

    name: str
    languages: frozenset[str]
    default: Callable[[str], str] = _base
    spellings: Mapping[str, str] = field(default_factory=dict)

    def code(self, ours: str) -> str:
        """'zh-Hant' -> 'zh-TW' for Google; a tag not in the table falls back to its
        base language ('pt-PT' -> 'pt')."""
        spelt = self.spellings.get(ours)
        if spelt is None and ours != _base(ours):
            spelt = self.spellings.get(_base(ours))
        return spelt if spelt is not None else self.default(ours)

    def translates(self, ours: str) -> bool:
        return self.code(ours) in self.languages


def _column(index: int) -> dict[str, str]:
    return {ours: code for ours, row in SPELLINGS.items() if (code := row[index]) is not None}


PROVIDERS: dict[str, ProviderLanguages] = {
    "libretranslate": ProviderLanguages("libretranslate", LIBRETRANSLATE_LANGUAGES,
                                        spellings=_column(0)),
    "deepl": ProviderLanguages("deepl", DEEPL_LANGUAGES, lambda c: _base(c).upper(),
                               _column(1)),
    "google": ProviderLanguages("google", GOOGLE_LANGUAGES, spellings=_column(2)),
    "microsoft": ProviderLanguages("microsoft", MICROSOFT_LANGUAGES, spellings=_column(3)),
    "mymemory": ProviderLanguages("mymemory", MYMEMORY_LANGUAGES, _mymemory_default,
                                  _column(4)),
}  # fmt: skip

# DeepL names a variant for English and Portuguese targets.
DEEPL_TARGET_VARIANTS = {"en": "EN-US", "pt": "PT-BR"}


def deepl_target(code: str) -> str:
    return DEEPL_TARGET_VARIANTS.get(_base(code), _base(code).upper())


# The providers' own modules call these.
google_code = PROVIDERS["google"].code
microsoft_code = PROVIDERS["microsoft"].code
mymemory_code = PROVIDERS["mymemory"].code
deepl_source = PROVIDERS["deepl"].code
