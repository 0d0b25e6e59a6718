"""Cost of placing new articles in stories, with 1,000 and 50,000 articles in the window;
and the quality of the grouping on real labelled news, replayed day by day.

    .venv/bin/python -m bench.stories                                  # both sizes, both backends
    .venv/bin/python -m bench.stories --window 1000 --backends sqlite --archive 50000
    .venv/bin/python -m bench.stories --window 50000 --headlines       # titles alone
    .venv/bin/python -m bench.stories --replay DIR                     # labelled headlines
    .venv/bin/python -m bench.stories --replay DIR --singletons        # + one-off events mixed in
    .venv/bin/python -m bench.stories --replay DIR --compress 3        # the same, denser
    .venv/bin/python -m bench.stories --replay DIR --threads           # + thread links scored
    .venv/bin/python -m bench.stories --stream FILE [--compress DAYS]  # your own labelled stream
    .venv/bin/python -m bench.stories --stream FILE --one-offs DIR     # + one-offs in its span
    .venv/bin/python -m bench.stories --fixture                        # the fixture stream
    .venv/bin/python -m bench.stories --replay DIR --set MERGE_AGREE=0.67  # a threshold moved
    .venv/bin/python -m bench.stories --replay DIR --meaning wordllama # the former model

Replay (`--replay DIR`, a directory holding `uci_head5000.jsonl` and
`wikinews_en_2019_2020_singletons.jsonl`, see `replay_stream`): every labelled story gets
a start within `--days` days (`--compress DAYS` packs the starts into DAYS days instead)
and its reports spread over 1 to 3 days from there; the stream is stored a day at a
time, each day followed by one `place_articles` run, as cron would. It prints pairwise
and B-cubed precision, recall and F1 against the labels.

Stream (`--stream FILE`): a labelled JSONL of real news in the shared sets' fields
(`id, event_id, time, title, text, publisher`), replayed at its own times, a day (or
`--every MINUTES`) at a time; `--compress DAYS` moves its events' starts closer (see
`labelled_stream` in newsspiders/testing/story_stream.py). Every event told once
counts as a one-off event. `--one-offs DIR` moves DIR's Wikinews one-off events into
the stream's span, each at a random time (`--seed`): a busier window around the same
news, with more of one beat's other events (many of them follow-ons of long stories);
the stream's own items are then also scored on their own ("own items").

Fixture (`--fixture`): the invented multilingual stream in
newsspiders/testing/story_stream.yaml (see story_stream.py), replayed the same way on
each of `--backends`, threads linked after each day (or each `--every MINUTES`) as
`scrapy stories` does; it also
prints the follow-on and same-beat decoy events put in one story, the events split,
and the threads found.

Synthetic English articles recombine the fixture sites' English paragraphs (lower-cased)
around invented events (a few invented names and a figure each, ~2.5 reports each), all
published within the story window (72 h). The window is filled and placed first; then
`--new` more articles arrive, half of them further reports of the window's events;
their meanings are worked out (`work_out_meanings`, timed on its own: the model's cost,
whatever the window holds), and one `place_articles` run places them: its time per new
article is the figure. It includes reading the window's stories, which a run does once.
`--archive N` first stores and places N articles a month older, outside the window, to
show that they cost nothing. Never run by the tests.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import meaning_models
from newsspiders.testing.databases import postgres_schema
from newsspiders.testing.sites import load_sites
from newsspiders.testing.story_stream import (
    labelled_stream,
    load_stream,
    one_offs_together,
    read_jsonl,
    scores,
    stored_row,
    with_one_offs,
)
from newsspiders.testing.story_stream import replay as replay_days
from newsspiders.testing.story_stream import replay_stream as replay_fixture
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import content_hash
from pipelines.storage import SQLBackend, open_backend, prepare_schema
from pipelines.stories import embedding, link_threads, place_articles, work_out_meanings
from pipelines.stories import story as story_model
from pipelines.stories import threads as story_threads
from pipelines.stories import window as story_window

WINDOW = timedelta(hours=72)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
BATCH = 500
_COUNTRIES = "AR AU BR CA CN DE EG ES FR GB IE IN IT JP KE KR MA MX NG PL RU SA SE TR US ZA"
COUNTRIES = _COUNTRIES.split()
_SYLLABLES = (
    "ka lo mir ve dan tor sel ru vin ost pal em rak zu lea no bri hal gor quen fa ti bek sun ar"
)
SYLLABLES = _SYLLABLES.split()


class Events:
    """Invented events: names, a figure and six paragraphs their reports draw from."""

    def __init__(self, rng: random.Random, headlines: bool = False):
        self.rng = rng
        self.headlines = headlines  # reports are titles alone (feeds' headlines)
        articles = [a for site in load_sites().values() for a in site.articles]
        # The fixtures' own names lower-cased: the invented ones tell events apart.
        self.paragraphs = [p.lower() for a in articles for p in a.paragraphs_en]
        self.titles = [a.title_en.lower() for a in articles]
        self.events: list[dict[str, Any]] = []

    def new(self) -> dict[str, Any]:
        rng = self.rng
        # 25**4 names: events rarely share one by chance.
        names = ["".join(rng.choices(SYLLABLES, k=4)).capitalize() for _ in range(3)]
        event = {
            "names": names,
            "figure": f"{rng.randint(100, 99999)}",
            "title": rng.choice(self.titles),
            "paragraphs": rng.sample(self.paragraphs, 6),
        }
        if self.headlines:  # its own words for its headlines (few shared with other events)
            words = [w for p in event["paragraphs"] for w in p.split() if w.isalpha()]
            event["headline_words"] = rng.sample(words, min(8, len(words)))
        self.events.append(event)
        return event

    def report(self, n: int, event: dict[str, Any], published: datetime) -> dict[str, Any]:
        rng = self.rng
        first, second, third = event["names"]
        lead = f"Officials in {first} said {second} {third} had confirmed {event['figure']} cases."
        body = [lead, *rng.sample(event["paragraphs"], 4)]
        title = f"{first}: {event['title']}"
        text = "\n".join(body) + f"\nReport {n}."  # every text differs
        if self.headlines:  # a title alone: matched on its terms and its meaning
            title = f"{first} {second}: " + " ".join(rng.sample(event["headline_words"], 5))
            text = ""
        url = f"https://bench.example/{n}"
        return {
            "source": "bench", "country": rng.choice(COUNTRIES), "url": url,
            "url_hash": url_hash(url), "title": title, "text": text, "language": "en",
            "title_en": title, "text_en": text, "translation_status": "not_needed",
            "published_at": published, "fetched_at": published, "authors": [],
            "word_count": len(text.split()), "content_hash": content_hash(text or url),
            "urls": {url_hash(url): url}, "bands": [],
        }  # fmt: skip


def articles(events: Events, count: int, start: int, since: datetime, until: datetime,
             follow_up: float) -> list[dict[str, Any]]:  # fmt: skip
    """`count` reports published between the two moments; `follow_up` of them report an
    event already invented, the others a new one."""
    rng = events.rng
    rows = []
    span = (until - since).total_seconds()
    for n in range(start, start + count):
        recent = events.events[-5000:]
        event = rng.choice(recent) if recent and rng.random() < follow_up else events.new()
        published = since + timedelta(seconds=rng.uniform(0, span))
        rows.append(events.report(n, event, published))
    return rows


@contextmanager
def database(kind: str) -> Iterator[SQLBackend]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            backend = open_backend(f"sqlite:///{tmp}/bench.db")
            prepare_schema(backend)
            yield backend
            backend.close()
        return
    with postgres_schema("bench") as url:
        backend = open_backend(url)
        prepare_schema(backend)
        yield backend
        backend.close()


def store(backend: SQLBackend, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), BATCH):
        backend.save_articles(rows[i : i + BATCH])
    with backend.transaction() as tx:
        tx.execute("ANALYZE")


def run(
    kind: str,
    window_size: int,
    new: int,
    archive: int,
    seed: int,
    headlines: bool = False,
    model: str = "minilm",
) -> dict[str, float]:
    """One backend's figures. The window and the archive are the same articles on every
    backend (one seed): their meanings, untimed, are worked out once for the process;
    the new articles' are worked out afresh, timed."""
    encoder, width = _FILLING[model], meaning_models.MODELS[model].width
    embedding.set_encoder(encoder, width)
    rng = random.Random(seed)
    events = Events(rng, headlines)
    figures: dict[str, float] = {}
    with database(kind) as backend:
        if archive:
            month_ago = NOW - timedelta(days=30)
            store(backend, articles(events, archive, 10**7, month_ago - WINDOW, month_ago, 0.6))
            place_articles(backend, WINDOW, page=10_000)
            events.events.clear()  # the window's reports follow up the window's events
        store(
            backend, articles(events, window_size, 0, NOW - WINDOW, NOW - timedelta(hours=1), 0.6)
        )
        started = time.perf_counter()
        place_articles(backend, WINDOW, page=10_000)
        figures["fill_ms_per_article"] = (time.perf_counter() - started) * 1000 / window_size
        link_threads(backend)  # the window's stories are looked at before the timed run
        started = time.perf_counter()
        stories = backend.stories_in_window(NOW - 2 * WINDOW, NOW + WINDOW)
        figures["window_stories"] = len(stories)
        figures["window_read_s"] = time.perf_counter() - started
        store(backend, articles(events, new, 10**6, NOW - timedelta(hours=1), NOW, 0.5))
        embedding.set_encoder(meaning_models.MODELS[model].encoder, width)
        # Each new article's meaning, worked out once before it is placed: a cost of the
        # model alone, whatever the window holds.
        started = time.perf_counter()
        work_out_meanings(backend)
        figures["meaning_ms_per_new_article"] = (time.perf_counter() - started) * 1000 / new
        started = time.perf_counter()
        placed = place_articles(backend, WINDOW)
        elapsed = time.perf_counter() - started
        assert placed.articles == new, placed
        figures["run_s"] = elapsed
        figures["ms_per_new_article"] = elapsed * 1000 / new
        figures["joined_share"] = (placed.articles - placed.stories) / new
        # The thread step that `scrapy stories` runs next, over the run's new stories.
        started = time.perf_counter()
        link_threads(backend)
        figures["threads_ms_per_new_article"] = (time.perf_counter() - started) * 1000 / new
    return figures


