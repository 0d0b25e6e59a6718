"""Furniture that trafilatura keeps inside article bodies, dropped line by line.

Each rule leans on structure more than on words, so that it holds in any language:
where the line sits (the body's first or last lines), what it is made of (links,
handles, e-mail addresses, the copyright sign) and the classes the page put around it.
Where words are needed, the few that say "newsletter", "subscribe", "follow" or "photo"
are listed in several languages and scripts; network names (Facebook, Telegram…) are
written alike everywhere or listed in their local spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pipelines.extract.blocks import Line, ancestors
from pipelines.extract.endnotes import is_contributor_note
from pipelines.extract.linklists import is_in_link_list
from pipelines.extract.walls import COOKIE_WORDS

# Class and id words of page furniture; a line inside such an element is not body text.
FURNITURE_CLASSES = {
    "share", "sharing", "social", "newsletter", "subscribe", "subscription", "signup",
    "related", "recommended", "recirculation", "promo", "promotion", "advert",
    "advertisement", "sponsored", "tags", "taglist", "keywords", "breadcrumb",
    "breadcrumbs", "byline", "bio", "credit", "credits", "caption", "copyright",
    "disclaimer", "readmore", "trending", "popular", "outbrain", "taboola",
    # overlays a button opens ("link copied", "saved", "report an error")
    "toast", "tooltip", "popup", "modal", "overlay", "feedback",
}  # fmt: skip
_CLASS_WORDS = re.compile(r"[a-z]+")
# Boxes set into a body: fact boxes, info boxes (one word or two, in a tag or a class).
_BOX_MARK = re.compile(r"fact-?box|info-?box|fakta")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_URL = re.compile(r"https?://|www\.", re.I)
_SOCIAL = re.compile(
    r"facebook|twitter|instagram|youtube|whatsapp|telegram|linkedin|tiktok|pinterest"
    r"|snapchat|flipboard|vkontakte|weibo|wechat|фейсбук|твиттер|инстаграм|телеграм|ютуб"
    r"|فيسبوك|فيس بوك|تويتر|انستغرام|إنستغرام|يوتيوب|تيليجرام|تلغرام|ツイッター|フェイスブック"
    r"|インスタグラム|ユーチューブ|페이스북|트위터|인스타그램|유튜브",
    re.I,
)
_NEWSLETTER = re.compile(
    r"newsletter|inbox|sign up|subscribe|boletín|suscr[íi]b|infolettre|abonnez|abonnier"
    r"|iscriviti|assine|inscreva|рассылк|подпиш|подписывайтесь|ニュースレター|メルマガ"
    r"|購読|النشرة|اشترك|구독|뉴스레터|订阅|訂閱",
    re.I,
)
_FOLLOW = re.compile(
    r"\bfollow\b|suivez|síguenos|sígannos|folgen sie|folgt uns|seguici|siga-nos|следите"
    r"|подписывайтесь|تابعونا|تابعوا|フォロー|팔로우|关注|關注",
    re.I,
)
_CREDIT = re.compile(
    r"^[(\[]?\s*(?:photo|image|picture|credit|foto|fotos|bild|фото|صورة|الصورة|写真|사진|图片|圖片)"
    r"[\w ]{0,12}[:：=/|]",
    re.I,
)

# A full stop (in any script) and perhaps a closing quote or bracket after it.
_SENTENCE_END = re.compile(r"[.!?。！？؟।][\"'”’»)\]]*\s*$")

_AGENCY_NOTE = re.compile(
    r"^\W*(?:source|sources|quelle|fuente|fonte|источник)\s*:|agenturmaterial|news agencies"
    r"|^\W*(?:mit|with|avec|con)\s+(?:dpa|afp|ap|apa|sda|kna|epd|reuters|efe|ansa)\W*$",
    re.I,
)

_AD_LABEL = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored|anzeige|werbung|publicidad|publicité"
    r"|pubblicità|reklame|annons|реклама|إعلان|広告|광고|广告|more|mehr)\W*$",
    re.I,
)

_NEWSLETTER_NOUN = re.compile(
    r"newsletter|nyhetsbrev|nyhedsbrev|nieuwsbrief|boletín|infolettre|рассылк|ニュースレター"
    r"|メルマガ|뉴스레터",
    re.I,
)

# Words that speak to the reader: a plug does, a story about newsletters rarely does.
_ADDRESSES_READER = re.compile(
    r"\b(?:you|your|sie|ihnen|ihr|du|dich|dein|vous|votre|vos|usted|tu|te|você|seu|ti|vi"
    r"|dere|deg|dig|ni|er|вы|вас|ваш)\b|hier|here|ici|aquí",
    re.I,
)

# "Click here to …": a pointer, whatever follows.
_CLICK_HERE = re.compile(
    r"^\W*(?:click here|tap here|klicken sie hier|hier klicken|cliquez ici|haga clic|clique aqui)",
    re.I,
)
# Arrows that lead a pointer to another page.
_ARROW = re.compile(r"^\s*(?:>>|»\s|→|▶|►|➤|➔)")  # "»Quote«" opens German speech

_SWITCHES = {"input", "button"}
_PLACEHOLDER_MAX_CHARS = 1500  # a consent box is a few sentences, not an article
HEAD_LINES = 2  # the body's first lines, where standfirst-like promos sit
TAIL_LINES = 3  # its last lines: contact notes, newsletter boxes, follow-us prompts


def drop_boilerplate(lines: list[Line], container: Any | None) -> list[Line]:
    """The lines that are body text, in order."""
    kept = []
    for index, line in enumerate(lines):
        edge = index < HEAD_LINES or index >= len(lines) - TAIL_LINES
        if not any(rule(line, edge, container) for rule in RULES):
            kept.append(line)
    return kept


def is_link_teaser(line: Line, edge: bool, container: Any | None) -> bool:
    """'Read also: <headline>', a list of linked headlines: mostly link, little else.

    A line that ends a sentence is not a headline: it is a body sentence whose words
    are a link (a source cited in-line), and inline link text is body text.
    """
    block = line.block
    if block is None or len(block.text) > 200 or _is_quote(block.element):
        return False
    if (_ARROW.match(line.text) or _CLICK_HERE.match(line.text)) and block.link_density > 0:
        return True  # ">> Compare mortgage rates here", "▶ Watch the video"
    if _SENTENCE_END.search(line.text):
        return False
    density = block.link_density
    return density >= 0.6 and len(block.text) * (1 - density) <= 40


def is_promo(line: Line, edge: bool, container: Any | None) -> bool:
    """A short note at the body's edge that points readers elsewhere.

    It needs a pointer (an address, a handle, a link, a subscribe or follow word) and a
    second signal, or a list of networks: a story's own "Facebook and Instagram were
    down" or "she wrote on Twitter" has neither.
    """
    if len(line.text) > 300 or _is_quote(line.block.element if line.block else None):
        return False
    text = line.text
    if len(text) <= 250 and _NEWSLETTER_NOUN.search(text) and _ADDRESSES_READER.search(text):
        return True  # a plug for the outlet's newsletter, spoken to the reader, anywhere
    if not edge:
        return False
    pointers = (
        bool(_EMAIL.search(text))
        + bool(_HANDLE.search(text))
        + bool(_URL.search(text))
        + len({m.group(0).lower() for m in _NEWSLETTER.finditer(text)})
        + bool(_FOLLOW.search(text))
    )
    networks = len({m.group(0).lower() for m in _SOCIAL.finditer(text)})
    # "Write to Jane Roe at jane.roe@example.com": a short contact note is a pointer alone
    contact = bool(_EMAIL.search(text)) and len(text.split()) <= 12
    return (pointers >= 1 and pointers + networks >= 2) or networks >= 3 or contact


def is_credit(line: Line, edge: bool, container: Any | None) -> bool:
    """An image credit or copyright line, or a short agency note at the body's edge
    ("SOURCE: News agencies", "Mit Agenturmaterial", "mit dpa")."""
    if len(line.text) > 120:
        return False
    if edge and len(line.text.split()) <= 5 and _AGENCY_NOTE.search(line.text):
        return True
    return "©" in line.text or bool(_CREDIT.match(line.text))


def is_ad_label(line: Line, edge: bool, container: Any | None) -> bool:
    """The label an ad slot leaves in the text ("Advertisement", "Anzeige"), or a lone
    "More" button."""
    return bool(_AD_LABEL.match(line.text))


def is_in_furniture(line: Line, edge: bool, container: Any | None) -> bool:
    """Inside an element the page itself marks as furniture (below the body container)."""
    if line.block is None or line.rescued:
        return False
    element = line.block.element
    # Up to the container; without one, only the block's own surroundings.
    nearby = ancestors(element, stop=container, limit=6 if container is not None else 2)
    for node in [element, *nearby]:
        if node.tag in ("figure", "figcaption", "aside", "nav", "form"):
            return True
        tag = node.tag if isinstance(node.tag, str) else ""
        if _marks_furniture(f"{tag} {node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


@lru_cache(maxsize=4096)  # the same few wrappers sit above every line of a page
def _marks_furniture(marks: str) -> bool:
    marks = marks.lower()
    return bool(FURNITURE_CLASSES.intersection(_CLASS_WORDS.findall(marks))) or bool(
        _BOX_MARK.search(marks)
    )


def is_consent_placeholder(line: Line, edge: bool, container: Any | None) -> bool:
    """The stand-in for an embed the reader has not agreed to load ("Recommended
    content … I agree that external content is shown"): a small box with a consent
    switch (a checkbox or a button) whose text speaks of consent or data protection."""
    if line.block is None:
        return False
    for node in ancestors(line.block.element, stop=container, limit=3):
        # The switch sits next to the box's paragraphs, as a child of their wrapper.
        if not any(child.tag in _SWITCHES for child in node):
            continue
        text = node.text_content()
        return len(text) <= _PLACEHOLDER_MAX_CHARS and bool(COOKIE_WORDS.search(text))
    return False


def _is_quote(element: Any | None) -> bool:
    """Quoted posts (tweets, blockquotes) are content even when full of links."""
    if element is None:
        return False
    # lxml walks the ancestors itself and hands back only <blockquote>s
    inside = next(element.iterancestors("blockquote"), None) is not None
    return element.tag == "blockquote" or inside


RULES: list[Callable[[Line, bool, Any | None], bool]] = [
    is_ad_label,
    is_link_teaser,
    is_promo,
    is_credit,
    is_in_furniture,
    is_consent_placeholder,
    is_contributor_note,
    is_in_link_list,
]
