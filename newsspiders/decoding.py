"""A page's text when its declared encoding lies.

Scrapy decodes by the HTTP header first, as browsers do. Two common failures are
repaired here: a header charset that contradicts a correct <meta> charset (the text fills
with U+FFFD), and UTF-8 text that was decoded as Windows-1252 somewhere upstream and
stored that way ("Ã©tÃ©" for "été").
"""

from __future__ import annotations

import contextlib
import re

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

# A character from the first half of a two-byte UTF-8 sequence read as cp1252, followed
# by one from the continuation range: the fingerprint of UTF-8 read as Windows-1252.
_MOJIBAKE = re.compile("[ÃÂÐÑØÙ][\u0080-\u00bf\u2018-\u203a\u0152-\u017e]")
_TOO_MANY = 0.005  # share of characters
_LEADS = "ÃÂÐÑØÙ"  # the first characters of _MOJIBAKE


def page_text(response: TextResponse) -> tuple[str, str | None]:
    """The page's text and whether it was re-read in its <meta> charset (None or
    'meta_charset'). Mojibake is `repair_mojibake`'s, in the extraction worker."""
    text = response.text
    replaced = text.count("\ufffd")
    if replaced > _TOO_MANY * len(text):
        declared = html_body_declared_encoding(response.body)
        encoding = resolve_encoding(declared) if declared else None
        if encoding and encoding != response.encoding:
            try:
                return response.body.decode(encoding), "meta_charset"
            except (UnicodeDecodeError, LookupError):
                pass
    return text, None


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """The text and what was done to it: None, 'mojibake' (repaired), or 'garbled'
    (mojibake that cannot be undone: the page is not worth storing)."""
    if not looks_garbled(text):
        return text, None
    repaired = _repair(text)
    return (repaired, "mojibake") if repaired is not text else (text, "garbled")


def looks_garbled(text: str) -> bool:
    # Most pages hold none of the lead characters: a scan in C settles them, and the
    # regex only runs over the few that do.
    if not any(lead in text for lead in _LEADS):
        return False
    return len(_MOJIBAKE.findall(text)) > _TOO_MANY * len(text)


def _repair(text: str) -> str:
    """UTF-8 read as Windows-1252, read back; the text itself when that cannot be done."""
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _repair_by_line(text)
    return fixed


def _repair_by_line(text: str) -> str:
    """Pages mixing good and broken parts: repair the lines that can be repaired."""
    lines = text.split("\n")
    out = []
    for line in lines:
        if _MOJIBAKE.search(line):
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                line = line.encode("cp1252").decode("utf-8")
        out.append(line)
    fixed = "\n".join(out)
    return text if fixed == text else fixed
