"""A page's text when its declared character set lies, or nothing declares one.

Labels are often wrong: ISO-8859-1 is many servers' default whatever the bytes, and old
sites say UTF-8 over Windows-1252. So the spider decodes the bytes itself (Scrapy's
`response.text` believes the header), by the first rule that holds:

1. a byte-order mark decides;
2. bytes that decode as UTF-8 (a stray broken sequence allowed) are UTF-8, whatever the
   label: legacy text almost never happens to be valid UTF-8;
3. otherwise charset-normalizer reads the bytes in the declared encodings and in the
   legacy encodings of the source's languages (Windows-1251, KOI8-R, ... for Russian),
   keeping only readings consistent with the source: (almost) no U+FFFD or C1 controls,
   letters in a script of one of its languages (Latin letters from a Russian source mean
   a wrong code page). A declared encoding is kept unless its reading is inconsistent or
   clearly more chaotic than the best one; the header's comes first, as in browsers,
   unless it is the servers' default Windows-1252 and the page's <meta> says otherwise.

When no reading is consistent, the label's is kept; the extraction worker drops text
still full of U+FFFD as `garbled` (`pipelines.extract.mojibake`, which also repairs
mojibake made upstream, in the text itself).
"""

from __future__ import annotations

import codecs
import re
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
# How much more chaotic than the best reading (charset-normalizer's mess ratio) a
# declared encoding's text may read and still be kept.
CHAOS_MARGIN = 0.02

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
    if bom_encoding and bom:
        return Decoded(body[len(bom) :].decode(bom_encoding, "replace"), bom_encoding)
    declared = _unique(
        [http_content_type_encoding(content_type), html_body_declared_encoding(body)]
    )
    labels = _labels(declared)
    if labels and not _ascii_compatible(labels[0]):
        return Decoded(body.decode(labels[0], "replace"), labels[0])  # UTF-16 without a BOM
    if body.isascii():
        return Decoded(body.decode("ascii"), labels[0] if labels else "ascii")
    utf8 = _as_utf8(body)
    if utf8 is not None:
        relabelled = bool(declared) and declared[0] != "utf-8"
        return Decoded(utf8, "utf-8", "utf8_charset" if relabelled else None)
    return _legacy(body, labels, languages, browsers=declared[0] if declared else None)


def _legacy(
    body: bytes, labels: list[str], languages: Sequence[str], browsers: str | None
) -> Decoded:
    """Bytes in a legacy encoding. charset-normalizer ranks the labels' encodings and
    those of the source's languages by how chaotic, then how coherent their text reads;
    a label keeps its place unless its text is inconsistent or reads clearly worse."""
    usual = _unique([enc for lang in languages for enc in legacy_encodings(lang)])
    candidates = _unique([*labels, *usual])
    # With neither labels nor languages, every encoding charset-normalizer knows.
    matches = charset_normalizer.from_bytes(
        body, cp_isolation=candidates or None, preemptive_behaviour=False
    )
    readable = [(match, str(match)) for match in matches]
    readable = [(match, text) for match, text in readable if _consistent(text, languages)]

    def rank(item: tuple[charset_normalizer.CharsetMatch, str]) -> tuple[float, float, int]:
        # Among encodings it cannot tell apart (Windows-1252 and ISO-8859-15 for French
        # text), the language's usual one.
        match, name = item[0], _name(item[0].encoding)
        preference = usual.index(name) if name in usual else len(usual)
        return round(match.chaos, 3), -round(match.coherence, 3), preference

    readable.sort(key=rank)
    if not readable:
        # Nothing reads: what the label says (or, with none, a browser's fallback). The
        # worker drops what comes of it if it is full of U+FFFD.
        fallback = labels[0] if labels else "cp1252"
        return Decoded(body.decode(fallback, "replace"), fallback)
    best, best_text = readable[0]
    for label in labels:
        for match, text in readable:
            if _name(match.encoding) == label and match.chaos <= best.chaos + CHAOS_MARGIN:
                return Decoded(text, label, None if label == browsers else "meta_charset")
    return Decoded(best_text, _name(best.encoding), "detected_charset")


def legacy_encodings(language: str) -> tuple[str, ...]:
    return LEGACY_ENCODINGS.get(base_code(language), _WESTERN)


def _as_utf8(body: bytes) -> str | None:
    """The body as UTF-8, if it is: valid, or nearly (a stray broken sequence)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
    non_ascii = _non_ascii(text)
    return text if non_ascii.count("\ufffd") <= BAD_SHARE * len(non_ascii) else None


def _consistent(text: str, languages: Sequence[str]) -> bool:
    """Text a correct decoding could give: (almost) no U+FFFD or C1 controls among its
    non-ASCII characters, whose letters are in a script of one of the source's languages."""
    non_ascii = _non_ascii(text)
    if not non_ascii:
        return True
    if non_ascii.count("\ufffd") + len(_C1.findall(non_ascii)) > BAD_SHARE * len(non_ascii):
        return False
    if not languages:
        return True
    profile = script_profile(non_ascii[:_SCRIPT_SAMPLE])
    if profile.too_short or profile.dominant is None:
        return True
    return any(writes_in(base_code(lang), [profile.dominant]) for lang in languages)


_C1 = re.compile("[\x80-\x9f]")
_ASCII = bytes(range(128))
_SCRIPT_SAMPLE = 5_000  # non-ASCII characters whose scripts are counted


def _non_ascii(text: str) -> str:
    """The text's non-ASCII characters (a page is mostly ASCII markup: bytes.translate
    drops it at C speed)."""
    raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
    return raw.decode("utf-8", "surrogatepass")


def _labels(declared: list[str]) -> list[str]:
    """The declared encodings (header's, page's), the one to try first first: the header's,
    as browsers do, unless it is Windows-1252 (ISO-8859-1) and the page says otherwise.
    That label is many servers' default, sent whatever the page; the page's is its author's."""
    if len(declared) == 2 and declared[0] == "cp1252":
        return declared[::-1]
    return declared


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
