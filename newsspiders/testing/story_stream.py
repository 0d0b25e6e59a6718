"""A labelled stream of news for the stories code, and its day-by-day replay.

`story_stream.yaml` holds invented events told by outlets of several countries in
their own languages, with labels: which event each report tells, its beat (events of
one beat are decoys for each other), the events it follows on from, and the long story
(thread) it is an episode of. `replay` stores a stream a day at a time and runs what
`scrapy stories` runs after each day; `scores` and `Outcome` say how the grouping did.
`labelled_stream` reads real labelled news in the shared sets' JSONL fields. Used by
tests/test_stories_stream.py and `python -m bench.stories` (docs/stories.md).
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from newsspiders.commands.stories import DEFAULT_WINDOW_HOURS
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import content_hash
from pipelines.stories import link_threads, place_articles

if TYPE_CHECKING:
    from pipelines.storage import SQLBackend

STREAM = Path(__file__).with_name("story_stream.yaml")
WINDOW = timedelta(hours=DEFAULT_WINDOW_HOURS)  # what `scrapy stories` uses by default
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Report:
    event: str
    outlet: str
    country: str
    language: str
    published: datetime
    title: str
    title_en: str
    text_en: str

    @property
    def key(self) -> str:
        return f"{self.event}/{self.outlet}"

    @property
    def url(self) -> str:
        return f"https://{self.outlet}.example/{self.event}"


@dataclass(frozen=True)
class Event:
    key: str
    beat: str
    reports: tuple[Report, ...]
    follows: tuple[str, ...] = ()
    thread: str | None = None


def load_stream(path: Path = STREAM) -> list[Event]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    outlets = raw["outlets"]
    events = []
    for item in raw["events"]:
        reports = []
        for report in item["reports"]:
            outlet = outlets[report["outlet"]]
            published = datetime.fromisoformat(report["published"]).astimezone(UTC)
            reports.append(Report(item["event"], report["outlet"], outlet["country"],
                                  outlet["language"], published, report["title"],
                                  report["title_en"], report["text_en"]))  # fmt: skip
        events.append(Event(item["event"], item["beat"], tuple(reports),
                            tuple(item.get("follows") or ()), item.get("thread")))  # fmt: skip
    return events


def stored_row(
    url: str, country: str, title_en: str, text_en: str, at: datetime,
    title: str | None = None, language: str = "en",
) -> dict[str, Any]:  # fmt: skip
    """An article as a crawl stores it, translated already when not in English."""
    title = title_en if title is None else title
    return {
        "source": url.split("/")[2], "country": country, "url": url,
        "url_hash": url_hash(url), "title": title, "text": text_en, "language": language,
        "title_en": title_en, "text_en": text_en,
        "translation_status": "not_needed" if language == "en" else "done",
        "published_at": at, "fetched_at": at, "authors": [],
        "word_count": len(text_en.split()), "content_hash": content_hash(url),
        "urls": {url_hash(url): url}, "bands": [],
    }  # fmt: skip


def report_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [
        stored_row(r.url, r.country, r.title_en, r.text_en, r.published, r.title, r.language)
        for event in events
        for r in event.reports
    ]


def replay(
    backend: SQLBackend, rows: list[dict[str, Any]], window: timedelta = WINDOW,
    threads: bool = False, every: timedelta = DAY,
) -> dict[str, int]:  # fmt: skip
    """Store the rows a batch at a time, oldest first (a UTC day, or `every`), and place
    after each batch as cron would (then link threads, if asked, as `scrapy stories`
    does); each url's story."""
    ordered = sorted(rows, key=lambda row: (row["published_at"], row["url"]))
    seconds = every.total_seconds()
    for _, batch in itertools.groupby(
        ordered, key=lambda row: int(row["published_at"].timestamp() // seconds)
    ):
        result = backend.save_articles(list(batch))
        assert result.aliased == result.near_duplicates == 0, result
        place_articles(backend, window)
        if threads:
            link_threads(backend)
    with backend.transaction() as tx:
        found = tx.execute("SELECT url, story_id FROM articles").fetchall()
    return {url: story for url, story in found}


def scores(truth: dict[str, str], found: dict[str, int]) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall and F1 of `found` against `truth`."""
    cells = Counter((truth[item], found[item]) for item in truth)
    true_sizes = Counter(truth.values())
    found_sizes = Counter(found[item] for item in truth)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    both = sum(pairs(n) for n in cells.values())
    grouped = sum(pairs(n) for n in found_sizes.values())
    same = sum(pairs(n) for n in true_sizes.values())
    b_precision = sum(n * n / found_sizes[f] for (_, f), n in cells.items()) / len(truth)
    b_recall = sum(n * n / true_sizes[t] for (t, _), n in cells.items()) / len(truth)
    figures = {
        "pair_precision": both / grouped if grouped else 1.0,
        "pair_recall": both / same if same else 1.0,
        "bcubed_precision": b_precision,
        "bcubed_recall": b_recall,
    }
    for kind in ("pair", "bcubed"):
        p, r = figures[f"{kind}_precision"], figures[f"{kind}_recall"]
        figures[f"{kind}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return figures


@dataclass
class Outcome:
    """Where the replay put the stream: each report's story, each story's thread."""

    events: list[Event]
    story_of: dict[str, int]  # report key -> story id
    thread_of: dict[int, int | None] = field(default_factory=dict)  # story id -> thread

    def scores(self) -> dict[str, float]:
        truth = {r.key: event.key for event in self.events for r in event.reports}
        return scores(truth, self.story_of)

    def stories(self, event: Event) -> set[int]:
        return {self.story_of[r.key] for r in event.reports}

    def split(self) -> dict[str, int]:
        """Events whose reports are in more than one story: how many stories."""
        return {e.key: len(self.stories(e)) for e in self.events if len(self.stories(e)) > 1}

    def merged(self, pairs: Iterable[tuple[Event, Event]]) -> list[tuple[str, str]]:
        """Of these pairs of events, those with a report in one story."""
        return [(a.key, b.key) for a, b in pairs if self.stories(a) & self.stories(b)]

    def all_merged(self) -> list[tuple[str, str]]:
        return self.merged(itertools.combinations(self.events, 2))

    def follow_on_pairs(self) -> list[tuple[Event, Event]]:
        """An event and one it follows on from, or the episode of its long story before
        it: related, told with the same names, yet each its own story."""
        by_key = {e.key: e for e in self.events}
        pairs = {(first, e.key) for e in self.events for first in e.follows}
        for thread in {e.thread for e in self.events if e.thread}:
            episodes = [e.key for e in sorted(self.events, key=_first_report) if e.thread == thread]
            pairs.update(zip(episodes, episodes[1:], strict=False))
        return [(by_key[a], by_key[b]) for a, b in sorted(pairs)]

    def decoy_pairs(self) -> list[tuple[Event, Event]]:
        """Unrelated events of one beat: two quakes in a week, three elections in one
        night, cup ties on one evening."""
        related = {frozenset((a.key, b.key)) for a, b in self.follow_on_pairs()}
        return [
            (a, b) for a, b in itertools.combinations(self.events, 2)
            if a.beat == b.beat and not (a.thread and a.thread == b.thread)
            and frozenset((a.key, b.key)) not in related
        ]  # fmt: skip

    def threads(self) -> dict[str, set[int | None]]:
        """Each labelled long story: the threads its events' stories are in."""
        found: dict[str, set[int | None]] = {}
        for event in self.events:
            if event.thread:
                ids = {self.thread_of.get(s) for s in self.stories(event)}
                found.setdefault(event.thread, set()).update(ids)
        return found

    def intruders(self) -> dict[str, list[str]]:
        """Each labelled long story: the events of other stories in its threads (an
        event that follows on from one of its events is not counted: it may belong)."""
        found: dict[str, list[str]] = {}
        for thread, ids in self.threads().items():
            own = {e.key for e in self.events if e.thread == thread}
            related = own | {e.key for e in self.events if own & set(e.follows)}
            found[thread] = [
                e.key for e in self.events
                if e.key not in related
                and any(self.thread_of.get(s) in ids - {None} for s in self.stories(e))
            ]  # fmt: skip
        return found

    def unrelated_threads(self) -> list[list[str]]:
        """Threads found that link events not labelled as one long story (nor one
        following on from another): their events."""
        group = {e.key: e.key for e in self.events}  # union-find over related events

        def root(key: str) -> str:
            while group[key] != key:
                key = group[key]
            return key

        for a, b in self.follow_on_pairs():
            group[root(a.key)] = root(b.key)
        in_thread: dict[int, list[str]] = {}
        for event in self.events:
            for thread in {self.thread_of.get(s) for s in self.stories(event)} - {None}:
                assert thread is not None
                in_thread.setdefault(thread, []).append(event.key)
        return [keys for keys in in_thread.values() if len({root(k) for k in keys}) > 1]


def _first_report(event: Event) -> datetime:
    return min(r.published for r in event.reports)


def replay_stream(backend: SQLBackend, events: list[Event], every: timedelta = DAY) -> Outcome:
    """Replay the stream through `place_articles` and `link_threads`, a day (or
    `every`) at a time."""
    by_url = replay(backend, report_rows(events), threads=True, every=every)
    story_of = {r.key: by_url[r.url] for event in events for r in event.reports}
    with backend.transaction() as tx:
        rows = tx.execute("SELECT id, thread_id FROM stories").fetchall()
    return Outcome(events, story_of, {story: thread for story, thread in rows})


# --- a labelled stream of real news, as the shared sets write it --------------------


def labelled_stream(path: Path, compress: float | None) -> list[tuple[datetime, dict[str, Any]]]:
    """A labelled JSONL stream (the shared sets' fields: `id, event_id, time, title,
    text, publisher`) at its own times, oldest first. `compress` DAYS: the events' first
    reports are moved closer, spread evenly in order over DAYS, each event's later
    reports keeping their distance from its first (the same news, at a denser pace)."""
    items = read_jsonl(path)
    needed = {"id", "event_id", "time", "title"}
    missing = [n for n, item in enumerate(items, 1) if not needed <= set(item)]
    if missing:
        raise SystemExit(f"{path}: item {missing[0]} lacks one of {', '.join(sorted(needed))}")
    timed = [(_moment(item["time"]), item) for item in items]
    if compress is not None:
        firsts: dict[str, datetime] = {}
        for at, item in timed:
            firsts[item["event_id"]] = min(at, firsts.get(item["event_id"], at))
        order = sorted(set(firsts.values()))
        span = (order[-1] - order[0]) or timedelta(seconds=1)
        scale = timedelta(days=compress) / span
        moved = {at: order[0] + (at - order[0]) * scale for at in order}
        timed = [(moved[firsts[item["event_id"]]] + (at - firsts[item["event_id"]]), item)
                 for at, item in timed]  # fmt: skip
    timed.sort(key=lambda pair: (pair[0], str(pair[1]["id"])))
    return timed


def with_one_offs(
    stream: list[tuple[datetime, dict[str, Any]]], one_offs: list[dict[str, Any]], seed: int
) -> list[tuple[datetime, dict[str, Any]]]:
    """The stream with the one-off events (each its own label) moved into its span, each
    at a random time drawn with `seed`, oldest first: a busier window around its news."""
    rng = random.Random(seed)
    start, span = stream[0][0], stream[-1][0] - stream[0][0]
    moved = [(start + span * rng.random(), item) for item in one_offs]
    return sorted(stream + moved, key=lambda pair: (pair[0], str(pair[1]["id"])))


def one_offs_together(
    stream: list[tuple[datetime, dict[str, Any]]], lone: list[str], found: dict[str, int]
) -> list[list[str]]:
    """The titles of one-off events that share a story with another one-off event.

    At their own dates (`--singletons dated`) these are real events days apart that
    were placed as one: mostly a follow-on event joining the one it follows (a killing,
    then the vote it caused), the fixture's follow-on failure measured on real news."""
    title = {item["id"]: item["title"] for _, item in stream}
    together: dict[int, list[str]] = {}
    for item in lone:
        together.setdefault(found[item], []).append(title[item])
    return [titles for _, titles in sorted(together.items()) if len(titles) > 1]


def read_labels(path: Path) -> dict[str, str]:
    """Page-id prefix -> event, from a labels file (`bench.stories_from_pages`): one
    event a line, `event: PREFIX PREFIX ...`; blank lines and # comments skipped."""
    labels: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        event, colon, prefixes = line.partition(":")
        if not colon or not event.strip() or not prefixes.split():
            raise SystemExit(f"{path}:{number}: expected 'event: PAGE_ID_PREFIX ...'")
        for prefix in prefixes.split():
            if labels.get(prefix, event.strip()) != event.strip():
                raise SystemExit(f"{path}:{number}: {prefix} is already {labels[prefix]}'s")
            labels[prefix] = event.strip()
    return labels


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line; blank lines skipped."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _moment(text: str) -> datetime:
    """An ISO time; a date alone is its midday, a time without a zone UTC."""
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if len(text) <= 10:
        at += timedelta(hours=12)
    return at if at.tzinfo else at.replace(tzinfo=UTC)
