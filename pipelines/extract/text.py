"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
NGRAM = 4  # words per run


def normalise(text: str | None) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return " ".join(text.split()) if text else ""


def words(text: str) -> list[str]:
    """Word tokens, case-folded: runs of word characters, so any script works."""
    return _WORD.findall(text.casefold())


def word_ngrams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    """The set of overlapping n-word runs; a shorter text is one short run."""
    tokens = words(text)
    if len(tokens) <= n:
        return {tuple(tokens)} if tokens else set()
    # zip of the n shifted lists builds the runs in C: this runs on every body, often twice;
    # it stops at the shortest, the last full run
    return set(zip(*(tokens[i:] for i in range(n)), strict=False))


def coverage(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    """Share of `part`'s word n-grams found in `whole` (1.0 for an empty part)."""
    return len(part & whole) / len(part) if part else 1.0


def same_headline(a: str, b: str) -> bool:
    """Equal but for case, or one a long enough start of the other (a cut title)."""
    a, b = a.casefold(), b.casefold()
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 20 and long_.startswith(short))
