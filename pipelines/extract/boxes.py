"""Boxes that sit inside or after an article body and point elsewhere: "Don't miss",
"Read also", "More from …", "Auch interessant", "Czytaj więcej" and the headlines (with
their summaries) that follow such a label.

The label is what gives a box away, in any layout: a short line that is nothing but one
of these phrases (in the languages of the sources) or begins with one and is mostly
link. The box is then the largest element around the label that holds well under half
of the extracted text, so a box's headline and summary go with it while the body stays;
where the label has no box of its own (all paragraphs siblings), the linked lines that
follow it go.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.blocks import Line, ancestors
from pipelines.extract.text import normalise

_LABELS = (
    # en
    "don't miss", "dont miss", "do not miss", "read more", "read also", "also read",
    "see also", "related", "related articles", "related stories", "related content",
    "more from", "more on this", "more stories", "recommended", "you may also like",
    "also on", "most read", "most popular", "trending", "editor's picks", "top stories",
    # de
    "auch interessant", "lesen sie auch", "lesen sie mehr", "mehr zum thema",
    "das könnte sie auch interessieren", "weitere artikel", "meistgelesen",
    "empfehlungen der redaktion", "zum thema", "mehr dazu",
    # fr, es, pt, it, nl
    "à lire aussi", "a lire aussi", "lire aussi", "sur le même sujet", "voir aussi",
    "lee también", "lea también", "te puede interesar", "noticias relacionadas",
    "leia também", "leia mais", "veja também", "saiba mais", "leggi anche",
    "potrebbe interessarti", "lees ook", "lees meer",
    # nordic, pl, cs, tr
    "läs också", "läs mer", "les også", "les mer", "læs også", "læs mere",
    "czytaj więcej", "czytaj też", "czytaj także", "zobacz też", "zobacz także",
    "čtěte také", "přečtěte si také", "související", "ilgili haberler", "ayrıca okuyun",
    # summary boxes above or beside the story
    "kort fortalt", "i korthet", "kurz gesagt", "das wichtigste in kürze", "auf einen blick",
    # tag lists: "Tags: a, b, c"
    "tags", "tagged", "tagged with", "schlagwörter", "schlagworte", "etiquetas", "mots-clés",
    "mots clés", "теги", "метки", "タグ", "标签", "태그",
    # ru, ar, ja, zh, ko
    "читайте также", "по теме", "смотрите также", "اقرأ أيضا", "اقرأ أيضاً",
    "関連記事", "あわせて読みたい", "相关阅读", "延伸阅读", "相關新聞", "관련기사",
)  # fmt: skip
_LABEL = re.compile(
    r"^(?:" + "|".join(re.escape(label) for label in _LABELS) + r")\b\s*[:：»›>|-]?\s*",
    re.I,
)
_LABEL_ONLY = 60  # a label line is short
_TAIL = 8  # lines at the body's end where appeals sit
# Calls to subscribe, support or try the paper, in the sources' languages.
_APPEAL = re.compile(
    r"subscri|suscri|abonn|jetzt unterstützen|unterstützen sie|support us|support our"
    r"|donate|jetzt spenden|kostenlos testen"
    r"|jetzt testen|free trial|assine|assinatura|iscriviti|abbonati|подпиш|подписк|اشترك"
    r"|購読|订阅|訂閱|구독|prenumer|abonner|støtt",
    re.I,
)
_BOX_SHARE = 0.4  # a box holds less than this share of the extracted text


def without_boxes(lines: list[Line], container: Any | None) -> list[Line]:
    """`lines` without the labelled boxes and what they hold."""
    total = sum(len(line.text) for line in lines) or 1
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        if index in dropped or not _is_label(line):
            continue
        dropped.add(index)
        if index + 1 < len(lines) and _is_keyword_list(lines[index + 1].text):
            dropped.add(index + 1)  # "Tags" then "a, b, c, d" on a line of their own
        box = _box_of(line, lines, container, total)
        if box is not None:
            dropped.update(
                i
                for i, other in enumerate(lines)
                if other.block and _inside(other.block.element, box)
            )
        else:  # no box of its own: the linked headlines right after the label
            for follower in range(index + 1, len(lines)):
                block = lines[follower].block
                if block is None or block.link_density < 0.5:
                    break
                dropped.add(follower)
    return [line for i, line in enumerate(lines) if i not in dropped]


def without_appeals(lines: list[Line], container: Any | None) -> list[Line]:
    """`lines` without a subscription or donation appeal boxed at the body's end.

    The appeal's words ("subscribe", "unterstützen", "kostenlos testen") alone would take
    a story's own last lines about a subscription; so only a box goes: an element that
    holds nothing but lines of the tail, under `_BOX_SHARE` of the text.
    """
    tail_start = max(0, len(lines) - _TAIL)
    total = sum(len(line.text) for line in lines) or 1
    for index in range(tail_start, len(lines)):
        line = lines[index]
        if line.block is None:
            continue
        # A paragraph set right in the body's container has no box of its own: that is
        # most lines, and the structure is cheaper to ask than the appeal's words.
        above = ancestors(line.block.element, stop=container, limit=8)
        if not above or not _APPEAL.search(line.text):
            continue
        box = None
        for node in above:
            held = [i for i, o in enumerate(lines) if o.block and _inside(o.block.element, node)]
            if node.tag in ("article", "main", "body") or min(held) < tail_start:
                break
            if sum(len(lines[i].text) for i in held) >= _BOX_SHARE * total:
                break
            box = node
        if box is not None:
            return [o for o in lines if not (o.block and _inside(o.block.element, box))]
    return lines


def _is_keyword_list(text: str) -> bool:
    """Short items between commas and nothing else: a list of tags, not a sentence."""
    items = [item.strip() for item in re.split(r"[,،、]", text)]
    return len(items) >= 4 and all(0 < len(item.split()) <= 6 for item in items)


def _is_label(line: Line) -> bool:
    text = normalise(line.text)
    match = _LABEL.match(text)
    if match is None:
        return False
    if len(text) <= _LABEL_ONLY and (match.end() == len(text) or len(text) <= 25):
        return True
    if _is_keyword_list(text[match.end() :]):  # "Tags: a, b, c, d"
        return True
    # "Read also: <a linked headline>"
    return line.block is not None and line.block.link_density >= 0.5 and len(text) <= 200


def _box_of(line: Line, lines: list[Line], container: Any | None, total: int) -> Any | None:
    """The largest ancestor of the label, below the body's container, that the label
    opens (no extracted line before it) and that holds less than `_BOX_SHARE` of the
    extracted text; None when even the label's parent fails."""
    if line.block is None:
        return None
    best = None
    for node in ancestors(line.block.element, stop=container, limit=8):
        held = [o for o in lines if o.block and _inside(o.block.element, node)]
        if node.tag in ("article", "main", "body") or any(o.position < line.position for o in held):
            break
        if sum(len(o.text) for o in held) >= _BOX_SHARE * total:
            break
        best = node
    return best


def _inside(element: Any, box: Any) -> bool:
    node = element
    while node is not None:
        if node is box:
            return True
        node = node.getparent()
    return False
