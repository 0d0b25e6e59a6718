"""Distributed mode: workers of one spider share a Redis queue and one PostgreSQL.

Real Redis on 127.0.0.1:6379 (only this test's own key prefix is touched), a PostgreSQL
schema of its own, a slow synthetic site so that the workers overlap.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

from newsspiders.testing.serve import FixtureSites, feed_source
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.translate_server import TranslateServer
from tests.conftest import POSTGRES, ROOT, crawl_runs, query

REDIS = os.environ.get("NEWS_TEST_REDIS", "redis://127.0.0.1:6379/0")
ARTICLES = 300
# The feed also lists the site's video page: fetched, then dropped as not an article.
FEED_LINKS = ARTICLES + 1
SITE_DELAY = 0.05  # seconds per page, so that one worker alone needs several seconds


@dataclass
class Cluster:
    """Workers of the `bulk` spider, all pointed at one Redis prefix and one database."""

    env: dict[str, str]
    database_url: str
    redis: redis.Redis
    prefix: str
    # (User-Agent, path) of every page the site served, in order.
    served: list[tuple[str, str]] = field(default_factory=list)
    # Cleared, the site holds article pages back (a worker's start-up outlasting the
    # others' crawl must not decide a test); requests are noted in `served` first.
    gate: threading.Event = field(default_factory=threading.Event)

    def start(self, **extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "bulk"],
            cwd=ROOT, env={**self.env, **extra},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # its own process group, extraction workers included
        )  # fmt: skip

    def kill(self, worker: subprocess.Popen[str]) -> None:
        """SIGKILL, no clean-up at all: a machine that died."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=30)

    def finish(self, worker: subprocess.Popen[str]) -> None:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr[-3000:]

    def runs(self) -> list[dict[str, Any]]:
        """Every worker run's Scrapy stats, oldest first (from crawl_runs)."""
        return [run["stats"] for run in crawl_runs(self.database_url)]

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return query(self.database_url, sql)

    def stored(self) -> dict[str, int]:
        return self.rows("SELECT COUNT(*) AS n, COUNT(DISTINCT url_hash) AS urls FROM articles")[0]

    def queued(self) -> int:
        return int(self.redis.zcard(f"{self.prefix}:bulk:requests"))

    def keys(self) -> list[str]:
        return sorted(key.decode() for key in self.redis.scan_iter(match=f"{self.prefix}:*"))

    def linked_pages_served(self) -> Counter[tuple[str, str]]:
        """(User-Agent, path) of the pages the feed links to, with how often each was served."""
        return Counter(
            (agent, path) for agent, path in self.served if path not in ("/robots.txt", "/rss.xml")
        )


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis at {REDIS} is not reachable ({exc}); start it first")
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({exc}); start it first")
    suffix = uuid.uuid4().hex[:12]
    prefix, schema = f"test-{suffix}", f"test_{suffix}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    database_url = f"{POSTGRES}?options=-csearch_path%3D{schema}"

    site = synthetic_site("bulk", "ru", ARTICLES)
    sites = FixtureSites(sites=[site], delay=SITE_DELAY)
    served: list[tuple[str, str]] = []
    lock = threading.Lock()
    gate = threading.Event()
    gate.set()
    server = sites.servers["bulk"]
    site_handler: Any = server.RequestHandlerClass

    class Recording(site_handler):
        """The site's own handler, noting who asked for what (workers differ by agent)."""

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            with lock:
                served.append((self.headers.get("User-Agent", ""), path))
            if path not in ("/robots.txt", "/rss.xml"):
                gate.wait(timeout=60)
            super().do_GET()

    server.RequestHandlerClass = Recording
    translator = TranslateServer()
    # Its English for every synthetic title and sentence: an echoed Russian answer would
    # be rejected as not English, and a few rejections open a worker's breaker.
    translator.learn(site)
    url = sites.urls["bulk"]
    sources = tmp_path / "sources.yaml"
    sources.write_text(feed_source("bulk", "RU", "ru", url))
    env = {
        **os.environ,
        "NEWS_SOURCES": str(sources),
        "NEWS_DATABASE_URL": database_url,
        "NEWS_TRANSLATORS": "libretranslate",
        "NEWS_LIBRETRANSLATE_URL": translator.url,
        # The local translator answers at once; the suite's load beside two crawls must
        # not decide whether a translation finishes.
        "NEWS_TRANSLATE_TIMEOUT": "30",
        "NEWS_DOWNLOAD_DELAY": "0",
        "NEWS_EXTRACT_PROCESSES": "1",
        "NEWS_REDIS_URL": REDIS,
        "NEWS_REDIS_PREFIX": prefix,
    }
    try:
        yield Cluster(env, database_url, client, prefix, served, gate)
    finally:
        sites.close()
        translator.close()
        keys = list(client.scan_iter(match=f"{prefix}:*"))  # this test's keys, no others
        if keys:
            client.delete(*keys)
        client.close()
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def test_two_workers_started_together_share_the_crawl(cluster: Cluster) -> None:
    agents = ["worker-a", "worker-b"]
    workers = [cluster.start(NEWS_USER_AGENT=agent) for agent in agents]
    for worker in workers:
        cluster.finish(worker)

    assert cluster.stored() == {"n": ARTICLES, "urls": ARTICLES}
    runs = cluster.runs()
    assert sorted(run["news/redis/start"] for run in runs) == ["fresh", "joined"]
    assert all(run["finish_reason"] == "finished" for run in runs)
    # One worker read the feed; the other's request for it was filtered, not fetched.
    assert sorted(run.get("news/discovery_pages", 0) for run in runs) == [0, 1]
    assert sum(run.get("dupefilter/filtered", 0) for run in runs) >= 1
    # No page fetched twice, and each worker fetched a real share of them: as the workers
    # count it, and as the site saw it.
    pages = [_linked_pages(run) for run in runs]
    assert sum(pages) == FEED_LINKS, pages
    assert min(pages) >= FEED_LINKS // 4, pages
    served = cluster.linked_pages_served()
    assert set(served.values()) == {1} and len({path for _, path in served}) == FEED_LINKS
    by_agent = Counter(agent for agent, _ in served)
    assert sorted(by_agent) == agents and min(by_agent.values()) >= FEED_LINKS // 4, by_agent
    # Both stored and translated into the one database...
    assert sum(run.get("news/stored", 0) for run in runs) == ARTICLES
    translation = [{k: v for k, v in run.items() if k.startswith("news/translation/")}
                   for run in runs]  # fmt: skip
    done = [run.get("news/translation/done", 0) for run in runs]
    assert sum(done) == ARTICLES and min(done) > 0, translation
    assert not any(run.get("news/translation/pending") for run in runs), translation
    # ...whose near-duplicate index each worker checks against the other's articles too.
    fetched_by = {path: agent for agent, path in served}
    copies = cluster.rows(
        "SELECT a.url AS url, o.url AS original FROM articles a"
        " JOIN articles o ON o.id = a.duplicate_of"
    )
    assert any(
        fetched_by[urlsplit(row["url"]).path] != fetched_by[urlsplit(row["original"]).path]
        for row in copies
    ), copies

    # The crawl is over: nothing queued, no worker registered, the seen set cleared...
    assert cluster.keys() == []
    # ...so the next run reads the feed again, and the database's seen URLs leave it
    # nothing to fetch but the video page (never stored, as it is not an article).
    cluster.finish(cluster.start())
    last = cluster.runs()[-1]
    assert last["news/redis/start"] == "fresh"
    assert last.get("news/discovery_pages") == 1
    assert last.get("news/skipped/known") == ARTICLES
    assert _linked_pages(last) == 1
    assert cluster.stored() == {"n": ARTICLES, "urls": ARTICLES}


