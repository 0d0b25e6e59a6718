"""Lists of linked headlines set into or after a body ("Kicker: <a>Headline</a>" per item).

The link-teaser rule judges each line alone, so an item that ends in "!" or whose bold
kicker is not linked survives while its neighbours go. Judged as a list, they are
alike: every item short and largely link. A list of sources or of summary points has
longer items or items without links, and stays.
"""

from __future__ import annotations

from typing import Any

from pipelines.extract.blocks import Line
from pipelines.extract.text import normalise

_ITEM_MAX_CHARS = 120  # a headline, not a sentence of summary
_ITEM_LINK_SHARE = 0.4  # a kicker in bold before the link leaves about half the item linked
_MIN_ITEMS = 2


def is_in_link_list(line: Line, edge: bool, container: Any | None) -> bool:
    """An item of a list whose items are all short, linked headlines."""
    if line.block is None or line.block.element.tag != "li":
        return False
    parent = line.block.element.getparent()
    if parent is None or parent.tag not in ("ul", "ol"):
        return False
    items = [child for child in parent if child.tag == "li"]
    return len(items) >= _MIN_ITEMS and all(_is_linked_headline(item) for item in items)


def _is_linked_headline(item: Any) -> bool:
    text = normalise(item.text_content())
    if not text or len(text) > _ITEM_MAX_CHARS:
        return False
    linked = sum(len(normalise(a.text_content())) for a in item.iter("a"))
    return linked >= _ITEM_LINK_SHARE * len(text)
