"""Mojibake: UTF-8 text that was decoded as Windows-1252 somewhere upstream and stored
that way ("Ã©tÃ©" for "été"). Repaired in the extraction worker, off the crawl process;
what is still unreadable after that is dropped as `garbled` rather than stored.

A wrong or missing charset label is the spider's to fix while it still has the bytes
(`newsspiders.spiders.charset`).
"""

from __future__ import annotations

import contextlib
import re

# A character from the first half of a two-byte UTF-8 sequence read as cp1252, followed
# by one from the continuation range: the fingerprint of UTF-8 read as Windows-1252.
_MOJIBAKE = re.compile("[ÃÂÐÑØÙ][\u0080-\u00bf\u2018-\u203a\u0152-\u017e]")
TOO_MANY = 0.005  # share of characters
_LEADS = "ÃÂÐÑØÙ"  # the first characters of _MOJIBAKE


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """The text and what was done to it: None, 'mojibake' (repaired), or 'garbled'
    (mojibake that cannot be undone: the page is not worth storing)."""
    if not looks_garbled(text):
        return text, None
    repaired = _repair(text)
    return (repaired, "mojibake") if repaired is not text else (text, "garbled")


def unreadable(text: str) -> bool:
    """Text not worth storing: U+FFFD for more than TOO_MANY of its characters (bytes
    lost to a wrong decoding, here or upstream), or mojibake left after repair."""
    return text.count("\ufffd") > TOO_MANY * len(text) or looks_garbled(text)


def looks_garbled(text: str) -> bool:
    # Most pages hold none of the lead characters: a scan in C settles them, and the
    # regex only runs over the few that do.
    if not any(lead in text for lead in _LEADS):
        return False
    return len(_MOJIBAKE.findall(text)) > TOO_MANY * len(text)


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