# --- replaying labelled real news ------------------------------------------------------

HEADLINES = "uci_head5000.jsonl"
SINGLETONS = "wikinews_en_2019_2020_singletons.jsonl"
REPLAY_START = datetime(2026, 10, 1, tzinfo=UTC)


def replay_stream(
    directory: Path, days: float, singletons: str, seed: int
) -> list[tuple[datetime, dict[str, Any]]]:
    """The labelled items with replay times, oldest first.

    The headlines' own times are crawl bursts, not publication times, so each story
    gets a start drawn within `days` and its reports spread over 1 to 3 days from
    there. The one-off events (full articles, `singletons`): "dated" keeps their own
    dates (two years, from the replay's start), "dense" draws them within the
    headlines' span instead, about ten a day, so that follow-ups of one long story
    (a hurricane's landfall and its toll) fall days apart.
    """
    rng = random.Random(seed)
    items = read_jsonl(directory / HEADLINES)
    by_story: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_story.setdefault(item["event_id"], []).append(item)
    timed = []
    for story in sorted(by_story):
        start = REPLAY_START + timedelta(days=rng.uniform(0, days))
        spread = timedelta(days=rng.uniform(1, 3)).total_seconds()
        for item in by_story[story]:
            timed.append((start + timedelta(seconds=rng.uniform(0, spread)), item))
    if singletons != "none":
        lone = read_jsonl(directory / SINGLETONS)
        first = min(datetime.fromisoformat(item["time"][:10]) for item in lone)
        for item in lone:
            if singletons == "dense":
                offset = timedelta(days=rng.uniform(0, days + 2))
            else:
                offset = datetime.fromisoformat(item["time"][:10]) - first
                offset += timedelta(hours=rng.uniform(0, 24))
            timed.append((REPLAY_START + offset, item))
    timed.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    return timed