def test_a_worker_started_later_takes_its_share_of_the_queue(cluster: Cluster) -> None:
    first = cluster.start(NEWS_USER_AGENT="first")
    _wait_for(lambda: cluster.queued() >= FEED_LINKS // 2, "the first worker's queue")
    # The first worker stalls until the second asks for an article page: however slowly
    # the second starts, half the queue is still there for both to share.
    cluster.gate.clear()
    second = cluster.start(NEWS_USER_AGENT="second")
    _wait_for(
        lambda: any(agent == "second" for agent, _ in cluster.linked_pages_served()),
        "the second worker's first article request",
        timeout=60,
    )
    cluster.gate.set()
    for worker in (first, second):
        cluster.finish(worker)

    assert cluster.stored() == {"n": ARTICLES, "urls": ARTICLES}
    runs = cluster.runs()
    by_start = {run["news/redis/start"]: run for run in runs}
    assert sorted(by_start) == ["fresh", "joined"]
    assert by_start["joined"].get("news/discovery_pages", 0) == 0
    pages = [_linked_pages(run) for run in runs]
    assert sum(pages) == FEED_LINKS, pages
    assert _linked_pages(by_start["joined"]) >= FEED_LINKS // 4, pages
    served = cluster.linked_pages_served()
    assert set(served.values()) == {1} and len(served) == FEED_LINKS  # each page once
    assert cluster.keys() == []


def test_a_dead_workers_queue_is_resumed_and_its_lost_pages_rediscovered(
    cluster: Cluster,
) -> None:
    ttl = {"NEWS_REDIS_WORKER_TTL": "1"}  # a killed worker counts as dead after 1 s
    doomed = cluster.start(**ttl)
    # (Something queued: the worker has created the tables.)
    _wait_for(lambda: cluster.queued() and cluster.stored()["n"] >= 30, "the first articles")
    cluster.kill(doomed)
    left = cluster.queued()
    assert left > 0
    time.sleep(1.5)  # its heartbeat expires

    # The next worker finds no live worker and a non-empty queue: it finishes that crawl.
    cluster.finish(cluster.start(**ttl))
    resumed = cluster.runs()[-1]
    assert resumed["news/redis/start"] == "resumed"
    assert resumed.get("news/discovery_pages", 0) == 0  # the feed was read already
    assert _linked_pages(resumed) == left
    after_resume = cluster.stored()
    assert after_resume["n"] == after_resume["urls"] <= ARTICLES
    assert cluster.keys() == []

    # What the dead worker had in flight is found again by the next, fresh crawl.
    cluster.finish(cluster.start(**ttl))
    fresh = cluster.runs()[-1]
    assert fresh["news/redis/start"] == "fresh"
    assert fresh.get("news/skipped/known") == after_resume["n"]
    assert cluster.stored() == {"n": ARTICLES, "urls": ARTICLES}


def _linked_pages(stats: dict[str, Any]) -> int:
    """Pages fetched from the feed's links: every response but robots.txt and the feed."""
    return (
        stats.get("response_received_count", 0)
        - stats.get("robotstxt/response_count", 0)
        - stats.get("news/discovery_pages", 0)
    )


def _wait_for(condition: Any, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)
