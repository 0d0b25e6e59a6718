"""A story and an article to place in one, as the matcher holds them in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from pipelines.stories.embedding import pack
from pipelines.stories.features import Features
from pipelines.stories.vectors import Vector, add_into, normalised, strongest

# What a story keeps of its centroid: enough to recognise its coverage, small to store.
# A run reads its whole window's centroids; the terms were most of it. Every replay
# scores the same keeping 60, 80, 100 or 150 terms; 80 halves PostgreSQL's read
# (docs/stories.md, Cost).
KEEP_TERMS = 80
# Names, by contrast, are few and each tells: a real report names a median 33 and up to
# 175. Keeping 60 cut a long report's names said once (by strength, then alphabet),
# so a report placed in a later run met its stored story less than in the same run
# (the real day every 30 min, docs/stories.md, Cost).
KEEP_ENTITIES = 150
# A first report that stood alone this long before a second report joined it was a
# precursor (a preview, a related item a day or more before the event): the event's
# coverage, and so the story's span and fading, starts at the second report. Measured
# from the precursor, the span ran out in the middle of the coverage and split it
# (docs/stories.md, "The span after a precursor").
PRECURSOR_HOURS = 24.0


@dataclass
class StoryArticle:
    id: int
    country: str
    title: str  # English
    seen_at: datetime  # published, else fetched
    features: Features
    # Its title's own embedding, when worked out with the round's others (one call):
    # what representative.py compares. None: worked out when needed.
    title_meaning: np.ndarray | None = None


@dataclass
class Story:
    id: int | None  # None until stored
    first_seen: datetime
    last_seen: datetime
    title: str  # representative: its most central report's English title (representative.py)
    article_id: int  # that report
    countries: set[str]
    article_count: int  # original reports; near-duplicates are not counted
    # Centroids: sums of the members' length-1 term and entity vectors (no idf: the
    # idf is the window's, taken when comparing).
    terms: Vector
    entities: Vector
    version: int = 0  # bumped on every save: two runs never overwrite each other
    # How many of its reports' titles carry each name (see window.joins).
    title_names: dict[str, float] = field(default_factory=dict)
    # How many of its reports' titles carry each term (window.title_words_meet); empty
    # for a story stored before they were kept: the rule then skips.
    title_terms: dict[str, float] = field(default_factory=dict)
    joined: list[int] = field(default_factory=list)  # articles placed this round
    # Reports with a text of their own (not a headline alone): a story of headlines only
    # is judged on its terms when it is merged (window.consolidate), like a headline.
    full_reports: int = 0
    in_thread: bool = False  # linked into a thread: it keeps its id (no merge)
    # The sum of its reports' length-1 meanings (embedding.py). None for a story stored
    # before meanings were kept: a sum of its later reports alone would misstate it, so
    # it is judged on words alone until its window ends.
    meaning: np.ndarray | None = None
    # When its event's coverage began, if not at its first report (PRECURSOR_HOURS).
    coverage_from: datetime | None = None

    @property
    def span_start(self) -> datetime:
        """What the story's span and fading are measured from."""
        return self.coverage_from or self.first_seen

    @classmethod
    def founded_by(cls, article: StoryArticle) -> Story:
        story = cls(None, article.seen_at, article.seen_at, article.title, article.id,
                    set(), 0, {}, {})  # fmt: skip
        if article.features.meaning is not None:
            story.meaning = np.zeros_like(article.features.meaning)
        story.absorb(article)
        return story

    def covers(self, moment: datetime, window: timedelta) -> bool:
        """Whether a report at that moment can belong to the story: within `window` of
        its first report (or of its second, after a precursor). The span is the event's
        own, fixed once, so a busy beat's steady coverage never stretches one story over
        weeks of events."""
        return self.span_start - window <= moment <= self.span_start + window

    def absorb(self, article: StoryArticle) -> None:
        lone = article.seen_at - self.first_seen
        if self.article_count == 1 and lone >= timedelta(hours=PRECURSOR_HOURS):
            self.coverage_from = article.seen_at  # once: a story has one second report
        self._spans(article.seen_at, article.seen_at)
        self.countries.add(article.country)
        self.article_count += 1
        add_into(self.terms, normalised(article.features.terms))
        add_into(self.entities, normalised(article.features.entities))
        add_into(self.title_names, dict.fromkeys(article.features.title_names, 1.0))
        add_into(self.title_terms, dict.fromkeys(article.features.title_terms, 1.0))
        self.full_reports += 0 if article.features.headline_only else 1
        if self.meaning is not None and article.features.meaning is not None:
            self.meaning = self.meaning + article.features.meaning
        self.joined.append(article.id)

    def merge(self, other: Story) -> None:
        """Take in another story of the same event: its reports, coverage and centroid.
        This story keeps its id and its representative (the window offers it the
        other's)."""
        if self.coverage_from is not None or other.coverage_from is not None:
            self.coverage_from = min(self.span_start, other.span_start)
        self._spans(other.first_seen, other.last_seen)
        self.countries |= other.countries
        self.article_count += other.article_count
        self.full_reports += other.full_reports
        add_into(self.terms, other.terms)
        add_into(self.entities, other.entities)
        add_into(self.title_names, other.title_names)
        add_into(self.title_terms, other.title_terms)
        if self.meaning is not None and other.meaning is not None:
            self.meaning = self.meaning + other.meaning
        self.joined.extend(other.joined)

    def _spans(self, first: datetime, last: datetime) -> None:
        """Widen the story's times to cover reports from `first` to `last` (one found
        late, or a twin's)."""
        self.first_seen = min(self.first_seen, first)
        self.last_seen = max(self.last_seen, last)

    def stored_vectors(self) -> dict[str, Any]:
        """The centroid as stored (stories.centroid)."""
        return {
            "terms": strongest(self.terms, KEEP_TERMS),
            "entities": strongest(self.entities, KEEP_ENTITIES),
            "title_names": strongest(self.title_names, KEEP_ENTITIES),
            "title_terms": strongest(self.title_terms, KEEP_ENTITIES),
            "full_reports": self.full_reports,
            **({"meaning": pack(self.meaning)} if self.meaning is not None else {}),
            **({"coverage_from": self.coverage_from.isoformat()} if self.coverage_from else {}),
        }
