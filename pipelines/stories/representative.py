"""Which report stands for a story: its title is what the app shows.

The story's most central report stands for it: the one whose title is closest in
meaning to the story as a whole (the cosine of the title's embedding with the story's
meaning, the sum of its reports'). The earliest report, which stood for a story before,
is often a side angle (a country's own rescuers at an earthquake) or another event's
report that happened to found the story; on the shared headlines at 30 days 3-7 % of
the stories of three or more reports were titled by a headline of another label that
way (docs/stories.md, "The title").

Only titles are compared, because they are all that is kept of a stored story's
representative; both sides of every comparison are read the same way.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipelines.stories.embedding import embed
from pipelines.stories.meanings import cosine
from pipelines.stories.story import Story

# An article's kept title meaning by its id; None where none is kept.
KeptTitleMeaning = Callable[[int], np.ndarray | None]


class Representatives:
    """Chooses stories' representatives during one matching round."""

    def __init__(self, kept: KeptTitleMeaning | None = None) -> None:
        # Each title's embedding, once per round: a story's current title is compared
        # again with each report that joins it.
        self._meanings: dict[str, np.ndarray] = {}
        # A stored representative's title meaning, as kept on its article's row (the
        # stage's lookup): reading it costs far less than the model reading the title.
        self._kept = kept

    def offer(
        self, story: Story, title: str, article_id: int, meaning: np.ndarray | None = None
    ) -> None:
        """A report joined the story (or a merged story's representative did): it
        stands for the story if its title (whose embedding is `meaning`, if known) is
        closer to the story's meaning than the current one's. A tie keeps the current
        one, so the app's title changes only for a better one; so does a story stored
        before meanings were kept."""
        if meaning is not None:
            self._meanings.setdefault(title, meaning)
        if title == story.title or story.meaning is None:
            return
        mine = self._meaning(title, article_id)
        if cosine(mine, story) > cosine(self._meaning(story.title, story.article_id), story):
            story.title, story.article_id = title, article_id

    def _meaning(self, title: str, article_id: int) -> np.ndarray:
        meaning = self._meanings.get(title)
        if meaning is None:  # a stored story's representative, or a merged story's
            kept = self._kept(article_id) if self._kept is not None else None
            meaning = self._meanings[title] = kept if kept is not None else embed([title])[0]
        return meaning
