"""Language tags as the pipeline stores them: ISO 639-1, lower case, no region."""

from __future__ import annotations

# Deprecated or detector-specific codes and their ISO 639-1 code.
_ISO_639_1 = {
    "iw": "he",
    "ji": "yi",
    "in": "id",
    "jw": "jv",
    "mo": "ro",
    "zh-cn": "zh",
    "zh-tw": "zh",
}
# Detector labels (fastText's lid.176, langdetect) that name a variety of one of our
# languages: Norwegian is stored as Bokmål, as the sources declare it; Cantonese and Wu
# written in Chinese characters are Chinese; Sorani is Kurdish; Egyptian Arabic is Arabic.
DETECTOR_ALIASES = {
    "no": "nb",
    "yue": "zh",
    "wuu": "zh",
    "ckb": "ku",
    "arz": "ar",
    "azb": "az",
    "pnb": "pa",
}
# Deprecated codes for language groups (Serbo-Croatian, Bihari): no one language to store.
_GROUPS = {"sh", "bh"}
# A page's lang attribute that names no language.
_NO_LANGUAGE = {"", "und", "mul", "zxx", "x-default", "mis"}
# Script subtags and the regions whose Chinese is written in Traditional characters.
_HANT_REGIONS = {"tw", "hk", "mo"}
_HANS_REGIONS = {"cn", "sg", "my"}


def base_code(tag: str) -> str:
    """'fr-FR' -> 'fr', 'zh-cn' -> 'zh', 'iw' -> 'he'."""
    tag = tag.strip().lower().replace("_", "-")
    return _ISO_639_1.get(tag, _ISO_639_1.get(tag.split("-")[0], tag.split("-")[0]))


def page_language(tag: str | None) -> str | None:
    """The ISO 639-1 code a page's lang attribute names, or None if it names none."""
    if tag is None or tag.strip().lower() in _NO_LANGUAGE:
        return None
    code = base_code(tag)
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def detector_code(label: str) -> str | None:
    """A detector's label as ISO 639-1, or None for labels with no two-letter code."""
    code = base_code(label)
    code = DETECTOR_ALIASES.get(code, code)
    return code if len(code) == 2 and code not in _GROUPS else None


def chinese_script_of_tag(tag: str | None) -> str | None:
    """'zh-Hant', 'zh-TW' -> 'Hant'; 'zh-Hans', 'zh-CN' -> 'Hans'; anything else -> None."""
    if not tag:
        return None
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts[0] != "zh":
        return None
    for part in parts[1:]:
        if part == "hant" or part in _HANT_REGIONS:
            return "Hant"
        if part == "hans" or part in _HANS_REGIONS:
            return "Hans"
    return None
