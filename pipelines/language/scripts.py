"""Which writing systems a text uses, and the language a script alone settles.

Counting letters per Unicode script is cheap and never wrong about the script, so it
runs before any statistical detector: Hangul is Korean, kana is Japanese, Thai is Thai,
whatever a detector trained on short n-grams might think (langdetect calls much Chinese
Korean). Scripts shared by several languages (Latin, Cyrillic, Arabic) are left to the
detectors, except where the source's declared languages or our language set leave one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

# Weighted letters below which a text is too short to say anything about.
MIN_LETTERS = 4
# Below this share for its main script a text is too mixed to say (e.g. half Cyrillic,
# half Hebrew).
DOMINANT_SHARE = 0.55
# A Han, kana or Hangul character carries about as much as two alphabetic letters.
CJK_WEIGHT = 2.0
# Latin inside another script is mostly names, brands and URLs: it counts half there.
LATIN_AMONG_OTHERS = 0.5

# (first code point, last code point, ISO 15924 script), sorted.
_RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x0041, 0x024F, "Latn"),
        (0x0250, 0x02AF, "Latn"),
        (0x0370, 0x03FF, "Grek"),
        (0x0400, 0x052F, "Cyrl"),
        (0x0530, 0x058F, "Armn"),
        (0x0590, 0x05FF, "Hebr"),
        (0x0600, 0x06FF, "Arab"),
        (0x0700, 0x074F, "Syrc"),
        (0x0750, 0x077F, "Arab"),
        (0x0780, 0x07BF, "Thaa"),
        (0x08A0, 0x08FF, "Arab"),
        (0x0900, 0x097F, "Deva"),
        (0x0980, 0x09FF, "Beng"),
        (0x0A00, 0x0A7F, "Guru"),
        (0x0A80, 0x0AFF, "Gujr"),
        (0x0B00, 0x0B7F, "Orya"),
        (0x0B80, 0x0BFF, "Taml"),
        (0x0C00, 0x0C7F, "Telu"),
        (0x0C80, 0x0CFF, "Knda"),
        (0x0D00, 0x0D7F, "Mlym"),
        (0x0D80, 0x0DFF, "Sinh"),
        (0x0E00, 0x0E7F, "Thai"),
        (0x0E80, 0x0EFF, "Laoo"),
        (0x0F00, 0x0FFF, "Tibt"),
        (0x1000, 0x109F, "Mymr"),
        (0x10A0, 0x10FF, "Geor"),
        (0x1100, 0x11FF, "Hang"),
        (0x1200, 0x139F, "Ethi"),
        (0x1780, 0x17FF, "Khmr"),
        (0x19E0, 0x19FF, "Khmr"),
        (0x1C80, 0x1C8F, "Cyrl"),
        (0x1C90, 0x1CBF, "Geor"),
        (0x1E00, 0x1EFF, "Latn"),
        (0x1F00, 0x1FFF, "Grek"),
        (0x2C60, 0x2C7F, "Latn"),
        (0x2D00, 0x2D2F, "Geor"),
        (0x2D80, 0x2DDF, "Ethi"),
        (0x2DE0, 0x2DFF, "Cyrl"),
        (0x3040, 0x309F, "Hira"),
        (0x30A0, 0x30FF, "Kana"),
        (0x3130, 0x318F, "Hang"),
        (0x31F0, 0x31FF, "Kana"),
        (0x3400, 0x4DBF, "Hani"),
        (0x4E00, 0x9FFF, "Hani"),
        (0xA640, 0xA69F, "Cyrl"),
        (0xA720, 0xA7FF, "Latn"),
        (0xA8E0, 0xA8FF, "Deva"),
        (0xA960, 0xA97F, "Hang"),
        (0xAB00, 0xAB2F, "Ethi"),
        (0xAC00, 0xD7FF, "Hang"),
        (0xF900, 0xFAFF, "Hani"),
        (0xFB1D, 0xFB4F, "Hebr"),
        (0xFB50, 0xFDFF, "Arab"),
        (0xFE70, 0xFEFF, "Arab"),
        (0xFF21, 0xFF5A, "Latn"),
        (0xFF66, 0xFF9F, "Kana"),
        (0x20000, 0x3134F, "Hani"),
    ]
)
_STARTS = [start for start, _, _ in _RANGES]
_CJK = {"Hani", "Hira", "Kana", "Hang"}

# Script (or CJK writing system) -> the languages written in it that we tell apart by
# script, and the one it means when neither the source nor our language set narrows it
# down. Latin, Cyrillic and Arabic have no default: a detector decides.
SCRIPT_LANGUAGES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "Kore": (("ko",), "ko"),
    "Jpan": (("ja",), "ja"),
    # Han without kana is Chinese, unless the source is Japanese (a kanji-only headline).
    "Hani": (("zh", "ja"), "zh"),
    "Thai": (("th",), "th"),
    "Laoo": (("lo",), "lo"),
    "Khmr": (("km",), "km"),
    "Mymr": (("my",), "my"),
    "Sinh": (("si",), "si"),
    "Geor": (("ka",), "ka"),
    "Armn": (("hy",), "hy"),
    "Grek": (("el",), "el"),
    "Thaa": (("dv",), "dv"),
    "Guru": (("pa",), "pa"),
    "Gujr": (("gu",), "gu"),
    "Orya": (("or",), "or"),
    "Taml": (("ta",), "ta"),
    "Telu": (("te",), "te"),
    "Knda": (("kn",), "kn"),
    "Mlym": (("ml",), "ml"),
    "Hebr": (("he", "yi"), "he"),
    # Devanagari is Hindi unless the source says Marathi or Nepali.
    "Deva": (("hi", "mr", "ne"), "hi"),
    "Beng": (("bn", "as"), "bn"),
    "Tibt": (("bo", "dz"), "bo"),
    "Ethi": (("am", "ti"), None),
    "Arab": (("ar", "fa", "ur", "ps", "ku", "sd", "ug"), None),
    "Cyrl": (("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "tg", "mn", "uz"), None),
}
# Languages of the table that are also written in Latin letters.
_ALSO_LATIN = {"sr", "uz", "ku", "kk"}
_NON_LATIN = {
    lang for langs, _ in SCRIPT_LANGUAGES.values() for lang in langs if lang not in _ALSO_LATIN
}

_memo: dict[str, str | None] = {}


def script_of(char: str) -> str | None:
    """The ISO 15924 code of a letter's script (Hira/Kana/Hani/Hang kept apart)."""
    found = _memo.get(char)
    if found is None and char not in _memo:
        point = ord(char)
        index = bisect_right(_STARTS, point) - 1
        if index >= 0 and point <= _RANGES[index][1]:
            found = _RANGES[index][2]
        _memo[char] = found
    return found


