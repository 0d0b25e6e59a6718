"""Stories on a dense multilingual stream (issue 17): the labelled fixture stream of
newsspiders/testing/story_stream.yaml replayed a day at a time through what `scrapy
stories` runs (`place_articles`, then `link_threads`), on both backends.

The stream is invented news written as outlets of several countries would write it;
it is not tuned to the grouping code. Where the current code falls short, the test is
an expected failure (strict) with the figure measured, so that a change to the code
shows here at once: `python -m bench.stories --fixture` prints the details.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest

from newsspiders.testing.story_stream import WINDOW, Outcome, load_stream, replay_stream
from pipelines.storage import SQLBackend, open_backend, prepare_schema
from pipelines.stories import link_threads, place_articles

pytestmark = pytest.mark.each_backend

EVENTS = load_stream()
BCUBED_F1_MIN = 0.95  # issue 17's target for this stream


# The replay is deterministic: the tests that only read its outcome share one replay
# per backend.
_REPLAYED: dict[str, Outcome] = {}


@pytest.fixture
def backend(database_url: str) -> Iterator[SQLBackend]:
    opened = open_backend(database_url)
    prepare_schema(opened)
    yield opened
    opened.close()


@pytest.fixture
def outcome(database_url: str) -> Outcome:
    kind = database_url.split(":", 1)[0]
    if kind not in _REPLAYED:
        backend = open_backend(database_url)
        try:
            prepare_schema(backend)
            _REPLAYED[kind] = replay_stream(backend, EVENTS)
        finally:
            backend.close()
    return _REPLAYED[kind]


def test_the_stream_is_dense_multilingual_and_labelled() -> None:
    """What the issue asks of it: >= 30 events told by several outlets in >= 5 languages
    over ~10 days, same-beat decoys close in time, follow-on events, long stories."""
    told = [e for e in EVENTS if len(e.reports) > 1]
    assert len(told) >= 30 and all(2 <= len(e.reports) <= 5 for e in told)
    assert sum(len(e.reports) == 1 for e in EVENTS) >= 10  # one-off articles
    languages = Counter(r.language for e in EVENTS for r in e.reports)
    assert len(languages) >= 5 and sum(n for lang, n in languages.items() if lang != "en") > 60
    for event in told:
        assert len({r.country for r in event.reports}) == len(event.reports), event.key
        assert len({r.title_en for r in event.reports}) == len(event.reports), event.key
    times = [r.published for e in EVENTS for r in e.reports]
    assert max(times) - min(times) <= timedelta(days=11)
    for report in (r for e in EVENTS for r in e.reports):
        assert 60 <= len(report.text_en.split()) <= 150, report.key
        assert report.title and report.title_en and report.language and report.country
    keys = {e.key for e in EVENTS}
    assert len(keys) == len(EVENTS) and all(set(e.follows) <= keys for e in EVENTS)
    # Same-beat decoys on the same days: two quakes in one week, three elections in one
    # night, cup ties on one evening, two central banks on one day.
    first = {e.key: min(r.published for r in e.reports) for e in EVENTS}
    spans = {"earthquake": (2, 7), "election": (3, 1), "football": (2, 1), "central-bank": (2, 1)}
    for beat, (count, days) in spans.items():
        starts = sorted(first[e.key] for e in EVENTS if e.beat == beat and not e.follows)
        assert any(starts[i + count - 1] - starts[i] <= timedelta(days=days)
                   for i in range(len(starts) - count + 1)), beat  # fmt: skip
    threads = Counter(e.thread for e in EVENTS if e.thread)
    assert len(threads) >= 2 and all(n >= 3 for n in threads.values())
    assert len(Outcome(EVENTS, {}).follow_on_pairs()) >= 8


def test_bcubed_f1_on_the_stream(outcome: Outcome) -> None:
    figures = outcome.scores()
    print(f"\nfixture stream: B-cubed F1 {figures['bcubed_f1']:.3f}")
    assert figures["bcubed_f1"] >= BCUBED_F1_MIN, figures


# The follow-on pairs that still merge, as measured (docs/stories.md, "The fixture
# stream"): each within 72 h of its event, on the same names, its meaning close.
STILL_MERGED = {("holm-mine-collapse", "holm-miners-rescued")}


@pytest.mark.xfail(
    strict=True,
    reason="measured: 1 of 12 follow-on pairs in one story (a mine collapse and the"
    " rescue): within 72 h, told with the same names, no new name in their headlines,"
    " and their meaning close (0.45 and more)",
)
def test_follow_on_events_stay_apart(outcome: Outcome) -> None:
    pairs = outcome.follow_on_pairs()
    assert len(pairs) >= 8
    assert outcome.merged(pairs) == []


def test_no_follow_on_pair_merges_beyond_those_measured(outcome: Outcome) -> None:
    """The expected failure above stays strict; this catches a change that merges one
    more (the failed talks and the drone strike stay apart by their meaning)."""
    merged = {tuple(pair) for pair in outcome.merged(outcome.follow_on_pairs())}
    assert merged <= STILL_MERGED, merged - STILL_MERGED


def test_same_beat_decoys_stay_apart(outcome: Outcome) -> None:
    pairs = outcome.decoy_pairs()
    assert len(pairs) >= 20
    assert outcome.merged(pairs) == []


def test_each_event_is_one_story(outcome: Outcome) -> None:
    assert outcome.split() == {}


def test_each_long_story_is_one_thread_and_no_unrelated_event_joins_it(
    outcome: Outcome,
) -> None:
    threads = outcome.threads()
    assert len(threads) == len({e.thread for e in EVENTS if e.thread})
    for thread, ids in threads.items():
        assert len(ids) == 1 and None not in ids, f"{thread}: one thread, every episode in it"
    assert len({next(iter(ids)) for ids in threads.values()}) == len(threads)
    assert outcome.intruders() == {thread: [] for thread in threads}


def test_threads_link_only_related_events(outcome: Outcome) -> None:
    assert outcome.unrelated_threads() == []


def test_a_second_run_places_nothing_and_keeps_every_id(backend: SQLBackend) -> None:
    outcome = replay_stream(backend, EVENTS)
    with backend.transaction() as tx:
        before = tx.execute("SELECT * FROM stories ORDER BY id").fetchall()
        threads = tx.execute("SELECT * FROM threads ORDER BY id").fetchall()
    placed = place_articles(backend, WINDOW)
    linked = link_threads(backend)
    assert (placed.articles, placed.copies, linked.looked_at) == (0, 0, 0)
    with backend.transaction() as tx:
        assert tx.execute("SELECT * FROM stories ORDER BY id").fetchall() == before
        assert tx.execute("SELECT * FROM threads ORDER BY id").fetchall() == threads
        stories = dict(tx.execute("SELECT url, story_id FROM articles").fetchall())
    assert {r.key: stories[r.url] for e in EVENTS for r in e.reports} == outcome.story_of
    assert len(before) == len(set(outcome.story_of.values())) and threads
