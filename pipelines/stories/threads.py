"""Threads: the successive event stories of one long-running story (a war, a campaign,
a trial), linked so that the app can show "Ongoing updates" (docs/stories.md).

A story is an event and stops taking reports once its span is over (window.py); the
next event of the same long story founds a story of its own. After placing, each story
not yet looked at is compared with the threads and stories active in the THREAD_GAP
before its first report:

- its names must be close to theirs (idf-weighted cosine >= THREAD_ENTITIES_MIN): the
  same war, the same candidates, the same defendant;
- and what happened must be alike: the cosine of the terms that are no one's names
  (>= THREAD_SUBJECT_MIN), the same kind of news, so that two unrelated events that
  share a country's names (a quake, and the rate cut that cites it) stay apart; a
  story of headlines alone, whose capitals are not names, on all its terms (cosine
  >= THREAD_TERMS_MIN);
- and, where both sides' meanings are known, the meaning must agree (the cosine of
  their titles' and leads' embeddings >= THREAD_MEANING_MIN): one leader's health and
  his trade war share his names and the words of his office.

A story is compared with a thread's centroid (the sum of its stories'), never with the
thread's latest story alone, so a thread cannot drift from one subject to the next by
single links. It joins the closest; if the closest is a story in no thread, the two
found a thread. A story is in at most one thread, decided once.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from pipelines.stories.embedding import dimensions, pack, stored
from pipelines.stories.features import name_terms
from pipelines.stories.meanings import direction
from pipelines.stories.stage import StoryConflict
from pipelines.stories.vectors import Idf, Vector, add_into, dot, normalised, strongest

if TYPE_CHECKING:
    from pipelines.storage import SQLBackend

THREAD_GAP = timedelta(days=10)  # a long story's next event comes within this of its last
THREAD_ENTITIES_MIN = 0.45
THREAD_TERMS_MIN = 0.12  # stories of headlines alone: all their terms
# Stories with full reports: their terms that are no one's names (docs/stories.md,
# "Threads"). On the fixture stream, unrelated events of one country 0.01-0.03,
# episodes of one long story 0.05 and up (a story judged on its first report, placed
# every 30 min); 0.08-0.09 on tests/test_stories.py's war.
THREAD_SUBJECT_MIN = 0.04
# Successive events of one long story agree in meaning (the fixture stream's, 0.77 and
# up with their thread), one name's unrelated events less (the real day's Taliban
# hostage swap and an Afghan helicopter crash 0.39; Hong Kong's protests and the trade
# war, 0.42, still link). MiniLM's scale; the sweep is in docs/stories.md ("Threads").
THREAD_MEANING_MIN = 0.40
KEEP = 80  # centroid entries a thread stores, per signal
PAGE = 2000  # stories looked at per read
MAX_POSTING = 500
MAX_CANDIDATES = 40


@dataclass
class Thread:
    id: int | None
    first_seen: datetime
    last_seen: datetime
    title: str
    story_count: int
    terms: Vector
    entities: Vector
    version: int = 0
    stories: list[int] = field(default_factory=list)  # stories that joined it this run
    # The sum of its stories' length-1 meanings; None for a thread stored before
    # meanings were kept (a sum of its later stories alone would misstate it).
    meaning: np.ndarray | None = None

    def add(self, story: dict[str, Any]) -> None:
        self.first_seen = min(self.first_seen, story["first_seen"])
        self.last_seen = max(self.last_seen, story["last_seen"])
        self.story_count += 1
        add_into(self.terms, normalised(story["centroid"]["terms"]))
        add_into(self.entities, normalised(story["centroid"]["entities"]))
        meaning = _meaning(story)
        if self.meaning is not None and meaning is not None:
            self.meaning = self.meaning + meaning
        self.stories.append(story["id"])


@dataclass
class Linked:
    looked_at: int = 0  # stories the step considered
    threaded: int = 0  # of which joined or founded a thread
    threads: int = 0  # threads founded

    def __str__(self) -> str:
        return (
            f"threads: {self.threaded} of {self.looked_at} new stories linked"
            f" ({self.threads} new threads)"
        )


def link_threads(backend: SQLBackend) -> Linked:
    linked = Linked()
    while True:
        todo = backend.unthreaded_stories(PAGE)
        if not todo:
            return linked
        _link(backend, todo, linked)
        if len(todo) < PAGE:
            return linked


def _link(backend: SQLBackend, todo: list[dict[str, Any]], linked: Linked) -> None:
    start = min(story["first_seen"] for story in todo)
    end = max(story["first_seen"] for story in todo)
    known = {s["id"]: s for s in backend.stories_in_window(start - THREAD_GAP, end)}
    threads = {t["id"]: _thread(t) for t in backend.threads_in_window(start - THREAD_GAP, end)}
    todo_ids = {story["id"] for story in todo}
    thread_of: dict[int, Thread] = {}
    for story in known.values():
        if story.get("thread_id") in threads:
            thread_of[story["id"]] = threads[story["thread_id"]]
    idf_terms = Idf(s["centroid"]["terms"] for s in known.values())
    idf_entities = Idf(s["centroid"]["entities"] for s in known.values())
    postings: dict[str, list[int]] = {}  # name -> stories: only those sharing one are scored
    for story in known.values():
        for key in story["centroid"]["entities"]:
            postings.setdefault(key, []).append(story["id"])
    founded: list[Thread] = []
    done: set[int] = set()
    for story in sorted(todo, key=lambda s: (s["first_seen"], s["id"])):
        linked.looked_at += 1
        done.add(story["id"])
        entities = idf_entities.weighted(story["centroid"]["entities"])
        mine = _meaning(story)
        best: tuple[float, Thread | dict[str, Any]] | None = None
        scored: set[int] = set()
        for other_id in _sharing(postings, entities):
            other = known[other_id]
            if other_id == story["id"] or (other_id in todo_ids and other_id not in done):
                continue  # later stories of this run are compared when their turn comes
            if other["first_seen"] > story["first_seen"]:
                continue
            target: Thread | dict[str, Any] = thread_of.get(other_id, other)
            if id(target) in scored:
                continue
            scored.add(id(target))
            last = target.last_seen if isinstance(target, Thread) else target["last_seen"]
            if last < story["first_seen"] - THREAD_GAP:
                continue  # that long story went quiet before this event
            if isinstance(target, Thread):
                vectors = (target.terms, target.entities)
            else:
                vectors = (other["centroid"]["terms"], other["centroid"]["entities"])
            close_entities = dot(entities, idf_entities.weighted(vectors[1]))
            if close_entities < THREAD_ENTITIES_MIN:
                continue
            close_terms, least = _subject_likeness(idf_terms, story["centroid"], *vectors)
            if close_terms < least:
                continue
            # Read only for the few that pass the words: unpacking costs.
            theirs = direction(target.meaning) if isinstance(target, Thread) else _meaning(other)
            if mine is not None and theirs is not None and mine @ theirs < THREAD_MEANING_MIN:
                continue  # the same names, another subject
            if best is None or close_entities + close_terms > best[0]:
                best = (close_entities + close_terms, target)
        if best is None:
            continue
        target = best[1]
        if not isinstance(target, Thread):  # two events of one long story: a new thread
            # A first story stored without a meaning leaves the thread without one.
            start = None if _meaning(target) is None else np.zeros(dimensions(), np.float32)
            thread = Thread(None, target["first_seen"], target["last_seen"], target["title"],
                            0, {}, {}, meaning=start)  # fmt: skip
            thread.add(target)
            thread_of[target["id"]] = thread
            founded.append(thread)
            linked.threads += 1
            target = thread
        target.add(story)
        thread_of[story["id"]] = target
        linked.threaded += 1
    changed = [t for t in [*threads.values(), *founded] if t.stories]
    if not backend.save_threads([_record(t) for t in changed], [s["id"] for s in todo]):
        raise StoryConflict("another `scrapy stories` run linked these stories first")


def _subject_likeness(
    idf: Idf, story: dict[str, Any], terms: Vector, entities: Vector
) -> tuple[float, float]:
    """The cosine of the two sides' terms that are no one's names: what happened (a
    quake, a rate cut, a trial), not where. Two unrelated events in one country share
    its names among their terms too, which would carry them over THREAD_TERMS_MIN.
    A story of headlines alone keeps all its terms: in headline case every word is
    capitalised, so its "names" are most of its words (as in window.joins), and is held
    to THREAD_TERMS_MIN on all its terms. The likeness, and the least it must reach."""
    if not story.get("full_reports", 1):
        return dot(idf.weighted(story["terms"]), idf.weighted(terms)), THREAD_TERMS_MIN
    names = name_terms(story["entities"]) | name_terms(entities)
    mine = {key: value for key, value in story["terms"].items() if key not in names}
    theirs = {key: value for key, value in terms.items() if key not in names}
    return dot(idf.weighted(mine), idf.weighted(theirs)), THREAD_SUBJECT_MIN


def _sharing(postings: dict[str, list[int]], entities: Vector) -> list[int]:
    """The stories sharing the most weight of these names (at most MAX_CANDIDATES);
    names carried by very many stories ("Europe") find none on their own."""
    shared: dict[int, float] = {}
    for key, weight in entities.items():
        posting = postings.get(key, ())
        if len(posting) <= MAX_POSTING:
            for story in posting:
                shared[story] = shared.get(story, 0.0) + weight
    return heapq.nlargest(MAX_CANDIDATES, shared, key=shared.__getitem__)


def _meaning(story: dict[str, Any]) -> np.ndarray | None:
    """A stored story's meaning at length 1; None for a story stored without one."""
    return direction(stored(story["centroid"]))


def _thread(row: dict[str, Any]) -> Thread:
    centroid = row["centroid"]
    return Thread(
        row["id"], row["first_seen"], row["last_seen"], row["title"], row["story_count"],
        dict(centroid["terms"]), dict(centroid["entities"]), row["version"],
        meaning=stored(centroid),
    )  # fmt: skip


def _record(thread: Thread) -> dict[str, Any]:
    centroid: dict[str, Any] = {"terms": strongest(thread.terms, KEEP),
                                "entities": strongest(thread.entities, KEEP)}  # fmt: skip
    if thread.meaning is not None:
        centroid["meaning"] = pack(thread.meaning)
    return {
        "id": thread.id, "version": thread.version, "first_seen": thread.first_seen,
        "last_seen": thread.last_seen, "title": thread.title,
        "story_count": thread.story_count, "stories": thread.stories, "centroid": centroid,
    }  # fmt: skip
