"""The app's panel queries on a large PostgreSQL database: each must answer in 50 ms.

    .venv/bin/python -m bench.reads                     # 1,000,000 articles, 100,000 stories
    .venv/bin/python -m bench.reads --articles 100000 --stories 10000

Fills a fresh PostgreSQL schema (migrated as production is, so with every index the
migrations make) with synthetic articles spread over `--days` (90): 368 sources in 105
countries, every article in a story (the first `--stories` articles found one each, the
rest join stories chosen with a skew, so a few stories are large and most small; 60% of a
story's reports come from its home country), 5% of them near-duplicates of their story's
first report, 3% pending translation. Rows go in through COPY into an unindexed staging
table, then one INSERT, then VACUUM ANALYZE (as autovacuum would leave the tables).

Then each panel runs warm `--runs` times through the real backend methods (SQL, rows
and their conversion to dataclasses), on varied arguments, and its median and 95th
percentile are printed against the target. A tenth as many ids as stories are recorded
as merged (`story_merges`, each into a live story, as `save_stories` leaves them), so
`story(id)` is timed on live and merged ids alike.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pycountry

from bench.storage import database
from pipelines.storage import SQLBackend
from pipelines.storage.postgres import PostgresBackend

TARGET_MS = 50.0
SOURCES = 368
COUNTRIES = 105
OWNERSHIPS = ("private", "public", "state", "private", "private", "wire", "exile")
STAGED = (
    "id", "source", "country", "url", "url_hash", "title", "text", "language", "title_en",
    "text_en", "translation_status", "published_at", "fetched_at", "image_url",
    "content_hash", "duplicate_of", "story_id", "word_count",
)  # fmt: skip
LOREM = (
    "Officials said on Tuesday that the plan would be reviewed by the council before the end"
    " of the month, after residents raised concerns about its cost and timing. "
) * 2


def generate(
    articles: int, stories: int, days: float, now: datetime, seed: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(sources rows, article rows in id order)."""
    rng = random.Random(seed)
    codes = [country.alpha_2 for country in list(pycountry.countries)[:COUNTRIES]]
    sources = [
        (f"src{n}", codes[n % COUNTRIES], "xx", f"https://src{n}.example/", rng.random() > 0.05,
         OWNERSHIPS[n % len(OWNERSHIPS)], now)
        for n in range(SOURCES)
    ]  # fmt: skip
    by_country: dict[str, list[str]] = {}
    for name, country, *_ in sources:
        by_country.setdefault(country, []).append(name)
    span = days * 86400
    # Each story: when it happened, and its home country.
    story_time = [now - timedelta(seconds=rng.random() * span) for _ in range(stories)]
    story_home = [codes[rng.randrange(COUNTRIES)] for _ in range(stories)]
    drafts = []
    for n in range(articles):
        story = n if n < stories else int(stories * rng.random() ** 2)
        country = story_home[story] if rng.random() < 0.6 else codes[rng.randrange(COUNTRIES)]
        fetched = min(now, story_time[story] + timedelta(seconds=rng.random() * 36 * 3600))
        published = None if rng.random() < 0.03 else fetched - timedelta(minutes=rng.random() * 300)
        drafts.append((fetched, story, country, published))
    drafts.sort(key=lambda draft: draft[0])  # ids grow with the fetch time, as in a crawl
    first_of: dict[int, int] = {}
    rows = []
    for article_id, (fetched, story, country, published) in enumerate(drafts, start=1):
        original = first_of.setdefault(story, article_id)
        copy = original != article_id and rng.random() < 0.05
        pending = not copy and rng.random() < 0.03
        source = rng.choice(by_country[country])
        url = f"https://{source}.example/{article_id}"
        rows.append(
            (article_id, source, country, url, f"u{article_id}", f"Titre {article_id}",
             f"Texte {article_id}. {LOREM}", "fr", None if pending else f"Title {article_id}",
             None if pending else f"Text {article_id}. {LOREM}",
             "pending" if pending else "done", published, fetched,
             f"https://{source}.example/{article_id}.jpg", f"c{article_id}",
             original if copy else None, story + 1, 60)
        )  # fmt: skip
    return sources, rows


def fill(
    backend: PostgresBackend, sources: list[tuple[Any, ...]], rows: list[tuple[Any, ...]]
) -> None:
    with backend.pool.connection() as conn:
        conn.execute(
            "INSERT INTO sources (name, country, languages, homepage, enabled, ownership,"
            " updated_at) SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[],"
            " %s::bool[], %s::text[], %s::timestamptz[])",
            [list(column) for column in zip(*sources, strict=True)],
        )
        conn.execute(
            "CREATE UNLOGGED TABLE staged AS SELECT id, source, country, url, url_hash, title,"
            " text, language, title_en, text_en, translation_status, published_at, fetched_at,"
            " image_url, content_hash, duplicate_of, story_id, word_count FROM articles LIMIT 0"
        )
        with conn.cursor().copy(f"COPY staged ({', '.join(STAGED)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # Stories and articles name each other (stories.article_id, articles.story_id): the
        # rows are consistent by construction, so the load skips the foreign-key checks.
        conn.execute("SET LOCAL session_replication_role = replica")
        # Stories from their reports: near-duplicates are no coverage of their own.
        conn.execute(
            "INSERT INTO stories (id, first_seen, last_seen, title, article_id, countries,"
            " country_count, article_count, centroid, updated_at) OVERRIDING SYSTEM VALUE"
            " SELECT story_id, MIN(COALESCE(published_at, fetched_at)),"
            " MAX(COALESCE(published_at, fetched_at)), 'Story ' || story_id, MIN(id),"
            " string_agg(DISTINCT country, ',' ORDER BY country), COUNT(DISTINCT country),"
            " COUNT(*), '{}', MAX(fetched_at) FROM staged WHERE duplicate_of IS NULL"
            " GROUP BY story_id"
        )
        conn.execute(
            f"INSERT INTO articles ({', '.join(STAGED)}) OVERRIDING SYSTEM VALUE"
            f" SELECT {', '.join(STAGED)} FROM staged ORDER BY id"
        )
        conn.execute("DROP TABLE staged")
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('articles', 'id'), MAX(id)) FROM articles"
        )
        record_merges(conn)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        conn.autocommit = False


