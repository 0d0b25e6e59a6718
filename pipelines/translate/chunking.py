"""Splitting text under a provider's size limit: paragraphs first, then sentences, then
words; never inside a word unless one word alone is over the limit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

# A sentence ends at ., !, ?, …, the Arabic question mark or the Devanagari danda before
# white space, or at a CJK full stop; closing quotes and brackets stay with it.
_SENTENCE_END = re.compile(r"[.!?…؟।][\"'”’»)\]]*\s+|[。！？][\"'”’」』)\]]*\s*")


def url_encoded_length(text: str) -> int:
    """Bytes the text takes in a query string (what GET-based endpoints limit)."""
    return len(quote_plus(text.encode("utf-8")))


@dataclass(frozen=True)
class Piece:
    text: str
    joiner: str  # what goes back between this piece and the next when reassembling


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[Piece]:
    """Pieces of `text`, each within `limit`; joining them gives the text back."""
    if measure(text) <= limit:
        return [Piece(text, "")]
    pieces: list[Piece] = []
    paragraphs = text.split("\n")
    for i, paragraph in enumerate(paragraphs):
        joiner = "\n" if i < len(paragraphs) - 1 else ""
        units = _split_unit(paragraph, limit, measure)
        pieces.extend(Piece(u.text, u.joiner) for u in units[:-1])
        pieces.append(Piece(units[-1].text, joiner))
    return _merge(pieces, limit, measure)


def join_pieces(pieces: list[Piece], translated: list[str]) -> str:
    return "".join(t + p.joiner for p, t in zip(pieces, translated, strict=True))


def _split_unit(paragraph: str, limit: int, measure: Callable[[str], int]) -> list[Piece]:
    if measure(paragraph) <= limit:
        return [Piece(paragraph, "")]
    sentences = _sentences(paragraph)
    if len(sentences) == 1:
        return _split_words(paragraph, limit, measure)
    out: list[Piece] = []
    for sentence in sentences:
        parts = _split_unit(sentence.text, limit, measure)
        out.extend(parts[:-1])
        out.append(Piece(parts[-1].text, sentence.joiner))
    return out


def _sentences(paragraph: str) -> list[Piece]:
    """Sentences, each with the white space that followed it as its joiner."""
    pieces = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        chunk = paragraph[start : match.end()]
        text = chunk.rstrip()
        pieces.append(Piece(text, chunk[len(text) :]))
        start = match.end()
    if start < len(paragraph):
        pieces.append(Piece(paragraph[start:], ""))
    return pieces


def _split_words(sentence: str, limit: int, measure: Callable[[str], int]) -> list[Piece]:
    words = sentence.split(" ") if " " in sentence else list(sentence)
    joiner = " " if " " in sentence else ""
    out: list[Piece] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if current and measure(candidate) > limit:
            out.append(Piece(current, joiner))
            current = word
        else:
            current = candidate
        while measure(current) > limit:  # one word longer than the limit: cut it
            cut = _longest_prefix(current, limit, measure)
            out.append(Piece(current[:cut], ""))
            current = current[cut:]
    out.append(Piece(current, ""))
    return out


def _longest_prefix(text: str, limit: int, measure: Callable[[str], int]) -> int:
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def _merge(pieces: list[Piece], limit: int, measure: Callable[[str], int]) -> list[Piece]:
    """Neighbouring small pieces back together, so a text costs as few requests as fits."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged:
            last = merged[-1]
            combined = last.text + last.joiner + piece.text
            if last.joiner != "\n" and measure(combined) <= limit:
                merged[-1] = Piece(combined, piece.joiner)
                continue
        merged.append(piece)
    return merged
