"""A page's text when its declared encoding lies.

Scrapy decodes by the HTTP header first, as browsers do. When the header charset
contradicts a correct <meta> charset, the text fills with U+FFFD: the page is read again
in its <meta> charset here, where the bytes still are. (Mojibake in the text itself is
the extraction worker's: `pipelines.extract.mojibake`.)
"""

from __future__ import annotations

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

from pipelines.extract.mojibake import TOO_MANY


def page_text(response: TextResponse) -> tuple[str, str | None]:
    """The page's text and whether it was re-read in its <meta> charset (None or
    'meta_charset'). Mojibake is `repair_mojibake`'s, in the extraction worker."""
    text = response.text
    replaced = text.count("\ufffd")
    if replaced > TOO_MANY * len(text):
        declared = html_body_declared_encoding(response.body)
        encoding = resolve_encoding(declared) if declared else None
        if encoding and encoding != response.encoding:
            try:
                return response.body.decode(encoding), "meta_charset"
            except (UnicodeDecodeError, LookupError):
                pass
    return text, None
