"""How runs stop and fail: Ctrl-C, discovery that reads nothing, a source that cannot
start, a database and journal both away, a process killed. Each leaves a `crawl_runs`
row that says what happened, an exit status that says it too, and a health alert."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsspiders.spiders.news import NewsSpider
from newsspiders.testing.http import QuietHandler, Responder, RoutedServer
from newsspiders.testing.serve import FixtureSites, feed_source
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.tcpproxy import TcpProxy
from tests.conftest import ROOT, Project
from tests.faults.test_faults import (
    ARTICLES,
    SLOW,
    assert_complete,
    behind_proxy,
    bulk,
    start_crawl,
    wait_for_rows,
)  # fmt: skip

__all__ = ["behind_proxy", "bulk"]  # fixtures, shared

Route = Callable[[QuietHandler, str], None]


@pytest.fixture
def slow_bulk(project: Project) -> Iterator[Project]:
    """The project pointed at one slow English site (each answer 0.1 s late)."""
    sites = FixtureSites(sites=[synthetic_site("bulk", "en", ARTICLES)], delay=0.1)
    project.sources.write_text(feed_source("bulk", "GB", "en", sites.urls["bulk"]))
    yield project
    sites.close()


def test_ctrl_c_stops_crawlall_with_two_extraction_processes(slow_bulk: Project) -> None:
    crawl = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawlall", *SLOW],
        cwd=ROOT, env=slow_bulk.env(NEWS_EXTRACT_PROCESSES="2", NEWS_STORE_BATCH_SIZE="2"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole process group
    )  # fmt: skip
    try:
        wait_for_rows(slow_bulk.database_url, 4)
        os.killpg(crawl.pid, signal.SIGINT)
        started = time.monotonic()
        _, log = crawl.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(crawl.pid, signal.SIGKILL)
        _, log = crawl.communicate()
        pytest.fail(f"the crawl was still running 10 s after Ctrl-C:\n{log[-3000:]}")
    assert time.monotonic() - started < 10
    assert crawl.returncode == 1, log[-3000:]
    assert "KeyboardInterrupt" not in log and "Traceback" not in log, log[-3000:]
    (run,) = slow_bulk.runs()
    assert run["finish_reason"] == "shutdown" and run["failed"]
    stored = slow_bulk.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert 4 <= stored < ARTICLES and run["new_articles"] == stored


class TinyWeb(RoutedServer):
    """An HTTP server of a few routes (path -> handler), on 127.0.0.1."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        super().__init__()

    def route(self, path: str) -> Responder | None:
        route = self.routes.get(path)
        return None if route is None else lambda handler: route(handler, self.url)


def _redirect(to: Callable[[str], str]) -> Route:
    return lambda h, url: h.reply(302, b"", "text/plain", Location=to(url))


ROBOTS: Route = lambda h, url: h.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")  # noqa: E731

FEED_REDIRECTS = {
    # To a host the source does not name: the spider does not follow it.
    "elsewhere": {"/feed.xml": _redirect(lambda url: url.replace("127.0.0.1", "localhost"))},
    "loop": {
        "/feed.xml": _redirect(lambda url: f"{url}/feed2.xml"),
        "/feed2.xml": _redirect(lambda url: f"{url}/feed.xml"),
    },
}


@pytest.mark.parametrize("case", sorted(FEED_REDIRECTS))
def test_a_feed_redirected_away_or_in_a_loop_fails_the_run(project: Project, case: str) -> None:
    web = TinyWeb({"/robots.txt": ROBOTS, **FEED_REDIRECTS[case]})
    project.sources.write_text(
        f"sources:\n  - {{name: moved, country: FR, language: fr, homepage: '{web.url}/',"
        f" feeds: ['{web.url}/feed.xml']}}\n"
    )
    try:
        result = project.scrapy("crawl", "moved")
    finally:
        web.close()
    assert result.returncode == 1, result.stderr[-3000:]
    (run,) = project.runs()
    assert run["failed"] and run["pages"] >= 1  # robots.txt was read, and it does not count
    health = project.scrapy("health", "--fail-on-alert")
    assert health.returncode == 1 and "failed" in health.stdout, health.stdout


