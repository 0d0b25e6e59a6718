"""The stories of one time window in memory, and the rule that places an article in one.

An article joins the story it is closest to when both signals agree:

- its terms are close to the story's (TF-IDF cosine >= TERMS_MIN): the same kind of
  event, told with the same words;
- its entities are close to the story's (cosine of idf-weighted names and numbers
  >= ENTITIES_MIN): the same places, people and figures.

Either alone merges too much (measured on the fixture sites, see docs/stories.md): two
parliaments voting on the same day share terms, and a local paper's stories share its
town's names. Otherwise the article founds a story of its own.

Only stories sharing a name or number with the article are scored, found through an
inverted index of the window's entities, so an article costs the same however large the
archive is, and little more in a busy window.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from datetime import timedelta

from pipelines.stories.features import Features
from pipelines.stories.story import Story, StoryArticle
from pipelines.stories.vectors import Idf, Vector

TERMS_MIN = 0.19
ENTITIES_MIN = 0.20
# Names carried by this many stories of the window ("President", "Minister") find no
# candidates: they would cost time and cannot reach ENTITIES_MIN on their own.
MAX_POSTING = 300
MAX_CANDIDATES = 40


class StoryWindow:
    def __init__(self, stories: list[Story], batch: list[Features], window: timedelta):
        # One idf for the round, over the window's stories and the articles to place.
        self.idf_terms = Idf([*(s.terms for s in stories), *(f.terms for f in batch)])
        self.idf_entities = Idf([*(s.entities for s in stories), *(f.entities for f in batch)])
        self.window = window
        self.stories: list[Story] = []
        self._norms: list[tuple[float, float]] = []
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        self._lone: dict[int, StoryArticle] = {}  # story index -> the article that founded it
        self._gone: set[int] = set()  # stories whose only article moved to another
        for story in stories:
            self._add(story)

    def place(self, article: StoryArticle) -> tuple[Story, bool]:
        """The story the article joins, and whether that story is new."""
        found = self.best_match(article)
        if found is None:
            story = Story.founded_by(article)
            self._lone[len(self.stories)] = article
            self._add(story)
            return story, True
        self._join(*found, article)
        return found[1], False

    def second_look(self) -> None:
        """Give the round's lone articles a second chance, now that the round's other
        stories have grown: two angles on one event (a local one, a background one) may
        share too little with each other to meet, yet each meets the main report that
        came after them. Stories stored by earlier rounds are never dissolved."""
        for index, article in self._lone.items():
            if len(self.stories[index].joined) != 1:
                continue
            self._gone.add(index)
            found = self.best_match(article)
            if found is None:
                self._gone.discard(index)
            else:
                self._join(*found, article)

    def changed(self) -> list[Story]:
        """The stories this round founded or added to."""
        return [s for i, s in enumerate(self.stories) if s.joined and i not in self._gone]

    def _join(self, index: int, story: Story, article: StoryArticle) -> None:
        known = set(story.entities)
        story.absorb(article)
        self._reindex(index, [key for key in story.entities if key not in known])

    def best_match(self, article: StoryArticle) -> tuple[int, Story] | None:
        # The article's side of each cosine, idf applied twice: its own weighting, and
        # the centroid's (stored without idf) for the same key.
        terms = self._twice(self.idf_terms, article.features.terms)
        entities = self._twice(self.idf_entities, article.features.entities)
        best: tuple[int, Story] | None = None
        best_score = 0.0
        for index in self._candidates(entities):
            story = self.stories[index]
            if not story.covers(article.seen_at, self.window):
                continue
            terms_norm, entities_norm = self._norms[index]
            close_terms = _cosine(terms, story.terms, terms_norm)
            close_entities = _cosine(entities, story.entities, entities_norm)
            if close_terms < TERMS_MIN or close_entities < ENTITIES_MIN:
                continue
            if close_terms + close_entities > best_score:
                best, best_score = (index, story), close_terms + close_entities
        return best

    def _candidates(self, entities: Vector) -> list[int]:
        shared: dict[int, float] = {}
        for key, weight in entities.items():
            posting = self._postings.get(key, ())
            if len(posting) <= MAX_POSTING:
                for index in posting:
                    shared[index] = shared.get(index, 0.0) + weight
        for index in self._gone:
            shared.pop(index, None)
        return heapq.nlargest(MAX_CANDIDATES, shared, key=shared.__getitem__)

    @staticmethod
    def _twice(idf: Idf, vector: Vector) -> Vector:
        return {key: value * idf(key) for key, value in idf.weighted(vector).items()}

    def _add(self, story: Story) -> None:
        self.stories.append(story)
        self._norms.append((0.0, 0.0))
        self._reindex(len(self.stories) - 1, list(story.entities))

    def _reindex(self, index: int, new_keys: list[str]) -> None:
        story = self.stories[index]
        self._norms[index] = (
            self.idf_terms.norm(story.terms),
            self.idf_entities.norm(story.entities),
        )
        for key in new_keys:
            self._postings[key].append(index)


def _cosine(article: Vector, centroid: Vector, centroid_norm: float) -> float:
    """Cosine between an article (idf applied twice, see best_match) and a raw centroid."""
    if not centroid_norm:
        return 0.0
    return sum(value * centroid.get(key, 0.0) for key, value in article.items()) / centroid_norm
