"""Which stories of the window are close in meaning to a headline: its candidates by
meaning (window.py), which may share no word with it.

One matrix product per round, between the window's stored stories and the round's
headlines, finds each headline's nearest stories: per article a product with a whole
window (20,000 stories) is memory-bound, ~3 ms, but for the round at once it is one
pass. Stories founded or grown in the round have moved since, so they are compared
directly, and they are few.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from pipelines.stories.embedding import dimensions
from pipelines.stories.features import Features
from pipelines.stories.story import Story


def direction(meaning: np.ndarray | None) -> np.ndarray | None:
    """A meaning (a sum over reports) at length 1; None for none or a zero sum."""
    if meaning is None:
        return None
    norm = float(np.linalg.norm(meaning))
    return meaning / norm if norm else None


def cosine(meaning: np.ndarray | None, story: Story) -> float:
    """A length-1 meaning's cosine with a story's; 0 when either has none."""
    if meaning is None or story.meaning is None:
        return 0.0
    norm = float(np.linalg.norm(story.meaning))
    return float(story.meaning @ meaning) / norm if norm else 0.0


class NearInMeaning:
    def __init__(self, stories: Sequence[Story], batch: Iterable[Features], least: float,
                 keep: int):  # fmt: skip
        self.least, self.keep = least, keep
        # Stories founded or grown this round: their length-1 meanings, a row each.
        self._moved: dict[int, int] = {}  # story index -> row
        self._moved_rows = np.zeros((64, dimensions()), dtype=np.float32)
        # Each headline's nearest stored stories, by its Features' identity (the round's
        # articles keep theirs for the whole round).
        self._near: dict[int, list[int]] = {}
        asking = [f for f in batch if f.headline_only and f.meaning is not None]
        held = [i for i, story in enumerate(stories) if story.meaning is not None]
        if not asking or not held or least > 1.0:
            return
        rows = np.stack([stories[i].meaning for i in held]).astype(np.float32)  # type: ignore[misc]
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        columns = np.stack([f.meaning for f in asking])  # type: ignore[misc]
        similar = rows @ columns.T  # stories x headlines
        for column, features in enumerate(asking):
            self._near[id(features)] = self._closest(similar[:, column], held)

    def near(self, asking: Iterable[Features], meaning: np.ndarray | None,
             stories: Sequence[Story]) -> list[int]:  # fmt: skip
        """Stories close enough in meaning to pass `least` before fading (which only
        lowers a cosine): the stored ones nearest to these round's articles (`asking`:
        the article, or the members of a story standing as one), and the round's moved
        stories compared now with `meaning`."""
        if meaning is None or self.least > 1.0:
            return []
        found = {i for features in asking for i in self._near.get(id(features), ())}
        if self._moved:
            similar = self._moved_rows[: len(self._moved)] @ meaning
            moved = list(self._moved)  # in row order
            found.update(moved[row] for row in np.flatnonzero(similar >= self.least))
        return sorted(found)

    def move(self, index: int, story: Story) -> None:
        """The story at `index` was founded or grew this round: compare it directly."""
        row = self._moved.setdefault(index, len(self._moved))
        if row == len(self._moved_rows):  # full: double it
            self._moved_rows = np.concatenate([self._moved_rows, np.zeros_like(self._moved_rows)])
        meaning = direction(story.meaning)
        self._moved_rows[row] = 0.0 if meaning is None else meaning

    def _closest(self, similar: np.ndarray, held: list[int]) -> list[int]:
        close = np.flatnonzero(similar >= self.least)
        if len(close) > self.keep:
            close = close[np.argpartition(-similar[close], self.keep)[: self.keep]]
        return [held[i] for i in close]