class BrokenSpider(NewsSpider):
    """A source's own spider class that breaks as it starts."""

    def __init__(self, *args: Any, **kwargs: Any):
        raise RuntimeError("this spider cannot start")


def test_a_source_that_cannot_start_is_recorded_failed(bulk: Project) -> None:
    good = bulk.sources.read_text()
    bulk.sources.write_text(
        good + "  - {name: broken, country: FR, language: fr, homepage: 'http://127.0.0.1:9/',"
        " feeds: ['http://127.0.0.1:9/rss.xml'],"
        " spider_class: tests.faults.test_lifecycle.BrokenSpider}\n"
    )
    # The class's package is named in SPIDER_MODULES, the place per-site classes may live.
    places = "-s", "SPIDER_MODULES=newsspiders.spiders.sites,tests.faults.test_lifecycle"
    result = bulk.scrapy("crawlall", *places)
    assert result.returncode == 1, result.stderr[-3000:]
    runs = {run["source"]: run for run in bulk.runs()}
    assert set(runs) == {"bulk", "broken"}
    assert not runs["bulk"]["failed"] and runs["bulk"]["new_articles"] == ARTICLES
    broken = runs["broken"]
    assert broken["failed"] and broken["finish_reason"] == "not_started"
    assert "this spider cannot start" in broken["stats"]["start_error"]
    assert "FAILED: broken" in result.stdout
    health = bulk.scrapy("health", "--fail-on-alert")
    assert health.returncode == 1
    (line,) = [line for line in health.stdout.splitlines() if line.startswith("broken")]
    assert "failed: last run failed (not_started)" in line


def test_a_listing_selector_that_matches_nothing_raises_an_alert(
    project: Project, sites: FixtureSites
) -> None:
    """The feed works, the listing page has links, its selector matches none of them."""
    feed, listing = sites.urls["lejournal"], sites.urls["vestnik"]
    project.sources.write_text(
        f"sources:\n  - {{name: half, country: FR, language: fr, homepage: '{feed}/',"
        f" feeds: ['{feed}/rss.xml'], listing: {{urls: '{listing}/news/', css: a.nothing}}}}\n"
    )
    result = project.scrapy("crawl", "half")
    assert result.returncode == 0, result.stderr[-3000:]  # what could be read was
    assert "no article links match 'a.nothing'" in result.stderr
    (run,) = project.runs()
    assert run["new_articles"] > 0 and run["stats"]["news/discovery_errors"] == 1
    health = project.scrapy("health", "--fail-on-alert")
    assert health.returncode == 1, health.stdout
    assert "discovery: 1 of 2 pages unreadable" in health.stdout


# A server to take away: PostgreSQL only (SQLite has none).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_database_away_and_journal_unwritable_stops_the_crawl(
    bulk: Project, behind_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = behind_proxy
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the journal's directory should be")
    crawl = start_crawl(bulk, url, NEWS_JOURNAL_DIR=str(blocker / "journal"))
    wait_for_rows(bulk.database_url, 10)
    proxy.cut()
    _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 1, log[-3000:]
    assert "neither stored nor journaled" in log and "storage_unavailable" in log, log[-3000:]
    stats = final_stats(log)
    stored = bulk.rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert stats["news/stored"] == stored < ARTICLES  # nothing claimed that is not there
    # Stopped at the first batch nobody could take: only what was in the pipeline is lost
    # (fetched again by the next run), not the rest of the crawl.
    assert 0 < stats["news/lost"] < ARTICLES // 2, stats
    assert stats.get("news/article_pages", 0) < ARTICLES

    proxy.restore()
    again = bulk.scrapy("crawl", "bulk", NEWS_DATABASE_URL=url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert_complete(bulk)


def final_stats(log: str) -> dict[str, Any]:
    """The stats Scrapy dumps at the end of the log (the run row may not be written)."""
    dump = log.rsplit("Dumping Scrapy stats:", 1)[1]
    return {key: int(value) for key, value in re.findall(r"'([\w/.-]+)': (\d+)[,}]", dump)}