@dataclass(frozen=True)
class ScriptProfile:
    """Weighted letter counts per writing system, largest first."""

    weights: tuple[tuple[str, float], ...]

    @property
    def total(self) -> float:
        return sum(weight for _, weight in self.weights)

    @property
    def dominant(self) -> str | None:
        return self.weights[0][0] if self.weights else None

    def share(self, script: str | None) -> float:
        total = self.total
        return dict(self.weights).get(script or "", 0.0) / total if total else 0.0

    @property
    def too_short(self) -> bool:
        return self.total < MIN_LETTERS

    @property
    def mixed(self) -> bool:
        return not self.too_short and self.share(self.dominant) < DOMINANT_SHARE

    def present(self, minimum: float = 0.2) -> list[str]:
        """Scripts holding at least `minimum` of the weighted letters."""
        total = self.total
        return [script for script, weight in self.weights if total and weight / total >= minimum]


def script_profile(text: str) -> ScriptProfile:
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            script = script_of(char)
            if script is not None:
                counts[script] += 1
    weights: dict[str, float] = {}
    cjk = {script: counts.pop(script) for script in _CJK if script in counts}
    if cjk:
        # Han, kana and Hangul make up one writing system per language: any real share of
        # Hangul is Korean, of kana Japanese; Han alone is Chinese.
        total = sum(cjk.values())
        kana = cjk.get("Hira", 0) + cjk.get("Kana", 0)
        if cjk.get("Hang", 0) >= 0.1 * total:
            group = "Kore"
        elif kana >= 0.05 * total:
            group = "Jpan"
        else:
            group = "Hani"
        weights[group] = CJK_WEIGHT * total
    weights.update(counts)
    if "Latn" in weights and len(weights) > 1:
        weights["Latn"] *= LATIN_AMONG_OTHERS
    ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return ScriptProfile(tuple(ordered))


def script_language(
    profile: ScriptProfile, declared: Collection[str], candidates: Collection[str]
) -> tuple[str, float] | None:
    """The language the text's script settles, with a confidence, or None.

    A script written by one language settles it; so does a shared one when exactly one of
    its languages is among those we ingest (`candidates`). Otherwise a script with a
    default (Devanagari: Hindi) means the one language of it the source declares, else
    the default; one without (Cyrillic, Arabic) is left to the detector, whatever the
    source declares: a Ukrainian source may publish in Russian.
    """
    if profile.too_short or profile.mixed:
        return None
    entry = SCRIPT_LANGUAGES.get(profile.dominant or "")
    if entry is None:
        return None
    languages, default = entry
    if len(languages) == 1:
        return languages[0], 0.99
    in_candidates = [lang for lang in languages if lang in candidates]
    if len(in_candidates) == 1:
        return in_candidates[0], 0.9
    if default is None:
        return None
    in_declared = [lang for lang in languages if lang in declared]
    if in_declared:
        return (in_declared[0], 0.95) if len(in_declared) == 1 else None
    return default, 0.9


def writes_in(language: str, scripts: Iterable[str]) -> bool:
    """Whether `language` is written in any of `scripts` (Latin for unlisted languages)."""
    for script in scripts:
        if script == "Latn" and language not in _NON_LATIN:
            return True
        entry = SCRIPT_LANGUAGES.get(script)
        if entry is not None and language in entry[0]:
            return True
        if entry is None and script != "Latn":
            return True  # a script we know nothing about: no reason to object
    return False