def _replay_row(n: int, item: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A stored English article for a labelled item; its outlet stands for a country."""
    url = f"https://replay.example/{n}"
    country = COUNTRIES[int(url_hash(item.get("publisher") or item["id"]), 16) % len(COUNTRIES)]
    return stored_row(url, country, item["title"], item.get("text") or "", at)


def replay(
    kind: str, stream: list[tuple[datetime, dict[str, Any]]], threads: bool = False,
    every: timedelta = timedelta(days=1),
) -> tuple[dict[str, int], dict[int, int | None], dict[int, str]]:  # fmt: skip
    """Store the stream a day (or `every`) at a time, placing (and linking threads, if
    asked) after each batch; each item's story, each story's thread and its title."""
    rows = [_replay_row(n, item, at) for n, (at, item) in enumerate(stream)]
    with database(kind) as backend:
        story_of = replay_days(backend, rows, WINDOW, threads=threads, every=every)
        with backend.transaction() as tx:
            stored = tx.execute("SELECT id, thread_id, title FROM stories").fetchall()
    found = {item["id"]: story_of[row["url"]] for row, (_, item) in zip(rows, stream, strict=True)}
    return found, {row[0]: row[1] for row in stored}, {row[0]: row[2] for row in stored}


def labels_held(
    stream: list[tuple[datetime, dict[str, Any]]], found: dict[str, int]
) -> dict[int, Counter[str]]:
    """How many reports of each label each found story holds."""
    held: dict[int, Counter[str]] = {}
    for _, item in stream:
        held.setdefault(found[item["id"]], Counter())[item["event_id"]] += 1
    return held


def titles_of_another_label(
    stream: list[tuple[datetime, dict[str, Any]]], held: dict[int, Counter[str]],
    titles: dict[int, str],
) -> tuple[int, int]:  # fmt: skip
    """Of the found stories of three reports or more, how many the app would show under
    the title of a report of another label than most of theirs; and how many there are."""
    labels_of_title: dict[str, set[str]] = {}
    for _, item in stream:
        labels_of_title.setdefault(item["title"], set()).add(item["event_id"])
    large = [story for story, counted in held.items() if counted.total() >= 3]
    wrong = sum(
        held[story].most_common(1)[0][0] not in labels_of_title.get(titles[story], set())
        for story in large
    )
    return wrong, len(large)


def largest_titles(
    held: dict[int, Counter[str]], titles: dict[int, str], count: int
) -> list[tuple[int, str, str]]:
    """The `count` largest found stories: their size, most common label and title, to
    read the titles by eye."""
    largest = sorted(held, key=lambda story: (-held[story].total(), story))[:count]
    return [
        (held[story].total(), held[story].most_common(1)[0][0], titles[story]) for story in largest
    ]


def thread_links(
    truth: dict[str, str], found: dict[str, int], thread_of: dict[int, int | None]
) -> dict[str, int]:
    """Pairs of stories in one thread, by whether their labels (each story's most
    common one) agree: a headline label is a long story the replay splits into events."""
    labels: dict[int, Counter[str]] = {}
    for item, story in found.items():
        labels.setdefault(story, Counter())[truth[item]] += 1
    threads: dict[int, list[str]] = {}
    for story, counted in labels.items():
        if thread_of.get(story) is not None:
            threads.setdefault(thread_of[story], []).append(counted.most_common(1)[0][0])
    same = sum(a == b for held in threads.values() for a, b in itertools.combinations(held, 2))
    pairs = sum(len(held) * (len(held) - 1) // 2 for held in threads.values())
    return {"threads": len(threads), "threaded_stories": sum(map(len, threads.values())),
            "same_label_pairs": same, "other_label_pairs": pairs - same}  # fmt: skip


def run_replay(args: argparse.Namespace) -> dict[str, Any]:
    own: set[str] = set()
    if args.stream:
        stream = labelled_stream(Path(args.stream), args.compress)
        days = (stream[-1][0] - stream[0][0]) / timedelta(days=1) if stream else 0.0
        if args.one_offs and stream:
            own = {str(item["id"]) for _, item in stream}
            one_offs = read_jsonl(Path(args.one_offs) / SINGLETONS)
            stream = with_one_offs(stream, one_offs, args.seed)
    else:
        days = args.compress if args.compress is not None else args.days
        stream = replay_stream(Path(args.replay), days, args.singletons, args.seed)
    truth = {item["id"]: item["event_id"] for _, item in stream}
    rank = {label: n for n, label in enumerate(sorted(set(truth.values())))}
    started = time.perf_counter()
    every = timedelta(minutes=args.every)
    found, thread_of, titles = replay(args.backends.split(",")[0], stream, args.threads, every)
    elapsed = time.perf_counter() - started
    figures: dict[str, Any] = scores(truth, found)
    held = labels_held(stream, found)
    figures["titles_of_another_label"], figures["stories_of_three"] = titles_of_another_label(
        stream, held, titles
    )
    # Held-out halves: the labels split by the parity of their rank among the sorted
    # label ids, so that a threshold tuned on one half can be checked on the other.
    # Each half is scored on its own items (the other half's items are ignored).
    for half, parity in (("even", 0), ("odd", 1)):
        part = {item: label for item, label in truth.items() if rank[label] % 2 == parity}
        figures[half] = scores(part, found)
    if own:
        figures["own"] = scores({i: label for i, label in truth.items() if i in own}, found)
    # One-off events: the shared set's singletons (their label is their id), or in a
    # stream of one's own, every event told once.
    told = Counter(truth.values())
    lone = [
        item["id"] for _, item in stream
        if item["id"] == item["event_id"] or (args.stream and told[item["event_id"]] == 1)
    ]  # fmt: skip
    story_sizes = Counter(found.values())
    if lone:
        figures["singletons_alone"] = sum(story_sizes[found[i]] == 1 for i in lone) / len(lone)
        for half, parity in (("even", 0), ("odd", 1)):
            mine = [i for i in lone if rank[truth[i]] % 2 == parity]
            alone = sum(story_sizes[found[i]] == 1 for i in mine) / len(mine)
            figures[half]["singletons_alone"] = alone
        figures["one_offs_together"] = one_offs_together(stream, lone, found)
    figures["stories_found"] = len(story_sizes)
    # How many labelled stories the worst found story holds: a chain shows here.
    labels_in: dict[int, set[str]] = {}
    for item, story in found.items():
        labels_in.setdefault(story, set()).add(truth[item])
    figures["most_labels_in_one"] = max(len(labels) for labels in labels_in.values())
    figures["stories_labelled"] = len(set(truth.values()))
    print(
        f"replay {len(stream)} items over {days:.3g} days"
        + ("" if args.stream else f" (seed {args.seed})")
        + f", placed every {args.every:g} min, in {elapsed:.0f} s:"
        f" pairwise P {figures['pair_precision']:.3f} R {figures['pair_recall']:.3f}"
        f" F1 {figures['pair_f1']:.3f}; B-cubed P {figures['bcubed_precision']:.3f}"
        f" R {figures['bcubed_recall']:.3f} F1 {figures['bcubed_f1']:.3f};"
        f" {figures['stories_found']} stories for {figures['stories_labelled']} labelled"
        f" (at most {figures['most_labels_in_one']} labelled in one)"
        f"; titled by another label: {figures['titles_of_another_label']}"
        f" of {figures['stories_of_three']} stories of 3+"
        + (f"; singletons alone {figures['singletons_alone']:.3f}" if lone else "")
        + "".join(
            f"\n  {half} labels: pairwise P {figures[half]['pair_precision']:.3f}"
            f" R {figures[half]['pair_recall']:.3f}; B-cubed F1 {figures[half]['bcubed_f1']:.3f}"
            + (f"; singletons alone {figures[half]['singletons_alone']:.3f}" if lone else "")
            for half in ("even", "odd")
        )
        + (
            f"\n  own items: pairwise P {figures['own']['pair_precision']:.3f}"
            f" R {figures['own']['pair_recall']:.3f}; B-cubed F1 {figures['own']['bcubed_f1']:.3f}"
            if own
            else ""
        ),
        flush=True,
    )
    for met in figures.get("one_offs_together", []):
        print("  one-off events in one story: " + " | ".join(met))
    for size, label, title in largest_titles(held, titles, args.titles):
        print(f"  {size:4d} reports, mostly {label}: {title}")
    if args.threads:
        links = figures["thread_links"] = thread_links(truth, found, thread_of)
        print(
            f"  threads: {links['threads']} over {links['threaded_stories']} stories;"
            f" story pairs in one thread: {links['same_label_pairs']} of one label,"
            f" {links['other_label_pairs']} of two",
            flush=True,
        )
    return figures


def run_fixture(args: argparse.Namespace) -> dict[str, Any]:
    """The labelled fixture stream (newsspiders/testing/story_stream.yaml), replayed a
    day at a time through `place_articles` and `link_threads` on each backend."""
    events = load_stream()
    results: dict[str, Any] = {}
    for kind in args.backends.split(","):
        with database(kind) as backend:
            outcome = replay_fixture(backend, events, timedelta(minutes=args.every))
        figures: dict[str, Any] = outcome.scores()
        follow_ons, decoys = outcome.follow_on_pairs(), outcome.decoy_pairs()
        figures["follow_ons_merged"] = outcome.merged(follow_ons)
        figures["decoys_merged"] = outcome.merged(decoys)
        figures["other_merges"] = [
            pair for pair in outcome.all_merged()
            if pair not in figures["follow_ons_merged"] + figures["decoys_merged"]
        ]  # fmt: skip
        figures["events_split"] = outcome.split()
        figures["threads"] = {key: sorted(ids, key=str) for key, ids in outcome.threads().items()}
        figures["thread_intruders"] = outcome.intruders()
        figures["unrelated_threads"] = outcome.unrelated_threads()
        results[kind] = figures
        reports = sum(len(event.reports) for event in events)
        print(
            f"{kind}: fixture stream, {len(events)} events, {reports} reports,"
            f" placed every {args.every:g} min:"
            f" pairwise P {figures['pair_precision']:.3f} R {figures['pair_recall']:.3f}"
            f" F1 {figures['pair_f1']:.3f}; B-cubed P {figures['bcubed_precision']:.3f}"
            f" R {figures['bcubed_recall']:.3f} F1 {figures['bcubed_f1']:.3f};"
            f" follow-on pairs merged {len(figures['follow_ons_merged'])}/{len(follow_ons)},"
            f" decoy pairs merged {len(figures['decoys_merged'])}/{len(decoys)},"
            f" events split {len(figures['events_split'])}",
            flush=True,
        )
        for label in ("follow_ons_merged", "decoys_merged", "other_merges"):
            for first, second in figures[label]:
                print(f"  merged ({label.split('_')[0]}): {first} + {second}")
        for event, count in figures["events_split"].items():
            print(f"  split: {event} in {count} stories")
        for thread, ids in figures["threads"].items():
            intruders = figures["thread_intruders"][thread]
            print(f"  thread {thread}: in threads {ids}; unrelated events in it: {intruders}")
        for keys in figures["unrelated_threads"]:
            print(f"  a thread links unrelated events: {', '.join(keys)}")
    return results


def _set_threshold(setting: str) -> None:
    """NAME=VALUE: a module constant of the matcher (TERMS_ALONE_MIN, MERGE_AGREE,
    PRECURSOR_HOURS, THREAD_SUBJECT_MIN, ...), moved in every module that holds it."""
    name, _, value = setting.partition("=")
    moved = False
    for module in (story_window, story_model, story_threads):
        current = getattr(module, name, None)
        if name.isupper() and isinstance(current, int | float):
            setattr(module, name, type(current)(value))
            moved = True
    if not moved:
        raise SystemExit(
            f"--set: {name!r} is no threshold of pipelines/stories/window.py, story.py or"
            " threads.py"
        )


# Each model's encoder remembering the texts it read, for filling the cost runs' windows.
_FILLING = {
    name: meaning_models.remembering(m.encoder) for name, m in meaning_models.MODELS.items()
}


def _use_meaning_model(name: str, replaying: bool) -> None:
    """Embed with the named model, and move the meaning bars to its own. A replay's
    encoder remembers the texts it has read; the cost figures read the model as the
    pipeline does."""
    model = meaning_models.MODELS[name]
    encoder = meaning_models.remembering(model.encoder) if replaying else model.encoder
    embedding.set_encoder(encoder, model.width)
    for bar, value in model.bars.items():
        _set_threshold(f"{bar}={value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", default="1000,50000", help="articles in the window")
    parser.add_argument("--new", type=int, default=500, help="articles placed by the timed run")
    parser.add_argument("--archive", type=int, default=0, help="older articles, outside it")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--headlines", action="store_true",
        help="cost: the synthetic reports are titles alone (matched on terms and meaning)",
    )  # fmt: skip
    parser.add_argument("--replay", metavar="DIR", help="replay labelled news from DIR instead")
    parser.add_argument(
        "--stream", metavar="FILE",
        help="replay a labelled JSONL stream of your own (id, event_id, time, title, text,"
        " publisher) at its own times instead",
    )  # fmt: skip
    parser.add_argument(
        "--one-offs", metavar="DIR",
        help="stream: move DIR's one-off events into its span, at random times (--seed)",
    )  # fmt: skip
    parser.add_argument(
        "--fixture", action="store_true", help="replay the labelled fixture stream instead"
    )
    parser.add_argument(
        "--every", type=float, default=24 * 60, metavar="MINUTES",
        help="fixture, replay: store and place a batch this often (default a day; cron: 30)",
    )  # fmt: skip
    parser.add_argument("--days", type=float, default=30, help="replay: days the starts span")
    parser.add_argument(
        "--compress", type=float, metavar="DAYS", help="replay: pack them into DAYS"
    )
    parser.add_argument(
        "--singletons", choices=["none", "dated", "dense"], default="none",
        help="replay: mix in the one-off events, at their own dates or packed densely",
    )  # fmt: skip
    parser.add_argument(
        "--threads", action="store_true",
        help="replay: link threads after each day too, and score their links",
    )  # fmt: skip
    parser.add_argument(
        "--titles", type=int, default=0, metavar="N",
        help="replay: print the N largest stories' titles, to read them by eye",
    )  # fmt: skip
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="move one of pipelines/stories/window.py's thresholds, for a sweep",
    )  # fmt: skip
    parser.add_argument(
        "--meaning", choices=sorted(meaning_models.MODELS), default="minilm",
        help="embed with this model and its own meaning bars (bench/meaning_models.py)",
    )  # fmt: skip
    args = parser.parse_args()
    _use_meaning_model(args.meaning, bool(args.replay or args.stream or args.fixture))
    for setting in args.set:
        _set_threshold(setting)
    if args.replay or args.stream or args.fixture:
        figures = run_fixture(args) if args.fixture else run_replay(args)
        if args.json:
            with open(args.json, "w") as out:
                json.dump({"command": vars(args), "results": figures}, out, indent=2)
        return
    results: dict[str, dict[str, Any]] = {}
    for kind in args.backends.split(","):
        for size in (int(s) for s in args.window.split(",")):
            figures = run(
                kind, size, args.new, args.archive, args.seed, args.headlines, args.meaning
            )
            results[f"{kind}/{size}"] = figures
            print(
                f"{kind:<9} window {size:>6} articles ({figures['window_stories']:.0f} stories,"
                f" read in {figures['window_read_s']:.2f} s), archive {args.archive}:"
                f" {figures['ms_per_new_article']:.2f} ms per new article placed, after"
                f" {figures['meaning_ms_per_new_article']:.2f} ms working out its meaning"
                f" ({args.new} in {figures['run_s']:.1f} s, {figures['joined_share']:.0%} joined"
                f" a story), then threads {figures['threads_ms_per_new_article']:.2f} ms per new"
                f" article; filling the window {figures['fill_ms_per_article']:.2f} ms/article",
                flush=True,
            )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"command": vars(args), "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
