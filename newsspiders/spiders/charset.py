"""A page's text when its declared character set lies, or nothing declares one.

Labels are often wrong: ISO-8859-1 is many servers' default whatever the bytes, and old
sites say UTF-8 over Windows-1252. So the bytes are decoded here, in the spider, while it
still has them, by the first rule that gives text consistent with itself and the source:

1. a byte-order mark;
2. bytes that decode as UTF-8 (a stray broken sequence allowed) are UTF-8, whatever the
   label: legacy text almost never happens to be valid UTF-8;
3. the HTTP header's charset, then the page's own <meta> one, if the text they give has
   (almost) no U+FFFD or C1 control characters and its letters are in a script of one of
   the source's languages (Latin letters from a Russian source mean a wrong code page);
4. charset-normalizer's detection among the legacy encodings of the source's languages
   (Windows-1251, KOI8-R, ... for Russian), with the same test.

When none holds, the labelled decoding is kept; the extraction worker drops text still full
of U+FFFD as `garbled` (`pipelines.extract.mojibake`, which also repairs mojibake made
upstream, in the text itself).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

import charset_normalizer
from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from pipelines.language.codes import base_code
from pipelines.language.scripts import script_profile, writes_in

# Share of a decoding's non-ASCII characters that may be U+FFFD or C1 controls: a stray
# broken sequence in an honest page, not a wrong code page (which breaks nearly all).
BAD_SHARE = 0.01

_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "mac_cyrillic")
_CENTRAL_EUROPE = ("cp1250", "iso8859_2")
_BALTIC = ("cp1257", "iso8859_13", "iso8859_4")
_ARABIC = ("cp1256", "iso8859_6")
_TURKISH = ("cp1254", "iso8859_9")
_WESTERN = ("cp1252", "iso8859_15")  # any other language: what browsers fall back to
# Language -> the legacy encodings its sites used, the usual one first (the HTML
# standard's locale defaults, and the other code pages of the same script).
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn", "tt", "ba"),
                    _CYRILLIC),
    **dict.fromkeys(("cs", "sk", "pl", "hu", "hr", "sl", "bs", "ro"), _CENTRAL_EUROPE),
    **dict.fromkeys(("et", "lt", "lv"), _BALTIC),
    **dict.fromkeys(("ar", "fa", "ur"), _ARABIC),
    **dict.fromkeys(("tr", "az", "ku"), _TURKISH),
    "el": ("cp1253", "iso8859_7"),
    "he": ("cp1255", "iso8859_8"),
    "vi": ("cp1258",),
    "th": ("cp874", "tis_620"),
    "ja": ("cp932", "euc_jp", "iso2022_jp"),
    "zh": ("gb18030", "big5"),
    "ko": ("cp949",),
}  # fmt: skip


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # None (as labelled), or how the label was overruled: 'utf8_charset', 'meta_charset',
    # 'detected_charset' (also: nothing was declared and the bytes are not UTF-8).
    how: str | None = None


def page_text(response: TextResponse, languages: Sequence[str]) -> Decoded:
    """The page's text, decoded by `decode_html` from the response's bytes and header."""
    content_type = response.headers.get(b"Content-Type") or b""
    return decode_html(response.body, content_type.decode("latin-1"), languages)


def decode_html(body: bytes, content_type: str | None, languages: Sequence[str]) -> Decoded:
    """The text of an HTML page from its bytes, its Content-Type header and the languages
    its source writes in (ISO 639 codes; none: any)."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return Decoded(body[len(bom) :].decode(bom_encoding, "replace"), bom_encoding)
    labels = _unique([http_content_type_encoding(content_type), html_body_declared_encoding(body)])
    if labels and not _ascii_compatible(labels[0]):
        return Decoded(body.decode(labels[0], "replace"), labels[0])  # UTF-16 without a BOM
    if body.isascii():
        return Decoded(body.decode("ascii"), labels[0] if labels else "ascii")
    utf8 = body.decode("utf-8", "replace")
    if _bad_share(utf8) <= BAD_SHARE:
        relabelled = bool(labels) and labels[0] != "utf-8"
        return Decoded(utf8, "utf-8", "utf8_charset" if relabelled else None)
    for label, how in zip(labels, (None, "meta_charset"), strict=False):
        text = body.decode(label, "replace")
        if _consistent(text, languages):
            return Decoded(text, label, how)
    detected = _detect(body, languages, tried=labels)
    if detected is not None:
        return detected
    # Nothing fits: what the label says (or, with none, a browser's fallback). The worker
    # judges what comes of it.
    fallback = labels[0] if labels else "cp1252"
    return Decoded(body.decode(fallback, "replace"), fallback)


def _detect(body: bytes, languages: Sequence[str], tried: list[str]) -> Decoded | None:
    candidates = _unique([enc for lang in languages for enc in legacy_encodings(lang)])
    candidates = [enc for enc in candidates if enc not in tried]
    if languages and not candidates:
        return None
    # No languages: charset-normalizer chooses among every encoding it knows.
    matches = charset_normalizer.from_bytes(body, cp_isolation=candidates or None)

    def rank(match: charset_normalizer.CharsetMatch) -> tuple[float, float, int]:
        # charset-normalizer's order (least chaos, then most coherent), and among the
        # encodings it cannot tell apart (Windows-1252 and ISO-8859-15 for French text)
        # the language's usual one.
        name = _name(match.encoding)
        preference = candidates.index(name) if name in candidates else len(candidates)
        return round(match.chaos, 3), -round(match.coherence, 3), preference

    for match in sorted(matches, key=rank):
        text = str(match)
        if _consistent(text, languages):
            return Decoded(text, _name(match.encoding), "detected_charset")
    return None


def legacy_encodings(language: str) -> tuple[str, ...]:
    return LEGACY_ENCODINGS.get(base_code(language), _WESTERN)


def _consistent(text: str, languages: Sequence[str]) -> bool:
    """Text a correct decoding could give: (almost) no U+FFFD or C1 controls among its
    non-ASCII characters, whose letters are in a script of one of the source's languages."""
    if _bad_share(text) > BAD_SHARE:
        return False
    if not languages:
        return True
    profile = script_profile("".join(char for char in text if char >= "\x80"))
    if profile.too_short or profile.dominant is None:
        return True
    return any(writes_in(base_code(lang), [profile.dominant]) for lang in languages)


def _bad_share(text: str) -> float:
    non_ascii = [char for char in text if char >= "\x80"]
    if not non_ascii:
        return 0.0
    bad = sum(1 for char in non_ascii if char == "\ufffd" or char <= "\x9f")
    return bad / len(non_ascii)


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "<html>".encode(encoding) == b"<html>"
    except LookupError:
        return False


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _name(encoding: str) -> str:
    """One spelling per codec ('koi8_r', 'KOI8-R' -> 'koi8-r')."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _unique(encodings: Sequence[str | None]) -> list[str]:
    """Known encodings, once each, in order."""
    names = [_name(enc) for enc in encodings if enc and _known(enc)]
    return [name for i, name in enumerate(names) if name not in names[:i]]
