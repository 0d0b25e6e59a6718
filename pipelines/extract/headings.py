"""The page's own headings that may carry its headline, as the reader sees them.

An `<h1>` set inside breadcrumbs or another navigation bar names the page for the
trail (often its SEO title, visually hidden or clipped to one line); the headline
the reader reads is then the article header's own heading, commonly an `<h2>`.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.text import normalise

_NAVIGATION = re.compile(r"breadcrumb|breadbar", re.IGNORECASE)
_CONTAINERS = {"article", "main", "body", "html"}
_LOOKED_AT = 10  # headings looked at per level; teaser grids repeat them by the dozen


def shown_headings(tree: Any, limit: int = 5) -> tuple[list[str], bool]:
    """Up to `limit` heading texts, and whether they are `<h1>`s.

    The `<h1>`s outside navigation; when every `<h1>` is inside it, the `<h2>`s
    outside it instead (an `<h2>` is only a candidate, never the headline alone).
    """
    h1s = _first(tree, "h1")
    texts = _texts(h for h in h1s if not in_navigation(h))
    if texts or not h1s:
        return texts[:limit], True
    return _texts(h for h in _first(tree, "h2") if not in_navigation(h))[:limit], False


def in_navigation(node: Any) -> bool:
    """Inside a `<nav>`, an element with the navigation role, or a breadcrumb trail.

    Looked for below the article, main or body element: a class on those (a layout
    flag such as "has-breadcrumbs") says nothing about the heading.
    """
    while node is not None and node.tag not in _CONTAINERS:
        if node.tag == "nav" or node.get("role") == "navigation":
            return True
        if _NAVIGATION.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node = node.getparent()
    return False


def _first(tree: Any, tag: str) -> list[Any]:
    found = []
    for node in tree.iter(tag):
        found.append(node)
        if len(found) == _LOOKED_AT:
            break
    return found


def _texts(nodes: Any) -> list[str]:
    return [t for t in (normalise(n.text_content()) for n in nodes) if t]