def record_merges(conn: Any) -> None:
    """Ids of stories merged away: above every live id (ids are never handed out again),
    each pointing at a live story, then the id sequence moved past them."""
    conn.execute(
        "INSERT INTO story_merges (story_id, merged_into, merged_at)"
        " SELECT top.id + n, (n * 7919) % top.id + 1, NOW() - (n % 2000) * INTERVAL '1 hour'"
        " FROM (SELECT MAX(id) AS id FROM stories) top,"
        " generate_series(1, (SELECT COUNT(*) / 10 FROM stories)) n"
    )
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('stories', 'id'),"
        " GREATEST((SELECT MAX(id) FROM stories), (SELECT MAX(story_id) FROM story_merges)))"
    )


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and 95th percentile milliseconds of `runs` calls, after one warm-up call."""
    call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


def panels(backend: SQLBackend, now: datetime, seed: int) -> dict[str, Callable[[], Any]]:
    """Each panel with its arguments varied from call to call."""
    rng = random.Random(seed)
    with backend.transaction() as tx:
        countries = [row[0] for row in tx.execute(
            "SELECT country FROM articles GROUP BY country ORDER BY COUNT(*) DESC"
        ).fetchall()]  # fmt: skip
        recent = [row[0] for row in tx.execute(
            "SELECT id FROM articles WHERE fetched_at >= ? ORDER BY id LIMIT 5000",
            (now - timedelta(days=2),),
        ).fetchall()]  # fmt: skip
        biggest = tx.execute(
            "SELECT article_id FROM stories ORDER BY article_count DESC LIMIT 1"
        ).fetchone()[0]
        live = [row[0] for row in tx.execute(
            "SELECT id FROM stories ORDER BY id DESC LIMIT 5000"
        ).fetchall()]  # fmt: skip
        merged = [row[0] for row in tx.execute(
            "SELECT story_id FROM story_merges ORDER BY story_id DESC LIMIT 500"
        ).fetchall()]  # fmt: skip
    pages: dict[str, Any] = {}

    def next_page() -> Any:
        country = rng.choice(countries[:10])
        first = backend.country_feed(country, 30)
        pages[country] = backend.country_feed(country, 30, before=first[-1])

    return {
        "country_feed (busiest country, 30)": lambda: backend.country_feed(countries[0], 30),
        "country_feed (any country, 30)": lambda: backend.country_feed(rng.choice(countries), 30),
        "country_feed (2 pages, before=)": next_page,
        "alternative_takes (recent article)": lambda: backend.alternative_takes(rng.choice(recent)),
        "alternative_takes (largest story)": lambda: backend.alternative_takes(biggest),
        "current_take (24 h, 20)": lambda: backend.current_take(24, 20, now=now),
        "current_take (72 h, 20)": lambda: backend.current_take(72, 20, now=now),
        "globe": lambda: backend.globe(now),
        # An id the app cached: a live story's, or one merged since (a tenth of calls).
        "story (any id it had)": lambda: backend.story(
            rng.choice(merged if rng.random() < 0.1 else live)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--stories", type=int, help="default: a tenth of --articles")
    parser.add_argument("--days", type=float, default=90.0, help="the articles' time span")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per panel")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    stories = args.stories or max(1, args.articles // 10)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    sources, rows = generate(args.articles, stories, args.days, now, args.seed)
    with database("postgres") as backend:
        assert isinstance(backend, PostgresBackend)
        fill(backend, sources, rows)
        del rows
        with backend.transaction() as tx:
            made = tx.execute(
                "SELECT (SELECT COUNT(*) FROM articles), COUNT(*), MAX(article_count) FROM stories"
            )
            counts = made.fetchone()
        print(
            f"PostgreSQL: {counts[0]:,} articles, {counts[1]:,} stories over {args.days:g} days,"
            f" {SOURCES} sources in {COUNTRIES} countries; the largest story has {counts[2]:,}"
            " reports"
            f" (generated and loaded in {time.perf_counter() - started:.0f} s)"
        )
        print(f"{'panel':<38} {'median ms':>10} {'p95 ms':>8}  target {TARGET_MS:g} ms")
        for name, call in panels(backend, now, args.seed).items():
            median, p95 = timed(call, args.runs)
            verdict = "ok" if p95 <= TARGET_MS else "OVER"
            print(f"{name:<38} {median:>10.1f} {p95:>8.1f}  {verdict}")


if __name__ == "__main__":
    main()
