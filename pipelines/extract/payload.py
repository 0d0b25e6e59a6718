"""Bodies that exist only in a script payload (a Next.js `__NEXT_DATA__` JSON, an app's
state blob pushed from an inline script): the HTML is an empty shell until JavaScript
renders it, so trafilatura finds nothing.

Only asked when the visible text came out short. The payload's longest string that reads
as article markup (paragraphs or line breaks) is the body.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from lxml import etree

from pipelines.extract.structured import plain_text

# A JSON string literal of some length: escapes kept, decoded with json.loads.
_LONG_STRING = re.compile(r'"((?:[^"\\]|\\.){400,})"', re.S)
# Article markup inside the string, raw or escaped as JSON writes it (\u003c = '<').
_MARKUP = re.compile(r"(?:<|\\u003[cC])(?:p|br)\b", re.I)
_MIN_PARAGRAPHS = 3
_PLACEHOLDER = re.compile(r"\$\$[A-Z_]+\$\$")
# Serialised data rather than prose: object keys in quotes.
_NESTED = re.compile(r'"[\w$@-]+"\s*:\s*["{\[\d]')


def payload_body(tree: Any) -> str:
    """The article text found in an inline script's data, or ''."""
    best = ""
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if script.get("src") or "ld+json" in kind or not script.text:
            continue
        for text in _marked_up_strings(script.text, depth=0):
            if text.count("\n") + 1 >= _MIN_PARAGRAPHS and len(text) > len(best):
                best = text
    return best


def _marked_up_strings(source: str, depth: int) -> list[str]:
    """Plain text of each long string literal with article markup; a string that is
    itself serialised data (React server payloads nest JSON in strings) is searched in
    turn."""
    found: list[str] = []
    for match in _LONG_STRING.finditer(source):
        raw = match.group(1)
        if len(_MARKUP.findall(raw)) < _MIN_PARAGRAPHS:
            continue
        try:
            decoded = json.loads(f'"{raw}"')
        except ValueError:
            continue
        if _NESTED.search(decoded):
            if depth < 2:
                found.extend(_marked_up_strings(decoded, depth + 1))
            continue
        found.append(_readable(decoded))
    return found


def _readable(markup: str) -> str:
    """The payload's article markup as text, without what the page shows as furniture
    (figures and their captions) and without template placeholders ('$$ARTICLEAD$$')."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return plain_text(_PLACEHOLDER.sub("", markup))
    for node in list(root.iter()):
        classes = (node.get("class") or "").lower() if isinstance(node.tag, str) else ""
        if node.tag in ("figure", "figcaption", "script", "style") or "caption" in classes:
            node.drop_tree()
    return plain_text(_PLACEHOLDER.sub("", lxml.html.tostring(root, encoding="unicode")))
