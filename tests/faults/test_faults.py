"""Faults mid-crawl: the database goes away, the process is killed or asked to stop.
Nothing is lost and nothing is stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsspiders.testing.serve import FixtureSites, feed_source
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.tcpproxy import TcpProxy
from tests.conftest import ROOT, Project, query

ARTICLES = 60
SLOW = ["-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        "-s", "AUTOTHROTTLE_ENABLED=False"]  # fmt: skip


@pytest.fixture
def bulk(project: Project) -> Iterator[Project]:
    """The project pointed at one English site of ARTICLES articles (no translation)."""
    sites = FixtureSites(sites=[synthetic_site("bulk", "en", ARTICLES)])
    url = sites.urls["bulk"]
    project.sources.write_text(feed_source("bulk", "GB", "en", url))
    yield project
    sites.close()


def start_crawl(project: Project, database_url: str | None = None, **env: str) -> subprocess.Popen:
    environment = project.env(NEWS_STORE_BATCH_SIZE="5", **env)
    if database_url:
        environment["NEWS_DATABASE_URL"] = database_url
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "bulk", *SLOW],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a kill reaches the pool workers too
    )  # fmt: skip


def wait_for_rows(database_url: str, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if query(database_url, "SELECT COUNT(*) AS n FROM articles")[0]["n"] >= at_least:
                return
        except Exception:  # noqa: BLE001 - the schema may not exist yet
            pass
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} articles stored after {timeout} s")


def assert_complete(project: Project) -> None:
    counts = project.rows(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT url_hash) AS urls,"
        " COUNT(DISTINCT content_hash) AS texts FROM articles"
    )[0]
    assert counts == {"n": ARTICLES, "urls": ARTICLES, "texts": ARTICLES}


@pytest.mark.each_backend
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
def test_a_stopped_crawl_is_completed_by_the_next_run(bulk: Project, signum: int) -> None:
    crawl = start_crawl(bulk)
    wait_for_rows(bulk.database_url, 10)
    if signum == signal.SIGKILL:
        os.killpg(crawl.pid, signal.SIGKILL)  # the crawler and its extraction workers
    else:
        crawl.send_signal(signum)
    crawl.communicate(timeout=60)
    stored = bulk.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert 10 <= stored < ARTICLES, "the crawl was stopped half-way"
    if signum == signal.SIGTERM:
        # A clean shutdown records its run and writes every article that got through
        # the pipeline.
        (run,) = bulk.runs()
        assert run["finish_reason"] == "shutdown" and run["failed"]
        assert stored == run["stats"]["item_scraped_count"] == run["new_articles"]
    else:
        # Killed: its row, written at the start, still says running, until a later
        # run or `health` on this host finds the process gone.
        (run,) = bulk.runs()
        assert run["finish_reason"] == "running" and run["pid"] == crawl.pid
        health = bulk.scrapy("health")
        assert "last run failed (interrupted)" in health.stdout, health.stdout
    again = bulk.scrapy("crawl", "bulk")
    assert again.returncode == 0, again.stderr[-2000:]
    assert_complete(bulk)
    first, last = bulk.runs()
    assert first["failed"] and first["finish_reason"] in ("shutdown", "interrupted")
    assert not last["failed"] and last["finish_reason"] == "finished"


@pytest.fixture
def behind_proxy(bulk: Project) -> Iterator[tuple[str, TcpProxy]]:
    """The project's PostgreSQL database, through a TCP proxy that a test can cut: its
    URL that way, and the proxy."""
    direct = urlsplit(bulk.database_url)
    assert direct.scheme.startswith("postgres") and direct.hostname, bulk.database_url
    proxy = TcpProxy(direct.hostname, direct.port or 5432)
    user, at, _ = direct.netloc.rpartition("@")
    proxied = direct._replace(netloc=f"{user}{at}127.0.0.1:{proxy.port}")
    yield proxied.geturl(), proxy
    proxy.close()


# A server to take away: PostgreSQL only (SQLite has none).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_database_going_away_loses_nothing(
    bulk: Project, behind_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = behind_proxy
    journal = tmp_path / "journal"
    crawl = start_crawl(bulk, url, NEWS_JOURNAL_DIR=str(journal))
    wait_for_rows(bulk.database_url, 10)
    proxy.cut()
    _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 1
    assert "articles written to" in log and "database_unavailable" in log
    stored = bulk.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    journaled = sum(len(p.read_text().splitlines()) for p in journal.glob("*.jsonl"))
    assert journaled > 0 and stored < ARTICLES

    proxy.restore()
    again = bulk.scrapy("crawl", "bulk", NEWS_DATABASE_URL=url, NEWS_JOURNAL_DIR=str(journal))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Replayed" in again.stderr and not list(journal.glob("*.jsonl"))
    assert_complete(bulk)
    assert bulk.runs()[-1]["stats"]["news/journal/replayed"] == journaled


def test_journal_round_trip(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from pipelines.store.journal import Journal

    journal = Journal(tmp_path, "src")
    rows = [{"url": "https://x/1", "published_at": datetime(2026, 11, 25, tzinfo=UTC), "n": [1]}]
    path = journal.spill(rows)
    assert journal.pending() == [path] and journal.take(path) == rows
    assert not list(tmp_path.glob("*.partial"))
    os.remove(path)
    assert journal.pending() == []
