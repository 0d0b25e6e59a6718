"""Faults mid-crawl: the database goes away, the process is killed or asked to stop.
Nothing is lost and nothing is stored twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from newsspiders.testing.serve import FixtureSites, feed_source
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.tcpproxy import TcpProxy
from tests.conftest import POSTGRES, ROOT, Project, query

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


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
def test_a_stopped_crawl_is_completed_by_the_next_run(bulk: Project, signum: int) -> None:
    crawl = start_crawl(bulk)
    wait_for_rows(bulk.database_url, 10)
    if signum == signal.SIGKILL:
        os.killpg(crawl.pid, signal.SIGKILL)  # the crawler and its extraction workers
    else:
        crawl.send_signal(signum)
    _, log = crawl.communicate(timeout=60)
    stored = bulk.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert 10 <= stored < ARTICLES, "the crawl was stopped half-way"
    if signum == signal.SIGTERM:
        # A clean shutdown writes every article that got through the pipeline.
        assert "shutdown" in log
        scraped = int(log.split("'item_scraped_count': ")[1].split(",")[0])
        assert stored == scraped
    again = bulk.scrapy("crawl", "bulk")
    assert again.returncode == 0, again.stderr[-2000:]
    assert_complete(bulk)


@pytest.fixture
def pg_behind_proxy(tmp_path: Path) -> Iterator[tuple[str, TcpProxy]]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    proxy = TcpProxy("127.0.0.1", 5432)
    yield f"postgresql://127.0.0.1:{proxy.port}/test?options=-csearch_path%3D{schema}", proxy
    proxy.close()
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_database_going_away_loses_nothing(
    bulk: Project, pg_behind_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    if not bulk.database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL run covers it: a server to take away")
    url, proxy = pg_behind_proxy
    direct = url.replace(f"127.0.0.1:{proxy.port}", "127.0.0.1:5432")
    journal = tmp_path / "journal"
    crawl = start_crawl(bulk, url, NEWS_JOURNAL_DIR=str(journal))
    wait_for_rows(direct, 10)
    proxy.cut()
    _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 1
    assert "articles written to" in log and "database_unavailable" in log
    stored = query(direct, "SELECT COUNT(*) AS n FROM articles")[0]["n"]
    journaled = sum(len(p.read_text().splitlines()) for p in journal.glob("*.jsonl"))
    assert journaled > 0 and stored < ARTICLES

    proxy.restore()
    again = bulk.scrapy("crawl", "bulk", NEWS_DATABASE_URL=url, NEWS_JOURNAL_DIR=str(journal))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Replayed" in again.stderr and not list(journal.glob("*.jsonl"))
    bulk.database_url = direct
    assert_complete(bulk)
    run = query(direct, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    stats = run["stats"] if isinstance(run["stats"], dict) else json.loads(run["stats"])
    assert stats["news/journal/replayed"] == journaled


def test_journal_round_trip(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from pipelines.store.journal import Journal

    journal = Journal(tmp_path, "src")
    rows = [{"url": "https://x/1", "published_at": datetime(2026, 11, 25, tzinfo=UTC), "n": [1]}]
    path = journal.spill(rows)
    assert journal.pending() == [path] and Journal.read(path) == rows
    assert not list(tmp_path.glob("*.partial"))
    os.remove(path)
    assert journal.pending() == []
